package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Task bookkeeping: opening the tasks an event or a phase triggers,
// closing them as done or waived, deadlines, lapses and waivers. Tasks
// live in the store (history.go); only the open ones are visited, so the
// cost of an event does not grow with the tasks closed before it.

// close marks task i done or waived by the current event.
func (a *applier) close(i int32, state TaskState, reason string) {
	a.closeWith(closure{task: i, state: state, at: a.ev.OccurredAt, by: a.ev.ID, reason: reason})
}

// closeWith records closure c of a task by the current event, with its
// effects: the task done or waived, and for a task done, its deadline met
// or missed and the late: flag this raises.
func (a *applier) closeWith(c closure) {
	st := a.st
	i, state, at := c.task, c.state, c.at
	t := &st.tasks[i]
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
			// A note the data writes was evaluated before the closure;
			// see lateNote.
			note, ok := a.lateNotes[i]
			if !ok {
				note = a.d.doneLateNote(t, def, at)
			}
			a.raise(a.lateFlag(def, t, at, note))
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
		a.closeFor(i, TaskWaived, a.d.lapseReason(a.prev.Response, a.w.Response, levels), ReasonLapsed,
			map[string]string{"from": a.prev.Response, "to": a.w.Response, "levels": strings.Join(levels, ","), "clause": a.d.lapseClause})
	}
}

// closeFor closes task i as close does, with a reason the engine writes
// and its machine form.
func (a *applier) closeFor(i int32, state TaskState, reason, code string, params map[string]string) {
	a.closeWith(closure{task: i, state: state, at: a.ev.OccurredAt, by: a.ev.ID, reason: reason, code: code, params: params})
}

// lateFlag is the late: flag of task t, whose deadline or window an
// event at at missed, with its note.
func (a *applier) lateFlag(def *TaskDef, t *Task, at Time, note string) Flag {
	due := *t.Due
	return Flag{ID: def.Late.Flag, Name: def.Late.Name, Clause: def.Late.Clause, Event: a.ev.ID, At: at,
		Task: t.ID, TaskName: t.Name, Note: note, Due: &due, OverdueSeconds: int64(at.Sub(due) / time.Second)}
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
		a.closeFor(i, TaskWaived, p.WaiveOpen, ReasonPhaseClosed, map[string]string{"phase": p.ID})
		if t.Window {
			continue
		}
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
			a.bindTask(t)
			ok, err := a.evalBool(db.prog)
			if err != nil {
				return a.fail("tasks."+def.ID+".doneBy", def.Clause, err)
			}
			if ok {
				if err := a.lateNote(i, def); err != nil {
					return err
				}
				a.close(i, TaskDone, "")
				break
			}
		}
	}
	return nil
}

// lateNote evaluates, for task i about to be done after its deadline, the
// note its late: flag writes, while the task is still bound as it was.
func (a *applier) lateNote(i int32, def *TaskDef) error {
	t := &a.st.tasks[i]
	if def.Late == nil || def.Late.note == nil || t.Due == nil || !a.ev.OccurredAt.After(*t.Due) {
		return nil
	}
	a.bindTask(t)
	note, err := a.evalString(def.Late.note)
	if err != nil {
		return a.fail("tasks."+def.ID+".late.note", def.Late.Clause, err)
	}
	if a.lateNotes == nil {
		a.lateNotes = map[int32]string{}
	}
	a.lateNotes[i] = note
	return nil
}

// bindTask makes task t what the expressions see as task.
func (a *applier) bindTask(t *Task) {
	x := exprTask{ID: t.ID, Def: t.Def, Assignee: t.Assignee, Days: t.Days}
	if t.Due != nil {
		x.Due = t.Due.String()
		x.LastDay = t.Due.Time().Format(time.DateOnly)
		if t.Days > 0 {
			x.LastDay = t.Due.Time().AddDate(0, 0, -1).Format(time.DateOnly)
		}
	}
	x.Start = t.OpenedAt.String()
	if t.Start != nil {
		x.Start = t.Start.String()
	}
	a.env.Task = x
}

// endWindows closes as ended every open window whose period is over at
// the event's time: the first event after a window's end ends it, at
// that end.
func (a *applier) endWindows() {
	for _, i := range slices.Clone(a.st.open) {
		t := &a.st.tasks[i]
		if !t.Window || t.Due == nil || !a.ev.OccurredAt.After(*t.Due) {
			continue
		}
		due := *t.Due
		a.st.closeTask(closure{task: i, state: TaskEnded, at: due, by: a.ev.ID, reason: endedReason(t),
			code: ReasonPeriodEnded, params: map[string]string{"due": due.String()}})
		a.eff.Ended = append(a.eff.Ended, t.ID)
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: WindowEnded, Task: t.ID, Due: due})
	}
}

