package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/yingji/yingji/orgchart"
)

func init() {
	register(command{name: "org", summary: "list the orgchart: units, groups, contacts, localities, industries", run: runOrg})
}

var orgLists = []string{"units", "groups", "contacts", "localities", "industries"}

func runOrg(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("yingji org", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.String("plan", "", "an embedded plan id or a plan folder")
	asJSON := fs.Bool("json", false, "print as JSON")
	if wantsHelp(args) {
		fmt.Fprintf(stdout, "Usage: yingji org %s [--plan ID|DIR] [--json]\n", strings.Join(orgLists, "|"))
		return 0
	}
	// The list may come before or after the flags.
	var what string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		what, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "yingji org: %s%s\n", err, flagHint(err, fs))
		return 2
	}
	if what == "" && fs.NArg() > 0 {
		what = fs.Arg(0)
	}
	_, chart, err := planAndChart(args)
	if err != nil {
		reportLoadError(stderr, err)
		return 2
	}
	if err := writeOrg(stdout, chart, what, *asJSON); err != nil {
		fmt.Fprintf(stderr, "yingji org: %v\n", err)
		return 2
	}
	return 0
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
		return fmt.Errorf("say which list: %s", strings.Join(orgLists, ", "))
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
