package workflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/workflow/internal/norm"
)

// Event validation: the envelope and the data checked against the event
// type's schema and brought to the form they are logged in, and the
// comparison of a re-delivered event with the logged one.

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
				if s == w || s == taskDef(w) || s == taskBase(w) {
					now = was
				} else {
					now = s
				}
			} else if v, fe := a.value(f, raw); fe.Code == "" {
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

// bad is a FieldError with its reason formatted.
func bad(field, code string, params map[string]string, format string, args ...any) FieldError {
	return FieldError{Field: field, Code: code, Reason: fmt.Sprintf(format, args...), Params: params}
}

// validate checks the envelope and the data and returns the event as it
// will be logged: actor and data normalised.
func (a *applier) validate(ev Event) (Event, []FieldError) {
	var errs []FieldError
	out := Event{ID: ev.ID, Type: ev.Type, Actor: ev.Actor, OccurredAt: ev.OccurredAt, RecordedAt: ev.RecordedAt}
	if strings.TrimSpace(ev.ID) == "" {
		errs = append(errs, bad("id", CodeEventRequired, nil, "required: give every event a unique id, so that re-delivery is safe"))
	}
	switch {
	case ev.Actor == "":
		errs = append(errs, bad("actor", CodeEventRequired, nil, "required: the unit or role that acted"))
	case a.d.actors != nil:
		id, ok := a.d.actors.Actor(ev.Actor)
		if !ok {
			errs = append(errs, bad("actor", CodeEventUnknownActor, map[string]string{"actor": ev.Actor},
				"unknown actor %q.%s", ev.Actor, diag.Suggest(ev.Actor, a.d.actors.Actors())))
		}
		out.Actor = id
	}
	a.actor = out.Actor
	if ev.OccurredAt.IsZero() {
		errs = append(errs, bad("occurredAt", CodeEventRequired, nil, "required, with an explicit UTC offset"))
	}
	if ev.RecordedAt.IsZero() {
		errs = append(errs, bad("recordedAt", CodeEventRequired, nil, "required, with an explicit UTC offset"))
	}
	outside := false
	for _, f := range []struct {
		name string
		t    Time
	}{{"occurredAt", ev.OccurredAt}, {"recordedAt", ev.RecordedAt}} {
		if err := f.t.Check(); err != nil {
			errs = append(errs, bad(f.name, CodeEventTimeRange, map[string]string{"value": f.t.String(), "min": strconv.Itoa(MinYear), "max": strconv.Itoa(MaxYear)},
				"%s", strings.TrimPrefix(err.Error(), "workflow: ")))
			outside = true
		}
	}
	if !outside && !ev.OccurredAt.IsZero() && !ev.RecordedAt.IsZero() && ev.RecordedAt.Before(ev.OccurredAt) {
		errs = append(errs, bad("recordedAt", CodeEventBadTime, map[string]string{"recordedAt": ev.RecordedAt.String(), "occurredAt": ev.OccurredAt.String()},
			"%s is before occurredAt %s (compared as instants)", ev.RecordedAt, ev.OccurredAt))
	}
	data, derrs := a.validateData(ev.Data)
	out.Data = data
	return out, append(errs, derrs...)
}

func (a *applier) validateData(in map[string]any) (map[string]any, []FieldError) {
	var errs []FieldError
	unknown := false
	for k := range in {
		if _, ok := a.def.Field(k); !ok {
			unknown = true
			break
		}
	}
	if unknown {
		names := make([]string, len(a.def.Data))
		for i, f := range a.def.Data {
			names[i] = f.Name
		}
		for _, k := range slices.Sorted(maps.Keys(in)) {
			if _, ok := a.def.Field(k); !ok {
				errs = append(errs, bad("data."+k, CodeEventUnknownField, map[string]string{"field": k, "fields": strings.Join(names, ", ")},
					"unknown field of %s.%s The fields are %s", a.def.ID, diag.Suggest(k, names), strings.Join(names, ", ")))
			}
		}
	}
	var out map[string]any
	for _, f := range a.def.Data {
		raw, present := in[f.Name]
		if !present || raw == nil {
			if f.Required {
				errs = append(errs, bad("data."+f.Name, CodeEventRequired, map[string]string{"label": f.Label}, "required (%s)", f.Label))
			}
			continue
		}
		v, fe := a.value(f, raw)
		if fe.Code != "" {
			fe.Field = "data." + f.Name
			errs = append(errs, fe)
			continue
		}
		if out == nil {
			out = make(map[string]any, len(in))
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
			if a.missing == nil {
				a.missing = map[string][]string{}
			}
			a.missing[f.Name] = miss
			// Only a required checklist is a complete report whose gaps are
			// named; an optional one carries additions (a follow-up).
			if len(items) > 0 && f.Required {
				a.missingItems = append(a.missingItems, Missing{Field: f.Name, Items: items})
			}
		}
	}
	return out, errs
}

// value checks and normalises one data value; the FieldError has a Code
// (and no Field yet) when the value is bad.
func (a *applier) value(f *Field, raw any) (any, FieldError) {
	v, err := norm.Value(raw)
	if err != nil {
		return nil, bad("", CodeEventInvalid, nil, "%s", err)
	}
	str := func() (string, bool) { s, ok := v.(string); return s, ok }
	typed := func(want string) FieldError {
		return bad("", CodeEventInvalid, map[string]string{"type": f.Type.String()}, "must be %s", want)
	}
	switch f.Type {
	case TextField:
		if s, ok := str(); ok {
			return s, FieldError{}
		}
		return nil, typed("text")
	case BoolField:
		if b, ok := v.(bool); ok {
			return b, FieldError{}
		}
		return nil, typed("true or false")
	case NumberField, CountField:
		x, ok := v.(float64)
		if !ok {
			return nil, typed("a number")
		}
		if f.Type == CountField && (x < 0 || x != math.Trunc(x)) {
			return nil, typed("a whole number, 0 or more")
		}
		return x, FieldError{}
	case TimeField:
		s, ok := str()
		if !ok {
			return nil, typed("a time such as 2025-10-15T09:30:00+06:00")
		}
		t, err := ParseTime(s)
		if err != nil {
			code := CodeEventBadTime
			if errors.Is(err, ErrTimeRange) {
				code = CodeEventTimeRange
			}
			return nil, bad("", code, map[string]string{"value": s}, "%s", strings.TrimPrefix(err.Error(), "workflow: "))
		}
		return t.String(), FieldError{}
	case EnumField:
		s, _ := str()
		if !slices.ContainsFunc(f.Values, func(it Item) bool { return it.ID == s }) {
			ids := itemIDs(f.Values)
			return nil, bad("", CodeEventUnknownValue, map[string]string{"value": fmt.Sprint(v), "valid": strings.Join(ids, ", ")},
				"%q is not one of %s.%s", fmt.Sprint(v), strings.Join(ids, ", "), diag.Suggest(s, ids))
		}
		return s, FieldError{}
	case ListField, ChecklistField:
		l, ok := v.([]string)
		if !ok {
			return nil, typed("a list of ids")
		}
		if f.Type == ChecklistField {
			for _, s := range l {
				if !slices.ContainsFunc(f.Items, func(it Item) bool { return it.ID == s }) {
					ids := itemIDs(f.Items)
					return nil, bad("", CodeEventUnknownValue, map[string]string{"value": s, "valid": strings.Join(ids, ", ")},
						"%q is not an item of %s; the items are %s.%s", s, f.Name, strings.Join(ids, ", "), diag.Suggest(s, ids))
				}
			}
		}
		return l, FieldError{}
	case ActorField:
		s, ok := str()
		if !ok || s == "" {
			return nil, typed("an actor id")
		}
		if a.d.actors == nil {
			return s, FieldError{}
		}
		id, ok := a.d.actors.Actor(s)
		if !ok {
			return nil, bad("", CodeEventUnknownActor, map[string]string{"actor": s}, "unknown actor %q.%s", s, diag.Suggest(s, a.d.actors.Actors()))
		}
		return id, FieldError{}
	case LevelField:
		s, _ := str()
		l, ok := a.d.level(s)
		if !ok {
			// Never a guess by spelling: a near miss of III is II.
			return nil, bad("", CodeEventUnknownLevel, map[string]string{"level": s, "valid": a.d.levelList()},
				"unknown level %q; the levels, most severe first, are %s", s, a.d.levelList())
		}
		return l.ID, FieldError{}
	case TaskField:
		s, _ := str()
		return a.taskRef(s)
	case IncidentField:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, typed("an object of grading inputs, e.g. {deaths: 3}")
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
			return nil, bad("", CodeEventInvalid, nil, "%s", strings.Join(reasons, "; "))
		}
		return m, FieldError{}
	}
	return nil, typed("a value of a known type")
}

