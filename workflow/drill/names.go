package drill

import (
	"fmt"
	"strings"
	"time"

	"github.com/yingji/yingji/internal/human"
	"github.com/yingji/yingji/workflow"
)

// names turns the ids of a timeline into the names the plan gives them,
// through the definition it was run under: actors (by the short name the
// plan gives them, where it does), tasks, phases, events and guards of
// the workflow, grades and response levels of its grading rules. With no
// definition (a timeline decoded from JSON) it falls back on the names
// the timeline carries, then on the ids.
type names struct {
	def *workflow.Definition
	l   human.Lang
}

// party names an actor; carried is the name the timeline carries for it
// (a notice's toName, a task's assigneeName), which names a party bound
// to a locality ("吉木萨尔县公安部门") that the resolver does not know.
func (n names) party(id, carried string) string {
	if id == "" {
		return carried
	}
	if n.def != nil {
		if short := n.def.ActorShortName(id); short != "" && short != n.def.ActorName(id) {
			return short
		}
	}
	if carried != "" {
		return carried
	}
	if n.def != nil {
		if name := n.def.ActorName(id); name != "" {
			return name
		}
	}
	return id
}

// hasShort reports whether the plan gives the actor a short name.
func (n names) hasShort(id string) bool {
	return n.def != nil && id != "" && n.def.ActorShortName(id) != n.def.ActorName(id)
}

// task names a task instance; a task of several assignees is one per
// assignee, so it says whose.
func (n names) task(id string) string {
	if n.def == nil {
		return id
	}
	t, ok := n.def.TaskOf(id)
	if !ok || t.Name == "" {
		return id
	}
	base, _, _ := strings.Cut(id, "#")
	if _, who, ok := strings.Cut(base, "@"); ok && len(t.Assignees) > 1 {
		return t.Name + n.l.Pick("（"+n.party(who, "")+"）", " ("+n.party(who, "")+")")
	}
	return t.Name
}

func (n names) tasks(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = n.task(id)
	}
	return out
}

// window reports whether the task is a window (a period in which
// something may happen) rather than a deadline.
func (n names) window(id string) bool {
	if n.def == nil {
		return false
	}
	t, ok := n.def.TaskOf(id)
	return ok && t.Window != nil
}

func (n names) phase(id string) string {
	if n.def != nil {
		if ph, ok := n.def.Phase(id); ok && ph.Name != "" {
			return ph.Name
		}
	}
	return orNone(id)
}

func (n names) event(id string) string {
	if n.def != nil {
		if ev, ok := n.def.Event(id); ok && ev.Name != "" {
			return ev.Name
		}
	}
	return id
}

func (n names) level(id string) string {
	if n.def != nil && n.def.Rules() != nil && id != "" {
		if lv, ok := n.def.Rules().Level(id); ok && lv.Name != "" {
			return lv.Name
		}
	}
	return orNone(id)
}

func (n names) response(id string) string {
	if n.def != nil && n.def.Rules() != nil && id != "" {
		for _, lv := range n.def.Rules().Levels() {
			if lv.Response.ID == id && lv.Response.Name != "" {
				return lv.Response.Name
			}
		}
	}
	return orNone(id)
}

// changeName names the value of a step's change (StepChange.What) as
// the plan does; "" for none or for a value it does not name.
func (n names) changeName(what, id string) string {
	if id == "" {
		return ""
	}
	var name string
	switch what {
	case "phase":
		name = n.phase(id)
	case "level", "requested":
		name = n.level(id)
	case "response":
		name = n.response(id)
	case "command":
		name = n.command(id)
	}
	if name == id {
		return ""
	}
	return name
}

// changed names the value of a change in the report's language: through
// the definition, else by the name the timeline carries, else its id.
func (n names) changed(what, id, carried string) string {
	if id == "" {
		return "—"
	}
	if name := n.changeName(what, id); name != "" && (n.def != nil || carried == "") {
		return name
	}
	if carried != "" {
		return carried
	}
	return id
}

