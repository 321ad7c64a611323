package analysis_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/analysis"
	"github.com/yingji/yingji/grading"
)

// The range property: on mutated copies of the Changji grading (levels and
// the 1.3 scope), every range a lint message prints
//
//   - is printed: its text is in the finding's summary or detail;
//   - says what its numbers say: the text, read back by a reader of its
//     own (whole-number "3–9 人", "≥ 10万 人", interval notation for
//     amounts, enum ids), is the set of values of Bounds' numbers;
//   - is the region the analysis computed: the first range is
//     Describe(Region), and the engine itself (Classify) agrees at the
//     range's ends and just past them — a gap is named by no level there
//     and by some level just outside; a non-monotone range and the range
//     below it are graded as the message says, and the range below it is
//     all of that grade; a scope range is in scope and graded below the
//     scope's grades (or the other way round) at both ends.
func TestEveryPrintedRangeIsTheComputedRegion(t *testing.T) {
	base, err := yingji.Default()
	require.NoError(t, err)
	m0 := modelOf(t, base.Grading)
	sc0 := scopeOf(t, base.Grading)
	n := 40
	if testing.Short() {
		n = 10
	}
	var kinds map[string]int = map[string]int{}
	for seed := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), 1405))
		m, sc := m0.clone(), slices.Clone(sc0)
		var did []string
		for range 1 + rng.IntN(4) {
			if rng.IntN(3) == 0 {
				did = append(did, mutateScope(sc, rng))
			} else {
				did = append(did, m.mutate(rng))
			}
		}
		t.Run(fmt.Sprintf("seed %d: %s", seed, strings.Join(did, "; ")), func(t *testing.T) {
			r := loadScoped(t, m, sc)
			for _, f := range analysis.LintRules(r) {
				checkRanges(t, r, f)
				if len(f.Ranges) > 0 {
					kinds[f.Code]++
				}
			}
		})
	}
	// The mutants between them print every kind of range.
	for _, code := range []string{analysis.CodeGap, analysis.CodeOverlap, analysis.CodeShadowed, analysis.CodeNonMonotone, analysis.CodeThresholdOrder, analysis.CodeScope} {
		assert.Positive(t, kinds[code], "%s ranges checked", code)
	}
}

// scopeOf reads the 1.3 (1) atoms of a rule set's scope.
func scopeOf(t *testing.T, r *grading.Rules) []mAtom {
	cr := r.ScopeCriteria()[0]
	require.Equal(t, grading.OpAny, cr.Cond.Op)
	var out []mAtom
	for _, a := range cr.Cond.Kids {
		out = append(out, mAtom{a.Quantity, a.Interval})
	}
	return out
}

func mutateScope(sc []mAtom, rng *rand.Rand) string {
	k := rng.IntN(len(sc))
	v := float64(rng.IntN(60))
	if sc[k].q.Type == grading.Amount {
		v = []float64{0.5, 1, 2, 3, 5, 8}[rng.IntN(6)] * 1e7
	}
	sc[k].iv = grading.Interval{Lo: v, LoIncl: true, Hi: math.Inf(1)}
	return fmt.Sprintf("1.3 (1) %s from %s", sc[k].q.ID, grading.FormatNumber(v, ""))
}

