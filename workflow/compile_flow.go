package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
)

// Transitions, tasks and the reachability of phases: the parts of
// workflow.yaml that name the phases and events compile.go declared.

func (c *compiler) transitions(specs []transitionSpec) {
	for i, s := range specs {
		path := "transitions[" + strconv.Itoa(i) + "]"
		e, ok := c.eventRef(s.Event, path+".event")
		if !ok {
			continue
		}
		t := &Transition{Event: e.ID, Clause: s.Clause, Label: s.Label}
		to, ok := c.phaseRef(s.To, path+".to")
		if !ok {
			continue
		}
		t.To = to
		for j, f := range s.From {
			fp := path + ".from[" + strconv.Itoa(j) + "]"
			id, ok := c.phaseRef(f, fp)
			if !ok {
				continue
			}
			if c.d.phaseByID[id].Final {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeFinalPhase, Subject: f.At(), Path: fp,
					Summary: fmt.Sprintf("transition leaves final phase %q", id),
					Fix:     "a final phase has no way out; remove it here",
					Params:  map[string]string{"phase": id}})
				continue
			}
			if !slices.Contains(e.Phases, id) {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeNeverFires, Subject: f.At(), Path: fp,
					Summary: fmt.Sprintf("%s is not allowed in phase %q, so this transition never fires", e.ID, id),
					Fix:     fmt.Sprintf("add %s to the phases of %s, or remove it here", id, e.ID),
					Params:  map[string]string{"event": e.ID, "phase": id}})
				continue
			}
			for _, prev := range c.d.transitions {
				if prev.Event == e.ID && slices.Contains(prev.From, id) && prev.When == "" && !s.When.Set() {
					c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeAmbiguousTransition, Subject: f.At(), Path: fp,
						Summary: fmt.Sprintf("two transitions leave %q on %s", id, e.ID),
						Fix:     "give one of them a when: condition, or remove one",
						Params:  map[string]string{"event": e.ID, "phase": id}})
				}
			}
			t.From = append(t.From, id)
		}
		if s.When.Set() {
			t.When = s.When.Value
			t.prog = c.compileExpr(s.When, path+".when", exprScope{events: []*EventDef{e}}, true)
		}
		c.d.transitions = append(c.d.transitions, t)
	}
}