// command names who holds site command, written "site-hq (hq)" in a
// step: the body holding it and who formed it.
func (n names) command(holder string) string {
	if holder == "" {
		return "—"
	}
	body, formed, ok := strings.Cut(holder, " (")
	if !ok {
		return n.party(holder, "")
	}
	return n.formed(body, strings.TrimSuffix(formed, ")"))
}

func (n names) formed(body, by string) string {
	if body == "" {
		return "—"
	}
	if by == "" {
		return n.party(body, "")
	}
	return fmt.Sprintf(n.l.Pick("%s（%s组建）", "%s (formed by %s)"), n.party(body, ""), n.party(by, ""))
}

// guard is the message of the guard that refused an event, as the plan
// writes it.
func (n names) guard(event, id string) (string, bool) {
	if n.def == nil {
		return "", false
	}
	ev, ok := n.def.Event(event)
	if !ok {
		return "", false
	}
	for _, g := range ev.Guards {
		if g.ID == id && g.Message != "" {
			return g.Message, true
		}
	}
	return "", false
}

// rejection is why a step was refused: the guard's message, else the
// error without its package prefix.
func (n names) rejection(st TimelineStep) string {
	if msg, ok := n.guard(st.Event, st.Rejection); ok {
		return msg
	}
	if st.Error != "" {
		return strings.TrimPrefix(st.Error, "workflow: ")
	}
	return st.Rejection
}

// clock is a time of the drill: "09:10" on the day it started, with the
// date on another day (and the year in another year), and the offset
// when it differs from the start's (a Beijing-time record in a
// Xinjiang-time drill).
func clock(t workflow.Time, start time.Time) string {
	tt := t.Time()
	s := tt.Format("15:04")
	local := tt.In(start.Location())
	switch y, m, d := local.Date(); {
	case y != start.Year():
		s = tt.Format("2006-01-02 15:04")
	case m != start.Month() || d != start.Day():
		s = tt.Format("01-02 15:04")
	}
	if _, off := tt.Zone(); func() bool { _, so := start.Zone(); return so != off }() {
		s += tt.Format(" -07:00")
	}
	return s
}

// dateTime is a full time with its offset: "2025-10-15 09:00 (UTC+06:00)".
func dateTime(t workflow.Time) string {
	return t.Time().Format("2006-01-02 15:04 (UTC-07:00)")
}

// offset is a step's time from the start of the drill: "+1:05", "+29 天 1:00".
func offset(d time.Duration, l human.Lang) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	d = d.Round(time.Minute)
	days, h, m := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	if days > 0 {
		return fmt.Sprintf(l.Pick("%s%d 天 %d:%02d", "%s%dd %d:%02d"), sign, days, h, m)
	}
	return fmt.Sprintf("%s%d:%02d", sign, h, m)
}

// duration is a duration in words: "1 小时 5 分钟", "15 分 59 秒", "1h5m".
func duration(d time.Duration, l human.Lang) string {
	if l == human.Chinese {
		return human.DurationZH(d.Round(time.Second))
	}
	d = d.Round(time.Second)
	if d < 0 {
		d = -d
	}
	var parts []string
	unit := func(v int, zh, en string) {
		if v != 0 {
			parts = append(parts, fmt.Sprintf(l.Pick("%d %s", "%d%s"), v, l.Pick(zh, en)))
		}
	}
	unit(int(d/(24*time.Hour)), "天", "d")
	unit(int(d%(24*time.Hour)/time.Hour), "小时", "h")
	unit(int(d%time.Hour/time.Minute), "分钟", "m")
	unit(int(d%time.Minute/time.Second), "秒", "s")
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, l.Pick(" ", ""))
}

// shortHash shortens a content hash for a header.
func shortHash(h string) string {
	if len(h) > 19 {
		return h[:19] + "…"
	}
	return h
}

// cell escapes a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
