package workflow

import (
	"maps"
	"strings"
)

// The expression view of an instance: what guards, conditions and effect
// values see as instance, prev, event, task and plan. It is built once per
// event and kept up to date as the effects change the instance (sync),
// never rebuilt per rule; the task views are lookups in the store
// (taskView), not maps.

// initEnv builds the view of the event and of prev, and of the instance
// as it starts out: the same as prev.
func (a *applier) initEnv() {
	d, st := a.d, a.st
	a.wView = taskView{a: a, tasks: -1, closes: -1}
	a.prevView = taskView{a: a, tasks: a.mark.tasks, closes: a.mark.closes}
	facts := a.prev.Facts
	if facts == nil {
		facts = d.noFacts
	}
	a.env.Prev = exprState{Phase: a.prev.Phase, Level: a.prev.Level, Response: a.prev.Response, Requested: a.prev.Requested,
		Command: exprCommand{Holder: a.prev.Command.Holder, FormedBy: a.prev.Command.FormedBy},
		Facts:   facts, Vars: st.vars, Flags: st.flagIDs[:a.mark.flags:a.mark.flags], View: &a.prevView}
	a.env.Instance = a.env.Prev
	a.env.Instance.View = &a.wView
	a.varsShared = true
	ev := exprEvent{ID: a.ev.ID, Type: a.ev.Type, Actor: a.ev.Actor, OccurredAt: a.ev.OccurredAt.String(),
		Data: make(map[string]any, len(a.def.Data))}
	for _, f := range a.def.Data {
		if v, ok := a.ev.Data[f.Name]; ok {
			ev.Data[f.Name] = v
		} else {
			ev.Data[f.Name] = zeroOf(f.Type)
		}
		if f.Type == ChecklistField {
			if ev.Missing == nil {
				ev.Missing = map[string][]string{}
			}
			miss := a.missing[f.Name]
			ev.Missing[f.Name] = append([]string{}, miss...)
			if a.def.missingLabels {
				if ev.MissingLabels == nil {
					ev.MissingLabels = map[string][]string{}
				}
				labels := make([]string, 0, len(miss))
				for _, id := range miss {
					labels = append(labels, f.itemLabel(id))
				}
				ev.MissingLabels[f.Name] = labels
			}
		}
	}
	a.env.Event = ev
	a.env.Plan = exprPlan{ID: a.prev.Plan.ID, Revision: a.prev.Plan.Revision, Hash: a.prev.Plan.Hash}
}

// sync brings the view of the instance up to the effects applied so far.
func (a *applier) sync() {
	s := &a.env.Instance
	s.Phase, s.Level, s.Response, s.Requested = a.w.Phase, a.w.Level, a.w.Response, a.w.Requested
	s.Command = exprCommand{Holder: a.w.Command.Holder, FormedBy: a.w.Command.FormedBy}
	s.Facts = a.w.Facts
	if s.Facts == nil {
		s.Facts = a.d.noFacts
	}
	s.Flags = a.st.flagIDs
}

// setVar sets a variable of the instance and of its view, copying both
// the first time so that prev's stay as they were.
func (a *applier) setVar(key string, v any) {
	if a.varsShared {
		a.env.Instance.Vars = maps.Clone(a.env.Instance.Vars)
		a.w.Vars = maps.Clone(a.w.Vars)
		if a.w.Vars == nil {
			a.w.Vars = map[string]any{}
		}
		a.varsShared = false
	}
	a.env.Instance.Vars[key] = v
	a.w.Vars[key] = v
}

// varsView is the variables as expressions see them: every declared one,
// at its zero value unless set.
func (d *Definition) varsView(set map[string]any) map[string]any {
	if len(set) == 0 {
		return d.varDefaults
	}
	out := maps.Clone(d.varDefaults)
	maps.Copy(out, set)
	return out
}

func zeroOf(t FieldType) any {
	switch t {
	case BoolField:
		return false
	case NumberField, CountField:
		return 0.0
	case ListField, ChecklistField:
		return []string{}
	case IncidentField:
		return map[string]any{}
	}
	return ""
}

// taskView answers instance.tasks[K], instance.assignees[K] and
// instance.conditional[K] (prev.… for prev) from the store: K is a task
// definition id, which names its latest opening, or a task instance id
// ("followup#2"). An unknown K gives the zero value, as a map would. A
// view sees the tasks opened and closed before its cut-offs; the live
// view of the instance (tasks < 0) sees them all.
type taskView struct {
	a             *applier
	tasks, closes int
}

func (v *taskView) live() bool { return v.tasks < 0 }

// freeze makes the view see the tasks as they are now, until thaw.
func (v *taskView) freeze() { v.tasks, v.closes = len(v.a.st.tasks), len(v.a.st.closes) }

func (v *taskView) thaw() { v.tasks, v.closes = -1, -1 }

// index is the task K names in this view, or -1.
func (v *taskView) index(ref string) int32 {
	st := v.a.st
	i := st.lookup(ref)
	if v.live() || i < 0 || int(i) < v.tasks {
		return i
	}
	if _, isDef := st.byDef[ref]; isDef {
		// Opened after the cut-off. An event opens a definition at most
		// once, so its opening before is the one before the event, which
		// the mark's first entry for it holds.
		for _, u := range v.a.mark.byDef {
			if u.id == ref {
				if !u.had {
					return -1
				}
				return u.old.latest
			}
		}
	}
	return -1
}

func (v *taskView) stateOf(i int32) TaskState {
	st := v.a.st
	k := st.closedIn[i]
	if k < 0 || !v.live() && int(k) >= v.closes {
		return TaskOpen
	}
	return st.closes[k].state
}

func (v *taskView) state(ref string) string {
	i := v.index(ref)
	if i < 0 {
		return ""
	}
	return v.stateOf(i).String()
}

func (v *taskView) assignee(ref string) string {
	if i := v.index(ref); i >= 0 {
		return v.a.st.tasks[i].Assignee
	}
	return ""
}

// inWindow reports whether the event falls in the period of window ref
// (its latest opening): the window is open or ended, and the event did
// not occur after its end.
func (v *taskView) inWindow(ref string) bool {
	i := v.index(ref)
	if i < 0 {
		return false
	}
	t := &v.a.st.tasks[i]
	return t.Window && t.Due != nil && !v.a.ev.OccurredAt.After(*t.Due)
}

func (v *taskView) conditional(ref string) bool {
	if i := v.index(ref); i >= 0 {
		return v.a.st.tasks[i].Conditional != ""
	}
	return false
}

type taskMaps struct {
	tasks, assignees map[string]string
	conditional      map[string]bool
}

// all builds the whole view, for an expression that uses it whole.
func (v *taskView) all() taskMaps {
	st := v.a.st
	n := len(st.tasks)
	if !v.live() {
		n = v.tasks
	}
	out := taskMaps{tasks: map[string]string{}, assignees: map[string]string{}, conditional: map[string]bool{}}
	for i, t := range st.tasks[:n] {
		state := v.stateOf(int32(i)).String()
		for _, k := range []string{t.Def, taskBase(t.ID), t.ID} {
			out.tasks[k] = state
			out.assignees[k] = t.Assignee
			out.conditional[k] = t.Conditional != ""
		}
	}
	return out
}

// taskDef is the definition id of a task instance id: "report-up" of
// "report-up@county-safety#2".
func taskDef(id string) string {
	def, _, _ := strings.Cut(taskBase(id), "@")
	return def
}

// taskBase is a task instance id without its opening number:
// "report-up@county-safety" of "report-up@county-safety#2".
func taskBase(id string) string {
	base, _, _ := strings.Cut(id, "#")
	return base
}
