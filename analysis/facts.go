package analysis

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/human"
	"go.yaml.in/yaml/v3"
)

// Facts are the known facts of an example incident, in the order the rule
// set declares its inputs. It marshals as the JSON object (or YAML mapping)
// that grading.Rules.ParseIncident reads; inputs it leaves out are unknown.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Facts []Fact

// Fact is one known input of Facts.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Fact struct {
	Input string
	// Value is an int64 or float64 for counts and amounts (in yuan), the
	// value id for an enum, or a bool.
	Value any
}

// Get returns the value of input id.
func (inc Facts) Get(id string) (any, bool) {
	for _, f := range inc {
		if f.Input == id {
			return f.Value, true
		}
	}
	return nil, false
}

// String renders the incident as one line of JSON: {"deaths": 9, "missing": 0}.
func (inc Facts) String() string {
	var b strings.Builder
	b.WriteByte('{')
	for i, f := range inc {
		if i > 0 {
			b.WriteString(", ")
		}
		k, _ := json.Marshal(f.Input)
		v, _ := json.Marshal(f.Value)
		b.Write(k)
		b.WriteString(": ")
		b.Write(v)
	}
	b.WriteByte('}')
	return b.String()
}

// MarshalJSON writes the facts as a JSON object, in order.
func (inc Facts) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range inc {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(f.Input)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(f.Value)
		if err != nil {
			return nil, fmt.Errorf("analysis: %s: %w", f.Input, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads a JSON object, keeping the order of its keys.
func (inc *Facts) UnmarshalJSON(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return fmt.Errorf("analysis: an incident is a JSON object, not %s", data)
	}
	out := Facts{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return err
		}
		if n, ok := v.(json.Number); ok {
			v = number(string(n))
		}
		out = append(out, Fact{Input: key, Value: v})
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	*inc = out
	return nil
}

// number turns a JSON or YAML number into an int64 when it is whole.
func number(s string) any {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return i
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		if f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f)
		}
		return f
	}
	return s
}

// MarshalYAML writes the facts as a flow mapping, in order:
// {deaths: 9, missing: 0}.
func (inc Facts) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	for _, f := range inc {
		var v yaml.Node
		if err := v.Encode(f.Value); err != nil {
			return nil, err
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: f.Input}, &v)
	}
	return n, nil
}

// UnmarshalYAML reads a mapping, keeping the order of its keys.
func (inc *Facts) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("analysis: line %d: an incident is a mapping such as {deaths: 9}", n.Line)
	}
	out := Facts{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var val any
		switch {
		case v.Kind != yaml.ScalarNode:
			return fmt.Errorf("analysis: line %d: the value of %s must be a single value", v.Line, k.Value)
		case v.Tag == "!!int" || v.Tag == "!!float":
			val = number(v.Value)
		case v.Tag == "!!bool":
			if err := v.Decode(&val); err != nil {
				return err
			}
		default:
			val = v.Value
		}
		out = append(out, Fact{Input: k.Value, Value: val})
	}
	*inc = out
	return nil
}

// Incident builds the grading incident of the facts for r. Every fact
// must name an input of r.
func (inc Facts) Incident(r *grading.Rules) (grading.Incident, error) {
	gi := r.NewIncident()
	for _, f := range inc {
		if err := gi.Set(f.Input, f.Value); err != nil {
			return grading.Incident{}, err
		}
	}
	return gi, nil
}