// covers checks the event against the windows that cover it: inside a
// window's period it is in time (met); after it, it is outside (missed)
// and raises the window's late: flag.
func (a *applier) covers() error {
	defs := a.d.coveredBy[a.ev.Type]
	if len(defs) == 0 {
		return nil
	}
	a.sync()
	defer func() { a.env.Task = exprTask{} }()
	at := a.ev.OccurredAt
	for _, k := range defs {
		def := a.d.tasks[k]
		for _, key := range openingBases(def) {
			ds, ok := a.st.byDef[key]
			if !ok {
				continue
			}
			i := ds.latest
			t := &a.st.tasks[i]
			if t.Due == nil {
				continue
			}
			for _, cv := range def.Covers {
				if cv.Event != a.ev.Type {
					continue
				}
				a.bindTask(t)
				ok, err := a.evalBool(cv.prog)
				if err != nil {
					return a.fail("tasks."+def.ID+".covers", def.Clause, err)
				}
				if !ok {
					continue
				}
				if !at.After(*t.Due) {
					a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMet, Task: t.ID, Due: *t.Due, At: &at})
					break
				}
				a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMissed, Task: t.ID, Due: *t.Due, At: &at})
				if def.Late != nil {
					note := ""
					if def.Late.note != nil {
						if note, err = a.evalString(def.Late.note); err != nil {
							return a.fail("tasks."+def.ID+".late.note", def.Late.Clause, err)
						}
					} else {
						note = a.d.windowLateNote(t, a.ev.Type, at)
					}
					a.raise(a.lateFlag(def, t, at, note))
				}
				break
			}
		}
	}
	return nil
}

// openingBases are the keys of a task definition's latest openings: the
// definition, or one per assignee.
func openingBases(def *TaskDef) []string {
	if len(def.Assignees) <= 1 {
		return []string{def.ID}
	}
	out := make([]string, len(def.Assignees))
	for i, as := range def.Assignees {
		out[i] = def.ID + "@" + as
	}
	return out
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
	defer func() { a.env.Task = exprTask{} }()
	for _, k := range mergeSorted(byEvent, byPhase) {
		def := a.d.tasks[k]
		for _, assignee := range def.Assignees {
			a.env.Task = exprTask{ID: def.ID, Def: def.ID, Assignee: assignee}
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
					if err := a.open(def, assignee); err != nil {
						return err
					}
					break
				}
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

// open opens task def for assignee, unless it is open already (or,
// for a task that does not recur, was ever opened), and counts its
// deadline or window.
func (a *applier) open(def *TaskDef, assignee string) error {
	st := a.st
	base := def.ID
	if len(def.Assignees) > 1 {
		base += "@" + assignee
	}
	ds, opened := st.byDef[base]
	if opened && (!def.Recurring || st.closedIn[ds.latest] < 0) {
		return nil
	}
	id := base
	if ds.count > 0 {
		id = fmt.Sprintf("%s#%d", base, ds.count+1)
	}
	name := a.d.ActorName(assignee)
	t := Task{ID: id, Def: def.ID, Name: def.Name, Clause: def.Clause, Assignee: assignee, AssigneeName: name,
		Conditional: def.Conditional, State: TaskOpen, OpenedAt: a.ev.OccurredAt, OpenedBy: a.ev.ID, Window: def.Window != nil}
	if p := cmpOr(def.Within, def.Window); p != nil {
		a.env.Task = exprTask{ID: id, Def: def.ID, Assignee: assignee}
		sp, err := a.count(p)
		if err != nil {
			what := "within"
			if def.Window != nil {
				what = "window"
			}
			return a.fail("tasks."+def.ID+"."+what, def.Clause, err)
		}
		t.Due, t.Days = &sp.due, sp.days
		if sp.start != a.ev.OccurredAt { // another instant, or the clock's offset
			t.Start = &sp.start
		}
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineSet, Task: id, Due: sp.due})
	}
	st.openTask(&a.mark, t)
	a.eff.Opened = append(a.eff.Opened, id)
	for _, ref := range def.Notify {
		to := a.d.resolve(ref, assignee)
		a.eff.Notices = append(a.eff.Notices, Notice{To: to, ToName: a.d.ActorName(to), By: assignee, ByName: name,
			Clause: def.Clause, Task: id, Conditional: def.Conditional != ""})
	}
	return nil
}

func cmpOr(ps ...*Period) *Period {
	for _, p := range ps {
		if p != nil {
			return p
		}
	}
	return nil
}
