package analysis_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
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

// The cross-check: on randomly mutated copies of the Changji grading
// (thresholds moved, criteria and alternatives dropped or duplicated), the
// lint's gap, overlap and shadowing findings must agree with a brute-force
// grading by the engine itself (Classify) over a grid of critical points.
//
// The brute force knows nothing of the lint's cells or evaluator: for each
// question it writes a projection of the plan — the same levels, keeping
// only the alternatives that read the inputs in question — loads it with
// yingji.Load and grades incidents with Classify:
//
//   - gap at x of input X: with X = x (its co-members in deaths + missing
//     at 0), the projection on X and its co-members matches no criterion;
//   - shadowed alternative a: at every grid point of the inputs a reads
//     where a holds, the projection on those inputs matches a criterion of
//     a more severe level (every whole-number point, for deaths + missing);
//   - overlap at x for alternative a of a count or amount X: a holds at x
//     and is not shadowed, and the projection on X matches a criterion of a
//     more severe level.
func TestCrossCheckMutatedChangji(t *testing.T) {
	base, err := yingji.Default()
	require.NoError(t, err)
	m0 := modelOf(t, base.Grading)
	n := 30
	if testing.Short() {
		n = 8
	}
	for seed := range n {
		rng := rand.New(rand.NewPCG(uint64(seed), 2025))
		m := m0.clone()
		var did []string
		for range 1 + rng.IntN(4) {
			did = append(did, m.mutate(rng))
		}
		t.Run(fmt.Sprintf("seed %d: %s", seed, strings.Join(did, "; ")), func(t *testing.T) {
			crossCheck(t, m)
		})
	}
	t.Run("unmutated", func(t *testing.T) { crossCheck(t, m0) })
	// The mutants between them have every kind of finding, so the
	// agreement above is not vacuous.
	assert.Positive(t, seen.shadowed, "shadowed alternatives seen")
	assert.Positive(t, seen.gaps, "gap points seen")
	assert.Positive(t, seen.overlaps, "overlap points seen")
	assert.Greater(t, seen.points, 1000, "points graded")
}

// seen counts what the cross-check compared.
var seen struct{ shadowed, gaps, overlaps, points int }

// model is a grading rule set as the cross-check mutates it: levels of
// criteria, each an any: of atoms.
type model struct {
	inputs []*grading.Input
	levels []mLevel
}

type mLevel struct {
	id, name, clause string
	baseline         bool
	crits            []mCrit
}

type mCrit struct {
	clause string
	atoms  []mAtom
}

type mAtom struct {
	q  *grading.Quantity
	iv grading.Interval
}

func modelOf(t *testing.T, r *grading.Rules) *model {
	m := &model{}
	for _, in := range r.Inputs() {
		if in.Type != grading.List {
			m.inputs = append(m.inputs, in)
		}
	}
	for _, l := range r.Levels() {
		ml := mLevel{id: l.ID, name: l.Name, clause: l.Clause, baseline: l.Baseline}
		for _, cr := range l.Criteria {
			mc := mCrit{clause: cr.Clause}
			atoms := []*grading.Cond{cr.Cond}
			if cr.Cond.Op == grading.OpAny {
				atoms = cr.Cond.Kids
			}
			for _, a := range atoms {
				require.Equal(t, grading.OpAtom, a.Op, "the Changji criteria are any: of atoms")
				mc.atoms = append(mc.atoms, mAtom{a.Quantity, a.Interval})
			}
			ml.crits = append(ml.crits, mc)
		}
		m.levels = append(m.levels, ml)
	}
	return m
}

func (m *model) clone() *model {
	out := &model{inputs: m.inputs}
	for _, l := range m.levels {
		nl := l
		nl.crits = nil
		for _, c := range l.crits {
			nl.crits = append(nl.crits, mCrit{c.clause, slices.Clone(c.atoms)})
		}
		out.levels = append(out.levels, nl)
	}
	return out
}

type atomRef struct{ l, c, a int }

func (m *model) atomRefs(numeric bool) []atomRef {
	var out []atomRef
	for i, l := range m.levels {
		for j, c := range l.crits {
			for k, a := range c.atoms {
				if !numeric || a.q.Type == grading.Count || a.q.Type == grading.Amount {
					out = append(out, atomRef{i, j, k})
				}
			}
		}
	}
	return out
}

var dupN int

