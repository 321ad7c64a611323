package grading

import (
	"fmt"
	"testing"
)

func TestScratchGen(t *testing.T) {
	conv := Convention{AboveInclusive: true}
	type c struct{ name, s, u string }
	for _, c := range []c{
		{"empty", "", "人"},
		{"blank with ideographic space", " \u3000 ", "人"},
		{"garbage", "abc", "人"},
		{"bare number", "30", "人"},
		{"bare number with unit", "30 人", "人"},
		{"bare number with multiplier", "1 万", "人"},
		{"second bound without keyword", "10 人以上、30", "人"},
		{"empty range: lower above upper", "30 人以上、10 人以下", "人"},
		{"empty range: equal ends under the plan convention", "10 人以上、10 人以下", "人"},
		{"empty range in yuan", "1 亿元以上、5000 万元以下", "元"},
		{"two lower bounds", "10 人以上、30 人以上", "人"},
		{"two upper bounds", "30 人以下、10 人以下", "人"},
		{"yuan for people", "1 亿元以上", "人"},
		{"wrong unit in the upper bound", "10 人以上、30 元以下", "人"},
		{"person-times for people", "30 人次以上", "人"},
		{"households for people", "30 户以上", "人"},
		{"people for yuan", "1000 万人以上", "元"},
		{"unit on a unitless input", "30 人以上", ""},
		{"NaN", "NaN 人以上", "人"},
		{"inf in wording", "inf 人以上", "人"},
		{"infinity sign in wording", "∞以上", ""},
		{"inf after comparator", ">= +Inf", "人"},
		{"NaN in an interval", "[NaN, 30)", "人"},
		{"negative people", "-3 人以上", "人"},
		{"negative yuan", "-1000 万元以下", "元"},
		{"thousands separators", "1,000 万元以上", "元"},
		{"decimal point without digits", "30. 人以上", "人"},
		{"too large", "1" + string(make([]byte, 0)) + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 亿元以上", "元"},
		{"k multiplier", "30k 人以上", "人"},
		{"traditional 萬", "5 萬人以上", "人"},
		{"兆 is ambiguous", "1 兆元以上", "元"},
		{"multipliers out of order", "1万千人以上", "人"},
		{"Chinese numerals", "三十人以上", "人"},
		{"不足", "不足 3 人", "人"},
		{"以内", "3 人以内", "人"},
		{"超过", "超过30人", "人"},
		{"及以上", "30 人及以上", "人"},
		{"至 as a range", "10至30人", "人"},
		{"dash as a range", "10-30", ""},
		{"且 between bounds", "10 人以上且 30 人以下", "人"},
		{"余 makes it approximate", "30 余人以上", "人"},
		{"以上 without a number", "以上", "人"},
		{"junk after the first bound", "30 人以上。", "人"},
		{"third bound", "10 人以上、30 人以下、50 人以下", "人"},
		{"trailing separator", "30 人以上、", "人"},
		{"trailing separator after 以下", "3 人以下，", "人"},
		{"interval not closed", "[10, 30", "人"},
		{"interval without comma", "[10 30)", "人"},
		{"interval with a bad closer", "[10, 30>", "人"},
		{"interval with +inf as lower end", "[+inf, 3)", "人"},
		{"interval with -∞ as upper end", "(3, -∞)", "人"},
		{"interval empty", "[30, 10)", "人"},
		{"interval half-open at one point", "[10, 10)", "人"},
		{"interval with trailing text", "[10, 30) 人", "人"},
		{"interval with wrong unit", "[10元, 30元)", "人"},
		{"interval missing upper end", "[10, )", "人"},
		{"equals", "= 30", "人"},
		{"=>", "=> 30", "人"},
		{"comparator without number", ">=", "人"},
		{"comparator with 以上", "≥ 30 人以上", "人"},
	} {
		_, err := ParseThreshold(c.s, conv, c.u)
		if err == nil {
			fmt.Printf("NOERR %q\n", c.s)
			continue
		}
		fmt.Printf("{name: %q, s: %q, unit: %q,\n\tfrom: %d, to: %d, // %q\n\tmsg: %q,\n\thint: %q},\n", c.name, c.s, c.u, err.From, err.To, string([]rune(c.s)[err.From:err.To]), err.Msg, err.Hint)
	}
	for _, c := range []c{
		{"empty", "", ""}, {"blank", "  ", ""}, {"negative", "-5万", ""}, {"NaN", "NaN", ""}, {"Inf", "+Inf", ""}, {"garbage", "五千万", ""},
		{"letters", "abc", ""}, {"k multiplier", "5k", ""}, {"兆", "5兆元", ""}, {"萬", "5000萬", ""}, {"thousands separators", "1,234,567元", ""},
		{"wrong unit", "12345人", ""}, {"threshold words", "5000万元以上", ""}, {"approximate", "约5000万", ""}, {"decimal point without digits", "5.万", ""}, {"two numbers", "5000 6000", ""}, {"multipliers out of order", "5万千", ""},
	} {
		_, e := ParseAmount(c.s)
		if e == nil {
			fmt.Printf("NOERR %q\n", c.s)
			continue
		}
		err := e.(*ThresholdError)
		fmt.Printf("{name: %q, s: %q,\n\tfrom: %d, to: %d, // %q\n\tmsg: %q,\n\thint: %q},\n", c.name, c.s, err.From, err.To, string([]rune(c.s)[err.From:err.To]), err.Msg, err.Hint)
	}
}
