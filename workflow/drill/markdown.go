package drill

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/internal/human"
	"github.com/yingji/yingji/workflow"
)

// MarkdownOption configures Markdown.
//
// Concurrency: an Option only sets the configuration of the call it is
// passed to, so one may be shared and reused.
type MarkdownOption func(*report)

// Language sets the language of the report: "zh" (the default) or "en"
// (any tag that starts with "en"). The plan's own words — the names of
// its units, tasks and phases, its clauses and its guards' messages —
// stay as the plan writes them.
func Language(tag string) MarkdownOption {
	return func(r *report) { r.l = human.Of(tag) }
}

// PlanTitle names the plan in the header and the summary, as its manifest
// titles it: the workflow definition knows the plan's id, revision and
// hash, not its title.
func PlanTitle(title string) MarkdownOption {
	return func(r *report) { r.title = title }
}

// report is one rendering of a timeline.
type report struct {
	tl    *Timeline
	n     names
	l     human.Lang
	title string
	b     strings.Builder
}

func (r *report) w(format string, args ...any) { fmt.Fprintf(&r.b, format, args...) }

// text writes text in the report's language.
func (r *report) text(zh, en string) { r.b.WriteString(r.l.Pick(zh, en)) }

// pick returns the text in the report's language.
func (r *report) pick(zh, en string) string { return r.l.Pick(zh, en) }

func (r *report) clock(t workflow.Time) string { return clock(t, r.tl.Start.Time()) }

// Markdown renders the timeline for the people who run and report the
// drill: a header, the timeline at a glance, each step's details (what
// changed, tasks opened and done, deadlines, findings, and the reports and
// notices it calls for, grouped by who makes them), the final state and a
// closing summary fit to be the written drill report — in Chinese unless
// Language says otherwise, naming units, tasks, phases and grades as the
// plan names them (through the definition the timeline was run under;
// a timeline decoded from JSON has only the names it carries).
//
// Nothing in it is a particular plan's: the clause in the headings is the
// drill's, and the response and site-command columns and lines appear
// only when the drill's workflow used them.
func (tl *Timeline) Markdown(opts ...MarkdownOption) string {
	r := &report{tl: tl}
	for _, o := range opts {
		o(r)
	}
	r.n = names{def: tl.def, l: r.l}
	r.header()
	response, command := tl.usesResponse(), tl.usesCommand()
	r.table(response, command)
	r.text("\n## 各步详情\n", "\n## Steps\n")
	for _, st := range tl.Steps {
		r.step(st)
	}
	r.final(response, command)
	if tl.Clause != "" {
		r.w(r.pick("\n## 总结（%s）\n\n", "\n## Summary (%s)\n\n"), tl.Clause)
	} else {
		r.text("\n## 总结\n\n", "\n## Summary\n\n")
	}
	for _, p := range summaryText(tl, r.n, r.title) {
		r.w("%s\n\n", p)
	}
	return strings.TrimRight(r.b.String(), "\n") + "\n"
}

func (r *report) header() {
	tl := r.tl
	r.w(r.pick("# 演练：%s", "# Drill: %s"), tl.Title)
	if tl.Clause != "" {
		r.w(r.pick("（%s）", " (%s)"), tl.Clause)
	}
	r.w("\n\n")
	if tl.Drill != "" {
		r.w(r.pick("- 演练编号：%s\n", "- Drill: %s\n"), tl.Drill)
	}
	ref := planRef(tl.Plan, r.l)
	if tl.Plan.Hash != "" {
		ref += r.pick("，", ", ") + shortHash(tl.Plan.Hash)
	}
	if r.title != "" {
		r.w(r.pick("- 预案：%s（%s）\n", "- Plan: %s (%s)\n"), r.title, ref)
	} else {
		r.w(r.pick("- 预案：%s\n", "- Plan: %s\n"), ref)
	}
	wf := tl.Workflow
	if tl.def != nil && tl.def.Title() != "" {
		wf = tl.def.Title()
	}
	r.w(r.pick("- 工作流：%s\n", "- Workflow: %s\n"), orNone(wf))
	r.w(r.pick("- 模拟时钟：%s 至 %s\n", "- Simulated clock: %s to %s\n"), dateTime(tl.Start), r.clock(tl.End))
	if tl.Scenario != "" {
		r.w(r.pick("- 情景：%s\n", "- Scenario: %s\n"), strings.Join(strings.Fields(tl.Scenario), " "))
	}
}

