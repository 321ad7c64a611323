package analysis

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/yingji/yingji/grading"
	"go.yaml.in/yaml/v3"
)

// CaseSet is a table of classification cases with their expected
// outcomes, as a tester pins it: the boundary cases of a rule set, plus
// any cases written by hand.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type CaseSet struct {
	// Plan is the id of the plan the cases were generated from.
	Plan  string `json:"plan,omitempty" yaml:"plan,omitempty"`
	Cases []Case `json:"cases" yaml:"cases"`
}

// Case is one incident with the outcome expected of it.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Case struct {
	Name     string `json:"name" yaml:"name"`
	Incident Facts  `json:"incident" yaml:"incident"`
	Outcome  `yaml:",inline"`
	// Thresholds lists the thresholds the case sits at, below or above:
	// "1.5 重大 (1) deathsAndMissing: 10 人以上、30 人以下 — 9, just below 10".
	Thresholds []string `json:"thresholds,omitempty" yaml:"thresholds,omitempty"`
}

// BoundaryCases generates the boundary cases of a rule set: for every
// threshold of every criterion (levels and scope), the values just below,
// at and just above it — a person below and above for counts, a yuan
// below and above for amounts, the neighbouring values of an ordered enum,
// both values of a bool — each on its own (inputs that share a derived
// quantity with it at their least value, the rest unknown), with the
// grade, the deciding clause and the scope that r gives it. The first case
// is the incident with nothing known. Cases are ordered by input and
// value, and each incident appears once, listing every threshold it sits
// at.
//
// The expected outcomes are what r does today: pin them (gradingtest)
// so that a change to the rules that moves a boundary case is seen.
func BoundaryCases(r *grading.Rules) (CaseSet, error) {
	s, err := newSpace(r)
	if err != nil {
		return CaseSet{}, err
	}
	type gen struct {
		input int
		x     float64
		inc   Facts
		why   []string
		name  string
	}
	var gens []*gen
	byInc := map[string]*gen{}
	add := func(i int, x float64, name, why string) {
		if x < 0 || math.IsNaN(x) || math.IsInf(x, 0) {
			return
		}
		in := s.inputs[i]
		if in.Type == grading.Count && x != math.Trunc(x) {
			return
		}
		if (in.Type == grading.Enum && (x >= float64(len(in.Values)))) || (in.Type == grading.Bool && x > 1) {
			return
		}
		inc := s.example(i, x)
		key := inc.String()
		if g, ok := byInc[key]; ok {
			if !slices.Contains(g.why, why) {
				g.why = append(g.why, why)
			}
			return
		}
		g := &gen{input: i, x: x, inc: inc, why: []string{why}, name: name}
		byInc[key] = g
		gens = append(gens, g)
	}
	around := func(cr *grading.Criterion, what string, i int, t float64) {
		in := s.inputs[i]
		show := func(x float64) string {
			switch in.Type {
			case grading.Count, grading.Amount:
				return grading.FormatNumber(x, in.Unit)
			}
			return fmt.Sprint(value(in, x))
		}
		unit := map[grading.InputType]string{grading.Count: "a person", grading.Amount: "a yuan"}[in.Type]
		if unit == "" {
			unit = "one value"
		}
		lo, hi := t-1, t+1
		if in.Type == grading.Count && t != math.Trunc(t) {
			lo, hi = math.Floor(t), math.Ceil(t)
		}
		for _, x := range []float64{lo, t, hi} {
			if x < 0 || (in.Type == grading.Enum && x >= float64(len(in.Values))) || (in.Type == grading.Bool && x > 1) {
				continue
			}
			var rel string
			switch {
			case x == t:
				rel = fmt.Sprintf("%s, at the threshold", show(x))
			case x < t:
				rel = fmt.Sprintf("%s, %s below %s", show(x), unit, show(t))
			default:
				rel = fmt.Sprintf("%s, %s above %s", show(x), unit, show(t))
			}
			add(i, x, fmt.Sprintf("%s %s: %s %s", cr.Clause, what, in.ID, rel), fmt.Sprintf("%s %s — %s", cr.Clause, what, rel))
		}
	}
	var walk func(cr *grading.Criterion, c *grading.Cond)
	walk = func(cr *grading.Criterion, c *grading.Cond) {
		switch c.Op {
		case grading.OpAtom:
			q := c.Quantity
			what := q.ID + " " + c.Written
			for _, id := range q.InputIDs(r) {
				i := s.pos[id]
				switch s.inputs[i].Type {
				case grading.Bool:
					for _, x := range []float64{0, 1} {
						add(i, x, fmt.Sprintf("%s %s: %s %v", cr.Clause, what, id, x == 1), fmt.Sprintf("%s %s — %v", cr.Clause, what, x == 1))
					}
				default:
					for _, t := range []float64{c.Interval.Lo, c.Interval.Hi} {
						if !math.IsInf(t, 0) {
							around(cr, what, i, t)
						}
					}
				}
			}
		case grading.OpExpr:
			tree, err := parser.Parse(c.Written)
			if err != nil {
				return
			}
			var lits []float64
			ast.Find(tree.Node, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.IntegerNode:
					lits = append(lits, float64(n.Value))
				case *ast.FloatNode:
					lits = append(lits, n.Value)
				}
				return false
			})
			m := s.mask(c.InputIDs(r))
			for i := range s.inputs {
				if m&(1<<i) == 0 {
					continue
				}
				switch s.inputs[i].Type {
				case grading.Count, grading.Amount:
					for _, t := range lits {
						around(cr, "expr "+c.Written, i, t)
					}
				default:
					for k := range axis(s.inputs[i], nil) {
						add(i, float64(k), fmt.Sprintf("%s expr %s: %s %v", cr.Clause, c.Written, s.inputs[i].ID, value(s.inputs[i], float64(k))),
							fmt.Sprintf("%s expr %s — %v", cr.Clause, c.Written, value(s.inputs[i], float64(k))))
					}
				}
			}
		}
		for _, k := range c.Kids {
			walk(cr, k)
		}
	}
	for _, cr := range append(slices.Clone(r.Criteria()), r.ScopeCriteria()...) {
		if cr.Cond != nil {
			walk(cr, cr.Cond)
		}
	}
	slices.SortStableFunc(gens, func(a, b *gen) int { return cmp.Or(cmp.Compare(a.input, b.input), cmp.Compare(a.x, b.x)) })
	ctx := context.Background()
	set := CaseSet{}
	none, err := Classify(ctx, r, Facts{})
	if err != nil {
		return CaseSet{}, err
	}
	set.Cases = append(set.Cases, Case{Name: "nothing known", Incident: Facts{}, Outcome: none})
	for _, g := range gens {
		o, err := Classify(ctx, r, g.inc)
		if err != nil {
			return CaseSet{}, fmt.Errorf("analysis: boundary case %s: %w", g.inc, err)
		}
		name := g.name
		if name == "" {
			name = fmt.Sprintf("%s %v", s.inputs[g.input].ID, value(s.inputs[g.input], g.x))
		}
		why := slices.DeleteFunc(g.why, func(w string) bool { return w == "" })
		set.Cases = append(set.Cases, Case{Name: name, Incident: g.inc, Outcome: o, Thresholds: why})
	}
	return set, nil
}

