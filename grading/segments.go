package grading

import (
	"math"
	"math/bits"
	"slices"
)

// The segment index is the native fast path for flat criteria (an atom, or
// any: of atoms). For each quantity the thresholds of every atom on it cut
// the number line into pieces — open stretches and the threshold points
// themselves — and each piece records, as a bitset, the criteria one of
// whose atoms contains it. A value then finds its piece and ORs its bitset
// in; an unknown quantity (a range of values) ORs the pieces it may reach
// and ANDs the pieces it must cover. Classify costs one short scan per
// quantity, whatever the number of criteria.

// qSegments is the segment index of one quantity.
type qSegments struct {
	q    int    // quantity index
	t0   int    // the first input the quantity sums
	more []int  // the others
	refs uint32 // the inputs it depends on
	// cuts are sorted and distinct; a value lies in piece b, the number of
	// cuts at or below it. Every atom bound is turned into a cut: an
	// inclusive lower bound as itself, an exclusive one as the next float
	// up, and likewise for upper bounds, so one comparison per cut places a
	// value exactly.
	cuts []float64
	mask []bitset // per piece: the criteria one of whose atoms holds there
	// When the quantity is partly unknown its value lies anywhere from its
	// piece up to its greatest value (Rules.qUpper): the criteria it must
	// meet (the AND of those pieces) and may meet (the OR), per piece.
	unkAnd, unkOr []bitset
}

// piece returns the index of the piece that holds v.
func (s *qSegments) piece(v float64) int {
	n := 0
	for _, c := range s.cuts {
		if v < c {
			break
		}
		n++
	}
	return n
}

// buildSegments indexes the atoms of the flat criteria by quantity. Bit i
// stands for level criterion i; bit len(criteria)+j for scope criterion j.
func (r *Rules) buildSegments() {
	type atomRef struct {
		a   *flatAtom
		bit int
	}
	byQ := map[int][]atomRef{}
	collect := func(fc *flatCrit, bit int) {
		if fc.tree != nil {
			return
		}
		for i := fc.from; i < fc.to; i++ {
			a := &r.atoms[i]
			byQ[int(a.q)] = append(byQ[int(a.q)], atomRef{a, bit})
		}
	}
	for i := range r.flatCrits {
		collect(&r.flatCrits[i], i)
	}
	for j := range r.flatScope {
		collect(&r.flatScope[j], len(r.flatCrits)+j)
	}
	for q := range r.quantities {
		refs := byQ[q]
		if len(refs) == 0 {
			continue
		}
		qq := r.quantities[q]
		s := qSegments{q: q, t0: qq.terms[0], more: qq.terms[1:], refs: qq.refs}
		for _, ar := range refs {
			a := ar.a
			if !math.IsInf(a.lo, -1) {
				lo := a.lo
				if !a.loIncl {
					lo = math.Nextafter(lo, math.Inf(1))
				}
				s.cuts = append(s.cuts, lo)
			}
			if !a.hiInf {
				hi := a.hi
				if a.hiIncl {
					hi = math.Nextafter(hi, math.Inf(1))
				}
				s.cuts = append(s.cuts, hi)
			}
		}
		slices.Sort(s.cuts)
		s.cuts = slices.Compact(s.cuts)
		n := len(s.cuts) + 1
		s.mask = make([]bitset, n)
		for p := range n {
			// A value in the piece decides which atoms hold there.
			v := 0.0
			switch {
			case p > 0:
				v = s.cuts[p-1]
			case len(s.cuts) > 0:
				v = math.Nextafter(s.cuts[0], math.Inf(-1))
			}
			for _, ar := range refs {
				if ar.a.contains(v) {
					s.mask[p].set(ar.bit)
				}
			}
		}
		s.unkAnd = make([]bitset, n)
		s.unkOr = make([]bitset, n)
		last := n - 1
		if hi := r.qUpper[q]; !math.IsInf(hi, 1) {
			last = s.piece(hi)
		}
		for p := range n {
			and, or := ^bitset(0), bitset(0)
			for k := p; k <= max(last, p); k++ {
				and &= s.mask[k]
				or |= s.mask[k]
			}
			s.unkAnd[p], s.unkOr[p] = and, or
		}
		r.segments = append(r.segments, s)
	}
	r.levelBits = 0
	for i := range r.criteria {
		r.levelBits.set(i)
	}
}

// maxSegments is how many numeric segments Classify tracks on the stack.
const maxSegments = 64

// The compact index Classify walks, made from the segments above:
//
//   - the enum and bool inputs that are quantities of their own are read
//     together, a few at a time, through one table indexed by all their
//     states at once (unknown, or the value) — one lookup for several
//     criteria atoms;
//   - every other quantity (counts and amounts, sums of them) is a
//     numSeg: its value is placed among its cuts by comparison.
//
// Both keep small fields and share arrays of Rules, so the loops touch
// little memory and check few bounds.

