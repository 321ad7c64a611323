package analysis

// Bounds: every range a message renders, also given as numbers, so that a
// program never parses "10–29 人" and a test can check that the text says
// exactly what the analysis computed.

import (
	"math"
	"strconv"

	"github.com/yingji/yingji/grading"
)

// Bounds is a range of one input's values, as a message renders it and as
// numbers.
//
// The numbers follow the plan's convention for counts and amounts: Lo is
// the least value in the range and Hi the first value past it, so a count
// range rendered "3–9 人" has Lo 3 (inclusive) and Hi 10 (exclusive), which
// is "[3, 10)"; an amount range keeps the ends the analysis computed
// ("[500万, 2000万) 元": Lo 5000000 inclusive, Hi 20000000 exclusive). A
// nil end is unbounded. For an ordered enum Lo and Hi are the ranks of the
// least and greatest value in the range, both inclusive, and Values lists
// their ids; for a bool they are 0 (false) and 1 (true).
//
// Concurrency: a plain value.
type Bounds struct {
	Input string `json:"input"`
	// Text is the range as the message writes it.
	Text string `json:"text"`
	// Interval is the range in interval notation ("[3, 10)"), which
	// grading.ParseThreshold reads back; "" for enums and bools.
	Interval    string   `json:"interval,omitempty"`
	Lo          *float64 `json:"lo"`
	LoInclusive bool     `json:"loInclusive"`
	Hi          *float64 `json:"hi"`
	HiInclusive bool     `json:"hiInclusive"`
	Values      []string `json:"values,omitempty"`
}

// BoundsOf gives region, a range of input in's values as the analysis
// computes it (enum ranks, 0 and 1 for bools), as Bounds: the numbers as
// the type documents and the text Describe renders.
func BoundsOf(in *grading.Input, region grading.Interval) Bounds {
	b := Bounds{Input: in.ID, Text: Describe(in, region)}
	num := func(x float64) *float64 {
		if math.IsInf(x, 0) {
			return nil
		}
		return &x
	}
	switch in.Type {
	case grading.Count:
		lo, hi := countBounds(region)
		iv := grading.Interval{Lo: lo, LoIncl: true, Hi: hi + 1}
		if math.IsInf(hi, 1) {
			iv.Hi = hi
		}
		b.Lo, b.LoInclusive, b.Hi = num(iv.Lo), true, num(iv.Hi)
		b.Interval = iv.String()
	case grading.Enum, grading.Bool:
		lo, hi := rankBounds(in, region)
		b.Lo, b.Hi = num(float64(lo)), num(float64(hi))
		b.LoInclusive, b.HiInclusive = true, true
		for r := lo; r <= hi; r++ {
			if in.Type == grading.Bool {
				b.Values = append(b.Values, strconv.FormatBool(r == 1))
			} else {
				b.Values = append(b.Values, in.Values[r].ID)
			}
		}
	default:
		b.Lo, b.LoInclusive = num(region.Lo), region.LoIncl && !math.IsInf(region.Lo, 0)
		b.Hi, b.HiInclusive = num(region.Hi), region.HiIncl && !math.IsInf(region.Hi, 0)
		b.Interval = region.String()
	}
	return b
}

// Region is the interval the bounds give (enum and bool ranks inclusive).
func (b Bounds) Region() grading.Interval {
	iv := grading.Interval{Lo: math.Inf(-1), Hi: math.Inf(1), LoIncl: b.LoInclusive, HiIncl: b.HiInclusive}
	if b.Lo != nil {
		iv.Lo = *b.Lo
	}
	if b.Hi != nil {
		iv.Hi = *b.Hi
	}
	return iv
}

// rankBounds is the least and greatest rank of an enum's (or a bool's)
// values in iv; lo > hi when there is none.
func rankBounds(in *grading.Input, iv grading.Interval) (lo, hi int) {
	n := 2
	if in.Type == grading.Enum {
		n = len(in.Values)
	}
	lo, hi = n, -1
	for r := range n {
		if iv.Contains(float64(r)) {
			lo, hi = min(lo, r), max(hi, r)
		}
	}
	return lo, hi
}