// mutate applies one random mutation and says what it did.
func (m *model) mutate(rng *rand.Rand) string {
	switch rng.IntN(5) {
	case 0, 1: // move a threshold
		refs := m.atomRefs(true)
		ref := refs[rng.IntN(len(refs))]
		a := &m.levels[ref.l].crits[ref.c].atoms[ref.a]
		v := float64(rng.IntN(101))
		if a.q.Type == grading.Amount {
			v = []float64{0.5, 1, 2, 3, 5, 8, 10, 15}[rng.IntN(8)] * 1e7
		}
		iv := a.iv
		if rng.IntN(2) == 0 && !math.IsInf(iv.Lo, -1) || math.IsInf(iv.Hi, 1) && rng.IntN(3) > 0 {
			iv.Lo, iv.LoIncl = v, true
		} else {
			iv.Hi, iv.HiIncl = v, false
		}
		if iv.Lo >= iv.Hi {
			return "no move"
		}
		a.iv = iv
		return fmt.Sprintf("%s %s to %s", m.levels[ref.l].crits[ref.c].clause, a.q.ID, a.iv)
	case 2: // drop a criterion or an alternative
		l := rng.IntN(len(m.levels))
		lv := &m.levels[l]
		if len(lv.crits) < 2 {
			return "no drop"
		}
		c := rng.IntN(len(lv.crits))
		if atoms := lv.crits[c].atoms; len(atoms) > 1 && rng.IntN(2) == 0 {
			k := rng.IntN(len(atoms))
			what := fmt.Sprintf("drop %s of %s", atoms[k].q.ID, lv.crits[c].clause)
			lv.crits[c].atoms = slices.Delete(atoms, k, k+1)
			return what
		}
		clause := lv.crits[c].clause
		lv.crits = slices.Delete(lv.crits, c, c+1)
		return "drop " + clause
	case 3: // duplicate a criterion into some level
		from := m.levels[rng.IntN(len(m.levels))]
		if len(from.crits) == 0 {
			return "no dup"
		}
		c := from.crits[rng.IntN(len(from.crits))]
		to := rng.IntN(len(m.levels))
		dupN++
		nc := mCrit{fmt.Sprintf("%s dup %d", c.clause, dupN), slices.Clone(c.atoms)}
		m.levels[to].crits = append(m.levels[to].crits, nc)
		return fmt.Sprintf("copy %s to %s", c.clause, m.levels[to].name)
	default: // duplicate an alternative into another criterion
		refs := m.atomRefs(false)
		ref := refs[rng.IntN(len(refs))]
		a := m.levels[ref.l].crits[ref.c].atoms[ref.a]
		l := rng.IntN(len(m.levels))
		if len(m.levels[l].crits) == 0 {
			return "no dup"
		}
		c := rng.IntN(len(m.levels[l].crits))
		m.levels[l].crits[c].atoms = append(m.levels[l].crits[c].atoms, a)
		return fmt.Sprintf("copy %s %s to %s", a.q.ID, a.iv, m.levels[l].crits[c].clause)
	}
}

// reads is the set of input ids an atom reads.
func reads(a mAtom) []string {
	if a.q.Input != nil {
		return []string{a.q.Input.ID}
	}
	return []string{"deaths", "missing"} // deathsAndMissing, the only derived quantity
}

func kin(id string) []string {
	if id == "deaths" || id == "missing" {
		return []string{"deaths", "missing"}
	}
	return []string{id}
}

func threshold(a mAtom) string {
	switch a.q.Type {
	case grading.Enum:
		v := a.q.Input.Values[int(a.iv.Lo)].ID
		if math.IsInf(a.iv.Hi, 1) {
			return v
		}
		return "= " + v
	case grading.Bool:
		return fmt.Sprint(a.iv.Lo == 1)
	}
	return a.iv.String()
}

