package workflow

import (
	"regexp"
	"strings"
	"time"

	"github.com/yingji/yingji/internal/human"
)

// What the engine itself writes into an instance for the people on duty:
// the notes of late: flags that the data gives no note:, and the reasons
// of the tasks it closes itself. They are Chinese, the language of the
// plans and of the duty officers, and name tasks, events and response
// levels by the names the plan gives them; the machine form (codes, ids,
// times, seconds) is kept beside them (Flag.Due and OverdueSeconds,
// Task.ReasonCode and ReasonParams). Wording that belongs to a plan is
// the plan's (lapse.reason, waiveOpen:, a late: flag's note:).

// taskLabel names a task instance for a note: its name, with whose it is
// when the task is one per assignee ("…报告（奇台县应急管理局）").
func (d *Definition) taskLabel(t *Task) string {
	name := t.Name
	if name == "" {
		name = t.Def
	}
	if def, ok := d.taskByID[t.Def]; ok && len(def.Assignees) > 1 {
		who := t.AssigneeName
		if who == "" {
			who = t.Assignee
		}
		name += "（" + who + "）"
	}
	return name
}

// responseName is the name grading.yaml gives a response level
// ("Ⅲ级应急响应"), its id when it gives none.
func (d *Definition) responseName(id string) string {
	if l, ok := d.level(id); ok && l.Response.Name != "" {
		return l.Response.Name
	}
	return id
}

// dueText writes a deadline or the end of a window in the offset of its
// clock: "2025-10-15 09:45"; a period counted in calendar days ends at
// 24:00 of its last day, and says so ("2025-11-14 24:00").
func dueText(t *Task) string {
	if t.Due == nil {
		return ""
	}
	if t.Days > 0 {
		return t.Due.Time().AddDate(0, 0, -1).Format(time.DateOnly) + " 24:00"
	}
	return t.Due.Time().Format("2006-01-02 15:04")
}

// atText writes when something happened, against the deadline or end
// of task t it is compared with: the time of day alone on the day dueText
// writes (in the same offset), else the date too, and the offset when it
// is not the deadline's.
func atText(at Time, t *Task) string {
	v := at.Time()
	if t.Due == nil {
		return v.Format("2006-01-02 15:04")
	}
	due := t.Due.Time()
	if t.Days > 0 {
		due = due.AddDate(0, 0, -1)
	}
	_, off := v.Zone()
	_, dueOff := due.Zone()
	switch {
	case off != dueOff:
		return v.Format("2006-01-02 15:04（UTC-07:00）")
	case v.Format(time.DateOnly) == due.Format(time.DateOnly):
		return v.Format("15:04")
	}
	return v.Format("2006-01-02 15:04")
}

// doneLateNote is the note of a late: flag raised when task t is done at
// at, after its deadline, and the data writes no note:.
func (d *Definition) doneLateNote(t *Task, def *TaskDef, at Time) string {
	over := human.DurationZH(at.Sub(*t.Due))
	if limit, ok := def.Within.Simple(); ok {
		return d.taskLabel(t) + "：开启后 " + human.DurationZH(at.Sub(t.OpenedAt)) + "完成，时限 " + human.DurationZH(limit) + "，超时 " + over
	}
	return d.taskLabel(t) + "：" + atText(at, t) + " 完成，时限至 " + dueText(t) + "，超时 " + over
}

// windowLateNote is the note of a late: flag raised when an event the
// window t covers occurred at at, after its period, and the data writes
// no note:.
func (d *Definition) windowLateNote(t *Task, event string, at Time) string {
	name := event
	if ev, ok := d.eventByID[event]; ok && ev.Name != "" {
		name = ev.Name
	}
	return d.taskLabel(t) + "：期间至 " + dueText(t) + " 届满，" + name + "于 " + atText(at, t) + " 发生，超出 " + human.DurationZH(at.Sub(*t.Due))
}

// endedReason is the reason of a window closed as ended.
func endedReason(t *Task) string {
	return "期间至 " + dueText(t) + " 届满"
}

// lapsePlaceholder finds a placeholder of lapse.reason; lapseNames are
// those the engine fills in: the response level before and after the
// change, and those the task belongs to.
var lapsePlaceholder = regexp.MustCompile(`\{[^{}]*\}`)

var lapseNames = []string{"{from}", "{to}", "{levels}"}

// lapseReason is the reason of a task of the levels levels (response
// ids) that lapsed when the response changed from from to to: the
// workflow's lapse.reason with its placeholders filled in, or, when it
// has none, followed by the change; then the clause.
func (d *Definition) lapseReason(from, to string, levels []string) string {
	names := make([]string, len(levels))
	for i, id := range levels {
		names[i] = d.responseName(id)
	}
	fromName, toName, levelNames := d.responseName(from), d.responseName(to), strings.Join(names, "、")
	reason := d.lapse
	if d.lapseTemplate {
		reason = strings.NewReplacer("{from}", fromName, "{to}", toName, "{levels}", levelNames).Replace(reason)
		if d.lapseClause != "" {
			reason += "（" + d.lapseClause + "）"
		}
		return reason
	}
	reason += "（" + fromName + " → " + toName + "，本任务属" + levelNames
	if d.lapseClause != "" {
		reason += "；" + d.lapseClause
	}
	return reason + "）"
}
