package grading

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// changji is the convention of the Changji plan (1.5, last sentence) and of
// Decree 493: "以上含本数，以下不含本数".
var convChangji = Convention{AboveInclusive: true, BelowInclusive: false}

// belowInclusive is the opposite convention, which no plan here uses; it
// shows that the words take their meaning from the convention, not the
// parser.
var convBelowInclusive = Convention{AboveInclusive: false, BelowInclusive: true}

var (
	posInf = math.Inf(1)
	negInf = math.Inf(-1)
)

func ivAtLeast(x float64) Interval       { return Interval{Lo: x, LoIncl: true, Hi: posInf} }
func ivBelow(x float64) Interval         { return Interval{Lo: negInf, Hi: x} }
func ivHalfOpen(lo, hi float64) Interval { return Interval{Lo: lo, LoIncl: true, Hi: hi} }

type thresholdCase struct {
	name string
	s    string
	unit string
	want Interval
}

func runThresholdCases(t *testing.T, conv Convention, cases []thresholdCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseThreshold(tc.s, conv, tc.unit)
			require.Nil(t, err, "ParseThreshold(%q)", tc.s)
			assert.Equal(t, tc.want, got, "got %v, want %v", got, tc.want)
		})
	}
}

// Every threshold wording of the Changji plan's grading criteria (1.5) and
// scope (1.3), with the interval typed from the text under its convention.
func TestParseThreshold_ChangjiPlanWordings(t *testing.T) {
	runThresholdCases(t, convChangji, []thresholdCase{
		{"1.5 特别重大 (1) deaths or endangered: 30 人以上", "30 人以上", "人", ivAtLeast(30)},
		{"1.5 特别重大 (1) poisoned or seriously injured: 100 人以上", "100 人以上", "人", ivAtLeast(100)},
		{"1.5 特别重大 (1) direct loss: 1 亿元以上", "1 亿元以上", "元", ivAtLeast(1e8)},
		{"1.5 特别重大 (2) evacuated: 10 万人以上", "10 万人以上", "人", ivAtLeast(1e5)},
		{"1.5 重大 (1) deaths or endangered: 10 人以上、30 人以下", "10 人以上、30 人以下", "人", ivHalfOpen(10, 30)},
		{"1.5 重大 (1) poisoned or seriously injured: 50 人以上、100 人以下", "50 人以上、100 人以下", "人", ivHalfOpen(50, 100)},
		{"1.5 重大 (1) direct loss: 5000 万元以上、1 亿元以下", "5000 万元以上、1 亿元以下", "元", ivHalfOpen(5e7, 1e8)},
		{"1.5 重大 (3) evacuated: 5 万人以上", "5 万人以上", "人", ivAtLeast(5e4)},
		{"1.5 较大 (1) deaths: 3 人以上、10 人以下", "3 人以上、10 人以下", "人", ivHalfOpen(3, 10)},
		{"1.5 较大 (1) poisoned or seriously injured: 30 人以上、50 人以下", "30 人以上、50 人以下", "人", ivHalfOpen(30, 50)},
		{"1.5 较大 (1) direct loss: 1000 万元以上、5000 万元以下", "1000 万元以上、5000 万元以下", "元", ivHalfOpen(1e7, 5e7)},
		{"1.5 较大 (2) evacuated: 1000 人以上、5 万人以下", "1000 人以上、5 万人以下", "人", ivHalfOpen(1000, 5e4)},
		{"1.5 一般 (1) deaths: 3 人以下", "3 人以下", "人", ivBelow(3)},
		{"1.5 一般 (1) seriously injured: 10 人以下", "10 人以下", "人", ivBelow(10)},
		{"1.5 一般 (1) direct loss: 1000 万元以下", "1000 万元以下", "元", ivBelow(1e7)},
		{"1.3 (1) deaths or endangered: 3 人以上", "3 人以上", "人", ivAtLeast(3)},
		{"1.3 (1) poisoned or seriously injured: 10 人以上", "10 人以上", "人", ivAtLeast(10)},
		{"1.3 (1) evacuated: 1 万人以上", "1 万人以上", "人", ivAtLeast(1e4)},
		{"1.3 (1) direct loss: 1000 万元以上", "1000 万元以上", "元", ivAtLeast(1e7)},
	})
}

