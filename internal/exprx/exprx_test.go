package exprx_test

import (
	"strings"
	"testing"

	"github.com/expr-lang/expr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji/internal/exprx"
)

// env is an environment like grading's: numbers, a bool and an enum
// value id.
var env = map[string]any{"deaths": 0.0, "missing": 0.0, "crossDomain": false, "crosses": ""}

func compile(t *testing.T, src string, lim exprx.Limits) *exprx.Error {
	t.Helper()
	_, err := exprx.Compile(src, lim, expr.Env(env), expr.AsBool())
	return err
}

// TestCompileRefuses: issue 15 cases 3, 7 and 11 (now/date/timezone, the
// nested repeat, the 10 MB literal), and the other ways an expression can
// read the clock or allocate without bound.
func TestCompileRefuses(t *testing.T) {
	cases := []struct {
		name string
		src  string
		kind exprx.Kind
		fn   string // the function or operator named, if any
		at   string // the source text the error points at
	}{
		{"issue 15 case 3: now() reads the clock", `now().Year() > 2000`, exprx.KindImpure, "now", "now"},
		{"issue 15 case 3: date() reads time.Local", `date("2025-01-01") != nil`, exprx.KindImpure, "date", "date"},
		{"issue 15 case 3: timezone() reads zoneinfo", `timezone("Asia/Shanghai") != nil`, exprx.KindImpure, "timezone", "timezone"},
		{"keys() is in map order", `len(keys({"a": 1})) > 0 && keys({"a": 1, "b": 2})[0] == "a"`, exprx.KindImpure, "keys", "keys"},
		{"an impure call inside a predicate", `any([1], now().Year() > #)`, exprx.KindImpure, "now", "now"},
		{"issue 15 case 7: nested repeat", `len(repeat(repeat("a",99999),1000000)) > 0`, exprx.KindOverBudget, "repeat", "repeat"},
		{"issue 15 case 2: a constant range past the budget", `len(1..100000000) > 0`, exprx.KindOverBudget, "..", ".."},
		{"repeat by an input", `len(repeat("ab", int(deaths))) > 0`, exprx.KindOverBudget, "repeat", "repeat"},
		{"replace that multiplies", `len(replace(repeat("a", 50000), "a", repeat("b", 40000))) > 0`, exprx.KindOverBudget, "replace", "replace"},
		{"a concatenation in a loop", `len(map(1..int(deaths), repeat("x", 1000) + "y")) > 0`, exprx.KindOverBudget, "map", "map"},
		{"join of a range", `len(join(map(1..int(deaths), "abc"), ",")) > 0`, exprx.KindOverBudget, "join", "join"},
		{"reduce that grows", `len(reduce(1..10, #acc + "x", "")) > 0`, exprx.KindOverBudget, "reduce", "reduce"},
		{"nested loops over runtime ranges", `count(1..int(deaths), count(1..int(missing), true) > 0) > 0`, exprx.KindOverBudget, "count", "count"},
		{"toJSON of a range", `len(toJSON(1..int(deaths))) > 0`, exprx.KindOverBudget, "toJSON", "toJSON"},
		{"a type error is expr's", `deaths + "x" > 0`, exprx.KindExpr, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := compile(t, tc.src, exprx.Limits{})
			require.NotNil(t, err, "%s must be refused", tc.src)
			assert.Equal(t, tc.kind, err.Kind, err.Message)
			assert.Equal(t, tc.fn, err.Func, err.Message)
			if tc.at != "" {
				runes := []rune(tc.src)
				require.LessOrEqual(t, err.To, len(runes))
				assert.Equal(t, tc.at, string(runes[err.From:err.To]), err.Message)
			}
			if tc.kind != exprx.KindExpr {
				assert.NotEmpty(t, err.Fix)
			}
		})
	}
}

// TestCompileAccepts: what criteria and guards do is untouched.
func TestCompileAccepts(t *testing.T) {
	for _, src := range []string{
		`deaths + missing >= 30`,
		`crossDomain && crosses == "province"`,
		`crosses in ["county", "prefecture"]`,
		`abs(deaths - missing) < 3 && max(deaths, missing) >= 1 && round(deaths) == deaths`,
		`duration("1h") < duration("2h")`,
		`let d = deaths; d >= 3 ? d < 10 : false`,
		`hasPrefix(crosses, "pro") || upper(crosses) == "COUNTY" || len(split(crosses, "o")) > 2`,
		`count(1..int(deaths), # > 3) > 2`,
		`len(repeat("ab", 3)) == 6`,
		`len(repeat("a", 99999)) > 0`, // the inner call of case 7 alone is within the budget
		`any(["a", "b"], # == crosses)`,
		`sum([deaths, missing]) > 3`,
	} {
		t.Run(src, func(t *testing.T) {
			err := compile(t, src, exprx.Limits{})
			assert.Nil(t, err, "%v", err)
		})
	}
}

// TestCompileTooLong: issue 15 case 11, a 10 MB string literal, is
// refused by its length before expr parses it.
func TestCompileTooLong(t *testing.T) {
	src := `"` + strings.Repeat("x", 10<<20) + `" == crosses`
	err := compile(t, src, exprx.Limits{})
	require.NotNil(t, err)
	assert.Equal(t, exprx.KindTooLong, err.Kind)
	assert.Equal(t, "4096", err.Params["max"])
	assert.Equal(t, 0, err.From)

	err = compile(t, `deaths >= 30`, exprx.Limits{MaxLength: 5})
	require.NotNil(t, err)
	assert.Equal(t, exprx.KindTooLong, err.Kind)
	assert.Nil(t, compile(t, `deaths >= 30`, exprx.Limits{MaxLength: 12}))
}

// TestOverridden: a name the data declares is data, not the builtin.
func TestOverridden(t *testing.T) {
	_, err := exprx.Compile(`now >= 3`, exprx.Limits{}, expr.Env(map[string]any{"now": 0.0}), expr.AsBool())
	assert.Nil(t, err)
}

func TestPureBuiltins(t *testing.T) {
	pure := exprx.PureBuiltins()
	for _, name := range []string{"duration", "abs", "len", "repeat", "map", "filter", "upper"} {
		assert.Contains(t, pure, name)
	}
	for _, name := range []string{"now", "date", "timezone", "keys", "values", "toPairs"} {
		assert.NotContains(t, pure, name)
		why, bad := exprx.Impure(name)
		assert.True(t, bad, name)
		assert.NotEmpty(t, why)
	}
	_, bad := exprx.Impure("duration")
	assert.False(t, bad)
}

// TestRun: a runtime budget overrun is an error, not a panic.
func TestRun(t *testing.T) {
	prog, cerr := exprx.Compile(`len(1..int(deaths)) > 0`, exprx.Limits{}, expr.Env(env), expr.AsBool())
	require.Nil(t, cerr)
	_, err := exprx.Run(prog, map[string]any{"deaths": 1e8, "missing": 0.0, "crossDomain": false, "crosses": ""}, exprx.DefaultMemoryBudget)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "memory budget exceeded")
	out, err := exprx.Run(prog, map[string]any{"deaths": 10.0, "missing": 0.0, "crossDomain": false, "crosses": ""}, exprx.DefaultMemoryBudget)
	require.NoError(t, err)
	assert.Equal(t, true, out)
}
