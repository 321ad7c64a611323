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
		d.Notes = append(d.Notes, "only one plan has grading rules; they are not compared")
	}
	switch {
	case a.Orgchart != nil && b.Orgchart != nil:
		va, vb, notes, err := rosterViews(ctx, a.Orgchart, b.Orgchart)
		if err != nil {
			return nil, err
		}
		d.Roster = analysis.DiffRosters(va, vb)
		d.Notes = append(d.Notes, notes...)
		d.Contacts = analysis.DiffElements(contactElements(a.Orgchart), contactElements(b.Orgchart))
	case a.Orgchart != nil || b.Orgchart != nil:
		d.Notes = append(d.Notes, "only one plan has an orgchart; rosters and contacts are not compared")
	}
	switch {
	case a.Workflow != nil && b.Workflow != nil:
		d.Workflow = analysis.DiffElements(workflowElements(a.Workflow), workflowElements(b.Workflow))
	case a.Workflow != nil || b.Workflow != nil:
		d.Notes = append(d.Notes, "only one plan has a workflow; it is not compared")
	}
	return d, nil
}

func (p *Plan) side() analysis.PlanSide {
	return analysis.PlanSide{ID: p.ID(), Title: p.Manifest.Title, Revision: p.Manifest.Revision, Hash: p.Hash}
}

