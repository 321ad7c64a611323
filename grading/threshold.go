package grading

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/yingji/yingji/diag"
)

// The threshold files read thresholds and amounts as plans write them:
//
//	threshold.go       the grammar: ParseThreshold, ParseAmount and the
//	                   three notations (the plan's wording, intervals,
//	                   comparators)
//	threshold_scan.go  the scanner under it: runes, spaces, tokens
//	threshold_hint.go  what a mistake is answered with: the words plans
//	                   use around numbers, and hints in the plan's style
//	interval.go        what they produce: Interval, Convention, FormatNumber
//
// It is a hand-written scanner rather than a regexp so that every mistake
// can be pinned to the exact runes that caused it and answered with a hint
// in the plan's own style: a plan author fixes "30 人以内" faster when told
// to write "30 人以下" than when told the pattern did not match.
//
// Offsets are runes, not bytes, because they end up as editor columns in
// diagnostics about Chinese text (see yamlx.File.SubRange).

// ThresholdError is a problem in a threshold or amount as written. From and
// To are rune offsets into Text, so the caller can point at the exact
// characters in the YAML file.
//
// Concurrency: once returned, safe to read from any goroutine.
type ThresholdError struct {
	// Code is CodeThreshold for a threshold, CodeInputBadAmount for an
	// amount.
	Code    string `json:"code"`
	Text    string `json:"text"` // the threshold or amount as written
	From    int    `json:"from"` // rune offsets of the runes at fault in Text
	To      int    `json:"to"`
	Message string `json:"message"` // what is wrong, e.g. `unit "人" does not fit an input measured in "元"`
	Fix     string `json:"fix"`     // how to fix it, e.g. `write it as the plan does: "10 人以上、30 人以下" or "[10, 30)"`
}

func (e *ThresholdError) Error() string { return "grading: " + e.Message }

// Problems returns the error in its machine form.
func (e *ThresholdError) Problems() []diag.Problem {
	return []diag.Problem{{Code: e.Code, Message: e.Message, Params: map[string]string{
		"text": e.Text, "from": strconv.Itoa(e.From), "to": strconv.Itoa(e.To), "fix": e.Fix}}}
}

// ParseThreshold reads one threshold of a grading rule. The plan's own
// wording ("10 人以上、30 人以下", "5000 万元以上1亿元以下"), interval notation
// ("[10, 30)", "[5000万, +∞)") and comparators (">= 30", "≤ 3") are all
// accepted, because plan authors copy the first from the plan text and
// engineers reach for the others.
//
// Whether 以上 and 以下 include their number is not a property of the words
// but of the plan, so it comes from conv; the other two notations say it
// themselves. unit is the unit the input is measured in ("人", "元", or ""
// for none): a unit written in s must match it, so that a rule meant for
// people can never silently compare against yuan. A bare number is refused
// because "30" does not say whether 30 is a floor, a ceiling or an exact
// value, and guessing wrong would move incidents between grades.
//
// The returned interval is never empty; a range that no number can satisfy
// is reported as an error instead, since it is always a typing mistake.
func ParseThreshold(s string, conv Convention, unit string) (Interval, *ThresholdError) {
	p := newThresholdScanner(s, unit)
	p.skipSpace()
	if p.eof() {
		return Interval{}, p.fail(0, len(p.r), p.exampleHint(), "the threshold is empty")
	}
	switch p.peek() {
	case '[', '(':
		return p.intervalNotation()
	case '>', '<', '=', '≥', '≤', '≧', '≦':
		return p.comparator()
	}
	return p.wording(conv)
}

// ParseAmount reads an amount of money as incident reports give it
// ("5000万", "1.2亿元", "12345") and returns it in yuan.
//
// The decimal is scaled by its multiplier before it becomes a float, so
// "999.99万" is exactly 9999900 and "0.1万" exactly 1000: a loss written at
// a grade boundary must land on the boundary, not a hair below it.
// Thousands separators are refused rather than skipped because in Chinese
// text "," also separates list items, and guessing could turn "1,2" into
// twelve. A failure is a *ThresholdError, so callers can point at the runes.
func ParseAmount(s string) (float64, error) {
	p := newThresholdScanner(s, "元")
	p.amount = true
	p.skipSpace()
	if p.eof() {
		return 0, p.fail(0, len(p.r), p.exampleHint(), "the amount is empty")
	}
	q, err := p.readQuantity("", 0, 0)
	if err != nil {
		return 0, err
	}
	p.skipSpace()
	if !p.eof() {
		from, to := p.restSpan()
		return 0, p.fail(from, to, p.exampleHint(), "unexpected %q after the amount %q", p.text(from, to), p.text(q.from, q.to))
	}
	return q.val, nil
}

