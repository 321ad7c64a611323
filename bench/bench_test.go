package bench

import (
	"context"
	"testing"

	"github.com/yingji/yingji/grading"
)

// The benchmarks grade the seeded set in turn, one incident per op, each
// engine from its own prepared form of the incident (a struct, a
// grading.Incident, a CEL activation, a grule fact), so that only grading
// is timed. Each checks its answers against the hand-written code before
// the clock starts.

var sink Outcome

func agree(b *testing.B, f *fixture, grade func(i int) Outcome) {
	b.Helper()
	for i := range f.facts {
		if want, got := Grade(&f.facts[i]), grade(i); want != got {
			b.Fatalf("incident %d %s: want %s, got %s", i, f.cases[i].Describe(f.rules), want.Describe(f.rules), got.Describe(f.rules))
		}
	}
}

// BenchmarkGrade/handwritten is the limit: an if-chain for this one plan
// computing the grade, every matched criterion and the scope.
func BenchmarkGrade(b *testing.B) {
	f := setup(b)
	n := len(f.cases)
	ctx := context.Background()
	r := f.rules

	b.Run("handwritten", func(b *testing.B) {
		agree(b, f, func(i int) Outcome { return Grade(&f.facts[i]) })
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = Grade(&f.facts[i%n])
		}
	})

	// yingji's Classify: the Result holds the grade, the matched criteria
	// (with provisional marks), the scope, the unknowns that could raise
	// the grade and the ceiling, ready to explain.
	b.Run("yingji", func(b *testing.B) {
		grade := Yingji(r)
		agree(b, f, func(i int) Outcome { return grade(f.incidents[i]) })
		b.ReportAllocs()
		var res grading.Result
		for i := 0; b.Loop(); i++ {
			res, _ = r.Classify(ctx, f.incidents[i%n])
		}
		_ = res
	})

	b.Run("cel-go", func(b *testing.B) {
		agree(b, f, func(i int) Outcome { return f.cel.Grade(f.acts[i]) })
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = f.cel.Grade(f.acts[i%n])
		}
	})

	b.Run("grule", func(b *testing.B) {
		agree(b, f, func(i int) Outcome { return f.grule.Grade(f.gfacts[i]) })
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink = f.grule.Grade(f.gfacts[i%n])
		}
	})
}

// BenchmarkParseIncident decodes the set's incidents from JSON, the first
// step of every request and of `yingji grade --jsonl`.
func BenchmarkParseIncident(b *testing.B) {
	f := setup(b)
	lines := jsonLines(b, f.cases)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := f.rules.ParseIncident(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarshalResult renders results with their explanation, as
// `yingji grade --jsonl` writes them.
func BenchmarkMarshalResult(b *testing.B) {
	f := setup(b)
	ctx := context.Background()
	results := make([]grading.Result, len(f.incidents))
	for i, inc := range f.incidents {
		results[i], _ = f.rules.Classify(ctx, inc)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := results[i%len(results)].MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStream is one line of `yingji grade --jsonl` on one CPU:
// decode, grade, encode the result with its explanation. The CLI runs it
// on every CPU; bench/run profiles it to explain the CLI's throughput.
func BenchmarkStream(b *testing.B) {
	f := setup(b)
	lines := jsonLines(b, f.cases)
	ctx := context.Background()
	enc := grading.NewJSONEncoder(f.rules)
	var out []byte
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		inc, err := f.rules.ParseIncident(lines[i%len(lines)])
		if err != nil {
			b.Fatal(err)
		}
		res, err := f.rules.Classify(ctx, inc)
		if err != nil {
			b.Fatal(err)
		}
		if out, err = enc.Append(out[:0], &res); err != nil {
			b.Fatal(err)
		}
	}
}
