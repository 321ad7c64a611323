package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// Effects is what accepting one event did.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Effects struct {
	Event string `json:"event"`
	// Duplicate is set when the event was already in the log: nothing
	// changed.
	Duplicate bool `json:"duplicate,omitempty"`
	// Late is set when the event occurred before an event accepted
	// earlier and was accepted under the ordering rule.
	Late      bool      `json:"late,omitempty"`
	Phase     *Change   `json:"phase,omitempty"`
	Level     *Change   `json:"level,omitempty"`
	Response  *Change   `json:"response,omitempty"`
	Requested *Change   `json:"requested,omitempty"`
	Command   *Change   `json:"command,omitempty"`
	Opened    []string  `json:"opened,omitempty"`
	Done      []string  `json:"done,omitempty"`
	Waived    []string  `json:"waived,omitempty"`
	Deadlines []Mark    `json:"deadlines,omitempty"`
	Flags     []Flag    `json:"flags,omitempty"`
	Missing   []Missing `json:"missing,omitempty"`
	// Notices are the reports and notices the event calls for: the
	// notify: lists of the tasks it opened, then the roster of a newly
	// activated response level.
	Notices []Notice `json:"notices,omitempty"`
	// Warnings are problems that did not stop the event (a roster the
	// hook could not build).
	Warnings []string `json:"warnings,omitempty"`
}

// Change is a value before and after an event.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Change struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// MarkKind says what happened to a deadline. The zero value is
// InvalidMark.
//
// Concurrency: an immutable value, safe for concurrent use.
type MarkKind int

const (
	InvalidMark MarkKind = iota
	DeadlineSet
	DeadlineMet
	DeadlineMissed
)

var markNames = [...]string{"invalid", "set", "met", "missed"}

func (k MarkKind) String() string {
	if k < 0 || int(k) >= len(markNames) {
		return fmt.Sprintf("MarkKind(%d)", int(k))
	}
	return markNames[k]
}

// MarshalText renders the kind by name.
func (k MarkKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText parses a kind name.
func (k *MarkKind) UnmarshalText(b []byte) error {
	i := slices.Index(markNames[:], string(b))
	if i <= 0 {
		return fmt.Errorf("workflow: unknown deadline mark %q", b)
	}
	*k = MarkKind(i)
	return nil
}

// Mark is a deadline set, met or missed.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Mark struct {
	Kind MarkKind `json:"kind"`
	Task string   `json:"task"`
	Due  Time     `json:"due"`
	// At is when the task was done, for met and missed.
	At *Time `json:"at,omitempty"`
}

// Missing names the items a checklist field lacked.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Missing struct {
	Field string `json:"field"`
	Items []Item `json:"items"`
}

// Notice is one report or notice an event calls for.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Notice struct {
	To     string `json:"to"`
	By     string `json:"by,omitempty"`
	Clause string `json:"clause,omitempty"`
	// Task is the task that calls for it; empty for roster entries.
	Task        string `json:"task,omitempty"`
	Roster      bool   `json:"roster,omitempty"`
	Name        string `json:"name,omitempty"`
	Engaged     bool   `json:"engaged,omitempty"`
	Conditional bool   `json:"conditional,omitempty"`
}

// Start returns a new instance in the initial phase, bound to the plan the
// definition was bound to with ForPlan.
func (d *Definition) Start(id string) Instance {
	return Instance{ID: id, Workflow: d.id, Plan: d.plan, Phase: d.initial.ID, Log: []Event{}}
}

// Replay rebuilds an instance from its log under d. Every event must be
// accepted; the first that is not is a *ReplayError.
func (d *Definition) Replay(ctx context.Context, id string, log []Event) (Instance, error) {
	inst := d.Start(id)
	for i, ev := range log {
		ev.Late = false
		next, _, err := d.Apply(ctx, inst, ev)
		if err != nil {
			return inst, &ReplayError{Seq: i + 1, Err: err}
		}
		inst = next
	}
	return inst, nil
}