// multiplierExp gives each multiplier as a power of ten. Several may follow
// one another from small to large ("千万", "百万"), as they do in Chinese.
var multiplierExp = map[rune]int{'百': 2, '千': 3, '万': 4, '亿': 8}

// foreignMultipliers are multipliers in other registers (financial 大写,
// traditional forms) or of disputed size (兆 is 1e6 or 1e12 depending on the
// reader). They are refused, not guessed.
const foreignMultipliers = "十拾佰仟萬億兆"

// writtenQuantity is a number as written, with its multiplier and unit.
type writtenQuantity struct {
	from, to int // the runes from the number through its unit
	val      float64
	digits   string // the number as written (folded): "5000", "999.99"
	mult     string // the multipliers: "万", "千万", or ""
	unit     string // the unit as written, or ""
}

// readQuantity reads a number at p.i with its optional multipliers and
// unit. The sign is read only for unitless inputs: a negative count of
// people or yuan is a typing slip. after and [aFrom, aTo) name what came
// before, so that a missing number can be reported against it.
func (p *thresholdScanner) readQuantity(after string, aFrom, aTo int) (writtenQuantity, *ThresholdError) {
	start := p.i
	q := writtenQuantity{from: start}
	neg := p.peek() == '-' && isASCIIDigit(p.at(p.i+1))
	if neg {
		p.i++
	}
	if !isASCIIDigit(p.peek()) {
		p.i = start
		return q, p.notANumber(after, aFrom, aTo)
	}
	for isASCIIDigit(p.peek()) {
		p.i++
	}
	intEnd := p.i
	frac := ""
	switch {
	case p.peek() == '.' && isASCIIDigit(p.at(p.i+1)):
		p.i++
		f := p.i
		for isASCIIDigit(p.peek()) {
			p.i++
		}
		frac = string(p.r[f:p.i])
	case p.peek() == '.':
		return q, p.fail(start, p.i+1, p.boundHint(strings.TrimPrefix(string(p.r[start:p.i]), "-"), p.multAt(p.i+1), p.kwFrom(p.i)),
			"%q has no digits after the decimal point", p.text(start, p.i+1))
	case p.peek() == ',' && !p.interval && p.thousandsAt(p.i):
		end := p.i
		for isASCIIDigit(p.at(end)) || p.at(end) == ',' {
			end++
		}
		plain := strings.ReplaceAll(string(p.r[start:end]), ",", "")
		why := "a comma also separates the two bounds"
		if p.amount {
			why = "in Chinese text a comma also separates list items"
		}
		return q, p.fail(start, end, p.boundHint(strings.TrimPrefix(plain, "-"), p.multAt(end), p.kwFrom(end)),
			"%q uses thousands separators, which are not read because %s", p.text(start, end), why)
	}
	q.digits = string(p.r[start:p.i])
	numEnd, end := p.i, p.i

	// Multipliers, after optional space as in "1 万人".
	p.skipSpace()
	mFrom, exp, ordered := p.i, 0, true
	for last := 0; ; p.i++ {
		e, ok := multiplierExp[p.peek()]
		if !ok {
			break
		}
		ordered = ordered && e > last
		last, exp = e, exp+e
	}
	if p.i > mFrom {
		q.mult = string(p.r[mFrom:p.i])
		if !ordered {
			sorted := slices.Compact(slices.SortedFunc(slices.Values(p.r[mFrom:p.i]), func(a, b rune) int { return multiplierExp[a] - multiplierExp[b] }))
			return q, p.fail(mFrom, p.i, p.boundHint(q.digits, string(sorted), p.kwFrom(p.i)),
				"%q is not a multiplier: combined multipliers go from small to large, as in 千万", p.text(mFrom, p.i))
		}
		end = p.i
	}

	p.skipSpace()
	if c := p.peek(); strings.ContainsRune(foreignMultipliers, c) || isASCIILetter(c) {
		to := p.i + 1
		if isASCIILetter(c) {
			to = p.tokenEnd(p.i)
		}
		hint := p.exampleHint()
		if m, ok := multiplierFor[string(p.r[p.i:to])]; ok {
			hint = p.boundHint(q.digits, q.mult+m, p.kwFrom(to))
		}
		return q, p.fail(p.i, to, hint,
			"%q is not a known multiplier or unit: multipliers are 百, 千, 万 and 亿", p.text(p.i, to))
	}
	if uFrom, uTo := p.i, p.unitEnd(p.i); uTo > uFrom {
		q.unit = string(p.r[uFrom:uTo])
		if q.unit != p.unit {
			return q, p.unitError(q, uFrom, uTo)
		}
		end = uTo
	}
	p.i = end
	q.to = end
	if neg && p.unit != "" {
		return q, p.fail(start, numEnd, p.boundHint(q.digits[1:], q.mult, p.kwFrom(end)),
			"%q is negative, but %s cannot be", p.text(start, numEnd), p.unitNoun())
	}

	mant := string(p.r[start:intEnd]) + frac
	if neg {
		mant = mant[1:]
	}
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(exp-len(frac)), 64)
	if err != nil || math.IsInf(v, 0) {
		return q, p.fail(start, end, p.hintFor("", ""), "%q is too large", p.text(start, end))
	}
	if neg {
		v = -v
	}
	q.val = v
	return q, nil
}

