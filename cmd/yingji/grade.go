package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/diag"
	"github.com/yingji/yingji/grading"
)

func init() {
	register(command{name: "grade", summary: "grade an incident (flags), or a stream of JSON incidents (--jsonl)", run: runGrade})
}

// inputFlag sets one input of the incident from the command line.
type inputFlag struct {
	in  *grading.Input
	inc *grading.Incident
}

func (f inputFlag) String() string { return "" }

func (f inputFlag) IsBoolFlag() bool { return f.in != nil && f.in.Type == grading.Bool }

func (f inputFlag) Set(s string) error {
	var v any = s
	switch f.in.Type {
	case grading.Count:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("%s is a whole number of people, not %q", f.in.ID, s)
		}
		v = n
	case grading.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%s is true or false, not %q", f.in.ID, s)
		}
		v = b
	case grading.List:
		v = append(listValue(f.inc, f.in.ID), s)
	}
	if err := f.inc.Set(f.in.ID, v); err != nil {
		return fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "grading: "))
	}
	return nil
}

func listValue(inc *grading.Incident, id string) []string {
	if v, ok := inc.Value(id); ok {
		return v.([]string)
	}
	return nil
}

// kebab turns an input id into a flag name: seriousInjuries → serious-injuries.
func kebab(id string) string {
	var b strings.Builder
	for i, r := range id {
		if unicode.IsUpper(r) && i > 0 {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// defineInputFlags adds a flag per input of the rules: the input id as
// written, its kebab-case form, and the input's declared flag aliases. It
// returns the usage lines, one per input.
func defineInputFlags(fs *flag.FlagSet, r *grading.Rules, inc *grading.Incident) []string {
	var lines []string
	for _, in := range r.Inputs() {
		f := inputFlag{in: in, inc: inc}
		usage := in.Label
		if in.Unit != "" {
			usage += " (" + in.Unit + ")"
		}
		switch in.Type {
		case grading.Enum:
			ids := make([]string, len(in.Values))
			for i, v := range in.Values {
				ids[i] = v.ID
			}
			usage += ": " + strings.Join(ids, " < ")
		case grading.Amount:
			usage += `: yuan, or "5000万", "1.2亿元"`
		case grading.List:
			usage += ", repeatable (context, not graded)"
		case grading.Bool:
			usage += ": true when given"
		}
		names := append([]string{in.ID}, in.Flags...)
		if k := kebab(in.ID); k != in.ID {
			names = append(names, k)
		}
		for _, n := range names {
			fs.Var(f, n, usage)
		}
		lines = append(lines, fmt.Sprintf("  --%s\n        %s", strings.Join(names, ", --"), usage))
	}
	return lines
}

// wantsHelp reports whether args ask for the usage.
func wantsHelp(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "--help" || a == "-help" })
}

// flagHint turns the flag package's complaint about an unknown flag into a
// suggestion.
func flagHint(err error, fs *flag.FlagSet) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return diag.Suggest(name, names)
}

func runGrade(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	p, err := loadPlan(planFlag(args))
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	r := p.Grading
	inc := r.NewIncident()
	fs := flag.NewFlagSet("yingji grade", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("plan", "", "an embedded plan id or a plan folder (default "+p.ID()+")")
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	jsonl := fs.Bool("jsonl", false, "grade a stream: one JSON incident per input line, one JSON result per output line")
	inputs := defineInputFlags(fs, r, &inc)
	fs.Usage = func() {}
	if wantsHelp(args) {
		fmt.Fprintf(stdout, "Usage: yingji grade [--plan ID|DIR] [--json] [--INPUT VALUE …]\n       yingji grade --jsonl [--plan ID|DIR] < incidents.jsonl\n\n")
		fmt.Fprintf(stdout, "Inputs of %s (not given = unknown, not zero):\n%s\n\n", p.ID(), strings.Join(inputs, "\n"))
		fmt.Fprintf(stdout, "Output:\n  --json    one JSON result object\n  --jsonl   one JSON incident per input line, one result per output line\n")
		return 0
	}
	if err := fs.Parse(args); err != nil {
		msg := strings.TrimRight(err.Error(), ".") + "."
		if strings.HasSuffix(err.Error(), "?") {
			msg = err.Error()
		}
		fmt.Fprintf(stderr, "yingji grade: %s%s Run 'yingji grade -h' for the inputs.\n", msg, flagHint(err, fs))
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "yingji grade: unexpected argument %q; inputs are flags, e.g. --deaths 12\n", fs.Arg(0))
		return 2
	}
	ctx := context.Background()
	if *jsonl {
		return gradeStream(ctx, p, stdin, stdout)
	}
	if err := p.CheckIncident(&inc); err != nil {
		fmt.Fprintf(stderr, "yingji grade: %v\n", err)
		return 2
	}
	res, err := r.Classify(ctx, inc)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if *asJSON {
		b, err := json.MarshalIndent(res, "", "  ")
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return 0
	}
	fmt.Fprintf(stdout, "Plan: %s (%s)\n", p.Manifest.Title, p.ID())
	fmt.Fprint(stdout, res.Explain())
	return 0
}

