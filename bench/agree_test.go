package bench

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

type fixture struct {
	rules     *grading.Rules
	cases     []Case // the seeded incident set
	bounds    []Case // the boundary cases
	cel       *CEL
	grule     *Grule
	facts     []Facts
	incidents []grading.Incident
	acts      []*Activation
	gfacts    []*Fact
}

var (
	fixOnce sync.Once
	fix     *fixture
	fixErr  error
)

// setup loads changji-2025, builds the four engines and the incident set,
// once per test binary.
func setup(tb testing.TB) *fixture {
	tb.Helper()
	fixOnce.Do(func() {
		p, err := yingji.Default()
		if err != nil {
			fixErr = err
			return
		}
		f := &fixture{rules: p.Grading}
		if f.cel, err = NewCEL(f.rules); err != nil {
			fixErr = err
			return
		}
		if f.grule, err = NewGrule(f.rules); err != nil {
			fixErr = err
			return
		}
		f.cases = Incidents(f.rules, SetSize, func(c Case) int {
			facts := ToFacts(c)
			return int(Grade(&facts).Level)
		})
		f.bounds = Boundaries(f.rules)
		for _, c := range f.cases {
			f.facts = append(f.facts, ToFacts(c))
			inc, err := ToIncident(f.rules, c)
			if err != nil {
				fixErr = err
				return
			}
			f.incidents = append(f.incidents, inc)
			f.acts = append(f.acts, f.cel.Prepare(c))
			f.gfacts = append(f.gfacts, f.grule.Prepare(c))
		}
		fix = f
	})
	require.NoError(tb, fixErr)
	return fix
}

// TestAgreement checks that the hand-written code, yingji (native and
// through JSON), cel-go and grule compute the same grade, the same matched
// criteria and the same scope for every incident of the benchmark set and
// every boundary case. Timings only count when this passes. yingji's own
// expr path is checked against its native evaluator inside the grading
// package (TestDifferential, which bench/run runs on a million incidents).
func TestAgreement(t *testing.T) {
	f := setup(t)
	r := f.rules
	grade := Yingji(r)
	for _, set := range []struct {
		name  string
		cases []Case
	}{{"incidents", f.cases}, {"boundaries", f.bounds}} {
		t.Run(set.name, func(t *testing.T) {
			require.NotEmpty(t, set.cases)
			for _, c := range set.cases {
				facts := ToFacts(c)
				want := Grade(&facts)
				desc := c.Describe(r)

				inc, err := ToIncident(r, c)
				require.NoError(t, err, desc)
				got := grade(inc)
				if !assert.Equal(t, want, got, "yingji %s\n want %s\n  got %s", desc, want.Describe(r), got.Describe(r)) {
					continue
				}

				data, err := json.Marshal(c)
				require.NoError(t, err)
				parsed, err := r.ParseIncident(data)
				require.NoError(t, err, string(data))
				assert.Equal(t, want, grade(parsed), "yingji via JSON %s", data)

				assert.Equal(t, want, f.cel.Grade(f.cel.Prepare(c)), "cel-go %s", desc)
				assert.Equal(t, want, f.grule.Grade(f.grule.Prepare(c)), "grule %s", desc)
			}
		})
	}
}

// TestMix checks the benchmark set has the declared mix of levels, so that
// every level's criteria are exercised in the timings.
func TestMix(t *testing.T) {
	f := setup(t)
	var got [4]int
	for i := range f.facts {
		got[Grade(&f.facts[i]).Level]++
	}
	for i, w := range Mix {
		assert.Equal(t, SetSize*w/100, got[i], "level %s", f.rules.Levels()[i].Name)
	}
	t.Logf("levels in the benchmark set (特别重大, 重大, 较大, 一般): %v", got)
}

// TestHandwrittenFromText pins the hand-written code to the plan text with
// cases read off 1.5 and 1.3, so that it is an independent check.
func TestHandwrittenFromText(t *testing.T) {
	cases := []struct {
		name  string
		facts Facts
		level int8
		scope uint8
	}{
		{"1.5 特别重大 (1) deaths+missing=30 is 特别重大", Facts{Deaths: 20, Missing: 10}, 0, scope1 | scope3},
		{"1.5 重大 (1) deaths+missing=29 is 重大", Facts{Deaths: 29}, 1, scope1 | scope3},
		{"1.5 较大 (1) deaths+missing=3 is 较大", Facts{Deaths: 2, Missing: 1}, 2, scope1 | scope3},
		{"1.5 一般 (1) deaths=2 is 一般, out of 1.3", Facts{Deaths: 2}, 3, 0},
		{"1.5 重大 (1) 5000万 is 重大", Facts{DirectLoss: 5e7}, 1, scope1 | scope3},
		{"1.5 较大 (1) 1000万 is 较大", Facts{DirectLoss: 1e7}, 2, scope1 | scope3},
		{"1.5 较大 (2) 1000 evacuated is 较大 but not 1.3 (1)", Facts{Evacuated: 1000}, 2, scope3},
		{"1.5 重大 (3) 5万 evacuated is 重大", Facts{Evacuated: 50_000}, 1, scope1 | scope3},
		{"1.5 特别重大 (2) 10万 evacuated is 特别重大", Facts{Evacuated: 100_000}, 0, scope1 | scope3},
		{"1.3 (1) seriousInjuries=10 is in scope, 一般", Facts{SeriousInjuries: 10}, 3, scope1},
		{"1.5 较大 (1) seriousInjuries=30 is 较大", Facts{SeriousInjuries: 30}, 2, scope1 | scope3},
		{"1.3 (2) crossDomain alone is in scope, 一般", Facts{CrossDomain: true}, 3, scope2},
		{"1.5 特别重大 (4) crossing provinces is 特别重大", Facts{Crosses: Province}, 0, scope2 | scope3},
		{"1.5 特别重大 (5) stateCouncilResponse is 特别重大", Facts{StateCouncilResponse: true}, 0, scope3},
		{"1.5 重大 (5) region deems it necessary: 重大", Facts{DeemedNecessaryBy: Region}, 1, scope3},
		{"1.5 一般 (2) county deems it necessary: 一般", Facts{DeemedNecessaryBy: County}, 3, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Grade(&tc.facts)
			assert.Equal(t, tc.level, got.Level)
			assert.Equal(t, tc.scope, got.Scope)
		})
	}
}

// TestGoldenSources keeps the generated CEL, GRL and Rego in testdata/, so
// a reader can see what the other engines run (the Rego is what OPA's
// server answers in server/BENCHMARKS.md).
func TestGoldenSources(t *testing.T) {
	f := setup(t)
	rego, err := RegoSource(f.rules)
	require.NoError(t, err)
	for name, src := range map[string]string{"changji-2025.cel": f.cel.Source, "changji-2025.grl": f.grule.Source, "changji-2025.rego": rego} {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
			require.NoError(t, os.WriteFile(path, []byte(src), 0o644))
		}
		want, err := os.ReadFile(path)
		require.NoError(t, err, "run go test -update to create it")
		assert.Equal(t, string(want), src, "%s: run go test -update and review the diff", name)
	}
}

func jsonLines(tb testing.TB, cases []Case) [][]byte {
	tb.Helper()
	out := make([][]byte, len(cases))
	for i, c := range cases {
		b, err := AppendJSON(nil, c, i%10 == 0)
		require.NoError(tb, err)
		out[i] = b
	}
	return out
}