// Rebase replays a live instance under d (a reloaded definition). If the
// new rules accept the whole log and give the same state, it returns the
// instance bound to d's plan; otherwise a *ReloadError says what would
// change, and the caller keeps the old definition for this instance.
func (d *Definition) Rebase(ctx context.Context, inst Instance) (Instance, error) {
	next, err := d.Replay(ctx, inst.ID, inst.Log)
	if err != nil {
		var re *ReplayError
		if errors.As(err, &re) {
			return inst, &ReloadError{Instance: inst.ID, Rejected: re.Err, Seq: re.Seq}
		}
		return inst, err
	}
	a, b := stateJSON(inst), stateJSON(next)
	for _, k := range slices.Sorted(maps.Keys(a)) {
		if k == "plan" || k == "workflow" {
			continue
		}
		if string(a[k]) != string(b[k]) {
			return inst, &ReloadError{Instance: inst.ID, Field: k, Old: string(a[k]), New: string(b[k])}
		}
	}
	return next, nil
}

func stateJSON(inst Instance) map[string]json.RawMessage {
	b, _ := json.Marshal(inst)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}

// Due lists the open tasks whose deadline has passed at now, earliest
// first. now comes from the caller's clock; the engine never reads one.
func Due(inst Instance, now time.Time) []Deadline {
	t := TimeOf(now)
	var out []Deadline
	for _, task := range inst.Tasks {
		if task.State != TaskOpen || task.Due == nil || !t.After(*task.Due) {
			continue
		}
		out = append(out, Deadline{Task: task.ID, Name: task.Name, Assignee: task.Assignee, Clause: task.Clause,
			Due: *task.Due, Overdue: t.Sub(*task.Due)})
	}
	slices.SortStableFunc(out, func(a, b Deadline) int {
		switch {
		case a.Due.Before(b.Due):
			return -1
		case b.Due.Before(a.Due):
			return 1
		}
		return strings.Compare(a.Task, b.Task)
	})
	return out
}

// Deadline is an overdue task.
//
// Concurrency: a plain value with no hidden state, safe to read from any
// number of goroutines; copies share its slices and maps, so modify only one
// you own.
type Deadline struct {
	Task     string        `json:"task"`
	Name     string        `json:"name"`
	Assignee string        `json:"assignee"`
	Clause   string        `json:"clause"`
	Due      Time          `json:"due"`
	Overdue  time.Duration `json:"overdue"`
}

// applier carries one Apply call.
type applier struct {
	d    *Definition
	ctx  context.Context
	def  *EventDef
	ev   Event
	prev Instance
	w    Instance
	eff  Effects
	// missing holds the missing items of checklist fields.
	missing      map[string][]string
	missingItems []Missing
	// prevEnv is the expression view of prev, built once: prev does not
	// change while an event is applied.
	prevEnv *exprState
}

