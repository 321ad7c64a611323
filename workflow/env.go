package workflow

import (
	"maps"
)

// The expression view of an instance: what guards, conditions and effect
// values see as instance, prev, event, task and plan.

func (a *applier) env(task *Task) *exprEnv {
	e := &exprEnv{
		Instance: a.d.stateEnv(a.w),
		Prev:     a.prevState(),
		Event: exprEvent{ID: a.ev.ID, Type: a.ev.Type, Actor: a.ev.Actor, OccurredAt: a.ev.OccurredAt.String(),
			Data: map[string]any{}, Missing: map[string][]string{}},
		Plan: exprPlan{ID: a.w.Plan.ID, Revision: a.w.Plan.Revision, Hash: a.w.Plan.Hash},
	}
	for _, f := range a.def.Data {
		if v, ok := a.ev.Data[f.Name]; ok {
			e.Event.Data[f.Name] = v
		} else {
			e.Event.Data[f.Name] = zeroOf(f.Type)
		}
		if f.Type == ChecklistField {
			e.Event.Missing[f.Name] = append([]string{}, a.missing[f.Name]...)
		}
	}
	if task != nil {
		e.Task = exprTask{ID: task.ID, Def: task.Def, Assignee: task.Assignee}
	}
	return e
}

func (a *applier) prevState() exprState {
	if a.prevEnv == nil {
		s := a.d.stateEnv(a.prev)
		a.prevEnv = &s
	}
	return *a.prevEnv
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

func (d *Definition) stateEnv(inst Instance) exprState {
	s := exprState{
		Phase: inst.Phase, Level: inst.Level, Response: inst.Response, Requested: inst.Requested,
		Command: exprCommand{Holder: inst.Command.Holder, FormedBy: inst.Command.FormedBy},
		Facts:   maps.Clone(inst.Facts), Vars: map[string]any{},
		Tasks: map[string]string{}, Assignees: map[string]string{}, Conditional: map[string]bool{},
		Flags: []string{},
	}
	if s.Facts == nil {
		s.Facts = map[string]any{}
	}
	for _, v := range d.vars {
		switch v.Type {
		case "number":
			s.Vars[v.ID] = 0.0
		case "bool":
			s.Vars[v.ID] = false
		default:
			s.Vars[v.ID] = ""
		}
	}
	maps.Copy(s.Vars, inst.Vars)
	for _, t := range inst.Tasks {
		s.Tasks[t.Def] = t.State.String()
		s.Tasks[t.ID] = t.State.String()
		s.Assignees[t.Def] = t.Assignee
		s.Assignees[t.ID] = t.Assignee
		s.Conditional[t.Def] = t.Conditional != ""
		s.Conditional[t.ID] = t.Conditional != ""
	}
	for _, f := range inst.Flags {
		s.Flags = append(s.Flags, f.ID)
	}
	return s
}
