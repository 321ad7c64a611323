package analysis

// Shadowed and unsatisfiable alternatives: those that can never decide a
// grade, searched over the cells of the inputs each reads.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// shadowing is what shadowOf found about one alternative.
type shadowing struct {
	holds bool      // it holds somewhere
	open  bool      // somewhere it holds, no more severe level does
	by    []*part   // more severe alternatives that hold where it does
	where []float64 // a point where it holds (the first found)
	skip  bool      // too many points to search
}

func (sh *shadowing) shadowed() bool { return sh != nil && sh.holds && !sh.open && !sh.skip }

// maxGrid caps the points searched for one alternative.
const maxGrid = 1 << 18

// shadowOf decides whether p can ever decide a grade: it searches the
// cells of the inputs p reads (every other input at its least value) for a
// point where p holds and no more severe level holds through those inputs.
func (s *space) shadowOf(p *part) *shadowing {
	sh := &shadowing{}
	var idx []int
	var axes [][]cell
	size := 1
	// The last input varies slowest, so the first example found moves the
	// first input alone.
	for i := len(s.inputs) - 1; i >= 0; i-- {
		if p.reads&(1<<i) != 0 {
			ax := s.axisOf(i)
			idx = append(idx, i)
			axes = append(axes, ax)
			size *= len(ax)
			if size > maxGrid {
				sh.skip = true
				return sh
			}
		}
	}
	seen := map[*part]bool{}
	pt := s.least()
	var walk func(k int) bool
	walk = func(k int) bool {
		if k == len(idx) {
			e := s.at(pt)
			if !e.holds(p) {
				return true
			}
			if !sh.holds {
				sh.holds = true
				sh.where = slices.Clone(pt)
			}
			for _, ps := range s.level[:p.level.Rank] {
				for _, q := range ps {
					if q.reads&p.reads != 0 && e.holds(q) {
						if !seen[q] {
							seen[q] = true
							sh.by = append(sh.by, q)
						}
						return true
					}
				}
			}
			sh.open = true
			sh.where = slices.Clone(pt)
			return false
		}
		for _, c := range axes[k] {
			pt[idx[k]] = c.rep
			if !walk(k + 1) {
				return false
			}
		}
		pt[idx[k]] = 0
		return true
	}
	walk(0)
	return sh
}

