// Package bench measures yingji's grading against a hand-written Go
// if-chain (the limit), cel-go and grule-rule-engine, on one seeded
// incident set, after checking that all four compute the same outcome for
// every incident and every boundary case.
//
// The cel-go and grule rule sets are generated from the compiled rules
// (grading.Cond trees), not written by hand, so they grade by the same
// data; the hand-written code is written from the plan text and is the
// independent check on all three. The generated sources are kept under
// testdata/ as golden files.
package bench

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/yingji/yingji/grading"
)

// Outcome is what every engine computes for an incident: the grade (an
// index into Rules.Levels, 0 the most severe), every level criterion that
// holds (bit i is Rules.Criteria()[i]) and every scope criterion that holds
// (bit i is Rules.ScopeCriteria()[i]).
type Outcome struct {
	Level   int8
	Matched uint32
	Scope   uint8
}

// Describe renders o with the criteria's clauses, for test failures.
func (o Outcome) Describe(r *grading.Rules) string {
	var b strings.Builder
	if o.Level >= 0 && int(o.Level) < len(r.Levels()) {
		b.WriteString(r.Levels()[o.Level].Name)
	} else {
		fmt.Fprintf(&b, "level %d", o.Level)
	}
	b.WriteString(" matched [")
	for i, cr := range r.Criteria() {
		if o.Matched&(1<<i) != 0 {
			b.WriteString(" " + cr.Clause)
		}
	}
	b.WriteString(" ] scope [")
	for i, cr := range r.ScopeCriteria() {
		if o.Scope&(1<<i) != 0 {
			b.WriteString(" " + cr.Clause)
		}
	}
	b.WriteString(" ]")
	return b.String()
}

// ToFacts converts a case for the hand-written code.
func ToFacts(c Case) Facts {
	var f Facts
	rank := func(v any, ids ...string) int8 {
		for i, id := range ids {
			if v == id {
				return int8(i)
			}
		}
		panic(fmt.Sprintf("unknown enum value %v", v))
	}
	for k, v := range c {
		switch k {
		case "deaths":
			f.Deaths = v.(int64)
		case "missing":
			f.Missing = v.(int64)
		case "endangered":
			f.Endangered = v.(int64)
		case "seriousInjuries":
			f.SeriousInjuries = v.(int64)
		case "evacuated":
			f.Evacuated = v.(int64)
		case "directLoss":
			f.DirectLoss = v.(float64)
		case "crosses":
			f.Crosses = rank(v, "none", "county", "prefecture", "province")
		case "exceedsCapacityOf":
			f.ExceedsCapacityOf = rank(v, "none", "county", "prefecture", "region")
		case "deemedNecessaryBy":
			f.DeemedNecessaryBy = rank(v, "none", "county", "prefecture", "region")
		case "crossDomain":
			f.CrossDomain = v.(bool)
		case "stateCouncilResponse":
			f.StateCouncilResponse = v.(bool)
		default:
			panic("unknown input " + k)
		}
	}
	return f
}

// ToIncident converts a case for yingji through the public API.
func ToIncident(r *grading.Rules, c Case) (grading.Incident, error) {
	inc := r.NewIncident()
	for _, in := range r.Inputs() {
		if v, ok := c[in.ID]; ok {
			if err := inc.Set(in.ID, v); err != nil {
				return inc, err
			}
		}
	}
	return inc, nil
}

// OutcomeOf reads the outcome from a yingji result.
func OutcomeOf(r *grading.Rules, res *grading.Result) Outcome {
	o := Outcome{Level: -1}
	if l, ok := res.Level(); ok {
		o.Level = int8(l.Rank)
	}
	crits := r.Criteria()
	j := 0
	for m := range res.Matches() {
		for crits[j] != m.Criterion {
			j++
		}
		o.Matched |= 1 << j
	}
	for _, m := range res.ScopeMatched() {
		for i, cr := range r.ScopeCriteria() {
			if cr == m.Criterion {
				o.Scope |= 1 << i
			}
		}
	}
	return o
}

// Yingji grades with yingji's native evaluator.
func Yingji(r *grading.Rules) func(grading.Incident) Outcome {
	ctx := context.Background()
	return func(inc grading.Incident) Outcome {
		res, err := r.Classify(ctx, inc)
		if err != nil {
			panic(err)
		}
		return OutcomeOf(r, &res)
	}
}

