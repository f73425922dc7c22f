// Command shoal is Shoal's command line.
//
//	shoal bench runtime [--json] [--duration 2s] [--only a,b] [--cpus N]
//	shoal start --head [--port 6380] [--dashboard-port 8265] [--object-store-memory 2GiB] [--num-cpus N] [--bind 127.0.0.1] [--token-file PATH] [--block] [--tls-cert F --tls-key F]
//	shoal start --address HEAD:PORT [--token-file PATH] [--port 0] [--num-cpus N] [--object-store-memory M] [--bind 127.0.0.1] [--block]
//	shoal status [--address HEAD:PORT] [--json]
//	shoal stop
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
//
// start, status and stop run a cluster (runtime/cluster). Without --block,
// start runs the node as a background process of its own, waits until it
// has registered with the head and prints its address. Each node leaves a
// record in the session directory ($SHOAL_SESSION_DIR, else
// $TMPDIR/shoal-<uid>): status finds the local head there and stop every
// local node. The head's token file defaults to token in that directory.
package main
