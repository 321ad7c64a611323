package grading_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

// differentialN is how many generated incidents TestDifferential grades
// both ways per plan. The issue asks for a million; that takes seconds
// alone and far longer under -race, so CI runs 50,000 and bench/run sets
// YINGJI_DIFFERENTIAL_N=1000000.
func differentialN(t *testing.T) int {
	if s := os.Getenv("YINGJI_DIFFERENTIAL_N"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(t, err, "YINGJI_DIFFERENTIAL_N")
		return n
	}
	if testing.Short() {
		return 5_000
	}
	return 50_000
}

// TestDifferential checks that the native evaluator (Classify) and the
// expr programs (ClassifyExpr) give the same grade and the same matched
// criteria for every boundary case of every embedded plan and for
// generated incidents biased towards the thresholds.
func TestDifferential(t *testing.T) {
	n := differentialN(t)
	ctx := context.Background()
	for _, id := range yingji.EmbeddedIDs() {
		t.Run(id, func(t *testing.T) {
			p, err := yingji.Embedded(id)
			require.NoError(t, err)
			r := p.Grading
			require.True(t, r.Native(), "every criterion of %s should be evaluated natively", id)
			g := newDiffGen(r, 6)
			counts := make([]int, len(r.Levels()))
			check := func(kind string, inc grading.Incident) bool {
				native, err := r.Classify(ctx, inc)
				require.NoError(t, err)
				viaExpr, err := r.ClassifyExpr(ctx, inc)
				require.NoError(t, err)
				nl, nok := native.Level()
				el, eok := viaExpr.Level()
				nm, em := matchedIDs(&native), matchedIDs(&viaExpr)
				if nok != eok || nl != el || !slices.Equal(nm, em) {
					return assert.Fail(t, "native and expr disagree",
						"%s incident %s\nnative: %s %v\nexpr:   %s %v", kind, describe(r, &inc), levelName(nl), nm, levelName(el), em)
				}
				if nok {
					counts[nl.Rank]++
				}
				return true
			}
			bounds := g.boundaries()
			for _, inc := range bounds {
				if !check("boundary", inc) {
					return
				}
			}
			// Accept generated incidents in equal shares per level, so
			// that every level's criteria and boundaries are exercised.
			quota := make([]int, len(r.Levels()))
			for i := range quota {
				quota[i] = (n + len(quota) - 1 - i) / len(quota)
			}
			for accepted := 0; accepted < n; {
				inc := g.next()
				res, err := r.Classify(ctx, inc)
				require.NoError(t, err)
				l, ok := res.Level()
				if !ok || quota[l.Rank] == 0 {
					continue
				}
				quota[l.Rank]--
				accepted++
				if !check("generated", inc) {
					return
				}
			}
			var parts []string
			for _, l := range r.Levels() {
				parts = append(parts, fmt.Sprintf("%s %d", l.Name, counts[l.Rank]))
			}
			t.Logf("%s: %d boundary cases and %d generated incidents agree; by level: %s", id, len(bounds), n, strings.Join(parts, ", "))
		})
	}
}

func matchedIDs(res *grading.Result) []string {
	var ids []string
	for m := range res.Matches() {
		ids = append(ids, m.Criterion.ID)
	}
	return ids
}

func levelName(l *grading.Level) string {
	if l == nil {
		return "(none)"
	}
	return l.Name
}