// Outcome is what a rule set makes of an incident: the grade, the clause
// that decides it, and whether the incident is within the plan's scope.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Outcome struct {
	Level     string `json:"level" yaml:"level"`
	LevelName string `json:"levelName,omitempty" yaml:"levelName,omitempty"`
	Response  string `json:"response,omitempty" yaml:"response,omitempty"`
	// Clause is the clause of the criterion that decides the grade through
	// the facts given; it is empty when the level is the baseline and no
	// criterion names the facts.
	Clause string `json:"clause,omitempty" yaml:"clause,omitempty"`
	// Criterion is the criterion's id, given only when it is not its clause.
	Criterion string `json:"criterion,omitempty" yaml:"criterion,omitempty"`
	// Baseline is set when the grade comes from the baseline level alone.
	Baseline bool `json:"baseline,omitempty" yaml:"baseline,omitempty"`
	// Provisional is set when the deciding criterion holds only because
	// inputs left unknown were taken at their least severe value.
	Provisional bool `json:"provisional,omitempty" yaml:"provisional,omitempty"`
	// InScope is nil for a rule set with no scope criteria.
	InScope *bool `json:"inScope,omitempty" yaml:"inScope,omitempty"`
}

// Classify grades the facts with r and says which clause decides the grade.
// It is safe for concurrent use.
func Classify(ctx context.Context, r *grading.Rules, inc Facts) (Outcome, error) {
	gi, err := inc.Incident(r)
	if err != nil {
		return Outcome{}, err
	}
	res, err := r.Classify(ctx, gi)
	if err != nil {
		return Outcome{}, err
	}
	return OutcomeOf(&res), nil
}

// OutcomeOf summarises a grading result: its level, and the first
// criterion of that level that holds whatever the unknown inputs are (or,
// failing that, the first that holds provisionally, or the baseline).
func OutcomeOf(res *grading.Result) Outcome {
	var o Outcome
	r := res.Rules()
	if r == nil {
		return o
	}
	if len(r.ScopeCriteria()) > 0 {
		in := res.InScope()
		o.InScope = &in
	}
	l, ok := res.Level()
	if !ok {
		return o
	}
	o.Level, o.LevelName, o.Response = l.ID, l.Name, l.Response.ID
	var prov *grading.Criterion
	for m := range res.Matches() {
		if m.Criterion.Level != l {
			continue
		}
		if !m.Provisional {
			o.setCriterion(m.Criterion)
			return o
		}
		if prov == nil {
			prov = m.Criterion
		}
	}
	switch {
	case l.Baseline:
		o.Baseline = true
	case prov != nil:
		o.setCriterion(prov)
		o.Provisional = true
	}
	return o
}

func (o *Outcome) setCriterion(cr *grading.Criterion) {
	o.Clause = cr.Clause
	if cr.ID != cr.Clause {
		o.Criterion = cr.ID
	}
}

// String renders the outcome for a person, in English: "一般 (baseline:
// no criterion names it)", "重大 by 1.5 重大 (1)".
func (o Outcome) String() string { return o.Text("en") }

// Text renders the outcome in the language lang, "zh" (the default) or
// "en": "重大，依据 1.5 重大 (1)", "一般（基线：没有标准涵盖）".
func (o Outcome) Text(lang string) string {
	if human.Of(lang) == human.Chinese {
		name := cmp.Or(o.LevelName, o.Level, "无级别")
		switch {
		case o.Baseline:
			return name + "（基线：没有标准涵盖）"
		case o.Clause != "" && o.Provisional:
			return name + "，依据 " + o.Clause + "（暂定：经由未知的输入）"
		case o.Clause != "":
			return name + "，依据 " + o.Clause
		}
		return name
	}
	name := o.LevelName
	if name == "" {
		name = o.Level
	}
	if name == "" {
		name = "no grade"
	}
	switch {
	case o.Baseline:
		return name + " (baseline: no criterion names it)"
	case o.Clause != "" && o.Provisional:
		return name + " by " + o.Clause + " (provisional: through inputs left unknown)"
	case o.Clause != "":
		return name + " by " + o.Clause
	}
	return name
}

// same reports whether two outcomes agree on everything a pinned case
// checks.
func (o Outcome) same(p Outcome) bool {
	return o.Level == p.Level && o.Clause == p.Clause && o.Criterion == p.Criterion &&
		o.Baseline == p.Baseline && o.Provisional == p.Provisional &&
		(o.InScope == nil) == (p.InScope == nil) && (o.InScope == nil || *o.InScope == *p.InScope)
}