// yaml writes the model's grading.yaml, keeping only the atoms that read
// one of the inputs in keep (all of them when keep is nil). Non-baseline
// levels left with no criteria are left out.
func (m *model) yaml(keep []string) string {
	var b strings.Builder
	b.WriteString("inputs:\n")
	for _, in := range m.inputs {
		fmt.Fprintf(&b, "  - {id: %s, type: %s", in.ID, in.Type)
		if in.Unit != "" {
			fmt.Fprintf(&b, ", unit: %s", in.Unit)
		}
		if in.Type == grading.Enum {
			var ids []string
			for _, v := range in.Values {
				ids = append(ids, "{id: "+v.ID+"}")
			}
			fmt.Fprintf(&b, ", values: [%s]", strings.Join(ids, ", "))
		}
		b.WriteString("}\n")
	}
	b.WriteString("quantities:\n  - {id: deathsAndMissing, unit: 人, expr: deaths + missing}\nlevels:\n")
	for _, l := range m.levels {
		var crits strings.Builder
		for _, c := range l.crits {
			var atoms []string
			for _, a := range c.atoms {
				if keep == nil || slices.ContainsFunc(reads(a), func(id string) bool { return slices.Contains(keep, id) }) {
					atoms = append(atoms, fmt.Sprintf("            - %s: %q\n", a.q.ID, threshold(a)))
				}
			}
			if len(atoms) == 0 {
				continue
			}
			fmt.Fprintf(&crits, "      - clause: %q\n        when:\n          any:\n%s", c.clause, strings.Join(atoms, ""))
		}
		if crits.Len() == 0 && !l.baseline {
			continue
		}
		fmt.Fprintf(&b, "  - id: %s\n    name: %s\n    clause: %q\n    baseline: %t\n", l.id, l.name, l.clause, l.baseline)
		if crits.Len() > 0 {
			b.WriteString("    criteria:\n" + crits.String())
		}
	}
	return b.String()
}

