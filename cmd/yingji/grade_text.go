package main

import (
	"fmt"
	"strings"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
)

// gradeText renders a grade for the person on duty: the grade and its
// response level, one line on what the unknown facts could still do, the
// deciding criterion with its clause and sentence, who may activate the
// response and the scope; with all, the criteria that hold at lower
// levels, every unknown fact and the interpretations taken.
func gradeText(p *yingji.Plan, res *grading.Result, l lang, all bool) string {
	var b strings.Builder
	r := p.Grading
	lv, ok := res.Level()
	if !ok {
		b.WriteString(l.Pick("没有符合的级别，且预案未规定基准级别。\n", "No level matched, and the plan declares no baseline level.\n"))
		writePlanLine(&b, p, l)
		return b.String()
	}
	ev, _ := r.Evaluate(res.Incident())

	// The grade and its response level.
	if l == en {
		fmt.Fprintf(&b, "Grade: %s (%s)", lv.Name, lv.ID)
		if lv.Response.ID != "" {
			fmt.Fprintf(&b, " · response %s", responseName(lv.Response))
		}
	} else {
		b.WriteString(lv.Name)
		if lv.Response.ID != "" {
			b.WriteString(" · " + responseName(lv.Response))
		}
	}
	b.WriteString("\n")

	// Could the unknown facts still raise it, and how high?
	b.WriteString(ceilingLine(res, lv, l))

	// The deciding criteria: those matched at the grade's level.
	decided := false
	for m := range res.Matches() {
		if m.Criterion.Level != lv {
			continue
		}
		decided = true
		writeCriterion(&b, res, ev, m.Criterion, l.Pick("依据：", "Because: "), l)
	}
	if !decided && lv.Baseline {
		fmt.Fprintf(&b, l.Pick("依据：%s 为基准级别，未达到更高级别的事故均为%s（%s）\n", "Because: %s is the baseline: every incident is at least %s [%s]\n"), lv.Name, lv.Name, lv.Clause)
	}

	// Who may activate the response (4.2, 4.3).
	if len(lv.Authority.Bodies) > 0 {
		fmt.Fprintf(&b, l.Pick("启动：%s", "Activated by: %s"), strings.Join(lv.Authority.Bodies, l.Pick(" 或 ", " or ")))
		writeClause(&b, lv.Authority.Clause, l)
		b.WriteString("\n")
	}

	// The plan's scope (1.3).
	if sc := r.Scope(); sc.Clause != "" || len(r.ScopeCriteria()) > 0 {
		if res.InScope() {
			var cl []string
			for _, m := range res.ScopeMatched() {
				cl = append(cl, m.Criterion.Clause)
			}
			fmt.Fprintf(&b, l.Pick("适用范围：属于本预案适用范围（%s）\n", "Scope: within this plan's scope [%s]\n"), strings.Join(cl, l.Pick("、", "; ")))
		} else {
			b.WriteString(l.Pick("适用范围：不属于本预案适用范围", "Scope: not within this plan's scope"))
			writeClause(&b, sc.Clause, l)
			b.WriteString("\n")
		}
	}

	b.WriteString(factsLine(res, l))

	if all {
		writeGradeDetails(&b, p, res, ev, lv, l)
		b.WriteString("\n")
	}
	writePlanLine(&b, p, l)
	return b.String()
}

// responseName is the response level as the plan writes it (Ⅱ级应急响应),
// or its id when the plan gives no name.
func responseName(resp grading.Response) string {
	if resp.Name != "" {
		return resp.Name
	}
	return resp.ID
}

// ceilingLine says whether the grade is settled or how high the unknown
// facts could still take it, naming the facts that could take it there.
func ceilingLine(res *grading.Result, lv *grading.Level, l lang) string {
	ceil, ok := res.Ceiling()
	if !ok || ceil == lv {
		if anyUnknown(res) {
			return l.Pick("级别已定：其余未知事实不会再提高级别\n", "Settled: no unknown fact could raise the grade\n")
		}
		return l.Pick("级别已定：分级所需事实均已知\n", "Settled: every fact the grading uses is known\n")
	}
	var names []string
	for _, u := range res.Unknowns() {
		if u.CouldReach == ceil {
			names = append(names, inputLabel(u.Input))
		}
	}
	return fmt.Sprintf(l.Pick("尚有未知事实：最高可能升至 %s（%s）\n", "Provisional: unknown facts could still raise it to %s (%s)\n"),
		ceil.Name, strings.Join(names, l.Pick("、", ", ")))
}