// Apply validates ev against the definition and the instance and returns
// the new instance and what the event did. It is all-or-nothing: on any
// error the returned instance is inst itself, unchanged. The errors match
// ErrUnknownEvent, ErrInvalidEvent, ErrWrongPhase, ErrOutOfOrder,
// ErrGuardRejected, ErrDuplicateID or ErrPlanMismatch with errors.Is, and
// are the *…Error types of this package with errors.As. An event whose id
// is already in the log is a no-op when it is the same event.
//
// Apply reads no clock: times come from the event. It is safe to call
// concurrently on the same Definition.
func (d *Definition) Apply(ctx context.Context, inst Instance, ev Event) (Instance, Effects, error) {
	if inst.Plan != d.plan || inst.Workflow != d.id {
		return inst, Effects{}, &PlanMismatchError{Instance: inst.Plan, Definition: d.plan}
	}
	def, ok := d.eventByID[ev.Type]
	if !ok {
		return inst, Effects{}, &UnknownEventError{Type: ev.Type, Suggestion: diag.Suggest(ev.Type, d.eventIDs())}
	}
	if prior := slices.IndexFunc(inst.Log, func(e Event) bool { return e.ID == ev.ID }); prior >= 0 && ev.ID != "" {
		diffs := d.differences(inst.Log[prior], ev)
		if len(diffs) == 0 {
			return inst, Effects{Event: ev.ID, Duplicate: true}, nil
		}
		return inst, Effects{}, &DuplicateIDError{Event: ev.ID, Differences: diffs}
	}
	a := &applier{d: d, ctx: ctx, def: def, prev: inst, missing: map[string][]string{}}
	norm, ferrs := a.validate(ev, inst)
	if len(ferrs) > 0 {
		return inst, Effects{}, &InvalidEventError{Event: ev.ID, Type: ev.Type, Fields: ferrs}
	}
	if len(inst.Log) >= d.maxLog {
		return inst, Effects{}, &LogFullError{Instance: inst.ID, Max: d.maxLog}
	}
	if !slices.Contains(def.Phases, inst.Phase) {
		return inst, Effects{}, &PhaseError{Type: def.ID, Phase: inst.Phase, Allowed: def.Phases, Clause: def.Clause}
	}
	if !inst.Last.IsZero() && norm.OccurredAt.Before(inst.Last) {
		if !def.Late {
			return inst, Effects{}, &OutOfOrderError{Event: ev.ID, Type: ev.Type, OccurredAt: norm.OccurredAt, Last: inst.Last}
		}
		norm.Late = true
	}
	a.ev = norm
	a.w = inst.clone()
	a.eff = Effects{Event: norm.ID, Late: norm.Late, Missing: a.missingItems}
	if err := a.run(); err != nil {
		return inst, Effects{}, err
	}
	return a.w, a.eff, nil
}