// planRef is "changji-2025 · 2025 修订稿".
func planRef(p workflow.PlanRef, l human.Lang) string {
	s := p.ID
	if p.Revision != "" {
		s += " · " + p.Revision
	}
	if s == "" {
		return l.Pick("（未指明预案）", "(no plan)")
	}
	return s
}

// table is the timeline at a glance.
func (r *report) table(response, command bool) {
	head := r.pick("| # | 时间 | 事件 | 执行者 | 结果 | 阶段 | 级别 |", "| # | Time | Event | Actor | Outcome | Phase | Grade |")
	rule := "|---|---|---|---|---|---|---|"
	if response {
		head, rule = head+r.pick(" 响应 |", " Response |"), rule+"---|"
	}
	if command {
		head, rule = head+r.pick(" 现场指挥 |", " Site command |"), rule+"---|"
	}
	r.text("\n## 时间线\n\n", "\n## Timeline\n\n")
	r.w("%s\n%s\n", head, rule)
	n := r.n
	for _, st := range r.tl.Steps {
		outcome := r.pick("接受", "accepted")
		if !st.Accepted {
			outcome = r.pick("拒绝", "rejected")
			if st.Clause != "" {
				outcome += r.pick("（"+st.Clause+"）", " ["+st.Clause+"]")
			}
		}
		if st.Duplicate {
			outcome += r.pick("（重复）", " (duplicate)")
		}
		if !st.AsExpected {
			outcome += r.pick(" ⚠ 与预期不符", " ⚠ not as expected")
		}
		r.w("| %d | %s (%s) | %s | %s | %s | %s | %s |", st.N, r.clock(st.At), offset(st.At.Sub(r.tl.Start), r.l),
			cell(n.event(st.Event)), cell(n.party(st.Actor, st.ActorName)), cell(outcome), cell(n.phase(st.Phase)), cell(n.level(st.Level)))
		if response {
			r.w(" %s |", cell(n.response(st.Response)))
		}
		if command {
			r.w(" %s |", cell(n.command(st.CommandHolder)))
		}
		r.w("\n")
	}
}

