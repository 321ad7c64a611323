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

// maxSegments is how many summed quantities Classify tracks on the stack;
// a plan with more has its criteria evaluated as trees.
const maxSegments = 16

// The compact index Classify walks, made from the segments above:
//
//   - a quantity that is one input (a count, an amount, an enum, a bool)
//     is a member of a group: the state of a member is 0 when its input
//     is unknown, and 1 + the piece of its value when known, and the
//     group's table, indexed by all its members' states at once, holds
//     the OR of their masks — one lookup for several inputs;
//   - a quantity summed from several inputs is a numSeg: its value is
//     placed among its cuts, and its piece looked up.
//
// Both keep their cuts inline, padded with +Inf, so that placing a value
// is a run of comparisons that stops at the first cut above it.

// numCuts is how many cuts a member or a numSeg holds inline; a quantity
// with more is a numSeg with the rest in Rules.segCuts.
const numCuts = 6

// numSeg is a summed quantity's segment index, compacted.
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

// maxGroup and maxGroupTable bound a group: its members, and the entries
// of its table.
const (
	maxGroup      = 8
	maxGroupTable = 1024
)

// member is one input of a group: Rules.members lists the members of
// every group in turn, and the last of each says where its group's table
// starts in Rules.groupTable.
type member struct {
	cuts   [numCuts]float64
	table  uint32 // the offset of its group's table
	stride uint16
	in     uint8
	last   bool
}

// group is a group being built: up to maxGroup inputs read through one
// table.
type group struct {
	members []member
	table   []pieceMasks
}

