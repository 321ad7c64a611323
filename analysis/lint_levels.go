package analysis

// Checks of the levels as a whole: levels no incident can get, grades that
// fall as harm grows, and thresholds out of order between levels.

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// unreachable reports levels no incident can get: every alternative of a
// level is shadowed or never holds, or, for the baseline, every point
// searched grades above it.
func (l *linter) unreachable() {
	s := l.s
	for _, lv := range s.r.Levels() {
		if lv.Baseline {
			if l.baselineReached(lv) {
				continue
			}
			ex := Facts{}
			o := l.outcome(ex)
			w := levelSite(lv)
			l.add(Finding{
				Diagnostic: diag.Diagnostic{Severity: diag.Error, Code: CodeUnreachable, Subject: w.at, Path: w.path, Clause: w.clause,
					Summary: fmt.Sprintf("no incident can be graded %s: a more severe level holds even with no harm recorded", levelName(lv)),
					Detail:  graded(ex, o),
					Fix:     "find the more severe criterion that holds at the least values and correct it",
					Params:  map[string]string{"level": lv.ID}},
				Levels: []string{lv.ID}, Example: ex, Outcome: o,
				zh: zhText{summary: fmt.Sprintf("没有事故能被定为 %s：即使未记录任何损害，也有更重的级别成立", levelName(lv)),
					detail: gradedZH(ex, o),
					fix:    "找出在各输入取最小值时就成立的更重标准，并加以更正"},
			})
			continue
		}
		ps := s.level[lv.Rank]
		if len(ps) == 0 {
			continue
		}
		dead := true
		var by []string
		for _, p := range ps {
			sh := l.shadow[p]
			if sh.holds && !sh.shadowed() {
				dead = false
				break
			}
			for _, q := range sh.by {
				if !slices.Contains(by, q.crit.Clause) {
					by = append(by, q.crit.Clause)
				}
			}
		}
		if !dead {
			continue
		}
		why, fix := "the more severe criteria "+strings.Join(by, ", ")+" hold wherever its criteria do", "give the level ranges of its own"
		whyZH, fixZH := "凡其标准成立之处，更重的标准 "+strings.Join(by, "、")+" 都成立", "为该级别设定其自身的范围"
		if len(by) == 0 {
			why, fix = "none of its criteria can hold", "correct their thresholds"
			whyZH, fixZH = "它的任何标准都不可能成立", "更正这些标准的阈值"
		}
		w := levelSite(lv)
		l.add(Finding{
			Diagnostic: diag.Diagnostic{Severity: diag.Error, Code: CodeUnreachable, Subject: w.at, Path: w.path, Clause: w.clause,
				Summary: fmt.Sprintf("no incident can be graded %s: every criterion of %s is shadowed or never holds", levelName(lv), lv.Clause),
				Detail:  why, Fix: fix,
				Params: map[string]string{"level": lv.ID}},
			Levels: []string{lv.ID},
			zh: zhText{summary: fmt.Sprintf("没有事故能被定为 %s：%s 的每一项标准都被遮蔽或永不成立", levelName(lv), lv.Clause),
				detail: whyZH, fix: fixZH},
		})
	}
}

func (l *linter) baselineReached(lv *grading.Level) bool {
	if g := l.s.at(l.s.least()).grade(); g == lv.Rank {
		return true
	}
	for _, cells := range l.lines {
		for _, c := range cells {
			if c.grade == lv.Rank {
				return true
			}
		}
	}
	return len(l.lines) == 0
}

