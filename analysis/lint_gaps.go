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
		rng := Describe(in, region)
		var why, whyZH string
		switch {
		case below != nil && above != nil:
			why = fmt.Sprintf("%s ends below it and %s starts above it, so only other facts or the baseline can grade it.", cite(below), cite(above))
			whyZH = fmt.Sprintf("%s 止于其下，%s 始于其上，只有其他事实或基线能为它定级。", cite(below), cite(above))
		case above != nil:
			why = fmt.Sprintf("The lowest level naming %s is %s, from %s; no level's criterion names less.", in.ID, levelName(above.level), cite(above))
			whyZH = fmt.Sprintf("涵盖 %s 的最低级别是 %s，自 %s 起；没有级别的标准涵盖更小的值。", in.ID, levelName(above.level), cite(above))
		case below != nil:
			why = fmt.Sprintf("%s ends below it and no level names more.", cite(below))
			whyZH = fmt.Sprintf("%s 止于其下，没有级别涵盖更大的值。", cite(below))
		}
		// An all: whose condition on this input holds here names the range
		// only together with its other conditions: often any: was meant.
		if all := l.allNaming(i, cells[a].rep); all != nil {
			why += fmt.Sprintf(" %s's all: (%s) would name it, but only with all its other conditions; if any one of them is meant, write any:.", all.crit.Clause, all.at)
			whyZH += fmt.Sprintf("%s 的 all:（%s）只有在其他条件全部成立时才涵盖它；如果本意是其中任一条件，应写 any:。", all.crit.Clause, all.at)
		}
		// The finding stands at the range's lower neighbour, else at the
		// level every unnamed incident falls to.
		var w site
		var levels, criteria []string
		if below != nil {
			w = partSite(below)
			levels, criteria = []string{below.level.ID}, []string{below.crit.ID}
		} else {
			lv := l.leastLevel()
			w = levelSite(lv)
			levels = []string{lv.ID}
		}
		if above != nil {
			levels, criteria = append(levels, above.level.ID), append(criteria, above.crit.ID)
		}
		f := Finding{
			Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeGap, Subject: w.at, Path: w.path, Clause: w.clause,
				Summary: fmt.Sprintf("%s %s is named by no level's criterion", name(in), rng),
				Detail:  strings.TrimSpace(why + " " + graded(ex, o)),
				Fix:     fmt.Sprintf("name %s in a level's criterion, or record why not in an interpretation: note", rng),
				Params:  map[string]string{"input": in.ID, "range": rng}},
			Input: in.ID, Region: region, Range: rng, Levels: levels, Criteria: criteria, Example: ex, Outcome: o,
			zh: zhText{summary: fmt.Sprintf("%s %s 没有被任何级别的标准涵盖", name(in), rng),
				detail: whyZH + gradedZH(ex, o),
				fix:    fmt.Sprintf("在某一级别的标准中写明 %s，或在 interpretation: 说明中记录不写的理由", rng)},
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
	levels, criteria := []string{p.level.ID}, []string{p.crit.ID}
	var clauses, cites []string
	for _, q := range over {
		clauses = append(clauses, q.crit.Clause)
		cites = append(cites, cite(q))
		levels = append(levels, q.level.ID)
		criteria = append(criteria, q.crit.ID)
	}
	l.add(Finding{
		Diagnostic: diag.Diagnostic{Severity: diag.Warning, Code: CodeOverlap, Subject: p.at, Path: p.path, Clause: p.crit.Clause,
			Summary: fmt.Sprintf("%s %s is named by both %s (%s) and %s (%s)", name(in), rng,
				p.crit.Clause, levelName(p.level), strings.Join(clauses, ", "), levelName(over[0].level)),
			Detail: fmt.Sprintf("%s reaches into the range of %s; the more severe level wins there, so %s decides only outside that range (%s). %s",
				cite(p), strings.Join(cites, ", "), p.crit.Clause, rng, graded(ex, o)),
			Fix:    fmt.Sprintf("bound %s where the more severe level starts, or record the reading in an interpretation: note", p.crit.Clause),
			Params: map[string]string{"input": in.ID, "range": rng, "criterion": p.crit.Clause, "over": strings.Join(clauses, ", ")}},
		Input: in.ID, Region: region, Range: rng, Levels: levels, Criteria: criteria, Example: ex, Outcome: o,
		zh: zhText{summary: fmt.Sprintf("%s %s 同时被 %s（%s）和 %s（%s）涵盖", name(in), rng,
			p.crit.Clause, levelName(p.level), strings.Join(clauses, "、"), levelName(over[0].level)),
			detail: fmt.Sprintf("%s 伸入 %s 的范围；在该处较重的级别优先，因此 %s 只在该范围（%s）之外起决定作用。%s",
				cite(p), strings.Join(cites, "、"), p.crit.Clause, rng, gradedZH(ex, o)),
			fix: fmt.Sprintf("将 %s 限定在较重级别的起点以下，或在 interpretation: 说明中记录所取的解读", p.crit.Clause)},
	})
}

// allNaming is the first alternative written as an all: one of whose
// conditions reads input i and holds at value x of it (every other input
// at its least value): the all: would name x if it were an any:.
func (l *linter) allNaming(i int, x float64) *part {
	pt := l.s.least()
	pt[i] = x
	var e *evaluation
	for _, p := range l.s.parts {
		if p.cond.Op != grading.OpAll || p.reads&(1<<i) == 0 {
			continue
		}
		if e == nil {
			e = l.s.at(pt)
		}
		for _, k := range p.cond.Kids {
			if l.s.mask(k.InputIDs(l.s.r))&(1<<i) != 0 && e.holds(&part{cond: k}) {
				return p
			}
		}
	}
	return nil
}