func itemIDs(items []Item) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// refs checks the ids of a list input that refers to other data of the
// plan (grading.yaml's ref:) through the ActorResolver's IncidentChecker,
// and returns them with aliases resolved; nil ids when there is nothing to
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
	var unknown []string
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
			unknown = append(unknown, s)
			continue
		}
		ids[i] = id
	}
	if len(unknown) > 0 {
		return nil, fmt.Sprintf("%s: not among the %s of the plan: %s", input, in.Ref, strings.Join(unknown, ", "))
	}
	return ids, ""
}

// taskRef resolves a task reference — a task instance id, or a task
// definition id (or a definition at an assignee, "report-up@county-safety")
// for its open instance — to the id of an open task. A definition of
// several assignees names the open instance assigned to the event's actor,
// or its only open instance.
func (a *applier) taskRef(ref string) (any, FieldError) {
	st := a.st
	def, ok := a.d.taskByID[taskDef(ref)]
	if !ok {
		return nil, bad("", CodeEventTask, map[string]string{"task": ref}, "unknown task %q.%s", ref, diag.Suggest(ref, slices.Sorted(maps.Keys(a.d.taskByID))))
	}
	// The latest match in opening order, as a task definition id names
	// its open instance and an instance id itself.
	found := int32(-1)
	if i, ok := st.taskIDs[ref]; ok {
		found = i
	}
	if ref == def.ID && len(def.Assignees) > 1 {
		var open []int32
		for _, i := range st.open {
			if st.tasks[i].Def == def.ID {
				open = append(open, i)
			}
		}
		for _, i := range open {
			if st.tasks[i].Assignee == a.actor {
				return st.tasks[i].ID, FieldError{}
			}
		}
		if len(open) > 1 {
			ids := make([]string, len(open))
			for k, i := range open {
				ids[k] = st.tasks[i].ID
			}
			return nil, bad("", CodeEventTask, map[string]string{"task": ref, "open": strings.Join(ids, ", ")},
				"task %q is open for several assignees (%s): name one", ref, strings.Join(ids, ", "))
		}
		if len(open) == 1 {
			return st.tasks[open[0]].ID, FieldError{}
		}
	}
	if d, ok := st.byDef[ref]; ok && st.closedIn[d.latest] < 0 && d.latest > found {
		found = d.latest
	}
	if d, ok := st.byDef[ref]; ok && found < 0 {
		found = d.latest
	}
	if found < 0 {
		return nil, bad("", CodeEventTask, map[string]string{"task": ref}, "task %q has not been opened", ref)
	}
	t := st.tasks[found]
	if k := st.closedIn[found]; k >= 0 {
		c := st.closes[k]
		return nil, bad("", CodeEventTask, map[string]string{"task": t.ID, "state": c.state.String(), "by": c.by},
			"task %q is already %s (by %s)", t.ID, c.state, c.by)
	}
	return t.ID, FieldError{}
}
