package grading

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
)

// ErrBadInput is matched by errors.Is for every problem with an incident's
// facts: a negative or fractional count, NaN, an unknown field or value.
var ErrBadInput = errors.New("grading: bad input")

// InputError is one problem with one field of an incident.
type InputError struct {
	Field  string // the JSON name of the input
	Value  string // the value as given, when there is one
	Reason string // what is wrong and how to fix it
}

func (e *InputError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("grading: %s: %s: %s", e.Field, e.Value, e.Reason)
	}
	return fmt.Sprintf("grading: %s: %s", e.Field, e.Reason)
}

// Is makes errors.Is(err, ErrBadInput) true.
func (e *InputError) Is(target error) bool { return target == ErrBadInput }

// InputErrors is every problem found in one incident.
type InputErrors []*InputError

func (es InputErrors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrBadInput) true.
func (es InputErrors) Is(target error) bool { return target == ErrBadInput }

// layout is the order of inputs in an incident's value vector.
type layout struct {
	inputs []*Input
	byID   map[string]*Input
	names  []string
}

func newLayout(inputs []*Input) *layout {
	l := &layout{inputs: inputs, byID: map[string]*Input{}}
	for _, in := range inputs {
		l.byID[in.ID] = in
		l.names = append(l.names, in.ID)
	}
	return l
}

// Incident holds the facts known about an incident. An input never set is
// unknown, which is not the same as zero: the grade is what the known facts
// establish. Build one with Rules.NewIncident or Rules.ParseIncident.
//
// An Incident is a value: copying it copies its facts (the lists of context
// inputs are shared). It is not safe to Set from several goroutines at once.
type Incident struct {
	layout *layout
	vals   [MaxInputs]float64
	known  uint32
	lists  []ListValue
}

// ListValue is the value of a list (context) input.
type ListValue struct {
	Input  string
	Values []string
}

// NewIncident returns an incident with every input unknown.
func (r *Rules) NewIncident() Incident { return Incident{layout: r.layout} }

// Known reports whether input id has a value.
func (inc *Incident) Known(id string) bool {
	if inc.layout == nil {
		return false
	}
	in, ok := inc.layout.byID[id]
	if !ok {
		return false
	}
	if in.index < 0 {
		return slices.ContainsFunc(inc.lists, func(l ListValue) bool { return l.Input == id })
	}
	return inc.known&(1<<in.index) != 0
}

// Value returns the value of input id: a float64 for counts and amounts,
// the value id for enums, a bool, or a []string for lists.
func (inc *Incident) Value(id string) (any, bool) {
	if !inc.Known(id) {
		return nil, false
	}
	in := inc.layout.byID[id]
	x := inc.vals[max(in.index, 0)]
	switch in.Type {
	case Enum:
		return in.Values[int(x)].ID, true
	case Bool:
		return x == 1, true
	case List:
		for _, l := range inc.lists {
			if l.Input == id {
				return l.Values, true
			}
		}
	}
	return x, true
}

// Lists returns the values of the list inputs that were set.
func (inc *Incident) Lists() []ListValue { return inc.lists }

// Unset makes input id unknown again.
func (inc *Incident) Unset(id string) {
	if inc.layout == nil {
		return
	}
	if in, ok := inc.layout.byID[id]; ok {
		if in.index >= 0 {
			inc.known &^= 1 << in.index
			inc.vals[in.index] = 0
		} else {
			inc.lists = slices.DeleteFunc(slices.Clone(inc.lists), func(l ListValue) bool { return l.Input == id })
		}
	}
}

// Set records the value of input id. Counts take whole numbers >= 0 (any Go
// integer or an integral float64); amounts take numbers >= 0 or strings such
// as "5000万" or "1.2亿元"; enums take a value id; bools a bool; lists a
// []string. A bad value is an *InputError and leaves the incident unchanged.
func (inc *Incident) Set(id string, v any) error {
	if inc.layout == nil {
		return &InputError{Field: id, Reason: "the incident was not made by Rules.NewIncident"}
	}
	in, ok := inc.layout.byID[id]
	if !ok {
		return &InputError{Field: id, Reason: "no such input." + diag.Suggest(id, inc.layout.names) + " The inputs are " + strings.Join(inc.layout.names, ", ")}
	}
	if in.Type == List {
		vals, ok := v.([]string)
		if !ok {
			return &InputError{Field: id, Value: fmt.Sprint(v), Reason: "must be a list of ids"}
		}
		lists := slices.DeleteFunc(slices.Clone(inc.lists), func(l ListValue) bool { return l.Input == id })
		inc.lists = append(lists, ListValue{Input: id, Values: slices.Clone(vals)})
		return nil
	}
	x, err := convert(in, v)
	if err != nil {
		return err
	}
	inc.vals[in.index] = x
	inc.known |= 1 << in.index
	return nil
}

