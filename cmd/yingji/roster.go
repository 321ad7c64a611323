package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"github.com/yingji/yingji"
	"github.com/yingji/yingji/grading"
	"github.com/yingji/yingji/orgchart"
)

// listFlag is a repeatable string flag; a comma also separates values.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if part = strings.TrimSpace(part); part != "" {
			*l = append(*l, part)
		}
	}
	return nil
}

func rosterCommand() *Command {
	c := &Command{
		Name:      "roster",
		UsageLine: "yingji roster [--plan ID|DIR] --industry NAME --locality NAME (--level LEVEL | --INPUT VALUE …) [--lang zh|en] [--json]",
		Short:     "who commands, acts and is told for an incident, and why",
		Long: `
Roster lists, for an incident's industry, place and response level, who
commands, which working groups form and who leads them, and whom to report
to and notify in what order, each with their phones (附件 8.5, 8.6). The
first screen is what the person on duty needs at once; the full list below
gives every party with the clauses that put it there.

--industry and --locality are repeatable (an incident may span several)
and take an id, the Chinese name or an alias (yingji org industries,
yingji org localities). --level takes the response level or the grade as
people write them: Ⅲ, III, 3, 三级, Ⅲ级应急响应, 较大. Instead of --level,
give the incident's facts (as for yingji grade) and the roster is that of
the grade they establish.

Examples:

	yingji roster --industry 道路交通 --locality 昌吉市 --level Ⅲ
	yingji roster --industry 危化品 --locality 奇台县 --deaths 4
	yingji roster --industry 特种设备 --locality 奇台县 --level 较大 --json`,
		Flags: flag.NewFlagSet("roster", flag.ContinueOnError),
	}
	fs := c.Flags
	addPlanFlag(fs)
	var industries, localities listFlag
	fs.Var(&industries, "industry", "the incident's industry: an id, the name or an alias; repeatable")
	fs.Var(&localities, "locality", "where it happened: an id, the name or an alias; repeatable")
	level := fs.String("level", "", "the response level or the grade: Ⅲ, III, 3, 三级, Ⅲ级应急响应, 较大 …")
	asJSON := fs.Bool("json", false, "print the roster as JSON")
	lg := addLangFlag(fs)
	var p *yingji.Plan
	var inc grading.Incident
	c.Prepare = func(_ *env, plan string) error {
		var err error
		if p, err = loadPlan(plan); err != nil {
			return err
		}
		if p.Orgchart == nil {
			return yingji.ErrNoOrgchart
		}
		if p.Grading != nil {
			inc = p.Grading.NewIncident()
			c.more = defineInputFlags(fs, p, &inc)
		}
		return nil
	}
	c.Run = func(e *env, args []string) int {
		if len(args) > 0 {
			return c.usageError(e, "unexpected argument %q; the industry and the place are --industry and --locality", args[0])
		}
		graded := false
		fs.Visit(func(f *flag.Flag) {
			if _, ok := f.Value.(*inputFlag); ok {
				graded = true
			}
		})
		ind, loc := []string(industries), []string(localities)
		for _, l := range inc.Lists() {
			in, _ := p.Grading.Input(l.Input)
			switch in.Ref {
			case "industries":
				ind = append(ind, l.Values...)
			case "localities":
				loc = append(loc, l.Values...)
			}
		}
		var lv *grading.Level
		var res *grading.Result
		switch {
		case *level != "" && graded:
			return c.usageError(e, "give --level or the incident's facts, not both")
		case *level != "":
			var err error
			if lv, err = parseLevel(p, *level); err != nil {
				return c.usageError(e, "%s", strings.TrimPrefix(err.Error(), "grading: "))
			}
		case graded:
			r, err := p.Classify(e.ctx, inc)
			if err != nil {
				return c.fail(e, exitFindings, err)
			}
			l, ok := r.Level()
			if !ok || l.Response.ID == "" {
				return c.fail(e, exitFindings, fmt.Errorf("the facts give no grade with a response level; give --level"))
			}
			lv, res = l, &r
		default:
			return c.usageError(e, "give --level, or the incident's facts (e.g. --deaths 4) to grade it first")
		}
		if len(p.Orgchart.ResponseLevels()) == 0 {
			return c.usageError(e, "plan %s declares no rosters (responses: in its orgchart)", p.ID())
		}
		if lv.Response.ID == "" {
			return c.usageError(e, "in plan %s the grade %s starts no response level, so it has no roster", p.ID(), lv.Name)
		}
		roster, err := p.Roster(e.ctx, lv.ID, ind, loc)
		if err != nil {
			// One line per unknown name, each with its suggestion.
			for _, line := range strings.Split(err.Error(), "\n") {
				fmt.Fprintf(e.stderr, "yingji roster: %s\n", strings.TrimPrefix(line, "orgchart: "))
			}
			return exitUsage
		}
		if *asJSON {
			b, err := json.MarshalIndent(roster, "", "  ")
			if err != nil {
				return c.fail(e, exitFindings, err)
			}
			return write(c, e, string(b)+"\n")
		}
		return write(c, e, rosterText(p, roster, lv, res, *lg))
	}
	return c
}

// parseLevel reads --level as people write it: a response level (Ⅲ, III,
// 3, 三级, Ⅲ级应急响应) or a grade (较大, relatively-serious), through the
// plan's grading rules — the spellings are the plan's data, not the CLI's.
// An unknown spelling lists the plan's levels in order; it never guesses.
func parseLevel(p *yingji.Plan, s string) (*grading.Level, error) {
	if p.Grading == nil {
		return nil, yingji.ErrNoGrading
	}
	return p.Grading.ParseLevel(s)
}

// noticeBy is who makes a roster's notification, as a name.
func noticeBy(n orgchart.Notification) string { return n.ByName }
