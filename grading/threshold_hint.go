package grading

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// The answers to mistakes in thresholds and amounts (see threshold.go):
// each names the runes at fault and says how the plan would write it.

// multiplierFor maps multipliers of other registers to the ones the plans
// use, for hints only: "5k" and "5萬" are refused, but the fix is obvious.
var multiplierFor = map[string]string{
	"k": "千", "K": "千", "w": "万", "W": "万", "m": "百万", "M": "百万",
	"萬": "万", "億": "亿", "仟": "千", "佰": "百",
}

// chineseNumerals are Chinese numerals, which the plans never use for
// thresholds.
const chineseNumerals = "零〇一二两三四五六七八九十"

// multAt returns the multipliers at i, after optional space, for hints
// about a number that could not be read to the end.
func (p *thresholdScanner) multAt(i int) string {
	for unicode.IsSpace(p.at(i)) {
		i++
	}
	j := i
	for multiplierExp[p.at(j)] != 0 {
		j++
	}
	return string(p.r[i:j])
}

// kwFrom returns the first of 以上 and 以下 at or after i, so that a hint
// keeps the author's keyword; 以上 if there is none.
func (p *thresholdScanner) kwFrom(i int) string {
	for ; i < len(p.r); i++ {
		if p.hasPrefixAt(i, "以下") {
			return "以下"
		}
		if p.hasPrefixAt(i, "以上") {
			return "以上"
		}
	}
	return "以上"
}

func (p *thresholdScanner) unitNoun() string {
	switch p.unit {
	case "人":
		return "a number of people"
	case "元":
		return "an amount of money"
	}
	return "a number of " + p.unit
}

// unitError refuses a written unit that is not the input's. The hint keeps
// the author's number and keyword and swaps the unit, but also says the
// other way out, since the rule may be attached to the wrong input.
func (p *thresholdScanner) unitError(q writtenQuantity, from, to int) *ThresholdError {
	kw := p.kwFrom(to)
	written := p.text(from, to)
	if u, ok := strings.CutSuffix(written, "以"); ok && (u == p.unit || u == "") {
		// "3 人以": the author stopped half-way through 以上 or 以下.
		return p.fail(to-1, to, fmt.Sprintf("write %q or %q", p.phrase(q.digits, q.mult, "以上"), p.phrase(q.digits, q.mult, "以下")),
			"%q must be followed by 上 or 下", "以")
	}
	if p.unit == "" {
		return p.fail(from, to, fmt.Sprintf("leave the unit out: %q", p.phrase(q.digits, q.mult, kw)),
			"unit %q does not fit an input that has no unit", written)
	}
	if p.amount {
		return p.fail(from, to, p.hintFor(q.digits, q.mult), "unit %q does not fit an amount of money, which is in %q", written, p.unit)
	}
	return p.fail(from, to, fmt.Sprintf("%s, or attach the rule to an input measured in %q", p.boundHint(q.digits, q.mult, kw), written),
		"unit %q does not fit an input measured in %q", written, p.unit)
}

// notANumber explains what is at p.i where a number should be.
func (p *thresholdScanner) notANumber(after string, aFrom, aTo int) *ThresholdError {
	if p.eof() {
		return p.fail(aFrom, aTo, p.exampleHint(), "expected a number after %q", after)
	}
	i := p.i
	c := p.r[i]
	sign := 0
	if c == '+' || c == '-' {
		sign = 1
	}
	if n := p.infAt(i + sign); n > 0 {
		return p.fail(i, i+sign+n, p.infHint(), "%q is not a finite number", p.text(i, i+sign+n))
	}
	if to := p.tokenEnd(i); isASCIILetter(c) && strings.EqualFold(string(p.r[i:to]), "nan") {
		return p.fail(i, to, p.exampleHint(), "%q is not a number", p.text(i, to))
	}
	found := func() string {
		if after == "" {
			return ""
		}
		return fmt.Sprintf(" after %q", after)
	}
	switch {
	case p.keywordAt(i):
		d, m := p.nextNumber(i)
		return p.fail(i, i+2, p.hintFor(d, m), "%q needs a number before it", p.text(i, i+2))
	case isHanRune(c):
		if w, kind, ok := p.wordAt(i); ok {
			return p.wordError(i, i+len([]rune(w)), kind, nil)
		}
		if strings.ContainsRune(chineseNumerals, c) || multiplierExp[c] != 0 {
			j := i
			for strings.ContainsRune(chineseNumerals, p.at(j)) || multiplierExp[p.at(j)] != 0 {
				j++
			}
			return p.fail(i, j, p.exampleHint(), "%q is written in Chinese numerals; write the number in digits", p.text(i, j))
		}
	}
	to := p.tokenEnd(i)
	return p.fail(i, to, p.exampleHint(), "expected a number%s, found %q", found(), p.text(i, to))
}

