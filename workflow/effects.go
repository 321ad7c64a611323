package workflow

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// The effects pipeline of one event: facts and grading, variables, the
// response level, requests, site command, explicit completion or waiver,
// the transition, flags and the roster's notices.

func (a *applier) effects() error {
	x := a.def.eff
	env := a.env(nil)
	graded := false
	if x.grade != "" {
		if m, ok := a.ev.Data[x.grade].(map[string]any); ok {
			if a.w.Facts == nil {
				a.w.Facts = map[string]any{}
			}
			for k, v := range m {
				if v == nil {
					delete(a.w.Facts, k)
				} else {
					a.w.Facts[k] = v
				}
			}
			graded = true
		}
	}
	for _, f := range x.facts {
		v, err := eval(f.prog, env, a.d.memoryBudget)
		if err != nil {
			return a.fail(a.def.ID+".effects.facts."+f.key, a.def.Clause, err)
		}
		if a.w.Facts == nil {
			a.w.Facts = map[string]any{}
		}
		if v, err = norm.Value(v); err != nil {
			return a.fail(a.def.ID+".effects.facts."+f.key, a.def.Clause, err)
		}
		a.w.Facts[f.key] = v
		graded = true
	}
	if graded {
		if err := a.grade(); err != nil {
			return err
		}
	}
	env = a.env(nil)
	for _, s := range x.set {
		v, err := eval(s.prog, env, a.d.memoryBudget)
		if err != nil {
			return a.fail(a.def.ID+".effects.set."+s.key, a.def.Clause, err)
		}
		if a.w.Vars == nil {
			a.w.Vars = map[string]any{}
		}
		if v, err = norm.Value(v); err != nil {
			return a.fail(a.def.ID+".effects.set."+s.key, a.def.Clause, err)
		}
		a.w.Vars[s.key] = v
	}
	if x.response != nil {
		ref, err := evalString(x.response, a.env(nil), a.d.memoryBudget)
		if err != nil {
			return a.fail(a.def.ID+".effects.response", a.def.Clause, err)
		}
		l, ok := a.d.level(ref)
		if !ok {
			return a.fail(a.def.ID+".effects.response", a.def.Clause, fmt.Errorf("unknown level %q", ref))
		}
		a.w.Response = l.Response.ID
		if a.w.Requested != "" && a.d.rank(a.w.Response) <= a.d.rank(a.w.Requested) {
			a.w.Requested = ""
		}
	}
	if x.request != nil {
		env := a.env(nil)
		ok, err := evalBool(x.requestIf, env, a.d.memoryBudget)
		if err != nil {
			return a.fail(a.def.ID+".effects.request.when", a.def.Clause, err)
		}
		if ok {
			ref, err := evalString(x.request, env, a.d.memoryBudget)
			if err != nil {
				return a.fail(a.def.ID+".effects.request.to", a.def.Clause, err)
			}
			if l, found := a.d.level(ref); found && a.d.rank(l.ID) < a.d.rank(a.w.Response) {
				a.w.Requested = l.ID
			}
		}
	}
	if x.holder != nil {
		env := a.env(nil)
		ok, err := evalBool(x.commandIf, env, a.d.memoryBudget)
		if err != nil {
			return a.fail(a.def.ID+".effects.command.when", a.def.Clause, err)
		}
		if ok {
			holder, err := evalString(x.holder, env, a.d.memoryBudget)
			if err != nil {
				return a.fail(a.def.ID+".effects.command.holder", a.def.Clause, err)
			}
			formedBy := ""
			if x.formedBy != nil {
				if formedBy, err = evalString(x.formedBy, env, a.d.memoryBudget); err != nil {
					return a.fail(a.def.ID+".effects.command.formedBy", a.def.Clause, err)
				}
			}
			if holder != a.w.Command.Holder || formedBy != a.w.Command.FormedBy {
				at := a.ev.OccurredAt
				a.w.Command = Command{Holder: holder, FormedBy: formedBy, Since: &at, Event: a.ev.ID}
			}
		}
	}
	for _, p := range []struct {
		prog  *vm.Program
		state TaskState
	}{{x.complete, TaskDone}, {x.waive, TaskWaived}} {
		if p.prog == nil {
			continue
		}
		id, err := evalString(p.prog, a.env(nil), a.d.memoryBudget)
		if err != nil {
			return a.fail(a.def.ID+".effects", a.def.Clause, err)
		}
		i := slices.IndexFunc(a.w.Tasks, func(t Task) bool { return t.ID == id && t.State == TaskOpen })
		if i < 0 {
			return &InvalidEventError{Event: a.ev.ID, Type: a.ev.Type, Fields: []FieldError{{"data.task", fmt.Sprintf("task %q is not open", id)}}}
		}
		reason, _ := a.ev.Data["reason"].(string)
		if p.state == TaskDone {
			reason, _ = a.ev.Data["note"].(string)
		}
		a.close(i, p.state, reason)
	}
	a.changes()
	return nil
}

