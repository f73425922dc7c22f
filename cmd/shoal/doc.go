// Command shoal is Shoal's command line.
//
//	shoal bench runtime [--json] [--duration 2s] [--only a,b] [--cpus N]
//	shoal version
//	shoal help
//
// # Place in Shoal
//
// cmd/shoal sits on top of every layer and only calls their public APIs; no
// package imports it. Each subcommand is an entry of the commands map
// (commands.go), and each benchmark suite an entry of benchSuites (bench.go):
// adding one is adding an entry and its run function. A run function gets the
// arguments after its name and returns the exit code: 0 on success, 1 when
// the command failed, 2 for a wrong command line (which also prints the
// usage to stderr).
package main