// unitEnd is the end of a unit written at i, or i if there is none. A unit
// is a run of Han characters that stops where a word like 以上 starts, so
// both "人以上" and "人次以上" split where the reader expects.
func (p *thresholdScanner) unitEnd(i int) int {
	j := i
	for isHanRune(p.at(j)) && !p.keywordAt(j) {
		if _, _, ok := p.wordAt(j); ok {
			break
		}
		j++
	}
	return j
}

// writtenBound is one bound in the plan's wording: "30 人以上".
type writtenBound struct {
	q        writtenQuantity
	above    bool
	from, to int // the number through 以上 or 以下
}

// readBound reads "30 人以上" or "3 人以下". first says whether this is the
// only bound so far: a lone number without 以上 or 以下 is the ambiguous
// bare number, while a second one merely lacks its keyword.
func (p *thresholdScanner) readBound(first bool, after string, aFrom, aTo int) (writtenBound, *ThresholdError) {
	q, err := p.readQuantity(after, aFrom, aTo)
	if err != nil {
		return writtenBound{}, err
	}
	p.skipSpace()
	c := writtenBound{q: q, from: q.from, to: p.i + 2}
	switch {
	case p.hasPrefixAt(p.i, "以上"):
		c.above = true
	case p.hasPrefixAt(p.i, "以下"):
	case p.eof() && first:
		n := q.digits + q.mult
		return c, p.fail(q.from, q.to, fmt.Sprintf("write %q for %s and more, or %q for exactly %s", p.phrase(q.digits, q.mult, "以上"), n, "["+n+", "+n+"]", n),
			"%q is a bare number, which is ambiguous: it does not say whether %s is a lower bound, an upper bound or an exact value", p.text(q.from, q.to), n)
	case p.eof():
		return c, p.fail(q.from, q.to, p.boundHint(q.digits, q.mult, "以下"),
			"%q needs 以上 or 以下 after it", p.text(q.from, q.to))
	default:
		if w, kind, ok := p.wordAt(p.i); ok {
			return c, p.wordError(p.i, p.i+len([]rune(w)), kind, &q)
		}
		to := p.tokenEnd(p.i)
		return c, p.fail(p.i, to, p.hintFor(q.digits, q.mult), "expected 以上 or 以下 after %q, found %q", p.text(q.from, q.to), p.text(p.i, to))
	}
	p.i += 2
	return c, nil
}