// step writes one step's details.
func (r *report) step(st TimelineStep) {
	n := r.n
	r.w(r.pick("\n### %d. %s %s（%s）\n\n", "\n### %d. %s %s (%s)\n\n"), st.N, r.clock(st.At), n.event(st.Event), n.party(st.Actor, st.ActorName))
	if st.OccurredAt != st.At && !st.OccurredAt.IsZero() {
		r.w(r.pick("- 发生时间：%s\n", "- Occurred at: %s\n"), dateTime(st.OccurredAt))
	}
	if st.Note != "" {
		r.w(r.pick("- 说明：%s\n", "- Note: %s\n"), st.Note)
	}
	if !st.Accepted {
		r.w(r.pick("- **拒绝**：%s（%s", "- **Rejected**: %s (%s"), n.rejection(st), st.Rejection)
		if st.Clause != "" {
			r.w(r.pick("，%s", ", %s"), st.Clause)
		}
		r.text("）\n", ")\n")
	}
	if !st.AsExpected {
		r.w(r.pick("- **与脚本预期不符**：预期 %s\n", "- **Not as expected**: the scenario expects %s\n"), st.Expect)
	}
	if st.Duplicate {
		r.text("- 重复事件：已在记录中，无变化\n", "- Duplicate: already in the log; nothing changed\n")
	}
	if st.Late {
		r.text("- 迟到事件：发生在已接受的事件之前，按顺序规则接受并标记\n", "- Late: it occurred before an event accepted earlier, and was accepted under the ordering rule and marked\n")
	}
	if !st.Accepted {
		return
	}
	if cs := r.changes(st); len(cs) > 0 {
		r.w(r.pick("- 变化：%s\n", "- Changed: %s\n"), strings.Join(cs, r.pick("；", "; ")))
	}
	sep := r.pick("；", "; ")
	if len(st.Opened) > 0 {
		human.WriteWrapped(&r.b, fmt.Sprintf(r.pick("- 开启任务（%d）：", "- Tasks opened (%d): "), len(st.Opened)), "  ", n.tasks(st.Opened), sep, 100)
	}
	if len(st.Done) > 0 {
		human.WriteWrapped(&r.b, r.pick("- 完成任务：", "- Tasks done: "), "  ", n.tasks(st.Done), sep, 100)
	}
	// Windows whose period ended, unless a mark below says so.
	var ended []string
	for _, id := range st.Ended {
		if !slices.ContainsFunc(st.Deadlines, func(m workflow.Mark) bool { return m.Task == id && m.Kind == workflow.WindowEnded }) {
			ended = append(ended, id)
		}
	}
	if len(ended) > 0 {
		human.WriteWrapped(&r.b, r.pick("- 期间届满：", "- Windows ended: "), "  ", n.tasks(ended), sep, 100)
	}
	for _, g := range groupWaivers(st.Waivers) {
		human.WriteWrapped(&r.b, fmt.Sprintf(r.pick("- 免除任务（%s）：", "- Tasks waived (%s): "), g.reason), "  ", n.tasks(g.tasks), sep, 100)
	}
	for _, mk := range st.Deadlines {
		r.w("- %s\n", r.mark(mk))
	}
	for _, f := range st.Flags {
		r.w(r.pick("- **标记 %s**（%s）：%s\n", "- **Flagged %s** [%s]: %s\n"), orNone(f.Name), f.Clause, r.flag(st, f))
	}
	for _, ms := range st.Missing {
		var items []string
		for _, it := range ms.Items {
			items = append(items, it.Label+r.pick("（"+it.Clause+"）", " ["+it.Clause+"]"))
		}
		r.w(r.pick("- 缺少的内容：%s\n", "- Missing: %s\n"), strings.Join(items, sep))
	}
	r.notices(st.Notices)
}

// changes says what the step changed, by name: "阶段 接报 → 先期处置".
func (r *report) changes(st TimelineStep) []string {
	var out []string
	for _, c := range st.Changes {
		label := c.What
		switch c.What {
		case "phase":
			label = r.pick("阶段", "phase")
		case "level":
			label = r.pick("级别", "grade")
		case "response":
			label = r.pick("响应", "response")
		case "requested":
			label = r.pick("报请上级响应的级别", "higher response requested for")
		case "command":
			label = r.pick("现场指挥", "site command")
		}
		out = append(out, fmt.Sprintf("%s %s → %s", label, r.n.changed(c.What, c.From, c.FromName), r.n.changed(c.What, c.To, c.ToName)))
	}
	return out
}