// nextNumber finds the first number at or after i, with its multipliers,
// to build hints from the author's own numbers. It returns "" if none.
func (p *thresholdScanner) nextNumber(i int) (digits, mult string) {
	for i < len(p.r) && !isASCIIDigit(p.r[i]) {
		i++
	}
	j := i
	for isASCIIDigit(p.at(j)) || p.at(j) == '.' && isASCIIDigit(p.at(j+1)) {
		j++
	}
	digits = string(p.r[i:j])
	for unicode.IsSpace(p.at(j)) {
		j++
	}
	k := j
	for multiplierExp[p.at(k)] != 0 {
		k++
	}
	return digits, string(p.r[j:k])
}

// thresholdWordKind groups the words plans and reports use around numbers,
// so the hint can say which of 以上 and 以下 was meant.
type thresholdWordKind int

const (
	wordAbove  thresholdWordKind = iota // "超过 30 人": write 30 人以上
	wordBelow                           // "不足 3 人", "3 人以内": write 3 人以下
	wordRange                           // "10 至 30 人": write 10 人以上、30 人以下
	wordJoin                            // "10 人以上且 30 人以下": use 、
	wordApprox                          // "30 余人": thresholds are exact
)

// thresholdWords are matched longest first; 以上 and 以下 are not among them
// because they are the words that are understood.
var thresholdWords = func() []struct {
	w    string
	kind thresholdWordKind
} {
	list := []struct {
		w    string
		kind thresholdWordKind
	}{
		{"及以上", wordAbove}, {"或以上", wordAbove}, {"不少于", wordAbove}, {"不低于", wordAbove},
		{"不小于", wordAbove}, {"超过", wordAbove}, {"高于", wordAbove}, {"大于", wordAbove},
		{"多于", wordAbove}, {"达到", wordAbove}, {"至少", wordAbove}, {"满", wordAbove},
		{"及以下", wordBelow}, {"或以下", wordBelow}, {"不超过", wordBelow}, {"不高于", wordBelow},
		{"不大于", wordBelow}, {"不多于", wordBelow}, {"不足", wordBelow}, {"不到", wordBelow},
		{"不满", wordBelow}, {"未满", wordBelow}, {"未达到", wordBelow}, {"低于", wordBelow},
		{"小于", wordBelow}, {"少于", wordBelow}, {"以内", wordBelow}, {"之内", wordBelow},
		{"至多", wordBelow},
		{"至", wordRange}, {"到", wordRange}, {"~", wordRange}, {"〜", wordRange},
		{"-", wordRange}, {"—", wordRange}, {"–", wordRange},
		{"并且", wordJoin}, {"而且", wordJoin}, {"同时", wordJoin}, {"且", wordJoin},
		{"和", wordJoin}, {"与", wordJoin}, {"及", wordJoin}, {"或", wordJoin},
		{"左右", wordApprox}, {"上下", wordApprox}, {"余", wordApprox}, {"多", wordApprox},
		{"约", wordApprox}, {"近", wordApprox},
	}
	slices.SortStableFunc(list, func(a, b struct {
		w    string
		kind thresholdWordKind
	}) int {
		return len([]rune(b.w)) - len([]rune(a.w))
	})
	return list
}()

func (p *thresholdScanner) wordAt(i int) (string, thresholdWordKind, bool) {
	for _, w := range thresholdWords {
		if p.hasPrefixAt(i, w.w) {
			return w.w, w.kind, true
		}
	}
	return "", 0, false
}

