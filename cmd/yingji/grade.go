package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
)

func gradeCommand() *Command {
	c := &Command{
		Name:      "grade",
		UsageLine: "yingji grade [--plan ID|DIR] [--all] [--lang zh|en] [--json] [--INPUT VALUE …]\n       yingji grade --jsonl [--plan ID|DIR] < incidents.jsonl",
		Short:     "grade an incident from its facts, or a stream of JSON incidents",
		Long: `
Grade grades one incident under the plan's rules (1.5, 附件 8.3): give each
fact you know as a flag, named by its JSON name or in kebab-case. A fact not
given is unknown, not zero: the grade is what the known facts establish.

The output opens with the grade and its response level (重大 · Ⅱ级应急响应),
then one line saying whether unknown facts could still raise the grade and
how high, the criterion that decides it with its clause and sentence, who
may activate the response (4.2) and whether the incident is within the
plan's scope (1.3). --all adds the criteria that hold at lower levels, each
unknown fact with the highest grade it could reach, and the plan's
interpretations.

A count is a whole number of people; an amount is in yuan or written with
万 or 亿 (--loss 5000万); an ordered value takes its id, its label or an alias
the plan declares (--crosses county, --crosses 跨县级行政区); a yes/no fact
is true when given (--cross-domain).

--json prints one result object, the integration contract. --jsonl grades a
stream: one JSON incident per input line, one JSON result per output line,
in input order. A line that cannot be graded, or is longer than 16 MiB,
yields {"line": N, "error": {"code": …, "message": …, "problems": […]}} and
the stream goes on; the exit status is then 1.

Examples:

	yingji grade --deaths 12
	yingji grade --crosses 跨县级行政区 --json
	echo '{"directLoss":"5000万"}' | yingji grade --jsonl`,
		Flags: flag.NewFlagSet("grade", flag.ContinueOnError),
	}
	fs := c.Flags
	addPlanFlag(fs)
	asJSON := fs.Bool("json", false, "print the result as one JSON object")
	jsonl := fs.Bool("jsonl", false, "grade a stream: one JSON incident per input line, one JSON result per output line")
	all := fs.Bool("all", false, "also show the criteria that hold at lower levels, every unknown fact and the\ninterpretations")
	lg := addLangFlag(fs)
	var p *yingji.Plan
	var inc grading.Incident
	c.Prepare = func(_ *env, plan string) error {
		var err error
		if p, err = loadPlan(plan); err != nil {
			return err
		}
		if p.Grading == nil {
			return yingji.ErrNoGrading
		}
		inc = p.Grading.NewIncident()
		c.more = defineInputFlags(fs, p, &inc)
		return nil
	}
	c.Run = func(e *env, args []string) int {
		if len(args) > 0 {
			return c.usageError(e, "unexpected argument %q; facts are flags, e.g. --deaths 12", args[0])
		}
		if *jsonl {
			if *asJSON || *all {
				return c.usageError(e, "--jsonl prints JSON lines; it takes neither --json nor --all")
			}
			return gradeStream(e.ctx, p, e.stdin, e.stdout)
		}
		if err := p.CheckIncident(&inc); err != nil {
			return c.usageError(e, "%s", strings.TrimPrefix(err.Error(), "grading: "))
		}
		res, err := p.Classify(e.ctx, inc)
		if err != nil {
			return c.fail(e, exitFindings, err)
		}
		if *asJSON {
			b, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				return c.fail(e, exitFindings, err)
			}
			return write(c, e, string(b)+"\n")
		}
		return write(c, e, gradeText(p, &res, *lg, *all))
	}
	return c
}

// write prints the command's output; a failed write exits 1.
func write(c *Command, e *env, s string) int {
	if _, err := fmt.Fprint(e.stdout, s); err != nil {
		return c.fail(e, exitFindings, err)
	}
	return exitOK
}

// inputFlag sets one input of the incident from the command line. Values
// are passed to the plan as written, so the plan's own spellings of its
// enum values (labels, aliases) are accepted wherever the plan accepts
// them.
type inputFlag struct {
	in  *grading.Input
	inc *grading.Incident
}

func (f *inputFlag) String() string { return "" }

func (f *inputFlag) IsBoolFlag() bool { return f.in != nil && f.in.Type == grading.Bool }

func (f *inputFlag) Set(s string) error {
	var v any = s
	switch f.in.Type {
	case grading.Count:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return fmt.Errorf("%s is a whole number of people", f.in.ID)
		}
		v = n
	case grading.Bool:
		b, err := strconv.ParseBool(s)
		if err != nil {
			return fmt.Errorf("%s is true or false", f.in.ID)
		}
		v = b
	case grading.List:
		v = append(listValue(f.inc, f.in.ID), s)
	}
	if err := f.inc.Set(f.in.ID, v); err != nil {
		// The flag error names the flag and the value already.
		msg := strings.TrimPrefix(err.Error(), "grading: ")
		msg = strings.TrimPrefix(msg, f.in.ID+": ")
		msg = strings.TrimPrefix(msg, s+": ")
		return errors.New(msg)
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

// defineInputFlags adds a flag per input of the plan's grading rules: the
// input id as written, its kebab-case form, and the input's declared flag
// aliases. It returns their help, in the order the plan declares them.
func defineInputFlags(fs *flag.FlagSet, p *yingji.Plan, inc *grading.Incident) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Facts of %s (one flag per input; a fact not given is unknown, not zero):\n", p.ID())
	for _, in := range p.Grading.Inputs() {
		f := &inputFlag{in: in, inc: inc}
		names := append([]string{in.ID}, in.Flags...)
		if k := kebab(in.ID); k != in.ID {
			names = append(names, k)
		}
		for _, n := range names {
			if fs.Lookup(n) == nil {
				fs.Var(f, n, in.Label)
			}
		}
		usage := in.Label
		value := " N"
		switch in.Type {
		case grading.Count:
			if in.Unit != "" {
				usage += "（" + in.Unit + "）"
			}
		case grading.Amount:
			value = " AMOUNT"
			usage += `: yuan, or "5000万", "1.2亿元"`
		case grading.Enum:
			value = " VALUE"
			usage += ", least to most severe (the id, the label or an alias):"
			w := 0
			for _, v := range in.Values {
				w = max(w, len(v.ID))
			}
			for _, v := range in.Values {
				usage += fmt.Sprintf("\n  %-*s  %s", w, v.ID, v.Label)
			}
		case grading.List:
			value = " NAME"
			usage += ": repeatable; context for the roster, not graded"
		case grading.Bool:
			value = ""
			usage += ": true when given"
		}
		b.WriteString("  --" + strings.Join(names, ", --") + value + "\n")
		for _, line := range strings.Split(usage, "\n") {
			b.WriteString("        " + line + "\n")
		}
	}
	return b.String()
}
