package analysis

// Gaps and overlaps: ranges of one input that no level names, or that two
// levels name.

import (
	"fmt"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// gaps reports runs of cells, past the least value, that no level names,
// through the input or through a co-member of its derived quantities: with
// no deaths, 1 missing is named by 一般's "3 人以下死亡".
func (l *linter) gaps(i int, cells []lineCell) {
	in := l.s.inputs[i]
	unnamed := func(c lineCell) bool { return c.kin == 0 && len(c.levels()) == 0 }
	for a := 1; a < len(cells); a++ {
		if !unnamed(cells[a]) {
			continue
		}
		b := a
		for b+1 < len(cells) && unnamed(cells[b+1]) {
			b++
		}
		region := join(cells[a].cell, cells[b].cell)
		var below, above *part
		if a > 0 {
			below = cells[a-1].first()
		}
		if b+1 < len(cells) {
			above = cells[b+1].first()
		}
		ex := l.s.example(i, cells[a].rep)
		o := l.outcome(ex)
		f := Finding{Input: in.ID, Region: region, Example: ex, Outcome: o}
		f.Severity, f.Code = diag.Warning, CodeGap
		rng := Describe(in, region)
		f.Summary = fmt.Sprintf("%s %s is named by no level's criterion", name(in), rng)
		var det []string
		switch {
		case below != nil && above != nil:
			det = append(det, fmt.Sprintf("%s ends below it and %s starts above it, so only other facts or the baseline can grade it.", cite(below), cite(above)))
		case above != nil:
			det = append(det, fmt.Sprintf("The lowest level naming %s is %s, from %s; no level's criterion names less.", in.ID, levelName(above.level), cite(above)))
		case below != nil:
			det = append(det, fmt.Sprintf("%s ends below it and no level names more.", cite(below)))
		}
		det = append(det, graded(ex, o))
		det = append(det, fmt.Sprintf("Name %s in the criterion of the level it belongs to, or record why it is left out in an interpretation: note.", rng))
		f.Detail = strings.Join(det, " ")
		switch {
		case below != nil:
			f.Subject, f.Path, f.Clause = below.at, below.path, below.crit.Clause
			f.Criteria = append(f.Criteria, below.crit.ID)
			f.Levels = append(f.Levels, below.level.ID)
		default:
			lv := l.leastLevel()
			f.Subject, f.Path, f.Clause = lv.At, fmt.Sprintf("levels[%d]", lv.Rank), lv.Clause
			f.Levels = append(f.Levels, lv.ID)
		}
		if above != nil {
			f.Criteria = append(f.Criteria, above.crit.ID)
			f.Levels = append(f.Levels, above.level.ID)
		}
		l.add(f)
		a = b
	}
}

// overlaps reports, for each alternative of a less severe level that is
// not wholly shadowed, the runs of cells where a more severe level names
// the input too.
func (l *linter) overlaps(i int, cells []lineCell) {
	in := l.s.inputs[i]
	type key struct {
		p    *part
		over string
	}
	var order []key
	at := map[key][]int{}
	with := map[key][]*part{}
	for k, c := range cells {
		for rank, ps := range c.named {
			var over []*part
			var ids []string
			for _, ps2 := range c.named[:rank] {
				if len(ps2) > 0 {
					over = append(over, ps2[0])
					ids = append(ids, ps2[0].crit.ID)
				}
			}
			if len(over) == 0 {
				continue
			}
			for _, p := range ps {
				if l.shadow[p].shadowed() {
					continue
				}
				kk := key{p, strings.Join(ids, "\x00")}
				if _, ok := at[kk]; !ok {
					order = append(order, kk)
					with[kk] = over
				}
				at[kk] = append(at[kk], k)
			}
		}
	}
	for _, kk := range order {
		ks := at[kk]
		for a := 0; a < len(ks); {
			b := a
			for b+1 < len(ks) && ks[b+1] == ks[b]+1 {
				b++
			}
			l.reportOverlap(in, i, cells, kk.p, ks[a], ks[b], with[kk])
			a = b + 1
		}
	}
}

func (l *linter) reportOverlap(in *grading.Input, i int, cells []lineCell, p *part, a, b int, over []*part) {
	region := join(cells[a].cell, cells[b].cell)
	rng := Describe(in, region)
	ex := l.s.example(i, cells[a].rep)
	o := l.outcome(ex)
	var clauses, cites []string
	f := Finding{Input: in.ID, Region: region, Example: ex, Outcome: o,
		Levels: []string{p.level.ID}, Criteria: []string{p.crit.ID}}
	for _, q := range over {
		clauses = append(clauses, q.crit.Clause)
		cites = append(cites, cite(q))
		f.Levels = append(f.Levels, q.level.ID)
		f.Criteria = append(f.Criteria, q.crit.ID)
	}
	f.Severity, f.Code = diag.Warning, CodeOverlap
	f.Subject, f.Path, f.Clause = p.at, p.path, p.crit.Clause
	f.Summary = fmt.Sprintf("%s %s is named by both %s (%s) and %s (%s)", name(in), rng,
		p.crit.Clause, levelName(p.level), strings.Join(clauses, ", "), levelName(over[0].level))
	f.Detail = fmt.Sprintf("%s reaches into the range of %s; the more severe level wins there, so %s decides only outside that range (%s). %s Bound %s where the more severe level starts, or record the reading in an interpretation: note.",
		cite(p), strings.Join(cites, ", "), p.crit.Clause, rng, graded(ex, o), p.crit.Clause)
	l.add(f)
}
