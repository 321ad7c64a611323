package analysis

// The points of the input space: each input's axis cut into cells, and
// what the grading package makes of a point.

import (
	"fmt"
	"math"
	"slices"

	"github.com/yingji/yingji/grading"
)

// cell is a set of values of one input on which every part's truth is
// the same: a single value, or the values strictly between two critical
// ones. Counts take whole numbers only, so a count cell is [lo, hi] of
// whole numbers.
type cell struct {
	iv  grading.Interval
	rep float64 // the value the cell is evaluated at, and shown as an example
}

// axis cuts an input's values into cells at its critical values (and any
// extra ones, for comparing two rule sets). The first cell is always the
// least severe value alone.
func axis(in *grading.Input, critical []float64) []cell {
	switch in.Type {
	case grading.Enum:
		out := make([]cell, len(in.Values))
		for i := range in.Values {
			out[i] = pointCell(float64(i))
		}
		return out
	case grading.Bool:
		return []cell{pointCell(0), pointCell(1)}
	}
	vals := []float64{0}
	for _, v := range critical {
		if in.Type == grading.Count {
			for _, w := range []float64{math.Floor(v), math.Ceil(v)} {
				if w >= 0 {
					vals = append(vals, w)
				}
			}
		} else if v >= 0 {
			vals = append(vals, v)
		}
	}
	slices.Sort(vals)
	vals = slices.Compact(vals)
	var out []cell
	for i, v := range vals {
		out = append(out, pointCell(v))
		next := math.Inf(1)
		if i+1 < len(vals) {
			next = vals[i+1]
		}
		if in.Type == grading.Count {
			if next-v >= 2 {
				iv := grading.Interval{Lo: v + 1, LoIncl: true, Hi: next - 1, HiIncl: true}
				if math.IsInf(next, 1) {
					iv.Hi, iv.HiIncl = next, false
				}
				out = append(out, cell{iv: iv, rep: v + 1})
			}
			continue
		}
		rep := v + 1
		if next-v < 2 {
			rep = v + (next-v)/2
		}
		out = append(out, cell{iv: grading.Interval{Lo: v, Hi: next}, rep: rep})
	}
	return out
}

func pointCell(v float64) cell {
	return cell{iv: grading.Interval{Lo: v, Hi: v, LoIncl: true, HiIncl: true}, rep: v}
}

// join is the interval covering cells a through b, in order.
func join(a, b cell) grading.Interval {
	return grading.Interval{Lo: a.iv.Lo, LoIncl: a.iv.LoIncl, Hi: b.iv.Hi, HiIncl: b.iv.HiIncl}
}

// axisOf is the axis of input i in this rule set.
func (s *space) axisOf(i int) []cell { return axis(s.inputs[i], s.crit[i]) }

// levelsRead reports whether some level criterion reads input i.
func (s *space) levelsRead(i int) bool {
	for _, p := range s.parts {
		if p.reads&(1<<i) != 0 {
			return true
		}
	}
	return false
}

// value renders the value of input in at x as an incident gives it.
func value(in *grading.Input, x float64) any {
	switch in.Type {
	case grading.Enum:
		return in.Values[int(x)].ID
	case grading.Bool:
		return x == 1
	}
	if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
		return int64(x)
	}
	return x
}

// point is a value for every graded input.
type point []float64

// least is the point with every input at its least severe value.
func (s *space) least() point { return make(point, len(s.inputs)) }

// evaluation is what the grading package makes of one point.
type evaluation struct {
	s   *space
	inc grading.Incident
	ev  *grading.Evaluation
}

// at evaluates the rules at pt. A point the grading package refuses is
// recorded in s.err, and nothing holds there.
func (s *space) at(pt point) *evaluation {
	inc, err := s.r.IncidentAt(pt)
	if err == nil {
		e := &evaluation{s: s, inc: inc}
		if e.ev, err = s.r.Evaluate(inc); err == nil {
			return e
		}
	}
	if s.err == nil {
		s.err = fmt.Errorf("analysis: evaluating the point %v: %w", []float64(pt), err)
	}
	return &evaluation{s: s}
}

// holds reports whether p's condition holds at the point. A condition
// that cannot be evaluated there (grading's EvalError: over the memory
// budget, 0/0) is recorded in s.err, as Classify would refuse the point,
// and reads as false.
func (e *evaluation) holds(p *part) bool {
	if e.ev == nil {
		return false
	}
	ok, err := e.ev.Check(p.cond)
	if err != nil && e.s.err == nil {
		e.s.err = fmt.Errorf("analysis: evaluating %v: %w", e.inc, err)
	}
	return ok
}

// grade is the rank of the level Classify gives the point; -1 when there
// is none.
func (e *evaluation) grade() int {
	if e.ev == nil {
		return -1
	}
	res, err := e.s.r.Classify(e.s.ctx, e.inc)
	if err != nil {
		if e.s.err == nil {
			e.s.err = fmt.Errorf("analysis: grading %v: %w", e.inc, err)
		}
		return -1
	}
	if l, ok := res.Level(); ok {
		return l.Rank
	}
	return -1
}
