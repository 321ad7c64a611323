package grading

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// aliasPlan has a quantity that is one input (dead: deaths) beside the
// input itself, read at a less severe level, and a sum of amounts.
const aliasPlan = `
inputs:
  - {id: deaths, type: count, unit: 人}
  - {id: missing, type: count, unit: 人}
  - {id: lossA, type: amount, unit: 元}
  - {id: lossB, type: amount, unit: 元}
  - {id: crosses, type: enum, values: [{id: none}, {id: county}, {id: province}]}
quantities:
  - {id: dead, expr: deaths}
  - {id: loss, expr: lossA + lossB}
levels:
  - id: high
    name: 高
    criteria:
      - {clause: "1", when: {deaths: 30 人以上}}
      - {clause: "2", when: {loss: 1亿元以上}}
      - {clause: "3", when: {crosses: province}}
  - id: mid
    name: 中
    criteria:
      - {clause: "4", when: {dead: 3 人以上、30 人以下}}
      - {clause: "5", when: {any: [{missing: 10 人以上}, {crosses: county}]}}
  - {id: low, name: 低, baseline: true}
scope:
  criteria:
    - {clause: "s", when: {deaths: 10 人以上}}
`

// compileRules compiles an embedded plan's grading.yaml, or the alias
// plan.
func compileRules(t *testing.T, id string) *Rules {
	t.Helper()
	if id != "alias" {
		return compileEmbedded(t, id)
	}
	r, ds := Compile("grading.yaml", []byte(aliasPlan))
	require.False(t, ds.HasErrors(), "%v", ds)
	return r
}

// treeOnly is r graded by the tree evaluator alone: every criterion kept
// as its condition tree, none in the compact segment index.
func treeOnly(t *testing.T, id string) *Rules {
	r := compileRules(t, id)
	for i, cr := range r.criteria {
		r.flatCrits[i].tree = cr.Cond
	}
	for j, cr := range r.scope {
		r.flatScope[j].tree = cr.Cond
	}
	r.flat = false
	r.nums, r.members, r.groupTable, r.singleInputs = nil, nil, nil, 0
	return r
}

// TestCompactIndexAgreesWithTrees: Classify's compact segment index and
// the tree evaluator give the same Result — grade, ceiling, matched and
// provisional criteria, scope, and what each unknown input could reach —
// on incidents near every threshold with about a third of the inputs
// unknown.
func TestCompactIndexAgreesWithTrees(t *testing.T) {
	ctx := context.Background()
	for _, id := range []string{"changji-2025", "national-493", "alias"} {
		fast, slow := compileRules(t, id), treeOnly(t, id)
		require.True(t, fast.flat)
		var points = map[int][]float64{}
		for _, s := range fast.segments {
			for _, c := range s.cuts {
				for _, in := range fast.inputs {
					if in.index >= 0 && s.refs&(1<<in.index) != 0 {
						points[in.index] = append(points[in.index], c-1, c, c+1, c/2)
					}
				}
			}
		}
		rng := rand.New(rand.NewPCG(15, 10))
		for n := range 20000 {
			a, b := fast.NewIncident(), slow.NewIncident()
			for _, in := range fast.inputs {
				if in.index < 0 || rng.IntN(3) == 0 {
					continue
				}
				var x float64
				switch in.Type {
				case Enum:
					x = float64(rng.IntN(len(in.Values)))
				case Bool:
					x = float64(rng.IntN(2))
				default:
					if ps := points[in.index]; len(ps) > 0 && rng.IntN(4) > 0 {
						x = max(ps[rng.IntN(len(ps))], 0)
					} else {
						x = float64(rng.IntN(200_000_000))
					}
					if in.Type == Count {
						x = float64(int64(x))
					} else if rng.IntN(4) == 0 {
						x += 0.1 // not a float64: sums of such round
					}
				}
				a.setVal(in.index, x)
				a.known |= 1 << in.index
				b.setVal(in.index, x)
				b.known |= 1 << in.index
			}
			ra, err := fast.Classify(ctx, a)
			require.NoError(t, err)
			rb, err := slow.Classify(ctx, b)
			require.NoError(t, err)
			ra.rules, rb.rules = nil, nil
			ra.inc.layout, rb.inc.layout = nil, nil
			require.Equal(t, rb, ra, "%s incident %d", id, n)
		}
	}
}
