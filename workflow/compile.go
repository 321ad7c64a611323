package workflow

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/conf"
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
	clock     yamlx.String // the workflow's clock: for periods in days
	cfg       config
	diags     diag.Diagnostics
	taskSpecs map[string]*taskSpec
	funcs     []expr.Option   // the expression functions, built once
	exprConf  [2]*conf.Config // the expr configurations, built once: [1] for conditions
	emit      *sync.Mutex     // the lock the file's programs emit their bytecode under (its own allocation: a program keeps it, not the compiler)
}

// add records a finding; build d as a literal with named fields.
func (c *compiler) add(d diag.Diagnostic) { c.diags = append(c.diags, d) }

// Compile compiles workflow.yaml (src, named name in diagnostics) against
// the plan's grading rules. Every reference is checked: phases, events,
// tasks, levels (by id, name or response id), actors (through the
// resolver WithActors gives), variables, grading inputs and event data
// fields named in expressions, and string literals compared with them.
//
// It returns the definition, or nil and every diagnostic, sorted; warnings
// and the file's interpretation notes (Info, code "plan.interpretation")
// may accompany a usable definition. rules must not be nil. Without
// WithActors any actor id is accepted.
//
// Compile is Parse and then Source.Compile.
func Compile(name string, src []byte, rules *grading.Rules, opts ...Option) (*Definition, diag.Diagnostics) {
	cfg, ds := configure(name, opts)
	if ds.HasErrors() {
		return nil, ds
	}
	s, pds := Parse(name, src)
	if s == nil {
		return nil, append(ds, pds...)
	}
	return s.compile(rules, cfg, ds)
}

// Source is workflow.yaml parsed, not yet compiled: the part of compiling
// that needs neither the grading rules nor the actors, so that a loader
// can do it beside compiling those. Parse makes one.
//
// A Source is immutable and safe for concurrent use; it may be compiled
// any number of times, against the same rules or others.
type Source struct {
	name    string
	file    *yamlx.File
	notes   diag.Diagnostics // the interpretation notes
	clauses []string         // every clause an item cites
}

// Parse parses workflow.yaml (src, named name in diagnostics). It returns
// nil and the YAML syntax errors, sorted, when src is no YAML a workflow
// can be read from; otherwise the Source, to be compiled.
func Parse(name string, src []byte) (*Source, diag.Diagnostics) {
	f, ds := yamlx.Parse(name, src)
	if ds.HasErrors() {
		ds.Sort()
		return nil, ds
	}
	return &Source{name: name, file: f, notes: f.Interpretations(), clauses: f.Values("clause")}, ds
}

// Compile compiles the source against the plan's grading rules, as the
// package function Compile does.
func (s *Source) Compile(rules *grading.Rules, opts ...Option) (*Definition, diag.Diagnostics) {
	cfg, ds := configure(s.name, opts)
	if ds.HasErrors() {
		return nil, ds
	}
	return s.compile(rules, cfg, ds)
}

func (s *Source) compile(rules *grading.Rules, cfg config, ds diag.Diagnostics) (*Definition, diag.Diagnostics) {
	def, cds := compileFile(s.file, rules, cfg, s.clauses)
	ds = append(ds, cds...)
	ds = append(ds, s.notes...)
	ds.Sort()
	return def, ds
}

// configure applies opts; a bad one is an error diagnostic.
func configure(name string, opts []Option) (config, diag.Diagnostics) {
	cfg := defaultConfig()
	var ds diag.Diagnostics
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			ds = append(ds, diag.Diagnostic{Severity: diag.Error, Code: CodeOption,
				Subject: diag.Range{Filename: name, Start: diag.Pos{Line: 1, Column: 1}, End: diag.Pos{Line: 1, Column: 2}},
				Summary: "workflow: " + err.Error(), Fix: "pass the option a value it can take",
				Params: map[string]string{"error": err.Error()}})
		}
	}
	return cfg, ds
}