// wording reads one or two bounds in the plan's words, separated by "、",
// a comma or nothing.
func (p *thresholdScanner) wording(conv Convention) (Interval, *ThresholdError) {
	c1, err := p.readBound(true, "", 0, 0)
	if err != nil {
		return Interval{}, err
	}
	p.skipSpace()
	if p.eof() {
		if c1.above {
			return Interval{Lo: c1.q.val, LoIncl: conv.AboveInclusive, Hi: math.Inf(1)}, nil
		}
		return Interval{Lo: math.Inf(-1), Hi: c1.q.val, HiIncl: conv.BelowInclusive}, nil
	}
	after, aFrom, aTo := p.text(c1.from, c1.to), c1.from, c1.to
	other := "以下"
	if !c1.above {
		other = "以上"
	}
	switch c := p.peek(); {
	case c == '、' || c == ',':
		aFrom, aTo = p.i, p.i+1
		after = p.text(aFrom, aTo)
		p.i++
		p.skipSpace()
		if p.eof() {
			return Interval{}, p.fail(aFrom, aTo, fmt.Sprintf("remove %q, or add the other bound after it: %q", after, p.text(c1.from, c1.to)+"、"+p.phrase("…", "", other)),
				"nothing follows %q", after)
		}
	case isASCIIDigit(c) || c == '-' && isASCIIDigit(p.at(p.i+1)) || p.keywordAt(p.i):
		// A second bound with no separator, as in "10人以上30人以下".
	default:
		if w, kind, ok := p.wordAt(p.i); ok {
			return Interval{}, p.wordError(p.i, p.i+len([]rune(w)), kind, &c1.q)
		}
		from, to := p.restSpan()
		return Interval{}, p.fail(from, to, fmt.Sprintf("end the threshold at %q, or add the other bound after \"、\": %q", p.text(c1.from, c1.to), p.text(c1.from, c1.to)+"、"+p.phrase("…", "", other)),
			"unexpected %q after %q", p.text(from, to), p.text(c1.from, c1.to))
	}
	c2, err := p.readBound(false, after, aFrom, aTo)
	if err != nil {
		return Interval{}, err
	}
	p.skipSpace()
	if !p.eof() {
		from, to := p.restSpan()
		return Interval{}, p.fail(from, to, "a range has one 以上 and one 以下: "+p.exampleHint()[len("write it as the plan does: "):],
			"unexpected %q after the second bound", p.text(from, to))
	}
	lo, hi := c1, c2
	if !lo.above {
		lo, hi = hi, lo
	}
	if c1.above == c2.above {
		small, big := c1.q, c2.q
		if big.val < small.val {
			small, big = big, small
		}
		which := "lower"
		if !c1.above {
			which = "upper"
		}
		return Interval{}, p.fail(c2.from, c2.to, fmt.Sprintf("a range has one 以上 and one 以下: %q", p.phrase(small.digits, small.mult, "以上")+"、"+p.phrase(big.digits, big.mult, "以下")),
			"two %s bounds: %q and %q", which, p.text(c1.from, c1.to), p.text(c2.from, c2.to))
	}
	iv := Interval{Lo: lo.q.val, LoIncl: conv.AboveInclusive, Hi: hi.q.val, HiIncl: conv.BelowInclusive}
	if iv.isEmpty() {
		hint := fmt.Sprintf("the smaller number goes with 以上: %q", p.phrase(hi.q.digits, hi.q.mult, "以上")+"、"+p.phrase(lo.q.digits, lo.q.mult, "以下"))
		if iv.Lo == iv.Hi {
			n := FormatNumber(iv.Lo, p.unit)
			hint = fmt.Sprintf("for exactly %s write %q", n, "["+n+", "+n+"]")
		}
		return Interval{}, p.fail(c1.from, c2.to, hint, "the range is empty: %s is not below %s", FormatNumber(iv.Lo, p.unit), FormatNumber(iv.Hi, p.unit))
	}
	return iv, nil
}

