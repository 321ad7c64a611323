package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
)

func init() {
	register(command{name: "roster", summary: "who commands, acts and is told for an incident, and why", run: runRoster})
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

// planAndChart loads the plan named by --plan and its orgchart.
func planAndChart(args []string) (*yingji.Plan, *orgchart.Chart, error) {
	spec := planFlag(args)
	p, err := loadPlan(spec)
	if err != nil {
		return nil, nil, err
	}
	if p.Orgchart == nil {
		return nil, nil, fmt.Errorf("yingji: plan %s has no orgchart (files.orgchart in plan.yaml)", p.ID())
	}
	return p, p.Orgchart, nil
}

func runRoster(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	p, chart, err := planAndChart(args)
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	fs := flag.NewFlagSet("yingji roster", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("plan", "", "an embedded plan id or a plan folder (default "+p.ID()+")")
	var industries, localities listFlag
	fs.Var(&industries, "industry", "the incident's industry: id, name or alias; repeatable")
	fs.Var(&localities, "locality", "where it happened: id, name or alias; repeatable")
	level := fs.String("level", "", "the grade (id or name) or response level ("+strings.Join(chart.ResponseLevels(), ", ")+")")
	asJSON := fs.Bool("json", false, "print the roster as JSON")
	var inc grading.Incident
	var inputs []string
	r := p.Grading
	if r != nil {
		inc = r.NewIncident()
		inputs = defineInputFlags(fs, r, &inc)
	}
	if wantsHelp(args) {
		fmt.Fprintf(stdout, "Usage: yingji roster [--plan ID|DIR] --industry NAME --locality NAME (--level LEVEL | --INPUT VALUE …) [--json]\n\n")
		fmt.Fprintf(stdout, "  --industry, --locality  repeatable; an id, the Chinese name or an alias (yingji org industries|localities)\n")
		fmt.Fprintf(stdout, "  --level                 a grade or a response level: %s\n", strings.Join(chart.ResponseLevels(), ", "))
		fmt.Fprintf(stdout, "  --json                  print the roster as JSON\n")
		if len(inputs) > 0 {
			fmt.Fprintf(stdout, "\nOr grade the incident first from its figures (not given = unknown):\n%s\n", strings.Join(inputs, "\n"))
		}
		return 0
	}
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "yingji roster: %s%s Run 'yingji roster -h' for the flags.\n", strings.TrimRight(err.Error(), "."), flagHint(err, fs))
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "yingji roster: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	graded := false
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "plan", "industry", "locality", "level", "json", "industries", "localities":
		default:
			graded = true
		}
	})
	act := orgchart.Activation{
		Industries: append(industries, listValue(&inc, "industries")...),
		Localities: append(localities, listValue(&inc, "localities")...),
	}
	var because string
	switch {
	case *level != "":
		act.Response = responseOf(r, *level)
	case graded && r != nil:
		res, err := r.Classify(context.Background(), inc)
		if err != nil {
			fmt.Fprintf(stderr, "yingji roster: %v\n", err)
			return 1
		}
		l, ok := res.Level()
		if !ok || l.Response.ID == "" {
			fmt.Fprintln(stderr, "yingji roster: the figures give no grade with a response level; give --level")
			return 1
		}
		act.Response = l.Response.ID
		because = fmt.Sprintf("graded %s (%s) → %s级响应", l.Name, l.Clause, l.Response.ID)
	default:
		fmt.Fprintln(stderr, "yingji roster: give --level, or the incident's figures (e.g. --deaths 4) to grade it first")
		return 2
	}
	roster, err := chart.Activate(context.Background(), act)
	if err != nil {
		// Activate joins one error per unknown name; each gets its own line.
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintf(stderr, "yingji roster: %s\n", strings.TrimPrefix(line, "orgchart: "))
		}
		return 2
	}
	if err := writeRoster(stdout, chart, roster, because, *asJSON); err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	return 0
}

// responseOf maps a grade (id or Chinese name) to its response level by the
// plan's grading rules; anything else is taken as a response level as is.
func responseOf(r *grading.Rules, level string) string {
	if r != nil {
		if l, ok := r.Level(level); ok && l.Response.ID != "" {
			return l.Response.ID
		}
	}
	return level
}

