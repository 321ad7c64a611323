package workflow

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/yamlx"
)

var fieldTypeByName = map[string]FieldType{
	"text": TextField, "string": TextField, "bool": BoolField, "number": NumberField, "count": CountField,
	"time": TimeField, "enum": EnumField, "list": ListField, "actor": ActorField, "level": LevelField,
	"task": TaskField, "incident": IncidentField, "checklist": ChecklistField,
}

type compiler struct {
	d         *Definition
	diags     diag.Diagnostics
	taskSpecs map[string]*taskSpec
}

func (c *compiler) errorf(code string, at diag.Range, path, detail, format string, args ...any) {
	c.diags = append(c.diags, diag.Errorf(code, at, path, detail, format, args...))
}

func (c *compiler) warnf(code string, at diag.Range, path, detail, format string, args ...any) {
	c.diags = append(c.diags, diag.Warnf(code, at, path, detail, format, args...))
}

// Compile compiles a parsed workflow.yaml against the plan's grading rules
// and its organisation (dir). Every reference is checked: phases, events,
// tasks, levels (by id, name or response id), actors (through dir),
// variables, grading inputs and event data fields named in expressions,
// and string literals compared with them. It returns the definition, or
// nil and every diagnostic, sorted; warnings may accompany a usable
// definition. rules must not be nil; a nil dir accepts any actor id.
func Compile(f *yamlx.File, rules *grading.Rules, dir Directory) (*Definition, diag.Diagnostics) {
	var spec fileSpec
	ds := f.Decode(&spec)
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds
	}
	c := &compiler{
		d: &Definition{
			id: spec.ID, title: spec.Title, clause: spec.Clause, text: spec.Text,
			phaseByID: map[string]*Phase{}, varByID: map[string]*Var{}, eventByID: map[string]*EventDef{}, taskByID: map[string]*TaskDef{},
			rules: rules, dir: dir, clauses: f.Values("clause"),
		},
		diags:     ds,
		taskSpecs: map[string]*taskSpec{},
	}
	if rules == nil {
		c.errorf("no-grading", diag.Range{}, "", "load grading.yaml before workflow.yaml", "a workflow needs the plan's grading rules")
		return nil, c.diags
	}
	if spec.Diagram != nil {
		c.d.diagram = DiagramInfo{Clause: spec.Diagram.Clause, Title: spec.Diagram.Title, Note: spec.Diagram.Note}
	}
	if spec.Lapse != nil {
		c.d.lapse, c.d.lapseClause = strings.TrimSpace(spec.Lapse.Reason), spec.Lapse.Clause
	}
	for i := range spec.Tasks {
		c.taskSpecs[spec.Tasks[i].ID] = &spec.Tasks[i]
	}
	c.phases(spec.Phases)
	c.vars(spec.Vars)
	c.events(spec.Events)
	c.transitions(spec.Transitions)
	c.tasks(spec.Tasks)
	c.reachability()
	for i := range c.diags {
		if c.diags[i].Subject.IsZero() {
			c.diags[i].Subject = f.Range(f.Root)
		}
	}
	c.diags.Sort()
	if c.diags.HasErrors() {
		return nil, c.diags
	}
	return c.d, c.diags
}

func (c *compiler) phaseIDs() []string {
	out := make([]string, len(c.d.phases))
	for i, p := range c.d.phases {
		out[i] = p.ID
	}
	return out
}

func (c *compiler) eventIDs() []string {
	out := make([]string, len(c.d.events))
	for i, e := range c.d.events {
		out[i] = e.ID
	}
	return out
}

func (c *compiler) taskIDs() []string { return slices.Sorted(mapKeys(c.taskSpecs)) }

func (c *compiler) varIDs() []string { return slices.Sorted(mapKeys(c.d.varByID)) }

func (c *compiler) inputIDs() []string {
	var out []string
	for _, in := range c.d.rules.Inputs() {
		out = append(out, in.ID)
	}
	return out
}