// intervalNotation reads "[a, b)", where either end may be ±∞ (or ±inf).
func (p *thresholdScanner) intervalNotation() (Interval, *ThresholdError) {
	open := p.i
	iv := Interval{LoIncl: p.peek() == '['}
	p.interval = true
	p.i++
	p.skipSpace()
	lo, err := p.endpoint(true, p.text(open, open+1), open, open+1)
	if err != nil {
		return Interval{}, err
	}
	iv.Lo = lo
	loTo := p.i
	p.skipSpace()
	if p.peek() != ',' {
		if p.eof() {
			return Interval{}, p.fail(open, loTo, p.intervalHint(), "the interval %q is not finished", p.text(open, loTo))
		}
		to := p.tokenEnd(p.i)
		return Interval{}, p.fail(p.i, to, p.intervalHint(), "expected \",\" between the two ends, found %q", p.text(p.i, to))
	}
	comma := p.i
	p.i++
	p.skipSpace()
	hi, err := p.endpoint(false, p.text(comma, comma+1), comma, comma+1)
	if err != nil {
		return Interval{}, err
	}
	iv.Hi = hi
	hiTo := p.i
	p.skipSpace()
	switch p.peek() {
	case ']':
		iv.HiIncl = true
	case ')':
	default:
		if p.eof() {
			return Interval{}, p.fail(open, open+1, p.intervalHint(), "%q is not closed: end it with \"]\" or \")\"", p.text(open, hiTo))
		}
		to := p.tokenEnd(p.i)
		return Interval{}, p.fail(p.i, to, p.intervalHint(), "expected \"]\" or \")\" after %q, found %q", p.text(open, hiTo), p.text(p.i, to))
	}
	p.i++
	closeTo := p.i
	p.skipSpace()
	if !p.eof() {
		from, to := p.restSpan()
		return Interval{}, p.fail(from, to, p.intervalHint(), "unexpected %q after the interval %q", p.text(from, to), p.text(open, closeTo))
	}
	if math.IsInf(iv.Lo, 0) {
		iv.LoIncl = false
	}
	if math.IsInf(iv.Hi, 0) {
		iv.HiIncl = false
	}
	if iv.isEmpty() {
		lo, hi := FormatNumber(iv.Lo, p.unit), FormatNumber(iv.Hi, p.unit)
		hint := fmt.Sprintf("write the smaller end first: %q", "["+hi+", "+lo+")")
		if iv.Lo == iv.Hi {
			hint = fmt.Sprintf("for exactly %s write %q", lo, "["+lo+", "+lo+"]")
		}
		return Interval{}, p.fail(open, closeTo, hint, "the range is empty: %s is not below %s", lo, hi)
	}
	return iv, nil
}

// endpoint reads one end of an interval: a quantity, or an infinity on the
// side where it belongs.
func (p *thresholdScanner) endpoint(lower bool, after string, aFrom, aTo int) (float64, *ThresholdError) {
	from := p.i
	sign := 0
	if c := p.peek(); c == '+' || c == '-' {
		sign = 1
	}
	if n := p.infAt(p.i + sign); n > 0 {
		p.i += sign + n
		neg := sign == 1 && p.r[from] == '-'
		switch {
		case lower && !neg:
			return 0, p.fail(from, p.i, `write "(-∞, 30)" for everything below 30`, "the lower end cannot be %q: nothing is above +∞", p.text(from, p.i))
		case !lower && neg:
			return 0, p.fail(from, p.i, `write "[30, +∞)" for 30 and everything above`, "the upper end cannot be %q: nothing is below -∞", p.text(from, p.i))
		case neg:
			return math.Inf(-1), nil
		}
		return math.Inf(1), nil
	}
	q, err := p.readQuantity(after, aFrom, aTo)
	return q.val, err
}

// comparator reads ">= 30", "< 1亿元" and the like.
func (p *thresholdScanner) comparator() (Interval, *ThresholdError) {
	from := p.i
	c := p.r[p.i]
	p.i++
	incl := c == '≥' || c == '≤' || c == '≧' || c == '≦'
	above := c == '>' || c == '≥' || c == '≧'
	switch {
	case c == '=':
		for p.peek() == '=' || p.peek() == '>' || p.peek() == '<' {
			p.i++
		}
		op := p.text(from, p.i)
		d, m := p.nextNumber(p.i)
		if d == "" {
			d = "30"
		}
		if strings.ContainsAny(op, "<>") {
			return Interval{}, p.fail(from, p.i, fmt.Sprintf("write %q or %q", ">= "+d+m, "<= "+d+m), "%q is not a comparator", op)
		}
		return Interval{}, p.fail(from, p.i, fmt.Sprintf("for exactly %s write %q", d+m, "["+d+m+", "+d+m+"]"), "%q does not make a threshold", op)
	case (c == '>' || c == '<') && p.peek() == '=':
		incl = true
		p.i++
	}
	opTo := p.i
	op := p.text(from, opTo)
	p.skipSpace()
	if p.eof() {
		return Interval{}, p.fail(from, opTo, fmt.Sprintf("write %q", op+" "+p.phrase("30", "", "")), "expected a number after %q", op)
	}
	q, err := p.readQuantity(op, from, opTo)
	if err != nil {
		return Interval{}, err
	}
	p.skipSpace()
	if !p.eof() {
		f, t := p.restSpan()
		return Interval{}, p.fail(f, t, "one comparator takes one number; for a range, "+p.exampleHint(),
			"unexpected %q after %q", p.text(f, t), p.text(from, q.to))
	}
	if above {
		return Interval{Lo: q.val, LoIncl: incl, Hi: math.Inf(1)}, nil
	}
	return Interval{Lo: math.Inf(-1), Hi: q.val, HiIncl: incl}, nil
}