// bits turns the bit mask the generated CEL and grule rules compute into an
// outcome: the grade is the level of the first criterion that holds (or the
// baseline), and a scope criterion met through grades holds when the grade
// is one of them. Bits 0–31 are level criteria, 32 and up scope criteria.
type bits struct {
	levelOf  []int8 // per level criterion
	baseline int8
	grades   []uint8 // per scope criterion: bit set of level ranks that put the incident in scope
}

func newBits(r *grading.Rules) (*bits, error) {
	if len(r.Criteria()) > 32 || len(r.ScopeCriteria()) > 8 {
		return nil, fmt.Errorf("bench: the rules have too many criteria for the outcome's bit masks")
	}
	b := &bits{baseline: -1}
	for _, cr := range r.Criteria() {
		b.levelOf = append(b.levelOf, int8(cr.Level.Rank))
	}
	for _, l := range r.Levels() {
		if l.Baseline {
			b.baseline = int8(l.Rank)
		}
	}
	for _, cr := range r.ScopeCriteria() {
		var g uint8
		for _, l := range cr.Grades {
			for rank := 0; rank <= l.Rank; rank++ {
				g |= 1 << rank
			}
		}
		b.grades = append(b.grades, g)
	}
	return b, nil
}

func (b *bits) outcome(mask uint64) Outcome {
	o := Outcome{Level: b.baseline, Matched: uint32(mask)}
	if o.Matched != 0 {
		o.Level = b.levelOf[trailingZeros(o.Matched)]
	}
	o.Scope = uint8(mask >> 32)
	for i, g := range b.grades {
		if g != 0 && o.Level >= 0 && g&(1<<o.Level) != 0 {
			o.Scope |= 1 << i
		}
	}
	return o
}

func trailingZeros(x uint32) int {
	n := 0
	for x&1 == 0 {
		x >>= 1
		n++
	}
	return n
}

// syntax renders a criterion's condition as a boolean expression in
// another engine's language; name renders a quantity.
type syntax struct {
	name   func(q *grading.Quantity) string
	float  func(x float64) string
	or     string
	and    string
	enumEq func(name string, rank int) string
}

func (s syntax) cond(c *grading.Cond) (string, error) {
	switch c.Op {
	case grading.OpAny, grading.OpAll:
		sep := " " + s.or + " "
		if c.Op == grading.OpAll {
			sep = " " + s.and + " "
		}
		parts := make([]string, len(c.Kids))
		for i, k := range c.Kids {
			p, err := s.cond(k)
			if err != nil {
				return "", err
			}
			parts[i] = "(" + p + ")"
		}
		return strings.Join(parts, sep), nil
	case grading.OpAtom:
		q, iv := c.Quantity, c.Interval
		name := s.name(q)
		switch q.Type {
		case grading.Enum:
			if math.IsInf(iv.Hi, 1) {
				return fmt.Sprintf("%s >= %d", name, int(iv.Lo)), nil
			}
			return s.enumEq(name, int(iv.Lo)), nil
		case grading.Bool:
			if iv.Lo == 1 {
				return name, nil
			}
			return "!" + name, nil
		}
		var parts []string
		if !math.IsInf(iv.Lo, -1) {
			op := ">"
			if iv.LoIncl {
				op = ">="
			}
			parts = append(parts, fmt.Sprintf("%s %s %s", name, op, s.float(iv.Lo)))
		}
		if !math.IsInf(iv.Hi, 1) {
			op := "<"
			if iv.HiIncl {
				op = "<="
			}
			parts = append(parts, fmt.Sprintf("%s %s %s", name, op, s.float(iv.Hi)))
		}
		if len(parts) == 0 {
			return "true", nil
		}
		return strings.Join(parts, " "+s.and+" "), nil
	}
	return "", fmt.Errorf("bench: cannot translate a %v condition", c.Op)
}

// floatLit writes x so that both CEL and GRL read it as a float.
func floatLit(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

var identRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// fieldName is the Go field of the grule fact that holds input id.
func fieldName(id string) string {
	r := []rune(id)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
