package grading

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// refFloatDown is the greatest float64 at or below the decimal whole.frac
// × 10^exp10, by math/big.
func refFloatDown(t *testing.T, whole, frac string, exp10 int) float64 {
	t.Helper()
	s := whole
	if s == "" {
		s = "0"
	}
	if frac != "" {
		s += "." + frac
	}
	r, ok := new(big.Rat).SetString(s + "e" + strconv.Itoa(exp10))
	require.True(t, ok, s)
	// Far more bits than a float64, then float64's own rounding (which
	// knows subnormals), stepped down when it went up.
	f, acc := new(big.Float).SetPrec(4000).SetMode(big.ToZero).SetRat(r).Float64()
	if acc == big.Above {
		f = math.Nextafter(f, 0)
	}
	return f
}

func TestFloatDown(t *testing.T) {
	cases := []struct{ whole, frac string }{
		{"4999", "99999999999999"}, // issue 15 case 4, before 万
		{"49999999", "999999999"},
		{"0", "01"}, {"0", "1"}, {"123", "45"}, {"2", "9999999999999999"},
		{"9007199254740993", ""}, {"1", strings.Repeat("0", 900) + "1"},
		{"0", strings.Repeat("0", 320) + "5"},
		{"1" + strings.Repeat("0", 25), ""}, {"", "5"},
	}
	for _, tc := range cases {
		for _, e := range []int{0, 4, 8, -3} {
			d := scanDecimal(tc.whole, tc.frac, e)
			assert.Equal(t, refFloatDown(t, tc.whole, tc.frac, e), floatDown(d, tc.whole, tc.frac, e), "%s.%s e%d", tc.whole, tc.frac, e)
		}
	}
	rng := rand.New(rand.NewPCG(15, 4))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	for range 20000 {
		whole, frac := digits(rng.IntN(18)), digits(rng.IntN(22))
		e := rng.IntN(30) - 15
		d := scanDecimal(whole, frac, e)
		want := refFloatDown(t, whole, frac, e)
		if got := floatDown(d, whole, frac, e); got != want {
			t.Fatalf("floatDown(%s.%s e%d) = %v, want %v", whole, frac, e, got, want)
		}
	}
}

func TestReadNumber(t *testing.T) {
	cases := []struct {
		s    string
		t    InputType
		want float64
		prob numberProblem
	}{
		{"3", Count, 3, numberOK},
		{"3.0", Count, 3, numberOK},
		{"3e0", Count, 3, numberOK},
		{"0.3e1", Count, 3, numberOK},
		{"1e2", Count, 100, numberOK}, // exactly a hundred: a whole number, however written
		{"30E-1", Count, 3, numberOK},
		{"2.9999999999999999", Count, 0, numberNotWhole}, // issue 15 case 4: not 3
		{"3.0000000000000000001", Count, 0, numberNotWhole},
		{"1e-400", Count, 0, numberNotWhole},
		{"-0", Count, 0, numberOK}, // issue 15 case 15: -0 is 0
		{"-0.0e5", Amount, 0, numberOK},
		{"-1", Count, 0, numberNegative},
		{"-0.0001", Amount, 0, numberNegative},
		{"1e15", Count, 1e15, numberOK},
		{"1000000000000000.5", Amount, 0, numberTooLarge},
		{"1e16", Count, 0, numberTooLarge},
		{"1e999999999999", Amount, 0, numberTooLarge},
		{"49999999.999999999", Amount, math.Nextafter(5e7, 0), numberOK},
		{"0.1", Amount, math.Nextafter(0.1, 0), numberOK},
		{"0.5", Amount, 0.5, numberOK},
	}
	for _, tc := range cases {
		t.Run(tc.s, func(t *testing.T) {
			got, prob := readNumber(tc.s, tc.t)
			assert.Equal(t, tc.prob, prob)
			assert.True(t, got == tc.want && !math.Signbit(got), "readNumber(%q) = %v, want %v", tc.s, got, tc.want)
		})
	}
}

// TestFormatDownReadsBack: every number FormatNumber writes reads back as
// itself, rounded toward zero as numbers are read.
func TestFormatDownReadsBack(t *testing.T) {
	assert.Equal(t, "123.45", FormatNumber(math.Nextafter(123.45, 0), "元"))
	assert.Equal(t, "0.01", FormatNumber(math.Nextafter(0.01, 0), "元"))
	assert.Equal(t, "0", FormatNumber(math.Copysign(0, -1), "人"))
	rng := rand.New(rand.NewPCG(15, 15))
	for range 20000 {
		x := rng.Float64() * math.Pow(10, float64(rng.IntN(30)-12))
		s := FormatNumber(x, "")
		got, err := ParseAmount(s)
		require.NoError(t, err, s)
		if got != x {
			t.Fatalf("FormatNumber(%v) = %q, read back as %v", x, s, got)
		}
	}
}
