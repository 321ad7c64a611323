package workflow

import (
	"encoding/json"
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