// loadScoped loads the model's levels with a scope: 1.3 (1) the atoms of
// sc, 1.3 (3) the grades 较大 and above.
func loadScoped(t *testing.T, m *model, sc []mAtom) *grading.Rules {
	t.Helper()
	var b strings.Builder
	b.WriteString(m.yaml(nil))
	b.WriteString("scope:\n  clause: \"1.3\"\n  criteria:\n    - clause: \"1.3 (1)\"\n      when:\n        any:\n")
	for _, a := range sc {
		fmt.Fprintf(&b, "          - %s: %q\n", a.q.ID, threshold(a))
	}
	b.WriteString("    - clause: \"1.3 (3)\"\n      grades: [especially-serious, serious, relatively-serious]\n")
	p, err := yingji.Load(fstest.MapFS{
		"plan.yaml":    {Data: []byte("id: mutant\ntitle: mutant\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
		"grading.yaml": {Data: []byte(b.String())},
	})
	require.NoError(t, err, b.String())
	return p.Grading
}

func checkRanges(t *testing.T, r *grading.Rules, f analysis.Finding) {
	t.Helper()
	for k, b := range f.Ranges {
		in, ok := r.Input(b.Input)
		require.True(t, ok, b.Input)
		assert.Contains(t, f.Summary+" "+f.Detail, b.Text, "%s: range %d is printed", f.Summary, k)
		lo, hi, ok := readRange(t, in, b.Text)
		if assert.True(t, ok, "%q reads back", b.Text) {
			wlo, whi := valuesOf(in, b)
			assert.Equal(t, [2]float64{wlo, whi}, [2]float64{lo, hi}, "%s: %q against its numbers %s", f.Summary, b.Text, b.Interval)
		}
	}
	if len(f.Ranges) == 0 {
		return
	}
	in, _ := r.Input(f.Input)
	assert.Equal(t, analysis.Describe(in, f.Region), f.Ranges[0].Text)
	assert.Equal(t, analysis.BoundsOf(in, f.Region), f.Ranges[0])
	ctx := context.Background()
	classify := func(x float64) analysis.Outcome {
		facts := analysis.Facts{{Input: in.ID, Value: factValue(in, x)}}
		for _, k := range f.Kin {
			if k != in.ID {
				facts = append(facts, analysis.Fact{Input: k, Value: int64(0)})
			}
		}
		o, err := analysis.Classify(ctx, r, facts)
		require.NoError(t, err)
		return o
	}
	ends := func(b analysis.Bounds) []float64 {
		lo, hi := valuesOf(in, b)
		if math.IsInf(hi, 1) {
			hi = lo + 1000
		}
		return []float64{lo, hi}
	}
	switch f.Code {
	case analysis.CodeNonMonotone:
		for _, x := range ends(f.Ranges[0]) {
			assert.Equal(t, f.Params["level"], classify(x).LevelName, "%s at %v", f.Summary, x)
		}
		for _, x := range ends(f.Ranges[1]) {
			assert.Equal(t, f.Params["belowLevel"], classify(x).LevelName, "%s at %v", f.Summary, x)
		}
		// The range below is the whole run of its grade up to this one.
		lo, _ := valuesOf(in, f.Ranges[1])
		if in.Type == grading.Count && lo > 0 {
			assert.NotEqual(t, f.Params["belowLevel"], classify(lo-1).LevelName, "%s: below %v", f.Summary, lo)
		}
		_, hi := valuesOf(in, f.Ranges[1])
		lo0, _ := valuesOf(in, f.Ranges[0])
		if in.Type == grading.Count {
			assert.Equal(t, hi+1, lo0, "%s: the two ranges meet", f.Summary)
		}
	case analysis.CodeScope:
		for _, x := range ends(f.Ranges[0]) {
			o := classify(x)
			require.NotNil(t, o.InScope)
			graded := slices.Contains([]string{"especially-serious", "serious", "relatively-serious"}, o.Level)
			if f.Params["state"] == "in-scope-graded-below" {
				assert.True(t, *o.InScope && !graded, "%s at %v: %+v", f.Summary, x, o)
			} else {
				assert.True(t, graded, "%s at %v: %+v", f.Summary, x, o)
			}
		}
	}
}

// factValue is x as a fact of in.
func factValue(in *grading.Input, x float64) any {
	switch in.Type {
	case grading.Enum:
		return in.Values[int(x)].ID
	case grading.Bool:
		return x == 1
	case grading.Count:
		return int64(x)
	}
	return x
}

// valuesOf is the least and greatest value of the bounds: whole numbers
// for counts, ranks for enums and bools, the ends (±1 yuan when open)
// for amounts; hi is +Inf when unbounded.
func valuesOf(in *grading.Input, b analysis.Bounds) (lo, hi float64) {
	iv := b.Region()
	lo, hi = iv.Lo, iv.Hi
	switch in.Type {
	case grading.Count:
		if !math.IsInf(hi, 1) {
			hi--
		}
	case grading.Amount:
		if !iv.LoIncl {
			lo++
		}
		if !iv.HiIncl && !math.IsInf(hi, 1) {
			hi--
		}
	}
	return lo, hi
}

var (
	countRange = regexp.MustCompile(`^(\S+)–(\S+) 人$`)
	countFrom  = regexp.MustCompile(`^≥ (\S+) 人$`)
	countOne   = regexp.MustCompile(`^(\S+) 人$`)
	amountIv   = regexp.MustCompile(`^([\[(].*[\])]) 元$`)
	amountOne  = regexp.MustCompile(`^(\S+) 元$`)
)

// readRange reads a printed range back, by its own rules rather than the
// lint's: the least and greatest value it names, as valuesOf gives them.
func readRange(t *testing.T, in *grading.Input, text string) (lo, hi float64, ok bool) {
	num := func(s string) float64 {
		x, err := grading.ParseAmount(s)
		require.NoError(t, err, s)
		return x
	}
	switch in.Type {
	case grading.Count:
		if m := countRange.FindStringSubmatch(text); m != nil {
			return num(m[1]), num(m[2]), true
		}
		if m := countFrom.FindStringSubmatch(text); m != nil {
			return num(m[1]), math.Inf(1), true
		}
		if m := countOne.FindStringSubmatch(text); m != nil {
			return num(m[1]), num(m[1]), true
		}
	case grading.Amount:
		if m := amountIv.FindStringSubmatch(text); m != nil {
			iv, err := grading.ParseThreshold(m[1], grading.Convention{AboveInclusive: true}, "")
			require.Nil(t, err, m[1])
			lo, hi = iv.Lo, iv.Hi
			if !iv.LoIncl {
				lo++
			}
			if !iv.HiIncl && !math.IsInf(hi, 1) {
				hi--
			}
			return lo, hi, true
		}
		if m := amountOne.FindStringSubmatch(text); m != nil {
			return num(m[1]), num(m[1]), true
		}
	case grading.Enum:
		rank := func(id string) float64 {
			r, found := in.Rank(id)
			require.True(t, found, id)
			return float64(r)
		}
		if id, ok := strings.CutPrefix(text, "≥ "); ok {
			return rank(id), float64(len(in.Values) - 1), true
		}
		ids := strings.Split(text, ", ")
		return rank(ids[0]), rank(ids[len(ids)-1]), true
	case grading.Bool:
		switch text {
		case "true":
			return 1, 1, true
		case "false":
			return 0, 0, true
		case "true or false":
			return 0, 1, true
		}
	}
	return 0, 0, false
}