func (c *compiler) levelRefs() []string {
	var out []string
	for _, l := range c.d.rules.Levels() {
		out = append(out, l.ID)
		if l.Response.ID != "" {
			out = append(out, l.Response.ID)
		}
	}
	return out
}

func (c *compiler) phaseRef(s yamlx.String, path string) (string, bool) {
	if _, ok := c.d.phaseByID[s.Value]; ok {
		return s.Value, true
	}
	c.errorf("unknown-phase", s.At, path, "use a phase id declared under phases:."+diag.Suggest(s.Value, c.phaseIDs()), "unknown phase %q", s.Value)
	return "", false
}

func (c *compiler) eventRef(s yamlx.String, path string) (*EventDef, bool) {
	if e, ok := c.d.eventByID[s.Value]; ok {
		return e, true
	}
	c.errorf("unknown-event", s.At, path, "use an event id declared under events:."+diag.Suggest(s.Value, c.eventIDs()), "unknown event %q", s.Value)
	return nil, false
}

func (c *compiler) actorRef(s yamlx.String, path string) (string, bool) {
	if c.d.dir == nil {
		return s.Value, s.Value != ""
	}
	if id, ok := c.d.dir.Actor(s.Value); ok {
		return id, true
	}
	c.errorf("unknown-actor", s.At, path, "use a unit, placeholder or group id of the orgchart."+diag.Suggest(s.Value, c.d.dir.Actors()), "unknown actor %q", s.Value)
	return "", false
}

func (c *compiler) levelRef(s yamlx.String, path string) (string, bool) {
	if l, ok := c.d.level(s.Value); ok {
		return l.ID, true
	}
	c.errorf("unknown-level", s.At, path, "use a level id, name or response id of grading.yaml."+diag.Suggest(s.Value, c.levelRefs()), "unknown level %q", s.Value)
	return "", false
}

func (c *compiler) phases(specs []phaseSpec) {
	for i, s := range specs {
		path := fmt.Sprintf("phases[%d]", i)
		if _, dup := c.d.phaseByID[s.ID]; dup {
			c.errorf("duplicate-id", s.Meta.At, path+".id", "give each phase its own id", "phase %q is declared twice (first at %s)", s.ID, c.d.phaseByID[s.ID].At)
			continue
		}
		p := &Phase{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation,
			Initial: s.Initial, Final: s.Final, Command: s.Command, WaiveOpen: s.WaiveOpen, At: s.Meta.At}
		if p.Initial {
			if c.d.initial != nil {
				c.errorf("initial-phase", s.Meta.At, path+".initial", "mark exactly one phase initial: true", "phases %q and %q are both initial", c.d.initial.ID, p.ID)
			} else {
				c.d.initial = p
			}
		}
		if p.Initial && p.Final {
			c.errorf("initial-phase", s.Meta.At, path, "an instance must be able to leave its first phase", "phase %q is both initial and final", p.ID)
		}
		c.d.phases = append(c.d.phases, p)
		c.d.phaseByID[p.ID] = p
	}
	if c.d.initial == nil {
		c.errorf("initial-phase", diag.Range{}, "phases", "mark the phase an instance starts in with initial: true", "no phase is initial")
	}
	if !slices.ContainsFunc(c.d.phases, func(p *Phase) bool { return p.Final }) {
		c.errorf("final-phase", diag.Range{}, "phases", "mark the phase that ends the process with final: true", "no phase is final")
	}
}

func (c *compiler) vars(specs []varSpec) {
	for i, s := range specs {
		path := fmt.Sprintf("vars[%d]", i)
		if _, dup := c.d.varByID[s.ID]; dup {
			c.errorf("duplicate-id", s.Meta.At, path+".id", "give each variable its own id", "variable %q is declared twice", s.ID)
			continue
		}
		switch s.Type.Value {
		case "number", "string", "bool":
		default:
			c.errorf("unknown-type", s.Type.At, path+".type", "use number, string or bool."+diag.Suggest(s.Type.Value, []string{"number", "string", "bool"}), "unknown variable type %q", s.Type.Value)
			continue
		}
		v := &Var{ID: s.ID, Label: s.Label, Clause: s.Clause, Type: s.Type.Value}
		c.d.vars = append(c.d.vars, v)
		c.d.varByID[v.ID] = v
	}
}

