package yingji

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/orgchart"
	"github.com/yingji/yingji/workflow"
)

// Diff compares two whole plans — typically the one in force and a
// drafter's edited copy — and returns what an edit changes:
//
//   - Grading: the ranges of each input the two grade differently
//     (analysis.Diff), with numeric bounds;
//   - Roster: who is engaged or notified, in what part, for every response
//     level both plans have, for an incident with no industry or locality
//     given and for each industry and each locality alone; and how each
//     working group is formed (lead, coordinator, members);
//   - Contacts: the contacts of each unit (duty phone, people, posts and
//     numbers);
//   - Workflow: phases, events (their phases, data and guards), transitions
//     and tasks (assignee, who is notified, triggers, completion, the
//     deadline and its flag), each with its clause.
//
// Parts only one plan has are named in Notes, not compared. Diff is safe
// for concurrent use.
func Diff(ctx context.Context, a, b *Plan) (*analysis.PlanDiff, error) {
	d := &analysis.PlanDiff{A: a.side(), B: b.side(), Grading: []analysis.GradeChange{}, Roster: []analysis.RosterChange{},
		Contacts: []analysis.ElementChange{}, Workflow: []analysis.ElementChange{}, Notes: []string{}}
	switch {
	case a.Grading != nil && b.Grading != nil:
		gc, err := analysis.Diff(a.Grading, b.Grading)
		if err != nil {
			return nil, err
		}
		if gc != nil {
			d.Grading = gc
		}
	case a.Grading != nil || b.Grading != nil:
		d.AddNote("only one plan has grading rules; they are not compared", "只有一份预案有分级规则，未作比较")
	}
	switch {
	case a.Orgchart != nil && b.Orgchart != nil:
		va, vb, notes, err := rosterViews(ctx, a.Orgchart, b.Orgchart)
		if err != nil {
			return nil, err
		}
		d.Roster = analysis.DiffRosters(va, vb)
		for _, n := range notes {
			d.AddNote(n[0], n[1])
		}
		d.Contacts = analysis.DiffElements(contactElements(a.Orgchart), contactElements(b.Orgchart))
	case a.Orgchart != nil || b.Orgchart != nil:
		d.AddNote("only one plan has an orgchart; rosters and contacts are not compared", "只有一份预案有组织体系，名单和联系方式未作比较")
	}
	switch {
	case a.Workflow != nil && b.Workflow != nil:
		d.Workflow = analysis.DiffElements(workflowElements(a.Workflow), workflowElements(b.Workflow))
	case a.Workflow != nil || b.Workflow != nil:
		d.AddNote("only one plan has a workflow; it is not compared", "只有一份预案有工作流，未作比较")
	}
	return d, nil
}

func (p *Plan) side() analysis.PlanSide {
	return analysis.PlanSide{ID: p.ID(), Title: p.Manifest.Title, Revision: p.Manifest.Revision, Hash: p.Hash}
}

