// Command yingji grades incidents, lists rosters and lints plans from the
// command line. Run "yingji help" for the commands.
package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/yingji/yingji/diag"
)

// command is one subcommand. Subcommands live one per file and add
// themselves to commands in an init function.
type command struct {
	name    string
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

var commands []command

func register(c command) { commands = append(commands, c) }

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == args[0] })
	if i < 0 {
		names := make([]string, len(commands))
		for j, c := range commands {
			names[j] = c.name
		}
		fmt.Fprintf(stderr, "yingji: unknown command %q.%s The commands are %s.\n", args[0], diag.Suggest(args[0], names), strings.Join(names, ", "))
		return 2
	}
	return commands[i].run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "yingji — production-safety emergency plans as executable data")
	fmt.Fprintln(w, "\nUsage: yingji COMMAND [flags]   (yingji COMMAND -h for its flags)")
	fmt.Fprintln(w, "\nCommands:")
	cs := slices.Clone(commands)
	slices.SortFunc(cs, func(a, b command) int { return strings.Compare(a.name, b.name) })
	for _, c := range cs {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
}