func compileFile(f *yamlx.File, rules *grading.Rules, cfg config, clauses []string) (*Definition, diag.Diagnostics) {
	var spec fileSpec
	ds := f.DecodeWith(fileTables, &spec)
	if ds.HasErrors() {
		return nil, ds
	}
	c := &compiler{
		d: &Definition{
			id: spec.ID, title: spec.Title, clause: spec.Clause, text: spec.Text,
			constByID: map[string]*Constant{}, phaseByID: map[string]*Phase{}, varByID: map[string]*Var{}, eventByID: map[string]*EventDef{}, taskByID: map[string]*TaskDef{},
			rules: rules, actors: cfg.actors, clauses: clauses,
			memoryBudget: cfg.memoryBudget, maxLog: cfg.maxLog,
		},
		cfg:       cfg,
		diags:     ds,
		taskSpecs: map[string]*taskSpec{},
		emit:      new(sync.Mutex),
	}
	if rules == nil {
		c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeNoGrading, Subject: f.Range(f.Root),
			Summary: "a workflow needs the plan's grading rules", Fix: "load grading.yaml before workflow.yaml"})
		return nil, c.diags
	}
	if spec.Diagram != nil {
		c.d.diagram = DiagramInfo{Clause: spec.Diagram.Clause, Title: spec.Diagram.Title, Caption: spec.Diagram.Caption, Note: spec.Diagram.Note}
	}
	if spec.Lapse != nil {
		c.d.lapse, c.d.lapseClause = strings.TrimSpace(spec.Lapse.Reason.Value), spec.Lapse.Clause
		c.d.lapseTemplate = lapsePlaceholder.MatchString(c.d.lapse)
		c.lapsePlaceholders(spec.Lapse.Reason)
	}
	for i := range spec.Tasks {
		c.taskSpecs[spec.Tasks[i].ID] = &spec.Tasks[i]
	}
	c.clock = spec.Clock
	if spec.Clock.Set() {
		if _, ok := parseClock(spec.Clock.Value); !ok {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadDuration, Subject: spec.Clock.At(), Path: "clock",
				Summary: fmt.Sprintf("bad clock %q", spec.Clock.Value),
				Fix:     "write the UTC offset calendar days are counted on, such as \"+08:00\"; zone names are not read",
				Params:  map[string]string{"value": spec.Clock.Value}})
		}
		c.d.clock = strings.TrimSpace(spec.Clock.Value)
	}
	c.constants(spec.Constants)
	c.relations(spec.Relations)
	c.phases(spec.Phases)
	c.vars(spec.Vars)
	c.events(spec.Events)
	c.transitions(spec.Transitions)
	c.tasks(spec.Tasks)
	c.reachability()
	c.d.index()
	for i := range c.diags {
		if c.diags[i].Subject.IsZero() {
			c.diags[i].Subject = f.Range(f.Root)
		}
	}
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

func (c *compiler) eventIDs() []string { return c.d.eventIDs() }

func (c *compiler) taskIDs() []string { return slices.Sorted(maps.Keys(c.taskSpecs)) }

func (c *compiler) varIDs() []string { return slices.Sorted(maps.Keys(c.d.varByID)) }

func (c *compiler) inputIDs() []string {
	var out []string
	for _, in := range c.d.rules.Inputs() {
		out = append(out, in.ID)
	}
	return out
}

func (c *compiler) unknownPhase(at diag.Range, path, id string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownPhase, Subject: at, Path: path,
		Summary: fmt.Sprintf("unknown phase %q", id),
		Fix:     "use a phase id declared under phases:." + diag.Suggest(id, c.phaseIDs()),
		Params:  map[string]string{"phase": id}})
}

func (c *compiler) unknownEvent(at diag.Range, path, id string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownEvent, Subject: at, Path: path,
		Summary: fmt.Sprintf("unknown event %q", id),
		Fix:     "use an event id declared under events:." + diag.Suggest(id, c.eventIDs()),
		Params:  map[string]string{"event": id}})
}

func (c *compiler) unknownActor(at diag.Range, path, id string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownActor, Subject: at, Path: path,
		Summary: fmt.Sprintf("unknown actor %q", id),
		Fix:     "use a unit, placeholder or group id of the orgchart." + diag.Suggest(id, c.d.actors.Actors()),
		Params:  map[string]string{"actor": id}})
}

// unknownLevel lists the levels in order rather than suggesting one by
// spelling: a near miss of "III" is "II" or "IIII", and steering a Ⅲ
// incident to another rank is the one mistake the engine must not make.
func (c *compiler) unknownLevel(at diag.Range, path, ref string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownLevel, Subject: at, Path: path,
		Summary: fmt.Sprintf("unknown level %q", ref),
		Fix:     "use a level id, name or response id of grading.yaml: " + c.d.levelList(),
		Params:  map[string]string{"level": ref, "valid": c.d.levelList()}})
}

func (c *compiler) unknownTask(at diag.Range, path, id string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownTask, Subject: at, Path: path,
		Summary: fmt.Sprintf("unknown task %q", id),
		Fix:     "use a task id of this workflow." + diag.Suggest(id, c.taskIDs()),
		Params:  map[string]string{"task": id}})
}