// Under a convention where 以下 includes its number and 以上 does not, the
// same words give the mirror-image intervals.
func TestParseThreshold_BelowInclusiveConvention(t *testing.T) {
	runThresholdCases(t, convBelowInclusive, []thresholdCase{
		{"range", "10 人以上、30 人以下", "人", Interval{Lo: 10, Hi: 30, HiIncl: true}},
		{"lower bound only", "30 人以上", "人", Interval{Lo: 30, Hi: posInf}},
		{"upper bound only", "3 人以下", "人", Interval{Lo: negInf, Hi: 3, HiIncl: true}},
		{"range in yuan", "5000 万元以上、1 亿元以下", "元", Interval{Lo: 5e7, Hi: 1e8, HiIncl: true}},
		{"interval notation ignores the convention", "[10, 30)", "人", ivHalfOpen(10, 30)},
		{"comparator ignores the convention", ">= 30", "人", ivAtLeast(30)},
	})
	t.Run("equal ends are empty when only one side is inclusive", func(t *testing.T) {
		_, err := ParseThreshold("10 人以上、10 人以下", convBelowInclusive, "人")
		require.NotNil(t, err)
		assert.Equal(t, "the range is empty: 10 is not below 10", err.Message)
	})
	t.Run("equal ends are one number when both sides are inclusive", func(t *testing.T) {
		got, err := ParseThreshold("10以上、10以下", Convention{AboveInclusive: true, BelowInclusive: true}, "")
		require.Nil(t, err)
		assert.Equal(t, Interval{Lo: 10, Hi: 10, LoIncl: true, HiIncl: true}, got)
	})
}

// The same wordings as typed by hand: without spaces, with other
// separators, full-width forms, decimals and other multipliers.
func TestParseThreshold_Spellings(t *testing.T) {
	runThresholdCases(t, convChangji, []thresholdCase{
		{"no spaces in yuan", "5000万元以上1亿元以下", "元", ivHalfOpen(5e7, 1e8)},
		{"no spaces in people", "10人以上30人以下", "人", ivHalfOpen(10, 30)},
		{"full-width comma", "10 人以上，30 人以下", "人", ivHalfOpen(10, 30)},
		{"ASCII comma", "10人以上,30人以下", "人", ivHalfOpen(10, 30)},
		{"space around the separator", "10 人以上 、 30 人以下", "人", ivHalfOpen(10, 30)},
		{"ideographic spaces", "\u300010\u3000人以上、\u300030\u3000人以下\u3000", "人", ivHalfOpen(10, 30)},
		{"tabs and newlines", "\t10 人以上、\n30 人以下\n", "人", ivHalfOpen(10, 30)},
		{"full-width digits", "３０人以上", "人", ivAtLeast(30)},
		{"upper bound written first", "30 人以下、10 人以上", "人", ivHalfOpen(10, 30)},
		{"unit omitted", "30以上", "人", ivAtLeast(30)},
		{"unit omitted with multiplier", "1 万以上", "人", ivAtLeast(1e4)},
		{"unitless input", "10 以上、30 以下", "", ivHalfOpen(10, 30)},
		{"negative bound of a unitless input", "-5以上", "", ivAtLeast(-5)},
		{"decimal 亿", "1.5 亿元以上", "元", ivAtLeast(1.5e8)},
		{"decimal 万", "999.99万元以下", "元", ivBelow(9999900)},
		{"千", "3 千人以上", "人", ivAtLeast(3000)},
		{"百", "5 百人以下", "人", ivBelow(500)},
		{"千万", "1千万元以上", "元", ivAtLeast(1e7)},
		{"space between multiplier and unit", "1 万 人以上", "人", ivAtLeast(1e4)},
	})
}

func TestParseThreshold_IntervalNotation(t *testing.T) {
	runThresholdCases(t, convChangji, []thresholdCase{
		{"half-open", "[10, 30)", "人", ivHalfOpen(10, 30)},
		{"open below closed above", "(3, 10]", "人", Interval{Lo: 3, Hi: 10, HiIncl: true}},
		{"+inf", "[30, +inf)", "人", ivAtLeast(30)},
		{"unsigned inf", "[30, inf)", "人", ivAtLeast(30)},
		{"infinity sign", "[30, ∞)", "人", ivAtLeast(30)},
		{"+∞", "[30, +∞)", "人", ivAtLeast(30)},
		{"-inf", "(-inf, 3)", "人", ivBelow(3)},
		{"-∞", "(-∞, 3)", "人", ivBelow(3)},
		{"Infinity spelled out", "(-Infinity, 3)", "人", ivBelow(3)},
		{"closed bracket at infinity is read as open", "[-inf, 3)", "人", ivBelow(3)},
		{"everything", "(-∞, +∞)", "人", All},
		{"one number", "[30, 30]", "人", Interval{Lo: 30, Hi: 30, LoIncl: true, HiIncl: true}},
		{"multipliers", "[5000万, 1亿)", "元", ivHalfOpen(5e7, 1e8)},
		{"multipliers with unit", "[5000万元, 1亿元)", "元", ivHalfOpen(5e7, 1e8)},
		{"no spaces", "[10,30)", "人", ivHalfOpen(10, 30)},
		{"full-width brackets and comma", "（3，10］", "人", Interval{Lo: 3, Hi: 10, HiIncl: true}},
		{"spaces inside", "[ 10 , 30 )", "人", ivHalfOpen(10, 30)},
	})
}