// differences compares an event whose id is already logged with the
// logged copy, after bringing it to the logged form (actor aliases and
// level names resolved, times and numbers normalised). Type, occurredAt
// (as an instant), actor and data are the content; recordedAt is not,
// since a transport that re-delivers may stamp an event again. A task
// reference is the same when it names the task instance the logged copy
// resolved to, or that instance's task definition.
func (d *Definition) differences(logged, ev Event) []Difference {
	var out []Difference
	add := func(field string, was, now any) {
		out = append(out, Difference{Field: field, Logged: render(was), Now: render(now)})
	}
	if logged.Type != ev.Type {
		add("type", logged.Type, ev.Type)
	}
	if !logged.OccurredAt.Equal(ev.OccurredAt) {
		add("occurredAt", logged.OccurredAt.String(), ev.OccurredAt.String())
	}
	actor := ev.Actor
	if d.actors != nil {
		if id, ok := d.actors.Actor(ev.Actor); ok {
			actor = id
		}
	}
	if actor != logged.Actor {
		add("actor", logged.Actor, ev.Actor)
	}
	def, ok := d.eventByID[logged.Type]
	if !ok || logged.Type != ev.Type {
		return out
	}
	a := &applier{d: d, def: def, missing: map[string][]string{}}
	keys := map[string]bool{}
	for k, v := range logged.Data {
		if v != nil {
			keys[k] = true
		}
	}
	for k, v := range ev.Data {
		if v != nil {
			keys[k] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		was, inLog := logged.Data[k]
		raw, inEvent := ev.Data[k]
		if !inEvent || raw == nil {
			add("data."+k, was, nil)
			continue
		}
		now := any(nil)
		if f, ok := def.Field(k); ok {
			if f.Type == TaskField {
				s, _ := raw.(string)
				w, _ := was.(string)
				if defID, _, _ := strings.Cut(w, "#"); s == w || s == defID {
					now = was
				} else {
					now = s
				}
			} else if v, reason := a.value(f, raw, Instance{}); reason == "" {
				now = v
			}
		}
		if now == nil {
			now, _ = norm.Value(raw)
		}
		if !inLog || !reflect.DeepEqual(was, now) {
			add("data."+k, was, raw)
		}
	}
	return out
}

// render shows a value in a Difference.
func render(v any) string {
	switch v := v.(type) {
	case nil:
		return "(absent)"
	case string:
		return strconv.Quote(v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// validate checks the envelope and the data and returns the event as it
// will be logged: actor and data normalised.
func (a *applier) validate(ev Event, inst Instance) (Event, []FieldError) {
	var errs []FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{field, fmt.Sprintf(format, args...)})
	}
	out := Event{ID: ev.ID, Type: ev.Type, Actor: ev.Actor, OccurredAt: ev.OccurredAt, RecordedAt: ev.RecordedAt}
	if strings.TrimSpace(ev.ID) == "" {
		bad("id", "required: give every event a unique id, so that re-delivery is safe")
	}
	switch {
	case ev.Actor == "":
		bad("actor", "required: the unit or role that acted")
	case a.d.actors != nil:
		id, ok := a.d.actors.Actor(ev.Actor)
		if !ok {
			bad("actor", "unknown actor %q.%s", ev.Actor, diag.Suggest(ev.Actor, a.d.actors.Actors()))
		}
		out.Actor = id
	}
	if ev.OccurredAt.IsZero() {
		bad("occurredAt", "required, with an explicit UTC offset")
	}
	if ev.RecordedAt.IsZero() {
		bad("recordedAt", "required, with an explicit UTC offset")
	}
	outside := false
	for _, f := range []struct {
		name string
		t    Time
	}{{"occurredAt", ev.OccurredAt}, {"recordedAt", ev.RecordedAt}} {
		if err := f.t.Check(); err != nil {
			bad(f.name, "%s", strings.TrimPrefix(err.Error(), "workflow: "))
			outside = true
		}
	}
	if !outside && !ev.OccurredAt.IsZero() && !ev.RecordedAt.IsZero() && ev.RecordedAt.Before(ev.OccurredAt) {
		bad("recordedAt", "%s is before occurredAt %s (compared as instants)", ev.RecordedAt, ev.OccurredAt)
	}
	data, derrs := a.validateData(ev.Data, inst)
	out.Data = data
	return out, append(errs, derrs...)
}

func (a *applier) validateData(in map[string]any, inst Instance) (map[string]any, []FieldError) {
	var errs []FieldError
	bad := func(field, format string, args ...any) {
		errs = append(errs, FieldError{"data." + field, fmt.Sprintf(format, args...)})
	}
	out := map[string]any{}
	for _, k := range slices.Sorted(maps.Keys(in)) {
		if _, ok := a.def.Field(k); !ok {
			names := make([]string, len(a.def.Data))
			for i, f := range a.def.Data {
				names[i] = f.Name
			}
			bad(k, "unknown field of %s.%s The fields are %s", a.def.ID, diag.Suggest(k, names), strings.Join(names, ", "))
		}
	}
	for _, f := range a.def.Data {
		raw, present := in[f.Name]
		if !present || raw == nil {
			if f.Required {
				bad(f.Name, "required (%s)", f.Label)
			}
			continue
		}
		v, reason := a.value(f, raw, inst)
		if reason != "" {
			bad(f.Name, "%s", reason)
			continue
		}
		out[f.Name] = v
		if f.Type == ChecklistField {
			have := v.([]string)
			var miss []string
			var items []Item
			for _, it := range f.Items {
				if !slices.Contains(have, it.ID) {
					miss = append(miss, it.ID)
					items = append(items, it)
				}
			}
			a.missing[f.Name] = miss
			// Only a required checklist is a complete report whose gaps are
			// named; an optional one carries additions (a follow-up).
			if len(items) > 0 && f.Required {
				a.missingItems = append(a.missingItems, Missing{Field: f.Name, Items: items})
			}
		}
	}
	if len(out) == 0 {
		out = nil
	}
	return out, errs
}

// value checks and normalises one data value; reason is "" when it is good.
func (a *applier) value(f *Field, raw any, inst Instance) (any, string) {
	v, err := norm.Value(raw)
	if err != nil {
		return nil, err.Error()
	}
	str := func() (string, bool) { s, ok := v.(string); return s, ok }
	switch f.Type {
	case TextField:
		if s, ok := str(); ok {
			return s, ""
		}
		return nil, "must be text"
	case BoolField:
		if b, ok := v.(bool); ok {
			return b, ""
		}
		return nil, "must be true or false"
	case NumberField, CountField:
		x, ok := v.(float64)
		if !ok {
			return nil, "must be a number"
		}
		if f.Type == CountField && (x < 0 || x != math.Trunc(x)) {
			return nil, "must be a whole number, 0 or more"
		}
		return x, ""
	case TimeField:
		s, ok := str()
		if !ok {
			return nil, "must be a time such as 2025-10-15T09:30:00+06:00"
		}
		t, err := ParseTime(s)
		if err != nil {
			return nil, strings.TrimPrefix(err.Error(), "workflow: ")
		}
		return t.String(), ""
	case EnumField:
		s, _ := str()
		ids := make([]string, len(f.Values))
		for i, it := range f.Values {
			ids[i] = it.ID
		}
		if !slices.Contains(ids, s) {
			return nil, fmt.Sprintf("%q is not one of %s.%s", fmt.Sprint(v), strings.Join(ids, ", "), diag.Suggest(s, ids))
		}
		return s, ""
	case ListField, ChecklistField:
		l, ok := v.([]string)
		if !ok {
			return nil, "must be a list of ids"
		}
		if f.Type == ChecklistField {
			ids := make([]string, len(f.Items))
			for i, it := range f.Items {
				ids[i] = it.ID
			}
			for _, s := range l {
				if !slices.Contains(ids, s) {
					return nil, fmt.Sprintf("%q is not an item of %s; the items are %s.%s", s, f.Name, strings.Join(ids, ", "), diag.Suggest(s, ids))
				}
			}
		}
		return l, ""
	case ActorField:
		s, ok := str()
		if !ok || s == "" {
			return nil, "must be an actor id"
		}
		if a.d.actors == nil {
			return s, ""
		}
		id, ok := a.d.actors.Actor(s)
		if !ok {
			return nil, fmt.Sprintf("unknown actor %q.%s", s, diag.Suggest(s, a.d.actors.Actors()))
		}
		return id, ""
	case LevelField:
		s, _ := str()
		l, ok := a.d.level(s)
		if !ok {
			var refs []string
			for _, l := range a.d.rules.Levels() {
				refs = append(refs, l.ID, l.Response.ID)
			}
			return nil, fmt.Sprintf("unknown level %q.%s", s, diag.Suggest(s, refs))
		}
		return l.ID, ""
	case TaskField:
		s, _ := str()
		return a.taskRef(s, inst)
	case IncidentField:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, "must be an object of grading inputs, e.g. {deaths: 3}"
		}
		inc := a.d.rules.NewIncident()
		var reasons []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if m[k] == nil {
				continue
			}
			if err := inc.Set(k, m[k]); err != nil {
				reasons = append(reasons, strings.TrimPrefix(err.Error(), "grading: "))
				continue
			}
			ids, reason := a.refs(k, m[k])
			if reason != "" {
				reasons = append(reasons, reason)
				continue
			}
			if ids != nil {
				m[k] = ids
			}
		}
		if len(reasons) > 0 {
			return nil, strings.Join(reasons, "; ")
		}
		return m, ""
	}
	return nil, "unsupported field type"
}