func (c *compiler) unknownVar(at diag.Range, path, id string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownVar, Subject: at, Path: path,
		Summary: fmt.Sprintf("unknown variable %q", id),
		Fix:     "declare it under vars:." + diag.Suggest(id, c.varIDs()),
		Params:  map[string]string{"var": id}})
}

func (c *compiler) unknownInput(at diag.Range, path, id string) {
	c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownInput, Subject: at, Path: path,
		Summary: fmt.Sprintf("unknown grading input %q", id),
		Fix:     "use an input id of grading.yaml." + diag.Suggest(id, c.inputIDs()),
		Params:  map[string]string{"input": id}})
}

// duplicate reports the second declaration of an id, naming the first
// when its position is known (first is not zero).
func (c *compiler) duplicate(at, first diag.Range, path, what, id, fix string) {
	d := diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateID, Subject: at, Path: path,
		Summary: fmt.Sprintf("%s %q is declared twice", what, id), Fix: fix,
		Params: map[string]string{"kind": what, "id": id}}
	if !first.IsZero() {
		d.Summary += fmt.Sprintf(" (first at %s)", first)
		d.Params["first"] = first.String()
	}
	c.add(d)
}

func (c *compiler) phaseRef(s yamlx.String, path string) (string, bool) {
	if _, ok := c.d.phaseByID[s.Value]; ok {
		return s.Value, true
	}
	c.unknownPhase(s.At(), path, s.Value)
	return "", false
}

func (c *compiler) eventRef(s yamlx.String, path string) (*EventDef, bool) {
	if e, ok := c.d.eventByID[s.Value]; ok {
		return e, true
	}
	c.unknownEvent(s.At(), path, s.Value)
	return nil, false
}

func (c *compiler) actorRef(s yamlx.String, path string) (string, bool) {
	if c.d.actors == nil {
		return s.Value, s.Value != ""
	}
	if id, ok := c.d.actors.Actor(s.Value); ok {
		return id, true
	}
	c.unknownActor(s.At(), path, s.Value)
	return "", false
}

func (c *compiler) levelRef(s yamlx.String, path string) (string, bool) {
	if l, ok := c.d.level(s.Value); ok {
		return l.ID, true
	}
	c.unknownLevel(s.At(), path, s.Value)
	return "", false
}

func (c *compiler) phases(specs []phaseSpec) {
	for i, s := range specs {
		path := "phases[" + strconv.Itoa(i) + "]"
		if _, dup := c.d.phaseByID[s.ID]; dup {
			c.duplicate(s.Meta.At(), c.d.phaseByID[s.ID].at, path+".id", "phase", s.ID, "give each phase its own id")
			continue
		}
		p := &Phase{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation,
			Initial: s.Initial, Final: s.Final, Command: s.Command, WaiveOpen: s.WaiveOpen, at: s.Meta.At()}
		if p.Initial {
			if c.d.initial != nil {
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeInitialPhase, Subject: s.Meta.At(), Path: path + ".initial",
					Summary: fmt.Sprintf("phases %q and %q are both initial", c.d.initial.ID, p.ID),
					Fix:     "mark exactly one phase initial: true",
					Params:  map[string]string{"phase": p.ID, "other": c.d.initial.ID}})
			} else {
				c.d.initial = p
			}
		}
		if p.Initial && p.Final {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeInitialPhase, Subject: s.Meta.At(), Path: path,
				Summary: fmt.Sprintf("phase %q is both initial and final", p.ID),
				Fix:     "an instance must be able to leave its first phase",
				Params:  map[string]string{"phase": p.ID}})
		}
		c.d.phases = append(c.d.phases, p)
		c.d.phaseByID[p.ID] = p
	}
	if c.d.initial == nil {
		c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeInitialPhase, Path: "phases",
			Summary: "no phase is initial", Fix: "mark the phase an instance starts in with initial: true"})
	}
	if !slices.ContainsFunc(c.d.phases, func(p *Phase) bool { return p.Final }) {
		c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeFinalPhase, Path: "phases",
			Summary: "no phase is final", Fix: "mark the phase that ends the process with final: true"})
	}
}

var varTypes = []string{"number", "string", "bool", "time"}

func (c *compiler) vars(specs []varSpec) {
	for i, s := range specs {
		path := "vars[" + strconv.Itoa(i) + "]"
		if _, dup := c.d.varByID[s.ID]; dup {
			c.duplicate(s.Meta.At(), diag.Range{}, path+".id", "variable", s.ID, "give each variable its own id")
			continue
		}
		if !slices.Contains(varTypes, s.Type.Value) {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownType, Subject: s.Type.At(), Path: path + ".type",
				Summary: fmt.Sprintf("unknown variable type %q", s.Type.Value),
				Fix:     "use number, string, bool or time." + diag.Suggest(s.Type.Value, varTypes),
				Params:  map[string]string{"type": s.Type.Value}})
			continue
		}
		v := &Var{ID: s.ID, Label: s.Label, Clause: s.Clause, Type: s.Type.Value}
		c.d.vars = append(c.d.vars, v)
		c.d.varByID[v.ID] = v
	}
}

