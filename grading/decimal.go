package grading

import (
	"math"
	"strconv"
	"strings"
)

// Numbers as written, read exactly. A count is a whole number exactly as
// written — "3", "3.0", "3e0" and "0.3e1" are all 3, while
// "2.9999999999999999" is not a whole number, though float64 cannot tell
// it from 3. An amount becomes the greatest float64 at or below the
// decimal written ("rounded toward zero"), never the nearest: so
// "4999.99999999999999万" is a hair under 5000万, as written, not 5000万.
// Thresholds are read the same way, so a number written the same in the
// plan and in an incident is the same float64, and an amount is never
// graded above a threshold it does not reach.
//
// No float64 arithmetic touches the digits on the way: the common case
// (at most 15 significant digits, a power of ten up to 10^22) takes one
// multiplication or division and the exact error of it from a fused
// multiply-add; the rest goes through strconv and a comparison of
// digits.

// decimal is a non-negative number as written: mant × 10^exp, or a
// little more when more is set (digits past the 19th that are not zero).
type decimal struct {
	mant uint64 // up to 19 significant digits, no trailing zeros
	nd   int    // the digits in mant
	exp  int
	more bool
}

// maxExp10 bounds the exponents decimal keeps: far past any number that
// is not too large or zero for every purpose here, and far from overflow.
const maxExp10 = 1 << 20

// scanDecimal reads the digits of the whole part, the digits of the
// fraction and a power of ten (an exponent, a multiplier such as 万).
func scanDecimal[T string | []byte](whole, frac T, exp10 int) decimal {
	var d decimal
	exp10 = min(max(exp10, -maxExp10), maxExp10)
	pos := len(whole) // digits before the point not yet read
	digit := func(c byte) {
		pos--
		if d.nd == 0 && c == '0' {
			return // a leading zero
		}
		if d.nd < 19 {
			d.mant = d.mant*10 + uint64(c-'0')
			d.nd++
			d.exp = pos // the place of the last digit read
			return
		}
		if c != '0' {
			d.more = true
		}
	}
	for i := 0; i < len(whole); i++ {
		digit(whole[i])
	}
	for i := 0; i < len(frac); i++ {
		digit(frac[i])
	}
	if d.nd == 0 {
		return decimal{}
	}
	for d.mant%10 == 0 {
		d.mant /= 10
		d.nd--
		d.exp++
	}
	d.exp += exp10
	return d
}

func (d decimal) isZero() bool { return d.mant == 0 }

// pow10u are the powers of ten that fit in a uint64.
var pow10u = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}

// pow10f are the powers of ten a float64 holds exactly.
var pow10f = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// overMax reports whether d is more than maxValue (10^15).
func (d decimal) overMax() bool {
	if d.isZero() {
		return false
	}
	if d.nd+d.exp > 16 {
		return true
	}
	if d.exp >= 0 {
		v := d.mant * pow10u[d.exp] // nd+exp <= 16 digits: no overflow
		return v > 1e15 || (v == 1e15 && d.more)
	}
	if -d.exp >= 4 {
		return false // below 10^19 × 10^-4
	}
	lim := uint64(1e15) * pow10u[-d.exp]
	return d.mant > lim || (d.mant == lim && d.more)
}

// whole returns d as a whole number, or false when it has a fraction.
// d must not be over maxValue.
func (d decimal) whole() (uint64, bool) {
	if d.isZero() {
		return 0, true
	}
	if d.exp < 0 || d.more {
		return 0, false
	}
	return d.mant * pow10u[d.exp], true
}

// floatDown returns the greatest float64 at or below d (math.MaxFloat64
// for a number past it). whole, frac and exp10 are what d was scanned
// from, for the rare number the fast path cannot take.
func floatDown[T string | []byte](d decimal, whole, frac T, exp10 int) float64 {
	if d.isZero() {
		return 0
	}
	if !d.more && d.nd <= 15 && d.exp >= -22 && d.exp <= 22 {
		m := float64(d.mant) // exact: below 10^15
		if d.exp >= 0 {
			p := m * pow10f[d.exp]
			if math.FMA(m, pow10f[d.exp], -p) < 0 { // p is above the product
				p = math.Nextafter(p, 0)
			}
			return p
		}
		div := pow10f[-d.exp]
		q := m / div
		if math.FMA(-q, div, m) < 0 { // q × div > m: q is above the quotient
			q = math.Nextafter(q, 0)
		}
		return q
	}
	return slowFloatDown(string(whole), string(frac), exp10)
}

