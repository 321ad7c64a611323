package grading_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/internal/yamlx"
)

// Issue 15, hostile rule files: expressions that read the clock or the
// machine, that fail only when evaluated, or that allocate without bound.

// exprPlan is a small grading.yaml whose 重大 level has one criterion,
// "1.5 重大 (1)", with the expression src; 一般 is the baseline. The
// expression sits on line exprLine, after `        when: {expr: '`.
func exprPlan(src string) string {
	return `inputs:
  - {id: deaths, type: count, label: 死亡, unit: 人}
  - {id: missing, type: count, label: 失踪, unit: 人}
  - {id: directLoss, type: amount, label: 直接经济损失, unit: 元}
quantities:
  - {id: lossPerDeath, label: 人均损失, expr: "directLoss / deaths"}
levels:
  - id: serious
    name: 重大
    criteria:
      - clause: "1.5 重大 (1)"
        when: {expr: '` + src + `'}
  - id: general
    name: 一般
    baseline: true
`
}

const exprLine = 12

// TestHostileExpressionsRefusedAtLoad: each is refused by Compile with a
// diagnostic whose code says why and whose range starts at the function
// (or operator) at fault, so no incident is ever graded by it.
func TestHostileExpressionsRefusedAtLoad(t *testing.T) {
	cases := []struct {
		name string
		src  string
		code string
		at   string // the text the diagnostic starts at
	}{
		{"issue 15 case 3: now().Year() > 2000 graded 特别重大", `now().Year() > 2000`, grading.CodeExprImpure, "now"},
		{"issue 15 case 3: date() reads time.Local", `date("2025-09-24").Year() == 2025`, grading.CodeExprImpure, "date"},
		{"issue 15 case 3: timezone() opened /usr/share/zoneinfo", `timezone("Asia/Shanghai") != nil`, grading.CodeExprImpure, "timezone"},
		{"keys() depends on map order", `keys({"a": deaths})[0] == "a"`, grading.CodeExprImpure, "keys"},
		{"issue 15 case 7: nested repeat asked for 100 GB", `len(repeat(repeat("a",99999),1000000)) > 0`, grading.CodeExprBudget, "repeat"},
		{"issue 15 case 2: len(1..100000000) can never be evaluated", `len(1..100000000) > 0`, grading.CodeExprBudget, ".."},
		{"repeat by an input", `len(repeat("a", int(deaths))) > 0`, grading.CodeExprBudget, "repeat"},
		{"map over a range, building strings", `len(map(1..int(deaths), repeat("x", 99) + "y")) > 0`, grading.CodeExprBudget, "map"},
		{"filter over a range, nested", `count(1..int(deaths), count(1..int(missing), true) > 0) > 0`, grading.CodeExprBudget, "count"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := exprPlan(tc.src)
			r, ds := grading.Compile("grading.yaml", []byte(src))
			require.Nil(t, r, "%s must not load", tc.src)
			d := only(t, ds.Errors())
			assert.Equal(t, tc.code, d.Code, d.Summary)
			assert.Equal(t, "levels[0].criteria[0].when.expr", d.Path)
			assert.Equal(t, exprLine, d.Subject.Start.Line, d.Summary)
			line := strings.Split(src, "\n")[exprLine-1]
			col := utf8.RuneCountInString(line[:strings.Index(line, tc.at)]) + 1
			assert.Equal(t, col, d.Subject.Start.Column, "the range starts at %q: %s", tc.at, d.Summary)
			assert.NotEmpty(t, d.Fix)
		})
	}
}

// only returns the one diagnostic of ds.
func only(t *testing.T, ds diag.Diagnostics) diag.Diagnostic {
	t.Helper()
	require.Len(t, ds, 1, "%v", ds)
	return ds[0]
}

