package main

import (
	"flag"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// intro opens the top-level help.
const intro = `yingji turns a production-safety emergency plan (生产安全事故应急预案) into
executable data: it grades an incident, says who commands, acts and is told,
replays drills, and checks a plan's rules for gaps and contradictions.

Human output speaks Chinese and names units as the plan does; --lang en
switches grade, roster and drill to English, and --json gives the stable
machine form.`

// helpHelp is the help of the help command.
const helpHelp = `usage: yingji help [-markdown] [command]

Help prints the help of a command, the same text as "yingji <command> -h",
or with no command the list of commands and the exit policy. With -markdown
it prints the README's CLI reference: every command's help as Markdown.
`

// printUsage prints the top-level help: the commands and the exit policy.
func printUsage(w io.Writer, cmds []*Command) {
	fmt.Fprint(w, usageText(cmds))
}

func usageText(cmds []*Command) string {
	var b strings.Builder
	b.WriteString(intro)
	b.WriteString("\n\nUsage:\n\n\tyingji <command> [arguments]\n\nThe commands are:\n\n")
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.Name))
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "\t%-*s  %s\n", width, c.Name, c.Short)
	}
	b.WriteString("\nUse \"yingji help <command>\" or \"yingji <command> -h\" for more about a command.\n\n")
	b.WriteString(exitPolicy)
	return b.String()
}

// runHelp is "yingji help [-markdown] [command]".
func runHelp(e *env, cmds []*Command, args []string) int {
	markdown := false
	var names []string
	for _, a := range args {
		switch a {
		case "-markdown", "--markdown":
			markdown = true
		case "-h", "-help", "--help":
			printUsage(e.stdout, cmds)
			return exitOK
		default:
			names = append(names, a)
		}
	}
	switch {
	case markdown && len(names) == 0:
		fmt.Fprint(e.stdout, markdownReference(e, cmds))
		return exitOK
	case len(names) == 0:
		printUsage(e.stdout, cmds)
		return exitOK
	case len(names) > 1:
		fmt.Fprintf(e.stderr, "yingji help: name one command, not %d.\nRun 'yingji help' for the commands.\n", len(names))
		return exitUsage
	}
	if names[0] == "help" {
		fmt.Fprint(e.stdout, helpHelp)
		return exitOK
	}
	c := lookup(cmds, names[0])
	if c == nil {
		fmt.Fprintf(e.stderr, "yingji help %s: unknown command.%s\nRun 'yingji help' for the commands.\n", names[0], suggestCommand(cmds, names[0]))
		return exitUsage
	}
	c.prepareHelp(e, "")
	if markdown {
		c.writeMarkdown(e.stdout)
		return exitOK
	}
	c.printHelp(e.stdout)
	return exitOK
}

// prepareHelp runs Prepare for the help, so that it lists the flags that
// depend on the plan; a plan that does not load is said in the help.
func (c *Command) prepareHelp(e *env, plan string) {
	if c.Prepare == nil {
		return
	}
	if err := c.Prepare(e, plan); err != nil {
		c.more = fmt.Sprintf("(The plan's own flags are not listed: %s)\n", firstLine(err.Error()))
	}
}

// printHelp prints the command's whole help.
func (c *Command) printHelp(w io.Writer) {
	fmt.Fprint(w, c.helpText())
}

func (c *Command) helpText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: %s\n\n", c.UsageLine)
	b.WriteString(strings.TrimSpace(c.Long))
	b.WriteString("\n")
	if fl := flagsText(c.Flags); fl != "" {
		b.WriteString("\nFlags:\n")
		b.WriteString(fl)
	}
	if c.more != "" {
		b.WriteString("\n")
		b.WriteString(c.more)
	}
	return b.String()
}

// flagsText lists the flags of fs, by name, each with its usage; flags that
// alias another (same value) are listed with it; the plan's input flags
// (listed by the command's own help) are left out.
func flagsText(fs *flag.FlagSet) string {
	if fs == nil {
		return ""
	}
	type entry struct {
		names []string
		f     *flag.Flag
	}
	var entries []*entry
	byValue := map[flag.Value]*entry{}
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(*inputFlag); ok {
			return
		}
		comparable := reflect.TypeOf(f.Value).Comparable()
		if comparable {
			if e, ok := byValue[f.Value]; ok {
				e.names = append(e.names, f.Name)
				return
			}
		}
		e := &entry{names: []string{f.Name}, f: f}
		if comparable {
			byValue[f.Value] = e
		}
		entries = append(entries, e)
	})
	var b strings.Builder
	for _, e := range entries {
		b.WriteString(flagEntry(e.names, e.f))
	}
	return b.String()
}

// flagEntry renders one flag: "  --name VALUE\n        usage\n".
func flagEntry(names []string, f *flag.Flag) string {
	value, usage := flag.UnquoteUsage(f)
	if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
		value = ""
	}
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteString(", ")
		} else {
			b.WriteString("  ")
		}
		// A one-letter flag reads as it is usually typed: -v.
		if len(n) == 1 {
			b.WriteString("-" + n)
		} else {
			b.WriteString("--" + n)
		}
	}
	if value != "" {
		b.WriteString(" " + value)
	}
	b.WriteString("\n")
	for _, line := range strings.Split(usage, "\n") {
		b.WriteString("        " + line + "\n")
	}
	return b.String()
}

// markdownReference is the README's CLI reference: the top-level help and
// every command's help, each in its own fenced block.
func markdownReference(e *env, cmds []*Command) string {
	var b strings.Builder
	b.WriteString("Generated by `go run ./cmd/yingji help -markdown`; `go test ./cmd/yingji` fails when this\nsection and the commands differ (`go test ./cmd/yingji -run TestREADME -update` rewrites it).\n\n")
	b.WriteString("```text\n")
	b.WriteString(usageText(cmds))
	b.WriteString("```\n")
	for _, c := range cmds {
		c.prepareHelp(e, "")
		b.WriteString("\n")
		c.writeMarkdown(&b)
	}
	return b.String()
}

// writeMarkdown writes the command's help as a README section.
func (c *Command) writeMarkdown(w io.Writer) {
	fmt.Fprintf(w, "### yingji %s\n\n%s.\n\n```text\n%s```\n", c.Name, upperFirst(c.Short), c.helpText())
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
