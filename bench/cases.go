package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/yingji/yingji/grading"
)

// Case is one incident as JSON would carry it: input id → value (int64 for
// counts, float64 yuan for amounts, the value id for enums, bool). An input
// that is absent is unknown.
type Case map[string]any

// Seed fixes the incident set: every engine and every run sees the same
// incidents.
const Seed = 20250924

// SetSize is the number of incidents in the benchmark set.
const SetSize = 1000

// Mix is the share of each level in the benchmark set, most severe first:
// most production-safety incidents are 一般, few are 特别重大.
var Mix = [4]int{5, 10, 25, 60}

// thresholds lists, per input, every finite bound of every interval atom
// that reads it, directly or through a derived quantity, over the level and
// the scope criteria. It is read from the rules, so the boundaries follow
// the data.
func thresholds(r *grading.Rules) map[string][]float64 {
	out := map[string][]float64{}
	var walk func(c *grading.Cond)
	walk = func(c *grading.Cond) {
		if c == nil {
			return
		}
		if c.Op == grading.OpAtom && (c.Quantity.Type == grading.Count || c.Quantity.Type == grading.Amount) {
			for _, id := range c.Quantity.InputIDs(r) {
				for _, x := range []float64{c.Interval.Lo, c.Interval.Hi} {
					if !math.IsInf(x, 0) && !slices.Contains(out[id], x) {
						out[id] = append(out[id], x)
					}
				}
			}
		}
		for _, k := range c.Kids {
			walk(k)
		}
	}
	for _, cr := range append(slices.Clone(r.Criteria()), r.ScopeCriteria()...) {
		walk(cr.Cond)
	}
	for id := range out {
		slices.Sort(out[id])
	}
	return out
}

// sums lists the derived quantities that are sums of inputs, with their
// thresholds, so the generator can put a sum (not only its terms) on a
// boundary.
func sums(r *grading.Rules, th map[string][]float64) []sum {
	var out []sum
	for _, q := range r.Quantities() {
		if q.Expr == "" {
			continue
		}
		s := sum{terms: q.InputIDs(r)}
		var walk func(c *grading.Cond)
		walk = func(c *grading.Cond) {
			if c == nil {
				return
			}
			if c.Op == grading.OpAtom && c.Quantity == q {
				for _, x := range []float64{c.Interval.Lo, c.Interval.Hi} {
					if !math.IsInf(x, 0) {
						s.points = append(s.points, x)
					}
				}
			}
			for _, k := range c.Kids {
				walk(k)
			}
		}
		for _, cr := range append(slices.Clone(r.Criteria()), r.ScopeCriteria()...) {
			walk(cr.Cond)
		}
		if len(s.points) > 0 {
			out = append(out, s)
		}
	}
	return out
}

type sum struct {
	terms  []string
	points []float64
}

// Generator makes incidents biased towards the rules' thresholds: most
// numbers sit on a bound or one either side of it, the rest anywhere up
// to twice the largest bound; about one fact in five is unknown.
type Generator struct {
	r    *grading.Rules
	rng  *rand.Rand
	th   map[string][]float64
	sums []sum
}

// NewGenerator returns a generator for r seeded with seed.
func NewGenerator(r *grading.Rules, seed uint64) *Generator {
	th := thresholds(r)
	return &Generator{r: r, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), th: th, sums: sums(r, th)}
}

// Next returns the next incident.
func (g *Generator) Next() Case {
	c := Case{}
	for _, in := range g.r.Inputs() {
		if in.Context || g.rng.IntN(5) == 0 {
			continue
		}
		switch in.Type {
		case grading.Count, grading.Amount:
			c[in.ID] = g.number(in, g.th[in.ID])
		case grading.Enum:
			rank := 0
			if g.rng.IntN(3) == 0 {
				rank = g.rng.IntN(len(in.Values))
			}
			c[in.ID] = in.Values[rank].ID
		case grading.Bool:
			c[in.ID] = g.rng.IntN(8) == 0
		}
	}
	// Put a derived sum on one of its bounds, splitting it between its
	// known terms.
	for _, s := range g.sums {
		if g.rng.IntN(2) == 0 {
			continue
		}
		var known []string
		for _, t := range s.terms {
			if _, ok := c[t]; ok {
				known = append(known, t)
			}
		}
		if len(known) == 0 {
			continue
		}
		total := max(0, s.points[g.rng.IntN(len(s.points))]+float64(g.rng.IntN(3)-1))
		for i, t := range known {
			part := total
			if i < len(known)-1 {
				part = math.Floor(g.rng.Float64() * (total + 1))
			}
			total -= part
			in, _ := g.r.Input(t)
			c[t] = g.typed(in, part)
		}
	}
	return c
}