func TestParseThreshold_Comparators(t *testing.T) {
	runThresholdCases(t, convChangji, []thresholdCase{
		{">=", ">= 30", "人", ivAtLeast(30)},
		{">", "> 30", "人", Interval{Lo: 30, Hi: posInf}},
		{"<=", "<= 3", "人", Interval{Lo: negInf, Hi: 3, HiIncl: true}},
		{"<", "< 3", "人", ivBelow(3)},
		{"≥", "≥ 30", "人", ivAtLeast(30)},
		{"≤", "≤ 3", "人", Interval{Lo: negInf, Hi: 3, HiIncl: true}},
		{"≧", "≧30", "人", ivAtLeast(30)},
		{"≥ with multiplier and unit", "≥ 1亿元", "元", ivAtLeast(1e8)},
		{"with unit", ">= 30 人", "人", ivAtLeast(30)},
		{"full-width", "＞＝30", "人", ivAtLeast(30)},
	})
}

// huge overflows a float64 once multiplied by 亿.
var hugeNumber = "1" + strings.Repeat("0", 320)

// Each error kind, with the message, the hint and the runes it points at.
func TestParseThreshold_Errors(t *testing.T) {
	cases := []struct {
		name, s, unit string
		from, to      int
		msg, hint     string
	}{
		{name: "empty", s: "", unit: "人",
			from: 0, to: 0, // ""
			msg:  "the threshold is empty",
			hint: "write it as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "blank with ideographic space", s: " \u3000 ", unit: "人",
			from: 0, to: 3, // " \u3000 "
			msg:  "the threshold is empty",
			hint: "write it as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "garbage", s: "abc", unit: "人",
			from: 0, to: 3, // "abc"
			msg:  "expected a number, found \"abc\"",
			hint: "write it as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "bare number", s: "30", unit: "人",
			from: 0, to: 2, // "30"
			msg:  "\"30\" is a bare number, which is ambiguous: it does not say whether 30 is a lower bound, an upper bound or an exact value",
			hint: "write \"30 人以上\" for 30 and more, or \"[30, 30]\" for exactly 30"},
		{name: "bare number with unit", s: "30 人", unit: "人",
			from: 0, to: 4, // "30 人"
			msg:  "\"30 人\" is a bare number, which is ambiguous: it does not say whether 30 is a lower bound, an upper bound or an exact value",
			hint: "write \"30 人以上\" for 30 and more, or \"[30, 30]\" for exactly 30"},
		{name: "bare number with multiplier", s: "1 万", unit: "人",
			from: 0, to: 3, // "1 万"
			msg:  "\"1 万\" is a bare number, which is ambiguous: it does not say whether 1万 is a lower bound, an upper bound or an exact value",
			hint: "write \"1 万人以上\" for 1万 and more, or \"[1万, 1万]\" for exactly 1万"},
		{name: "second bound without keyword", s: "10 人以上、30", unit: "人",
			from: 7, to: 9, // "30"
			msg:  "\"30\" needs 以上 or 以下 after it",
			hint: "write \"30 人以下\""},
		{name: "empty range: lower above upper", s: "30 人以上、10 人以下", unit: "人",
			from: 0, to: 13, // "30 人以上、10 人以下"
			msg:  "the range is empty: 30 is not below 10",
			hint: "the smaller number goes with 以上: \"10 人以上、30 人以下\""},
		{name: "empty range: equal ends under the plan convention", s: "10 人以上、10 人以下", unit: "人",
			from: 0, to: 13, // "10 人以上、10 人以下"
			msg:  "the range is empty: 10 is not below 10",
			hint: "for exactly 10 write \"[10, 10]\""},
		{name: "empty range in yuan", s: "1 亿元以上、5000 万元以下", unit: "元",
			from: 0, to: 16, // "1 亿元以上、5000 万元以下"
			msg:  "the range is empty: 1亿 is not below 5000万",
			hint: "the smaller number goes with 以上: \"5000 万元以上、1 亿元以下\""},
		{name: "two lower bounds", s: "10 人以上、30 人以上", unit: "人",
			from: 7, to: 13, // "30 人以上"
			msg:  "two lower bounds: \"10 人以上\" and \"30 人以上\"",
			hint: "a range has one 以上 and one 以下: \"10 人以上、30 人以下\""},
		{name: "two upper bounds", s: "30 人以下、10 人以下", unit: "人",
			from: 7, to: 13, // "10 人以下"
			msg:  "two upper bounds: \"30 人以下\" and \"10 人以下\"",
			hint: "a range has one 以上 and one 以下: \"10 人以上、30 人以下\""},
		{name: "yuan for people", s: "1 亿元以上", unit: "人",
			from: 3, to: 4, // "元"
			msg:  "unit \"元\" does not fit an input measured in \"人\"",
			hint: "write \"1 亿人以上\", or attach the rule to an input measured in \"元\""},
		{name: "wrong unit in the upper bound", s: "10 人以上、30 元以下", unit: "人",
			from: 10, to: 11, // "元"
			msg:  "unit \"元\" does not fit an input measured in \"人\"",
			hint: "write \"30 人以下\", or attach the rule to an input measured in \"元\""},
		{name: "person-times for people", s: "30 人次以上", unit: "人",
			from: 3, to: 5, // "人次"
			msg:  "unit \"人次\" does not fit an input measured in \"人\"",
			hint: "write \"30 人以上\", or attach the rule to an input measured in \"人次\""},
		{name: "households for people", s: "30 户以上", unit: "人",
			from: 3, to: 4, // "户"
			msg:  "unit \"户\" does not fit an input measured in \"人\"",
			hint: "write \"30 人以上\", or attach the rule to an input measured in \"户\""},
		{name: "people for yuan", s: "1000 万人以上", unit: "元",
			from: 6, to: 7, // "人"
			msg:  "unit \"人\" does not fit an input measured in \"元\"",
			hint: "write \"1000 万元以上\", or attach the rule to an input measured in \"人\""},
		{name: "unit on a unitless input", s: "30 人以上", unit: "",
			from: 3, to: 4, // "人"
			msg:  "unit \"人\" does not fit an input that has no unit",
			hint: "leave the unit out: \"30以上\""},
		{name: "NaN", s: "NaN 人以上", unit: "人",
			from: 0, to: 3, // "NaN"
			msg:  "\"NaN\" is not a number",
			hint: "write it as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "inf in wording", s: "inf 人以上", unit: "人",
			from: 0, to: 3, // "inf"
			msg:  "\"inf\" is not a finite number",
			hint: "leave an open side out instead: \"30 人以上\" has no upper bound, as has \"[30, +∞)\""},
		{name: "infinity sign in wording", s: "∞以上", unit: "",
			from: 0, to: 1, // "∞"
			msg:  "\"∞\" is not a finite number",
			hint: "leave an open side out instead: \"30以上\" has no upper bound, as has \"[30, +∞)\""},
		{name: "inf after comparator", s: ">= +Inf", unit: "人",
			from: 3, to: 7, // "+Inf"
			msg:  "\"+Inf\" is not a finite number",
			hint: "leave an open side out instead: \"30 人以上\" has no upper bound, as has \"[30, +∞)\""},
		{name: "NaN in an interval", s: "[NaN, 30)", unit: "人",
			from: 1, to: 4, // "NaN"
			msg:  "\"NaN\" is not a number",
			hint: "write it as \"[10, 30)\": \"[\" or \"]\" includes the end, \"(\" or \")\" leaves it out"},
		{name: "negative people", s: "-3 人以上", unit: "人",
			from: 0, to: 2, // "-3"
			msg:  "\"-3\" is negative, but a number of people cannot be",
			hint: "write \"3 人以上\""},
		{name: "negative yuan", s: "-1000 万元以下", unit: "元",
			from: 0, to: 5, // "-1000"
			msg:  "\"-1000\" is negative, but an amount of money cannot be",
			hint: "write \"1000 万元以下\""},
		{name: "thousands separators", s: "1,000 万元以上", unit: "元",
			from: 0, to: 5, // "1,000"
			msg:  "\"1,000\" uses thousands separators, which are not read because a comma also separates the two bounds",
			hint: "write \"1000 万元以上\""},
		{name: "decimal point without digits", s: "30. 人以上", unit: "人",
			from: 0, to: 3, // "30."
			msg:  "\"30.\" has no digits after the decimal point",
			hint: "write \"30 人以上\""},
		{name: "number too large", s: hugeNumber + " 亿元以上", unit: "元",
			from: 0, to: 324, // the number through 亿元
			msg:  `"` + hugeNumber + ` 亿元" is too large`,
			hint: "write it as the plan does: \"5000 万元以上、1 亿元以下\", or \"[5000万, 1亿)\""},
		{name: "k multiplier", s: "30k 人以上", unit: "人",
			from: 2, to: 3, // "k"
			msg:  "\"k\" is not a known multiplier or unit: multipliers are 百, 千, 万 and 亿",
			hint: "write \"30 千人以上\""},
		{name: "traditional 萬", s: "5 萬人以上", unit: "人",
			from: 2, to: 3, // "萬"
			msg:  "\"萬\" is not a known multiplier or unit: multipliers are 百, 千, 万 and 亿",
			hint: "write \"5 万人以上\""},
		{name: "兆 is ambiguous", s: "1 兆元以上", unit: "元",
			from: 2, to: 3, // "兆"
			msg:  "\"兆\" is not a known multiplier or unit: multipliers are 百, 千, 万 and 亿",
			hint: "write it as the plan does: \"5000 万元以上、1 亿元以下\", or \"[5000万, 1亿)\""},
		{name: "multipliers out of order", s: "1万千人以上", unit: "人",
			from: 1, to: 3, // "万千"
			msg:  "\"万千\" is not a multiplier: combined multipliers go from small to large, as in 千万",
			hint: "write \"1 千万人以上\""},
		{name: "Chinese numerals", s: "三十人以上", unit: "人",
			from: 0, to: 2, // "三十"
			msg:  "\"三十\" is written in Chinese numerals; write the number in digits",
			hint: "write it as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "不足", s: "不足 3 人", unit: "人",
			from: 0, to: 2, // "不足"
			msg:  "\"不足\" is not used in thresholds: only 以上 and 以下 are",
			hint: "write \"3 人以下\"; the plan's convention decides whether the number itself counts"},
		{name: "以内", s: "3 人以内", unit: "人",
			from: 3, to: 5, // "以内"
			msg:  "\"以内\" is not used in thresholds: only 以上 and 以下 are",
			hint: "write \"3 人以下\"; the plan's convention decides whether the number itself counts"},
		{name: "超过", s: "超过30人", unit: "人",
			from: 0, to: 2, // "超过"
			msg:  "\"超过\" is not used in thresholds: only 以上 and 以下 are",
			hint: "write \"30 人以上\"; the plan's convention decides whether the number itself counts"},
		{name: "及以上", s: "30 人及以上", unit: "人",
			from: 4, to: 7, // "及以上"
			msg:  "\"及以上\" is not used in thresholds: only 以上 and 以下 are",
			hint: "write \"30 人以上\"; the plan's convention decides whether the number itself counts"},
		{name: "至 as a range", s: "10至30人", unit: "人",
			from: 2, to: 3, // "至"
			msg:  "\"至\" does not make a range here",
			hint: "write both bounds as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "dash as a range", s: "10-30", unit: "",
			from: 2, to: 3, // "-"
			msg:  "\"-\" does not make a range here",
			hint: "write both bounds as the plan does: \"10以上、30以下\", or \"[10, 30)\""},
		{name: "且 between bounds", s: "10 人以上且 30 人以下", unit: "人",
			from: 6, to: 7, // "且"
			msg:  "\"且\" does not join two bounds here",
			hint: "separate the two bounds with \"、\": \"10 人以上、30 人以下\""},
		{name: "余 makes it approximate", s: "30 余人以上", unit: "人",
			from: 3, to: 4, // "余"
			msg:  "\"余\" makes the number approximate",
			hint: "a threshold must be exact: write \"30 人以上\""},
		{name: "以上 without a number", s: "以上", unit: "人",
			from: 0, to: 2, // "以上"
			msg:  "\"以上\" needs a number before it",
			hint: "write it as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "junk after the first bound", s: "30 人以上。", unit: "人",
			from: 6, to: 7, // "。"
			msg:  "unexpected \"。\" after \"30 人以上\"",
			hint: "end the threshold at \"30 人以上\", or add the other bound after \"、\": \"30 人以上、… 人以下\""},
		{name: "third bound", s: "10 人以上、30 人以下、50 人以下", unit: "人",
			from: 13, to: 20, // "、50 人以下"
			msg:  "unexpected \"、50 人以下\" after the second bound",
			hint: "a range has one 以上 and one 以下: \"10 人以上、30 人以下\", or \"[10, 30)\""},
		{name: "trailing separator", s: "30 人以上、", unit: "人",
			from: 6, to: 7, // "、"
			msg:  "nothing follows \"、\"",
			hint: "remove \"、\", or add the other bound after it: \"30 人以上、… 人以下\""},
		{name: "trailing separator after 以下", s: "3 人以下，", unit: "人",
			from: 5, to: 6, // "，"
			msg:  "nothing follows \"，\"",
			hint: "remove \"，\", or add the other bound after it: \"3 人以下、… 人以上\""},
		{name: "interval not closed", s: "[10, 30", unit: "人",
			from: 0, to: 1, // "["
			msg:  "\"[10, 30\" is not closed: end it with \"]\" or \")\"",
			hint: "write it as \"[10, 30)\": \"[\" or \"]\" includes the end, \"(\" or \")\" leaves it out"},
		{name: "interval without comma", s: "[10 30)", unit: "人",
			from: 4, to: 5, // "3"
			msg:  "expected \",\" between the two ends, found \"3\"",
			hint: "write it as \"[10, 30)\": \"[\" or \"]\" includes the end, \"(\" or \")\" leaves it out"},
		{name: "interval with a bad closer", s: "[10, 30>", unit: "人",
			from: 7, to: 8, // ">"
			msg:  "expected \"]\" or \")\" after \"[10, 30\", found \">\"",
			hint: "write it as \"[10, 30)\": \"[\" or \"]\" includes the end, \"(\" or \")\" leaves it out"},
		{name: "interval with +inf as lower end", s: "[+inf, 3)", unit: "人",
			from: 1, to: 5, // "+inf"
			msg:  "the lower end cannot be \"+inf\": nothing is above +∞",
			hint: "write \"(-∞, 30)\" for everything below 30"},
		{name: "interval with -∞ as upper end", s: "(3, -∞)", unit: "人",
			from: 4, to: 6, // "-∞"
			msg:  "the upper end cannot be \"-∞\": nothing is below -∞",
			hint: "write \"[30, +∞)\" for 30 and everything above"},
		{name: "interval empty", s: "[30, 10)", unit: "人",
			from: 0, to: 8, // "[30, 10)"
			msg:  "the range is empty: 30 is not below 10",
			hint: "write the smaller end first: \"[10, 30)\""},
		{name: "interval half-open at one point", s: "[10, 10)", unit: "人",
			from: 0, to: 8, // "[10, 10)"
			msg:  "the range is empty: 10 is not below 10",
			hint: "for exactly 10 write \"[10, 10]\""},
		{name: "interval with trailing text", s: "[10, 30) 人", unit: "人",
			from: 9, to: 10, // "人"
			msg:  "unexpected \"人\" after the interval \"[10, 30)\"",
			hint: "write it as \"[10, 30)\": \"[\" or \"]\" includes the end, \"(\" or \")\" leaves it out"},
		{name: "interval with wrong unit", s: "[10元, 30元)", unit: "人",
			from: 3, to: 4, // "元"
			msg:  "unit \"元\" does not fit an input measured in \"人\"",
			hint: "write \"10 人以上\", or attach the rule to an input measured in \"元\""},
		{name: "interval missing upper end", s: "[10, )", unit: "人",
			from: 5, to: 6, // ")"
			msg:  "expected a number after \",\", found \")\"",
			hint: "write it as \"[10, 30)\": \"[\" or \"]\" includes the end, \"(\" or \")\" leaves it out"},
		{name: "equals", s: "= 30", unit: "人",
			from: 0, to: 1, // "="
			msg:  "\"=\" does not make a threshold",
			hint: "for exactly 30 write \"[30, 30]\""},
		{name: "=>", s: "=> 30", unit: "人",
			from: 0, to: 2, // "=>"
			msg:  "\"=>\" is not a comparator",
			hint: "write \">= 30\" or \"<= 30\""},
		{name: "comparator without number", s: ">=", unit: "人",
			from: 0, to: 2, // ">="
			msg:  "expected a number after \">=\"",
			hint: "write \">= 30 人\""},
		{name: "comparator with 以上", s: "≥ 30 人以上", unit: "人",
			from: 6, to: 8, // "以上"
			msg:  "unexpected \"以上\" after \"≥ 30 人\"",
			hint: "one comparator takes one number; for a range, write it as the plan does: \"10 人以上、30 人以下\", or \"[10, 30)\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseThreshold(tc.s, convChangji, tc.unit)
			require.NotNil(t, err, "ParseThreshold(%q) = %v, want an error", tc.s, got)
			assert.Equal(t, tc.msg, err.Message)
			assert.Equal(t, tc.hint, err.Fix)
			assert.Equal(t, tc.from, err.From, "From")
			assert.Equal(t, tc.to, err.To, "To")
			assert.Equal(t, "grading: "+tc.msg, err.Error())
		})
	}
}