func (c *compiler) events(specs []eventSpec) {
	guardIDs := map[string]string{}
	var nonFinal []string
	for _, p := range c.d.phases {
		if !p.Final {
			nonFinal = append(nonFinal, p.ID)
		}
	}
	// Declare every event first, so that expressions may name any of them.
	for i, s := range specs {
		path := fmt.Sprintf("events[%d]", i)
		if _, dup := c.d.eventByID[s.ID]; dup {
			c.errorf("duplicate-id", s.Meta.At, path+".id", "give each event its own id", "event %q is declared twice (first at %s)", s.ID, c.d.eventByID[s.ID].At)
			continue
		}
		e := &EventDef{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation, At: s.Meta.At}
		switch s.Late.Value {
		case "", "reject":
		case "accept":
			e.Late = true
		default:
			c.errorf("bad-value", s.Late.At, path+".late", "write late: accept or late: reject (the default)", "late must be accept or reject, not %q", s.Late.Value)
		}
		for j, p := range s.Phases {
			if id, ok := c.phaseRef(p, fmt.Sprintf("%s.phases[%d]", path, j)); ok {
				if c.d.phaseByID[id].Final {
					c.errorf("final-phase", p.At, fmt.Sprintf("%s.phases[%d]", path, j), "nothing happens after a final phase; remove it here", "event %q is allowed in final phase %q", s.ID, id)
				}
				e.Phases = append(e.Phases, id)
			}
		}
		if len(s.Phases) == 0 {
			e.Phases = slices.Clone(nonFinal)
		}
		c.fields(e, s.Data, path+".data")
		c.d.events = append(c.d.events, e)
		c.d.eventByID[e.ID] = e
	}
	for i, s := range specs {
		path := fmt.Sprintf("events[%d]", i)
		e := c.d.eventByID[s.ID]
		if e == nil || e.At != s.Meta.At {
			continue
		}
		sc := exprScope{events: []*EventDef{e}}
		for j, g := range s.Guards {
			gp := fmt.Sprintf("%s.guards[%d]", path, j)
			if prev, dup := guardIDs[g.ID]; dup {
				c.errorf("duplicate-id", g.Meta.At, gp+".id", "guard ids name the rule that stopped an event; make each unique", "guard %q is declared twice (first at %s)", g.ID, prev)
				continue
			}
			guardIDs[g.ID] = fmt.Sprintf("%s, %s", g.Meta.At, gp)
			prog := c.compileExpr(g.When, gp+".when", sc, true)
			e.Guards = append(e.Guards, &Guard{ID: g.ID, Clause: g.Clause, Text: g.Text, Message: g.Message, When: g.When.Value, Interpretation: g.Interpretation, prog: prog})
		}
		if s.Effects != nil {
			c.effects(e, s.Effects, path+".effects", sc)
		}
	}
}