// refs checks the ids of a list input that refers to other data of the
// plan (grading.yaml's ref:) through the ActorResolver's IncidentChecker, and
// returns them with aliases resolved; nil ids when there is nothing to
// check.
func (a *applier) refs(input string, v any) ([]string, string) {
	ic, ok := a.d.actors.(IncidentChecker)
	if !ok {
		return nil, ""
	}
	in, ok := a.d.rules.Input(input)
	if !ok || in.Ref == "" {
		return nil, ""
	}
	list, ok := v.([]string)
	if !ok {
		return nil, ""
	}
	ids := make([]string, len(list))
	var bad []string
	var known []string
	for i, key := range list {
		id, ok := ic.Ref(in.Ref, key)
		if !ok {
			if known == nil {
				if known = ic.Refs(in.Ref); known == nil {
					return nil, "" // the resolver does not hold this list
				}
			}
			s := strconv.Quote(key)
			if hint := diag.Suggest(key, known); hint != "" {
				s += " (" + strings.TrimSpace(hint) + ")"
			}
			bad = append(bad, s)
			continue
		}
		ids[i] = id
	}
	if len(bad) > 0 {
		return nil, fmt.Sprintf("%s: not among the %s of the plan: %s", input, in.Ref, strings.Join(bad, ", "))
	}
	return ids, ""
}