func (m *model) load(t *testing.T, keep []string) *grading.Rules {
	t.Helper()
	p, err := yingji.Load(fstest.MapFS{
		"plan.yaml":    {Data: []byte("id: mutant\ntitle: mutant\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
		"grading.yaml": {Data: []byte(m.yaml(keep))},
	})
	require.NoError(t, err, m.yaml(keep))
	return p.Grading
}

// path is the YAML path of an atom in m.yaml(nil), as the lint reports it.
func (m *model) path(ref atomRef) string {
	a := m.levels[ref.l].crits[ref.c].atoms[ref.a]
	return fmt.Sprintf("levels[%d].criteria[%d].when.any[%d].%s", m.levelIndex(ref.l), ref.c, ref.a, a.q.ID)
}

// levelIndex is the index of level l in m.yaml(nil), which leaves out
// empty non-baseline levels.
func (m *model) levelIndex(l int) int {
	n := 0
	for i := range l {
		if len(m.levels[i].crits) > 0 || m.levels[i].baseline {
			n++
		}
	}
	return n
}

func (m *model) rank(id string) int {
	return slices.IndexFunc(m.levels, func(l mLevel) bool { return l.id == id })
}

// grid is the brute force's values of one input: 0, and every threshold
// of an atom reading it with the values a person or a yuan either side.
func (m *model) grid(in *grading.Input) []float64 {
	switch in.Type {
	case grading.Enum:
		var out []float64
		for i := range in.Values {
			out = append(out, float64(i))
		}
		return out
	case grading.Bool:
		return []float64{0, 1}
	}
	vals := []float64{0}
	for _, ref := range m.atomRefs(true) {
		a := m.levels[ref.l].crits[ref.c].atoms[ref.a]
		if !slices.Contains(reads(a), in.ID) {
			continue
		}
		for _, t := range []float64{a.iv.Lo, a.iv.Hi} {
			if !math.IsInf(t, 0) {
				vals = append(vals, t-1, t, t+1)
			}
		}
	}
	vals = slices.DeleteFunc(vals, func(v float64) bool { return v < 0 })
	slices.Sort(vals)
	return slices.Compact(vals)
}

func valueOf(in *grading.Input, x float64) any {
	switch in.Type {
	case grading.Enum:
		return in.Values[int(x)].ID
	case grading.Bool:
		return x == 1
	}
	return x
}

// point is a brute-force incident: values by input id.
type point map[string]float64

func (m *model) classify(t *testing.T, r *grading.Rules, pt point) []string {
	t.Helper()
	inc := r.NewIncident()
	for _, in := range m.inputs {
		if x, ok := pt[in.ID]; ok {
			require.NoError(t, inc.Set(in.ID, valueOf(in, x)))
		}
	}
	res, err := r.Classify(context.Background(), inc)
	require.NoError(t, err)
	seen.points++
	var levels []string
	for _, mt := range res.Matched() {
		levels = append(levels, mt.Criterion.Level.ID)
	}
	return levels
}

func holds(a mAtom, pt point) bool {
	v := 0.0
	for _, id := range reads(a) {
		v += pt[id]
	}
	return a.iv.Contains(v)
}

func crossCheck(t *testing.T, m *model) {
	full := m.load(t, nil)
	fs := analysis.LintRules(full)
	inputByID := map[string]*grading.Input{}
	for _, in := range m.inputs {
		inputByID[in.ID] = in
	}
	readByLevels := map[string]bool{}
	for _, ref := range m.atomRefs(false) {
		for _, id := range reads(m.levels[ref.l].crits[ref.c].atoms[ref.a]) {
			readByLevels[id] = true
		}
	}

	// Shadowing, by atom path.
	shadowed := map[string]bool{}
	projections := map[string]*grading.Rules{}
	project := func(keep []string) *grading.Rules {
		k := strings.Join(keep, ",")
		if r, ok := projections[k]; ok {
			return r
		}
		r := m.load(t, keep)
		projections[k] = r
		return r
	}
	lattice := map[string][]string{} // deaths+missing point → matched levels, cached
	for _, ref := range m.atomRefs(false) {
		a := m.levels[ref.l].crits[ref.c].atoms[ref.a]
		ids := reads(a)
		r := project(ids)
		var pts []point
		if len(ids) == 1 {
			for _, x := range m.grid(inputByID[ids[0]]) {
				pts = append(pts, point{ids[0]: x})
			}
		} else {
			top := 2.0
			for _, g := range [][]float64{m.grid(inputByID["deaths"]), m.grid(inputByID["missing"])} {
				top = max(top, g[len(g)-1]+2)
			}
			for d := 0.0; d <= top; d++ {
				for mi := 0.0; mi <= top; mi++ {
					pts = append(pts, point{"deaths": d, "missing": mi})
				}
			}
		}
		any, covered := false, true
		for _, pt := range pts {
			if !holds(a, pt) {
				continue
			}
			any = true
			var levels []string
			if len(ids) > 1 {
				key := fmt.Sprint(pt["deaths"], ",", pt["missing"])
				if _, ok := lattice[key]; !ok {
					lattice[key] = m.classify(t, r, pt)
				}
				levels = lattice[key]
			} else {
				levels = m.classify(t, r, pt)
			}
			if !slices.ContainsFunc(levels, func(id string) bool { return m.rank(id) < ref.l }) {
				covered = false
				break
			}
		}
		if any && covered {
			shadowed[m.path(ref)] = true
		}
	}
	lintShadowed := map[string]bool{}
	for _, f := range byCode(fs, analysis.CodeShadowed) {
		lintShadowed[f.Path] = true
	}
	assert.Equal(t, shadowed, lintShadowed, "shadowed alternatives")
	seen.shadowed += len(shadowed)

	for _, in := range m.inputs {
		if !readByLevels[in.ID] {
			continue
		}
		// Gaps.
		r := project(kin(in.ID))
		for _, x := range m.grid(in)[1:] {
			pt := point{}
			for _, k := range kin(in.ID) {
				pt[k] = 0
			}
			pt[in.ID] = x
			brute := len(m.classify(t, r, pt)) == 0
			lint := slices.ContainsFunc(byCode(fs, analysis.CodeGap), func(f analysis.Finding) bool {
				return f.Input == in.ID && f.Region.Contains(x)
			})
			assert.Equal(t, brute, lint, "gap at %s = %v", in.ID, x)
			if brute {
				seen.gaps++
			}
		}
		// Overlaps, by atom path.
		if in.Type != grading.Count && in.Type != grading.Amount {
			continue
		}
		r = project([]string{in.ID})
		for _, x := range m.grid(in) {
			pt := point{}
			for _, k := range kin(in.ID) {
				pt[k] = 0
			}
			pt[in.ID] = x
			levels := m.classify(t, r, pt)
			for _, ref := range m.atomRefs(true) {
				a := m.levels[ref.l].crits[ref.c].atoms[ref.a]
				if !slices.Contains(reads(a), in.ID) {
					continue
				}
				path := m.path(ref)
				brute := holds(a, pt) && !shadowed[path] &&
					slices.ContainsFunc(levels, func(id string) bool { return m.rank(id) < ref.l })
				lint := slices.ContainsFunc(byCode(fs, analysis.CodeOverlap), func(f analysis.Finding) bool {
					return f.Input == in.ID && f.Path == path && f.Region.Contains(x)
				})
				assert.Equal(t, brute, lint, "overlap at %s = %v for %s", in.ID, x, path)
				if brute {
					seen.overlaps++
				}
			}
		}
	}
}
