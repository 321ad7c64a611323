package grading

import (
	"fmt"
	"strings"
	"unicode"
)

// The scanner of thresholds and amounts (see threshold.go).

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

func isASCIIDigit(c rune) bool { return c >= '0' && c <= '9' }

func isASCIILetter(c rune) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isHanRune(c rune) bool { return unicode.Is(unicode.Han, c) }

// thousandsAt reports whether the comma at i is followed by exactly three
// digits, as in "1,234".
func (p *thresholdScanner) thousandsAt(i int) bool {
	return isASCIIDigit(p.at(i+1)) && isASCIIDigit(p.at(i+2)) && isASCIIDigit(p.at(i+3)) && !isASCIIDigit(p.at(i+4))
}

func (p *thresholdScanner) keywordAt(i int) bool {
	return p.hasPrefixAt(i, "以上") || p.hasPrefixAt(i, "以下")
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
