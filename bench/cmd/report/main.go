// Command report turns the output of bench/run's steps into BENCHMARKS.md:
// the medians of `go test -bench` runs, the ratios the targets of issue 6
// are stated in, the end-to-end throughput of `yingji grade --jsonl`
// (which it measures itself by running the built binary), the differential
// test's per-level counts and, for a missed target, the profile.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/bench"
	"github.com/yingji/yingji/grading"
)

func main() {
	benchFile := flag.String("bench", "", "go test -bench output (several packages, -count runs)")
	diffFile := flag.String("differential", "", "go test -v output of TestDifferential")
	profFile := flag.String("profile", "", "go tool pprof -top output for Classify")
	loadProf := flag.String("loadprofile", "", "go tool pprof -top output for Load")
	applyProf := flag.String("applyprofile", "", "go tool pprof -top output for workflow Apply")
	jsonlProf := flag.String("jsonlprofile", "", "go tool pprof -top output for the --jsonl stream")
	benchstat := flag.String("benchstat", "", "benchstat output, appended as is")
	cli := flag.String("cli", "", "the built yingji binary")
	incidents := flag.String("incidents", "", "JSON lines for the CLI")
	runs := flag.Int("runs", 5, "how many times to time the CLI")
	diffN := flag.Int("n", 1_000_000, "how many incidents the differential test and the CLI ran")
	flag.Parse()

	bs, cpu, err := readBench(*benchFile)
	check(err)
	var th throughput
	if *cli != "" {
		th, err = timeCLI(*cli, *incidents, *runs)
		check(err)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	plan, err := yingji.Default()
	check(err)
	write(w, report{rules: plan.Grading, diffN: *diffN, bench: bs, cpu: cpu, cli: th,
		differential: grepLines(*diffFile, "agree"),
		profile:      readFile(*profFile), loadProfile: readFile(*loadProf), applyProfile: readFile(*applyProf), jsonlProfile: readFile(*jsonlProf),
		benchstat: readFile(*benchstat)})
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func readFile(name string) string {
	if name == "" {
		return ""
	}
	b, err := os.ReadFile(name)
	check(err)
	return strings.TrimRight(string(b), "\n")
}

// grepLines returns the lines of a test log that contain word, without the
// file:line prefix t.Logf adds.
func grepLines(name, word string) []string {
	var out []string
	for _, l := range strings.Split(readFile(name), "\n") {
		if strings.Contains(l, word) {
			out = append(out, logPrefix.ReplaceAllString(l, ""))
		}
	}
	return out
}

var logPrefix = regexp.MustCompile(`^\s*\S+\.go:\d+: `)

// stat is the medians of one benchmark's runs.
type stat struct {
	ns, bytes, allocs float64
	runs              int
	all               []float64 // ns/op of every run, in the order run
}

// ratio is the median over runs of a.ns/b.ns, each pair taken from the
// same round of -count, so that a burst of load on the shared machine
// moves both sides of a ratio together.
func ratio(a, b stat) float64 {
	n := min(len(a.all), len(b.all))
	if n == 0 {
		return a.ns / b.ns
	}
	rs := make([]float64, n)
	for i := range n {
		rs[i] = a.all[i] / b.all[i]
	}
	return median(rs)
}

func median(xs []float64) float64 {
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+([\d.]+) B/op)?(?:\s+([\d.]+) allocs/op)?`)

// readBench returns the median of every benchmark, keyed "pkg.Name"
// where pkg is the last element of the package path.
func readBench(name string) (map[string]stat, string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	samples := map[string][][3]float64{}
	pkg, cpu := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = p[strings.LastIndex(p, "/")+1:]
			continue
		}
		if c, ok := strings.CutPrefix(line, "cpu: "); ok {
			cpu = c
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		var v [3]float64
		for i, s := range m[2:] {
			v[i], _ = strconv.ParseFloat(s, 64)
		}
		key := pkg + "." + strings.TrimPrefix(m[1], "Benchmark")
		samples[key] = append(samples[key], v)
	}
	out := map[string]stat{}
	for k, s := range samples {
		col := func(i int) []float64 {
			xs := make([]float64, len(s))
			for j := range s {
				xs[j] = s[j][i]
			}
			return xs
		}
		out[k] = stat{ns: median(col(0)), bytes: median(col(1)), allocs: median(col(2)), runs: len(s), all: col(0)}
	}
	return out, cpu, sc.Err()
}

// throughput is the CLI's incidents per second, median of several runs,
// with every CPU and with one.
type throughput struct {
	lines             int
	perSec, perSec1   float64
	all, all1         []float64
	bytesIn, bytesOut int64
}

func timeCLI(bin, incidents string, runs int) (throughput, error) {
	data, err := os.ReadFile(incidents)
	if err != nil {
		return throughput{}, err
	}
	t := throughput{lines: bytes.Count(data, []byte("\n")), bytesIn: int64(len(data))}
	once := func(procs string) (float64, int64, error) {
		cmd := exec.Command(bin, "grade", "--jsonl")
		cmd.Stdin = bytes.NewReader(data)
		cw := &countWriter{}
		cmd.Stdout = cw
		cmd.Stderr = os.Stderr
		cmd.Env = os.Environ()
		if procs != "" {
			cmd.Env = append(cmd.Env, "GOMAXPROCS="+procs)
		}
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return 0, 0, fmt.Errorf("%s grade --jsonl: %w", bin, err)
		}
		if cw.lines != t.lines {
			return 0, 0, fmt.Errorf("%s grade --jsonl wrote %d lines for %d incidents", bin, cw.lines, t.lines)
		}
		return float64(t.lines) / time.Since(start).Seconds(), cw.n, nil
	}
	for _, procs := range []string{"", "1"} {
		var xs []float64
		for range runs {
			x, n, err := once(procs)
			if err != nil {
				return t, err
			}
			t.bytesOut = n
			xs = append(xs, x)
		}
		slices.Sort(xs)
		if procs == "" {
			t.all, t.perSec = xs, xs[len(xs)/2]
		} else {
			t.all1, t.perSec1 = xs, xs[len(xs)/2]
		}
	}
	return t, nil
}

// countWriter counts what the CLI writes instead of keeping it, as a
// consumer reading the stream would.
type countWriter struct {
	n     int64
	lines int
}

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	w.lines += bytes.Count(p, []byte("\n"))
	return len(p), nil
}

type report struct {
	rules                              *grading.Rules
	diffN                              int
	bench                              map[string]stat
	cpu                                string
	cli                                throughput
	differential                       []string
	profile, loadProfile, jsonlProfile string
	applyProfile                       string
	benchstat                          string
}

func ns(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2f ms", x/1e6)
	case x >= 1e4:
		return fmt.Sprintf("%.1f µs", x/1e3)
	case x >= 1e3:
		return fmt.Sprintf("%.2f µs", x/1e3)
	case x >= 100:
		return fmt.Sprintf("%.0f ns", x)
	}
	return fmt.Sprintf("%.1f ns", x)
}

func write(w io.Writer, r report) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format+"\n", args...) }
	get := func(k string) (stat, bool) { s, ok := r.bench[k]; return s, ok }
	hand, okHand := get("bench.Grade/handwritten")
	yj, okYJ := get("bench.Grade/yingji")
	cel, okCEL := get("bench.Grade/cel-go")
	_, okGrule := get("bench.Grade/grule")
	load, okLoad := get("yingji.Load")

	p("# Benchmarks")
	p("")
	p("Generated by `bench/run` on %s. Do not edit: run it again.", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	p("")
	p("Machine: %s, %d CPUs visible to Go, %s %s/%s. The machine is shared and", orDash(r.cpu), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	p("noisy: every figure is the median of its runs, and every ratio is the median")
	p("of the ratios of runs made in the same round (`-count` interleaves the")
	p("engines), all from this one run. Compare ratios across runs, not times.")
	p("")
	p("## Reproduce")
	p("")
	p("```sh")
	p("bench/run                       # the agreement tests, the 1e6 differential test, then every timing; rewrites bench/BENCHMARKS.md")
	p("COUNT=10 BENCHTIME=2s bench/run # more, longer runs")
	p("cd bench && go test ./...       # the agreement tests alone (what CI runs)")
	p("```")
	p("")
	p("## Targets (issue 6)")
	p("")
	p("| target | measured | |")
	p("|---|---|---|")
	mark := func(ok bool) string {
		if ok {
			return "met"
		}
		return "**missed**"
	}
	var missed []string
	if okHand && okYJ {
		x := ratio(yj, hand)
		p("| `Classify` with its explanation ≤ 10× the hand-written code | %.1f× (%s vs %s) | %s |", x, ns(yj.ns), ns(hand.ns), mark(x <= 10))
		p("| `Classify` 0 allocs/op | %.0f allocs/op, %.0f B/op | %s |", yj.allocs, yj.bytes, mark(yj.allocs == 0))
		if x > 10 {
			missed = append(missed, "classify")
		}
	}
	if okCEL && okYJ {
		x := ratio(cel, yj)
		p("| ≥ 10× faster than cel-go | %.1f× (%s vs %s) | %s |", x, ns(yj.ns), ns(cel.ns), mark(x >= 10))
		if x < 10 && !slices.Contains(missed, "classify") {
			missed = append(missed, "classify")
		}
	}
	if okLoad {
		p("| loading changji-2025 (parse, compile, validate) ≤ 5 ms | %s, %.0f allocs | %s |", ns(load.ns), load.allocs, mark(load.ns <= 5e6))
		if load.ns > 5e6 {
			missed = append(missed, "load")
		}
		if g, ok := get("yingji.LoadGrading"); ok {
			p("| … of which grading.yaml alone (parse, compile, type-check) | %s, %.0f allocs | %s |", ns(g.ns), g.allocs, mark(g.ns <= 5e6))
		}
	}
	if s, ok := get("workflow.Apply"); ok {
		p("| workflow `Apply` ≤ 10 µs/op | %s, %.0f allocs | %s |", ns(s.ns), s.allocs, mark(s.ns <= 1e4))
		if s.ns > 1e4 {
			missed = append(missed, "apply")
		}
	} else {
		p("| workflow `Apply` ≤ 10 µs/op | not measured: the workflow package has no `BenchmarkApply` yet | |")
	}
	if r.cli.lines > 0 {
		p("| `yingji grade --jsonl` ≥ 200,000 incidents/s end to end | %s/s (%s/s on one CPU) | %s |", thousands(r.cli.perSec), thousands(r.cli.perSec1), mark(r.cli.perSec >= 200_000))
		if r.cli.perSec < 200_000 {
			missed = append(missed, "jsonl")
		}
	}
	p("")

	p("## Grading one incident, four ways")
	p("")
	var mix []string
	for i, l := range r.rules.Levels() {
		if i < len(bench.Mix) {
			mix = append(mix, fmt.Sprintf("%d%% %s", bench.Mix[i], l.Name))
		}
	}
	p("The default plan's grading (changji-2025: %d level criteria, %d scope criteria)", len(r.rules.Criteria()), len(r.rules.ScopeCriteria()))
	p("on one seeded set of %s incidents (%s; about", thousands(bench.SetSize), strings.Join(mix, ", "))
	p("one fact in five unknown), graded in turn, one incident per op. Every engine")
	p("computes the grade, every matched criterion at every level and the scope;")
	p("`TestAgreement` checks that all four agree on every incident and every")
	p("boundary case before the timings count, and each benchmark checks its")
	p("answers again before its clock starts.")
	p("")
	p("| engine | ns/op | B/op | allocs/op | × hand-written | × yingji |")
	p("|---|---:|---:|---:|---:|---:|")
	for _, e := range []struct{ key, label string }{
		{"bench.Grade/handwritten", "hand-written Go if-chain (the limit)"},
		{"bench.Grade/yingji", "**yingji** `Classify` (native, explanation-ready `Result`)"},
		{"bench.Grade/cel-go", "cel-go v0.31.0 (one program for all criteria)"},
		{"bench.Grade/grule", "grule-rule-engine v1.20.4 (one rule per criterion)"},
	} {
		s, ok := get(e.key)
		if !ok {
			continue
		}
		xh, xy := "", ""
		if okHand {
			xh = fmt.Sprintf("%.1f×", ratio(s, hand))
		}
		if okYJ {
			xy = fmt.Sprintf("%.2f×", ratio(s, yj))
		}
		p("| %s | %s | %.0f | %.0f | %s | %s |", e.label, ns(s.ns), s.bytes, s.allocs, xh, xy)
	}
	if okGrule && okYJ {
		p("")
		p("cel-go and grule run rules generated from the compiled plan")
		p("(`bench/testdata/golden/changji-2025.{cel,grl}`); the hand-written code is")
		p("written from the plan text (`bench/handwritten.go`). Each engine starts from its")
		p("own prepared form of the incident (a struct, a `grading.Incident`, a CEL")
		p("activation of ready CEL values, a grule fact), so only grading is timed.")
	}
	p("")

	p("## The library's own benchmarks")
	p("")
	p("| benchmark | ns/op | B/op | allocs/op |")
	p("|---|---:|---:|---:|")
	var keys []string
	for k := range r.bench {
		if !strings.HasPrefix(k, "bench.") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		s := r.bench[k]
		p("| `%s` | %s | %.0f | %.0f |", k, ns(s.ns), s.bytes, s.allocs)
	}
	if s, ok := get("bench.ParseIncident"); ok {
		p("| `bench.ParseIncident` (the seeded set, as JSON) | %s | %.0f | %.0f |", ns(s.ns), s.bytes, s.allocs)
	}
	if s, ok := get("bench.MarshalResult"); ok {
		p("| `bench.MarshalResult` (the seeded set, `MarshalJSON`) | %s | %.0f | %.0f |", ns(s.ns), s.bytes, s.allocs)
	}
	p("")
	p("`ParseIncident/general` is the encoding/json path every incident took before")
	p("the fast decoder (it still words every error); `ResultJSON/JSONEncoder` is the")
	p("encoder `grade --jsonl` uses, byte for byte `MarshalJSON`'s output.")
	p("")

	if r.cli.lines > 0 {
		p("## `yingji grade --jsonl`, end to end")
		p("")
		p("The built binary grading %s seeded incidents (%.0f MB of JSON lines, every", thousands(float64(r.cli.lines)), float64(r.cli.bytesIn)/1e6)
		p("tenth amount written as \"…万\") from stdin, writing %.0f MB of results with", float64(r.cli.bytesOut)/1e6)
		p("their explanations to a pipe that `bench/cmd/report` reads and counts.")
		p("Median of %d runs each:", len(r.cli.all))
		p("")
		p("| CPUs | incidents/s (median) | all runs |")
		p("|---|---:|---|")
		p("| all (%d) | %s | %s |", runtime.NumCPU(), thousands(r.cli.perSec), list(r.cli.all))
		p("| 1 (`GOMAXPROCS=1`) | %s | %s |", thousands(r.cli.perSec1), list(r.cli.all1))
		p("")
	}

	if len(r.differential) > 0 {
		p("## Differential test: native evaluator vs expr programs")
		p("")
		p("`YINGJI_DIFFERENTIAL_N=%d go test -run TestDifferential -v ./grading/`:", r.diffN)
		p("every boundary case, then generated incidents biased towards the")
		p("thresholds, accepted in equal shares per level, per embedded plan; grade and")
		p("matched criteria compared:")
		p("")
		for _, l := range r.differential {
			p("- %s", l)
		}
		p("")
	}

	if len(missed) > 0 || r.profile != "" {
		p("## Profiles")
		p("")
	}
	if r.profile != "" {
		p("`Classify` over the seeded set (`go test -bench 'Grade/yingji$' -cpuprofile`,")
		p("`go tool pprof -top`):")
		p("")
		p("```")
		p("%s", r.profile)
		p("```")
		p("")
	}
	if slices.Contains(missed, "load") && r.loadProfile != "" {
		p("`Load`, by cumulative time (`go tool pprof -top -cum`, runtime frames left out):")
		p("")
		p("```")
		p("%s", r.loadProfile)
		p("```")
		p("")
	}
	if slices.Contains(missed, "apply") && r.applyProfile != "" {
		p("workflow `Apply`, by cumulative time:")
		p("")
		p("```")
		p("%s", r.applyProfile)
		p("```")
		p("")
	}
	if r.jsonlProfile != "" {
		p("One line of `grade --jsonl` (`BenchmarkStream`: decode, grade, encode; one CPU),")
		p("by cumulative time:")
		p("")
		p("```")
		p("%s", r.jsonlProfile)
		p("```")
		p("")
	}
	if r.benchstat != "" {
		p("## benchstat")
		p("")
		p("```")
		p("%s", r.benchstat)
		p("```")
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func thousands(x float64) string {
	s := strconv.FormatInt(int64(x+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func list(xs []float64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = thousands(x)
	}
	return strings.Join(parts, ", ")
}