// Mismatch is a case whose outcome is not the one expected.
//
// Concurrency: a plain value; safe to read from several goroutines, not to change while read.
type Mismatch struct {
	Case Case
	Got  Outcome
	Err  error // the incident could not be graded
}

func (m Mismatch) String() string {
	if m.Err != nil {
		return fmt.Sprintf("%s: %s: %v", m.Case.Name, m.Case.Incident, m.Err)
	}
	return fmt.Sprintf("%s: %s: want %s, got %s", m.Case.Name, m.Case.Incident, m.Case.Outcome.describe(), m.Got.describe())
}

// describe renders an outcome with its scope, for mismatches.
func (o Outcome) describe() string {
	s := o.String()
	if o.Level != "" && o.LevelName != "" {
		s += " [" + o.Level + "]"
	}
	if o.InScope != nil {
		if *o.InScope {
			s += ", in scope"
		} else {
			s += ", not in scope"
		}
	}
	return s
}

// Check grades every case with r and returns the ones whose level, deciding
// clause, baseline and provisional flags or scope differ from the
// expected; LevelName and Response are for people and not compared.
func (cs CaseSet) Check(ctx context.Context, r *grading.Rules) []Mismatch {
	var out []Mismatch
	for _, c := range cs.Cases {
		got, err := Classify(ctx, r, c.Incident)
		if err != nil {
			out = append(out, Mismatch{Case: c, Err: err})
			continue
		}
		if !got.same(c.Outcome) {
			out = append(out, Mismatch{Case: c, Got: got})
		}
	}
	return out
}

// Regrade returns the cases with the outcomes r gives them now.
func (cs CaseSet) Regrade(ctx context.Context, r *grading.Rules) (CaseSet, error) {
	out := CaseSet{Plan: cs.Plan, Cases: make([]Case, len(cs.Cases))}
	for i, c := range cs.Cases {
		o, err := Classify(ctx, r, c.Incident)
		if err != nil {
			return CaseSet{}, fmt.Errorf("analysis: case %q: %w", c.Name, err)
		}
		c.Outcome = o
		out.Cases[i] = c
	}
	return out, nil
}

// Merge returns the cases of cs followed by those of extra whose incident
// cs does not have.
func (cs CaseSet) Merge(extra CaseSet) CaseSet {
	out := CaseSet{Plan: cs.Plan, Cases: slices.Clone(cs.Cases)}
	have := map[string]bool{}
	for _, c := range cs.Cases {
		have[c.Incident.String()] = true
	}
	for _, c := range extra.Cases {
		if !have[c.Incident.String()] {
			out.Cases = append(out.Cases, c)
			have[c.Incident.String()] = true
		}
	}
	return out
}

// WriteYAML writes the case set as YAML, with a header saying what it is.
func (cs CaseSet) WriteYAML(w io.Writer) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Classification cases%s: every threshold just below, at and just above,\n", planSuffix(cs.Plan))
	b.WriteString("# with the expected grade, deciding clause and scope. Generated by `yingji cases`;\n")
	b.WriteString("# checked by gradingtest.Check, rewritten with YINGJI_UPDATE_CASES=1.\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(cs); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// planSuffix names the plan in the file's first comment line; the id is
// put on one line, since a line break would end the comment (found by
// FuzzReadCases).
func planSuffix(id string) string {
	id = strings.Join(strings.Fields(id), " ")
	if id == "" {
		return ""
	}
	return " of " + id
}

// WriteJSON writes the case set as indented JSON.
func (cs CaseSet) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(cs)
}

// ReadCases reads a case set written by WriteYAML or WriteJSON (JSON is
// read as YAML). Unknown keys are errors.
func ReadCases(data []byte) (CaseSet, error) {
	var cs CaseSet
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cs); err != nil && err != io.EOF {
		return CaseSet{}, fmt.Errorf("analysis: reading cases: %w", err)
	}
	return cs, nil
}