func (c *compiler) fields(e *EventDef, specs []fieldSpec, path string) {
	seen := map[string]bool{}
	for i, s := range specs {
		fp := fmt.Sprintf("%s[%d]", path, i)
		if seen[s.Name] {
			c.errorf("duplicate-id", s.Meta.At, fp+".name", "give each field its own name", "field %q is declared twice", s.Name)
			continue
		}
		seen[s.Name] = true
		t, ok := fieldTypeByName[s.Type.Value]
		if !ok {
			c.errorf("unknown-type", s.Type.At, fp+".type", "use one of "+strings.Join(slices.Sorted(mapKeys(fieldTypeByName)), ", ")+"."+diag.Suggest(s.Type.Value, slices.Sorted(mapKeys(fieldTypeByName))), "unknown field type %q", s.Type.Value)
			continue
		}
		f := &Field{Name: s.Name, Label: s.Label, Clause: s.Clause, Text: s.Text, Type: t, Required: s.Required}
		items := func(list []itemSpec) []Item {
			var out []Item
			ids := map[string]bool{}
			for _, it := range list {
				if ids[it.ID] {
					c.errorf("duplicate-id", it.Meta.At, fp, "list each value once", "value %q appears twice", it.ID)
				}
				ids[it.ID] = true
				out = append(out, Item{ID: it.ID, Label: it.Label, Clause: it.Clause, Text: it.Text})
			}
			return out
		}
		f.Values = items(s.Values)
		f.Items = items(s.Items)
		switch {
		case t == EnumField && len(f.Values) == 0:
			c.errorf("enum-values", s.Meta.At, fp+".values", "list the allowed values under values:", "enum field %q has no values", s.Name)
		case t == ChecklistField && len(f.Items) == 0:
			c.errorf("checklist-items", s.Meta.At, fp+".items", "list the items under items:", "checklist field %q has no items", s.Name)
		case t != EnumField && len(f.Values) > 0, t != ChecklistField && len(f.Items) > 0:
			c.errorf("field-form", s.Meta.At, fp, "values: is for enum fields, items: for checklist fields", "field %q of type %s cannot list values or items", s.Name, t)
		}
		e.Data = append(e.Data, f)
	}
}