// compactSegments lays the segment index out for Classify. It reports
// false when the plan is too large for the compact form (more than
// maxSegments summed quantities, or offsets past 16 bits), and Classify
// then evaluates every criterion as a tree.
func (r *Rules) compactSegments() bool {
	r.nums, r.members, r.groupTable, r.singleInputs = nil, nil, nil, 0
	r.singleUnkOr = [MaxInputs]bitset{}
	var groups []group
	var g *group
	for _, s := range r.segments {
		states := len(s.mask) + 1 // unknown, then each piece
		if len(s.more) == 0 && s.t0 < inlineInputs && len(s.cuts) <= numCuts && states <= maxGroupTable {
			if g == nil || len(g.members) == maxGroup || len(g.table)*states > maxGroupTable {
				groups = append(groups, group{table: []pieceMasks{{}}})
				g = &groups[len(groups)-1]
			}
			// Multiply the table by this member's states.
			stride := len(g.table)
			next := make([]pieceMasks, stride*states)
			for st := range states {
				var m pieceMasks
				if st == 0 { // unknown: its least severe value, 0
					p := s.piece(0)
					m = pieceMasks{s.mask[p], s.unkAnd[p], s.unkOr[p]}
				} else {
					m = pieceMasks{s.mask[st-1], s.mask[st-1], s.mask[st-1]}
				}
				for i, e := range g.table {
					next[st*stride+i] = pieceMasks{e.mask | m.mask, e.unkAnd | m.unkAnd, e.unkOr | m.unkOr}
				}
			}
			g.table = next
			mb := member{in: uint8(s.t0), stride: uint16(stride)}
			for i := range mb.cuts {
				mb.cuts[i] = math.Inf(1)
			}
			copy(mb.cuts[:], s.cuts)
			g.members = append(g.members, mb)
			// An input can be the one input of several quantities (q:
			// deaths beside deaths itself): what it may meet while
			// unknown is the union, whose first criterion is the most
			// severe of them.
			r.singleInputs |= 1 << s.t0
			r.singleUnkOr[s.t0] |= s.unkOr[s.piece(0)] & r.levelBits
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
	for _, g := range groups {
		at := len(r.groupTable)
		r.groupTable = append(r.groupTable, g.table...)
		for i, m := range g.members {
			m.table, m.last = uint32(at), i == len(g.members)-1
			r.members = append(r.members, m)
		}
	}
	return true
}

// place6 is how many of the inline cuts are at or below v: one comparison
// per cut passed, and one more.
func place6(v float64, c *[numCuts]float64) int {
	if v < c[0] {
		return 0
	}
	if v < c[1] {
		return 1
	}
	if v < c[2] {
		return 2
	}
	if v < c[3] {
		return 3
	}
	if v < c[4] {
		return 4
	}
	if v < c[5] {
		return 5
	}
	return 6
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
// some value of them. It returns the summed quantities that are partly
// unknown as the bits of unk, with their pieces in pieces, for segRaise.
//
// It is Classify's inner loop, written for the machine: one table lookup
// per group of inputs, and a short loop over the summed quantities.
func (r *Rules) segTruth(inc *Incident, pieces *[maxSegments]uint16) (mn, su, mb bitset, unk uint64) {
	mn, su, mb = r.groupTruth(inc)
	known := inc.known
	for k := range r.nums {
		s := &r.nums[k]
		v := inc.val(int(s.t0))
		for _, t := range r.segTerms[s.more : int(s.more)+int(s.nmore)] {
			v = addDown(v, inc.val(int(t)))
		}
		n := place6(v, &s.cuts)
		if n == numCuts && s.extra != 0 {
			for _, c := range r.segCuts[s.cut : int(s.cut)+int(s.extra)] {
				if v < c {
					break
				}
				n++
			}
		}
		p := s.piece + uint16(n)
		pm := &r.segPieces[p]
		mn |= pm.mask
		if s.refs&^known == 0 {
			su |= pm.mask
			mb |= pm.mask
			continue
		}
		su |= pm.unkAnd
		mb |= pm.unkOr
		unk |= 1 << (k & 63)
		pieces[k%maxSegments] = p
	}
	return mn, su, mb, unk
}

// groupTruth looks up the groups: their members in one run, each group's
// table looked up at its last member.
func (r *Rules) groupTruth(inc *Incident) (mn, su, mb bitset) {
	known := inc.known
	idx := 0
	for m := range r.members {
		x := &r.members[m]
		if in := x.in % inlineInputs; known&(1<<in) != 0 {
			idx += (place6(inc.vals[in], &x.cuts) + 1) * int(x.stride)
		}
		if x.last {
			pm := &r.groupTable[int(x.table)+idx]
			mn |= pm.mask
			su |= pm.unkAnd
			mb |= pm.unkOr
			idx = 0
		}
	}
	return mn, su, mb
}

// segRaise records in reach, for each unknown input, the most severe
// level its quantities could still reach through a flat criterion that
// does not hold, when that is above the grade (level; -1 for none): for
// the unknown inputs that are quantities of their own, and the summed
// quantities segTruth found partly unknown.
func (r *Rules) segRaise(inc *Incident, min bitset, unk uint64, pieces *[maxSegments]uint16, reach *[MaxInputs]int8, level int16) {
	open := ^min & r.levelBits
	above := int8(127) // the ranks that raise the grade are below it
	if level >= 0 {
		above = int8(level)
	}
	ranks := &r.critRank
	for m := r.singleInputs &^ inc.known; m != 0; m &= m - 1 {
		i := bits.TrailingZeros32(m) % MaxInputs
		if c := r.singleUnkOr[i] &^ min; c != 0 {
			if rank := ranks[bits.TrailingZeros64(uint64(c))%64]; rank < above {
				reach[i] = rank + 1 // the first reach recorded for i
			}
		}
	}
	for ; unk != 0; unk &= unk - 1 {
		k := bits.TrailingZeros64(unk)
		if c := r.segPieces[pieces[k%maxSegments]].unkOr & open; c != 0 {
			if rank := ranks[bits.TrailingZeros64(uint64(c))%64]; rank < above {
				var raised uint32
				raise(reach, r.nums[k%maxSegments].refs&^inc.known, rank, &raised)
			}
		}
	}
}

// raise notes in reach that the inputs in unk could lift the grade to
// level rank.
func raise(reach *[MaxInputs]int8, unk uint32, rank int8, raised *uint32) {
	*raised |= unk
	for m := unk; m != 0; m &= m - 1 {
		i := bits.TrailingZeros32(m) % MaxInputs
		if reach[i] == 0 || reach[i] > rank+1 {
			reach[i] = rank + 1
		}
	}
}
