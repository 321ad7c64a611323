package grading

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
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
// Concurrency: an Incident is a value: copying it copies its facts (the
// lists of context inputs are shared). It is not safe to Set from several
// goroutines at once.
type Incident struct {
	layout *layout
	// vals holds the first inlineInputs inputs' values; the rest, and the
	// lists, are in ext. An Incident is copied by value into every
	// Classify call and every Result, so it is kept small: a plan's
	// inputs rarely pass inlineInputs.
	vals  [inlineInputs]float64
	known uint32
	// ext is shared between copies and never changed once set: Set
	// replaces it (copy on write).
	ext *incidentExt
}

// inlineInputs is how many inputs' values an Incident holds inline.
const inlineInputs = 16

// incidentExt is what an Incident holds past its inline values.
type incidentExt struct {
	vals  [MaxInputs - inlineInputs]float64
	lists []ListValue
}

// val is the value of input index i (0 when unknown).
func (inc *Incident) val(i int) float64 {
	if i < inlineInputs {
		return inc.vals[i]
	}
	if inc.ext == nil {
		return 0
	}
	return inc.ext.vals[(i-inlineInputs)%(MaxInputs-inlineInputs)]
}

// setVal sets the value of input index i.
func (inc *Incident) setVal(i int, x float64) {
	if i < inlineInputs {
		inc.vals[i] = x
		return
	}
	ext := inc.cloneExt()
	ext.vals[(i-inlineInputs)%(MaxInputs-inlineInputs)] = x
	inc.ext = ext
}

// cloneExt is a copy of inc's ext to change.
func (inc *Incident) cloneExt() *incidentExt {
	ext := &incidentExt{}
	if inc.ext != nil {
		*ext = *inc.ext
	}
	return ext
}

// lists are the list inputs that were set.
func (inc *Incident) lists() []ListValue {
	if inc.ext == nil {
		return nil
	}
	return inc.ext.lists
}

// setLists replaces the lists.
func (inc *Incident) setLists(l []ListValue) {
	if len(l) == 0 && (inc.ext == nil || len(inc.ext.lists) == 0) {
		return
	}
	ext := inc.cloneExt()
	ext.lists = l
	inc.ext = ext
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
		return slices.ContainsFunc(inc.lists(), func(l ListValue) bool { return l.Input == id })
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
	x := inc.val(max(in.index, 0))
	switch in.Type {
	case Enum:
		return in.Values[int(x)].ID, true
	case Bool:
		return x == 1, true
	case List:
		for _, l := range inc.lists() {
			if l.Input == id {
				return l.Values, true
			}
		}
	}
	return x, true
}

// Lists returns the values of the list inputs that were set.
func (inc *Incident) Lists() []ListValue { return inc.lists() }

// Unset makes input id unknown again.
func (inc *Incident) Unset(id string) {
	if inc.layout == nil {
		return
	}
	if in, ok := inc.layout.byID[id]; ok {
		if in.index >= 0 {
			inc.known &^= 1 << in.index
			inc.setVal(in.index, 0)
		} else {
			inc.setLists(slices.DeleteFunc(slices.Clone(inc.lists()), func(l ListValue) bool { return l.Input == id }))
		}
	}
}

// Set records the value of input id. Counts take whole numbers >= 0 (any Go
// integer, an integral float64, or a json.Number that is a whole number
// exactly as written); amounts take numbers >= 0 or strings such as
// "5000万" or "1.2亿元" (a json.Number or a string is read exactly and
// rounded toward zero, never up across a threshold); -0 is 0; enums take a value's id, label or a declared
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
		lists := slices.DeleteFunc(slices.Clone(inc.lists()), func(l ListValue) bool { return l.Input == id })
		inc.setLists(append(lists, ListValue{Input: id, Values: slices.Clone(vals)}))
		return nil
	}
	x, err := convert(in, v)
	if err != nil {
		return err
	}
	inc.setVal(in.index, x)
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
		if !validNumber(string(v)) {
			return 0, bad(CodeInputWrongType, "is not a number")
		}
		f, prob := readNumber(string(v), in.Type)
		switch prob {
		case numberNegative:
			return 0, badValue(in, v, CodeInputNegative, "is negative; a "+in.Type.String()+" is 0 or more", map[string]string{"type": in.Type.String()})
		case numberNotWhole:
			return 0, bad(CodeInputNotWhole, "is not a whole number as written; a count of people is 0, 1, 2, … (no float rounding: 2.9999999999999999 is not 3)")
		case numberTooLarge:
			return 0, badValue(in, v, CodeInputTooLarge, "is implausibly large (over 10^15)", map[string]string{"max": "1e15"})
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
	if x == 0 {
		x = 0 // -0 is 0, and is never shown as "-0"
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
// is reported at once as InputErrors (errors.Is(err, ErrBadInput)), in the
// order of the input, up to MaxInputProblems and a last one that counts
// the rest; nothing of a bad incident is returned. A key given twice, even
// written with escapes, is an error (CodeInputDuplicateField), not a
// silent choice of one value; a syntax error names its line, column and
// field (CodeInputBadJSON); a value an error repeats is cut to 64 runes.
func (r *Rules) ParseIncident(data []byte) (Incident, error) {
	if inc, ok := r.parseFast(data); ok {
		return inc, nil
	}
	return r.parseGeneral(data)
}

// remap moves an incident built for another rule set onto r's layout, by
// input id. It is used when an engine reloads between building an incident
// and classifying it.
func (r *Rules) remap(inc Incident) (Incident, error) {
	out := Incident{layout: r.layout}
	out.setLists(inc.lists())
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
		x := inc.val(old.index)
		if in.Type == Enum {
			rank, ok := in.Rank(old.Values[int(x)].ID)
			if !ok {
				v := old.Values[int(x)].ID
				return Incident{}, &InputError{Code: CodeInputNotInPlan, Field: old.ID, Value: v, Message: "this plan has no such value",
					Params: map[string]string{"field": old.ID, "value": v}}
			}
			x = float64(rank)
		}
		out.setVal(in.index, x)
		out.known |= 1 << in.index
	}
	return out, nil
}