func (g *Generator) number(in *grading.Input, points []float64) any {
	if len(points) == 0 || g.rng.IntN(10) < 3 {
		top := 10.0
		if len(points) > 0 {
			top = 2 * points[len(points)-1]
		}
		// Log-uniform, so small values are as common as large ones.
		return g.typed(in, math.Floor(math.Expm1(g.rng.Float64()*math.Log1p(top))))
	}
	return g.typed(in, max(0, points[g.rng.IntN(len(points))]+float64(g.rng.IntN(3)-1)))
}

func (g *Generator) typed(in *grading.Input, x float64) any {
	if in.Type == grading.Count {
		return int64(x)
	}
	return x
}

// Incidents returns n incidents from the seeded generator, accepted in the
// proportions of Mix by the grade grade gives them, in a shuffled order.
func Incidents(r *grading.Rules, n int, grade func(Case) int) []Case {
	g := NewGenerator(r, Seed)
	var quota [4]int
	total := 0
	for i, w := range Mix {
		total += w
		quota[i] = n * w / 100
	}
	quota[3] += n - quota[0] - quota[1] - quota[2] - quota[3]
	out := make([]Case, 0, n)
	for len(out) < n {
		c := g.Next()
		if l := grade(c); l >= 0 && l < 4 && quota[l] > 0 {
			quota[l]--
			out = append(out, c)
		}
	}
	g.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// Boundaries returns the boundary cases: every input alone at every bound
// of every atom that reads it and one either side, with the other facts
// unknown and again with them known to be zero; every sum on its bounds,
// split every way between two terms at the bound; every enum value and
// both bools.
func Boundaries(r *grading.Rules) []Case {
	th := thresholds(r)
	var out []Case
	zero := Case{}
	for _, in := range r.Inputs() {
		switch in.Type {
		case grading.Count:
			zero[in.ID] = int64(0)
		case grading.Amount:
			zero[in.ID] = 0.0
		case grading.Enum:
			zero[in.ID] = in.Values[0].ID
		case grading.Bool:
			zero[in.ID] = false
		}
	}
	add := func(id string, v any) {
		out = append(out, Case{id: v})
		c := Case{}
		for k, x := range zero {
			c[k] = x
		}
		c[id] = v
		out = append(out, c)
	}
	g := &Generator{r: r}
	for _, in := range r.Inputs() {
		switch in.Type {
		case grading.Count, grading.Amount:
			for _, p := range th[in.ID] {
				for _, d := range []float64{-1, 0, 1} {
					if p+d >= 0 {
						add(in.ID, g.typed(in, p+d))
					}
				}
			}
		case grading.Enum:
			for _, v := range in.Values {
				add(in.ID, v.ID)
			}
		case grading.Bool:
			add(in.ID, false)
			add(in.ID, true)
		}
	}
	for _, s := range sums(r, th) {
		if len(s.terms) != 2 {
			continue
		}
		a, _ := r.Input(s.terms[0])
		b, _ := r.Input(s.terms[1])
		for _, p := range s.points {
			for _, d := range []float64{-1, 0, 1} {
				total := p + d
				for _, x := range []float64{1, total / 2, total - 1} {
					x = math.Floor(x)
					if total < 0 || x < 0 || x > total {
						continue
					}
					out = append(out, Case{a.ID: g.typed(a, x), b.ID: g.typed(b, total-x)})
				}
			}
		}
	}
	return out
}

// Describe renders a case for test failures, in input order.
func (c Case) Describe(r *grading.Rules) string {
	s := "{"
	for _, in := range r.Inputs() {
		if v, ok := c[in.ID]; ok {
			if len(s) > 1 {
				s += ", "
			}
			s += fmt.Sprintf("%s: %v", in.ID, v)
		}
	}
	return s + "}"
}