// monotone reports runs of cells graded less severely than a cell below
// them: more harm, lower grade.
func (l *linter) monotone(i int, cells []lineCell) {
	in := l.s.inputs[i]
	levels := l.s.r.Levels()
	sev := func(g int) int {
		if g < 0 {
			return len(levels)
		}
		return g
	}
	best, at := sev(cells[0].grade), 0
	for k := 1; k < len(cells); k++ {
		g := sev(cells[k].grade)
		if g <= best {
			best, at = g, k
			continue
		}
		// The run graded alike, and the run at the more severe grade just
		// below it: both ranges whole, not the cells next to each other.
		b := k
		for b+1 < len(cells) && cells[b+1].grade == cells[k].grade {
			b++
		}
		a0 := at
		for a0 > 0 && sev(cells[a0-1].grade) == best {
			a0--
		}
		region, higherRegion := join(cells[k].cell, cells[b].cell), join(cells[a0].cell, cells[at].cell)
		ex := l.s.example(i, cells[k].rep)
		o := l.outcome(ex)
		higher := levels[best]
		lower := "no level"
		if cells[k].grade >= 0 {
			lower = levelName(levels[cells[k].grade])
		}
		ranges := []Bounds{BoundsOf(in, region), BoundsOf(in, higherRegion)}
		rng, higherRng := ranges[0].Text, ranges[1].Text
		// The finding stands at the more severe range's criterion, else at
		// the input.
		w := inputSite(in, l.s.yaml[in.ID])
		var criteria []string
		if p := cells[at].first(); p != nil && p.level == higher {
			w, criteria = partSite(p), []string{p.crit.ID}
		}
		l.add(Finding{
			Diagnostic: diag.Diagnostic{Severity: diag.Error, Code: CodeNonMonotone, Subject: w.at, Path: w.path, Clause: w.clause,
				Summary: fmt.Sprintf("more %s gives a lower grade: %s is %s, though %s is %s", in.ID, rng, lower, higherRng, levelName(higher)),
				Detail:  "A grade must not fall as harm grows. " + graded(ex, o),
				Fix:     "extend the more severe range up to where the next one starts, or bound the next range from where this one ends",
				Params:  map[string]string{"input": in.ID, "range": rng, "level": lower, "below": higherRng, "belowLevel": levelName(higher)}},
			Input: in.ID, Region: region, Range: rng, Ranges: ranges, Levels: []string{higher.ID}, Criteria: criteria, Example: ex, Outcome: o,
			zh: zhText{summary: fmt.Sprintf("%s 越多，级别反而越低：%s 为 %s，而 %s 为 %s", in.ID, rng, levelNameZH(lower), higherRng, levelName(higher)),
				detail: "级别不应随损害增加而降低。" + gradedZH(ex, o),
				fix:    "将较重的范围延伸到下一范围的起点，或让下一范围从本范围的终点开始"},
		})
		k = b
	}
}

// order reports a more severe level that names an input from a lower
// value than a less severe level does (alternatives wholly shadowed are
// left to the shadowed finding).
func (l *linter) order(i int, cells []lineCell) {
	in := l.s.inputs[i]
	n := len(l.s.level)
	low := make([]int, n)
	by := make([]*part, n)
	for rank := range low {
		low[rank] = -1
	}
	for k, c := range cells {
		for rank, ps := range c.named {
			if low[rank] >= 0 {
				continue
			}
			for _, p := range ps {
				if !l.shadow[p].shadowed() {
					low[rank], by[rank] = k, p
					break
				}
			}
		}
	}
	for a := 0; a < n; a++ {
		for b := a + 1; b < n; b++ {
			if low[a] < 0 || low[b] < 0 || low[a] >= low[b] {
				continue
			}
			pa, pb := by[a], by[b]
			// The whole run each level names from where it starts, not
			// the first cell alone.
			region := namedRun(cells, low[a], a)
			ranges := []Bounds{BoundsOf(in, region), BoundsOf(in, namedRun(cells, low[b], b))}
			ex := l.s.example(i, cells[low[a]].rep)
			o := l.outcome(ex)
			namesA, namesB := ranges[0].Text, ranges[1].Text
			l.add(Finding{
				Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeThresholdOrder, Subject: pa.at, Path: pa.path, Clause: pa.crit.Clause,
					Summary: fmt.Sprintf("thresholds out of order on %s: %s (%s) names %s, below %s (%s), which names %s",
						in.ID, pa.crit.Clause, levelName(pa.level), namesA, pb.crit.Clause, levelName(pb.level), namesB),
					Detail: fmt.Sprintf("A more severe level should start where a less severe one ends: %s, %s. %s",
						cite(pa), cite(pb), graded(ex, o)),
					Fix:    "check the two thresholds against the text",
					Params: map[string]string{"input": in.ID, "criterion": pa.crit.Clause, "range": namesA, "other": pb.crit.Clause, "otherRange": namesB}},
				Input: in.ID, Region: region, Ranges: ranges, Levels: []string{pa.level.ID, pb.level.ID}, Criteria: []string{pa.crit.ID, pb.crit.ID}, Example: ex, Outcome: o,
				zh: zhText{summary: fmt.Sprintf("%s 的阈值顺序颠倒：%s（%s）涵盖 %s，低于 %s（%s）涵盖的 %s",
					in.ID, pa.crit.Clause, levelName(pa.level), namesA, pb.crit.Clause, levelName(pb.level), namesB),
					detail: fmt.Sprintf("较重的级别应从较轻级别的终点开始：%s，%s。%s", cite(pa), cite(pb), gradedZH(ex, o)),
					fix:    "对照原文核对这两个阈值"},
			})
		}
	}
}

// namedRun is the range of the run of cells from k on that level rank
// names.
func namedRun(cells []lineCell, k, rank int) grading.Interval {
	b := k
	for b+1 < len(cells) && len(cells[b+1].named[rank]) > 0 {
		b++
	}
	return join(cells[k].cell, cells[b].cell)
}