// writeRoster prints a roster for a person on duty, or as JSON.
func writeRoster(w io.Writer, c *orgchart.Chart, r orgchart.Roster, because string, asJSON bool) error {
	if asJSON {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", b)
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s]\n", r.Title, r.Clause)
	if because != "" {
		fmt.Fprintf(&b, "  %s\n", because)
	}
	fmt.Fprintf(&b, "  行业领域: %s\n  事故发生地: %s\n", names(r.Industries, c.Industry), names(r.Localities, c.Locality))
	var cmd []string
	for _, p := range r.Command {
		cmd = append(cmd, p.Name)
	}
	fmt.Fprintf(&b, "  指挥: %s\n", orDash(strings.Join(cmd, "、")))
	if len(r.Warnings) > 0 {
		b.WriteString("\n注意 (warnings):\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&b, "  ! %s\n", w.Message)
		}
	}
	if len(r.Posts) > 0 {
		b.WriteString("\n职务 (posts):\n")
		for _, p := range r.Posts {
			fmt.Fprintf(&b, "  %s: %s [%s]%s\n", p.Title, p.Holder, p.Clause, contactLine(p.Contacts))
		}
	}
	if len(r.Notifications) > 0 {
		b.WriteString("\n报告与通知，按顺序 (notify, in order):\n")
		for _, n := range r.Notifications {
			e, _ := r.Entry(n.To)
			by := ""
			if n.ByName != "" {
				by = " ← " + n.ByName
			}
			cond := ""
			if n.Condition != "" {
				cond = " (" + n.Condition + ")"
			}
			fmt.Fprintf(&b, "  %2d. %s%s [%s]%s%s\n", n.Order, n.Name, by, n.Clause, cond, contactLine(e.Contacts))
		}
	}
	if len(r.Groups) > 0 {
		b.WriteString("\n工作组 (groups):\n")
		for _, g := range r.Groups {
			fmt.Fprintf(&b, "  %s [%s]", g.Name, g.Clause)
			if g.Condition != "" {
				fmt.Fprintf(&b, " (%s)", g.Condition)
			}
			fmt.Fprintf(&b, "\n    牵头: %s\n", parties(g.Lead))
			if len(g.Coordinator) > 0 {
				fmt.Fprintf(&b, "    协调: %s\n", parties(g.Coordinator))
			}
			fmt.Fprintf(&b, "    成员: %s\n", parties(g.Members))
		}
	}
	for _, part := range []struct {
		title string
		act   orgchart.Action
	}{{"\n参与 (engaged):\n", orgchart.Engage}, {"\n仅告知 (notified only):\n", orgchart.Notify}} {
		first := true
		for _, e := range r.Entries {
			if e.Involvement != part.act {
				continue
			}
			if first {
				b.WriteString(part.title)
				first = false
			}
			mark := ""
			switch {
			case e.Conditional:
				mark = " (视情况 conditional)"
			case e.Unbound:
				mark = " (由事发单位/现场确定)"
			}
			fmt.Fprintf(&b, "  %s%s%s\n", e.Name, mark, contactLine(e.Contacts))
			for _, why := range e.Reasons {
				fmt.Fprintf(&b, "      - %s%s\n", why.Clause, reasonText(why))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func reasonText(r orgchart.Reason) string {
	var parts []string
	if r.As != "" {
		parts = append(parts, r.As)
	} else if r.Action == orgchart.Notify {
		parts = append(parts, "告知")
	}
	if r.ByName != "" {
		parts = append(parts, "由"+r.ByName)
	}
	if r.Condition != "" {
		parts = append(parts, "（"+r.Condition+"）")
	}
	if r.Note != "" {
		parts = append(parts, "— "+r.Note)
	}
	if len(parts) == 0 {
		return ""
	}
	return ": " + strings.Join(parts, " ")
}

func contactLine(l *orgchart.Listing) string {
	if l == nil {
		return ""
	}
	var parts []string
	if l.DutyPhone != "" {
		parts = append(parts, "值班 "+l.DutyPhone)
	}
	for _, p := range l.People {
		parts = append(parts, strings.TrimSpace(p.Name+" "+p.Post+" "+p.Phone))
	}
	if len(parts) == 0 {
		return ""
	}
	return " — " + strings.Join(parts, "; ")
}

func parties(ps []orgchart.Party) string {
	var out []string
	for _, p := range ps {
		s := p.Name
		if p.Condition != "" {
			s += "（" + p.Condition + "）"
		}
		out = append(out, s)
	}
	return orDash(strings.Join(out, "、"))
}

func names[T any](ids []string, look func(string) (T, bool)) string {
	var out []string
	for _, id := range ids {
		if v, ok := look(id); ok {
			switch x := any(v).(type) {
			case orgchart.Industry:
				out = append(out, x.Name)
			case orgchart.Locality:
				out = append(out, x.Name)
			}
		}
	}
	return orDash(strings.Join(out, "、"))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