func (c *compiler) effects(e *EventDef, s *effectsSpec, path string, sc exprScope) {
	eff := &e.eff
	for _, k := range slices.Sorted(mapKeys(s.Facts)) {
		v := s.Facts[k]
		if _, ok := c.d.rules.Input(k); !ok {
			c.errorf("unknown-input", v.At, path+".facts."+k, "use an input id of grading.yaml."+diag.Suggest(k, c.inputIDs()), "unknown grading input %q", k)
			continue
		}
		if p := c.compileExpr(v, path+".facts."+k, sc, false); p != nil {
			eff.facts = append(eff.facts, assign{k, p})
		}
	}
	if s.Grade.Set() {
		f, ok := e.Field(s.Grade.Value)
		if !ok || f.Type != IncidentField {
			c.errorf("grade-field", s.Grade.At, path+".grade", "name a data field of type incident", "%q is not an incident field of %s", s.Grade.Value, e.ID)
		} else {
			eff.grade = f.Name
		}
	}
	for _, k := range slices.Sorted(mapKeys(s.Set)) {
		v := s.Set[k]
		if _, ok := c.d.varByID[k]; !ok {
			c.errorf("unknown-var", v.At, path+".set."+k, "declare it under vars:."+diag.Suggest(k, c.varIDs()), "unknown variable %q", k)
			continue
		}
		if p := c.compileExpr(v, path+".set."+k, sc, false); p != nil {
			eff.set = append(eff.set, assign{k, p})
		}
	}
	if s.Response.Set() {
		eff.response = c.compileExpr(s.Response, path+".response", sc, false)
	}
	if s.Request != nil {
		eff.request = c.compileExpr(s.Request.To, path+".request.to", sc, false)
		if s.Request.When.Set() {
			eff.requestIf = c.compileExpr(s.Request.When, path+".request.when", sc, true)
		}
	}
	if s.Command != nil {
		eff.holder = c.compileExpr(s.Command.Holder, path+".command.holder", sc, false)
		if s.Command.FormedBy.Set() {
			eff.formedBy = c.compileExpr(s.Command.FormedBy, path+".command.formedBy", sc, false)
		}
		if s.Command.When.Set() {
			eff.commandIf = c.compileExpr(s.Command.When, path+".command.when", sc, true)
		}
	}
	if s.Complete.Set() {
		eff.complete = c.compileExpr(s.Complete, path+".complete", sc, false)
	}
	if s.Waive.Set() {
		eff.waive = c.compileExpr(s.Waive, path+".waive", sc, false)
		if _, ok := e.Field("reason"); !ok {
			c.errorf("waive-reason", s.Waive.At, path+".waive", "add a required text field named reason", "an event that waives a task needs a reason field")
		}
	}
	for i, fs := range s.Flags {
		fp := fmt.Sprintf("%s.flags[%d]", path, i)
		fd := flagDef{ID: fs.ID, Name: fs.Name, Clause: fs.Clause, Text: fs.Text}
		fd.when = c.compileExpr(fs.When, fp+".when", sc, true)
		if fs.Note.Set() {
			fd.note = c.compileExpr(fs.Note, fp+".note", sc, false)
		}
		eff.flags = append(eff.flags, fd)
	}
}

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
				c.errorf("final-phase", f.At, fp, "a final phase has no way out; remove it here", "transition leaves final phase %q", id)
				continue
			}
			if !slices.Contains(e.Phases, id) {
				c.errorf("never-fires", f.At, fp, fmt.Sprintf("add %s to the phases of %s, or remove it here", id, e.ID), "%s is not allowed in phase %q, so this transition never fires", e.ID, id)
				continue
			}
			for _, prev := range c.d.transitions {
				if prev.Event == e.ID && slices.Contains(prev.From, id) && prev.When == "" && !s.When.Set() {
					c.errorf("ambiguous-transition", f.At, fp, "give one of them a when: condition, or remove one", "two transitions leave %q on %s", id, e.ID)
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
		path := fmt.Sprintf("tasks[%d]", i)
		if first, dup := seen[s.ID]; dup {
			c.errorf("duplicate-id", s.Meta.At, path+".id", "give each task its own id", "task %q is declared twice (first at %s)", s.ID, first)
			continue
		}
		seen[s.ID] = s.Meta.At
		if strings.Contains(s.ID, "#") {
			c.errorf("bad-id", s.Meta.At, path+".id", "# separates a recurring task's openings; use letters, digits and -", "task id %q contains #", s.ID)
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
				c.errorf("bad-duration", s.Within.At, path+".within", `write a positive duration such as 15m, 2h or 1h30m`, "bad duration %q", s.Within.Value)
			}
			t.Within = d
		}
		if s.Late != nil {
			if !s.Within.Set() {
				c.errorf("late-without-deadline", s.Late.Meta.At, path+".late", "add within: with the deadline, or remove late:", "task %q flags lateness but has no deadline", s.ID)
			}
			t.Late = &LateFlag{Flag: s.Late.Flag, Name: s.Late.Name, Clause: s.Late.Clause, Text: s.Late.Text}
		}
		for j, tr := range s.On {
			tp := fmt.Sprintf("%s.on[%d]", path, j)
			trig := Trigger{}
			var scope []*EventDef
			switch {
			case tr.Phase.Set() && len(tr.Event) > 0:
				c.errorf("trigger-form", tr.Meta.At, tp, "write either phase: (with levels:) or event:, in two triggers if both are meant", "a trigger has both phase: and event:")
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
					c.errorf("trigger-form", tr.Meta.At, tp+".levels", "levels: filters phase triggers; test the level in when:", "an event trigger cannot have levels:")
				}
				for k, ev := range tr.Event {
					if e, ok := c.eventRef(ev, fmt.Sprintf("%s.event[%d]", tp, k)); ok {
						trig.Events = append(trig.Events, e.ID)
						scope = append(scope, e)
					}
				}
			default:
				c.errorf("trigger-form", tr.Meta.At, tp, "write phase: PHASE or event: [EVENT, …]", "a trigger names neither a phase nor events")
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
			c.warnf("unreachable-phase", p.At, "phases", "add a transition into it, or remove it", "phase %q cannot be reached from %q", p.ID, c.d.initial.ID)
		}
	}
}

func mapKeys[M ~map[string]V, V any](m M) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// level resolves a level by id, name or response id.
func (d *Definition) level(ref string) (*grading.Level, bool) {
	if ref == "" || d.rules == nil {
		return nil, false
	}
	return d.rules.Level(ref)
}

// rank is a level's severity rank, 0 the most severe; an unknown or empty
// reference ranks below every level.
func (d *Definition) rank(ref string) int {
	if l, ok := d.level(ref); ok {
		return l.Rank
	}
	if d.rules == nil {
		return 0
	}
	return len(d.rules.Levels())
}