// TestExpressionTooLong: issue 15 case 11, a 10 MB string literal in an
// expression cost 1.36 GB; it is refused by its length before expr reads
// it. MaxExprLength sets the limit.
func TestExpressionTooLong(t *testing.T) {
	src := exprPlan(`"` + strings.Repeat("x", 10<<20) + `" == "y"`)
	r, ds := grading.Compile("grading.yaml", []byte(src))
	require.Nil(t, r)
	d := only(t, ds.Errors())
	assert.Equal(t, grading.CodeExprTooLong, d.Code)
	assert.Equal(t, "4096", d.Params["max"])
	assert.Equal(t, exprLine, d.Subject.Start.Line)
	assert.Less(t, len(d.Params["expr"]), 1000, "the diagnostic does not echo the whole literal")

	// The criterion's expression is 27 runes long, the quantity's 19.
	_, ds = grading.Compile("grading.yaml", []byte(exprPlan(`deaths >= 30 && deaths < 40`)), grading.MaxExprLength(26))
	d = only(t, ds.Errors())
	assert.Equal(t, grading.CodeExprTooLong, d.Code)
	assert.Equal(t, "levels[0].criteria[0].when.expr", d.Path)
	r, ds = grading.Compile("grading.yaml", []byte(exprPlan(`deaths >= 30 && deaths < 40`)), grading.MaxExprLength(27))
	require.False(t, ds.HasErrors(), "%v", ds)
	require.NotNil(t, r)
	_, ds = grading.Compile("grading.yaml", []byte(exprPlan(`deaths >= 30`)), grading.MaxExprLength(0))
	assert.Equal(t, grading.CodeOption, only(t, ds.Errors()).Code)
}

// TestEvaluationErrorIsNotFalse: issue 15 case 2. A criterion whose
// evaluation fails made Classify grade 一般 with no error, as if it did
// not hold. Now Classify returns an *EvalError naming the criterion (code
// eval.failed), never a grade. The expressions load: they fail only at
// evaluation, for the incident given.
func TestEvaluationErrorIsNotFalse(t *testing.T) {
	cases := []struct {
		name     string
		src      string
		incident string
		quantity string // the derived quantity that failed, if one did
		msg      string // part of the error
	}{
		{"memory budget exceeded at run time", `len(1..int(deaths)) > 0`, `{"deaths": 100000000}`, "", "memory budget exceeded"},
		{"index out of range", `[1, 2, 3][int(deaths)] > 0`, `{"deaths": 5}`, "", "out of range"},
		{"integer division by zero", `int(deaths) % int(missing) == 0`, `{"deaths": 5, "missing": 0}`, "", "divide by zero"},
		{"repeat with a negative count", `deaths > 3 && repeat("a", -1) == ""`, `{"deaths": 5, "missing": 0}`, "", "invalid argument"},
		{"a bad duration", `duration(string(deaths) + "x") > duration("1h")`, `{"deaths": 5}`, "", "duration"},
		{"a derived quantity that is 0/0", `lossPerDeath >= 1000000`, `{"deaths": 0, "directLoss": 0}`, "lossPerDeath", "NaN"},
		{"a derived quantity that is x/0", `lossPerDeath >= 1000000`, `{"deaths": 0, "directLoss": 5}`, "lossPerDeath", "Inf"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, ds := grading.Compile("grading.yaml", []byte(exprPlan(tc.src)))
			require.False(t, ds.HasErrors(), "%v", ds)
			inc, err := r.ParseIncident([]byte(tc.incident))
			require.NoError(t, err)
			res, err := r.Classify(context.Background(), inc)
			require.Error(t, err, "graded %v instead", res)
			assert.True(t, errors.Is(err, grading.ErrEval))
			var ee *grading.EvalError
			require.True(t, errors.As(err, &ee))
			assert.Equal(t, "1.5 重大 (1)", ee.Criterion)
			assert.Equal(t, "serious", ee.Level)
			assert.Equal(t, tc.quantity, ee.Quantity)
			assert.True(t, strings.HasPrefix(err.Error(), "grading: criterion 1.5 重大 (1) could not be evaluated: "), err.Error())
			assert.Contains(t, err.Error(), tc.msg)
			ps := diag.ProblemsOf(err)
			require.Len(t, ps, 1)
			assert.Equal(t, grading.CodeEvalFailed, ps[0].Code)
			assert.Equal(t, "1.5 重大 (1)", ps[0].Field)

			// The expr path, which the differential test runs, agrees.
			_, err = r.ClassifyExpr(context.Background(), inc)
			assert.True(t, errors.Is(err, grading.ErrEval), "%v", err)
		})
	}
}

