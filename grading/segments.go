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

// maxSegments is how many segments Classify tracks on the stack; a plan
// with more quantities spills to the heap.
const maxSegments = 48

// segTruth evaluates every flat criterion at once: min holds with unknown
// inputs at their least severe value, sure whatever they are, maybe for
// some value of them. pieces records where each segment's value fell.
func (r *Rules) segTruth(inc *Incident, min, sure, maybe *bitset, pieces []uint16) {
	for k := range r.segments {
		s := &r.segments[k]
		v := inc.vals[s.t0]
		for _, t := range s.more {
			v += inc.vals[t]
		}
		p := s.piece(v)
		pieces[k] = uint16(p)
		m := s.mask[p]
		*min |= m
		if s.refs&^inc.known == 0 {
			*sure |= m
			*maybe |= m
			continue
		}
		*sure |= s.unkAnd[p]
		*maybe |= s.unkOr[p]
	}
}

// segRaise records, for each unknown input, the most severe level its
// quantities could still reach through a flat criterion that does not hold.
func (r *Rules) segRaise(inc *Incident, min bitset, pieces []uint16, res *Result, raised *uint32) {
	for k := range r.segments {
		s := &r.segments[k]
		unk := s.refs &^ inc.known
		if unk == 0 {
			continue
		}
		c := (s.unkOr[pieces[k]] &^ min & r.levelBits).first()
		if c < 0 {
			continue
		}
		res.raise(unk, int8(r.criteria[c].Level.Rank), raised)
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
