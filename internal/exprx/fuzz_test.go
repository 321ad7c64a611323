package exprx_test

import (
	"testing"

	"github.com/expr-lang/expr"

	"github.com/yingji/yingji/internal/exprx"
)

// FuzzCompile compiles any expression under the default limits and runs
// the ones that compile at a few points: no panic, and whatever runs stays
// within the budget (the test binary would run out of memory otherwise).
func FuzzCompile(f *testing.F) {
	for _, src := range []string{
		`deaths + missing >= 30`,
		`now().Year() > 2000`,
		`len(repeat(repeat("a",99999),1000000)) > 0`,
		`len(1..100000000) > 0`,
		`len(1..int(deaths)) > 0`,
		`len(map(1..int(deaths), repeat("x", 1000) + "y")) > 0`,
		`count(1..int(deaths), count(1..int(missing), true) > 0) > 0`,
		`len(reduce(1..10, #acc + "x", "")) > 0`,
		`len(join(map(1..int(deaths), "abc"), ",")) > 0`,
		`crosses in ["county", "prefecture"] && hasPrefix(upper(crosses), "C")`,
	} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		prog, err := exprx.Compile(src, exprx.Limits{}, expr.Env(env))
		if err != nil {
			return
		}
		for _, x := range []float64{0, 7, 99_999, 1e8} {
			_, _ = exprx.Run(prog, map[string]any{"deaths": x, "missing": x, "crossDomain": x > 0, "crosses": "county"}, exprx.DefaultMemoryBudget)
		}
	})
}