func convert(in *Input, v any) (float64, *InputError) {
	bad := func(reason string) *InputError {
		return &InputError{Field: in.ID, Value: fmt.Sprint(v), Reason: reason}
	}
	switch in.Type {
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return 0, bad("must be true or false")
		}
		if b {
			return 1, nil
		}
		return 0, nil
	case Enum:
		s, ok := v.(string)
		if !ok {
			return 0, bad("must be one of " + enumIDs(in))
		}
		r, ok := in.Rank(s)
		if !ok {
			return 0, bad("unknown value; use one of " + enumIDs(in) + "." + diag.Suggest(s, strings.Split(enumIDs(in), ", ")))
		}
		return float64(r), nil
	}
	var x float64
	switch v := v.(type) {
	case int:
		x = float64(v)
	case int64:
		x = float64(v)
	case int32:
		x = float64(v)
	case uint:
		x = float64(v)
	case uint64:
		x = float64(v)
	case float64:
		x = v
	case float32:
		x = float64(v)
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return 0, bad("is not a number")
		}
		x = f
	case string:
		if in.Type != Amount {
			return 0, bad("must be a number, not a string")
		}
		f, err := ParseAmount(v)
		if err != nil {
			return 0, bad(`is not an amount; write yuan as a number, or "5000万", "1.2亿元"`)
		}
		x = f
	default:
		return 0, bad("must be a number")
	}
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0, bad("must be a finite number")
	case x < 0:
		return 0, bad("is negative; a " + in.Type.String() + " is 0 or more")
	case in.Type == Count && x != math.Trunc(x):
		return 0, bad("is not a whole number; a count of people is 0, 1, 2, …")
	case x > 1e15:
		return 0, bad("is implausibly large (over 10^15)")
	}
	return x, nil
}

func enumIDs(in *Input) string {
	ids := make([]string, len(in.Values))
	for i, v := range in.Values {
		ids[i] = v.ID
	}
	return strings.Join(ids, ", ")
}

// ParseIncident decodes one incident from a JSON object whose keys are the
// inputs' ids. A missing key or null leaves the input unknown. Every problem
// is reported at once as InputErrors (errors.Is(err, ErrBadInput)); nothing
// of a bad incident is returned.
func (r *Rules) ParseIncident(data []byte) (Incident, error) {
	if inc, ok := r.parseFast(data); ok {
		return inc, nil
	}
	inc := r.NewIncident()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var obj map[string]json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		return Incident{}, InputErrors{{Field: "(incident)", Reason: "is not a JSON object: " + err.Error()}}
	}
	if obj == nil {
		return Incident{}, InputErrors{{Field: "(incident)", Reason: "is null; send a JSON object such as {\"deaths\": 3}"}}
	}
	if dec.More() {
		return Incident{}, InputErrors{{Field: "(incident)", Reason: "has data after the JSON object"}}
	}
	var errs InputErrors
	for _, k := range slices.Sorted(mapsKeys(obj)) {
		raw := obj[k]
		in, ok := r.layout.byID[k]
		if !ok {
			errs = append(errs, &InputError{Field: k, Reason: "unknown field." + diag.Suggest(k, r.layout.names) + " The inputs are " + strings.Join(r.layout.names, ", ")})
			continue
		}
		if string(bytes.TrimSpace(raw)) == "null" {
			continue
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			errs = append(errs, &InputError{Field: k, Value: string(raw), Reason: "is not valid JSON"})
			continue
		}
		if in.Type == List {
			arr, ok := v.([]any)
			var ids []string
			for _, e := range arr {
				s, isStr := e.(string)
				if !isStr {
					ok = false
					break
				}
				ids = append(ids, s)
			}
			if !ok {
				errs = append(errs, &InputError{Field: k, Value: string(raw), Reason: "must be a list of id strings"})
				continue
			}
			v = ids
		}
		if err := inc.Set(k, v); err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				ie.Value = string(raw)
				errs = append(errs, ie)
			}
		}
	}
	if len(errs) > 0 {
		return Incident{}, errs
	}
	return inc, nil
}

// remap moves an incident built for another rule set onto r's layout, by
// input id. It is used when an engine reloads between building an incident
// and classifying it.
func (r *Rules) remap(inc Incident) (Incident, error) {
	out := Incident{layout: r.layout, lists: inc.lists}
	if inc.layout == nil {
		return out, nil
	}
	for _, old := range inc.layout.inputs {
		if old.index < 0 || inc.known&(1<<old.index) == 0 {
			continue
		}
		in, ok := r.layout.byID[old.ID]
		if !ok || in.Type != old.Type || in.index < 0 {
			return Incident{}, &InputError{Field: old.ID, Reason: "this plan has no such input"}
		}
		x := inc.vals[old.index]
		if in.Type == Enum {
			rank, ok := in.Rank(old.Values[int(x)].ID)
			if !ok {
				return Incident{}, &InputError{Field: old.ID, Value: old.Values[int(x)].ID, Reason: "this plan has no such value"}
			}
			x = float64(rank)
		}
		out.vals[in.index] = x
		out.known |= 1 << in.index
	}
	return out, nil
}
