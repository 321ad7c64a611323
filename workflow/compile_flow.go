package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yingji/yingji/diag"
)

// Transitions, tasks and the reachability of phases: the parts of
// workflow.yaml that name the phases and events compile.go declared.

func (c *compiler) transitions(specs []transitionSpec) {
	for i, s := range specs {
		path := fmt.Sprintf("transitions[%d]", i)
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
			fp := fmt.Sprintf("%s.from[%d]", path, j)
			id, ok := c.phaseRef(f, fp)
			if !ok {
				continue
			}
			if c.d.phaseByID[id].Final {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeFinalPhase, Subject: f.At, Path: fp,
					Summary: fmt.Sprintf("transition leaves final phase %q", id),
					Fix:     "a final phase has no way out; remove it here",
					Params:  map[string]string{"phase": id}})
				continue
			}
			if !slices.Contains(e.Phases, id) {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeNeverFires, Subject: f.At, Path: fp,
					Summary: fmt.Sprintf("%s is not allowed in phase %q, so this transition never fires", e.ID, id),
					Fix:     fmt.Sprintf("add %s to the phases of %s, or remove it here", id, e.ID),
					Params:  map[string]string{"event": e.ID, "phase": id}})
				continue
			}
			for _, prev := range c.d.transitions {
				if prev.Event == e.ID && slices.Contains(prev.From, id) && prev.When == "" && !s.When.Set() {
					c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeAmbiguousTransition, Subject: f.At, Path: fp,
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
	seen := map[string]bool{}
	for i, s := range specs {
		path := fmt.Sprintf("tasks[%d]", i)
		if seen[s.ID] {
			c.duplicate(s.Meta.At, path+".id", "task", s.ID, "give each task its own id")
			continue
		}
		seen[s.ID] = true
		if strings.Contains(s.ID, "#") {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadID, Subject: s.Meta.At, Path: path + ".id",
				Summary: fmt.Sprintf("task id %q contains #", s.ID),
				Fix:     "# separates a recurring task's openings; use letters, digits and -",
				Params:  map[string]string{"task": s.ID}})
		}
		t := &TaskDef{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation,
			Conditional: s.Conditional, Recurring: s.Recurring}
		t.Assignee, _ = c.actorRef(s.Assignee, path+".assignee")
		for j, n := range s.Notify {
			if id, ok := c.actorRef(n, fmt.Sprintf("%s.notify[%d]", path, j)); ok {
				t.Notify = append(t.Notify, id)
			}
		}
		if s.Within.Set() {
			d, err := time.ParseDuration(strings.TrimSpace(s.Within.Value))
			if err != nil || d <= 0 {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadDuration, Subject: s.Within.At, Path: path + ".within",
					Summary: fmt.Sprintf("bad duration %q", s.Within.Value),
					Fix:     "write a positive duration such as 15m, 2h or 1h30m",
					Params:  map[string]string{"value": s.Within.Value}})
			}
			t.Within = d
		}
		if s.Late != nil {
			if !s.Within.Set() {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeLateWithoutDeadline, Subject: s.Late.Meta.At, Path: path + ".late",
					Summary: fmt.Sprintf("task %q flags lateness but has no deadline", s.ID),
					Fix:     "add within: with the deadline, or remove late:",
					Params:  map[string]string{"task": s.ID}})
			}
			t.Late = &LateFlag{Flag: s.Late.Flag, Name: s.Late.Name, Clause: s.Late.Clause, Text: s.Late.Text}
		}
		for j, tr := range s.On {
			tp := fmt.Sprintf("%s.on[%d]", path, j)
			form := func(p, summary, fix string) {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeTriggerForm, Subject: tr.Meta.At, Path: p,
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
					if e, ok := c.eventRef(ev, fmt.Sprintf("%s.event[%d]", tp, k)); ok {
						trig.Events = append(trig.Events, e.ID)
						scope = append(scope, e)
					}
				}
			default:
				form(tp, "a trigger names neither a phase nor events", "write phase: PHASE or event: [EVENT, …]")
				continue
			}
			for k, l := range tr.Levels {
				if id, ok := c.levelRef(l, fmt.Sprintf("%s.levels[%d]", tp, k)); ok {
					trig.Levels = append(trig.Levels, id)
				}
			}
			if tr.When.Set() {
				trig.When = tr.When.Value
				trig.prog = c.compileExpr(tr.When, tp+".when", exprScope{events: scope}, true)
			}
			t.Triggers = append(t.Triggers, trig)
		}
		for j, db := range s.DoneBy {
			dp := fmt.Sprintf("%s.doneBy[%d]", path, j)
			e, ok := c.eventRef(db.Event, dp+".event")
			if !ok {
				continue
			}
			done := DoneBy{Event: e.ID}
			if db.When.Set() {
				done.When = db.When.Value
				done.prog = c.compileExpr(db.When, dp+".when", exprScope{events: []*EventDef{e}, task: true}, true)
			}
			t.DoneBy = append(t.DoneBy, done)
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