// wordError explains a word that is not 以上 or 以下. q is the quantity the
// word follows, or nil if it comes before its number.
func (p *thresholdScanner) wordError(from, to int, kind thresholdWordKind, q *writtenQuantity) *ThresholdError {
	w := p.text(from, to)
	var d, m string
	if q != nil {
		d, m = q.digits, q.mult
	} else {
		d, m = p.nextNumber(to)
	}
	if p.amount {
		return p.fail(from, to, p.hintFor(d, m), "%q does not belong in an amount", w)
	}
	switch kind {
	case wordAbove:
		return p.fail(from, to, p.hintFor(d, m)+"; the plan's convention decides whether the number itself counts",
			"%q is not used in thresholds: only 以上 and 以下 are", w)
	case wordBelow:
		return p.fail(from, to, p.boundHint(d, m, "以下")+"; the plan's convention decides whether the number itself counts",
			"%q is not used in thresholds: only 以上 and 以下 are", w)
	case wordRange:
		d2, m2 := p.nextNumber(to)
		if d == "" || d2 == "" {
			return p.fail(from, to, p.exampleHint(), "%q does not make a range here", w)
		}
		return p.fail(from, to, fmt.Sprintf("write both bounds as the plan does: %q, or %q",
			p.phrase(d, m, "以上")+"、"+p.phrase(d2, m2, "以下"), "["+d+m+", "+d2+m2+")"),
			"%q does not make a range here", w)
	case wordJoin:
		before := strings.TrimRightFunc(p.text(0, from), unicode.IsSpace)
		after := strings.TrimLeftFunc(p.text(to, len(p.src)), unicode.IsSpace)
		return p.fail(from, to, fmt.Sprintf("separate the two bounds with \"、\": %q", strings.TrimSpace(before)+"、"+strings.TrimSpace(after)),
			"%q does not join two bounds here", w)
	}
	return p.fail(from, to, "a threshold must be exact: "+p.hintFor(d, m), "%q makes the number approximate", w)
}

// phrase writes a bound as the plan does: "30 人以上", "1 万人以上",
// "5000 万元以下", or "30以上" for an input without a unit.
func (p *thresholdScanner) phrase(digits, mult, kw string) string {
	if mult+p.unit == "" {
		return digits + kw
	}
	return digits + " " + mult + p.unit + kw
}

// hintFor is a hint built on the author's own number: how to write it as a
// lower bound, or, for amounts, as an amount. With no number it falls back
// to an example.
func (p *thresholdScanner) hintFor(digits, mult string) string {
	return p.boundHint(digits, mult, "以上")
}

// boundHint is hintFor with the keyword chosen by the caller.
func (p *thresholdScanner) boundHint(digits, mult, kw string) string {
	if digits == "" {
		return p.exampleHint()
	}
	if p.amount {
		return fmt.Sprintf("write the amount in yuan, e.g. %q", digits+mult+"元")
	}
	return fmt.Sprintf("write %q", p.phrase(digits, mult, kw))
}

// exampleHint shows a whole threshold in the plan's style, in the input's
// unit, for errors with no number of the author's to build on.
func (p *thresholdScanner) exampleHint() string {
	if p.amount {
		return `write the amount in yuan, e.g. "5000万", "1.2亿元" or "12345"`
	}
	if p.interval {
		return p.intervalHint()
	}
	if p.unit == "元" {
		return fmt.Sprintf("write it as the plan does: %q, or %q", p.phrase("5000", "万", "以上")+"、"+p.phrase("1", "亿", "以下"), "[5000万, 1亿)")
	}
	return fmt.Sprintf("write it as the plan does: %q, or %q", p.phrase("10", "", "以上")+"、"+p.phrase("30", "", "以下"), "[10, 30)")
}

func (p *thresholdScanner) infHint() string {
	if p.amount {
		return p.exampleHint()
	}
	d, m := p.nextNumber(0)
	if d == "" {
		d = "30"
	}
	return fmt.Sprintf("leave an open side out instead: %q has no upper bound, as has %q", p.phrase(d, m, "以上"), "["+d+m+", +∞)")
}

func (p *thresholdScanner) intervalHint() string {
	if p.unit == "元" {
		return `write it as "[5000万, 1亿)": "[" or "]" includes the end, "(" or ")" leaves it out`
	}
	return `write it as "[10, 30)": "[" or "]" includes the end, "(" or ")" leaves it out`
}
