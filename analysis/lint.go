package analysis

// LintRules: the entry point, the order the checks run in, and what
// every finding shares (its example and outcome). Each check has its own
// lint_*.go file.

import (
	"context"
	"fmt"
	"slices"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// Finding is one lint finding of analysis: the diagnostic a person reads
// (in English; WriteText of a Report shows its Chinese too), and the facts
// behind it for a program.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Finding struct {
	diag.Diagnostic
	// Input is the id of the input the finding is about, "" when it is
	// about the rule set as a whole.
	Input string `json:"input,omitempty"`
	// Region is the range of Input's values the finding is about (enum
	// ranks, 0 and 1 for bools); Range renders it.
	Region grading.Interval `json:"-"`
	Range  string           `json:"range,omitempty"`
	// Ranges are every range the finding's summary and detail render,
	// Region's first, with their numeric bounds.
	Ranges []Bounds `json:"ranges"`
	// Kin are Input and the inputs that share a derived quantity with it
	// (deaths and missing make up 死亡（含失踪）): a report folds findings
	// about kin with overlapping regions under one cause.
	Kin []string `json:"-"`
	// Levels and Criteria are the ids of the levels and criteria involved.
	Levels   []string `json:"levels,omitempty"`
	Criteria []string `json:"criteria,omitempty"`
	// Example is an incident that shows the finding, with its Outcome.
	Example Facts    `json:"example,omitempty"`
	Outcome *Outcome `json:"outcome,omitempty"`

	zh zhText
}

// LintRules analyses a grading rule set and returns its findings, sorted
// by position. Every finding is defined per input (see the package
// documentation): a range of an input is named by a level when one of the
// level's alternatives reads the input and holds there, every other input
// at its least severe value.
//
//   - lint.gap: a range of an input, other than its least value, that no
//     level names through the input or a co-member (with no deaths, 1
//     missing is named by 一般's "3 人以下死亡", since deaths and missing
//     make up 死亡（含失踪）).
//   - lint.overlap: a range of a count or amount that two levels name,
//     where the less severe one's alternative is not wholly shadowed.
//     Ordered enums and bools name "this value or more" by design and are
//     not reported.
//   - lint.shadowed: an alternative that can never decide a grade, because
//     at every point of the inputs it reads where it holds, a more severe
//     level holds through those inputs; lint.unsatisfiable: one that never
//     holds.
//   - lint.unreachable: a level no incident can get.
//   - lint.non-monotone: more of an input gives a lower grade.
//   - lint.threshold-order: a more severe level names an input from a
//     lower value than a less severe one.
//   - lint.scope: on one input, the scope's own thresholds (1.3 (1))
//     against the grades its grades: criterion puts in scope (1.3 (3)).
//   - lint.unused-input: an input that is not context and no criterion
//     reads.
//
// Interpretation notes are not findings of the analysis: grading.yaml's
// come with the rules (see (*yingji.Plan).Lint). The result is never nil.
//
// LintRules is safe for concurrent use.
func LintRules(r *grading.Rules) []Finding {
	s, err := newSpace(r)
	if err != nil {
		return []Finding{incomplete("the rules could not be analysed: "+err.Error(), "无法分析规则："+err.Error())}
	}
	l := &linter{s: s, ctx: s.ctx, out: []Finding{}}
	l.run()
	if s.err != nil {
		l.out = append(l.out, incomplete("the rules could not be analysed wholly: "+s.err.Error(), "无法完整分析规则："+s.err.Error()))
	}
	slices.SortStableFunc(l.out, func(a, b Finding) int { return diag.Compare(a.Diagnostic, b.Diagnostic) })
	return l.out
}

// incomplete is the finding of an analysis that failed: the rules
// compiled, so it is a bug in the analysis.
func incomplete(summary, summaryZH string) Finding {
	return Finding{Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeIncomplete, Summary: summary,
		Detail: "the rules compiled, so the analysis should have handled them",
		Fix:    "report this as a bug in yingji, with the grading.yaml that causes it"},
		Ranges: []Bounds{},
		zh: zhText{summary: summaryZH, detail: "规则已经编译通过，分析本应能处理它们",
			fix: "请将此作为 yingji 的缺陷报告，并附上引起问题的 grading.yaml"}}
}

type linter struct {
	s      *space
	ctx    context.Context
	out    []Finding
	lines  map[int][]lineCell
	shadow map[*part]*shadowing
}

func (l *linter) outcome(inc Facts) *Outcome {
	o, err := Classify(l.ctx, l.s.r, inc)
	if err != nil {
		return nil
	}
	return &o
}

func (l *linter) add(f Finding) {
	if in, ok := l.s.r.Input(f.Input); ok {
		if f.Ranges == nil {
			f.Ranges = []Bounds{BoundsOf(in, f.Region)}
		}
		if f.Range == "" && len(f.Ranges) > 0 {
			f.Range = f.Ranges[0].Text
		}
		if i, ok := l.s.pos[f.Input]; ok {
			for _, k := range l.s.inputsOf(l.s.group[i]) {
				f.Kin = append(f.Kin, k.ID)
			}
		}
	}
	if f.Ranges == nil {
		f.Ranges = []Bounds{}
	}
	if f.Example != nil && f.Outcome == nil {
		f.Outcome = l.outcome(f.Example)
	}
	l.out = append(l.out, f)
}

// graded is how a finding's example reads: `{"endangered": 1} is graded 一般 (baseline: …)`.
func graded(inc Facts, o *Outcome) string {
	if o == nil {
		return "Example: " + inc.String() + "."
	}
	return fmt.Sprintf("Example: %s is graded %s.", inc, o)
}

func (l *linter) run() {
	s := l.s
	l.lines = map[int][]lineCell{}
	for i := range s.inputs {
		if s.levelsRead(i) {
			l.lines[i] = s.line(i, s.axisOf(i))
		}
	}
	l.shadow = map[*part]*shadowing{}
	for _, p := range s.parts {
		l.shadow[p] = s.shadowOf(p)
	}
	for i := range s.inputs {
		cells, ok := l.lines[i]
		if !ok {
			continue
		}
		l.gaps(i, cells)
		if t := s.inputs[i].Type; t == grading.Count || t == grading.Amount {
			l.overlaps(i, cells)
		}
		l.monotone(i, cells)
		l.order(i, cells)
		l.scopeAgreement(i, cells)
	}
	l.shadowed()
	l.unreachable()
	l.unused()
}

// site is where a finding stands: the position, YAML path and clause of
// the item it is about.
type site struct {
	at     diag.Range
	path   string
	clause string
}

func partSite(p *part) site { return site{p.at, p.path, p.crit.Clause} }

func levelSite(lv *grading.Level) site {
	return site{lv.At, fmt.Sprintf("levels[%d]", lv.Rank), lv.Clause}
}

func inputSite(in *grading.Input, yamlIndex int) site {
	return site{in.At, fmt.Sprintf("inputs[%d]", yamlIndex), in.Clause}
}

// leastLevel is the baseline, or else the least severe level.
func (l *linter) leastLevel() *grading.Level {
	ls := l.s.r.Levels()
	for _, lv := range ls {
		if lv.Baseline {
			return lv
		}
	}
	return ls[len(ls)-1]
}
