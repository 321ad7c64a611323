package grading

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatNumber(t *testing.T) {
	cases := []struct {
		name string
		x    float64
		unit string
		want string
	}{
		{"5000万 yuan", 50000000, "元", "5000万"},
		{"1亿 yuan", 100000000, "元", "1亿"},
		{"999.99万 yuan", 9999900, "元", "999.99万"},
		{"odd yuan stay plain", 12345, "元", "12345"},
		{"1.5亿", 150000000, "元", "1.5亿"},
		{"1.23亿", 123000000, "元", "1.23亿"},
		{"not a multiple of 100万 stays in 万", 123450000, "元", "12345万"},
		{"1000万", 1e7, "元", "1000万"},
		{"1万 exactly", 10000, "元", "1万"},
		{"under 1万 stays plain", 9900, "元", "9900"},
		{"5万 people", 50000, "人", "5万"},
		{"10万 people", 1e5, "人", "10万"},
		{"small counts", 30, "人", "30"},
		{"1000 people", 1000, "人", "1000"},
		{"unitless", 50000, "", "5万"},
		{"fraction", 2.5, "", "2.5"},
		{"cents", 0.01, "元", "0.01"},
		{"zero", 0, "元", "0"},
		{"negative zero", math.Copysign(0, -1), "", "0"},
		{"negative", -50000, "", "-5万"},
		{"very large", 1e20, "元", "100000000000000000000"},
		{"+∞", posInf, "人", "+∞"},
		{"-∞", negInf, "人", "-∞"},
		{"NaN", math.NaN(), "", "NaN"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, FormatNumber(tc.x, tc.unit))
		})
	}
}

func TestIntervalString(t *testing.T) {
	cases := []struct {
		name string
		iv   Interval
		want string
	}{
		{"half-open", ivHalfOpen(10, 30), "[10, 30)"},
		{"open closed", Interval{Lo: 3, Hi: 10, HiIncl: true}, "(3, 10]"},
		{"lower bound only", ivAtLeast(30), "[30, +∞)"},
		{"upper bound only", ivBelow(3), "(-∞, 3)"},
		{"inclusive flag at infinity is not shown", Interval{Lo: negInf, LoIncl: true, Hi: posInf, HiIncl: true}, "(-∞, +∞)"},
		{"All", All, "(-∞, +∞)"},
		{"yuan", ivHalfOpen(5e7, 1e8), "[5000万, 1亿)"},
		{"one number", Interval{Lo: 30, Hi: 30, LoIncl: true, HiIncl: true}, "[30, 30]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.iv.String())
		})
	}
}

// What String writes, ParseThreshold reads back, so a normalised threshold
// can be shown to the author and pasted into the plan.
func TestIntervalString_RoundTrip(t *testing.T) {
	for _, s := range []string{
		"30 人以上", "10 人以上、30 人以下", "3 人以下", "5000 万元以上、1 亿元以下",
		"999.99万元以下", "1.5 亿元以上", "(3, 10]", "(-∞, +∞)", "[0.01, 12345)",
	} {
		t.Run(s, func(t *testing.T) {
			iv, err := ParseThreshold(s, convChangji, "")
			if err != nil && strings.ContainsAny(s, "人元") {
				unit := "人"
				if strings.Contains(s, "元") {
					unit = "元"
				}
				iv, err = ParseThreshold(s, convChangji, unit)
			}
			require.Nil(t, err)
			back, err := ParseThreshold(iv.String(), convChangji, "")
			require.Nil(t, err, "reading back %q", iv.String())
			assert.Equal(t, iv, back)
		})
	}
}

func TestIntervalContains_Boundaries(t *testing.T) {
	parse := func(s, unit string) Interval {
		t.Helper()
		iv, err := ParseThreshold(s, convChangji, unit)
		require.Nil(t, err, s)
		return iv
	}
	cases := []struct {
		name string
		iv   Interval
		x    float64
		want bool
	}{
		{"以上 includes its number", parse("30 人以上", "人"), 30, true},
		{"以上 excludes the number below", parse("30 人以上", "人"), 29, false},
		{"以上 has no ceiling", parse("30 人以上", "人"), 1e9, true},
		{"以下 excludes its number", parse("3 人以下", "人"), 3, false},
		{"以下 includes the number below", parse("3 人以下", "人"), 2, true},
		{"以下 includes zero", parse("3 人以下", "人"), 0, true},
		{"range includes its lower end", parse("10 人以上、30 人以下", "人"), 10, true},
		{"range excludes its upper end", parse("10 人以上、30 人以下", "人"), 30, false},
		{"range includes just below its upper end", parse("10 人以上、30 人以下", "人"), 29, true},
		{"yuan range includes 5000万", parse("5000 万元以上、1 亿元以下", "元"), 5e7, true},
		{"yuan range excludes 1亿", parse("5000 万元以上、1 亿元以下", "元"), 1e8, false},
		{"yuan range includes 9999.99万", parse("5000 万元以上、1 亿元以下", "元"), 99999999.99, true},
		{"yuan range excludes one fen under 5000万", parse("5000 万元以上、1 亿元以下", "元"), 49999999.99, false},
		{"open lower end", parse("(3, 10]", "人"), 3, false},
		{"closed upper end", parse("(3, 10]", "人"), 10, true},
		{"All contains any finite number", All, -math.MaxFloat64, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.iv.Contains(tc.x))
		})
	}
}

// The plan's grades, read through ParseThreshold, give every death toll
// exactly one grade: the convention makes the ranges meet without overlap.
func TestIntervalContains_PlanGradesTile(t *testing.T) {
	grades := []string{"30 人以上", "10 人以上、30 人以下", "3 人以上、10 人以下", "3 人以下"}
	loss := []string{"1 亿元以上", "5000 万元以上、1 亿元以下", "1000 万元以上、5000 万元以下", "1000 万元以下"}
	check := func(t *testing.T, texts []string, unit string, xs []float64) {
		var ivs []Interval
		for _, s := range texts {
			iv, err := ParseThreshold(s, convChangji, unit)
			require.Nil(t, err, s)
			ivs = append(ivs, iv)
		}
		for _, x := range xs {
			n := 0
			for _, iv := range ivs {
				if iv.Contains(x) {
					n++
				}
			}
			assert.Equal(t, 1, n, "%v is in %d grades", x, n)
		}
	}
	t.Run("deaths", func(t *testing.T) {
		check(t, grades, "人", []float64{0, 1, 2, 3, 4, 9, 10, 11, 29, 30, 31, 1000})
	})
	t.Run("direct loss", func(t *testing.T) {
		check(t, loss, "元", []float64{0, 9999999.99, 1e7, 49999999.99, 5e7, 99999999.99, 1e8, 1e12})
	})
}

func TestIntervalContainsNaN(t *testing.T) {
	assert.False(t, All.Contains(math.NaN()))
	assert.False(t, Interval{Lo: 10, Hi: 30, LoIncl: true}.Contains(math.NaN()))
}
