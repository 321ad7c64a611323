package workflow

import (
	"fmt"
	"sync"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// PlanRef identifies the rules an instance was started under.
//
// Concurrency: an immutable value, safe for concurrent use.
type PlanRef struct {
	ID       string `json:"id"`
	Revision string `json:"revision,omitempty"`
	Hash     string `json:"hash,omitempty"`
}

func (p PlanRef) String() string {
	s := p.ID
	if p.Revision != "" {
		s += " (" + p.Revision + ")"
	}
	if p.Hash != "" {
		s += " " + p.Hash
	}
	if s == "" {
		return "(no plan)"
	}
	return s
}

// Definition is a compiled workflow: phases, events with their data
// schemas and guards, transitions and tasks. It is immutable once compiled
// and safe for concurrent use by any number of goroutines; Apply, Replay,
// Due and the diagrams only read it.
type Definition struct {
	id, title, clause, text string
	clauses                 []string // every clause the file cites
	diagram                 DiagramInfo
	// lapse is the reason given to the tasks of other response levels
	// when the level changes; "" when the workflow does not lapse them.
	lapse, lapseClause string
	// lapseTemplate is set when lapse names placeholders to fill in.
	lapseTemplate bool

	consts      []*Constant
	constByID   map[string]*Constant
	relations   map[string]*Relation
	clock       string
	phases      []*Phase
	phaseByID   map[string]*Phase
	initial     *Phase
	vars        []*Var
	varByID     map[string]*Var
	events      []*EventDef
	eventByID   map[string]*EventDef
	transitions []*Transition
	tasks       []*TaskDef
	taskByID    map[string]*TaskDef

	rules  *grading.Rules
	actors ActorResolver
	roster RosterSource
	plan   PlanRef

	memoryBudget uint
	maxLog       int
	// varDefaults holds every declared variable at its zero value, the
	// view of the variables of an instance that has set none; noFacts is
	// the view of an instance without facts. Neither is ever written.
	varDefaults map[string]any
	noFacts     map[string]any
	// What an event of each type may touch, so that Apply visits no
	// more than that: the task definitions (by index, in file order) an
	// event triggers, those a phase opens, whether any task is done by
	// the event, and the transitions it may fire.
	triggeredBy   map[string][]int
	openedIn      map[string][]int
	completes     map[string]bool
	coveredBy     map[string][]int
	transitionsOf map[string][]*Transition
	// appliers recycles the working state of Apply; the copies ForPlan and
	// WithRoster make share it.
	appliers *sync.Pool
}

// DiagramInfo titles the workflow's diagram: its clause and title, a
// caption shown after the title (for a plan whose own figure is lost,
// that this one is redrawn from the data), and a note.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type DiagramInfo struct {
	Clause  string
	Title   string
	Caption string
	Note    string
}

// Phase is one state of the response.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Phase struct {
	ID, Name, Clause, Text, Interpretation string
	Initial, Final                         bool
	// Command is set for phases in which someone must hold site command.
	Command bool
	// WaiveOpen, when set, is the reason given to every task still open
	// when an instance enters the phase: they are closed as waived (not
	// applicable) and listed in the entering event's effects, with a
	// missed deadline marked for those already overdue.
	WaiveOpen string
	at        diag.Range
}

// Range is where the phase is declared in workflow.yaml.
func (p *Phase) Range() diag.Range { return p.at }

// Var is a declared instance variable, set by event effects.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Var struct {
	ID, Label, Clause string
	// Type is number, string, bool or time. A time is held as RFC 3339
	// text in the offset it was given in; "" until set.
	Type string
}

// Relation names, for some actors, the actor that stands in a relation to
// each (above: the next level up; government: 本级人民政府). A task's
// notify: names actors relative to its assignee through a relation.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Relation struct {
	ID, Name, Clause, Text, Interpretation string
	// Of maps an actor id to the actor id it is related to.
	Of map[string]string
	at diag.Range
}

// ActorRef is an actor named by id, or relative to a task's assignee
// through a relation (Relation set, ID empty).
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines.
type ActorRef struct {
	ID       string
	Relation string
}

// String renders the reference as the file writes it: the id, or
// "{relation: above}".
func (r ActorRef) String() string {
	if r.Relation != "" {
		return "{relation: " + r.Relation + "}"
	}
	return r.ID
}

// FieldType is the type of an event data field. The zero value is
// InvalidField.
//
// Concurrency: an immutable value, safe for concurrent use.
type FieldType int

const (
	InvalidField   FieldType = iota
	TextField                // free text
	BoolField                // true or false
	NumberField              // a finite number
	CountField               // a whole number >= 0
	TimeField                // RFC 3339 with an explicit offset
	EnumField                // one of Values
	ListField                // a list of strings
	ActorField               // an actor of the ActorResolver; stored as its id
	LevelField               // a grading level by id, name or response id; stored as the level id
	TaskField                // a task by id (its open instance) or instance id
	IncidentField            // grading facts: an object keyed by input id
	ChecklistField           // a list of item ids; the missing items are named
)

