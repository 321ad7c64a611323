package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/drill"
)

// drillNames turns the ids of a drill's timeline into the names the plan
// gives them: units (by the short name the plan gives them, where it does)
// and placeholders of the orgchart, tasks, phases and
// events of the workflow, grades and response levels of the grading rules.
// An id the plan does not know is shown as it is (a name already, as a
// notice's sender may be).
type drillNames struct {
	p   *yingji.Plan
	def *workflow.Definition
}

func (n drillNames) party(id string) string {
	if id == "" {
		return ""
	}
	c := n.p.Orgchart
	if c == nil {
		return id
	}
	if u, ok := c.Unit(id); ok {
		// The plan's own short form where it gives one (以下简称昌吉州指挥部).
		if u.Short != "" {
			return u.Short
		}
		return u.Name
	}
	if ph, ok := c.Placeholder(id); ok {
		return ph.Name
	}
	if g, ok := c.Group(id); ok {
		return g.Name
	}
	// A party bound to a locality: the locality's own unit, else the
	// placeholder's label for it ("{locality}公安部门").
	if who, where, ok := strings.Cut(id, "@"); ok {
		loc, okLoc := c.Locality(where)
		ph, okPh := c.Placeholder(who)
		if okLoc && okPh {
			if u, ok := c.LocalityUnit(loc.ID, ph.Role); ok && ph.Role != "" {
				return u.Name
			}
			if ph.Label != "" {
				return strings.ReplaceAll(ph.Label, "{locality}", loc.Name)
			}
			return loc.Name + ph.Name
		}
	}
	return id
}

// hasShort reports whether id is a unit the plan gives a short name.
func (n drillNames) hasShort(id string) bool {
	if n.p.Orgchart == nil {
		return false
	}
	u, ok := n.p.Orgchart.Unit(id)
	return ok && u.Short != ""
}

func (n drillNames) task(id string) string {
	if t, ok := n.def.TaskOf(id); ok && t.Name != "" {
		// A task of several assignees is one per assignee: say whose.
		base, _, _ := strings.Cut(id, "#")
		if _, who, ok := strings.Cut(base, "@"); ok && len(t.Assignees) > 1 {
			return t.Name + "（" + n.party(who) + "）"
		}
		return t.Name
	}
	return id
}

func (n drillNames) taskList(ids []string) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = n.task(id)
	}
	return out
}

func (n drillNames) tasks(ids []string, l lang) string {
	return strings.Join(n.taskList(ids), l.pick("；", "; "))
}

func (n drillNames) phase(id string) string {
	if ph, ok := n.def.Phase(id); ok && ph.Name != "" {
		return ph.Name
	}
	return orDash(id)
}

func (n drillNames) event(id string) string {
	if ev, ok := n.def.Event(id); ok && ev.Name != "" {
		return ev.Name
	}
	return id
}

func (n drillNames) level(id string) string {
	if n.p.Grading != nil {
		if lv, ok := n.p.Grading.Level(id); ok {
			return lv.Name
		}
	}
	return orDash(id)
}

func (n drillNames) response(id string) string {
	if n.p.Grading != nil && id != "" {
		for _, lv := range n.p.Grading.Levels() {
			if lv.Response.ID == id {
				return responseName(lv.Response)
			}
		}
	}
	return orDash(id)
}

// command names who holds site command: the step's "site-hq (hq)" is the
// body holding it and who formed it.
func (n drillNames) command(holder string, l lang) string {
	if holder == "" {
		return "—"
	}
	body, formed, ok := strings.Cut(holder, " (")
	if !ok {
		return n.party(holder)
	}
	return n.formed(body, strings.TrimSuffix(formed, ")"), l)
}

func (n drillNames) formed(body, by string, l lang) string {
	if by == "" {
		return n.party(body)
	}
	return fmt.Sprintf(l.pick("%s（%s组建）", "%s (formed by %s)"), n.party(body), n.party(by))
}

func (n drillNames) guard(event, id string) (msg string, ok bool) {
	ev, found := n.def.Event(event)
	if !found {
		return "", false
	}
	for _, g := range ev.Guards {
		if g.ID == id && g.Message != "" {
			return g.Message, true
		}
	}
	return "", false
}

