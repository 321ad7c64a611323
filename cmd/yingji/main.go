// Command yingji grades incidents, lists rosters, replays drills and lints
// plans from the command line. Run "yingji help" for the commands.
//
// The commands are values in one explicit table (commands, below), the way
// cmd/go keeps them: each has its usage line, a short and a long help text
// and its own flag set, and "yingji help CMD" and "yingji CMD -h" print the
// same text. The README's CLI reference is generated from the table
// (yingji help -markdown) and a test keeps the two in step.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
)

// The exit statuses, the same for every command (see exitPolicy).
const (
	exitOK       = 0 // done, nothing found
	exitFindings = 1 // findings, failed lines, divergences, or a failure on valid input
	exitUsage    = 2 // usage error, or a plan or scenario that does not load
)

// exitPolicy is the top-level help's account of the exit statuses.
const exitPolicy = `Exit status, the same for every command:

	0  done
	1  the command ran and reports findings: lint errors (and warnings with
	   --strict), test cases that fail, grade --jsonl lines that could not
	   be graded, drill steps that did not turn out as the scenario
	   expects, and with --exit-code the changes diff finds and the
	   divergences replay finds; or it could not finish on valid input (an
	   output that could not be written)
	2  a usage error (unknown command, flag or value, a missing or extra
	   argument), or a plan, drill scenario or case file that does not load
`

// Command is one yingji command.
//
// A Command is built fresh for each run (see commands) and used once, by
// one goroutine.
type Command struct {
	// Name is the command's name: "grade".
	Name string
	// UsageLine is the one-line synopsis, starting with "yingji NAME".
	UsageLine string
	// Short is the one-line description shown in the command list.
	Short string
	// Long is the help text shown by "yingji help NAME" and "NAME -h".
	Long string
	// Flags is the command's own flag set; Run reads the values it binds.
	Flags *flag.FlagSet
	// Prepare, if set, runs before the flags are parsed and before the
	// help is printed, with the value of --plan: it loads the plan and
	// adds the flags that depend on it (grade's and roster's incident
	// inputs) and their help. An error means the plan does not load.
	Prepare func(e *env, plan string) error
	// Run runs the command with the arguments left after the flags and
	// returns the exit status.
	Run func(e *env, args []string) int

	// more is help text that Prepare adds after the flags: the inputs of
	// the plan, whose flags are not listed with the others.
	more string
}

// commands is the command table, in the order the help lists them. Each
// call builds new commands with new flag sets.
func commands() []*Command {
	return []*Command{
		gradeCommand(),
		rosterCommand(),
		drillCommand(),
		lintCommand(),
		diffCommand(),
		replayCommand(),
		testCommand(),
		casesCommand(),
		orgCommand(),
		diagramCommand(),
		plansCommand(),
	}
}

// env is what a command runs with: its context and standard streams.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{ctx: context.Background(), stdin: stdin, stdout: stdout, stderr: stderr}
	cmds := commands()
	if len(args) == 0 {
		printUsage(stderr, cmds)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		printUsage(stdout, cmds)
		return exitOK
	case "help":
		return runHelp(e, cmds, args[1:])
	}
	c := lookup(cmds, args[0])
	if c == nil {
		fmt.Fprintf(stderr, "yingji %s: unknown command.%s\nRun 'yingji help' for the commands.\n", args[0], suggestCommand(cmds, args[0]))
		return exitUsage
	}
	return c.run(e, args[1:])
}

// run parses the command's flags and runs it. The flags may come before,
// between or after the positional arguments; "--" ends them.
func (c *Command) run(e *env, args []string) int {
	plan := planFlag(args)
	if wantsHelp(args) {
		c.prepareHelp(e, plan)
		c.printHelp(e.stdout)
		return exitOK
	}
	if c.Prepare != nil {
		if err := c.Prepare(e, plan); err != nil {
			reportLoadError(e.stderr, "yingji "+c.Name, err)
			return exitUsage
		}
	}
	c.Flags.SetOutput(io.Discard)
	c.Flags.Usage = func() {}
	pos, err := parseInterspersed(c.Flags, args)
	if err != nil {
		fmt.Fprintf(e.stderr, "yingji %s: %s%s\nRun 'yingji help %s' for usage.\n", c.Name, flagError(err), flagHint(err, c.Flags), c.Name)
		return exitUsage
	}
	return c.Run(e, pos)
}

// usageError reports a usage error of command c and returns exitUsage.
func (c *Command) usageError(e *env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "yingji %s: %s\nRun 'yingji help %s' for usage.\n", c.Name, fmt.Sprintf(format, args...), c.Name)
	return exitUsage
}

// fail reports a failure of command c and returns status.
func (c *Command) fail(e *env, status int, err error) int {
	fmt.Fprintf(e.stderr, "yingji %s: %s\n", c.Name, strings.TrimPrefix(err.Error(), "yingji: "))
	return status
}

func lookup(cmds []*Command, name string) *Command {
	i := slices.IndexFunc(cmds, func(c *Command) bool { return c.Name == name })
	if i < 0 {
		return nil
	}
	return cmds[i]
}

func suggestCommand(cmds []*Command, name string) string {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.Name
	}
	return diag.Suggest(name, append(names, "help"))
}

// wantsHelp reports whether args ask for the command's help: -h, -help or
// --help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, and returns the positional ones. After "--"
// every argument is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// flag.Parse stops at the first positional argument, and after
		// "--" (which it drops): everything after a "--" it saw is
		// positional.
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// flagError words the flag package's complaint as a sentence:
// `invalid value "x" for flag -crosses: …` becomes `--crosses x: …`.
func flagError(err error) string {
	msg := err.Error()
	if m := invalidValue.FindStringSubmatch(msg); m != nil {
		msg = fmt.Sprintf("--%s %s: %s", m[2], m[1], m[3])
	}
	if strings.HasSuffix(msg, "?") || strings.HasSuffix(msg, ".") {
		return msg
	}
	return msg + "."
}

var invalidValue = regexp.MustCompile(`^invalid value "(.*)" for flag -(\S+): (?s)(.*)$`)

// flagHint turns the flag package's complaint about an unknown flag into a
// suggestion.
func flagHint(err error, fs *flag.FlagSet) string {
	name, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return ""
	}
	name = strings.TrimPrefix(name, "-")
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	return diag.Suggest(name, names)
}
