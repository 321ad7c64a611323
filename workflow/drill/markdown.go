package drill

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/workflow"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// Markdown renders the timeline and its summary, fit to be the written
// drill report of 7.2.
func (tl *Timeline) Markdown() string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# 演练：%s\n\n", tl.Title)
	w("- 演练编号：%s\n- 依据：%s（%s）\n- 工作流：%s\n- 开始：%s\n- 结束：%s\n", tl.Drill, tl.Plan, orNone(tl.Clause), tl.Workflow, tl.Start, tl.End)
	if tl.Scenario != "" {
		w("- 情景：%s\n", strings.TrimSpace(tl.Scenario))
	}
	w("\n## 时间线\n\n| # | 时间 | 事件 | 执行者 | 结果 | 阶段 | 级别 | 响应 | 现场指挥 |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, st := range tl.Steps {
		result := "接受"
		switch {
		case st.Duplicate:
			result = "重复（无变化）"
		case !st.Accepted:
			result = "拒绝：" + st.Rejection
		}
		if !st.AsExpected {
			result += " ⚠ 预期 " + st.Expect
		}
		w("| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", st.N, clockText(st.At, tl.Start), st.Event, st.Actor, result,
			st.Phase, orNone(st.Level), orNone(st.Response), orNone(st.CommandHolder))
	}
	w("\n## 各步详情\n")
	for _, st := range tl.Steps {
		w("\n### %d. %s %s（%s）\n\n", st.N, clockText(st.At, tl.Start), st.Event, st.Actor)
		if st.OccurredAt != st.At {
			w("- 发生时间：%s\n", st.OccurredAt)
		}
		if st.Late {
			w("- 迟到事件：发生早于已接受的事件，按规则接受并标记\n")
		}
		if st.Note != "" {
			w("- 说明：%s\n", st.Note)
		}
		if !st.Accepted {
			w("- **拒绝**（%s，%s）：%s\n", st.Rejection, orNone(st.Clause), st.Error)
			continue
		}
		for _, c := range st.Changes {
			w("- 变化：%s\n", c)
		}
		list := func(label string, ids []string) {
			if len(ids) > 0 {
				w("- %s：%s\n", label, strings.Join(ids, "、"))
			}
		}
		list("开启任务", st.Opened)
		list("完成任务", st.Done)
		for _, g := range groupWaivers(st.Waivers) {
			w("- 免除任务（%s）：%s\n", g.reason, strings.Join(g.tasks, "、"))
		}
		for _, m := range st.Deadlines {
			w("- 时限 %s：%s，截止 %s\n", m.Kind, m.Task, m.Due)
		}
		for _, f := range st.Flags {
			w("- **标记 %s**（%s）：%s\n", orNone(f.Name), f.Clause, f.Note)
		}
		for _, ms := range st.Missing {
			var items []string
			for _, it := range ms.Items {
				items = append(items, it.Clause+" "+it.Label)
			}
			w("- 缺少的报告内容：%s\n", strings.Join(items, "；"))
		}
		if len(st.Notices) > 0 {
			var ns []string
			for _, n := range st.Notices {
				s := n.To + "（" + n.Clause + "）"
				if n.By != "" {
					s = n.By + " → " + s
				}
				if n.Conditional {
					s += "［必要时］"
				}
				ns = append(ns, s)
			}
			w("- 报告/通知：%s\n", strings.Join(ns, "；"))
		}
	}
	w("\n## 结束状态\n\n- 阶段：%s（%s）\n- 事故级别：%s（%s）\n- 响应级别：%s\n- 现场指挥：%s\n",
		tl.Phase, orNone(tl.PhaseName), orNone(tl.Level), orNone(tl.LevelName), orNone(tl.Response), orNone(workflow.Command{Holder: tl.CommandHolder, FormedBy: tl.CommandFormed}.String()))
	if len(tl.Overdue) > 0 {
		w("\n### 逾期任务\n\n")
		for _, o := range tl.Overdue {
			w("- %s %s（%s，%s），截止 %s，逾期 %s\n", o.Task, o.Name, o.Assignee, o.Clause, o.Due, norm.Duration(o.Overdue))
		}
	}
	if len(tl.Open) > 0 {
		w("\n### 未完成任务\n\n")
		for _, t := range tl.Open {
			cond := ""
			if t.Conditional != "" {
				cond = "［" + t.Conditional + "］"
			}
			w("- %s %s（%s，%s）%s\n", t.ID, t.Name, t.Assignee, t.Clause, cond)
		}
	}
	w("\n## 总结（7.2 书面总结报告）\n\n")
	for _, p := range tl.Summary.Text {
		w("%s\n\n", p)
	}
	return b.String()
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

// clockText renders a step time as "+1h05m (09:05+06:00)".
func clockText(t, start workflow.Time) string {
	d := t.Sub(start)
	return fmt.Sprintf("+%s (%s)", norm.Duration(d), t.Time().Format("15:04Z07:00"))
}