// rosterViews builds the rosters both charts can build: at every response
// level both have, for no industry or locality, for each industry both
// have alone, and for each locality both have alone. The notes are in
// English and in Chinese.
func rosterViews(ctx context.Context, a, b *orgchart.Chart) (va, vb []analysis.RosterView, notes [][2]string, err error) {
	responses := both(a.ResponseLevels(), b.ResponseLevels(), "response level", "响应级别", &notes)
	if len(responses) == 0 {
		return nil, nil, [][2]string{{"the two orgcharts have no response level in common; their rosters are not compared",
			"两份组织体系没有共同的响应级别，名单未作比较"}}, nil
	}
	var ia, ib, la, lb []string
	for _, in := range a.Industries() {
		ia = append(ia, in.ID)
	}
	for _, in := range b.Industries() {
		ib = append(ib, in.ID)
	}
	for _, l := range a.Localities() {
		la = append(la, l.ID)
	}
	for _, l := range b.Localities() {
		lb = append(lb, l.ID)
	}
	industries := both(ia, ib, "industry", "行业", &notes)
	localities := both(la, lb, "locality", "地区", &notes)
	type incident struct{ industry, locality string }
	incidents := []incident{{}}
	for _, id := range industries {
		incidents = append(incidents, incident{industry: id})
	}
	for _, id := range localities {
		incidents = append(incidents, incident{locality: id})
	}
	for _, r := range responses {
		for _, inc := range incidents {
			act := orgchart.Activation{Response: r}
			if inc.industry != "" {
				act.Industries = []string{inc.industry}
			}
			if inc.locality != "" {
				act.Localities = []string{inc.locality}
			}
			ra, err := a.Activate(ctx, act)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("yingji: the roster of A at %s: %w", r, err)
			}
			rb, err := b.Activate(ctx, act)
			if err != nil {
				return nil, nil, nil, fmt.Errorf("yingji: the roster of B at %s: %w", r, err)
			}
			va = append(va, analysis.RosterView{Response: r, Industry: inc.industry, Locality: inc.locality, Elements: rosterElements(ra)})
			vb = append(vb, analysis.RosterView{Response: r, Industry: inc.industry, Locality: inc.locality, Elements: rosterElements(rb)})
		}
	}
	return va, vb, notes, nil
}

// both is the ids a and b share, in a's order; a note names the others.
func both(a, b []string, what, whatZH string, notes *[][2]string) []string {
	var out, onlyA, onlyB []string
	for _, id := range a {
		if slices.Contains(b, id) {
			out = append(out, id)
		} else {
			onlyA = append(onlyA, id)
		}
	}
	for _, id := range b {
		if !slices.Contains(a, id) {
			onlyB = append(onlyB, id)
		}
	}
	if len(onlyA) > 0 {
		*notes = append(*notes, [2]string{fmt.Sprintf("%s only in A, its rosters not compared: %s", what, strings.Join(onlyA, ", ")),
			fmt.Sprintf("只有 A 有的%s，其名单未作比较：%s", whatZH, strings.Join(onlyA, "、"))})
	}
	if len(onlyB) > 0 {
		*notes = append(*notes, [2]string{fmt.Sprintf("%s only in B, its rosters not compared: %s", what, strings.Join(onlyB, ", ")),
			fmt.Sprintf("只有 B 有的%s，其名单未作比较：%s", whatZH, strings.Join(onlyB, "、"))})
	}
	return out
}

// rosterElements flattens a roster: each party with its involvement and
// the parts it plays (one attribute each, its clauses as the value), and
// each working group with its lead, coordinator and members.
func rosterElements(r orgchart.Roster) []analysis.Element {
	var out []analysis.Element
	for _, e := range r.Entries {
		inv, invZH := "notified", "通知"
		if e.Involvement == orgchart.Engage {
			inv, invZH = "engaged", "参与"
		}
		if e.Conditional {
			inv, invZH = inv+" if needed", invZH+"（必要时）"
		}
		el := analysis.Element{Kind: "party", KindZH: "名单成员", ID: e.ID, Name: e.Name,
			Attrs: []analysis.Attr{{Name: "involvement", NameZH: "参与方式", Value: inv, ValueZH: invZH}}}
		for _, rs := range e.Reasons {
			part, partZH := "notified", "通知"
			if rs.Action == orgchart.Engage {
				part, partZH = "engaged", "参与"
			}
			switch {
			case rs.As != "":
				part, partZH = part+" as "+rs.As, partZH+"（作为 "+rs.As+"）"
			case rs.By != "":
				part, partZH = part+" by "+rs.By, partZH+"（由 "+rs.By+"）"
			}
			if rs.Condition != "" {
				part, partZH = part+" ("+rs.Condition+")", partZH+"［"+rs.Condition+"］"
			}
			if i := slices.IndexFunc(el.Attrs, func(a analysis.Attr) bool { return a.Name == part }); i >= 0 {
				if !strings.Contains(el.Attrs[i].Value, rs.Clause) {
					el.Attrs[i].Value += "; " + rs.Clause
				}
				continue
			}
			el.Attrs = append(el.Attrs, analysis.Attr{Name: part, NameZH: partZH, Value: rs.Clause})
		}
		out = append(out, el)
	}
	names := func(ps []orgchart.Party) string {
		var s []string
		for _, p := range ps {
			n := p.Name
			if p.Condition != "" {
				n += " (" + p.Condition + ")"
			}
			s = append(s, n)
		}
		slices.Sort(s)
		return strings.Join(s, "、")
	}
	for _, g := range r.Groups {
		out = append(out, analysis.Element{Kind: "group", KindZH: "工作组", ID: g.ID, Name: g.Name, Clause: g.Clause, Attrs: []analysis.Attr{
			{Name: "lead", NameZH: "牵头", Value: names(g.Lead)}, {Name: "coordinator", NameZH: "协调", Value: names(g.Coordinator)},
			{Name: "members", NameZH: "成员", Value: names(g.Members)}, {Name: "condition", NameZH: "条件", Value: g.Condition},
		}})
	}
	return out
}