func (c *compiler) events(specs []eventSpec) {
	// guardAt is where a guard id was first declared, written out only
	// for a second one.
	type guardAt struct {
		yamlx.Meta
		path string
	}
	guardIDs := map[string]guardAt{}
	var nonFinal []string
	for _, p := range c.d.phases {
		if !p.Final {
			nonFinal = append(nonFinal, p.ID)
		}
	}
	// Declare every event first, so that expressions may name any of them.
	for i, s := range specs {
		path := "events[" + strconv.Itoa(i) + "]"
		if _, dup := c.d.eventByID[s.ID]; dup {
			c.duplicate(s.Meta.At(), c.d.eventByID[s.ID].at, path+".id", "event", s.ID, "give each event its own id")
			continue
		}
		e := &EventDef{ID: s.ID, Name: s.Name, Clause: s.Clause, Text: s.Text, Interpretation: s.Interpretation, at: s.Meta.At()}
		switch s.Late.Value {
		case "", "reject":
		case "accept":
			e.Late = true
		default:
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadValue, Subject: s.Late.At(), Path: path + ".late",
				Summary: fmt.Sprintf("late must be accept or reject, not %q", s.Late.Value),
				Fix:     "write late: accept or late: reject (the default)",
				Params:  map[string]string{"value": s.Late.Value}})
		}
		for j, p := range s.Phases {
			pp := path + ".phases[" + strconv.Itoa(j) + "]"
			if id, ok := c.phaseRef(p, pp); ok {
				if c.d.phaseByID[id].Final {
					c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeFinalPhase, Subject: p.At(), Path: pp,
						Summary: fmt.Sprintf("event %q is allowed in final phase %q", s.ID, id),
						Fix:     "nothing happens after a final phase; remove it here",
						Params:  map[string]string{"event": s.ID, "phase": id}})
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
		path := "events[" + strconv.Itoa(i) + "]"
		e := c.d.eventByID[s.ID]
		if e == nil || e.at != s.Meta.At() {
			continue
		}
		sc := exprScope{events: []*EventDef{e}}
		for j, g := range s.Guards {
			gp := path + ".guards[" + strconv.Itoa(j) + "]"
			if first, dup := guardIDs[g.ID]; dup {
				prev := first.At().String() + ", " + first.path
				c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateID, Subject: g.Meta.At(), Path: gp + ".id",
					Summary: fmt.Sprintf("guard %q is declared twice (first at %s)", g.ID, prev),
					Fix:     "guard ids name the rule that stopped an event; make each unique",
					Params:  map[string]string{"kind": "guard", "id": g.ID, "first": prev}})
				continue
			}
			guardIDs[g.ID] = guardAt{g.Meta, gp}
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
	typeNames := slices.Sorted(maps.Keys(fieldTypeByName))
	for i, s := range specs {
		fp := path + "[" + strconv.Itoa(i) + "]"
		if seen[s.Name] {
			c.duplicate(s.Meta.At(), diag.Range{}, fp+".name", "field", s.Name, "give each field its own name")
			continue
		}
		seen[s.Name] = true
		t, ok := fieldTypeByName[s.Type.Value]
		if !ok {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeUnknownType, Subject: s.Type.At(), Path: fp + ".type",
				Summary: fmt.Sprintf("unknown field type %q", s.Type.Value),
				Fix:     "use one of " + strings.Join(typeNames, ", ") + "." + diag.Suggest(s.Type.Value, typeNames),
				Params:  map[string]string{"type": s.Type.Value}})
			continue
		}
		f := &Field{Name: s.Name, Label: s.Label, Clause: s.Clause, Text: s.Text, Type: t, Required: s.Required}
		items := func(list []itemSpec) []Item {
			var out []Item
			ids := map[string]bool{}
			for _, it := range list {
				if ids[it.ID] {
					c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeDuplicateID, Subject: it.Meta.At(), Path: fp,
						Summary: fmt.Sprintf("value %q appears twice", it.ID), Fix: "list each value once",
						Params: map[string]string{"kind": "value", "id": it.ID}})
				}
				ids[it.ID] = true
				out = append(out, Item{ID: it.ID, Label: it.Label, Clause: it.Clause, Text: it.Text})
			}
			return out
		}
		f.Values = items(s.Values)
		f.Items = items(s.Items)
		form := func(p, summary, fix string) {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeFieldForm, Subject: s.Meta.At(), Path: p,
				Summary: summary, Fix: fix, Params: map[string]string{"field": s.Name, "type": t.String()}})
		}
		switch {
		case t == EnumField && len(f.Values) == 0:
			form(fp+".values", fmt.Sprintf("enum field %q has no values", s.Name), "list the allowed values under values:")
		case t == ChecklistField && len(f.Items) == 0:
			form(fp+".items", fmt.Sprintf("checklist field %q has no items", s.Name), "list the items under items:")
		case t != EnumField && len(f.Values) > 0, t != ChecklistField && len(f.Items) > 0:
			form(fp, fmt.Sprintf("field %q of type %s cannot list values or items", s.Name, t), "values: is for enum fields, items: for checklist fields")
		}
		e.Data = append(e.Data, f)
	}
}