func (a *applier) grade() error {
	inc := a.d.rules.NewIncident()
	for _, k := range slices.Sorted(maps.Keys(a.w.Facts)) {
		if err := inc.Set(k, a.w.Facts[k]); err != nil {
			return &InvalidEventError{Event: a.ev.ID, Type: a.ev.Type, Fields: []FieldError{{"data", strings.TrimPrefix(err.Error(), "grading: ")}}}
		}
	}
	res, err := a.d.rules.Classify(a.ctx, inc)
	if err != nil {
		return err
	}
	if l, ok := res.Level(); ok {
		a.w.Level = l.ID
	}
	return nil
}

func (a *applier) changes() {
	ch := func(from, to string) *Change {
		if from == to {
			return nil
		}
		return &Change{From: from, To: to}
	}
	a.eff.Level = ch(a.prev.Level, a.w.Level)
	a.eff.Response = ch(a.prev.Response, a.w.Response)
	a.eff.Requested = ch(a.prev.Requested, a.w.Requested)
	if a.prev.Command.Holder != a.w.Command.Holder || a.prev.Command.FormedBy != a.w.Command.FormedBy {
		a.eff.Command = &Change{From: a.prev.Command.String(), To: a.w.Command.String()}
	}
}

func (a *applier) transition() error {
	env := a.env(nil)
	for _, t := range a.d.transitions {
		if t.Event != a.ev.Type || !slices.Contains(t.From, a.w.Phase) {
			continue
		}
		ok, err := evalBool(t.prog, env, a.d.memoryBudget)
		if err != nil {
			return a.fail("transition "+t.Event, t.Clause, err)
		}
		if ok {
			a.eff.Phase = &Change{From: a.w.Phase, To: t.To}
			a.w.Phase = t.To
			return nil
		}
	}
	return nil
}

func (a *applier) flags() error {
	env := a.env(nil)
	for _, fd := range a.def.eff.flags {
		ok, err := evalBool(fd.when, env, a.d.memoryBudget)
		if err != nil {
			return a.fail(a.def.ID+".flags."+fd.ID, fd.Clause, err)
		}
		if !ok {
			continue
		}
		f := Flag{ID: fd.ID, Name: fd.Name, Clause: fd.Clause, Event: a.ev.ID, At: a.ev.OccurredAt}
		if fd.note != nil {
			if f.Note, err = evalString(fd.note, env, a.d.memoryBudget); err != nil {
				return a.fail(a.def.ID+".flags."+fd.ID+".note", fd.Clause, err)
			}
		}
		a.w.Flags = append(a.w.Flags, f)
		a.eff.Flags = append(a.eff.Flags, f)
	}
	return nil
}

func (a *applier) rosterNotices() {
	list := func(k string) []string { l, _ := a.w.Facts[k].([]string); return l }
	rs, err := a.d.roster.Roster(a.ctx, a.w.Response, list("industries"), list("localities"))
	if err != nil {
		a.eff.Warnings = append(a.eff.Warnings, "roster: "+err.Error())
		return
	}
	for _, r := range rs {
		a.eff.Notices = append(a.eff.Notices, Notice{To: r.ID, By: r.By, Clause: r.Clause, Roster: true,
			Name: r.Name, Engaged: r.Engaged, Conditional: r.Conditional})
	}
}
