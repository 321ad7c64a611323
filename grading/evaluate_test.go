package grading_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
)

// point is a point of r's input space from the values set (enums by
// value id, bools as bools); every other graded input is at its least
// severe value.
func point(t *testing.T, r *grading.Rules, set kv) []float64 {
	t.Helper()
	var pt []float64
	for _, in := range r.Inputs() {
		if in.Type == grading.List {
			continue
		}
		x := 0.0
		switch v := set[in.ID].(type) {
		case int:
			x = float64(v)
		case float64:
			x = v
		case string:
			rank, ok := in.Rank(v)
			require.True(t, ok, "%s has no value %s", in.ID, v)
			x = float64(rank)
		case bool:
			if v {
				x = 1
			}
		}
		pt = append(pt, x)
	}
	return pt
}

// Holds, at points of the Changji input space, says of every level and
// scope criterion what the text says of it; the deciding level of each
// point is the one Classify gives.
func TestEvaluateHolds(t *testing.T) {
	r := clRules(t, "changji-2025")
	tests := []struct {
		name  string
		set   kv
		holds []string // level and scope criteria whose condition holds
		level string
	}{{
		// 一般 (1) is an any: of 3 人以下死亡, 10 人以下重伤 and 1000 万元以下:
		// with the other facts at 0 it holds at every point below.
		name: "1.5 一般 (1): nothing recorded is 3 人以下死亡",
		set:  kv{}, holds: []string{g1}, level: lvG,
	}, {
		name: "1.5 重大 (1) and 1.3 (1): 10 deaths is 10 人以上、30 人以下死亡（含失踪）",
		set:  kv{"deaths": 10}, holds: []string{s1, g1, sc1}, level: lvS,
	}, {
		name: "1.5 较大 (1) and 1.3 (1): 2 deaths and 1 missing is 3 人以上死亡（含失踪）",
		set:  kv{"deaths": 2, "missing": 1}, holds: []string{r1, g1, sc1}, level: lvR,
	}, {
		name: "1.5 较大 (1) and 重大 (1) both name 危及 10 人; 1.3 (1) from 危及 3",
		set:  kv{"endangered": 10}, holds: []string{s1, r1, g1, sc1}, level: lvS,
	}, {
		name: "1.5 特别重大 (4): crossing provinces; 重大 (4) and 较大 (4) by rank; 1.3 (2) 跨县市行政区",
		set:  kv{"crosses": "province"}, holds: []string{es4, s4, r4, g1, sc2}, level: lvES,
	}, {
		name: "1.3 (1) from 10 中毒（重伤）; 1.5 较大 (1) only from 30",
		set:  kv{"seriousInjuries": 10}, holds: []string{g1, sc1}, level: lvG,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inc, err := r.IncidentAt(point(t, r, tc.set))
			require.NoError(t, err)
			e, err := r.Evaluate(inc)
			require.NoError(t, err)
			var got []string
			for _, cr := range append(append([]*grading.Criterion(nil), r.Criteria()...), r.ScopeCriteria()...) {
				if cr.Cond != nil && e.Holds(cr.Cond) { // 1.3 (3) has grades:, no condition
					got = append(got, cr.Clause)
				}
			}
			assert.ElementsMatch(t, tc.holds, got)

			res, err := r.Classify(context.Background(), inc)
			require.NoError(t, err)
			clAssertLevel(t, &res, tc.level)
			var matched []string
			for _, m := range res.Matched() {
				matched = append(matched, m.Criterion.Clause)
				assert.True(t, e.Holds(m.Criterion.Cond), "Classify matched %s", m.Criterion.Clause)
			}
			assert.Subset(t, got, matched)
		})
	}
}

