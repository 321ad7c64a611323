package main

import (
	"fmt"
	"strings"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
)

// maxListed is how many recipients of one notification step the first
// screen lists one a line with a phone; a longer step (the office telling
// every member unit, 4.4.2 (2)) is listed by name only, its phones in the
// full list below.
const maxListed = 8

// rosterText renders a roster for the person on duty. The first screen
// holds what is needed at once — the response, who commands, the groups and
// their leads, whom to report to and notify in order with a phone each —
// and the full list below gives every party, every contact and every
// clause that puts it there.
func rosterText(p *yingji.Plan, r orgchart.Roster, lv *grading.Level, res *grading.Result, l lang) string {
	c := p.Orgchart
	var b strings.Builder

	// The response.
	if lv != nil {
		if l == en {
			fmt.Fprintf(&b, "Response %s · grade %s (%s)\n", responseName(lv.Response), lv.Name, lv.ID)
		} else {
			fmt.Fprintf(&b, "%s · %s\n", responseName(lv.Response), lv.Name)
		}
	}
	fmt.Fprintf(&b, "%s", r.Title)
	writeClause(&b, r.Clause, l)
	b.WriteString("\n")
	if res != nil {
		var cl []string
		for m := range res.Matches() {
			if m.Criterion.Level == lv {
				cl = append(cl, m.Criterion.Clause)
			}
		}
		if len(cl) == 0 {
			cl = append(cl, lv.Clause)
		}
		fmt.Fprintf(&b, l.Pick("定级：按所给事实为%s（%s）；yingji grade 可看依据与未知事实\n", "Graded %s from the facts given [%s]; yingji grade explains it\n"), lv.Name, strings.Join(cl, l.Pick("、", "; ")))
	}
	fmt.Fprintf(&b, l.Pick("行业领域：%s　事故发生地：%s\n", "Industry: %s   Place: %s\n"), names(r.Industries, c.Industry), names(r.Localities, c.Locality))
	if len(r.Warnings) > 0 {
		b.WriteString(l.Pick("\n注意：\n", "\nWarnings:\n"))
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  ! %s\n", warningText(w, l))
		}
	}

	// Who commands.
	var cmd []string
	for _, p := range r.Command {
		cmd = append(cmd, p.Name)
	}
	fmt.Fprintf(&b, l.Pick("\n指挥：%s\n", "\nIn command: %s\n"), orDash(strings.Join(cmd, "、")))
	var rows [][2]string
	for _, ph := range r.Posts {
		contact := ""
		if ph.Contacts != nil {
			contact = primaryContact(ph.Contacts, l)
		}
		rows = append(rows, [2]string{ph.Title, joinNonEmpty("  ", ph.Holder, contact)})
	}
	writeRows(&b, "  ", rows)

	// The groups and who leads them.
	if len(r.Groups) > 0 {
		b.WriteString(l.Pick("\n工作组（牵头）：\n", "\nWorking groups (lead):\n"))
		rows = rows[:0]
		for _, g := range r.Groups {
			lead := parties(g.Lead)
			if len(g.Coordinator) > 0 {
				lead += fmt.Sprintf(l.Pick("（协调：%s）", " (coordinator: %s)"), parties(g.Coordinator))
			}
			rows = append(rows, [2]string{g.Name, lead})
		}
		writeRows(&b, "  ", rows)
	}

	// Whom to report to and notify, in order.
	if len(r.Notifications) > 0 {
		b.WriteString(l.Pick("\n报告与通知（按顺序）：\n", "\nReport to and notify, in order:\n"))
		writeNotifications(&b, r, l)
	}

	b.WriteString(l.Pick("\n———— 完整名单 ————\n", "\n———— Full list ————\n"))
	writeFullRoster(&b, r, l)
	return b.String()
}

// writeNotifications lists the roster's notifications in order, grouped by
// the step that makes them (who tells, under which clause).
func writeNotifications(b *strings.Builder, r orgchart.Roster, l lang) {
	ns := r.Notifications
	for i := 0; i < len(ns); {
		j := i + 1
		for j < len(ns) && noticeBy(ns[j]) == noticeBy(ns[i]) && ns[j].Clause == ns[i].Clause {
			j++
		}
		step := ns[i:j]
		by := noticeBy(step[0])
		if by == "" {
			by = "—"
		}
		fmt.Fprintf(b, "  %s →", by)
		writeClause(b, step[0].Clause, l)
		b.WriteString("\n")
		if len(step) > maxListed {
			var names []string
			for _, n := range step {
				names = append(names, n.Name+condition(n.Condition, l))
			}
			head := fmt.Sprintf("    %d–%d. ", step[0].Order, step[len(step)-1].Order)
			tail := fmt.Sprintf(l.Pick("（共 %d 个，电话见完整名单）", " (%d in all; phones in the full list)"), len(step))
			names[len(names)-1] += tail
			writeWrapped(b, head, names, l.Pick("、", ", "), 96)
		} else {
			var rows [][2]string
			for _, n := range step {
				e, _ := r.Entry(n.To)
				rows = append(rows, [2]string{fmt.Sprintf("%2d. %s", n.Order, n.Name), joinNonEmpty("  ", primaryContact(e.Contacts, l), strings.TrimSpace(condition(n.Condition, l)))})
			}
			writeRows(b, "    ", rows)
		}
		i = j
	}
}