// drillText renders a drill's timeline as Markdown for the people who run
// and report the drill: the plan's names instead of ids, the notices of
// each step grouped by who makes them, and a closing summary for the
// written drill report (7.2).
func drillText(p *yingji.Plan, tl *drill.Timeline, l lang) string {
	n := drillNames{p: p, def: p.Workflow}
	var b strings.Builder
	start := tl.Start.Time()
	clock := func(t workflow.Time) string { return clockText(t, start) }

	// The header.
	fmt.Fprintf(&b, l.pick("# 演练：%s", "# Drill: %s"), tl.Title)
	if tl.Clause != "" {
		fmt.Fprintf(&b, l.pick("（%s）", " (%s)"), tl.Clause)
	}
	b.WriteString("\n\n")
	m := p.Manifest
	fmt.Fprintf(&b, l.pick("- 预案：%s（%s · %s，%s）\n", "- Plan: %s (%s · %s, %s)\n"), m.Title, tl.Plan.ID, tl.Plan.Revision, shortHash(tl.Plan.Hash))
	fmt.Fprintf(&b, l.pick("- 工作流：%s\n", "- Workflow: %s\n"), orDash(p.Workflow.Title()))
	fmt.Fprintf(&b, l.pick("- 模拟时钟：%s 至 %s\n", "- Simulated clock: %s to %s\n"), dateTimeText(tl.Start), clock(tl.End))
	if tl.Scenario != "" {
		fmt.Fprintf(&b, l.pick("- 情景：%s\n", "- Scenario: %s\n"), strings.Join(strings.Fields(tl.Scenario), " "))
	}

	// The timeline at a glance.
	b.WriteString(l.pick("\n## 时间线\n\n| # | 时间 | 事件 | 执行者 | 结果 | 阶段 | 级别 | 响应 | 现场指挥 |\n|---|---|---|---|---|---|---|---|---|\n",
		"\n## Timeline\n\n| # | Time | Event | Actor | Outcome | Phase | Grade | Response | Site command |\n|---|---|---|---|---|---|---|---|---|\n"))
	for _, st := range tl.Steps {
		outcome := l.pick("接受", "accepted")
		if !st.Accepted {
			outcome = l.pick("拒绝", "rejected")
			if st.Clause != "" {
				outcome += l.pick("（"+st.Clause+"）", " ["+st.Clause+"]")
			}
		}
		if st.Duplicate {
			outcome += l.pick("（重复）", " (duplicate)")
		}
		if !st.AsExpected {
			outcome += l.pick(" ⚠ 与预期不符", " ⚠ not as expected")
		}
		fmt.Fprintf(&b, "| %d | %s (%s) | %s | %s | %s | %s | %s | %s | %s |\n", st.N, clock(st.At), offsetText(st.At.Sub(tl.Start), l),
			cell(n.event(st.Event)), cell(n.party(st.Actor)), cell(outcome), cell(n.phase(st.Phase)), cell(n.level(st.Level)), cell(n.response(st.Response)), cell(n.command(st.CommandHolder, l)))
	}

	// Each step.
	b.WriteString(l.pick("\n## 各步详情\n", "\n## Steps\n"))
	prev := drill.TimelineStep{}
	for _, st := range tl.Steps {
		writeDrillStep(&b, n, tl, prev, st, l, clock)
		if st.Accepted {
			prev = st
		}
	}

	// The final state.
	b.WriteString(l.pick("\n## 结束状态\n\n", "\n## Final state\n\n"))
	fmt.Fprintf(&b, l.pick("- 阶段：%s\n- 事故级别：%s\n- 响应级别：%s\n- 现场指挥：%s\n", "- Phase: %s\n- Grade: %s\n- Response: %s\n- Site command: %s\n"),
		n.phase(tl.Phase), n.level(tl.Level), n.response(tl.Response), commandOf(n, tl.CommandHolder, tl.CommandFormed, l))
	if len(tl.Overdue) > 0 {
		fmt.Fprintf(&b, l.pick("\n### 逾期任务（截至 %s）\n\n", "\n### Overdue (at %s)\n\n"), clock(tl.End))
		for _, d := range tl.Overdue {
			fmt.Fprintf(&b, l.pick("- %s（%s，%s）：时限 %s，已逾期 %s\n", "- %s (%s, %s): due %s, overdue by %s\n"), orDash(d.Name), n.party(d.Assignee), d.Clause, clock(d.Due), durationText(d.Overdue, l))
		}
	}
	if len(tl.Open) > 0 {
		b.WriteString(l.pick("\n### 未完成任务\n\n", "\n### Tasks still open\n\n"))
		for _, t := range tl.Open {
			fmt.Fprintf(&b, "- %s（%s，%s）", orDash(t.Name), n.party(t.Assignee), t.Clause)
			if t.Conditional != "" {
				fmt.Fprintf(&b, l.pick("［%s］", " [if: %s]"), t.Conditional)
			}
			b.WriteString("\n")
		}
	}

	b.WriteString(l.pick("\n## 总结（7.2 书面总结报告）\n\n", "\n## Summary (7.2 written drill report)\n\n"))
	for _, para := range drillSummary(n, p, tl, l, clock) {
		b.WriteString(para + "\n\n")
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}

// writeDrillStep writes one step's details; prev is the state after the
// last accepted step, for what changed.
func writeDrillStep(b *strings.Builder, n drillNames, tl *drill.Timeline, prev, st drill.TimelineStep, l lang, clock func(workflow.Time) string) {
	fmt.Fprintf(b, l.pick("\n### %d. %s %s（%s）\n\n", "\n### %d. %s %s (%s)\n\n"), st.N, clock(st.At), n.event(st.Event), n.party(st.Actor))
	if st.OccurredAt != st.At && !st.OccurredAt.IsZero() {
		fmt.Fprintf(b, l.pick("- 发生时间：%s\n", "- Occurred at: %s\n"), dateTimeText(st.OccurredAt))
	}
	if st.Note != "" {
		fmt.Fprintf(b, l.pick("- 说明：%s\n", "- Note: %s\n"), st.Note)
	}
	if !st.Accepted {
		msg, ok := n.guard(st.Event, st.Rejection)
		if !ok {
			msg = strings.TrimPrefix(st.Error, "workflow: ")
		}
		fmt.Fprintf(b, l.pick("- **拒绝**：%s（%s", "- **Rejected**: %s (%s"), msg, st.Rejection)
		if st.Clause != "" {
			fmt.Fprintf(b, l.pick("，%s", ", %s"), st.Clause)
		}
		b.WriteString(l.pick("）\n", ")\n"))
	}
	if !st.AsExpected {
		fmt.Fprintf(b, l.pick("- **与脚本预期不符**：预期 %s\n", "- **Not as expected**: the scenario expects %s\n"), st.Expect)
	}
	if st.Duplicate {
		b.WriteString(l.pick("- 重复事件：已在记录中，无变化\n", "- Duplicate: already in the log; nothing changed\n"))
	}
	if st.Late {
		b.WriteString(l.pick("- 迟到事件：发生在已接受的事件之前，按顺序规则接受\n", "- Late: it occurred before an event accepted earlier, and was accepted under the ordering rule\n"))
	}
	if st.Accepted {
		var changes []string
		add := func(what, from, to string) {
			if from != to {
				changes = append(changes, fmt.Sprintf("%s %s → %s", what, from, to))
			}
		}
		prevPhase := ""
		if prev.N > 0 {
			prevPhase = n.phase(prev.Phase)
		} else if ph := initialPhase(n.def); ph != nil {
			prevPhase = ph.Name
		}
		add(l.pick("阶段", "phase"), orDash(prevPhase), n.phase(st.Phase))
		add(l.pick("级别", "grade"), n.level(prev.Level), n.level(st.Level))
		add(l.pick("响应", "response"), n.response(prev.Response), n.response(st.Response))
		add(l.pick("现场指挥", "site command"), n.command(prev.CommandHolder, l), n.command(st.CommandHolder, l))
		if len(changes) > 0 {
			fmt.Fprintf(b, l.pick("- 变化：%s\n", "- Changed: %s\n"), strings.Join(changes, l.pick("；", "; ")))
		}
	}
	if len(st.Opened) > 0 {
		writeWrappedIndent(b, fmt.Sprintf(l.pick("- 开启任务（%d）：", "- Tasks opened (%d): "), len(st.Opened)), "  ", n.taskList(st.Opened), l.pick("；", "; "), 100)
	}
	if len(st.Done) > 0 {
		writeWrappedIndent(b, l.pick("- 完成任务：", "- Tasks done: "), "  ", n.taskList(st.Done), l.pick("；", "; "), 100)
	}
	// Waived tasks, grouped by the reason.
	for i := 0; i < len(st.Waivers); {
		j := i + 1
		for j < len(st.Waivers) && st.Waivers[j].Reason == st.Waivers[i].Reason {
			j++
		}
		var ids []string
		for _, w := range st.Waivers[i:j] {
			ids = append(ids, w.Task)
		}
		fmt.Fprintf(b, l.pick("- 免除任务（%s）：%s\n", "- Tasks waived (%s): %s\n"), st.Waivers[i].Reason, n.tasks(ids, l))
		i = j
	}
	for _, mk := range st.Deadlines {
		b.WriteString("- " + markText(n, mk, l, clock) + "\n")
	}
	for _, f := range st.Flags {
		fmt.Fprintf(b, l.pick("- **标记 %s**（%s）：%s\n", "- **Flagged %s** [%s]: %s\n"), orDash(f.Name), f.Clause, flagText(n, st, f, l, clock))
	}
	for _, ms := range st.Missing {
		var items []string
		for _, it := range ms.Items {
			items = append(items, it.Label+l.pick("（"+it.Clause+"）", " ["+it.Clause+"]"))
		}
		fmt.Fprintf(b, l.pick("- 缺少的内容：%s\n", "- Missing: %s\n"), strings.Join(items, l.pick("；", "; ")))
	}
	writeNotices(b, n, st.Notices, l)
}

// writeNotices lists a step's reports and notices grouped by who makes
// them, in order of first appearance; a party told under several clauses
// is listed once with all of them. The parties of a newly activated
// roster that are told by no one in particular close the list.
func writeNotices(b *strings.Builder, n drillNames, notes []workflow.Notice, l lang) {
	if len(notes) == 0 {
		return
	}
	type recipient struct {
		name        string
		clauses     []string
		conditional bool
	}
	type group struct {
		by, byName string
		to         []*recipient
		seen       map[string]*recipient
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, nt := range notes {
		g, ok := byKey[nt.By]
		if !ok {
			g = &group{by: nt.By, byName: n.party(nt.By), seen: map[string]*recipient{}}
			byKey[nt.By] = g
			groups = append(groups, g)
		}
		// The name the sender is bound to (吉木萨尔县应急管理局 for the
		// local bureau), where a notice gives it; a unit's short name.
		if nt.ByName != "" && !n.hasShort(nt.By) {
			g.byName = nt.ByName
		}
		// The roster's name for the party, or the plan's short name of a
		// unit, so that a party told twice is named the same both times.
		name := nt.ToName
		if name == "" || n.hasShort(nt.To) {
			name = n.party(nt.To)
		}
		r, ok := g.seen[nt.To]
		if !ok {
			r = &recipient{name: name, conditional: true}
			g.seen[nt.To] = r
			g.to = append(g.to, r)
		}
		if nt.Clause != "" && !contains(r.clauses, nt.Clause) {
			r.clauses = append(r.clauses, nt.Clause)
		}
		r.conditional = r.conditional && nt.Conditional
	}
	// The parties told by no one in particular go last.
	for i, g := range groups {
		if g.by == "" && i < len(groups)-1 {
			groups = append(append(groups[:i:i], groups[i+1:]...), g)
			break
		}
	}
	fmt.Fprintf(b, l.pick("- 报告与通知（%d）：\n", "- Reports and notices (%d):\n"), len(notes))
	for _, g := range groups {
		var items []string
		for _, r := range g.to {
			s := r.name + l.pick("（"+strings.Join(r.clauses, "、")+"）", " ["+strings.Join(r.clauses, "; ")+"]")
			if r.conditional {
				s += l.pick("［必要时］", " (if needed)")
			}
			items = append(items, s)
		}
		head := "  - " + g.byName + " → "
		if g.by == "" {
			head = l.pick("  - 启动的响应名单（参与）：", "  - engaged by the response activated: ")
		}
		writeWrappedIndent(b, head, "    ", items, l.pick("、", ", "), 100)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// markText says what happened to a deadline.
func markText(n drillNames, mk workflow.Mark, l lang, clock func(workflow.Time) string) string {
	task := n.task(mk.Task)
	switch mk.Kind.String() {
	case "set":
		return fmt.Sprintf(l.pick("时限：%s 须于 %s 前完成", "Deadline: %s is due by %s"), task, clock(mk.Due))
	case "met":
		return fmt.Sprintf(l.pick("按时完成：%s（时限 %s）", "Met: %s (due %s)"), task, clock(mk.Due))
	case "missed":
		if mk.At != nil {
			return fmt.Sprintf(l.pick("超时：%s 于 %s 完成，时限 %s，超时 %s", "Missed: %s done at %s, due %s, late by %s"),
				task, clock(*mk.At), clock(mk.Due), durationText(mk.At.Sub(mk.Due), l))
		}
		return fmt.Sprintf(l.pick("超时：%s，时限 %s", "Missed: %s, due %s"), task, clock(mk.Due))
	}
	return fmt.Sprintf("%s: %s %s", mk.Kind, task, clock(mk.Due))
}

// flagText explains a finding: a late task by its deadline, an incomplete
// report by what it lacks, else the workflow's own note.
func flagText(n drillNames, st drill.TimelineStep, f workflow.Flag, l lang, clock func(workflow.Time) string) string {
	if f.Task != "" {
		for _, mk := range st.Deadlines {
			if mk.Task == f.Task && mk.Kind.String() == "missed" && mk.At != nil {
				return fmt.Sprintf(l.pick("%s 超时 %s", "%s late by %s"), n.task(mk.Task), durationText(mk.At.Sub(mk.Due), l))
			}
		}
	}
	if len(st.Missing) > 0 && f.Task == "" {
		var items []string
		for _, ms := range st.Missing {
			for _, it := range ms.Items {
				items = append(items, it.Label)
			}
		}
		return l.pick("缺少 ", "lacks ") + strings.Join(items, l.pick("、", ", "))
	}
	return f.Note
}

// drillSummary is the closing summary, one paragraph a line.
func drillSummary(n drillNames, p *yingji.Plan, tl *drill.Timeline, l lang, clock func(workflow.Time) string) []string {
	var out []string
	m := p.Manifest
	s := tl.Summary
	out = append(out, fmt.Sprintf(l.pick("演练《%s》（%s）依据《%s》（%s · %s），模拟时钟自 %s 至 %s。", "Drill “%s” (%s) under “%s” (%s · %s), simulated clock from %s to %s."),
		tl.Title, orDash(tl.Clause), m.Title, tl.Plan.ID, tl.Plan.Revision, dateTimeText(tl.Start), clock(tl.End)))
	out = append(out, fmt.Sprintf(l.pick("共 %d 步：接受 %d 步，拒绝 %d 步；与脚本预期不符 %d 步。", "%d steps: %d accepted, %d rejected; %d not as the scenario expects."),
		s.Steps, s.Accepted, s.Rejected, s.Unexpected))
	out = append(out, fmt.Sprintf(l.pick("结束时处于%s阶段，事故级别%s，响应级别%s，现场指挥为%s。", "At the end: phase %s, grade %s, response %s, site command %s."),
		n.phase(tl.Phase), n.level(tl.Level), n.response(tl.Response), commandOf(n, tl.CommandHolder, tl.CommandFormed, l)))
	prev := ""
	for _, st := range tl.Steps {
		if !st.Accepted {
			continue
		}
		if prev != "" && st.CommandHolder != prev {
			out = append(out, fmt.Sprintf(l.pick("指挥权移交：第 %d 步（%s）%s，由 %s 移交 %s。", "Command transferred at step %d (%s) %s: from %s to %s."),
				st.N, clock(st.At), n.event(st.Event), n.command(prev, l), n.command(st.CommandHolder, l)))
		}
		prev = st.CommandHolder
	}
	out = append(out, fmt.Sprintf(l.pick("时限：按时 %d 项，超时 %d 项；任务共开启 %d 项，完成 %d 项，免除 %d 项，仍未完成 %d 项。", "Deadlines: %d met, %d missed; tasks: %d opened, %d done, %d waived, %d still open."),
		s.DeadlinesMet, s.DeadlinesMissed, tl.Tasks.Opened, tl.Tasks.Done, tl.Tasks.Waived, tl.Tasks.Open))
	if len(tl.Flags) > 0 {
		var fs []string
		for _, f := range tl.Flags {
			fs = append(fs, fmt.Sprintf(l.pick("%s（%s，%s）", "%s [%s, %s]"), f.Name, f.Clause, clock(f.At)))
		}
		out = append(out, fmt.Sprintf(l.pick("记录的问题：%s。", "Findings: %s."), strings.Join(fs, l.pick("；", "; "))))
	}
	if len(tl.Overdue) == 0 {
		out = append(out, fmt.Sprintf(l.pick("截至 %s 无逾期任务。", "Nothing overdue at %s."), clock(tl.End)))
	} else {
		var ds []string
		for _, d := range tl.Overdue {
			ds = append(ds, d.Name)
		}
		out = append(out, fmt.Sprintf(l.pick("截至 %s 逾期 %d 项：%s。", "Overdue at %s: %d, %s."), clock(tl.End), len(tl.Overdue), strings.Join(ds, l.pick("；", "; "))))
	}
	var rej []string
	for _, st := range tl.Steps {
		if st.Accepted {
			continue
		}
		msg, ok := n.guard(st.Event, st.Rejection)
		if !ok {
			msg = st.Rejection
		}
		rej = append(rej, fmt.Sprintf(l.pick("第 %d 步 %s（%s）：%s（%s）", "step %d %s (%s): %s [%s]"), st.N, n.event(st.Event), n.party(st.Actor), msg, st.Clause))
	}
	if len(rej) > 0 {
		out = append(out, fmt.Sprintf(l.pick("被拒绝的操作：%s。", "Rejected: %s."), strings.Join(rej, l.pick("；", "; "))))
	}
	return out
}

func commandOf(n drillNames, holder, formed string, l lang) string {
	if holder == "" {
		return "—"
	}
	return n.formed(holder, formed, l)
}

func initialPhase(def *workflow.Definition) *workflow.Phase {
	for _, ph := range def.Phases() {
		if ph.Initial {
			return ph
		}
	}
	return nil
}

// clockText is a time of the drill: "09:10" on the day it started, with
// the date on another day, and the offset when it differs from the
// start's (a Beijing-time record in a Xinjiang-time drill).
func clockText(t workflow.Time, start time.Time) string {
	tt := t.Time()
	s := tt.Format("15:04")
	if y, m, d := tt.In(start.Location()).Date(); y != start.Year() || m != start.Month() || d != start.Day() {
		s = tt.Format("01-02 15:04")
	}
	if _, off := tt.Zone(); func() bool { _, so := start.Zone(); return so != off }() {
		s += tt.Format(" -07:00")
	}
	return s
}

func dateTimeText(t workflow.Time) string {
	return t.Time().Format("2006-01-02 15:04 (UTC-07:00)")
}

// offsetText is a step's time from the start of the drill: "+1:05".
func offsetText(d time.Duration, _ lang) string {
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	d = d.Round(time.Minute)
	return fmt.Sprintf("%s%d:%02d", sign, int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// durationText is a duration in words: "1 小时 5 分钟", "1h5m".
func durationText(d time.Duration, l lang) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	unit := func(v int, zhU, enU string) {
		if v != 0 {
			parts = append(parts, fmt.Sprintf(l.pick("%d %s", "%d%s"), v, l.pick(zhU, enU)))
		}
	}
	unit(h, "小时", "h")
	unit(m, "分钟", "m")
	unit(s, "秒", "s")
	if len(parts) == 0 {
		return "0"
	}
	return strings.Join(parts, l.pick(" ", ""))
}

func shortHash(h string) string {
	if len(h) > 19 {
		return h[:19] + "…"
	}
	return h
}

// cell escapes a Markdown table cell.
func cell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