func TestParseAmount(t *testing.T) {
	cases := []struct {
		name string
		s    string
		want float64
	}{
		{"万", "5000万", 5e7},
		{"decimal 亿 with unit", "1.2亿元", 120000000},
		{"decimal 万", "999.99万", 9999900},
		{"plain", "12345", 12345},
		{"plain with unit", "12345元", 12345},
		{"zero", "0", 0},
		{"tenth of 万", "0.1万", 1000},
		{"spaces", " 1.2 亿 元 ", 120000000},
		{"千万", "1千万", 1e7},
		{"fen", "0.01", 0.01},
		{"full-width", "５０００万元", 5e7},
		{"leading zeros", "007万", 70000},
		{"at the level II boundary", "5000万元", 50000000},
		{"just under 1亿", "9999.99万", 99999900},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAmount(tc.s)
			require.NoError(t, err)
			// Exact, not within a tolerance: amounts at a grade boundary
			// must land on it.
			assert.True(t, got == tc.want, "ParseAmount(%q) = %v, want exactly %v", tc.s, got, tc.want)
		})
	}
}

// Scaling the decimal before converting is what makes these exact; a
// naive 1.2*1e8 is 119999999.99999999 in float64, just under level I.
func TestParseAmount_ExactWithDecimals(t *testing.T) {
	for cents := int64(0); cents < 10_000_000; cents += 9973 {
		s := fmt.Sprintf("%d.%02d万", cents/100, cents%100)
		got, err := ParseAmount(s)
		require.NoError(t, err, s)
		assert.True(t, got == float64(cents*100), "ParseAmount(%q) = %v, want exactly %d", s, got, cents*100)
	}
	for tenths := int64(0); tenths < 100_000; tenths += 997 {
		s := fmt.Sprintf("%d.%d亿元", tenths/10, tenths%10)
		got, err := ParseAmount(s)
		require.NoError(t, err, s)
		assert.True(t, got == float64(tenths*10_000_000), "ParseAmount(%q) = %v, want exactly %d", s, got, tenths*10_000_000)
	}
}

