package grading

import "math"

// The flat evaluator is the native fast path. At compile time every
// criterion whose condition is an atom, or any: of atoms, over quantities
// that are sums of inputs — every criterion of the Changji and Decree 493
// plans — becomes a run of flatAtoms in one array; the rest keep their
// tree. Classify then computes each quantity once and walks the array with
// no recursion and no allocation.

// flatAtom is one "quantity within an interval" test of a flat criterion.
type flatAtom struct {
	q      int32 // quantity index
	lo, hi float64
	loIncl bool
	hiIncl bool
	hiInf  bool // no upper bound
}

func (a *flatAtom) contains(x float64) bool {
	if x < a.lo || (x == a.lo && !a.loIncl) {
		return false
	}
	return a.hiInf || x < a.hi || (x == a.hi && a.hiIncl)
}

// flatCrit is a criterion: atoms[from:to] of Rules.atoms, or tree when it
// is not flat.
type flatCrit struct {
	from, to int32
	tree     *Cond
}

// flatten prepares the flat form of the criteria and quantities.
func (r *Rules) flatten() {
	flat := func(c *Cond) bool {
		if c.Op == OpAtom {
			return c.Quantity.terms != nil
		}
		if c.Op != OpAny {
			return false
		}
		for _, k := range c.Kids {
			if k.Op != OpAtom || k.Quantity.terms == nil {
				return false
			}
		}
		return true
	}
	add := func(c *Cond) {
		iv := c.Interval
		r.atoms = append(r.atoms, flatAtom{q: int32(c.Quantity.index), lo: iv.Lo, hi: iv.Hi, loIncl: iv.LoIncl, hiIncl: iv.HiIncl, hiInf: math.IsInf(iv.Hi, 1)})
	}
	build := func(cr *Criterion) flatCrit {
		if cr.Cond == nil || !flat(cr.Cond) {
			return flatCrit{tree: cr.Cond}
		}
		fc := flatCrit{from: int32(len(r.atoms))}
		if cr.Cond.Op == OpAtom {
			add(cr.Cond)
		} else {
			for _, k := range cr.Cond.Kids {
				add(k)
			}
		}
		fc.to = int32(len(r.atoms))
		return fc
	}
	for _, cr := range r.criteria {
		r.flatCrits = append(r.flatCrits, build(cr))
	}
	for _, cr := range r.scope {
		r.flatScope = append(r.flatScope, build(cr))
	}
	r.flat = true
	for i := range r.flatCrits {
		r.flat = r.flat && r.flatCrits[i].tree == nil
	}
	for i := range r.flatScope {
		r.flat = r.flat && (r.flatScope[i].tree == nil || r.scope[i].Cond == nil)
	}
	defer r.index()
	r.qUpper = make([]float64, len(r.quantities))
	for i, q := range r.quantities {
		switch q.Type {
		case Enum:
			r.qUpper[i] = float64(len(q.Input.Values) - 1)
		case Bool:
			r.qUpper[i] = 1
		default:
			r.qUpper[i] = math.Inf(1)
		}
	}
}

// index builds what Classify looks up: the segment index, compacted, and
// the tables of its last steps. A plan too large for the compact index has
// every criterion evaluated as a tree.
func (r *Rules) index() {
	r.buildSegments()
	if !r.compactSegments() {
		for i, cr := range r.criteria {
			r.flatCrits[i].tree = cr.Cond
		}
		for j, cr := range r.scope {
			r.flatScope[j].tree = cr.Cond
		}
		r.flat = false
		r.nums, r.members, r.groupTable, r.singleInputs = nil, nil, nil, 0
	}
	for i, cr := range r.criteria {
		r.critRank[i] = int8(cr.Level.Rank)
	}
	r.scopeByLevel = make([]uint64, len(r.levels)+1)
	for j, cr := range r.scope {
		if cr.Cond != nil {
			r.scopeCond |= 1 << j
			continue
		}
		for l := range r.levels {
			for _, g := range cr.Grades {
				if l <= g.Rank {
					r.scopeByLevel[l+1] |= 1 << j
				}
			}
		}
	}
}