// contactElements flattens the chart's contacts: each unit's listing,
// with its duty phone and each person (post and phone) by name.
func contactElements(c *orgchart.Chart) []analysis.Element {
	var out []analysis.Element
	for _, l := range c.Contacts().Listings {
		name := l.Written
		if u, ok := c.Unit(l.Unit); ok {
			name = u.Name
		}
		el := analysis.Element{Kind: "contacts", KindZH: "联系方式", ID: l.Unit, Name: name, Clause: l.Clause}
		if l.DutyPhone != "" {
			el.Attrs = append(el.Attrs, analysis.Attr{Name: "duty phone", NameZH: "值班电话", Value: l.DutyPhone})
		}
		for _, p := range l.People {
			el.Attrs = append(el.Attrs, analysis.Attr{Name: "person " + p.Name, NameZH: "联系人 " + p.Name, Value: strings.TrimSpace(p.Post + " " + p.Phone)})
		}
		out = append(out, el)
	}
	return out
}

// workflowElements flattens a workflow definition: its phases, events
// (with their phases and data), guards, transitions and tasks (with their
// deadlines in seconds).
func workflowElements(d *workflow.Definition) []analysis.Element {
	var out []analysis.Element
	// An attribute, named in English and in Chinese; its value is the
	// plan's words, the same in both.
	attr := func(name, nameZH, value string) analysis.Attr {
		return analysis.Attr{Name: name, NameZH: nameZH, Value: value}
	}
	flag := func(name, nameZH string, b bool) analysis.Attr {
		if !b {
			return analysis.Attr{Name: name}
		}
		return analysis.Attr{Name: name, NameZH: nameZH, Value: "yes", ValueZH: "是"}
	}
	for _, p := range d.Phases() {
		out = append(out, analysis.Element{Kind: "phase", KindZH: "阶段", ID: p.ID, Name: p.Name, Clause: p.Clause, Attrs: nonEmpty(
			flag("initial", "起始阶段", p.Initial), flag("final", "终结阶段", p.Final), flag("command", "现场指挥", p.Command),
			attr("waives open tasks", "免除未完成任务", p.WaiveOpen))})
	}
	for _, e := range d.Events() {
		attrs := []analysis.Attr{attr("phases", "所处阶段", strings.Join(e.Phases, ", ")), flag("accepted late", "接受迟到事件", e.Late)}
		for _, f := range e.Data {
			v, vZH := f.Type.String(), f.Type.String()
			if f.Required {
				v, vZH = v+", required", vZH+"，必填"
			}
			var items []string
			for _, it := range append(slices.Clone(f.Values), f.Items...) {
				items = append(items, it.ID)
			}
			if len(items) > 0 {
				v, vZH = v+": "+strings.Join(items, ", "), vZH+"："+strings.Join(items, "、")
			}
			attrs = append(attrs, analysis.Attr{Name: "data " + f.Name, NameZH: "数据 " + f.Name, Value: v, ValueZH: vZH})
		}
		out = append(out, analysis.Element{Kind: "event", KindZH: "事件", ID: e.ID, Name: e.Name, Clause: e.Clause, Attrs: nonEmpty(attrs...)})
		for _, g := range e.Guards {
			out = append(out, analysis.Element{Kind: "guard", KindZH: "校验规则", ID: g.ID, Name: g.Message, Clause: g.Clause, Attrs: nonEmpty(
				attr("event", "事件", e.ID), attr("when", "条件表达式", g.When))})
		}
	}
	for _, t := range d.Transitions() {
		out = append(out, analysis.Element{Kind: "transition", KindZH: "阶段转换", ID: t.Event + " → " + t.To, Name: t.Label, Clause: t.Clause, Attrs: nonEmpty(
			attr("from", "自阶段", strings.Join(t.From, ", ")), attr("when", "条件表达式", t.When))})
	}
	for _, t := range d.Tasks() {
		notify := make([]string, len(t.Notify))
		for i, n := range t.Notify {
			notify[i] = n.String()
		}
		attrs := []analysis.Attr{attr("assignee", "承办", strings.Join(t.Assignees, ", ")), attr("notify", "通知", strings.Join(notify, ", ")),
			attr("conditional", "条件", t.Conditional), flag("recurring", "重复", t.Recurring)}
		var on, onZH, done, doneZH []string
		for _, tr := range t.Triggers {
			on, onZH = append(on, triggerText(tr, false)), append(onZH, triggerText(tr, true))
		}
		for _, db := range t.DoneBy {
			s, sZH := db.Event, db.Event
			if db.When != "" {
				s, sZH = s+" when "+db.When, sZH+"，条件 "+db.When
			}
			done, doneZH = append(done, s), append(doneZH, sZH)
		}
		attrs = append(attrs, analysis.Attr{Name: "opens on", NameZH: "开启于", Value: strings.Join(on, "; "), ValueZH: strings.Join(onZH, "；")},
			analysis.Attr{Name: "done by", NameZH: "完成于", Value: strings.Join(done, "; "), ValueZH: strings.Join(doneZH, "；")})
		if d, simple := t.Within.Simple(); simple {
			secs := int64(d / time.Second)
			attrs = append(attrs, analysis.Attr{Name: "within", NameZH: "时限", Value: shortDuration(d), Seconds: &secs})
		} else if t.Within != nil {
			attrs = append(attrs, attr("within", "时限", t.Within.String()))
		}
		attrs = append(attrs, attr("window", "期间", t.Window.String()))
		if t.Late != nil {
			attrs = append(attrs, attr("late flag", "超时标记", fmt.Sprintf("%s %s [%s]", t.Late.Flag, t.Late.Name, t.Late.Clause)))
		}
		out = append(out, analysis.Element{Kind: "task", KindZH: "任务", ID: t.ID, Name: t.Name, Clause: t.Clause, Attrs: nonEmpty(attrs...)})
	}
	return out
}

// triggerText says when a task opens, in English or in Chinese.
func triggerText(tr workflow.Trigger, zh bool) string {
	pick := func(en, z string) string {
		if zh {
			return z
		}
		return en
	}
	var s string
	switch {
	case tr.Phase != "":
		s = pick("entering ", "进入 ") + tr.Phase
	default:
		s = strings.Join(tr.Events, pick(", ", "、"))
	}
	if len(tr.Levels) > 0 {
		s += pick(" at ", "，级别 ") + strings.Join(tr.Levels, pick(", ", "、"))
	}
	if tr.When != "" {
		s += pick(" when ", "，条件 ") + tr.When
	}
	return s
}

// shortDuration writes 15m, 1h30m, 24h: as workflow.yaml does.
func shortDuration(d time.Duration) string {
	s := d.String()
	s = strings.TrimSuffix(s, "0s")
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func nonEmpty(attrs ...analysis.Attr) []analysis.Attr {
	return slices.DeleteFunc(attrs, func(a analysis.Attr) bool { return a.Value == "" })
}
