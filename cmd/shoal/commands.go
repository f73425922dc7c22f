package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// A command is one subcommand of shoal (or of a command with subcommands of
// its own, like bench). To add one, add an entry to commands in init.
type command struct {
	usage   string // the arguments it takes, for the usage text
	summary string // what it does, in a few words
	// run runs it with the arguments that follow its name and returns the
	// exit code.
	run func(ctx context.Context, args []string, stdout, stderr io.Writer) int
}

// commands maps a command's name to it. It is filled in init because help
// reads it.
var commands map[string]command

func init() {
	commands = map[string]command{
		"bench":   {usage: "bench SUITE [flags]", summary: "run benchmarks; suites: " + strings.Join(sortedKeys(benchSuites), ", "), run: runBench},
		"convert": convertCommand,
		"help":    {usage: "help", summary: "print this help", run: runHelp},
		"start":   startCommand,
		"status":  statusCommand,
		"stop":    stopCommand,
		"version": {usage: "version", summary: "print the version", run: runVersion},
	}
}

// usage prints the commands, sorted by name.
func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: shoal COMMAND [arguments]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	printCommands(w, commands)
}

func printCommands(w io.Writer, cmds map[string]command) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, name := range sortedKeys(cmds) {
		fmt.Fprintf(tw, "  %s\t%s\n", cmds[name].usage, cmds[name].summary)
	}
	tw.Flush()
}

func sortedKeys(m map[string]command) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// runHelp prints the usage to stdout: asked for, it is the answer, not an
// error (a command line naming no command gets it on stderr, exit 2).
func runHelp(_ context.Context, _ []string, stdout, _ io.Writer) int {
	usage(stdout)
	return exitOK
}