// TestHostileExpressionsUnderMemoryLimit runs the hostile expressions of
// issue 15 in a child process whose address space is capped at 2 GiB
// (ulimit -v): a regression that lets one of them allocate what it asks
// for (100 GB for the nested repeat) kills the child, which fails this
// test, instead of the machine. Under -race the child is built without
// the race detector, which cannot run under the cap.
func TestHostileExpressionsUnderMemoryLimit(t *testing.T) {
	if os.Getenv("YINGJI_MEMLIMIT_CHILD") == "1" {
		hostileChild(t)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to set ulimit -v with")
	}
	bin := os.Args[0]
	if raceDetector {
		// The race detector's runtime maps terabytes of address space and
		// cannot start under ulimit -v: the child is this package's tests
		// built without it.
		goTool, err := exec.LookPath("go")
		if err != nil {
			t.Skip("built with -race, and no go command to build the child without it")
		}
		bin = filepath.Join(t.TempDir(), "grading.test")
		out, err := exec.Command(goTool, "test", "-c", "-o", bin, ".").CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	cmd := exec.Command(sh, "-c", `ulimit -v 2097152 && exec "$0" -test.run='^TestHostileExpressionsUnderMemoryLimit$' -test.v`, bin)
	cmd.Env = append(os.Environ(), "YINGJI_MEMLIMIT_CHILD=1", "GOMEMLIMIT=512MiB")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "the child under ulimit -v failed:\n%s", out)
	assert.Contains(t, string(out), "--- PASS: TestHostileExpressionsUnderMemoryLimit")
}

// hostileChild loads every hostile expression and grades an incident
// with large figures by the ones that load: each must be refused or give
// an evaluation error.
func hostileChild(t *testing.T) {
	for _, src := range []string{
		`len(repeat(repeat("a",99999),1000000)) > 0`,
		`len(1..100000000) > 0`,
		`len(1..int(deaths)) > 0`,
		`len(repeat("a", int(deaths))) > 0`,
		`len(replace(repeat("a", 99999), "a", repeat("b", 99999))) > 0`,
		`len(join(map(1..int(deaths), repeat("a", 99)), "")) > 0`,
		`len(map(1..int(deaths), 1..int(deaths))) > 0`,
		`len(filter(1..int(deaths), len(1..int(deaths)) > 0)) > 0`,
		`len(toJSON(1..int(deaths))) > 0`,
		`len(concat(1..int(deaths), 1..int(deaths), 1..int(deaths))) > 0`,
		`len(string(1..int(deaths))) > 0`,
	} {
		t.Run(src, func(t *testing.T) {
			r, ds := grading.Compile("grading.yaml", []byte(exprPlan(src)))
			if ds.HasErrors() {
				assert.Equal(t, grading.CodeExprBudget, ds.Errors()[0].Code, "%v", ds)
				return
			}
			for _, deaths := range []int{99_999, 100_000_000, 1e15} {
				inc := r.NewIncident()
				require.NoError(t, inc.Set("deaths", deaths))
				res, err := r.Classify(context.Background(), inc)
				if err == nil {
					lv, _ := res.Level()
					assert.Equal(t, "serious", lv.ID, fmt.Sprintf("deaths=%d", deaths))
					continue
				}
				assert.ErrorIs(t, err, grading.ErrEval)
			}
		})
	}
}

// manyCriteria is a grading.yaml of about size bytes: one level with as
// many criteria as fit.
func manyCriteria(size int) (string, int) {
	var b strings.Builder
	b.WriteString("inputs:\n  - {id: deaths, type: count, label: 死亡, unit: 人}\nlevels:\n  - id: serious\n    name: 重大\n    criteria:\n")
	n := 0
	for ; b.Len() < size; n++ {
		fmt.Fprintf(&b, "      - clause: \"c%d\"\n        when: {deaths: \"%d 人以上\"}\n", n, n)
	}
	b.WriteString("  - {id: general, name: 一般, baseline: true}\n")
	return b.String(), n
}

