package grading

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yingji/yingji/diag"
)

// Convention says whether the words 以上 (at or above) and 以下 (below)
// include the number they follow. The Changji plan (1.5, last sentence)
// and Decree 493 both say "以上含本数，以下不含本数": AboveInclusive true,
// BelowInclusive false. A plan declares its own in plan.yaml.
type Convention struct {
	AboveInclusive bool `json:"aboveInclusive"`
	BelowInclusive bool `json:"belowInclusive"`
}

// Interval is a set of numbers between Lo and Hi. Lo is -Inf and Hi is +Inf
// when that side is unbounded (the inclusive flag is then ignored).
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

// ThresholdError is a problem in a threshold or amount as written. From and
// To are rune offsets into Text, so the caller can point at the exact
// characters in the YAML file.
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

// This half of the file reads thresholds as plans write them. It is a
// hand-written scanner rather than a regexp so that every mistake can be
// pinned to the exact runes that caused it and answered with a hint in the
// plan's own style: a plan author fixes "30 人以内" faster when told to
// write "30 人以下" than when told the pattern did not match.
//
// Offsets are runes, not bytes, because they end up as editor columns in
// diagnostics about Chinese text (see yamlx.File.SubRange).

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

// thresholdScanner reads one threshold or amount. It keeps the text as
// written for quoting in messages, and a copy with full-width ASCII folded
// to half-width for matching, because Chinese input methods produce "，", "（"
// and "３０" as readily as their ASCII forms. Folding maps one rune to one
// rune, so offsets are the same in both.
type thresholdScanner struct {
	src    []rune
	r      []rune
	i      int
	unit   string
	amount bool // reading an amount, not a threshold: changes the hints
	// interval is set inside "[a, b)", where a comma ends a number rather
	// than being a thousands separator.
	interval bool
}

func newThresholdScanner(s, unit string) *thresholdScanner {
	src := []rune(s)
	r := make([]rune, len(src))
	for i, c := range src {
		r[i] = foldFullWidth(c)
	}
	return &thresholdScanner{src: src, r: r, unit: unit}
}

func foldFullWidth(c rune) rune {
	switch {
	case c >= 0xFF01 && c <= 0xFF5E: // full-width ASCII
		return c - 0xFEE0
	case c == '\u2212': // minus sign
		return '-'
	}
	return c
}

func (p *thresholdScanner) eof() bool { return p.i >= len(p.r) }

func (p *thresholdScanner) at(i int) rune {
	if i < 0 || i >= len(p.r) {
		return 0
	}
	return p.r[i]
}

func (p *thresholdScanner) peek() rune { return p.at(p.i) }

// skipSpace skips any Unicode space, including the ideographic space U+3000
// that Chinese text uses between words.
func (p *thresholdScanner) skipSpace() {
	for p.i < len(p.r) && unicode.IsSpace(p.r[p.i]) {
		p.i++
	}
}

func (p *thresholdScanner) hasPrefixAt(i int, w string) bool {
	for _, c := range w {
		if p.at(i) != c {
			return false
		}
		i++
	}
	return true
}

func (p *thresholdScanner) text(from, to int) string { return string(p.src[from:to]) }

// restSpan is the rest of the input from p.i with trailing space trimmed,
// for "unexpected ..." errors.
func (p *thresholdScanner) restSpan() (int, int) {
	to := len(p.r)
	for to > p.i && unicode.IsSpace(p.r[to-1]) {
		to--
	}
	return p.i, to
}

// tokenEnd is the end of the token starting at i: a run of ASCII letters, a
// run of Han characters, or else one rune. It bounds what an error quotes.
func (p *thresholdScanner) tokenEnd(i int) int {
	j := i + 1
	switch c := p.at(i); {
	case isASCIILetter(c):
		for isASCIILetter(p.at(j)) {
			j++
		}
	case isHanRune(c):
		for isHanRune(p.at(j)) {
			j++
		}
	}
	return j
}

func (p *thresholdScanner) fail(from, to int, hint, format string, args ...any) *ThresholdError {
	code := CodeThreshold
	if p.amount {
		code = CodeInputBadAmount
	}
	return &ThresholdError{Code: code, Text: string(p.src), From: from, To: to, Message: fmt.Sprintf(format, args...), Fix: hint}
}

func isASCIIDigit(c rune) bool  { return c >= '0' && c <= '9' }
func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isHanRune(c rune) bool     { return unicode.Is(unicode.Han, c) }

// multiplierExp gives each multiplier as a power of ten. Several may follow
// one another from small to large ("千万", "百万"), as they do in Chinese.
var multiplierExp = map[rune]int{'百': 2, '千': 3, '万': 4, '亿': 8}

// foreignMultipliers are multipliers in other registers (financial 大写,
// traditional forms) or of disputed size (兆 is 1e6 or 1e12 depending on the
// reader). They are refused, not guessed.
const foreignMultipliers = "十拾佰仟萬億兆"

// multiplierFor maps multipliers of other registers to the ones the plans
// use, for hints only: "5k" and "5萬" are refused, but the fix is obvious.
var multiplierFor = map[string]string{
	"k": "千", "K": "千", "w": "万", "W": "万", "m": "百万", "M": "百万",
	"萬": "万", "億": "亿", "仟": "千", "佰": "百",
}

// chineseNumerals are Chinese numerals, which the plans never use for
// thresholds.
const chineseNumerals = "零〇一二两三四五六七八九十"

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

// thousandsAt reports whether the comma at i is followed by exactly three
// digits, as in "1,234".
func (p *thresholdScanner) thousandsAt(i int) bool {
	return isASCIIDigit(p.at(i+1)) && isASCIIDigit(p.at(i+2)) && isASCIIDigit(p.at(i+3)) && !isASCIIDigit(p.at(i+4))
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

func (p *thresholdScanner) keywordAt(i int) bool {
	return p.hasPrefixAt(i, "以上") || p.hasPrefixAt(i, "以下")
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

// infAt returns the length of "∞", "inf" or "infinity" at i, or 0.
func (p *thresholdScanner) infAt(i int) int {
	if p.at(i) == '∞' {
		return 1
	}
	for _, w := range []string{"infinity", "inf"} {
		n := len(w)
		if i+n <= len(p.r) && strings.EqualFold(string(p.r[i:i+n]), w) && !isASCIILetter(p.at(i+n)) {
			return n
		}
	}
	return 0
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

func (p *thresholdScanner) intervalHint() string {
	if p.unit == "元" {
		return `write it as "[5000万, 1亿)": "[" or "]" includes the end, "(" or ")" leaves it out`
	}
	return `write it as "[10, 30)": "[" or "]" includes the end, "(" or ")" leaves it out`
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
