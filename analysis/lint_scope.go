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
		rng := Describe(in, region)
		ex := s.example(i, cells[a].rep)
		o := l.outcome(ex)
		sp := scopeParts[0]
		var summary, why string
		var criteria []string
		if st == 1 {
			sp = cells[a].scope[0]
			summary = fmt.Sprintf("%s puts %s %s in scope, but it is graded below %s", sp.crit.Clause, name(in), rng, levelName(refLevel))
			why = fmt.Sprintf("%s starts at %s, while the grades %s covers (%s and above) start", cite(sp), Describe(in, cells[a].iv), byGrades.Clause, levelName(refLevel))
			next := -1
			for k := b + 1; k < len(cells); k++ {
				if cells[k].grade >= 0 && cells[k].grade <= ref {
					next = k
					break
				}
			}
			if next >= 0 {
				why += " at " + Describe(in, cells[next].iv)
				if p := cells[next].first(); p != nil {
					why += " with " + cite(p)
					criteria = append(criteria, p.crit.ID)
				}
			} else {
				why += " nowhere above it on this input"
			}
			why += "."
		} else {
			summary = fmt.Sprintf("%s %s is graded %s or above, but is below %s's threshold", name(in), rng, levelName(refLevel), sp.crit.Clause)
			if p := cells[a].first(); p != nil {
				why = fmt.Sprintf("%s grades it %s; ", cite(p), levelName(p.level))
				criteria = append(criteria, p.crit.ID)
			}
			why += fmt.Sprintf("%s starts only at %s, so such an incident is in scope only through %s.",
				cite(sp), l.scopeStart(cells, sp, in), byGrades.Clause)
		}
		l.add(Finding{
			Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeScope, Subject: sp.at, Path: sp.path, Clause: sp.crit.Clause,
				Summary: summary,
				Detail:  why + " " + gradedScope(ex, o),
				Fix:     "align the two thresholds, or record which is meant in an interpretation: note",
				Params:  map[string]string{"input": in.ID, "range": rng, "criterion": sp.crit.Clause, "level": refLevel.ID, "grades": byGrades.Clause}},
			Input: in.ID, Region: region, Range: rng, Levels: []string{refLevel.ID},
			Criteria: append([]string{sp.crit.ID}, criteria...), Example: ex, Outcome: o,
		})
		a = b
	}
}

func (l *linter) scopeStart(cells []lineCell, sp *part, in *grading.Input) string {
	for _, c := range cells {
		if slices.Contains(c.scope, sp) {
			return Describe(in, c.iv)
		}
	}
	return "no value"
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
