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
		f := Finding{Input: in.ID, Region: grading.All}
		f.Range = "any value"
		f.Severity, f.Code = diag.Warning, CodeUnusedInput
		f.Subject, f.Path, f.Clause = in.At, fmt.Sprintf("inputs[%d]", s.yaml[in.ID]), in.Clause
		f.Summary = fmt.Sprintf("input %s is declared but no criterion reads it", name(in))
		f.Detail = "use it in a criterion, declare it context: true if it is context for rosters and the workflow, or remove it"
		l.add(f)
	}
}