// anyUnknown reports whether some graded input of the incident is unknown.
func anyUnknown(res *grading.Result) bool {
	inc := res.Incident()
	for _, in := range res.Rules().Inputs() {
		if !in.Context && in.Type != grading.List && !inc.Known(in.ID) {
			return true
		}
	}
	return false
}

func inputLabel(in *grading.Input) string {
	if in.Label != "" {
		return in.Label
	}
	return in.ID
}

// writeCriterion writes one matched criterion: its clause and sentence,
// then the figures of the alternatives that hold.
func writeCriterion(b *strings.Builder, res *grading.Result, ev *grading.Evaluation, cr *grading.Criterion, lead string, l lang) {
	fmt.Fprintf(b, "%s%s「%s」\n", lead, cr.Clause, cr.Text)
	indent := strings.Repeat(" ", 6)
	if l == en {
		fmt.Fprintf(b, "%s%s\n", indent, res.Because(cr))
		return
	}
	for _, line := range figuresZH(res, ev, cr) {
		fmt.Fprintf(b, "%s%s\n", indent, line)
	}
}

// figuresZH says, in Chinese, which alternatives of a criterion hold and
// with what figures: "死亡（含失踪） 10 人以上、30 人以下：死亡 12人，失踪 未知".
func figuresZH(res *grading.Result, ev *grading.Evaluation, cr *grading.Criterion) []string {
	if cr.Cond == nil {
		if lv, ok := res.Level(); ok {
			return []string{"级别为 " + lv.Name}
		}
		return nil
	}
	var out []string
	var walk func(c *grading.Cond)
	walk = func(c *grading.Cond) {
		switch c.Op {
		case grading.OpAny:
			// The alternatives that hold; if none is known to, all
			// those that hold with the unknowns at their least.
			for _, k := range c.Kids {
				if ev == nil || ev.Holds(k) {
					walk(k)
				}
			}
		case grading.OpAll:
			for _, k := range c.Kids {
				walk(k)
			}
		case grading.OpAtom:
			out = append(out, atomZH(res, c))
		case grading.OpExpr:
			out = append(out, fmt.Sprintf("%s：%s", strings.TrimSpace(c.Written), valuesZH(res, c.InputIDs(res.Rules()))))
		}
	}
	walk(cr.Cond)
	return out
}

func atomZH(res *grading.Result, c *grading.Cond) string {
	q := c.Quantity
	label := q.Label
	if label == "" {
		label = q.ID
	}
	if in := q.Input; in != nil && (in.Type == grading.Enum || in.Type == grading.Bool) {
		inc := res.Incident()
		return fmt.Sprintf("%s：%s", label, figureZH(in, &inc))
	}
	return fmt.Sprintf("%s %s：%s", label, strings.TrimSpace(c.Written), valuesZH(res, q.InputIDs(res.Rules())))
}

// figureZH is an input's value in a criterion's figures: an unknown one is
// taken at its least severe value, as Classify takes it, and says so.
func figureZH(in *grading.Input, inc *grading.Incident) string {
	if inc.Known(in.ID) {
		return valueZH(in, inc)
	}
	least := "0" + in.Unit
	switch in.Type {
	case grading.Enum:
		if len(in.Values) > 0 {
			least = in.Values[0].Label
		}
	case grading.Bool:
		least = "否"
	}
	return "未知（暂按 " + least + " 计）"
}

// valuesZH lists the incident's values of the inputs ids: "死亡 12人，失踪 未知".
func valuesZH(res *grading.Result, ids []string) string {
	r := res.Rules()
	inc := res.Incident()
	var parts []string
	for _, id := range ids {
		in, ok := r.Input(id)
		if !ok {
			continue
		}
		parts = append(parts, inputLabel(in)+" "+figureZH(in, &inc))
	}
	return strings.Join(parts, "，")
}

// valueZH is one input's value as a person reads it; 未知 when unknown.
func valueZH(in *grading.Input, inc *grading.Incident) string {
	v, ok := inc.Value(in.ID)
	if !ok {
		return "未知"
	}
	switch x := v.(type) {
	case bool:
		if x {
			return "是"
		}
		return "否"
	case string:
		for _, ev := range in.Values {
			if ev.ID == x && ev.Label != "" {
				return ev.Label
			}
		}
		return x
	case int64:
		return grading.FormatNumber(float64(x), in.Unit) + in.Unit
	case float64:
		return grading.FormatNumber(x, in.Unit) + in.Unit
	case []string:
		return strings.Join(x, "、")
	}
	return fmt.Sprint(v)
}