func describe(r *grading.Rules, inc *grading.Incident) string {
	var parts []string
	for _, in := range r.Inputs() {
		if v, ok := inc.Value(in.ID); ok {
			parts = append(parts, fmt.Sprintf("%s=%v", in.ID, v))
		}
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// diffGen generates incidents from the rules' own thresholds: each input
// is unknown or takes a bound of an atom that reads it (directly or
// through a derived sum), one either side of it, or a value anywhere up to
// twice the largest bound. How many inputs are known varies from none to
// all, which spreads the incidents over every level.
type diffGen struct {
	r      *grading.Rules
	rng    *rand.Rand
	inputs []*grading.Input
	points map[string][]float64 // per input
	sums   []diffSum
}

type diffSum struct {
	terms  []string
	points []float64
}

func newDiffGen(r *grading.Rules, seed uint64) *diffGen {
	g := &diffGen{r: r, rng: rand.New(rand.NewPCG(seed, seed+1)), points: map[string][]float64{}}
	for _, in := range r.Inputs() {
		if !in.Context {
			g.inputs = append(g.inputs, in)
		}
	}
	bySum := map[*grading.Quantity]*diffSum{}
	var walk func(c *grading.Cond)
	walk = func(c *grading.Cond) {
		if c == nil {
			return
		}
		if c.Op == grading.OpAtom && (c.Quantity.Type == grading.Count || c.Quantity.Type == grading.Amount) {
			for _, x := range []float64{c.Interval.Lo, c.Interval.Hi} {
				if math.IsInf(x, 0) {
					continue
				}
				ids := c.Quantity.InputIDs(r)
				for _, id := range ids {
					if !slices.Contains(g.points[id], x) {
						g.points[id] = append(g.points[id], x)
					}
				}
				if len(ids) > 1 {
					s := bySum[c.Quantity]
					if s == nil {
						s = &diffSum{terms: ids}
						bySum[c.Quantity] = s
					}
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
	for _, q := range r.Quantities() {
		if s := bySum[q]; s != nil {
			g.sums = append(g.sums, *s)
		}
	}
	for _, p := range g.points {
		slices.Sort(p)
	}
	return g
}

func (g *diffGen) set(inc *grading.Incident, in *grading.Input, x float64) {
	var v any = x
	switch in.Type {
	case grading.Enum:
		v = in.Values[int(x)].ID
	case grading.Bool:
		v = x == 1
	}
	if err := inc.Set(in.ID, v); err != nil {
		panic(err)
	}
}

func (g *diffGen) number(in *grading.Input) float64 {
	pts := g.points[in.ID]
	if len(pts) == 0 || g.rng.IntN(4) == 0 {
		top := 10.0
		if len(pts) > 0 {
			top = 2 * pts[len(pts)-1]
		}
		x := math.Expm1(g.rng.Float64() * math.Log1p(top))
		if in.Type == grading.Count {
			x = math.Floor(x)
		}
		return x
	}
	x := pts[g.rng.IntN(len(pts))] + float64(g.rng.IntN(3)-1)
	if in.Type == grading.Amount && g.rng.IntN(4) == 0 {
		x += []float64{-0.5, -0.01, 0.01, 0.5}[g.rng.IntN(4)]
	}
	return max(0, x)
}

func (g *diffGen) next() grading.Incident {
	inc := g.r.NewIncident()
	k := g.rng.IntN(len(g.inputs) + 1)
	for _, i := range g.rng.Perm(len(g.inputs))[:k] {
		in := g.inputs[i]
		switch in.Type {
		case grading.Count, grading.Amount:
			g.set(&inc, in, g.number(in))
		case grading.Enum:
			g.set(&inc, in, float64(g.rng.IntN(len(in.Values))))
		case grading.Bool:
			g.set(&inc, in, float64(g.rng.IntN(2)))
		}
	}
	for _, s := range g.sums {
		if g.rng.IntN(2) == 0 {
			continue
		}
		total := max(0, s.points[g.rng.IntN(len(s.points))]+float64(g.rng.IntN(3)-1))
		for i, id := range s.terms {
			in, _ := g.r.Input(id)
			part := total
			if i < len(s.terms)-1 {
				part = math.Floor(g.rng.Float64() * (total + 1))
			}
			total -= part
			g.set(&inc, in, part)
		}
	}
	return inc
}

// boundaries is every input alone at every bound that reads it and one
// either side, with the other inputs unknown and again known at their
// least severe value; every enum value and bool; every sum on its bounds
// split between its terms.
func (g *diffGen) boundaries() []grading.Incident {
	var out []grading.Incident
	zero := g.r.NewIncident()
	for _, in := range g.inputs {
		g.set(&zero, in, 0)
	}
	add := func(in *grading.Input, x float64) {
		for _, base := range []grading.Incident{g.r.NewIncident(), zero} {
			g.set(&base, in, x)
			out = append(out, base)
		}
	}
	for _, in := range g.inputs {
		switch in.Type {
		case grading.Count, grading.Amount:
			for _, p := range g.points[in.ID] {
				for _, d := range []float64{-1, 0, 1} {
					if p+d >= 0 {
						add(in, p+d)
					}
				}
			}
		case grading.Enum:
			for i := range in.Values {
				add(in, float64(i))
			}
		case grading.Bool:
			add(in, 0)
			add(in, 1)
		}
	}
	for _, s := range g.sums {
		for _, p := range s.points {
			for _, d := range []float64{-1, 0, 1} {
				total := p + d
				if total < 0 {
					continue
				}
				for _, first := range []float64{0, 1, math.Floor(total / 2), total} {
					if first > total {
						continue
					}
					inc := g.r.NewIncident()
					rest := total - first
					for i, id := range s.terms {
						in, _ := g.r.Input(id)
						x := rest / float64(len(s.terms)-1)
						if i == 0 {
							x = first
						}
						if in.Type == grading.Count {
							x = math.Floor(x)
						}
						g.set(&inc, in, x)
					}
					out = append(out, inc)
				}
			}
		}
	}
	return out
}

// escapeKeys writes every key of a flat JSON object with its first letter
// as a \u escape, which means the same to any JSON decoder but sends
// ParseIncident down its general path: the reference for the fast one.
func escapeKeys(line []byte) []byte {
	return keyRE.ReplaceAllFunc(line, func(k []byte) []byte {
		return []byte(fmt.Sprintf(`"\u%04x%s":`, k[1], k[2:len(k)-2]))
	})
}

var keyRE = regexp.MustCompile(`"[A-Za-z][A-Za-z0-9_]*":`)

// sameParse checks that ParseIncident gives the same incident, or the same
// error, for line and for its escaped-key twin.
func sameParse(t *testing.T, r *grading.Rules, line []byte) bool {
	t.Helper()
	got, gotErr := r.ParseIncident(line)
	want, wantErr := r.ParseIncident(escapeKeys(line))
	if wantErr != nil || gotErr != nil {
		// The same problems of the same fields; the positions in the
		// messages differ, since escaping the keys lengthens the line.
		return assert.Equal(t, problemKeys(wantErr), problemKeys(gotErr), "%s", line)
	}
	for _, in := range r.Inputs() {
		wv, wok := want.Value(in.ID)
		gv, gok := got.Value(in.ID)
		if !assert.Equal(t, wok, gok, "%s: %s known", line, in.ID) || !assert.Equal(t, wv, gv, "%s: %s", line, in.ID) {
			return false
		}
		if x, ok := gv.(float64); ok && math.Signbit(x) != math.Signbit(wv.(float64)) {
			return assert.Fail(t, "sign of zero differs", "%s: %s", line, in.ID)
		}
	}
	return assert.Equal(t, want.Lists(), got.Lists(), "%s: lists", line)
}

// problemKeys lists the code and field of each problem of err.
func problemKeys(err error) []string {
	var out []string
	for _, p := range diag.ProblemsOf(err) {
		out = append(out, p.Code+" "+p.Field)
	}
	return out
}

// parseCases are incidents at the edges of what the fast decoder takes:
// the ones it must decline are graded or refused by the general path.
var parseCases = []string{
	`{}`, ` { } `, "\t{\"deaths\":3}\r\n", `{"deaths":3,"missing":null}`, `{"deaths":null}`,
	`{"deaths":-0}`, `{"deaths":0.0}`, `{"deaths":1e2}`, `{"deaths":1E+2}`, `{"deaths":3.5}`,
	`{"deaths":-1}`, `{"deaths":01}`, `{"deaths":1.}`, `{"deaths":.5}`, `{"deaths":+1}`, `{"deaths":1e}`,
	`{"deaths":999999999999999}`, `{"deaths":1000000000000000}`, `{"deaths":1000000000000001}`,
	`{"deaths":1e400}`, `{"directLoss":1e15}`, `{"directLoss":0.01}`, `{"directLoss":12345.678}`,
	`{"directLoss":"5000万"}`, `{"directLoss":"1.2亿元"}`, `{"directLoss":"abc"}`, `{"directLoss":""}`,
	`{"directLoss":"-5万"}`, `{"deaths":"3"}`, `{"deaths":true}`, `{"crossDomain":1}`, `{"crossDomain":true}`,
	`{"crossDomain":false}`, `{"crossDomain":nul}`, `{"crosses":"county"}`, `{"crosses":"County"}`,
	`{"crosses":"prefecture","exceedsCapacityOf":"region"}`, `{"crosses":3}`, `{"crosses":"count\u0079"}`,
	`{"deaths":3,"deaths":4}`, `{"deaths":3,"dEaths":4}`, `{"deths":3}`, `{"deaths":3}}`, `{"deaths":3} x`,
	`{"deaths":3,}`, `{"deaths" 3}`, `{"deaths":3`, `[]`, `null`, `3`, `"x"`, ``, `{"deaths":{}}`,
	`{"deaths":[3]}`, `{"industries":[]}`, `{"industries":["mining"]}`, `{"industries":["mining","chemicals"],"localities":["changji"]}`,
	`{"localities":["呼图壁县"],"industries":["mining"]}`, `{"industries":[1]}`, `{"industries":"mining"}`,
	`{"industries":null}`, `{"industries":["a"],"industries":["b"]}`, `{"industries":["a",]}`,
	`{""A0000":00000000`, "{\"crosses\":\"none\xff\"}", "{\"directLoss\":\"5000\xe4\xb8万\"}", "{\"crosses\":\"no\tne\"}",
	`{"deaths":3,"missing":2,"endangered":40,"seriousInjuries":0,"evacuated":1000,"directLoss":50000000,"crosses":"none","crossDomain":true,"exceedsCapacityOf":"none","deemedNecessaryBy":"county","stateCouncilResponse":false}`,
}

// TestParseIncidentFastPath checks that the fast decoder and the general
// one agree on every edge case and on generated incidents.
func TestParseIncidentFastPath(t *testing.T) {
	for _, id := range yingji.EmbeddedIDs() {
		t.Run(id, func(t *testing.T) {
			p, err := yingji.Embedded(id)
			require.NoError(t, err)
			r := p.Grading
			for _, c := range parseCases {
				checkParse(t, r, []byte(c))
			}
			g := newDiffGen(r, 7)
			for range 2000 {
				inc := g.next()
				line, err := json.Marshal(incidentMap(r, &inc))
				require.NoError(t, err)
				if !sameParse(t, r, line) {
					return
				}
			}
		})
	}
}

func incidentMap(r *grading.Rules, inc *grading.Incident) map[string]any {
	m := map[string]any{}
	for _, in := range r.Inputs() {
		if v, ok := inc.Value(in.ID); ok {
			m[in.ID] = v
		}
	}
	return m
}

func FuzzParseIncidentFastPath(f *testing.F) {
	for _, c := range parseCases {
		f.Add([]byte(c))
	}
	p, err := yingji.Default()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, line []byte) {
		checkParse(t, p.Grading, line)
	})
}

// checkParse compares the fast decoder with the general one on line. Where
// encoding/json cannot read line as an object, escapeKeys may change what
// the line means, so there it checks only that the line is refused.
func checkParse(t *testing.T, r *grading.Rules, line []byte) bool {
	t.Helper()
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(line))
	if json.Valid(line) || dec.Decode(&obj) == nil && obj != nil && !dec.More() {
		return sameParse(t, r, line)
	}
	_, err := r.ParseIncident(line)
	return assert.Error(t, err, "%q", line)
}

// TestJSONEncoder checks that JSONEncoder writes exactly what
// Result.MarshalJSON writes, for the boundary cases and generated
// incidents of every embedded plan, and that it takes its fast path.
func TestJSONEncoder(t *testing.T) {
	ctx := context.Background()
	for _, id := range yingji.EmbeddedIDs() {
		t.Run(id, func(t *testing.T) {
			p, err := yingji.Embedded(id)
			require.NoError(t, err)
			r := p.Grading
			enc := grading.NewJSONEncoder(r)
			g := newDiffGen(r, 8)
			incs := g.boundaries()
			for range 5000 {
				incs = append(incs, g.next())
			}
			var buf []byte
			for _, inc := range incs {
				res, err := r.Classify(ctx, inc)
				require.NoError(t, err)
				want, err := res.MarshalJSON()
				require.NoError(t, err)
				buf, err = enc.Append(buf[:0], &res)
				require.NoError(t, err)
				if !assert.Equal(t, string(want), string(buf), "incident %s", describe(r, &inc)) {
					return
				}
			}
			res, err := r.Classify(ctx, incs[len(incs)-1])
			require.NoError(t, err)
			// The fast path allocates only what Because does.
			crits := res.Matched()
			crits = append(crits, res.ScopeMatched()...)
			because := testing.AllocsPerRun(100, func() {
				for _, m := range crits {
					_ = res.Because(m.Criterion)
				}
			})
			fast := testing.AllocsPerRun(100, func() { buf, _ = enc.Append(buf[:0], &res) })
			slow := testing.AllocsPerRun(100, func() { _, _ = res.MarshalJSON() })
			// A fallback costs what MarshalJSON does; the fast path costs
			// what Because does, give or take the odd allocation the race
			// detector or a buffer's growth adds (seen: 37 against 36).
			assert.LessOrEqual(t, fast, because+4, "JSONEncoder fell back to MarshalJSON: its fragments no longer match MarshalJSON's output")
			assert.Less(t, fast, slow, "JSONEncoder fell back to MarshalJSON")
		})
	}
}

func ExampleJSONEncoder() {
	p, err := yingji.Default()
	if err != nil {
		panic(err)
	}
	r := p.Grading
	enc := grading.NewJSONEncoder(r) // once per rule set; safe for concurrent use
	inc, err := r.ParseIncident([]byte(`{"deaths": 12}`))
	if err != nil {
		panic(err)
	}
	res, err := r.Classify(context.Background(), inc)
	if err != nil {
		panic(err)
	}
	line, err := enc.Append(nil, &res) // the same bytes as res.MarshalJSON()
	if err != nil {
		panic(err)
	}
	var out struct{ Level, Response string }
	if err := json.Unmarshal(line, &out); err != nil {
		panic(err)
	}
	fmt.Println(out.Level, out.Response)
	// Output: serious II
}
