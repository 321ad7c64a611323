package drill

import (
	"fmt"
	"strings"

	"github.com/yingji/yingji/workflow"
)

// summaryText is the closing summary, one paragraph a line, in the
// language of n: what was drilled under which plan, the steps, the state
// at the end, the transfers of site command (where the drill had site
// command), the deadlines and tasks, the findings, the windows still open,
// what is overdue and what was refused. title is the plan's title, "" when
// not known. Run keeps the Chinese text in Summary.Text; Markdown renders
// it again in the language asked.
func summaryText(tl *Timeline, n names, title string) []string {
	l := n.l
	s := tl.Summary
	start := tl.Start.Time()
	at := func(t workflow.Time) string { return clock(t, start) }
	sep := l.Pick("；", "; ")
	var out []string
	add := func(zh, en string, args ...any) { out = append(out, fmt.Sprintf(l.Pick(zh, en), args...)) }

	what := tl.Title
	if tl.Clause != "" {
		what += l.Pick("》（"+tl.Clause+"）", "” ("+tl.Clause+")")
	} else {
		what += l.Pick("》", "”")
	}
	plan := " " + planRef(tl.Plan, l)
	if title != "" {
		plan = fmt.Sprintf(l.Pick("《%s》（%s）", " “%s” (%s)"), title, planRef(tl.Plan, l))
	}
	add("演练《%s依据%s，模拟时钟自 %s 至 %s。", "Drill “%s under%s, simulated clock from %s to %s.", what, plan, dateTime(tl.Start), at(tl.End))
	add("共 %d 步：接受 %d 步，拒绝 %d 步；与脚本预期不符 %d 步。", "%d steps: %d accepted, %d rejected; %d not as the scenario expects.",
		s.Steps, s.Accepted, s.Rejected, s.Unexpected)

	end := fmt.Sprintf(l.Pick("结束时处于%s阶段，事故级别%s", "At the end: phase %s, grade %s"), n.phase(tl.Phase), n.level(tl.Level))
	if tl.usesResponse() {
		end += fmt.Sprintf(l.Pick("，响应级别%s", ", response %s"), n.response(tl.Response))
	}
	if tl.usesCommand() {
		end += fmt.Sprintf(l.Pick("，现场指挥为%s", ", site command %s"), n.formed(tl.CommandHolder, tl.CommandFormed))
	}
	out = append(out, end+l.Pick("。", "."))

	if tl.usesCommand() {
		prev, moved := "", false
		for _, st := range tl.Steps {
			if !st.Accepted {
				continue
			}
			if prev != "" && st.CommandHolder != prev {
				add("指挥权移交：第 %d 步（%s）%s，由 %s 移交 %s。", "Command transferred at step %d (%s) %s: from %s to %s.",
					st.N, at(st.At), n.event(st.Event), n.command(prev), n.command(st.CommandHolder))
				moved = true
			}
			prev = st.CommandHolder
		}
		if !moved {
			add("指挥权未移交。", "Command was not transferred.")
		}
	}

	add("时限：按时 %d 项，超时 %d 项；任务共开启 %d 项，完成 %d 项，免除 %d 项，仍未完成 %d 项。",
		"Deadlines: %d met, %d missed; tasks: %d opened, %d done, %d waived, %d still open.",
		s.DeadlinesMet, s.DeadlinesMissed, tl.Tasks.Opened, tl.Tasks.Done, tl.Tasks.Waived, tl.Tasks.Open)
	var waivers []Waiver
	for _, st := range tl.Steps {
		waivers = append(waivers, st.Waivers...)
	}
	for _, g := range groupWaivers(waivers) {
		add("免除 %d 项（%s）：%s。", "Waived, %d (%s): %s.", len(g.tasks), g.reason, strings.Join(n.tasks(g.tasks), sep))
	}

	if len(tl.Flags) > 0 {
		var fs []string
		for _, f := range tl.Flags {
			fs = append(fs, fmt.Sprintf(l.Pick("%s（%s，%s）", "%s [%s, %s]"), orNone(f.Name), f.Clause, at(f.At)))
		}
		add("记录的问题：%s。", "Findings: %s.", strings.Join(fs, sep))
	} else {
		add("未记录问题。", "No findings recorded.")
	}
	if len(tl.Windows) > 0 {
		var ws []string
		for _, d := range tl.Windows {
			ws = append(ws, fmt.Sprintf(l.Pick("%s（%s，%s，至 %s）", "%s (%s, %s, until %s)"), orNone(d.Name), n.party(d.Assignee, d.AssigneeName), d.Clause, at(d.Due)))
		}
		add("截至 %s 尚未届满的期间：%s。", "Windows still open at %s: %s.", at(tl.End), strings.Join(ws, sep))
	}
	if len(tl.Overdue) == 0 {
		add("截至 %s 无逾期任务。", "Nothing overdue at %s.", at(tl.End))
	} else {
		var ds []string
		for _, d := range tl.Overdue {
			ds = append(ds, fmt.Sprintf(l.Pick("%s（%s，%s，逾期 %s）", "%s (%s, %s, overdue by %s)"),
				orNone(d.Name), n.party(d.Assignee, d.AssigneeName), d.Clause, duration(d.Overdue, l)))
		}
		add("截至 %s 逾期 %d 项：%s。", "Overdue at %s, %d: %s.", at(tl.End), len(tl.Overdue), strings.Join(ds, sep))
	}
	var rej []string
	for _, st := range tl.Steps {
		if st.Accepted {
			continue
		}
		clause := ""
		if st.Clause != "" {
			clause = l.Pick("（"+st.Clause+"）", " ["+st.Clause+"]")
		}
		rej = append(rej, fmt.Sprintf(l.Pick("第 %d 步 %s（%s）：%s%s", "step %d %s (%s): %s%s"),
			st.N, n.event(st.Event), n.party(st.Actor, st.ActorName), n.rejection(st), clause))
	}
	if len(rej) > 0 {
		add("被拒绝的操作：%s。", "Refused: %s.", strings.Join(rej, sep))
	}
	return out
}