var fieldTypeNames = [...]string{"invalid", "text", "bool", "number", "count", "time", "enum", "list", "actor", "level", "task", "incident", "checklist"}

func (t FieldType) String() string {
	if t < 0 || int(t) >= len(fieldTypeNames) {
		return fmt.Sprintf("FieldType(%d)", int(t))
	}
	return fieldTypeNames[t]
}

// Item is an enum value or a checklist item.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Item struct {
	ID     string `json:"id"`
	Label  string `json:"label,omitempty"`
	Clause string `json:"clause,omitempty"`
	Text   string `json:"text,omitempty"`
}

// Field is one field of an event's data.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Field struct {
	Name, Label, Clause, Text string
	Type                      FieldType
	Required                  bool
	Values                    []Item // enum
	Items                     []Item // checklist
}

// itemLabel is the label of the checklist item id, or id when it has
// none.
func (f *Field) itemLabel(id string) string {
	for _, it := range f.Items {
		if it.ID == id && it.Label != "" {
			return it.Label
		}
	}
	return id
}

// Guard is a condition an event must meet, with the clause it comes from
// and the message shown when it fails.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Guard struct {
	ID, Clause, Text, Message, Interpretation string
	When                                      string
	prog                                      *program
}

// EventDef is a declared event type.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type EventDef struct {
	ID, Name, Clause, Text, Interpretation string
	// Phases lists where the event is allowed.
	Phases []string
	// Late is set when the event may arrive after a later one (its
	// occurredAt before the last accepted event's) and still be accepted.
	Late   bool
	Data   []*Field
	Guards []*Guard
	eff    effects
	at     diag.Range
	// missingLabels is set when an expression evaluated for the event
	// reads event.missingLabels.
	missingLabels bool
}

// Range is where the event type is declared in workflow.yaml.
func (e *EventDef) Range() diag.Range { return e.at }

// Field returns the data field with the given name.
func (e *EventDef) Field(name string) (*Field, bool) {
	for _, f := range e.Data {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// Transition moves an instance from one of From to To on Event.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Transition struct {
	Event, To, When, Clause, Label string
	From                           []string
	prog                           *program
}

// Trigger opens a task: on entering Phase (or on a change of response
// level while in it) when the response is one of Levels, or on one of
// Events; in both cases only when When holds.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type Trigger struct {
	Phase  string
	Events []string
	Levels []string // level ids; empty means every level
	When   string
	prog   *program
}

// DoneBy completes a task when Event is accepted and When holds.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type DoneBy struct {
	Event, When string
	prog        *program
}

// LateFlag is raised when a task with a deadline is done after it, or
// when an event a window covers comes after the window's end.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type LateFlag struct {
	Flag, Name, Clause, Text string
	// Note is the expression of the flag's note; "" for the engine's.
	Note string
	note *program
}

// TaskDef is a duty the workflow opens for an actor.
//
// Concurrency: part of a compiled Definition and shared by every user of it;
// read it from any number of goroutines, never modify it.
type TaskDef struct {
	ID, Name, Clause, Text, Interpretation string
	// Assignee is the first of Assignees. A task with several assignees
	// opens one task instance for each whose trigger holds ("id@actor"),
	// each with its own deadline and state.
	Assignee  string
	Assignees []string
	// Notify are the reports the task calls for, by id or relative to the
	// assignee.
	Notify []ActorRef
	// Conditional holds the text's condition (必要时, 根据需要) for a task
	// that applies only when it holds; "" for an unconditional task.
	Conditional string
	Triggers    []Trigger
	DoneBy      []DoneBy
	// Within is the deadline, counted when the task opens; nil for none.
	Within *Period
	// Window, for a window task, is how long it stays open: the events of
	// Covers count only inside it, and one after its end raises Late. A
	// window is never overdue; it closes itself with the first event after
	// its end.
	Window *Period
	Covers []DoneBy
	Late   *LateFlag
	// Recurring tasks open again each time a trigger fires while no
	// instance of them is open; others open at most once.
	Recurring bool
}

type assign struct {
	key        string
	prog, when *program
}

type flagDef struct {
	ID, Name, Clause, Text string
	when, note             *program
}

type effects struct {
	facts     []assign
	grade     string // an incident data field
	gradeIf   *program
	set       []assign
	response  *program
	request   *program
	requestIf *program
	holder    *program
	formedBy  *program
	commandIf *program
	complete  *program
	waive     *program
	flags     []flagDef
}

// ID returns the workflow's id.
func (d *Definition) ID() string { return d.id }

// Title returns the workflow's title.
func (d *Definition) Title() string { return d.title }

// Diagram returns the diagram's title and note.
func (d *Definition) Diagram() DiagramInfo { return d.diagram }