func TestParseAmount_Errors(t *testing.T) {
	cases := []struct {
		name, s   string
		from, to  int
		msg, hint string
	}{
		{name: "empty", s: "",
			from: 0, to: 0, // ""
			msg:  "the amount is empty",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "blank", s: "  ",
			from: 0, to: 2, // "  "
			msg:  "the amount is empty",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "negative", s: "-5万",
			from: 0, to: 2, // "-5"
			msg:  "\"-5\" is negative, but an amount of money cannot be",
			hint: "write the amount in yuan, e.g. \"5万元\""},
		{name: "NaN", s: "NaN",
			from: 0, to: 3, // "NaN"
			msg:  "\"NaN\" is not a number",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "Inf", s: "+Inf",
			from: 0, to: 4, // "+Inf"
			msg:  "\"+Inf\" is not a finite number",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "garbage", s: "五千万",
			from: 0, to: 3, // "五千万"
			msg:  "\"五千万\" is written in Chinese numerals; write the number in digits",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "letters", s: "abc",
			from: 0, to: 3, // "abc"
			msg:  "expected a number, found \"abc\"",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "k multiplier", s: "5k",
			from: 1, to: 2, // "k"
			msg:  "\"k\" is not a known multiplier or unit: multipliers are 百, 千, 万 and 亿",
			hint: "write the amount in yuan, e.g. \"5千元\""},
		{name: "兆", s: "5兆元",
			from: 1, to: 2, // "兆"
			msg:  "\"兆\" is not a known multiplier or unit: multipliers are 百, 千, 万 and 亿",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "萬", s: "5000萬",
			from: 4, to: 5, // "萬"
			msg:  "\"萬\" is not a known multiplier or unit: multipliers are 百, 千, 万 and 亿",
			hint: "write the amount in yuan, e.g. \"5000万元\""},
		{name: "thousands separators", s: "1,234,567元",
			from: 0, to: 9, // "1,234,567"
			msg:  "\"1,234,567\" uses thousands separators, which are not read because in Chinese text a comma also separates list items",
			hint: "write the amount in yuan, e.g. \"1234567元\""},
		{name: "wrong unit", s: "12345人",
			from: 5, to: 6, // "人"
			msg:  "unit \"人\" does not fit an amount of money, which is in \"元\"",
			hint: "write the amount in yuan, e.g. \"12345元\""},
		{name: "threshold words", s: "5000万元以上",
			from: 6, to: 8, // "以上"
			msg:  "unexpected \"以上\" after the amount \"5000万元\"",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "approximate", s: "约5000万",
			from: 0, to: 1, // "约"
			msg:  "\"约\" does not belong in an amount",
			hint: "write the amount in yuan, e.g. \"5000万元\""},
		{name: "decimal point without digits", s: "5.万",
			from: 0, to: 2, // "5."
			msg:  "\"5.\" has no digits after the decimal point",
			hint: "write the amount in yuan, e.g. \"5万元\""},
		{name: "two numbers", s: "5000 6000",
			from: 5, to: 9, // "6000"
			msg:  "unexpected \"6000\" after the amount \"5000\"",
			hint: "write the amount in yuan, e.g. \"5000万\", \"1.2亿元\" or \"12345\""},
		{name: "multipliers out of order", s: "5万千",
			from: 1, to: 3, // "万千"
			msg:  "\"万千\" is not a multiplier: combined multipliers go from small to large, as in 千万",
			hint: "write the amount in yuan, e.g. \"5千万元\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseAmount(tc.s)
			require.Error(t, err, "ParseAmount(%q) = %v, want an error", tc.s, got)
			var te *ThresholdError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.msg, te.Message)
			assert.Equal(t, tc.hint, te.Fix)
			assert.Equal(t, tc.from, te.From, "From")
			assert.Equal(t, tc.to, te.To, "To")
			assert.Zero(t, got)
		})
	}
}