// writeFullRoster writes every post with all its contacts, every group with
// its members, and every party with the reasons it is on the roster.
func writeFullRoster(b *strings.Builder, r orgchart.Roster, l lang) {
	if len(r.Posts) > 0 {
		b.WriteString(l.Pick("\n职务：\n", "\nPosts:\n"))
		for _, p := range r.Posts {
			fmt.Fprintf(b, "  %s：%s", p.Title, p.Holder)
			writeClause(b, p.Clause, l)
			fmt.Fprintf(b, "%s\n", contactLine(p.Contacts))
		}
	}
	if len(r.Groups) > 0 {
		b.WriteString(l.Pick("\n工作组：\n", "\nWorking groups:\n"))
		for _, g := range r.Groups {
			fmt.Fprintf(b, "  %s", g.Name)
			writeClause(b, g.Clause, l)
			b.WriteString(condition(g.Condition, l))
			fmt.Fprintf(b, l.Pick("\n    牵头：%s\n", "\n    lead: %s\n"), parties(g.Lead))
			if len(g.Coordinator) > 0 {
				fmt.Fprintf(b, l.Pick("    协调：%s\n", "    coordinator: %s\n"), parties(g.Coordinator))
			}
			fmt.Fprintf(b, l.Pick("    成员：%s\n", "    members: %s\n"), parties(g.Members))
		}
	}
	for _, part := range []struct {
		title string
		act   orgchart.Action
	}{{l.Pick("\n参与：\n", "\nEngaged:\n"), orgchart.Engage}, {l.Pick("\n仅告知：\n", "\nNotified only:\n"), orgchart.Notify}} {
		first := true
		for _, e := range r.Entries {
			if e.Involvement != part.act {
				continue
			}
			if first {
				b.WriteString(part.title)
				first = false
			}
			mark := ""
			switch {
			case e.Conditional:
				mark = l.Pick("（视情况）", " (if needed)")
			case e.Unbound:
				mark = l.Pick("（由事发单位或现场确定）", " (named by the enterprise or on site)")
			}
			fmt.Fprintf(b, "  %s%s%s\n", e.Name, mark, contactLine(e.Contacts))
			for _, why := range e.Reasons {
				fmt.Fprintf(b, "      - %s%s\n", why.Clause, reasonText(why, l))
			}
		}
	}
}

// primaryContact is the one phone to call first: the duty phone, else the
// first person listed.
func primaryContact(c *orgchart.Listing, l lang) string {
	switch {
	case c == nil:
		return l.Pick("（无联系方式）", "(no contact listed)")
	case c.DutyPhone != "":
		return l.Pick("值班 ", "duty ") + c.DutyPhone
	case len(c.People) > 0:
		p := c.People[0]
		return strings.Join(nonEmptyStrings(p.Name, p.Post, p.Phone), " ")
	}
	return l.Pick("（无联系方式）", "(no contact listed)")
}

func condition(cond string, l lang) string {
	if cond == "" {
		return ""
	}
	return l.Pick("（"+cond+"）", " ("+cond+")")
}

func reasonText(r orgchart.Reason, l lang) string {
	var parts []string
	if r.As != "" {
		parts = append(parts, r.As)
	} else if r.Action == orgchart.Notify {
		parts = append(parts, l.Pick("告知", "told"))
	}
	if r.ByName != "" {
		parts = append(parts, l.Pick("由", "by ")+r.ByName)
	}
	if r.Condition != "" {
		parts = append(parts, "（"+r.Condition+"）")
	}
	switch {
	case r.ConditionClause != "" && l == en:
		parts = append(parts, "— condition per "+r.ConditionClause)
	case r.Note != "":
		parts = append(parts, "— "+r.Note)
	}
	if len(parts) == 0 {
		return ""
	}
	return l.Pick("：", ": ") + strings.Join(parts, " ")
}

func contactLine(c *orgchart.Listing) string {
	if c == nil {
		return ""
	}
	var parts []string
	if c.DutyPhone != "" {
		parts = append(parts, "值班 "+c.DutyPhone)
	}
	for _, p := range c.People {
		parts = append(parts, strings.Join(nonEmptyStrings(p.Name, p.Post, p.Phone), " "))
	}
	if len(parts) == 0 {
		return ""
	}
	return " — " + strings.Join(parts, "; ")
}

func parties(ps []orgchart.Party) string {
	var out []string
	for _, p := range ps {
		s := p.Name
		if p.Condition != "" {
			s += "（" + p.Condition + "）"
		}
		out = append(out, s)
	}
	return orDash(strings.Join(out, "、"))
}

func names[T any](ids []string, look func(string) (T, bool)) string {
	var out []string
	for _, id := range ids {
		if v, ok := look(id); ok {
			switch x := any(v).(type) {
			case orgchart.Industry:
				out = append(out, x.Name)
			case orgchart.Locality:
				out = append(out, x.Name)
			}
		}
	}
	return orDash(strings.Join(out, "、"))
}

// warningText is a roster warning in the language asked: the library's
// message is Chinese; the English is built from its code and parameters.
func warningText(w diag.Problem, l lang) string {
	if l != en {
		return w.Message
	}
	p := w.Params
	switch w.Code {
	case orgchart.CodeRosterNoIndustry:
		return "no industry given: left out " + p["left"] + "; give the incident's industry to bind them"
	case orgchart.CodeRosterNoLocality:
		return "no locality given: left out " + p["left"] + "; give the incident's locality to bind them"
	case orgchart.CodeRosterNoLocalityUnit:
		return p["localityName"] + " has no " + p["role"] + " unit, so " + p["placeholderName"] + " is left out"
	}
	return w.Message
}
