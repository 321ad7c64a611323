package workflow

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yingji/yingji/workflow/internal/norm"
)

// Task bookkeeping: opening the tasks an event or a phase triggers,
// closing them as done or waived, deadlines, lapses and waivers.

// close marks task i done or waived by the current event.
func (a *applier) close(i int, state TaskState, reason string) {
	t := &a.w.Tasks[i]
	at := a.ev.OccurredAt
	t.State, t.ClosedAt, t.ClosedBy, t.Reason = state, &at, a.ev.ID, reason
	if state == TaskWaived {
		a.eff.Waived = append(a.eff.Waived, t.ID)
		return
	}
	a.eff.Done = append(a.eff.Done, t.ID)
	if t.Due == nil {
		return
	}
	if at.After(*t.Due) {
		t.Late = true
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMissed, Task: t.ID, Due: *t.Due, At: &at})
		if def, ok := a.d.taskByID[t.Def]; ok && def.Late != nil {
			f := Flag{ID: def.Late.Flag, Name: def.Late.Name, Clause: def.Late.Clause, Event: a.ev.ID, At: at, Task: t.ID,
				Note: fmt.Sprintf("done %s after it opened; the deadline was %s", norm.Duration(at.Sub(t.OpenedAt)), norm.Duration(def.Within))}
			a.w.Flags = append(a.w.Flags, f)
			a.eff.Flags = append(a.eff.Flags, f)
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
	for i := range a.w.Tasks {
		t := &a.w.Tasks[i]
		def, ok := a.d.taskByID[t.Def]
		if !ok || t.State != TaskOpen || t.OpenedBy == a.ev.ID || len(def.Triggers) == 0 {
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
	for i := range a.w.Tasks {
		t := &a.w.Tasks[i]
		if t.State != TaskOpen || t.OpenedBy == a.ev.ID {
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
	for i := range a.w.Tasks {
		t := a.w.Tasks[i]
		if t.State != TaskOpen {
			continue
		}
		def, ok := a.d.taskByID[t.Def]
		if !ok {
			continue
		}
		for _, db := range def.DoneBy {
			if db.Event != a.ev.Type {
				continue
			}
			ok, err := evalBool(db.prog, a.env(&t), a.d.memoryBudget)
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
// response level changed, those of the phase at the current level.
func (a *applier) opens(entered bool) error {
	env := a.env(nil)
	level := ""
	if l, ok := a.d.level(a.w.Response); ok {
		level = l.ID
	}
	for _, def := range a.d.tasks {
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
			ok, err := evalBool(tr.prog, env, a.d.memoryBudget)
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

func (a *applier) open(def *TaskDef) {
	n := 0
	for _, t := range a.w.Tasks {
		if t.Def != def.ID {
			continue
		}
		n++
		if !def.Recurring || t.State == TaskOpen {
			return
		}
	}
	id := def.ID
	if n > 0 {
		id = fmt.Sprintf("%s#%d", def.ID, n+1)
	}
	t := Task{ID: id, Def: def.ID, Name: def.Name, Clause: def.Clause, Assignee: def.Assignee, Conditional: def.Conditional,
		State: TaskOpen, OpenedAt: a.ev.OccurredAt, OpenedBy: a.ev.ID}
	if def.Within > 0 {
		due := a.ev.OccurredAt.Add(def.Within)
		t.Due = &due
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineSet, Task: id, Due: due})
	}
	a.w.Tasks = append(a.w.Tasks, t)
	a.eff.Opened = append(a.eff.Opened, id)
	for _, to := range def.Notify {
		a.eff.Notices = append(a.eff.Notices, Notice{To: to, By: def.Assignee, Clause: def.Clause, Task: id, Conditional: def.Conditional != ""})
	}
}