// mark says what happened to a deadline or a window.
func (r *report) mark(mk workflow.Mark) string {
	task := r.n.task(mk.Task)
	due := r.clock(mk.Due)
	window := r.n.window(mk.Task)
	switch {
	case mk.Kind == workflow.DeadlineSet && window:
		return fmt.Sprintf(r.pick("期间：%s，至 %s", "Window: %s, until %s"), task, due)
	case mk.Kind == workflow.DeadlineSet:
		return fmt.Sprintf(r.pick("时限：%s 须于 %s 前完成", "Deadline: %s is due by %s"), task, due)
	case mk.Kind == workflow.DeadlineMet && window:
		return fmt.Sprintf(r.pick("在期间内：%s（至 %s）", "Within the window: %s (until %s)"), task, due)
	case mk.Kind == workflow.DeadlineMet:
		return fmt.Sprintf(r.pick("按时完成：%s（时限 %s）", "Met: %s (due %s)"), task, due)
	case mk.Kind == workflow.DeadlineMissed && mk.At != nil && window:
		return fmt.Sprintf(r.pick("超出期间：%s 于 %s，期间至 %s，超出 %s", "After the window: %s at %s, the window ended %s, %s after"),
			task, r.clock(*mk.At), due, duration(mk.At.Sub(mk.Due), r.l))
	case mk.Kind == workflow.DeadlineMissed && mk.At != nil:
		return fmt.Sprintf(r.pick("超时：%s 于 %s 完成，时限 %s，超时 %s", "Missed: %s done at %s, due %s, late by %s"),
			task, r.clock(*mk.At), due, duration(mk.At.Sub(mk.Due), r.l))
	case mk.Kind == workflow.DeadlineMissed:
		return fmt.Sprintf(r.pick("超时：%s，时限 %s", "Missed: %s, due %s"), task, due)
	case mk.Kind == workflow.WindowEnded:
		return fmt.Sprintf(r.pick("期间届满：%s（%s）", "Window ended: %s (%s)"), task, due)
	}
	return fmt.Sprintf("%s: %s %s", mk.Kind, task, due)
}

// flag explains a finding: in Chinese by the workflow's own note (the
// engine's or the data's), which names the task and says by how much it
// was late, or the items a report lacks; in English, where the notes are
// Chinese, a late task by its deadline and an incomplete report by what
// it lacks.
func (r *report) flag(st TimelineStep, f workflow.Flag) string {
	if r.l == human.Chinese && f.Note != "" {
		return f.Note
	}
	if f.Task != "" {
		for _, mk := range st.Deadlines {
			if mk.Task == f.Task && mk.Kind == workflow.DeadlineMissed && mk.At != nil {
				format := r.pick("%s 超时 %s", "%s late by %s")
				if r.n.window(mk.Task) {
					format = r.pick("%s 超出期间 %s", "%s, %s after the window")
				}
				return fmt.Sprintf(format, r.n.task(mk.Task), duration(mk.At.Sub(mk.Due), r.l))
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
		return r.pick("缺少 ", "lacks ") + strings.Join(items, r.pick("、", ", "))
	}
	return f.Note
}

// notices lists a step's reports and notices grouped by who makes them,
// in order of first appearance; a party told under several clauses is
// listed once with all of them. The parties of a newly activated roster
// that are told by no one in particular close the list.
func (r *report) notices(notes []workflow.Notice) {
	if len(notes) == 0 {
		return
	}
	n := r.n
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
			g = &group{by: nt.By, byName: n.party(nt.By, nt.ByName), seen: map[string]*recipient{}}
			byKey[nt.By] = g
			groups = append(groups, g)
		}
		// The name the sender is bound to (吉木萨尔县应急管理局 for the
		// local bureau), where a later notice gives it.
		if nt.ByName != "" && !n.hasShort(nt.By) {
			g.byName = nt.ByName
		}
		rc, ok := g.seen[nt.To]
		if !ok {
			rc = &recipient{name: n.party(nt.To, nt.ToName), conditional: true}
			g.seen[nt.To] = rc
			g.to = append(g.to, rc)
		}
		if nt.Clause != "" && !slices.Contains(rc.clauses, nt.Clause) {
			rc.clauses = append(rc.clauses, nt.Clause)
		}
		rc.conditional = rc.conditional && nt.Conditional
	}
	// The parties told by no one in particular go last.
	for i, g := range groups {
		if g.by == "" && i < len(groups)-1 {
			groups = append(append(groups[:i:i], groups[i+1:]...), g)
			break
		}
	}
	r.w(r.pick("- 报告与通知（%d）：\n", "- Reports and notices (%d):\n"), len(notes))
	for _, g := range groups {
		var items []string
		for _, rc := range g.to {
			s := rc.name
			if len(rc.clauses) > 0 {
				s += r.pick("（"+strings.Join(rc.clauses, "、")+"）", " ["+strings.Join(rc.clauses, "; ")+"]")
			}
			if rc.conditional {
				s += r.pick("［必要时］", " (if needed)")
			}
			items = append(items, s)
		}
		head := "  - " + g.byName + " → "
		if g.by == "" {
			head = r.pick("  - 启动的响应名单（参与）：", "  - engaged by the response activated: ")
		}
		human.WriteWrapped(&r.b, head, "    ", items, r.pick("、", ", "), 100)
	}
}

