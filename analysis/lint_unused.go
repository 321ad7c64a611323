package analysis

// Inputs declared but read by no criterion and not declared context.

import (
	"fmt"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// unused reports inputs that are not context and that no criterion reads.
func (l *linter) unused() {
	s := l.s
	var read uint64
	for _, p := range s.parts {
		read |= p.reads
	}
	for _, p := range s.scope {
		read |= p.reads
	}
	for i, in := range s.inputs {
		if in.Context || read&(1<<i) != 0 {
			continue
		}
		w := inputSite(in, s.yaml[in.ID])
		l.add(Finding{
			Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeUnusedInput, Subject: w.at, Path: w.path, Clause: w.clause,
				Summary: fmt.Sprintf("input %s is declared but no criterion reads it", name(in)),
				Detail:  "it is not declared context: true, so it is meant for grading",
				Fix:     "use it in a criterion, declare it context: true if it is context for rosters and the workflow, or remove it",
				Params:  map[string]string{"input": in.ID}},
			Input: in.ID, Region: grading.All, Range: "any value", Ranges: []Bounds{},
			zh: zhText{summary: fmt.Sprintf("输入 %s 已声明，但没有任何标准读取它", name(in)),
				detail: "它没有声明 context: true，因此应当用于分级",
				fix:    "在标准中使用它；若它是名单和工作流的背景信息，声明 context: true；或者删除它"},
		})
	}
}
