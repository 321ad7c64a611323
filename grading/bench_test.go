package grading_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
)

// benchIncidents are a few incidents of different shapes: partly known,
// mixed, all known, enums. bench/ times a seeded set of a thousand.
var benchIncidents = []string{
	`{"deaths": 12, "missing": 1}`,
	`{"deaths": 2, "seriousInjuries": 20, "directLoss": 3000000}`,
	`{"deaths": 0, "missing": 0, "endangered": 0, "seriousInjuries": 0, "evacuated": 0, "directLoss": 0, "crosses": "none", "crossDomain": false, "exceedsCapacityOf": "none", "deemedNecessaryBy": "none", "stateCouncilResponse": false}`,
	`{"evacuated": 60000, "crosses": "county"}`,
}

func benchRules(b *testing.B) (*grading.Rules, []grading.Incident) {
	b.Helper()
	p, err := yingji.Default()
	if err != nil {
		b.Fatal(err)
	}
	r := p.Grading
	var incs []grading.Incident
	for _, s := range benchIncidents {
		inc, err := r.ParseIncident([]byte(s))
		if err != nil {
			b.Fatal(err)
		}
		incs = append(incs, inc)
	}
	return r, incs
}

// BenchmarkClassify is the native evaluator; the target is 0 allocs/op.
func BenchmarkClassify(b *testing.B) {
	r, incs := benchRules(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := r.Classify(ctx, incs[i%len(incs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClassifyExpr runs one expr program per criterion instead.
func BenchmarkClassifyExpr(b *testing.B) {
	r, incs := benchRules(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := r.ClassifyExpr(ctx, incs[i%len(incs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseIncident decodes the incidents by the fast path and, with
// their keys \u-escaped, by the general one.
func BenchmarkParseIncident(b *testing.B) {
	r, _ := benchRules(b)
	for _, path := range []struct {
		name string
		line func(string) []byte
	}{
		{"fast", func(s string) []byte { return []byte(s) }},
		{"general", func(s string) []byte { return escapeKeys([]byte(s)) }},
	} {
		b.Run(path.name, func(b *testing.B) {
			var lines [][]byte
			for _, s := range benchIncidents {
				lines = append(lines, path.line(s))
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := r.ParseIncident(lines[i%len(lines)]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkResultJSON renders results with their explanation, by
// MarshalJSON and by a JSONEncoder.
func BenchmarkResultJSON(b *testing.B) {
	r, incs := benchRules(b)
	ctx := context.Background()
	var results []grading.Result
	for _, inc := range incs {
		res, err := r.Classify(ctx, inc)
		if err != nil {
			b.Fatal(err)
		}
		results = append(results, res)
	}
	b.Run("MarshalJSON", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := results[i%len(results)].MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("JSONEncoder", func(b *testing.B) {
		enc := grading.NewJSONEncoder(r)
		var buf []byte
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			var err error
			if buf, err = enc.Append(buf[:0], &results[i%len(results)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestClassifyDoesNotAllocate holds the 0 allocs/op of BenchmarkClassify
// in a test, where a regression fails instead of passing unseen: a field
// added to the tree evaluator once moved every incident to the heap.
func TestClassifyDoesNotAllocate(t *testing.T) {
	p, err := yingji.Default()
	require.NoError(t, err)
	ctx := context.Background()
	for _, s := range benchIncidents {
		inc, err := p.Grading.ParseIncident([]byte(s))
		require.NoError(t, err)
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := p.Grading.Classify(ctx, inc); err != nil {
				t.Fatal(err)
			}
		})
		assert.Zero(t, allocs, s)
	}
}
