package analysis

// The line of one input: its cells, with every other input at its least
// severe value, and which levels name each cell. Gaps, overlaps, order,
// monotonicity and scope are all read off the lines.

// lineCell is one cell of an input's line: the input at the cell's value,
// every other input at its least severe value.
type lineCell struct {
	cell
	named [][]*part // by level rank: parts reading the input that hold
	// kin counts the parts that read a co-member of the input (one
	// sharing a derived quantity with it) but not the input, and hold.
	kin   int
	grade int     // rank of the grade; -1 for none
	scope []*part // scope parts reading the input that hold
}

func (l *lineCell) levels() []int {
	var out []int
	for rank, ps := range l.named {
		if len(ps) > 0 {
			out = append(out, rank)
		}
	}
	return out
}

// first is the part of the most severe level naming the cell.
func (l *lineCell) first() *part {
	for _, ps := range l.named {
		if len(ps) > 0 {
			return ps[0]
		}
	}
	return nil
}

func (s *space) line(i int, cells []cell) []lineCell {
	out := make([]lineCell, len(cells))
	for k, c := range cells {
		pt := s.least()
		pt[i] = c.rep
		e := s.at(pt)
		lc := lineCell{cell: c, named: make([][]*part, len(s.level)), grade: e.grade()}
		for _, p := range s.parts {
			switch {
			case p.reads&(1<<i) != 0:
				if e.holds(p) {
					lc.named[p.level.Rank] = append(lc.named[p.level.Rank], p)
				}
			case p.reads&s.group[i] != 0:
				if e.holds(p) {
					lc.kin++
				}
			}
		}
		for _, p := range s.scope {
			if p.reads&(1<<i) != 0 && e.holds(p) {
				lc.scope = append(lc.scope, p)
			}
		}
		out[k] = lc
	}
	return out
}

// example is the incident at value x of input i: the input, and its
// co-members of derived quantities at their least value.
func (s *space) example(i int, x float64) Facts {
	var inc Facts
	for j, in := range s.inputs {
		switch {
		case j == i:
			inc = append(inc, Fact{in.ID, value(in, x)})
		case s.group[i]&(1<<j) != 0:
			inc = append(inc, Fact{in.ID, value(in, 0)})
		}
	}
	return inc
}

// exampleAt is the incident of a point, with the inputs in mask set.
func (s *space) exampleAt(pt point, mask uint64) Facts {
	var inc Facts
	for j, in := range s.inputs {
		if mask&(1<<j) != 0 {
			inc = append(inc, Fact{in.ID, value(in, pt[j])})
		}
	}
	return inc
}
