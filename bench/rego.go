package bench

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/yingji/yingji/grading"
)

// RegoSource renders r's grading as a Rego (v1) policy for OPA, the policy
// engine yingji-server is measured against (server/BENCHMARKS.md): package
// yingji.grading, whose rule grade is
//
//	{"level": id, "response": id, "matched": [criterion ids], "scope": [criterion ids], "inScope": bool}
//
// for the incident in input, given as the input contract writes it (counts
// and amounts as numbers, enums by value id, bools). Like the CEL and GRL
// sources it is generated from the compiled rules (the grading.Cond trees),
// not written by hand: an unknown input is taken at its least value, as
// yingji takes it; a criterion holds when its condition does; the grade is
// the most severe level with a criterion that holds, else the baseline; a
// scope criterion met through grades holds at those levels and above.
// Rego has no "or" operator, so an any: of a condition becomes one rule
// body per branch (a helper rule where it is nested in an all:).
func RegoSource(r *grading.Rules) (string, error) {
	g := &regoGen{r: r}
	var b strings.Builder
	b.WriteString("# Generated from the compiled grading rules by bench.RegoSource; do not edit.\n")
	b.WriteString("# OPA answers POST /v1/data/yingji/grading/grade {\"input\": {…incident…}}.\n")
	b.WriteString("package yingji.grading\n\n")
	b.WriteString("# The facts; an unknown one at its least value.\n")
	for _, in := range r.Inputs() {
		if in.Context {
			continue
		}
		switch in.Type {
		case grading.Enum:
			var ranks []string
			for i, v := range in.Values {
				ranks = append(ranks, fmt.Sprintf("%q: %d", v.ID, i))
			}
			fmt.Fprintf(&b, "%s := {%s}[object.get(input, %q, %q)]\n", in.ID, strings.Join(ranks, ", "), in.ID, in.Values[0].ID)
		case grading.Bool:
			fmt.Fprintf(&b, "%s := object.get(input, %q, false)\n", in.ID, in.ID)
		default:
			fmt.Fprintf(&b, "%s := object.get(input, %q, 0)\n", in.ID, in.ID)
		}
	}
	b.WriteString("\n# Every level criterion that holds, by id.\n")
	for _, cr := range r.Criteria() {
		if err := g.criterion(&b, "matched", cr); err != nil {
			return "", err
		}
	}
	baseline := -1
	var levels []string
	for _, l := range r.Levels() {
		if l.Baseline {
			baseline = l.Rank
		}
		levels = append(levels, fmt.Sprintf("{\"id\": %q, \"response\": %q}", l.ID, l.Response.ID))
	}
	if baseline < 0 {
		return "", fmt.Errorf("bench: the rules have no baseline level")
	}
	b.WriteString("criterion_rank := {")
	for i, cr := range r.Criteria() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q: %d", cr.ID, cr.Level.Rank)
	}
	b.WriteString("}\n\n")
	fmt.Fprintf(&b, "levels := [%s]\n\n", strings.Join(levels, ", "))
	fmt.Fprintf(&b, "# The grade: the most severe level with a criterion that holds, else the baseline.\ndefault rank := %d\n\n", baseline)
	b.WriteString("rank := min({criterion_rank[c] | some c in matched}) if count(matched) > 0\n\n")
	b.WriteString("# Every scope criterion that holds.\n")
	for _, cr := range r.ScopeCriteria() {
		if cr.Cond != nil {
			if err := g.criterion(&b, "scope", cr); err != nil {
				return "", err
			}
			continue
		}
		most := -1
		for _, l := range cr.Grades {
			most = max(most, l.Rank)
		}
		if most >= 0 {
			fmt.Fprintf(&b, "scope contains %q if rank <= %d\n", cr.ID, most)
		}
	}
	b.WriteString("\ngrade := {\"level\": levels[rank].id, \"response\": levels[rank].response, \"matched\": sort(matched), \"scope\": sort(scope), \"inScope\": count(scope) > 0}\n")
	if len(g.helpers) > 0 {
		b.WriteString("\n# The any: conditions nested in an all:.\n")
		b.WriteString(strings.Join(g.helpers, ""))
	}
	return b.String(), nil
}

type regoGen struct {
	r       *grading.Rules
	helpers []string
}

// criterion writes the rules of one criterion into set: one body per
// branch of a top-level any:.
func (g *regoGen) criterion(b *strings.Builder, set string, cr *grading.Criterion) error {
	branches := []*grading.Cond{cr.Cond}
	if cr.Cond.Op == grading.OpAny {
		branches = cr.Cond.Kids
	}
	for _, c := range branches {
		body, err := g.body(c)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "%s contains %q if {\n\t%s\n}\n\n", set, cr.ID, strings.Join(body, "\n\t"))
	}
	return nil
}

// body renders c as the expressions of one rule body, all of which must
// hold.
func (g *regoGen) body(c *grading.Cond) ([]string, error) {
	switch c.Op {
	case grading.OpAll:
		var out []string
		for _, k := range c.Kids {
			e, err := g.body(k)
			if err != nil {
				return nil, err
			}
			out = append(out, e...)
		}
		return out, nil
	case grading.OpAny:
		name := fmt.Sprintf("any_%d", len(g.helpers))
		g.helpers = append(g.helpers, "") // reserve the name
		var rules strings.Builder
		for _, k := range c.Kids {
			e, err := g.body(k)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&rules, "%s if {\n\t%s\n}\n\n", name, strings.Join(e, "\n\t"))
		}
		g.helpers[len(g.helpers)-1] = rules.String()
		return []string{name}, nil
	case grading.OpAtom:
		return g.atom(c)
	}
	return nil, fmt.Errorf("bench: cannot translate a %v condition to Rego", c.Op)
}

func (g *regoGen) atom(c *grading.Cond) ([]string, error) {
	q, iv := c.Quantity, c.Interval
	name := q.ID
	if q.Expr != "" {
		name = "(" + q.Expr + ")"
	}
	switch q.Type {
	case grading.Enum:
		if math.IsInf(iv.Hi, 1) {
			return []string{fmt.Sprintf("%s >= %d", name, int(iv.Lo))}, nil
		}
		return []string{fmt.Sprintf("%s == %d", name, int(iv.Lo))}, nil
	case grading.Bool:
		if iv.Lo == 1 {
			return []string{name}, nil
		}
		return []string{"not " + name}, nil
	}
	var out []string
	if !math.IsInf(iv.Lo, -1) {
		op := ">"
		if iv.LoIncl {
			op = ">="
		}
		out = append(out, fmt.Sprintf("%s %s %s", name, op, strconv.FormatFloat(iv.Lo, 'f', -1, 64)))
	}
	if !math.IsInf(iv.Hi, 1) {
		op := "<"
		if iv.HiIncl {
			op = "<="
		}
		out = append(out, fmt.Sprintf("%s %s %s", name, op, strconv.FormatFloat(iv.Hi, 'f', -1, 64)))
	}
	if len(out) == 0 {
		out = append(out, "true")
	}
	return out, nil
}