// final is the state at the end of the drill: the phase, the grade, the
// response and site command where the drill used them, the windows still
// open, what is overdue and the tasks still open.
func (r *report) final(response, command bool) {
	tl, n := r.tl, r.n
	r.text("\n## 结束状态\n\n", "\n## Final state\n\n")
	r.w(r.pick("- 阶段：%s\n- 事故级别：%s\n", "- Phase: %s\n- Grade: %s\n"), n.phase(tl.Phase), n.level(tl.Level))
	if response {
		r.w(r.pick("- 响应级别：%s\n", "- Response: %s\n"), n.response(tl.Response))
	}
	if command {
		r.w(r.pick("- 现场指挥：%s\n", "- Site command: %s\n"), n.formed(tl.CommandHolder, tl.CommandFormed))
	}
	if len(tl.Windows) > 0 {
		r.w(r.pick("\n### 未届满的期间（截至 %s）\n\n", "\n### Windows still open (at %s)\n\n"), r.clock(tl.End))
		for _, d := range tl.Windows {
			r.w(r.pick("- %s（%s，%s）：至 %s\n", "- %s (%s, %s): until %s\n"), orNone(d.Name), n.party(d.Assignee, d.AssigneeName), d.Clause, r.clock(d.Due))
		}
	}
	if len(tl.Overdue) > 0 {
		r.w(r.pick("\n### 逾期任务（截至 %s）\n\n", "\n### Overdue (at %s)\n\n"), r.clock(tl.End))
		for _, d := range tl.Overdue {
			r.w(r.pick("- %s（%s，%s）：时限 %s，已逾期 %s\n", "- %s (%s, %s): due %s, overdue by %s\n"),
				orNone(d.Name), n.party(d.Assignee, d.AssigneeName), d.Clause, r.clock(d.Due), duration(d.Overdue, r.l))
		}
	}
	if len(tl.Open) > 0 {
		r.text("\n### 未完成任务\n\n", "\n### Tasks still open\n\n")
		for _, t := range tl.Open {
			r.w(r.pick("- %s（%s，%s）", "- %s (%s, %s)"), orNone(t.Name), n.party(t.Assignee, t.AssigneeName), t.Clause)
			if t.Conditional != "" {
				r.w(r.pick("［%s］", " [if: %s]"), t.Conditional)
			}
			r.w("\n")
		}
	}
}

type waiverGroup struct {
	reason string
	tasks  []string
}

// groupWaivers groups waived tasks by reason, in order of first mention.
func groupWaivers(ws []Waiver) []waiverGroup {
	var out []waiverGroup
	for _, w := range ws {
		i := slices.IndexFunc(out, func(g waiverGroup) bool { return g.reason == w.Reason })
		if i < 0 {
			out = append(out, waiverGroup{reason: w.Reason})
			i = len(out) - 1
		}
		out[i].tasks = append(out[i].tasks, w.Task)
	}
	return out
}

// usesResponse reports whether the drill ever had a response level:
// workflows without one (a reporting chain) show no such column.
func (tl *Timeline) usesResponse() bool {
	return tl.Response != "" || slices.ContainsFunc(tl.Steps, func(st TimelineStep) bool { return st.Response != "" })
}

// usesCommand reports whether anyone ever held site command in the drill.
func (tl *Timeline) usesCommand() bool {
	return tl.CommandHolder != "" || slices.ContainsFunc(tl.Steps, func(st TimelineStep) bool { return st.CommandHolder != "" })
}