func TestIncidentAt(t *testing.T) {
	r := clRules(t, "changji-2025")
	zero := point(t, r, kv{})

	t.Run("a point between whole numbers and past 10^15 is allowed", func(t *testing.T) {
		pt := point(t, r, kv{"deaths": 2.5, "directLoss": 1e16})
		inc, err := r.IncidentAt(pt)
		require.NoError(t, err)
		v, ok := inc.Value("deaths")
		assert.True(t, ok)
		assert.Equal(t, 2.5, v)
		assert.True(t, inc.Known("crossDomain"), "every graded input is known")
		assert.False(t, inc.Known("industries"), "lists are not part of a point")
	})
	for _, tc := range []struct {
		name string
		pt   []float64
	}{
		{"one value short", zero[1:]},
		{"crosses has four values, ranks 0–3", point(t, r, kv{"crosses": 4})},
		{"crossDomain is 0 or 1", point(t, r, kv{"crossDomain": 0.5})},
		{"NaN", point(t, r, kv{"deaths": math.NaN()})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.IncidentAt(tc.pt)
			assert.True(t, errors.Is(err, grading.ErrBadInput), "%v", err)
		})
	}
}

func TestDisjuncts(t *testing.T) {
	p, err := yingji.Load(fstest.MapFS{
		"plan.yaml": {Data: []byte("id: synthetic\ntitle: 合成预案\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
		"grading.yaml": {Data: []byte(`inputs:
  - {id: deaths, type: count, unit: 人}
  - {id: missing, type: count, unit: 人}
  - {id: loss, type: amount, unit: 元}
  - {id: crosses, type: enum, values: [{id: none}, {id: county}, {id: prefecture}]}
quantities:
  - {id: deathsAndMissing, expr: deaths + missing}
levels:
  - id: serious
    name: 重大
    criteria:
      - {clause: "S (1)", when: {expr: 'deathsAndMissing >= 10 || loss >= 50000000 or atLeast(crosses, "prefecture")'}}
      - {clause: "S (2)", when: {expr: 'deaths >= 30 && missing >= 1'}}
      - {clause: "S (3)", when: {any: [{deaths: 50 人以上}, {loss: 1 亿元以上}]}}
  - id: general
    name: 一般
    baseline: true
`)},
	})
	require.NoError(t, err)
	r := p.Grading
	cr := r.Criteria()

	t.Run("S (1) splits at each top-level || and or", func(t *testing.T) {
		ds, err := r.Disjuncts(cr[0].Cond)
		require.NoError(t, err)
		require.Len(t, ds, 3)
		assert.Equal(t, "deathsAndMissing >= 10", ds[0].Written)
		assert.Equal(t, []string{"deaths", "missing"}, ds[0].InputIDs(r))
		assert.Equal(t, []string{"loss"}, ds[1].InputIDs(r))
		assert.Equal(t, []string{"crosses"}, ds[2].InputIDs(r))
		for _, d := range ds {
			assert.Equal(t, grading.OpExpr, d.Op)
			assert.Equal(t, cr[0].Cond.At, d.At)
		}
		for _, tc := range []struct {
			name string
			pt   []float64 // deaths, missing, loss, crosses
			want []bool
		}{
			{"9 deaths and 1 missing are 10", []float64{9, 1, 0, 0}, []bool{true, false, false}},
			{"5000 万 is 50000000", []float64{0, 0, 5e7, 0}, []bool{false, true, false}},
			{"prefecture ranks at least prefecture", []float64{0, 0, 0, 2}, []bool{false, false, true}},
			{"county does not", []float64{0, 0, 0, 1}, []bool{false, false, false}},
		} {
			inc, err := r.IncidentAt(tc.pt)
			require.NoError(t, err)
			e, err := r.Evaluate(inc)
			require.NoError(t, err)
			var got []bool
			anyHolds := false
			for _, d := range ds {
				got = append(got, e.Holds(d))
				anyHolds = anyHolds || e.Holds(d)
			}
			assert.Equal(t, tc.want, got, tc.name)
			assert.Equal(t, e.Holds(cr[0].Cond), anyHolds, "%s: S (1) holds when one of its alternatives does", tc.name)
		}
	})
	t.Run("S (2), a conjunction, and S (3), an any:, come back whole", func(t *testing.T) {
		for _, c := range []*grading.Cond{cr[1].Cond, cr[2].Cond} {
			ds, err := r.Disjuncts(c)
			require.NoError(t, err)
			assert.Equal(t, []*grading.Cond{c}, ds)
		}
	})
}
