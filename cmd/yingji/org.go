package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/yingji/yingji/orgchart"
)

// orgLists are the lists yingji org prints.
func orgLists() []string { return []string{"units", "groups", "contacts", "localities", "industries"} }

func orgCommand() *Command {
	c := &Command{
		Name:      "org",
		UsageLine: "yingji org units|groups|contacts|localities|industries [--plan ID|DIR] [--json]",
		Short:     "list the orgchart: units, groups, contacts, localities, industries",
		Long: `
Org prints one table of the plan's orgchart (chapter 2, 附件 8.5, 8.6):

	units       the member units (2.1) with their short names, aliases and
	            duties (2.3), each with its clause
	groups      the working groups (2.4): who leads, coordinates and takes
	            part, and when they form
	contacts    the contact directory (附件 8.5): duty phones and people,
	            with the date it is valid for
	localities  the counties, cities and parks (附件 8.6) with their
	            emergency bureaus and duty phones
	industries  the industries and the units responsible for them (2.3);
	            those the text names no unit for fall back to 州应急管理局

The names, short names and aliases listed are what roster's --industry and
--locality accept.

Examples:

	yingji org groups
	yingji org localities --json`,
		Flags: flag.NewFlagSet("org", flag.ContinueOnError),
	}
	plan := addPlanFlag(c.Flags)
	asJSON := c.Flags.Bool("json", false, "print the list as JSON")
	c.Run = func(e *env, args []string) int {
		if len(args) != 1 || !slices.Contains(orgLists(), args[0]) {
			return c.usageError(e, "say which list: %s", strings.Join(orgLists(), ", "))
		}
		p, err := loadPlan(*plan)
		if err != nil {
			reportLoadError(e.stderr, "yingji org", err)
			return exitUsage
		}
		if p.Orgchart == nil {
			return c.usageError(e, "plan %s has no orgchart (files.orgchart in plan.yaml)", p.ID())
		}
		if err := writeOrg(e.stdout, p.Orgchart, args[0], *asJSON); err != nil {
			return c.fail(e, exitFindings, err)
		}
		return exitOK
	}
	return c
}

// writeOrg prints one list of the chart.
func writeOrg(w io.Writer, c *orgchart.Chart, what string, asJSON bool) error {
	var v any
	var b strings.Builder
	switch what {
	case "units":
		v = c.Units()
		for _, u := range c.Units() {
			fmt.Fprintf(&b, "%-18s %s", u.ID, u.Name)
			if len(u.Aliases) > 0 || u.Short != "" {
				fmt.Fprintf(&b, " (%s)", strings.Join(append(nonEmpty(u.Short), u.Aliases...), "、"))
			}
			fmt.Fprintf(&b, " [%s]\n", u.Clause)
			for _, d := range u.Duties {
				fmt.Fprintf(&b, "    %s %s\n", d.Clause, d.Text)
			}
		}
	case "groups":
		v = c.Groups()
		for _, g := range c.Groups() {
			fmt.Fprintf(&b, "%s [%s] (%s)\n  牵头: %s\n", g.Name, g.Clause, g.Formed, nameOf(c, g.Lead))
			if g.Coordinator != "" {
				fmt.Fprintf(&b, "  协调: %s\n", nameOf(c, g.Coordinator))
			}
			var ms []string
			for _, m := range g.Members {
				s := nameOf(c, m.Ref)
				if m.Condition != "" {
					s += "（" + m.Condition + "）"
				}
				ms = append(ms, s)
			}
			fmt.Fprintf(&b, "  成员: %s\n", strings.Join(ms, "、"))
		}
	case "contacts":
		d := c.Contacts()
		v = d
		fmt.Fprintf(&b, "as of %s (%s)\n", d.AsOf, d.Source)
		for _, l := range d.Listings {
			fmt.Fprintf(&b, "%s [%s]%s\n", nameOf(c, l.Unit), l.Clause, contactLine(&l))
		}
	case "localities":
		v = c.Localities()
		for _, l := range c.Localities() {
			bureau, _ := c.LocalityUnit(l.ID, "emergency-bureau")
			line := ""
			if ct, ok := c.Listing(bureau.ID); ok {
				line = contactLine(&ct)
			}
			fmt.Fprintf(&b, "%-14s %s (%s) %s [%s]%s\n", l.ID, l.Name, l.Kind, bureau.Name, l.Clause, line)
		}
	case "industries":
		v = c.Industries()
		for _, in := range c.Industries() {
			var us []string
			for _, u := range in.Units {
				us = append(us, nameOf(c, u))
			}
			fb := ""
			if in.Fallback {
				fb = " (fallback: the text names no unit)"
			}
			fmt.Fprintf(&b, "%-26s %s → %s [%s]%s\n", in.ID, in.Name, strings.Join(us, "、"), in.Clause, fb)
		}
	default:
		return fmt.Errorf("say which list: %s", strings.Join(orgLists(), ", "))
	}
	if asJSON {
		out, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(w, "%s\n", out)
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func nameOf(c *orgchart.Chart, id string) string {
	if u, ok := c.Unit(id); ok {
		return u.Name
	}
	if p, ok := c.Placeholder(id); ok {
		return p.Name
	}
	if g, ok := c.Group(id); ok {
		return g.Name
	}
	return id
}