func (l *linter) shadowed() {
	s := l.s
	for _, p := range s.parts {
		sh := l.shadow[p]
		if sh.skip {
			l.add(Finding{Diagnostic: diag.Diagnostic{Severity: diag.Info, Code: CodeIncomplete, Subject: p.at, Path: p.path, Clause: p.crit.Clause,
				Summary: fmt.Sprintf("%s reads too many inputs together to search for shadowing", p.crit.Clause),
				Detail:  fmt.Sprintf("its inputs have more than %d points together; it was not checked", maxGrid),
				Fix:     "split it into alternatives (any:) that read fewer inputs each"},
				Ranges: []Bounds{},
				zh: zhText{summary: fmt.Sprintf("%s 同时读取的输入过多，无法搜索是否被遮蔽", p.crit.Clause),
					detail: fmt.Sprintf("其输入合计超过 %d 个点，未检查", maxGrid),
					fix:    "将它拆分为各自读取较少输入的选项（any:）"}})
			continue
		}
		what := fmt.Sprintf("%s (%q)", p.crit.Clause, p.threshold())
		whatZH := fmt.Sprintf("%s（%q）", p.crit.Clause, p.threshold())
		if l.partsOf(p.crit) > 1 {
			what = fmt.Sprintf("the alternative %q of %s", p.written(), p.crit.Clause)
			whatZH = fmt.Sprintf("%s 的选项 %q", p.crit.Clause, p.written())
		}
		if !sh.holds {
			l.add(Finding{
				Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeUnsatisfiable, Subject: p.at, Path: p.path, Clause: p.crit.Clause,
					Summary: fmt.Sprintf("%s can never hold", what),
					Detail:  "no value of the inputs it reads satisfies it",
					Fix:     "correct its thresholds or remove it",
					Params:  map[string]string{"criterion": p.crit.Clause, "alternative": p.written()}},
				Levels: []string{p.level.ID}, Criteria: []string{p.crit.ID},
				zh: zhText{summary: whatZH + " 永远不成立", detail: "它所读取的输入没有任何取值能满足它", fix: "更正它的阈值或删除它"},
			})
			continue
		}
		if !sh.shadowed() {
			continue
		}
		ex := s.exampleAt(sh.where, p.reads|l.groupOf(p.reads))
		o := l.outcome(ex)
		levels, criteria := []string{p.level.ID}, []string{p.crit.ID}
		var cites, clauses []string
		for _, q := range sh.by {
			cites = append(cites, cite(q))
			clauses = append(clauses, q.crit.Clause)
			levels = append(levels, q.level.ID)
			criteria = append(criteria, q.crit.ID)
		}
		var input, rng string
		var region grading.Interval
		where, whereZH := "wherever it holds", "凡它成立之处"
		if ins := s.inputsOf(p.reads); len(ins) == 1 {
			if reg, ok := l.holdRegion(p, s.pos[ins[0].ID]); ok {
				input, region, rng = ins[0].ID, reg, Describe(ins[0], reg)
				where = fmt.Sprintf("wherever it holds (%s %s)", input, rng)
				whereZH = fmt.Sprintf("凡它成立之处（%s %s）", input, rng)
			}
		}
		l.add(Finding{
			Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeShadowed, Subject: p.at, Path: p.path, Clause: p.crit.Clause,
				Summary: fmt.Sprintf("%s can never decide a grade: %s (%s) always wins there", what, strings.Join(clauses, ", "), levelName(sh.by[0].level)),
				Detail: fmt.Sprintf("%s, %s also holds and the more severe level wins. %s",
					where, strings.Join(cites, ", "), graded(ex, o)),
				Fix:    "give it a range of its own or remove it",
				Params: map[string]string{"criterion": p.crit.Clause, "alternative": p.written(), "by": strings.Join(clauses, ", ")}},
			Input: input, Region: region, Range: rng, Levels: levels, Criteria: criteria, Example: ex, Outcome: o,
			zh: zhText{summary: fmt.Sprintf("%s 永远不能决定级别：在该处 %s（%s）总是优先", whatZH, strings.Join(clauses, "、"), levelName(sh.by[0].level)),
				detail: fmt.Sprintf("%s，%s 同样成立，较重的级别优先。%s", whereZH, strings.Join(cites, "、"), gradedZH(ex, o)),
				fix:    "给它一个自己的范围，或删除它"},
		})
	}
}

func (l *linter) partsOf(cr *grading.Criterion) int {
	n := 0
	for _, q := range l.s.parts {
		if q.crit == cr {
			n++
		}
	}
	return n
}

func (l *linter) groupOf(mask uint64) uint64 {
	var m uint64
	for i := range l.s.inputs {
		if mask&(1<<i) != 0 {
			m |= l.s.group[i]
		}
	}
	return m
}

func (s *space) inputsOf(mask uint64) []*grading.Input {
	var out []*grading.Input
	for i, in := range s.inputs {
		if mask&(1<<i) != 0 {
			out = append(out, in)
		}
	}
	return out
}

// holdRegion is the range of input i where p holds on i's line, when it is
// one run of cells.
func (l *linter) holdRegion(p *part, i int) (grading.Interval, bool) {
	cells := l.lines[i]
	a, b := -1, -1
	for k, c := range cells {
		if slices.Contains(c.named[p.level.Rank], p) {
			if a < 0 {
				a = k
			} else if b != k-1 {
				return grading.Interval{}, false
			}
			b = k
		}
	}
	if a < 0 {
		return grading.Interval{}, false
	}
	return join(cells[a].cell, cells[b].cell), true
}