// taskRef resolves a task reference to the id of an open task.
func (a *applier) taskRef(ref string, inst Instance) (any, string) {
	defID, _, _ := strings.Cut(ref, "#")
	if _, ok := a.d.taskByID[defID]; !ok {
		return nil, fmt.Sprintf("unknown task %q.%s", ref, diag.Suggest(ref, slices.Sorted(maps.Keys(a.d.taskByID))))
	}
	var found *Task
	for i := range inst.Tasks {
		t := &inst.Tasks[i]
		if t.ID == ref || (t.Def == ref && t.State == TaskOpen) {
			found = t
		}
	}
	switch {
	case found == nil:
		return nil, fmt.Sprintf("task %q has not been opened", ref)
	case found.State != TaskOpen:
		return nil, fmt.Sprintf("task %q is already %s (by %s)", found.ID, found.State, found.ClosedBy)
	}
	return found.ID, ""
}

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

// fail turns an expression that could not be evaluated into a rejection
// naming the item, so that a broken rule never passes silently.
func (a *applier) fail(item, clause string, err error) error {
	return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: item, Clause: clause,
		Message: "the rule could not be evaluated", Detail: err.Error()}
}

func (a *applier) run() error {
	env := a.env(nil)
	for _, g := range a.def.Guards {
		ok, err := evalBool(g.prog, env, a.d.memoryBudget)
		if err != nil {
			return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: g.ID, Clause: g.Clause, Message: g.Message, Detail: err.Error()}
		}
		if !ok {
			return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: g.ID, Clause: g.Clause, Message: g.Message}
		}
	}
	if err := a.effects(); err != nil {
		return err
	}
	levelChanged := a.prev.Response != a.w.Response
	if err := a.transition(); err != nil {
		return err
	}
	if err := a.opens(a.prev.Phase != a.w.Phase || levelChanged || len(a.prev.Log) == 0); err != nil {
		return err
	}
	// After the opens, so that a task the event both opens and completes
	// (the county's report reaching 州应急管理局 first) is done at once.
	if err := a.completions(); err != nil {
		return err
	}
	if levelChanged && a.prev.Response != "" && a.d.lapse != "" {
		a.lapse()
	}
	if a.prev.Phase != a.w.Phase {
		a.waiveOpen()
	}
	if err := a.flags(); err != nil {
		return err
	}
	if levelChanged && a.d.roster != nil {
		a.rosterNotices()
	}
	if p, ok := a.d.phaseByID[a.w.Phase]; ok && p.Command && a.w.Command.Holder == "" {
		return &GuardError{Event: a.ev.ID, Type: a.ev.Type, Guard: "command-holder", Clause: p.Clause,
			Message: fmt.Sprintf("phase %s needs a holder of site command; no effect of %s names one", p.ID, a.ev.Type)}
	}
	a.w.Log = append(a.w.Log, a.ev)
	if a.w.Last.IsZero() || a.ev.OccurredAt.After(a.w.Last) {
		a.w.Last = a.ev.OccurredAt
	}
	return nil
}

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