// rosterViews builds the rosters both charts can build: at every response
// level both have, for no industry or locality, for each industry both
// have alone, and for each locality both have alone.
func rosterViews(ctx context.Context, a, b *orgchart.Chart) (va, vb []analysis.RosterView, notes []string, err error) {
	responses := both(a.ResponseLevels(), b.ResponseLevels(), "response level", &notes)
	if len(responses) == 0 {
		return nil, nil, []string{"the two orgcharts have no response level in common; their rosters are not compared"}, nil
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
	industries := both(ia, ib, "industry", &notes)
	localities := both(la, lb, "locality", &notes)
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
func both(a, b []string, what string, notes *[]string) []string {
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
		*notes = append(*notes, fmt.Sprintf("%s only in A, its rosters not compared: %s", what, strings.Join(onlyA, ", ")))
	}
	if len(onlyB) > 0 {
		*notes = append(*notes, fmt.Sprintf("%s only in B, its rosters not compared: %s", what, strings.Join(onlyB, ", ")))
	}
	return out
}

// rosterElements flattens a roster: each party with its involvement and
// the parts it plays (one attribute each, its clauses as the value), and
// each working group with its lead, coordinator and members.
func rosterElements(r orgchart.Roster) []analysis.Element {
	var out []analysis.Element
	for _, e := range r.Entries {
		inv := "notified"
		if e.Involvement == orgchart.Engage {
			inv = "engaged"
		}
		if e.Conditional {
			inv += " if needed"
		}
		el := analysis.Element{Kind: "party", ID: e.ID, Name: e.Name, Attrs: []analysis.Attr{{Name: "involvement", Value: inv}}}
		for _, rs := range e.Reasons {
			part := "notified"
			if rs.Action == orgchart.Engage {
				part = "engaged"
			}
			switch {
			case rs.As != "":
				part += " as " + rs.As
			case rs.By != "":
				part += " by " + rs.By
			}
			if rs.Condition != "" {
				part += " (" + rs.Condition + ")"
			}
			if i := slices.IndexFunc(el.Attrs, func(a analysis.Attr) bool { return a.Name == part }); i >= 0 {
				if !strings.Contains(el.Attrs[i].Value, rs.Clause) {
					el.Attrs[i].Value += "; " + rs.Clause
				}
				continue
			}
			el.Attrs = append(el.Attrs, analysis.Attr{Name: part, Value: rs.Clause})
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
		out = append(out, analysis.Element{Kind: "group", ID: g.ID, Name: g.Name, Clause: g.Clause, Attrs: []analysis.Attr{
			{Name: "lead", Value: names(g.Lead)}, {Name: "coordinator", Value: names(g.Coordinator)},
			{Name: "members", Value: names(g.Members)}, {Name: "condition", Value: g.Condition},
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
		el := analysis.Element{Kind: "contacts", ID: l.Unit, Name: name, Clause: l.Clause}
		if l.DutyPhone != "" {
			el.Attrs = append(el.Attrs, analysis.Attr{Name: "duty phone", Value: l.DutyPhone})
		}
		for _, p := range l.People {
			el.Attrs = append(el.Attrs, analysis.Attr{Name: "person " + p.Name, Value: strings.TrimSpace(p.Post + " " + p.Phone)})
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
	attr := func(name, value string) analysis.Attr { return analysis.Attr{Name: name, Value: value} }
	flag := func(b bool) string {
		if b {
			return "yes"
		}
		return ""
	}
	for _, p := range d.Phases() {
		out = append(out, analysis.Element{Kind: "phase", ID: p.ID, Name: p.Name, Clause: p.Clause, Attrs: nonEmpty(
			attr("initial", flag(p.Initial)), attr("final", flag(p.Final)), attr("command", flag(p.Command)), attr("waives open tasks", p.WaiveOpen))})
	}
	for _, e := range d.Events() {
		attrs := []analysis.Attr{attr("phases", strings.Join(e.Phases, ", ")), attr("accepted late", flag(e.Late))}
		for _, f := range e.Data {
			v := f.Type.String()
			if f.Required {
				v += ", required"
			}
			var items []string
			for _, it := range append(slices.Clone(f.Values), f.Items...) {
				items = append(items, it.ID)
			}
			if len(items) > 0 {
				v += ": " + strings.Join(items, ", ")
			}
			attrs = append(attrs, attr("data "+f.Name, v))
		}
		out = append(out, analysis.Element{Kind: "event", ID: e.ID, Name: e.Name, Clause: e.Clause, Attrs: nonEmpty(attrs...)})
		for _, g := range e.Guards {
			out = append(out, analysis.Element{Kind: "guard", ID: g.ID, Name: g.Message, Clause: g.Clause, Attrs: nonEmpty(
				attr("event", e.ID), attr("when", g.When))})
		}
	}
	for _, t := range d.Transitions() {
		out = append(out, analysis.Element{Kind: "transition", ID: t.Event + " → " + t.To, Name: t.Label, Clause: t.Clause, Attrs: nonEmpty(
			attr("from", strings.Join(t.From, ", ")), attr("when", t.When))})
	}
	for _, t := range d.Tasks() {
		notify := make([]string, len(t.Notify))
		for i, n := range t.Notify {
			notify[i] = n.String()
		}
		attrs := []analysis.Attr{attr("assignee", strings.Join(t.Assignees, ", ")), attr("notify", strings.Join(notify, ", ")),
			attr("conditional", t.Conditional), attr("recurring", flag(t.Recurring))}
		var on, done []string
		for _, tr := range t.Triggers {
			on = append(on, triggerText(tr))
		}
		for _, db := range t.DoneBy {
			s := db.Event
			if db.When != "" {
				s += " when " + db.When
			}
			done = append(done, s)
		}
		attrs = append(attrs, attr("opens on", strings.Join(on, "; ")), attr("done by", strings.Join(done, "; ")))
		if d, simple := t.Within.Simple(); simple {
			secs := int64(d / time.Second)
			attrs = append(attrs, analysis.Attr{Name: "within", Value: shortDuration(d), Seconds: &secs})
		} else if t.Within != nil {
			attrs = append(attrs, attr("within", t.Within.String()))
		}
		attrs = append(attrs, attr("window", t.Window.String()))
		if t.Late != nil {
			attrs = append(attrs, attr("late flag", fmt.Sprintf("%s %s [%s]", t.Late.Flag, t.Late.Name, t.Late.Clause)))
		}
		out = append(out, analysis.Element{Kind: "task", ID: t.ID, Name: t.Name, Clause: t.Clause, Attrs: nonEmpty(attrs...)})
	}
	return out
}

func triggerText(tr workflow.Trigger) string {
	var s string
	switch {
	case tr.Phase != "":
		s = "entering " + tr.Phase
	default:
		s = strings.Join(tr.Events, ", ")
	}
	if len(tr.Levels) > 0 {
		s += " at " + strings.Join(tr.Levels, ", ")
	}
	if tr.When != "" {
		s += " when " + tr.When
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
