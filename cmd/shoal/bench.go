package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shoaldata/shoal/bench/runtimebench"
	"github.com/shoaldata/shoal/runtime/remote"
)

// A cluster node starts workers from its driver's executable: when this
// binary drives a cluster (shoal bench runtime --address), its workers are
// shoal processes, and they must serve their node before main parses any
// arguments. Registrations are done by now: package initialisation runs
// before init here.
func init() {
	if remote.IsWorker() {
		remote.Start(context.Background(), remote.Config{})
	}
}

// benchSuites are the suites `shoal bench` runs, by name.
var benchSuites = map[string]command{
	"runtime": {
		usage:   "runtime [--json] [--duration 2s] [--only a,b] [--cpus N] [--address HEAD:PORT [--token-file F] [--workers-per-node N]]",
		summary: "Ray's runtime microbenchmarks on an embedded runtime or a cluster",
		run:     runBenchRuntime,
	},
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if suite, ok := benchSuites[args[0]]; ok {
			return suite.run(ctx, args[1:], stdout, stderr)
		}
		fmt.Fprintf(stderr, "shoal bench: unknown suite %q\n\n", args[0])
	}
	fmt.Fprintln(stderr, "Usage: shoal bench SUITE [flags]")
	fmt.Fprintln(stderr)
	fmt.Fprintln(stderr, "Suites:")
	printCommands(stderr, benchSuites)
	return exitUsage
}

func runBenchRuntime(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shoal bench runtime", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the results as a JSON array")
	duration := fs.Duration("duration", runtimebench.DefaultDuration, "how long to measure each benchmark, after a warm-up of a quarter of it")
	only := fs.String("only", "", "comma-separated benchmarks to run (default all): "+strings.Join(runtimebench.Names(), ", "))
	cpus := fs.Int("cpus", 0, "the runtime's CPUs and the number of clients (default GOMAXPROCS)")
	address := fs.String("address", "", "run as a driver of the cluster whose head is at `HEAD:PORT` (default: an embedded runtime)")
	tokenFile := fs.String("token-file", defaultTokenFile(), "the cluster token, unless $SHOAL_TOKEN is set")
	workers := fs.Int("workers-per-node", 0, "worker processes per node (default one per CPU)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: shoal bench runtime [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Runs Ray's microbenchmarks, each on a fresh embedded runtime.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shoal bench runtime: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return exitUsage
	}
	if *duration <= 0 {
		fmt.Fprintf(stderr, "shoal bench runtime: --duration %v must be positive\n", *duration)
		return exitUsage
	}
	opts := runtimebench.Options{Duration: *duration, NumCPUs: *cpus}
	if *address != "" {
		opts.Address, opts.TokenFile, opts.WorkersPerNode = *address, *tokenFile, *workers
	}
	if *only != "" {
		for name := range strings.SplitSeq(*only, ",") {
			if name = strings.TrimSpace(name); name != "" {
				opts.Only = append(opts.Only, name)
			}
		}
	}

	results, err := runtimebench.Run(ctx, opts)
	if err != nil {
		fmt.Fprintf(stderr, "shoal bench runtime: %v\n", err)
		if errors.Is(err, runtimebench.ErrUnknown) {
			return exitUsage
		}
		return exitError
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(results)
	} else {
		err = printTable(stdout, results)
	}
	if err != nil {
		fmt.Fprintf(stderr, "shoal bench runtime: %v\n", err)
		return exitError
	}
	return exitOK
}

// printTable prints results as aligned columns under a header.
func printTable(w io.Writer, results []runtimebench.Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVALUE\tUNIT\tOPS\tSECONDS")
	for _, r := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%.3f\n", r.Name, formatValue(r.Value), r.Unit, r.Ops, r.Seconds)
	}
	return tw.Flush()
}

// formatValue prints large rates without decimals and small ones (GB/s)
// with two.
func formatValue(v float64) string {
	if v >= 1000 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