// valueEN is one input's value for the English output.
func valueEN(in *grading.Input, inc *grading.Incident) string {
	v, ok := inc.Value(in.ID)
	if !ok {
		return "unknown"
	}
	switch x := v.(type) {
	case int64:
		return grading.FormatNumber(float64(x), in.Unit) + " " + in.Unit
	case float64:
		return grading.FormatNumber(x, in.Unit) + " " + in.Unit
	case []string:
		return strings.Join(x, ", ")
	}
	return fmt.Sprint(v)
}

// factsLine lists the facts given, in the plan's order.
func factsLine(res *grading.Result, l lang) string {
	inc := res.Incident()
	var known []string
	for _, in := range res.Rules().Inputs() {
		if !inc.Known(in.ID) {
			continue
		}
		if l == en {
			known = append(known, fmt.Sprintf("%s (%s) %s", in.ID, in.Label, valueEN(in, &inc)))
		} else {
			known = append(known, inputLabel(in)+" "+valueZH(in, &inc))
		}
	}
	if len(known) == 0 {
		return l.Pick("已知事实：无（均未知）\n", "Facts given: none (all unknown)\n")
	}
	return fmt.Sprintf(l.Pick("已知事实：%s\n", "Facts given: %s\n"), strings.Join(known, l.Pick("；", "; ")))
}

// writeGradeDetails writes what --all adds: the criteria that hold at
// lower levels, every unknown fact with the highest grade it could reach,
// and the interpretations the plan's data takes.
func writeGradeDetails(b *strings.Builder, p *yingji.Plan, res *grading.Result, ev *grading.Evaluation, lv *grading.Level, l lang) {
	var lower []grading.Match
	for m := range res.Matches() {
		if m.Criterion.Level != lv {
			lower = append(lower, m)
		}
	}
	if len(lower) > 0 {
		b.WriteString(l.Pick("\n较低级别也成立的标准：\n", "\nAlso holding at lower levels:\n"))
		for _, m := range lower {
			writeCriterion(b, res, ev, m.Criterion, "  "+m.Criterion.Level.Name+" ", l)
		}
	}
	if us := res.Unknowns(); len(us) > 0 {
		b.WriteString(l.Pick("\n未知事实及其最高可能级别：\n", "\nUnknown facts and the highest grade each could reach:\n"))
		for _, u := range us {
			if l == en {
				fmt.Fprintf(b, "  %s (%s) → up to %s\n", u.Input.ID, u.Input.Label, u.CouldReach.Name)
			} else {
				fmt.Fprintf(b, "  %s → 最高 %s\n", inputLabel(u.Input), u.CouldReach.Name)
			}
		}
	}
	type note struct{ clause, text string }
	var notes []note
	seen := map[string]bool{}
	add := func(clause, text string) {
		if text != "" && !seen[clause+text] {
			seen[clause+text] = true
			notes = append(notes, note{clause, text})
		}
	}
	add(lv.Clause, lv.Interpretation)
	for m := range res.Matches() {
		add(m.Criterion.Clause, m.Criterion.Interpretation)
	}
	add(lv.Authority.Clause, lv.Authority.Interpretation)
	for _, m := range res.ScopeMatched() {
		add(m.Criterion.Clause, m.Criterion.Interpretation)
	}
	add(p.Grading.Scope().Clause, p.Grading.Scope().Interpretation)
	if len(notes) > 0 {
		b.WriteString(l.Pick("\n解释（预案文字不明确处，数据采用的读法）：\n", "\nInterpretations (where the text is unclear, the reading the data takes):\n"))
		for _, n := range notes {
			fmt.Fprintf(b, l.Pick("  %s：%s\n", "  %s: %s\n"), n.clause, n.text)
		}
	}
}

// writeClause writes " [clause]" (English) or "（clause）" (Chinese).
func writeClause(b *strings.Builder, clause string, l lang) {
	if clause == "" {
		return
	}
	if l == en {
		fmt.Fprintf(b, " [%s]", clause)
		return
	}
	fmt.Fprintf(b, "（%s）", strings.ReplaceAll(clause, "; ", "；"))
}

// writePlanLine closes the output with the plan it was graded under.
func writePlanLine(b *strings.Builder, p *yingji.Plan, l lang) {
	m := p.Manifest
	rev := ""
	if m.Revision != "" {
		rev = " · " + m.Revision
	}
	fmt.Fprintf(b, l.Pick("预案：%s（%s%s）\n", "Plan: %s (%s%s)\n"), m.Title, p.ID(), rev)
}