// assign compiles a facts: or set: entry: the value, and its condition
// when the entry is written {value:, when:}.
func (c *compiler) assign(key string, v condExprSpec, path string, sc exprScope) (assign, bool) {
	a := assign{key: key}
	if v.When.Set() {
		a.when = c.compileExpr(v.When, path+".when", sc, true)
		if a.when == nil {
			return a, false
		}
	}
	vp := path
	if v.When.Set() {
		vp += ".value"
	}
	a.prog = c.compileExpr(v.Value, vp, sc, false)
	return a, a.prog != nil
}

func (c *compiler) effects(e *EventDef, s *effectsSpec, path string, sc exprScope) {
	eff := &e.eff
	for _, k := range slices.Sorted(maps.Keys(s.Facts)) {
		v := s.Facts[k]
		if _, ok := c.d.rules.Input(k); !ok {
			c.unknownInput(v.Value.At(), path+".facts."+k, k)
			continue
		}
		if a, ok := c.assign(k, v, path+".facts."+k, sc); ok {
			eff.facts = append(eff.facts, a)
		}
	}
	if g := s.Grade; g != nil {
		f, ok := e.Field(g.Field.Value)
		if !ok || f.Type != IncidentField {
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeGradeField, Subject: g.Field.At(), Path: path + ".grade",
				Summary: fmt.Sprintf("%q is not an incident field of %s", g.Field.Value, e.ID),
				Fix:     "name a data field of type incident",
				Params:  map[string]string{"field": g.Field.Value, "event": e.ID}})
		} else {
			eff.grade = f.Name
		}
		if g.When.Set() {
			eff.gradeIf = c.compileExpr(g.When, path+".grade.when", sc, true)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(s.Set)) {
		v := s.Set[k]
		if _, ok := c.d.varByID[k]; !ok {
			c.unknownVar(v.Value.At(), path+".set."+k, k)
			continue
		}
		if a, ok := c.assign(k, v, path+".set."+k, sc); ok {
			eff.set = append(eff.set, a)
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
			c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeWaiveReason, Subject: s.Waive.At(), Path: path + ".waive",
				Summary: "an event that waives a task needs a reason field",
				Fix:     "add a required text field named reason",
				Params:  map[string]string{"event": e.ID}})
		}
	}
	for i, fs := range s.Flags {
		fp := path + ".flags[" + strconv.Itoa(i) + "]"
		fd := flagDef{ID: fs.ID, Name: fs.Name, Clause: fs.Clause, Text: fs.Text}
		fd.when = c.compileExpr(fs.When, fp+".when", sc, true)
		if fs.Note.Set() {
			fd.note = c.compileExpr(fs.Note, fp+".note", sc, false)
		}
		eff.flags = append(eff.flags, fd)
	}
}

// lapsePlaceholders checks the placeholders of lapse.reason: {from},
// {to} and {levels} are the only ones the engine fills in.
func (c *compiler) lapsePlaceholders(reason yamlx.String) {
	for _, m := range lapsePlaceholder.FindAllStringIndex(reason.Value, -1) {
		name := reason.Value[m[0]:m[1]]
		if slices.Contains(lapseNames, name) {
			continue
		}
		from := utf8.RuneCountInString(reason.Value[:m[0]])
		c.add(diag.Diagnostic{Severity: diag.Error, Code: CodeBadValue, Subject: reason.SubRange(from, from+utf8.RuneCountInString(name)),
			Path: "lapse.reason", Summary: fmt.Sprintf("lapse.reason names %s, which the engine does not fill in", name),
			Fix:    "write {from} and {to} for the response levels before and after the change and {levels} for those the task belongs to, or no placeholder to have the change added after the reason",
			Params: map[string]string{"value": name}})
	}
}