// Plan returns the plan the definition is bound to (see ForPlan).
func (d *Definition) Plan() PlanRef { return d.plan }

// Rules returns the grading rules the definition grades with.
func (d *Definition) Rules() *grading.Rules { return d.rules }

// Phases returns the phases in file order.
func (d *Definition) Phases() []*Phase { return d.phases }

// Phase looks a phase up by id.
func (d *Definition) Phase(id string) (*Phase, bool) { p, ok := d.phaseByID[id]; return p, ok }

// Events returns the event types in file order.
func (d *Definition) Events() []*EventDef { return d.events }

// Event looks an event type up by id.
func (d *Definition) Event(id string) (*EventDef, bool) { e, ok := d.eventByID[id]; return e, ok }

// Transitions returns the transitions in file order.
func (d *Definition) Transitions() []*Transition { return d.transitions }

// Tasks returns the task definitions in file order.
func (d *Definition) Tasks() []*TaskDef { return d.tasks }

// Task looks a task definition up by id.
func (d *Definition) Task(id string) (*TaskDef, bool) { t, ok := d.taskByID[id]; return t, ok }

// TaskOf looks up the definition of a task instance id: "report-up" of
// "report-up@county-safety#2" (an opening number after #, an assignee
// after @).
func (d *Definition) TaskOf(id string) (*TaskDef, bool) { return d.Task(taskDef(id)) }

// Vars returns the declared variables.
func (d *Definition) Vars() []*Var { return d.vars }

// ForPlan returns a copy of d bound to the plan it was loaded with, so that
// instances record it and refuse to be driven by other rules.
func (d *Definition) ForPlan(ref PlanRef) *Definition {
	c := *d
	c.plan = ref
	return &c
}

// WithRoster returns a copy of d that asks r for the roster whenever a
// response level is activated.
func (d *Definition) WithRoster(r RosterSource) *Definition {
	c := *d
	c.roster = r
	return &c
}

// index precomputes what Apply reads on every event.
func (d *Definition) index() {
	d.appliers = &sync.Pool{}
	d.triggeredBy, d.openedIn = map[string][]int{}, map[string][]int{}
	d.completes, d.transitionsOf, d.coveredBy = map[string]bool{}, map[string][]*Transition{}, map[string][]int{}
	for k, t := range d.tasks {
		for _, tr := range t.Triggers {
			if tr.Phase != "" {
				d.openedIn[tr.Phase] = appendOnce(d.openedIn[tr.Phase], k)
			}
			for _, e := range tr.Events {
				d.triggeredBy[e] = appendOnce(d.triggeredBy[e], k)
			}
		}
		for _, db := range t.DoneBy {
			d.completes[db.Event] = true
		}
		for _, cv := range t.Covers {
			d.coveredBy[cv.Event] = appendOnce(d.coveredBy[cv.Event], k)
		}
	}
	for _, t := range d.transitions {
		d.transitionsOf[t.Event] = append(d.transitionsOf[t.Event], t)
	}
	d.noFacts = map[string]any{}
	d.varDefaults = make(map[string]any, len(d.vars))
	for _, v := range d.vars {
		switch v.Type {
		case "number":
			d.varDefaults[v.ID] = 0.0
		case "bool":
			d.varDefaults[v.ID] = false
		// a time is RFC 3339 text, "" until set
		default:
			d.varDefaults[v.ID] = ""
		}
	}
}

func appendOnce(s []int, k int) []int {
	if len(s) > 0 && s[len(s)-1] == k {
		return s
	}
	return append(s, k)
}

// ActorName is the display name of an actor id where the actor resolver
// (see WithActors) implements ActorNamer; "" otherwise.
func (d *Definition) ActorName(id string) string {
	if n, ok := d.actors.(ActorNamer); ok && id != "" {
		if name, ok := n.ActorName(id); ok {
			return name
		}
	}
	return ""
}

// ActorShortName is the short name the plan itself uses for an actor
// ("以下简称昌吉州指挥部"), where the actor resolver implements
// ActorShortNamer and the plan gives one; else ActorName. Reports written
// for people use it; JSON carries the full name.
func (d *Definition) ActorShortName(id string) string {
	if n, ok := d.actors.(ActorShortNamer); ok && id != "" {
		if short, ok := n.ActorShortName(id); ok {
			return short
		}
	}
	return d.ActorName(id)
}

func (d *Definition) eventIDs() []string {
	out := make([]string, len(d.events))
	for i, e := range d.events {
		out[i] = e.ID
	}
	return out
}

// ClauseFiles names the part of a plan's clause index the workflow covers.
func (d *Definition) ClauseFiles() []string { return []string{"workflow"} }

// ReferencedClauses lists every clause an item of the workflow cites.
func (d *Definition) ReferencedClauses() []string {
	var out []string
	for _, cl := range d.clauses {
		out = append(out, diag.SplitClauses(cl)...)
	}
	return out
}
