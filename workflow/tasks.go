package workflow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/workflow/internal/norm"
)

// Task bookkeeping: opening the tasks an event or a phase triggers,
// closing them as done or waived, deadlines, lapses and waivers. Tasks
// live in the store (history.go); only the open ones are visited, so the
// cost of an event does not grow with the tasks closed before it.

// close marks task i done or waived by the current event.
func (a *applier) close(i int32, state TaskState, reason string) {
	st := a.st
	t := &st.tasks[i]
	at := a.ev.OccurredAt
	c := closure{task: i, state: state, at: at, by: a.ev.ID, reason: reason}
	defer func() { st.closeTask(c) }()
	if state == TaskWaived {
		a.eff.Waived = append(a.eff.Waived, t.ID)
		return
	}
	a.eff.Done = append(a.eff.Done, t.ID)
	if t.Due == nil {
		return
	}
	if at.After(*t.Due) {
		c.late = true
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMissed, Task: t.ID, Due: *t.Due, At: &at})
		if def, ok := a.d.taskByID[t.Def]; ok && def.Late != nil {
			a.raise(Flag{ID: def.Late.Flag, Name: def.Late.Name, Clause: def.Late.Clause, Event: a.ev.ID, At: at, Task: t.ID,
				Note: fmt.Sprintf("done %s after it opened; the deadline was %s", norm.Duration(at.Sub(t.OpenedAt)), norm.Duration(def.Within))})
		}
		return
	}
	a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMet, Task: t.ID, Due: *t.Due, At: &at})
}

// lapse closes as waived, when the workflow declares lapse:, the open
// tasks that belong to other response levels than the one just activated:
// tasks whose every trigger is a phase trigger limited to levels, none of
// them the new one (the Ⅳ tasks of a response escalated to Ⅲ). Tasks
// opened by this event stay open.
func (a *applier) lapse() {
	l, ok := a.d.level(a.w.Response)
	if !ok {
		return
	}
	for _, i := range slices.Clone(a.st.open) {
		t := &a.st.tasks[i]
		def, ok := a.d.taskByID[t.Def]
		if !ok || t.OpenedBy == a.ev.ID || len(def.Triggers) == 0 {
			continue
		}
		var levels []string
		applies := false
		for _, tr := range def.Triggers {
			if tr.Phase == "" || len(tr.Levels) == 0 || slices.Contains(tr.Levels, l.ID) {
				applies = true
				break
			}
			for _, id := range tr.Levels {
				if lv, ok := a.d.level(id); ok && !slices.Contains(levels, lv.Response.ID) {
					levels = append(levels, lv.Response.ID)
				}
			}
		}
		if applies {
			continue
		}
		reason := fmt.Sprintf("%s (%s → %s; the task is of %s)", a.d.lapse, a.prev.Response, a.w.Response, strings.Join(levels, ", "))
		if a.d.lapseClause != "" {
			reason += " [" + a.d.lapseClause + "]"
		}
		a.close(i, TaskWaived, reason)
	}
}

// waiveOpen closes, on entering a phase declared with waiveOpen:, every
// task opened before this event that is still open.
func (a *applier) waiveOpen() {
	p, ok := a.d.phaseByID[a.w.Phase]
	if !ok || p.WaiveOpen == "" {
		return
	}
	at := a.ev.OccurredAt
	for _, i := range slices.Clone(a.st.open) {
		t := &a.st.tasks[i]
		if t.OpenedBy == a.ev.ID {
			continue
		}
		a.close(i, TaskWaived, p.WaiveOpen)
		if t.Due != nil && at.After(*t.Due) {
			a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMissed, Task: t.ID, Due: *t.Due, At: &at})
		}
	}
}

// completions closes the open tasks the event completes (doneBy).
func (a *applier) completions() error {
	if !a.d.completes[a.ev.Type] {
		return nil
	}
	a.sync()
	defer func() { a.env.Task = exprTask{} }()
	for _, i := range slices.Clone(a.st.open) {
		t := &a.st.tasks[i]
		def, ok := a.d.taskByID[t.Def]
		if !ok {
			continue
		}
		for _, db := range def.DoneBy {
			if db.Event != a.ev.Type {
				continue
			}
			a.env.Task = exprTask{ID: t.ID, Def: t.Def, Assignee: t.Assignee}
			ok, err := a.evalBool(db.prog)
			if err != nil {
				return a.fail("tasks."+def.ID+".doneBy", def.Clause, err)
			}
			if ok {
				a.close(i, TaskDone, "")
				break
			}
		}
	}
	return nil
}

// opens opens the tasks the event triggers and, when the phase or the
// response level changed, those of the phase at the current level, in
// the order of the file. Every trigger's condition sees the tasks as they
// were before the first of them opened.
func (a *applier) opens(entered bool) error {
	byEvent := a.d.triggeredBy[a.ev.Type]
	var byPhase []int
	if entered {
		byPhase = a.d.openedIn[a.w.Phase]
	}
	if len(byEvent) == 0 && len(byPhase) == 0 {
		return nil
	}
	a.sync()
	a.wView.freeze()
	defer a.wView.thaw()
	level := ""
	if l, ok := a.d.level(a.w.Response); ok {
		level = l.ID
	}
	for _, k := range mergeSorted(byEvent, byPhase) {
		def := a.d.tasks[k]
		for _, tr := range def.Triggers {
			fires := false
			switch {
			case tr.Phase != "":
				fires = entered && tr.Phase == a.w.Phase && (len(tr.Levels) == 0 || slices.Contains(tr.Levels, level))
			default:
				fires = slices.Contains(tr.Events, a.ev.Type)
			}
			if !fires {
				continue
			}
			ok, err := a.evalBool(tr.prog)
			if err != nil {
				return a.fail("tasks."+def.ID+".on", def.Clause, err)
			}
			if ok {
				a.open(def)
				break
			}
		}
	}
	return nil
}

// mergeSorted merges two ascending lists of task definition indexes.
func mergeSorted(a, b []int) []int {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]int, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	return out
}

func (a *applier) open(def *TaskDef) {
	st := a.st
	ds, opened := st.byDef[def.ID]
	if opened && (!def.Recurring || st.closedIn[ds.latest] < 0) {
		return
	}
	id := def.ID
	if ds.count > 0 {
		id = fmt.Sprintf("%s#%d", def.ID, ds.count+1)
	}
	t := Task{ID: id, Def: def.ID, Name: def.Name, Clause: def.Clause, Assignee: def.Assignee, AssigneeName: a.d.ActorName(def.Assignee),
		Conditional: def.Conditional, State: TaskOpen, OpenedAt: a.ev.OccurredAt, OpenedBy: a.ev.ID}
	if def.Within > 0 {
		due := a.ev.OccurredAt.Add(def.Within)
		t.Due = &due
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineSet, Task: id, Due: due})
	}
	st.openTask(&a.mark, t)
	a.eff.Opened = append(a.eff.Opened, id)
	for _, to := range def.Notify {
		a.eff.Notices = append(a.eff.Notices, Notice{To: to, ToName: a.d.ActorName(to), By: def.Assignee, ByName: t.AssigneeName,
			Clause: def.Clause, Task: id, Conditional: def.Conditional != ""})
	}
}
