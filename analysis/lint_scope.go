package analysis

// The scope against the levels: the scope's own thresholds (1.3 (1))
// against the grades its grades: criterion puts in scope (1.3 (3)).

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// scopeAgreement compares, on one input, the scope's own thresholds with
// the grades its grades: criterion puts in scope.
func (l *linter) scopeAgreement(i int, cells []lineCell) {
	s := l.s
	var byGrades *grading.Criterion
	ref := -1
	for _, cr := range s.r.ScopeCriteria() {
		for _, lv := range cr.Grades {
			if lv.Rank > ref {
				ref, byGrades = lv.Rank, cr
			}
		}
	}
	var scopeParts []*part
	for _, p := range s.scope {
		if p.reads&(1<<i) != 0 {
			scopeParts = append(scopeParts, p)
		}
	}
	if byGrades == nil || len(scopeParts) == 0 {
		return
	}
	in := s.inputs[i]
	refLevel := s.r.Levels()[ref]
	state := func(c lineCell) int {
		inScope := len(c.scope) > 0
		graded := c.grade >= 0 && c.grade <= ref
		switch {
		case inScope && !graded:
			return 1
		case graded && !inScope:
			return 2
		}
		return 0
	}
	for a := 1; a < len(cells); a++ {
		st := state(cells[a])
		if st == 0 {
			continue
		}
		b := a
		for b+1 < len(cells) && state(cells[b+1]) == st {
			b++
		}
		region := join(cells[a].cell, cells[b].cell)
		ranges := []Bounds{BoundsOf(in, region)}
		rng := ranges[0].Text
		ex := s.example(i, cells[a].rep)
		o := l.outcome(ex)
		sp := scopeParts[0]
		var summary, why, summaryZH, whyZH string
		var criteria []string
		state := "graded-not-in-scope"
		if st == 1 {
			state = "in-scope-graded-below"
			sp = cells[a].scope[0]
			// Where the scope part holds (the run around this range) and
			// where the grades it is compared with are given: whole runs.
			held := runWhere(cells, a, func(c lineCell) bool { return slices.Contains(c.scope, sp) })
			ranges = append(ranges, BoundsOf(in, held))
			summary = fmt.Sprintf("%s puts %s %s in scope, but it is graded below %s", sp.crit.Clause, name(in), rng, levelName(refLevel))
			why = fmt.Sprintf("%s puts %s in scope, while the grades %s covers (%s and above) are given", cite(sp), ranges[1].Text, byGrades.Clause, levelName(refLevel))
			summaryZH = fmt.Sprintf("%s 将 %s %s 纳入适用范围，但其级别低于 %s", sp.crit.Clause, name(in), rng, levelName(refLevel))
			whyZH = fmt.Sprintf("%s 将 %s 纳入适用范围，而 %s 所涵盖的级别（%s 及以上）", cite(sp), ranges[1].Text, byGrades.Clause, levelName(refLevel))
			next := -1
			for k := b + 1; k < len(cells); k++ {
				if cells[k].grade >= 0 && cells[k].grade <= ref {
					next = k
					break
				}
			}
			if next >= 0 {
				graded := runWhere(cells, next, func(c lineCell) bool { return c.grade >= 0 && c.grade <= ref })
				ranges = append(ranges, BoundsOf(in, graded))
				why += " to " + ranges[2].Text
				whyZH += "给的是 " + ranges[2].Text
				if p := cells[next].first(); p != nil {
					why += ", first by " + cite(p)
					whyZH += "，首先依据 " + cite(p)
					criteria = append(criteria, p.crit.ID)
				}
			} else {
				why += " to no value above it on this input"
				whyZH += "在本输入上不给任何更高的值"
			}
			why += "."
			whyZH += "。"
		} else {
			for _, p := range scopeParts {
				if slices.ContainsFunc(cells, func(c lineCell) bool { return slices.Contains(c.scope, p) }) {
					sp = p
					break
				}
			}
			summary = fmt.Sprintf("%s %s is graded %s or above, but is below %s's threshold", name(in), rng, levelName(refLevel), sp.crit.Clause)
			summaryZH = fmt.Sprintf("%s %s 被定为 %s 或以上，但低于 %s 的适用范围阈值", name(in), rng, levelName(refLevel), sp.crit.Clause)
			if p := cells[a].first(); p != nil {
				why = fmt.Sprintf("%s grades it %s; ", cite(p), levelName(p.level))
				whyZH = fmt.Sprintf("%s 将其定为 %s；", cite(p), levelName(p.level))
				criteria = append(criteria, p.crit.ID)
			}
			if k := slices.IndexFunc(cells, func(c lineCell) bool { return slices.Contains(c.scope, sp) }); k >= 0 {
				ranges = append(ranges, BoundsOf(in, runWhere(cells, k, func(c lineCell) bool { return slices.Contains(c.scope, sp) })))
				why += fmt.Sprintf("%s puts only %s in scope", cite(sp), ranges[1].Text)
				whyZH += fmt.Sprintf("%s 只将 %s 纳入适用范围", cite(sp), ranges[1].Text)
			} else {
				why += fmt.Sprintf("%s puts no value of %s in scope", cite(sp), in.ID)
				whyZH += fmt.Sprintf("%s 没有将 %s 的任何值纳入适用范围", cite(sp), in.ID)
			}
			why += fmt.Sprintf(", so such an incident is in scope only through %s.", byGrades.Clause)
			whyZH += fmt.Sprintf("，因此这样的事故只能通过 %s 纳入适用范围。", byGrades.Clause)
		}
		l.add(Finding{
			Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeScope, Subject: sp.at, Path: sp.path, Clause: sp.crit.Clause,
				Summary: summary,
				Detail:  why + " " + gradedScope(ex, o),
				Fix:     "align the two thresholds, or record which is meant in an interpretation: note",
				Params:  map[string]string{"input": in.ID, "range": rng, "criterion": sp.crit.Clause, "level": refLevel.ID, "grades": byGrades.Clause, "state": state}},
			Input: in.ID, Region: region, Range: rng, Ranges: ranges, Levels: []string{refLevel.ID},
			Criteria: append([]string{sp.crit.ID}, criteria...), Example: ex, Outcome: o,
			zh: zhText{summary: summaryZH, detail: whyZH + gradedScopeZH(ex, o),
				fix: "使两个阈值一致，或在 interpretation: 说明中记录以哪一个为准"},
		})
		a = b
	}
}

// runWhere is the range of the maximal run of cells around k where keep
// holds (k's own cell included).
func runWhere(cells []lineCell, k int, keep func(lineCell) bool) grading.Interval {
	a, b := k, k
	for a > 0 && keep(cells[a-1]) {
		a--
	}
	for b+1 < len(cells) && keep(cells[b+1]) {
		b++
	}
	return join(cells[a].cell, cells[b].cell)
}

// gradedScope is graded, with whether the example is in scope.
func gradedScope(inc Facts, o *Outcome) string {
	s := graded(inc, o)
	if o != nil && o.InScope != nil {
		in := "in scope"
		if !*o.InScope {
			in = "not in scope"
		}
		s = strings.TrimSuffix(s, ".") + ", " + in + "."
	}
	return s
}
