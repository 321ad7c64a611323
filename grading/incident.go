package grading

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
)

// incidentField is the Field of an error about the incident as a whole.
const incidentField = "(incident)"

// ErrBadInput is matched by errors.Is for every problem with an incident's
// facts: a negative or fractional count, NaN, an unknown field or value.
var ErrBadInput = errors.New("grading: bad input")

// InputError is one problem with one field of an incident, or with a
// response level or grade as a person wrote it. Code is a stable machine
// code (CodeInput…, CodeResponseUnknown, CodeLevelUnknown); Params hold the
// values Message is built from, so a front end can word it in its own
// language.
//
// Concurrency: once returned, an InputError is not changed by this package;
// it is safe to read from any goroutine.
type InputError struct {
	Code    string            `json:"code"`
	Field   string            `json:"field"`           // the JSON name of the input, or "response" / "level"
	Value   string            `json:"value,omitempty"` // the value as given, when there is one
	Message string            `json:"message"`         // what is wrong and how to fix it
	Params  map[string]string `json:"params"`
}

func (e *InputError) Error() string {
	if e.Value != "" {
		return fmt.Sprintf("grading: %s: %s: %s", e.Field, e.Value, e.Message)
	}
	return fmt.Sprintf("grading: %s: %s", e.Field, e.Message)
}

// Is makes errors.Is(err, ErrBadInput) true.
func (e *InputError) Is(target error) bool { return target == ErrBadInput }

// Problems returns the error in its machine form.
func (e *InputError) Problems() []diag.Problem { return []diag.Problem{e.problem()} }

func (e *InputError) problem() diag.Problem {
	return diag.Problem{Code: e.Code, Message: e.Message, Field: e.Field, Params: e.params()}
}

// params are e's parameters, never nil, with the value when there is one.
func (e *InputError) params() map[string]string {
	p := make(map[string]string, len(e.Params)+2)
	maps.Copy(p, e.Params)
	if _, ok := p["field"]; !ok && e.Field != "" {
		p["field"] = e.Field
	}
	if _, ok := p["value"]; !ok && e.Value != "" {
		p["value"] = e.Value
	}
	return p
}

// MarshalJSON writes the error with its params as an object, never null.
func (e *InputError) MarshalJSON() ([]byte, error) {
	type plain InputError
	out := plain(*e)
	out.Params = e.params()
	return json.Marshal(out)
}

// InputErrors is every problem found in one incident.
//
// Concurrency: once returned, safe to read from any goroutine.
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

