// Command callgrind grades the seeded benchmark set (bench.SetSize
// incidents) with one engine, rounds times over, for counting
// instructions under valgrind: a measure of Classify against the
// hand-written code that does not depend on the CPU it runs on, unlike
// the nanoseconds of BenchmarkGrade (an EPYC and a Xeon disagree by
// nearly 2×). Only the function that grades is counted:
//
//	CGO_ENABLED=0 go build -o /tmp/cg ./cmd/callgrind
//	GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --toggle-collect='main.gradeYingji' /tmp/cg -engine yingji
//	GODEBUG=asyncpreemptoff=1 valgrind --tool=callgrind --toggle-collect='main.gradeHandwritten' /tmp/cg -engine handwritten
//
// The ratio of the two "Collected" totals is Classify's cost in units of
// the hand-written code; bench/callgrind runs both and prints it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/bench"
	"github.com/yingji/yingji/grading"
)

var (
	sinkOutcome bench.Outcome
	sinkResult  grading.Result
)

// gradeHandwritten grades as BenchmarkGrade/handwritten does.
//
//go:noinline
func gradeHandwritten(facts []bench.Facts, rounds int) {
	for range rounds {
		for i := range facts {
			sinkOutcome = bench.Grade(&facts[i])
		}
	}
}

// gradeYingji grades as BenchmarkGrade/yingji does: into a local Result,
// kept after the loop.
//
//go:noinline
func gradeYingji(r *grading.Rules, incs []grading.Incident, rounds int) {
	ctx := context.Background()
	var res grading.Result
	for range rounds {
		for i := range incs {
			res, _ = r.Classify(ctx, incs[i])
		}
	}
	sinkResult = res
}

func main() {
	engine := flag.String("engine", "yingji", "handwritten or yingji")
	rounds := flag.Int("rounds", 10, "how many times to grade the set")
	check := flag.Bool("check", true, "check yingji against the hand-written code first")
	flag.Parse()
	p, err := yingji.Default()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r := p.Grading
	cases := bench.Incidents(r, bench.SetSize, func(c bench.Case) int {
		facts := bench.ToFacts(c)
		return int(bench.Grade(&facts).Level)
	})
	facts := make([]bench.Facts, len(cases))
	incs := make([]grading.Incident, len(cases))
	for i, c := range cases {
		facts[i] = bench.ToFacts(c)
		if incs[i], err = bench.ToIncident(r, c); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		res, err := r.Classify(context.Background(), incs[i])
		if *check && (err != nil || bench.OutcomeOf(r, &res) != bench.Grade(&facts[i])) {
			fmt.Fprintf(os.Stderr, "incident %d: yingji and the hand-written code disagree\n", i)
			os.Exit(1)
		}
	}
	// No collection may run while instructions are counted: its work
	// (and the write barriers it turns on) would be counted too.
	runtime.GC()
	debug.SetGCPercent(-1)
	switch *engine {
	case "handwritten":
		gradeHandwritten(facts, *rounds)
	case "yingji":
		gradeYingji(r, incs, *rounds)
	default:
		fmt.Fprintln(os.Stderr, "engine: handwritten or yingji")
		os.Exit(2)
	}
}
