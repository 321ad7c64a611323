package workflow

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// The effects pipeline of one event: facts and grading, variables, the
// response level, requests, site command, explicit completion or waiver,
// the transition, flags and the roster's notices.

// ownFacts copies the instance's facts before the event first changes
// them, so that prev's stay as they were.
func (a *applier) ownFacts() {
	if !a.factsOwned {
		a.w.Facts = maps.Clone(a.w.Facts)
		if a.w.Facts == nil {
			a.w.Facts = map[string]any{}
		}
		a.factsOwned = true
	}
}

func (a *applier) effects() error {
	x := &a.def.eff
	// Every facts: and set: expression sees the instance as the stage
	// found it: facts before this event's, variables before any is set.
	a.sync()
	graded := false
	if x.grade != "" {
		ok, err := a.evalBool(x.gradeIf)
		if err != nil {
			return a.fail(a.def.ID+".effects.grade.when", a.def.Clause, err)
		}
		if m, has := a.ev.Data[x.grade].(map[string]any); has && ok {
			a.ownFacts()
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
		if ok, err := a.evalBool(f.when); err != nil || !ok {
			if err != nil {
				return a.fail(a.def.ID+".effects.facts."+f.key+".when", a.def.Clause, err)
			}
			continue
		}
		v, err := a.eval(f.prog)
		if err != nil {
			return a.fail(a.def.ID+".effects.facts."+f.key, a.def.Clause, err)
		}
		if v, err = norm.Value(v); err != nil {
			return a.fail(a.def.ID+".effects.facts."+f.key, a.def.Clause, err)
		}
		a.ownFacts()
		a.w.Facts[f.key] = v
		graded = true
	}
	if graded {
		if err := a.grade(); err != nil {
			return err
		}
	}
	if len(x.set) > 0 {
		a.sync()
		values := make([]any, len(x.set))
		skip := make([]bool, len(x.set))
		for i, s := range x.set {
			ok, err := a.evalBool(s.when)
			if err != nil {
				return a.fail(a.def.ID+".effects.set."+s.key+".when", a.def.Clause, err)
			}
			if !ok {
				skip[i] = true
				continue
			}
			v, err := a.eval(s.prog)
			if err != nil {
				return a.fail(a.def.ID+".effects.set."+s.key, a.def.Clause, err)
			}
			if values[i], err = a.d.varValue(s.key, v); err != nil {
				return a.fail(a.def.ID+".effects.set."+s.key, a.def.Clause, err)
			}
		}
		for i, s := range x.set {
			if !skip[i] {
				a.setVar(s.key, values[i])
			}
		}
	}
	if x.response != nil {
		a.sync()
		ref, err := a.evalString(x.response)
		if err != nil {
			return a.fail(a.def.ID+".effects.response", a.def.Clause, err)
		}
		l, ok := a.d.level(ref)
		if !ok {
			return a.fail(a.def.ID+".effects.response", a.def.Clause,
				fmt.Errorf("unknown level %q; the levels, most severe first, are %s", ref, a.d.levelList()))
		}
		a.w.Response = l.Response.ID
		if a.w.Requested != "" && a.d.rank(a.w.Response) <= a.d.rank(a.w.Requested) {
			a.w.Requested = ""
		}
	}
	if x.request != nil {
		a.sync()
		ok, err := a.evalBool(x.requestIf)
		if err != nil {
			return a.fail(a.def.ID+".effects.request.when", a.def.Clause, err)
		}
		if ok {
			ref, err := a.evalString(x.request)
			if err != nil {
				return a.fail(a.def.ID+".effects.request.to", a.def.Clause, err)
			}
			if l, found := a.d.level(ref); found && a.d.rank(l.ID) < a.d.rank(a.w.Response) {
				a.w.Requested = l.ID
			}
		}
	}
	if x.holder != nil {
		a.sync()
		ok, err := a.evalBool(x.commandIf)
		if err != nil {
			return a.fail(a.def.ID+".effects.command.when", a.def.Clause, err)
		}
		if ok {
			holder, err := a.evalString(x.holder)
			if err != nil {
				return a.fail(a.def.ID+".effects.command.holder", a.def.Clause, err)
			}
			formedBy := ""
			if x.formedBy != nil {
				if formedBy, err = a.evalString(x.formedBy); err != nil {
					return a.fail(a.def.ID+".effects.command.formedBy", a.def.Clause, err)
				}
			}
			if holder != a.w.Command.Holder || formedBy != a.w.Command.FormedBy {
				at := a.ev.OccurredAt
				a.w.Command = Command{Holder: holder, HolderName: a.d.ActorName(holder), FormedBy: formedBy, Since: &at, Event: a.ev.ID}
			}
		}
	}
	for _, p := range []struct {
		prog  *program
		state TaskState
	}{{x.complete, TaskDone}, {x.waive, TaskWaived}} {
		if p.prog == nil {
			continue
		}
		a.sync()
		id, err := a.evalString(p.prog)
		if err != nil {
			return a.fail(a.def.ID+".effects", a.def.Clause, err)
		}
		i, ok := a.st.taskIDs[id]
		if !ok || a.st.closedIn[i] >= 0 {
			return &InvalidEventError{Event: a.ev.ID, Type: a.ev.Type,
				Fields: []FieldError{bad("data.task", CodeEventTask, map[string]string{"task": id}, "task %q is not open", id)}}
		}
		if p.state == TaskDone {
			if err := a.ownEvent(i); err != nil {
				return err
			}
			if def, ok := a.d.taskByID[a.st.tasks[i].Def]; ok {
				if err := a.lateNote(i, def); err != nil {
					return err
				}
			}
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

// ownEvent refuses to mark task i done by a generic completion when its
// definition names the events that do it (doneBy:): those events carry
// what the task asks for — a written report its contents, a summary its
// lessons — and marking the task done without them would record a duty
// as met that nobody checked.
func (a *applier) ownEvent(i int32) error {
	t := &a.st.tasks[i]
	def, ok := a.d.taskByID[t.Def]
	if ok && def.Window != nil {
		return &InvalidEventError{Event: a.ev.ID, Type: a.ev.Type, Fields: []FieldError{bad("data.task", CodeEventTask,
			map[string]string{"task": t.ID, "clause": def.Clause},
			"task %q [%s] is a window: it is not done, it ends by itself when its period is over", t.ID, def.Clause)}}
	}
	if !ok || len(def.DoneBy) == 0 {
		return nil
	}
	var events []string
	for _, db := range def.DoneBy {
		if !slices.Contains(events, db.Event) {
			events = append(events, db.Event)
		}
	}
	list := strings.Join(events, " or ")
	return &InvalidEventError{Event: a.ev.ID, Type: a.ev.Type, Fields: []FieldError{bad("data.task", CodeEventTaskHasEvent,
		map[string]string{"task": t.ID, "events": strings.Join(events, ", "), "clause": def.Clause},
		"task %q [%s] is done by its own event %s, which carries what the task asks for; send %s instead of %s",
		t.ID, def.Clause, list, list, a.ev.Type)}}
}

// varValue brings a value to the form variable key holds: a time var
// holds RFC 3339 text in the offset it was given in ("" to unset).
func (d *Definition) varValue(key string, v any) (any, error) {
	if vd, ok := d.varByID[key]; ok && vd.Type == "time" {
		t, err := timeValue(v)
		if err != nil {
			return nil, fmt.Errorf("variable %s holds a time: %w", key, err)
		}
		return t.String(), nil
	}
	return norm.Value(v)
}

func (a *applier) grade() error {
	inc := a.d.rules.NewIncident()
	for _, k := range slices.Sorted(maps.Keys(a.w.Facts)) {
		if err := inc.Set(k, a.w.Facts[k]); err != nil {
			return &InvalidEventError{Event: a.ev.ID, Type: a.ev.Type,
				Fields: []FieldError{bad("data", CodeEventInvalid, map[string]string{"input": k}, "%s", strings.TrimPrefix(err.Error(), "grading: "))}}
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
	a.sync()
	for _, t := range a.d.transitionsOf[a.ev.Type] {
		if !slices.Contains(t.From, a.w.Phase) {
			continue
		}
		ok, err := a.evalBool(t.prog)
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
	if len(a.def.eff.flags) == 0 {
		return nil
	}
	// Every flag's condition sees the flags as the stage found them.
	a.sync()
	for _, fd := range a.def.eff.flags {
		ok, err := a.evalBool(fd.when)
		if err != nil {
			return a.fail(a.def.ID+".flags."+fd.ID, fd.Clause, err)
		}
		if !ok {
			continue
		}
		f := Flag{ID: fd.ID, Name: fd.Name, Clause: fd.Clause, Event: a.ev.ID, At: a.ev.OccurredAt}
		if fd.note != nil {
			if f.Note, err = a.evalString(fd.note); err != nil {
				return a.fail(a.def.ID+".flags."+fd.ID+".note", fd.Clause, err)
			}
		}
		a.raise(f)
	}
	return nil
}

// raise records a flag on the instance and in the effects.
func (a *applier) raise(f Flag) {
	a.st.flags = append(a.st.flags, f)
	a.st.flagIDs = append(a.st.flagIDs, f.ID)
	a.eff.Flags = append(a.eff.Flags, f)
}

func (a *applier) rosterNotices() {
	list := func(k string) []string { l, _ := a.w.Facts[k].([]string); return l }
	rs, err := a.d.roster.Roster(a.ctx, a.w.Response, list("industries"), list("localities"))
	if err != nil {
		name := a.d.responseName(a.w.Response)
		params := map[string]string{"response": a.w.Response, "responseName": name, "error": err.Error()}
		if ps := diag.ProblemsOf(err); len(ps) > 0 {
			params["cause"] = ps[0].Code
		}
		a.eff.Warnings = append(a.eff.Warnings, diag.Problem{Code: CodeRosterFailed, Params: params,
			Message: "未能生成" + name + "名单，名单上的单位未列入本次报告与通知，请按预案核对"})
		return
	}
	for _, r := range rs {
		a.eff.Notices = append(a.eff.Notices, Notice{To: r.ID, ToName: r.Name, By: r.By, ByName: a.d.ActorName(r.By), Clause: r.Clause, Roster: true,
			Engaged: r.Engaged, Conditional: r.Conditional})
	}
}