// TestCriteriaLimitWhileDecoding: issue 15 case 11. A 50 MB grading.yaml
// with 428k criteria was decoded whole (22.6 s, 3.2 GB) before "too many
// criteria". The loader refuses a file that size before reading it; a
// file under the size cap is decoded only up to MaxCriteria, and the
// rest counted.
func TestCriteriaLimitWhileDecoding(t *testing.T) {
	t.Run("50 MB through the loader: refused by its size", func(t *testing.T) {
		src, n := manyCriteria(50 << 20)
		require.Greater(t, n, 400_000)
		m := fstest.MapFS{
			"plan.yaml":    {Data: []byte("id: f\ntitle: f\nboundaries: {above: inclusive, below: exclusive}\nfiles: {grading: grading.yaml}\n")},
			"grading.yaml": {Data: []byte(src)},
		}
		_, err := yingji.Load(m)
		var le *yingji.LoadError
		require.True(t, errors.As(err, &le), "%v", err)
		assert.Equal(t, diag.CodeFileTooLarge, le.Diagnostics.Errors()[0].Code)
	})
	t.Run("4 MB straight to Compile: the criteria past the limit are not built", func(t *testing.T) {
		src, n := manyCriteria(4 << 20)
		var m0, m1, m2 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		_, pds := yamlx.Parse("grading.yaml", []byte(src))
		runtime.ReadMemStats(&m1)
		require.False(t, pds.HasErrors())
		r, ds := grading.Compile("grading.yaml", []byte(src))
		runtime.ReadMemStats(&m2)
		require.Nil(t, r)
		d := only(t, ds.Errors())
		assert.Equal(t, grading.CodeTooManyCriteria, d.Code)
		assert.Equal(t, strconv.Itoa(n), d.Params["count"])
		assert.Equal(t, "64", d.Params["max"])
		// The 65th criterion: line 7 + 2 × 64.
		assert.Equal(t, 7+2*64, d.Subject.Start.Line)
		parse, compile := m1.TotalAlloc-m0.TotalAlloc, m2.TotalAlloc-m1.TotalAlloc
		assert.Less(t, compile, parse*3/2, "Compile allocates little past parsing the YAML (parse %d MB, compile %d MB)", parse>>20, compile>>20)
	})
	t.Run("MaxCriteria lowers the limit", func(t *testing.T) {
		src, n := manyCriteria(2000)
		_, ds := grading.Compile("grading.yaml", []byte(src), grading.MaxCriteria(5))
		d := only(t, ds.Errors())
		assert.Equal(t, grading.CodeTooManyCriteria, d.Code)
		assert.Equal(t, strconv.Itoa(n), d.Params["count"])
		assert.Equal(t, 7+2*5, d.Subject.Start.Line)
	})
}

// TestExpressionEnumLiterals: a string an expression compares an enum
// input with (==, !=, atLeast) must be one of its values; the error is at
// the literal, and a value that is one passes.
func TestExpressionEnumLiterals(t *testing.T) {
	plan := func(expr string) string {
		return `inputs:
  - id: crosses
    type: enum
    label: 跨行政区
    values:
      - {id: none, label: 不跨行政区}
      - {id: county, label: 跨县级行政区}
levels:
  - id: serious
    name: 重大
    criteria:
      - clause: "1.5 重大 (1)"
        when: {expr: '` + expr + `'}
  - id: general
    name: 一般
    baseline: true
`
	}
	for _, tc := range []struct{ expr, bad string }{
		{`crosses == "countty"`, `"countty"`},
		{`"prefecture" != crosses`, `"prefecture"`},
		{`atLeast(crosses, "県")`, `"県"`},
		{`crosses == "county" || atLeast(crosses, "none")`, ""},
	} {
		t.Run(tc.expr, func(t *testing.T) {
			src := plan(tc.expr)
			r, ds := grading.Compile("grading.yaml", []byte(src))
			if tc.bad == "" {
				require.NotNil(t, r, "%v", ds)
				assert.Empty(t, ds.Errors())
				return
			}
			require.Nil(t, r, "%s must not load", tc.expr)
			d := only(t, ds.Errors())
			assert.Equal(t, grading.CodeUnknownValue, d.Code, d.Summary)
			assert.Contains(t, d.Summary, "is not a value of crosses")
			line := strings.Split(src, "\n")[d.Subject.Start.Line-1]
			col := utf8.RuneCountInString(line[:strings.Index(line, tc.bad)]) + 1
			assert.Equal(t, col, d.Subject.Start.Column, "the range starts at %s: %s", tc.bad, d.Summary)
		})
	}
}
