package grading

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Intervals, the boundary convention and numbers written the plan's way:
// what thresholds are read into and shown back as (see threshold.go).

// Convention says whether the words 以上 (at or above) and 以下 (below)
// include the number they follow. The Changji plan (1.5, last sentence)
// and Decree 493 both say "以上含本数，以下不含本数": AboveInclusive true,
// BelowInclusive false. A plan declares its own in plan.yaml.
//
// Concurrency: a plain value, safe to copy and share.
type Convention struct {
	AboveInclusive bool `json:"aboveInclusive"`
	BelowInclusive bool `json:"belowInclusive"`
}

// Interval is a set of numbers between Lo and Hi. Lo is -Inf and Hi is +Inf
// when that side is unbounded (the inclusive flag is then ignored).
//
// Concurrency: a plain value, safe to copy and share.
type Interval struct {
	Lo, Hi         float64
	LoIncl, HiIncl bool
}

// MarshalText writes iv in interval notation, as String does, so that an
// Interval is a JSON string such as "[10, 30)" (JSON has no infinity).
func (iv Interval) MarshalText() ([]byte, error) { return []byte(iv.String()), nil }

// UnmarshalText reads interval notation ("[10, 30)", "[5000万, +∞)"), the
// form MarshalText writes. Plan wording such as "10 人以上" is refused: it
// needs a boundary convention to be read (ParseThreshold).
func (iv *Interval) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if !strings.HasPrefix(s, "[") && !strings.HasPrefix(s, "(") {
		return &ThresholdError{Code: CodeThreshold, Text: string(b), To: utf8.RuneCount(b),
			Message: fmt.Sprintf("%q is not in interval notation", b), Fix: `write it as "[10, 30)"`}
	}
	v, err := ParseThreshold(s, Convention{}, "")
	if err != nil {
		return err
	}
	*iv = v
	return nil
}

// All is the interval of every number.
var All = Interval{Lo: math.Inf(-1), Hi: math.Inf(1)}

// Contains reports whether x is in iv.
func (iv Interval) Contains(x float64) bool {
	if x != x { // NaN is in no interval
		return false
	}
	if x < iv.Lo || (x == iv.Lo && !iv.LoIncl) {
		return false
	}
	if x > iv.Hi || (x == iv.Hi && !iv.HiIncl) {
		return false
	}
	return true
}

// String renders iv in interval notation, which ParseThreshold reads back
// to the same interval: "[10, 30)", "[30, +∞)", "(-∞, 3)". An unbounded side
// always gets a round bracket whatever its flag says, because no number is
// equal to infinity.
func (iv Interval) String() string {
	var b strings.Builder
	if math.IsInf(iv.Lo, 0) || !iv.LoIncl {
		b.WriteByte('(')
	} else {
		b.WriteByte('[')
	}
	b.WriteString(FormatNumber(iv.Lo, ""))
	b.WriteString(", ")
	b.WriteString(FormatNumber(iv.Hi, ""))
	if math.IsInf(iv.Hi, 0) || !iv.HiIncl {
		b.WriteByte(')')
	} else {
		b.WriteByte(']')
	}
	return b.String()
}

// FormatNumber writes x the way the plan writes its numbers, so that a
// threshold shown back to its author reads like the clause it came from:
// 50000000 is "5000万", 100000000 is "1亿", 9999900 is "999.99万".
//
// The rule is the same for every unit, because the plan writes people in
// 万 too ("1 万人以上"): a whole number that is a multiple of 1000000 and at
// least 1亿 is written in 亿; otherwise a whole number that is a multiple
// of 100 and at least 1万 is written in 万; that keeps at most two decimals
// after the multiplier. Anything else (12345, 2.5, numbers beyond 1e18) is
// written in plain digits, never in exponent form, since ParseThreshold does
// not read exponents. The result never carries the unit; unit is accepted
// so that callers need not know the rule is unit-blind today.
func FormatNumber(x float64, unit string) string {
	_ = unit
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "+∞"
	case math.IsInf(x, -1):
		return "-∞"
	case x == 0:
		return "0" // also for -0
	}
	if x != math.Trunc(x) || math.Abs(x) >= 1e18 {
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	n := int64(x)
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	switch {
	case n >= 1e8 && n%1e6 == 0:
		return sign + formatScaled(n, 1e8, 1e6) + "亿"
	case n >= 1e4 && n%100 == 0:
		return sign + formatScaled(n, 1e4, 100) + "万"
	}
	return sign + strconv.FormatInt(n, 10)
}

// formatScaled writes n/unit with two decimals at most (n is a multiple of
// unit/100), in integer arithmetic so no float rounding can show.
func formatScaled(n, unit, step int64) string {
	s := strconv.FormatInt(n/unit, 10)
	if r := (n % unit) / step; r != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%02d", r), "0")
	}
	return s
}

// isEmpty reports whether no number is in iv.
func (iv Interval) isEmpty() bool {
	return iv.Lo > iv.Hi || (iv.Lo == iv.Hi && !(iv.LoIncl && iv.HiIncl))
}