var fuzzThresholdUnits = []string{"人", "元", ""}

func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{
		"30 人以上", "10 人以上、30 人以下", "5000万元以上1亿元以下", "[10, 30)", "(-inf, 3)",
		"≥ 1亿元", "30", "", "30 人以上、10 人以下", "不足 3 人", "1,234 人以上", "[+inf, 3)",
	} {
		f.Add(s, true, false, uint8(0))
	}
	f.Fuzz(func(t *testing.T, s string, aboveIncl, belowIncl bool, unitSel uint8) {
		conv := Convention{AboveInclusive: aboveIncl, BelowInclusive: belowIncl}
		unit := fuzzThresholdUnits[int(unitSel)%len(fuzzThresholdUnits)]
		iv, err := ParseThreshold(s, conv, unit)
		if err != nil {
			checkThresholdErrorSpan(t, s, err)
			return
		}
		if math.IsNaN(iv.Lo) || math.IsNaN(iv.Hi) || iv.Lo > iv.Hi || iv.isEmpty() {
			t.Fatalf("ParseThreshold(%q) = %v, an empty or NaN interval", s, iv)
		}
		back, err := ParseThreshold(iv.String(), conv, unit)
		if err != nil {
			t.Fatalf("ParseThreshold(%q) = %v, but reading %q back fails: %v", s, iv, iv.String(), err)
		}
		if back != iv {
			t.Fatalf("ParseThreshold(%q) = %#v, read back as %#v", s, iv, back)
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"5000万", "1.2亿元", "999.99万", "12345", "0", "-5", "1,234元", "NaN", "5k", "约5000万"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			te, ok := err.(*ThresholdError)
			if !ok {
				t.Fatalf("ParseAmount(%q) returned %T, want *ThresholdError", s, err)
			}
			checkThresholdErrorSpan(t, s, te)
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Fatalf("ParseAmount(%q) = %v", s, v)
		}
		if back, err := ParseAmount(FormatNumber(v, "元")); err != nil || back != v {
			t.Fatalf("ParseAmount(%q) = %v, but FormatNumber gives %q, read back as %v, %v", s, v, FormatNumber(v, "元"), back, err)
		}
	})
}

// checkSpan checks that an error points inside the input and says
// something; for input that is not blank it must point at something.
func checkThresholdErrorSpan(t *testing.T, s string, err *ThresholdError) {
	t.Helper()
	n := utf8.RuneCountInString(s)
	if err.From < 0 || err.From > err.To || err.To > n {
		t.Fatalf("%q: error span [%d, %d) outside [0, %d]: %s", s, err.From, err.To, n, err.Message)
	}
	if err.Message == "" || err.Fix == "" {
		t.Fatalf("%q: error without message or hint: %#v", s, err)
	}
	if strings.TrimFunc(s, unicode.IsSpace) != "" && err.To == err.From {
		t.Fatalf("%q: empty error span at %d: %s", s, err.From, err.Message)
	}
}

func TestHalfWrittenKeyword(t *testing.T) {
	_, err := ParseThreshold("3 人以", Convention{AboveInclusive: true}, "人")
	require.NotNil(t, err)
	assert.Equal(t, `"以" must be followed by 上 or 下`, err.Message)
	assert.Equal(t, `write "3 人以上" or "3 人以下"`, err.Fix)
	assert.Equal(t, 3, err.From)
	assert.Equal(t, 4, err.To)
}