// Problems returns every error in its machine form.
func (es InputErrors) Problems() []diag.Problem {
	out := make([]diag.Problem, len(es))
	for i, e := range es {
		out[i] = e.problem()
	}
	return out
}

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
//
// Concurrency: a value; its Values are shared with the Incident it came from,
// so do not modify them.
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
// as "5000万" or "1.2亿元"; enums take a value's id, label or a declared
// alias ("county", "跨县级行政区", "县级"); bools a bool; lists a []string. A
// bad value is an *InputError and leaves the incident unchanged.
func (inc *Incident) Set(id string, v any) error {
	if inc.layout == nil {
		return &InputError{Code: CodeInputNoRules, Field: id, Message: "the incident was not made by Rules.NewIncident",
			Params: map[string]string{"field": id}}
	}
	in, ok := inc.layout.byID[id]
	if !ok {
		return unknownField(id, inc.layout.names, "no such input")
	}
	if in.Type == List {
		vals, ok := v.([]string)
		if !ok {
			return badValue(in, v, CodeInputWrongType, "must be a list of ids", nil)
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

// unknownField is the error of a field no input has. Field names are not
// ordered, so a near miss is suggested.
func unknownField(id string, names []string, what string) *InputError {
	all := strings.Join(names, ", ")
	return &InputError{Code: CodeInputUnknownField, Field: id,
		Message: what + "." + diag.Suggest(id, names) + " The inputs are " + all,
		Params:  map[string]string{"field": id, "valid": all}}
}

// badValue is the error of a value input in cannot take; extra params join
// field and value.
func badValue(in *Input, v any, code, msg string, extra map[string]string) *InputError {
	val := fmt.Sprint(v)
	params := map[string]string{"field": in.ID, "value": val}
	maps.Copy(params, extra)
	return &InputError{Code: code, Field: in.ID, Value: val, Message: msg, Params: params}
}

func convert(in *Input, v any) (float64, *InputError) {
	bad := func(code, msg string) *InputError { return badValue(in, v, code, msg, nil) }
	switch in.Type {
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return 0, bad(CodeInputWrongType, "must be true or false")
		}
		if b {
			return 1, nil
		}
		return 0, nil
	case Enum:
		// The values are ordered: an unknown one is answered with the
		// list in order, never with the nearest spelling, which could
		// belong to another rank.
		valid := enumChoices(in)
		s, ok := v.(string)
		if !ok {
			return 0, badValue(in, v, CodeInputWrongType, "must be one of, least severe first: "+valid, map[string]string{"valid": valid})
		}
		r, ok := in.enumRank(s)
		if !ok {
			return 0, badValue(in, v, CodeInputEnumUnknown, "not a value of "+in.ID+"; the values, least severe first, are "+valid,
				map[string]string{"valid": valid})
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
			return 0, bad(CodeInputWrongType, "is not a number")
		}
		x = f
	case string:
		if in.Type != Amount {
			return 0, bad(CodeInputWrongType, "must be a number, not a string")
		}
		f, err := ParseAmount(v)
		if err != nil {
			return 0, bad(CodeInputBadAmount, `is not an amount; write yuan as a number, or "5000万", "1.2亿元"`)
		}
		x = f
	default:
		return 0, bad(CodeInputWrongType, "must be a number")
	}
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return 0, bad(CodeInputNotFinite, "must be a finite number")
	case x < 0:
		return 0, badValue(in, v, CodeInputNegative, "is negative; a "+in.Type.String()+" is 0 or more", map[string]string{"type": in.Type.String()})
	case in.Type == Count && x != math.Trunc(x):
		return 0, bad(CodeInputNotWhole, "is not a whole number; a count of people is 0, 1, 2, …")
	case x > maxValue:
		return 0, badValue(in, v, CodeInputTooLarge, "is implausibly large (over 10^15)", map[string]string{"max": "1e15"})
	}
	return x, nil
}

// maxValue is the largest count or amount an input takes: more than any
// real loss, small enough that sums stay exact.
const maxValue = 1e15

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
		return Incident{}, InputErrors{{Code: CodeInputNotObject, Field: incidentField, Message: "is not a JSON object: " + err.Error(),
			Params: map[string]string{"error": err.Error()}}}
	}
	if obj == nil {
		return Incident{}, InputErrors{{Code: CodeInputNotObject, Field: incidentField, Message: "is null; send a JSON object such as {\"deaths\": 3}",
			Params: map[string]string{}}}
	}
	if dec.More() {
		return Incident{}, InputErrors{{Code: CodeInputTrailingData, Field: incidentField, Message: "has data after the JSON object",
			Params: map[string]string{}}}
	}
	var errs InputErrors
	for _, k := range slices.Sorted(maps.Keys(obj)) {
		raw := obj[k]
		in, ok := r.layout.byID[k]
		if !ok {
			errs = append(errs, unknownField(k, r.layout.names, "unknown field"))
			continue
		}
		if string(bytes.TrimSpace(raw)) == "null" {
			continue
		}
		var v any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			errs = append(errs, badValue(in, string(raw), CodeInputBadJSON, "is not valid JSON", nil))
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
				errs = append(errs, badValue(in, string(raw), CodeInputWrongType, "must be a list of id strings", nil))
				continue
			}
			v = ids
		}
		if err := inc.Set(k, v); err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				ie.Value = string(raw)
				if _, ok := ie.Params["value"]; ok {
					ie.Params["value"] = ie.Value
				}
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
			return Incident{}, &InputError{Code: CodeInputNotInPlan, Field: old.ID, Message: "this plan has no such input",
				Params: map[string]string{"field": old.ID}}
		}
		x := inc.vals[old.index]
		if in.Type == Enum {
			rank, ok := in.Rank(old.Values[int(x)].ID)
			if !ok {
				v := old.Values[int(x)].ID
				return Incident{}, &InputError{Code: CodeInputNotInPlan, Field: old.ID, Value: v, Message: "this plan has no such value",
					Params: map[string]string{"field": old.ID, "value": v}}
			}
			x = float64(rank)
		}
		out.vals[in.index] = x
		out.known |= 1 << in.index
	}
	return out, nil
}