// numCuts is how many cuts a numSeg holds inline; a quantity with more
// has the rest in Rules.segCuts.
const numCuts = 6

// numSeg is a numeric quantity's segment index, compacted: its first
// numCuts cuts inline, padded with +Inf, so that placing a value is a run
// of comparisons that stops at the first cut above it.
type numSeg struct {
	cuts  [numCuts]float64
	refs  uint32 // the inputs it depends on
	t0    uint8  // its first input
	nmore uint8  // its other inputs: Rules.segTerms[more:more+nmore]
	more  uint16
	piece uint16 // its first piece in Rules.segPieces
	// extra is the number of its cuts past numCuts, at
	// Rules.segCuts[cut:cut+extra].
	extra, cut uint16
}

// pieceMasks are the criteria bits of one piece: those it meets, and,
// when the quantity is partly unknown, those it must and may meet.
type pieceMasks struct {
	mask, unkAnd, unkOr bitset
}

// maxGroup and maxGroupTable bound a group of enum and bool inputs read
// through one table: its members, and the entries of its table.
const (
	maxGroup      = 8
	maxGroupTable = 1024
)

// directGroup reads up to maxGroup enum and bool inputs through one
// table: the state of a member is 0 when its input is unknown and its
// value + 1 when known, and the entry at Σ state × stride holds the OR of
// the members' masks.
type directGroup struct {
	n       int
	inputs  [maxGroup]uint8
	strides [maxGroup]uint16
	table   []pieceMasks
}

// compactSegments lays the segment index out for Classify. It reports
// false when the plan is too large for the compact form (more than
// maxSegments numeric quantities, or offsets past 16 bits), and Classify
// then evaluates every criterion as a tree.
func (r *Rules) compactSegments() bool {
	r.nums, r.groups, r.directInputs = nil, nil, 0
	var g *directGroup
	for _, s := range r.segments {
		q := r.quantities[s.q]
		if len(s.more) == 0 && (q.Type == Enum || q.Type == Bool) {
			states := int(r.qUpper[s.q]) + 2 // unknown, then each value
			if g == nil || g.n == maxGroup || len(g.table)*states > maxGroupTable {
				r.groups = append(r.groups, directGroup{table: []pieceMasks{{}}})
				g = &r.groups[len(r.groups)-1]
			}
			// Multiply the table by this member's states.
			stride := len(g.table)
			next := make([]pieceMasks, stride*states)
			for st := range states {
				p := s.piece(0) // unknown: its least severe value, 0
				if st > 0 {
					p = s.piece(float64(st - 1))
				}
				m := pieceMasks{s.mask[p], s.mask[p], s.mask[p]}
				if st == 0 {
					m.unkAnd, m.unkOr = s.unkAnd[p], s.unkOr[p]
				}
				for i, e := range g.table {
					next[st*stride+i] = pieceMasks{e.mask | m.mask, e.unkAnd | m.unkAnd, e.unkOr | m.unkOr}
				}
			}
			g.table = next
			g.inputs[g.n], g.strides[g.n] = uint8(s.t0), uint16(stride)
			g.n++
			r.directInputs |= 1 << s.t0
			r.directUnkOr[s.t0] = s.unkOr[s.piece(0)]
			continue
		}
		if len(r.nums) == maxSegments || len(s.more) > 255 {
			return false
		}
		c := numSeg{refs: s.refs, t0: uint8(s.t0), nmore: uint8(len(s.more)),
			more: uint16(len(r.segTerms)), cut: uint16(len(r.segCuts)), piece: uint16(len(r.segPieces))}
		for _, t := range s.more {
			r.segTerms = append(r.segTerms, uint8(t))
		}
		for i := range c.cuts {
			c.cuts[i] = math.Inf(1)
		}
		copy(c.cuts[:], s.cuts)
		if len(s.cuts) > numCuts {
			c.extra = uint16(len(s.cuts) - numCuts)
			r.segCuts = append(r.segCuts, s.cuts[numCuts:]...)
		}
		for p := range s.mask {
			r.segPieces = append(r.segPieces, pieceMasks{s.mask[p], s.unkAnd[p], s.unkOr[p]})
		}
		if len(r.segPieces) > 1<<16 || len(r.segCuts) > 1<<16 || len(r.segTerms) > 1<<16 {
			return false
		}
		r.nums = append(r.nums, c)
	}
	return true
}

// addDown adds two non-negative numbers rounding toward zero, as numbers
// are read (decimal.go): a sum of amounts is never rounded up across a
// threshold. Sums of counts are exact and come out as they are.
func addDown(a, b float64) float64 {
	s := a + b
	// The rounding error of s, exactly (Knuth's TwoSum); when s is above
	// the sum, the float64 below s (which is then above 0).
	bb := s - a
	if (a-(s-bb))+(b-bb) < 0 {
		s = math.Float64frombits(math.Float64bits(s) - 1)
	}
	return s
}