// close marks task i done or waived by the current event.
func (a *applier) close(i int, state TaskState, reason string) {
	t := &a.w.Tasks[i]
	at := a.ev.OccurredAt
	t.State, t.ClosedAt, t.ClosedBy, t.Reason = state, &at, a.ev.ID, reason
	if state == TaskWaived {
		a.eff.Waived = append(a.eff.Waived, t.ID)
		return
	}
	a.eff.Done = append(a.eff.Done, t.ID)
	if t.Due == nil {
		return
	}
	if at.After(*t.Due) {
		t.Late = true
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMissed, Task: t.ID, Due: *t.Due, At: &at})
		if def, ok := a.d.taskByID[t.Def]; ok && def.Late != nil {
			f := Flag{ID: def.Late.Flag, Name: def.Late.Name, Clause: def.Late.Clause, Event: a.ev.ID, At: at, Task: t.ID,
				Note: fmt.Sprintf("done %s after it opened; the deadline was %s", norm.Duration(at.Sub(t.OpenedAt)), norm.Duration(def.Within))}
			a.w.Flags = append(a.w.Flags, f)
			a.eff.Flags = append(a.eff.Flags, f)
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
	for i := range a.w.Tasks {
		t := &a.w.Tasks[i]
		def, ok := a.d.taskByID[t.Def]
		if !ok || t.State != TaskOpen || t.OpenedBy == a.ev.ID || len(def.Triggers) == 0 {
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
		reason := fmt.Sprintf("%s (%s → %s; the task is of %s)", a.d.lapse, a.prev.Response, a.w.Response, strings.Join(levels, ", "))
		if a.d.lapseClause != "" {
			reason += " [" + a.d.lapseClause + "]"
		}
		a.close(i, TaskWaived, reason)
	}
}

// waiveOpen closes, on entering a phase declared with waiveOpen:, every
// task opened before this event that is still open.
func (a *applier) waiveOpen() {
	p, ok := a.d.phaseByID[a.w.Phase]
	if !ok || p.WaiveOpen == "" {
		return
	}
	at := a.ev.OccurredAt
	for i := range a.w.Tasks {
		t := &a.w.Tasks[i]
		if t.State != TaskOpen || t.OpenedBy == a.ev.ID {
			continue
		}
		a.close(i, TaskWaived, p.WaiveOpen)
		if t.Due != nil && at.After(*t.Due) {
			a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineMissed, Task: t.ID, Due: *t.Due, At: &at})
		}
	}
}

// completions closes the open tasks the event completes (doneBy).
func (a *applier) completions() error {
	for i := range a.w.Tasks {
		t := a.w.Tasks[i]
		if t.State != TaskOpen {
			continue
		}
		def, ok := a.d.taskByID[t.Def]
		if !ok {
			continue
		}
		for _, db := range def.DoneBy {
			if db.Event != a.ev.Type {
				continue
			}
			ok, err := evalBool(db.prog, a.env(&t), a.d.memoryBudget)
			if err != nil {
				return a.fail("tasks."+def.ID+".doneBy", def.Clause, err)
			}
			if ok {
				a.close(i, TaskDone, "")
				break
			}
		}
	}
	return nil
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

// opens opens the tasks the event triggers and, when the phase or the
// response level changed, those of the phase at the current level.
func (a *applier) opens(entered bool) error {
	env := a.env(nil)
	level := ""
	if l, ok := a.d.level(a.w.Response); ok {
		level = l.ID
	}
	for _, def := range a.d.tasks {
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
			ok, err := evalBool(tr.prog, env, a.d.memoryBudget)
			if err != nil {
				return a.fail("tasks."+def.ID+".on", def.Clause, err)
			}
			if ok {
				a.open(def)
				break
			}
		}
	}
	return nil
}

func (a *applier) open(def *TaskDef) {
	n := 0
	for _, t := range a.w.Tasks {
		if t.Def != def.ID {
			continue
		}
		n++
		if !def.Recurring || t.State == TaskOpen {
			return
		}
	}
	id := def.ID
	if n > 0 {
		id = fmt.Sprintf("%s#%d", def.ID, n+1)
	}
	t := Task{ID: id, Def: def.ID, Name: def.Name, Clause: def.Clause, Assignee: def.Assignee, Conditional: def.Conditional,
		State: TaskOpen, OpenedAt: a.ev.OccurredAt, OpenedBy: a.ev.ID}
	if def.Within > 0 {
		due := a.ev.OccurredAt.Add(def.Within)
		t.Due = &due
		a.eff.Deadlines = append(a.eff.Deadlines, Mark{Kind: DeadlineSet, Task: id, Due: due})
	}
	a.w.Tasks = append(a.w.Tasks, t)
	a.eff.Opened = append(a.eff.Opened, id)
	for _, to := range def.Notify {
		a.eff.Notices = append(a.eff.Notices, Notice{To: to, By: def.Assignee, Clause: def.Clause, Task: id, Conditional: def.Conditional != ""})
	}
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