// maxDigits is as many significant digits as the exact decimal of any
// float64 has (767) and some: cutting a longer number there cannot move
// it past a float64, so the result is the same.
const maxDigits = 800

// slowFloatDown is floatDown for any number: strconv gives the nearest
// float64, and a comparison of its exact digits with the number's says
// whether it is above.
func slowFloatDown(whole, frac string, exp10 int) float64 {
	digits, pexp := pointForm(whole, frac, exp10)
	switch {
	case digits == "":
		return 0
	case pexp < -330:
		return 0 // below the least float64 above 0
	case pexp > 330:
		return math.MaxFloat64
	}
	f, _ := strconv.ParseFloat("0."+digits+"e"+strconv.Itoa(pexp), 64)
	if math.IsInf(f, 1) {
		return math.MaxFloat64
	}
	fd, fexp := exactDigits(f)
	if fexp > pexp || (fexp == pexp && fd > digits) {
		f = math.Nextafter(f, 0)
	}
	return f
}

// pointForm writes a number as 0.digits × 10^pexp, digits without leading
// or trailing zeros, cut to maxDigits; "" for zero.
func pointForm(whole, frac string, exp10 int) (string, int) {
	all := whole + frac
	lead := len(all) - len(strings.TrimLeft(all, "0"))
	digits := strings.TrimRight(all[lead:], "0")
	if digits == "" {
		return "", 0
	}
	if len(digits) > maxDigits {
		digits = strings.TrimRight(digits[:maxDigits], "0")
	}
	exp10 = min(max(exp10, -maxExp10), maxExp10)
	return digits, len(whole) - lead + exp10
}

// exactDigits writes f > 0 as 0.digits × 10^exp, exactly.
func exactDigits(f float64) (string, int) {
	s := strconv.FormatFloat(f, 'e', maxDigits, 64) // d.ddd…e±XX, exact
	mant, e, _ := strings.Cut(s, "e")
	n, _ := strconv.Atoi(e)
	whole, frac, _ := strings.Cut(mant, ".")
	return pointForm(whole, frac, n)
}

// jsonNumber splits a JSON number (checked for its grammar already) into
// its sign, digits and exponent.
func jsonNumber[T string | []byte](s T) (neg bool, whole, frac T, exp10 int) {
	i := 0
	if i < len(s) && s[i] == '-' {
		neg = true
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	whole = s[i:j]
	frac = s[j:j]
	if j < len(s) && s[j] == '.' {
		k := j + 1
		for k < len(s) && s[k] >= '0' && s[k] <= '9' {
			k++
		}
		frac = s[j+1 : k]
		j = k
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		sign := 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			if s[j] == '-' {
				sign = -1
			}
			j++
		}
		e := 0
		for ; j < len(s) && s[j] >= '0' && s[j] <= '9'; j++ {
			e = min(e*10+int(s[j]-'0'), 10*maxExp10)
		}
		exp10 = sign * e
	}
	return neg, whole, frac, exp10
}

// numberProblem is why a number written for an input cannot be taken.
type numberProblem int

const (
	numberOK numberProblem = iota
	numberNegative
	numberNotWhole
	numberTooLarge
)

// readNumber reads a JSON number for an input of type t exactly: a count
// must be a whole number, an amount is rounded toward zero; -0 is 0.
func readNumber[T string | []byte](s T, t InputType) (float64, numberProblem) {
	neg, whole, frac, exp10 := jsonNumber(s)
	d := scanDecimal(whole, frac, exp10)
	switch {
	case d.isZero():
		return 0, numberOK
	case neg:
		return 0, numberNegative
	case d.overMax():
		return 0, numberTooLarge
	}
	if t == Count {
		n, ok := d.whole()
		if !ok {
			return 0, numberNotWhole
		}
		return float64(n), numberOK
	}
	return floatDown(d, whole, frac, exp10), numberOK
}