// segTruth evaluates every flat criterion at once: min holds with unknown
// inputs at their least severe value, sure whatever they are, maybe for
// some value of them. It returns the numeric segments whose quantity is
// partly unknown as the bits of unk, and every numeric segment's piece in
// pieces, for segRaise.
//
// It is Classify's inner loop, written for the machine, in three short
// loops that each keep their few values in registers: one table lookup
// per group of enums and bools, the piece of each numeric quantity (a
// run of comparisons), and the masks of those pieces.
func (r *Rules) segTruth(inc *Incident, pieces *[maxSegments]uint16) (mn, su, mb bitset, unk uint64) {
	mn, su, mb = r.groupTruth(inc)
	r.place(inc, pieces)
	nm, ns, nb, unk := r.numTruth(inc.known, pieces)
	return mn | nm, su | ns, mb | nb, unk
}

// groupTruth looks up the groups of enum and bool inputs.
func (r *Rules) groupTruth(inc *Incident) (mn, su, mb bitset) {
	known := inc.known
	for gi := range r.groups {
		g := &r.groups[gi]
		idx := 0
		for m, in := range g.inputs[:g.n] {
			if in %= MaxInputs; known&(1<<in) != 0 {
				idx += (int(inc.vals[in]) + 1) * int(g.strides[m%maxGroup])
			}
		}
		pm := &g.table[idx]
		mn |= pm.mask
		su |= pm.unkAnd
		mb |= pm.unkOr
	}
	return mn, su, mb
}

// place finds the piece of each numeric quantity's value.
func (r *Rules) place(inc *Incident, pieces *[maxSegments]uint16) {
	for k := range r.nums {
		s := &r.nums[k]
		v := inc.vals[s.t0%MaxInputs]
		if s.nmore != 0 {
			for _, t := range r.segTerms[s.more : int(s.more)+int(s.nmore)] {
				v = addDown(v, inc.vals[t%MaxInputs])
			}
		}
		// The inline cuts, padded with +Inf, written out: one
		// comparison per cut at or below v.
		n := 0
		if v >= s.cuts[0] {
			n = 1
			if v >= s.cuts[1] {
				n = 2
				if v >= s.cuts[2] {
					n = 3
					if v >= s.cuts[3] {
						n = 4
						if v >= s.cuts[4] {
							n = 5
							if v >= s.cuts[5] {
								n = 6
							}
						}
					}
				}
			}
		}
		if n == numCuts && s.extra != 0 {
			for _, c := range r.segCuts[s.cut : int(s.cut)+int(s.extra)] {
				if v < c {
					break
				}
				n++
			}
		}
		pieces[k%maxSegments] = s.piece + uint16(n)
	}
}

// numTruth ORs the masks of the numeric quantities' pieces.
func (r *Rules) numTruth(known uint32, pieces *[maxSegments]uint16) (mn, su, mb bitset, unk uint64) {
	pcs := r.segPieces
	for k := range r.nums {
		pm := &pcs[pieces[k%maxSegments]]
		mn |= pm.mask
		if r.nums[k].refs&^known == 0 {
			su |= pm.mask
			mb |= pm.mask
			continue
		}
		su |= pm.unkAnd
		mb |= pm.unkOr
		unk |= 1 << (k & 63)
	}
	return mn, su, mb, unk
}

// segRaise records, for each unknown input, the most severe level its
// quantities could still reach through a flat criterion that does not
// hold: for the enum and bool inputs that are unknown, and the numeric
// segments segTruth found partly unknown.
func (r *Rules) segRaise(inc *Incident, min bitset, unk uint64, pieces *[maxSegments]uint16, res *Result, raised *uint32) {
	open := ^min & r.levelBits
	for m := r.directInputs &^ inc.known; m != 0; m &= m - 1 {
		i := bits.TrailingZeros32(m) % MaxInputs
		if c := (r.directUnkOr[i] & open).first(); c >= 0 {
			res.raise(1<<i, r.critRank[c], raised)
		}
	}
	for ; unk != 0; unk &= unk - 1 {
		k := bits.TrailingZeros64(unk)
		if c := (r.segPieces[pieces[k%maxSegments]].unkOr & open).first(); c >= 0 {
			res.raise(r.nums[k].refs&^inc.known, r.critRank[c], raised)
		}
	}
}

// raise notes that the inputs in unk could lift the grade to level rank.
func (res *Result) raise(unk uint32, rank int8, raised *uint32) {
	*raised |= unk
	for m := unk; m != 0; m &= m - 1 {
		i := bits.TrailingZeros32(m)
		if res.reach[i] == 0 || res.reach[i] > rank+1 {
			res.reach[i] = rank + 1
		}
	}
}
