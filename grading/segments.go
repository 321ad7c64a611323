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
	q      int       // quantity index
	breaks []float64 // sorted, distinct thresholds
	// Per piece: 2i is the open stretch below breaks[i], 2i+1 the point
	// breaks[i]; the last piece is the stretch above the last break.
	mask   []bitset
	sufAnd []bitset // AND of mask over this piece and every piece above
	sufOr  []bitset // OR of the same
}

// piece returns the index of the piece that holds v.
func (s *qSegments) piece(v float64) int {
	for i, b := range s.breaks {
		if v < b {
			return 2 * i
		}
		if v == b {
			return 2*i + 1
		}
	}
	return 2 * len(s.breaks)
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
		s := qSegments{q: q}
		for _, ar := range refs {
			if !math.IsInf(ar.a.lo, -1) {
				s.breaks = append(s.breaks, ar.a.lo)
			}
			if !ar.a.hiInf {
				s.breaks = append(s.breaks, ar.a.hi)
			}
		}
		slices.Sort(s.breaks)
		s.breaks = slices.Compact(s.breaks)
		n := 2*len(s.breaks) + 1
		s.mask = make([]bitset, n)
		for p := range n {
			// A point inside the piece decides whether an atom holds it.
			var v float64
			switch {
			case p%2 == 1:
				v = s.breaks[p/2]
			case len(s.breaks) == 0:
				v = 0
			case p == 0:
				v = s.breaks[0] - 1
			case p == n-1:
				v = s.breaks[len(s.breaks)-1] + 1
			default:
				v = (s.breaks[p/2-1] + s.breaks[p/2]) / 2
			}
			for _, ar := range refs {
				if ar.a.contains(v) {
					s.mask[p].set(ar.bit)
				}
			}
		}
		s.sufAnd = make([]bitset, n)
		s.sufOr = make([]bitset, n)
		and, or := ^bitset(0), bitset(0)
		for p := n - 1; p >= 0; p-- {
			and &= s.mask[p]
			or |= s.mask[p]
			s.sufAnd[p], s.sufOr[p] = and, or
		}
		r.segments = append(r.segments, s)
	}
	r.levelBits = 0
	for i := range r.criteria {
		r.levelBits.set(i)
	}
}

// segTruth evaluates every flat criterion at once: min holds with unknown
// inputs at their least severe value, sure whatever they are, maybe for
// some value of them. mayRaise[k] is what segment k's unknown quantity
// may still make true.
func (r *Rules) segTruth(st *qstate, min, sure, maybe *bitset, mayRaise []bitset) {
	for k := range r.segments {
		s := &r.segments[k]
		p := s.piece(st.lo[s.q])
		m := s.mask[p]
		*min |= m
		if st.unk[s.q] == 0 {
			*sure |= m
			*maybe |= m
			mayRaise[k] = 0
			continue
		}
		and, or := s.reach(p, r.qUpper[s.q])
		*sure |= and
		*maybe |= or
		mayRaise[k] = or
	}
}

// reach returns the AND and the OR of the pieces from p up to the piece of
// hi: what a quantity whose least value lies in p must, and may, meet.
func (s *qSegments) reach(p int, hi float64) (and, or bitset) {
	if math.IsInf(hi, 1) {
		return s.sufAnd[p], s.sufOr[p]
	}
	and = ^bitset(0)
	for last := s.piece(hi); p <= last; p++ {
		and &= s.mask[p]
		or |= s.mask[p]
	}
	return and, or
}

// segRaise records, for each unknown input, the most severe level its
// quantities could still reach through a flat criterion that does not hold.
func (r *Rules) segRaise(st *qstate, min bitset, mayRaise []bitset, res *Result, raised *uint32) {
	for k := range r.segments {
		c := (mayRaise[k] &^ min & r.levelBits).first()
		if c < 0 {
			continue
		}
		res.raise(st.unk[r.segments[k].q], int8(r.criteria[c].Level.Rank), raised)
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