// gradeStream grades one JSON incident per line. A bad line yields
// {"line": N, "error": "…"} and the stream goes on; the exit status is 1 if
// any line failed. Blank lines are skipped.
//
// Lines are graded in batches by one worker per CPU and written in input
// order, so the output is the same as grading them one by one.
func gradeStream(ctx context.Context, p *yingji.Plan, stdin io.Reader, stdout io.Writer) int {
	r := p.Grading
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64*1024), 16*1024*1024)
	out := bufio.NewWriterSize(stdout, 256*1024)
	defer out.Flush()
	enc := grading.NewJSONEncoder(r)

	workers := runtime.GOMAXPROCS(0)
	work := make(chan *gradeBatch, workers)
	order := make(chan *gradeBatch, 4*workers)
	free := make(chan *gradeBatch, 6*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range work {
				b.grade(ctx, p, enc)
				close(b.done)
			}
		})
	}
	var failed, writeFailed atomic.Bool
	written := make(chan struct{})
	go func() {
		defer close(written)
		for b := range order {
			<-b.done
			if b.failed {
				failed.Store(true)
			}
			if !writeFailed.Load() {
				if _, err := out.Write(b.out); err != nil {
					writeFailed.Store(true)
				}
			}
			select {
			case free <- b:
			default:
			}
		}
	}()

	var b *gradeBatch
	send := func() {
		if b != nil && len(b.ends) > 0 {
			work <- b
			order <- b
		}
		b = nil
	}
	for line := 1; in.Scan() && !writeFailed.Load(); line++ {
		if b == nil {
			select {
			case b = <-free:
				b.reset(line)
			default:
				b = &gradeBatch{}
				b.reset(line)
			}
		}
		b.data = append(b.data, in.Bytes()...)
		b.ends = append(b.ends, len(b.data))
		if len(b.ends) == gradeBatchLines || len(b.data) >= 1<<20 {
			send()
		}
	}
	send()
	close(work)
	close(order)
	wg.Wait()
	<-written
	if writeFailed.Load() {
		return 1
	}
	status := 0
	if failed.Load() {
		status = 1
	}
	if err := in.Err(); err != nil {
		status = 1
		enc := json.NewEncoder(out)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(struct {
			Error string `json:"error"`
		}{"reading input: " + err.Error()})
	}
	return status
}

// gradeBatchLines is how many lines a worker grades at a time: enough to
// make handing them over cheap, few enough to keep every worker busy.
const gradeBatchLines = 256

// gradeBatch is a run of consecutive input lines and, once graded, their
// output.
type gradeBatch struct {
	first  int // the line number of the first line
	data   []byte
	ends   []int // where each line ends in data
	out    []byte
	failed bool
	done   chan struct{}
}

func (b *gradeBatch) reset(first int) {
	b.first, b.data, b.ends, b.out, b.failed, b.done = first, b.data[:0], b.ends[:0], b.out[:0], false, make(chan struct{})
}

func (b *gradeBatch) grade(ctx context.Context, p *yingji.Plan, enc *grading.JSONEncoder) {
	r := p.Grading
	start := 0
	for i, end := range b.ends {
		text := b.data[start:end]
		start = end
		if len(bytes.TrimSpace(text)) == 0 {
			continue
		}
		inc, err := p.ParseIncident(text)
		var res grading.Result
		if err == nil {
			res, err = r.Classify(ctx, inc)
		}
		if err == nil {
			n := len(b.out)
			if b.out, err = enc.Append(b.out, &res); err == nil {
				b.out = append(b.out, '\n')
				continue
			}
			b.out = b.out[:n]
		}
		b.failed = true
		var buf bytes.Buffer
		e := json.NewEncoder(&buf)
		e.SetEscapeHTML(false)
		_ = e.Encode(struct {
			Line  int    `json:"line"`
			Error string `json:"error"`
		}{b.first + i, err.Error()})
		b.out = append(b.out, buf.Bytes()...)
	}
}