func (c *compiler) tasks(specs []taskSpec) {
	seen := map[string]diag.Range{}
	for i, s := range specs {
		path := "tasks[" + strconv.Itoa(i) + "]"
		if first, dup := seen[s.ID]; dup {
			c.duplicate(s.Meta.At(), first, path+".id", "task", s.ID, "give each task its own id")
			continue
		}
		seen[s.ID] = s.Meta.At()
		if strings.ContainsAny(s.ID, "#@") {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadID, Subject: s.Meta.At(), Path: path + ".id",
				Summary: fmt.Sprintf("task id %q contains # or @", s.ID),
				Fix:     "# separates a recurring task's openings and @ a task's assignee; use letters, digits and -",
				Params:  map[string]string{"task": s.ID}})
		}
		t := &TaskDef{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation,
			Conditional: s.Conditional, Recurring: s.Recurring}
		for j, a := range s.Assignee {
			ap := path + ".assignee"
			if len(s.Assignee) > 1 {
				ap = ap + "[" + strconv.Itoa(j) + "]"
			}
			id, ok := c.actorRef(a, ap)
			if !ok {
				continue
			}
			if slices.Contains(t.Assignees, id) {
				c.duplicate(a.At(), diag.Range{}, ap, "assignee", id, "name each assignee once")
				continue
			}
			t.Assignees = append(t.Assignees, id)
		}
		if len(s.Assignee) == 0 {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeTriggerForm, Subject: s.Meta.At(), Path: path + ".assignee",
				Summary: fmt.Sprintf("task %q has no assignee", s.ID), Fix: "name the actor the task is for, or a list of them",
				Params: map[string]string{"task": s.ID}})
		}
		if len(t.Assignees) > 0 {
			t.Assignee = t.Assignees[0]
		}
		for j, n := range s.Notify {
			np := path + ".notify[" + strconv.Itoa(j) + "]"
			if n.Relation.Set() {
				if c.relativeRef(n.Relation, np+".relation", t) {
					t.Notify = append(t.Notify, ActorRef{Relation: n.Relation.Value})
				}
				continue
			}
			if id, ok := c.actorRef(n.Actor, np); ok {
				t.Notify = append(t.Notify, ActorRef{ID: id})
			}
		}
		var opening []*EventDef // the events that may open the task
		for j, tr := range s.On {
			tp := path + ".on[" + strconv.Itoa(j) + "]"
			form := func(p, summary, fix string) {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeTriggerForm, Subject: tr.Meta.At(), Path: p,
					Summary: summary, Fix: fix, Params: map[string]string{"task": s.ID}})
			}
			trig := Trigger{}
			var scope []*EventDef
			switch {
			case tr.Phase.Set() && len(tr.Event) > 0:
				form(tp, "a trigger has both phase: and event:", "write either phase: (with levels:) or event:, in two triggers if both are meant")
				continue
			case tr.Phase.Set():
				id, ok := c.phaseRef(tr.Phase, tp+".phase")
				if !ok {
					continue
				}
				trig.Phase = id
				scope = c.d.events
			case len(tr.Event) > 0:
				if len(tr.Levels) > 0 {
					form(tp+".levels", "an event trigger cannot have levels:", "levels: filters phase triggers; test the level in when:")
				}
				for k, ev := range tr.Event {
					if e, ok := c.eventRef(ev, tp+".event["+strconv.Itoa(k)+"]"); ok {
						trig.Events = append(trig.Events, e.ID)
						scope = append(scope, e)
					}
				}
			default:
				form(tp, "a trigger names neither a phase nor events", "write phase: PHASE or event: [EVENT, …]")
				continue
			}
			if opening == nil && len(scope) > 0 {
				opening = make([]*EventDef, 0, len(c.d.events))
			}
			for _, e := range scope {
				if !slices.Contains(opening, e) {
					opening = append(opening, e)
				}
			}
			for k, l := range tr.Levels {
				if id, ok := c.levelRef(l, tp+".levels["+strconv.Itoa(k)+"]"); ok {
					trig.Levels = append(trig.Levels, id)
				}
			}
			if tr.When.Set() {
				trig.When = tr.When.Value
				trig.prog = c.compileExpr(tr.When, tp+".when", exprScope{events: scope, task: true}, true)
			}
			t.Triggers = append(t.Triggers, trig)
		}
		openScope := exprScope{events: opening, task: true}
		if s.Within != nil {
			t.Within = c.period(s.Within, path+".within", openScope)
		}
		if s.Window != nil {
			if s.Within != nil {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeWindowForm, Subject: s.Window.Meta.At(), Path: path + ".window",
					Summary: fmt.Sprintf("task %q has both a deadline (within:) and a window", s.ID),
					Fix:     "a deadline is when a task must be done; a window is when the events it covers count. Keep one",
					Params:  map[string]string{"task": s.ID}})
			}
			if len(s.DoneBy) > 0 {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeWindowForm, Subject: s.DoneBy[0].Meta.At(), Path: path + ".doneBy",
					Summary: fmt.Sprintf("window %q is done by events", s.ID),
					Fix:     "a window closes itself when its period ends; name the events it is for under covers:",
					Params:  map[string]string{"task": s.ID}})
			}
			t.Window = c.period(s.Window, path+".window", openScope)
		}
		if len(s.Covers) > 0 && s.Window == nil {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeWindowForm, Subject: s.Covers[0].Meta.At(), Path: path + ".covers",
				Summary: fmt.Sprintf("task %q covers events but has no window", s.ID),
				Fix:     "add window: with the period, or use doneBy: for the events that complete the task",
				Params:  map[string]string{"task": s.ID}})
		}
		var lateScope []*EventDef
		for _, list := range []struct {
			specs []doneBySpec
			name  string
			to    *[]DoneBy
		}{{s.DoneBy, "doneBy", &t.DoneBy}, {s.Covers, "covers", &t.Covers}} {
			for j, db := range list.specs {
				dp := path + "." + list.name + "[" + strconv.Itoa(j) + "]"
				e, ok := c.eventRef(db.Event, dp+".event")
				if !ok {
					continue
				}
				lateScope = append(lateScope, e)
				done := DoneBy{Event: e.ID}
				if db.When.Set() {
					done.When = db.When.Value
					done.prog = c.compileExpr(db.When, dp+".when", exprScope{events: []*EventDef{e}, task: true}, true)
				}
				*list.to = append(*list.to, done)
			}
		}
		if s.Late != nil {
			if s.Within == nil && s.Window == nil {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeLateWithoutDeadline, Subject: s.Late.Meta.At(), Path: path + ".late",
					Summary: fmt.Sprintf("task %q flags lateness but has no deadline", s.ID),
					Fix:     "add within: with the deadline (or window: with the period), or remove late:",
					Params:  map[string]string{"task": s.ID}})
			}
			t.Late = &LateFlag{Flag: s.Late.Flag, Name: s.Late.Name, Clause: s.Late.Clause, Text: s.Late.Text}
			if s.Late.Note.Set() {
				t.Late.Note = s.Late.Note.Value
				t.Late.note = c.compileExpr(s.Late.Note, path+".late.note", exprScope{events: lateScope, task: true}, false)
			}
		}
		c.d.tasks = append(c.d.tasks, t)
		c.d.taskByID[t.ID] = t
	}
}

// reachability warns about phases no transition reaches.
func (c *compiler) reachability() {
	if c.d.initial == nil {
		return
	}
	seen := map[string]bool{c.d.initial.ID: true}
	for changed := true; changed; {
		changed = false
		for _, t := range c.d.transitions {
			if !seen[t.To] && slices.ContainsFunc(t.From, func(f string) bool { return seen[f] }) {
				seen[t.To] = true
				changed = true
			}
		}
	}
	for _, p := range c.d.phases {
		if !seen[p.ID] {
			c.add(diag.Diagnostic{Severity: diag.Warning, Code: CodeUnreachablePhase, Subject: p.at, Path: "phases",
				Summary: fmt.Sprintf("phase %q cannot be reached from %q", p.ID, c.d.initial.ID),
				Fix:     "add a transition into it, or remove it",
				Params:  map[string]string{"phase": p.ID, "initial": c.d.initial.ID}})
		}
	}
}
