package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/bench/h2o/suite"
)

func init() {
	benchSuites["gen"] = command{
		usage:   "gen --task groupby|join --size 1e7 [--k 1e2] [--na 0|5] [--sorted 0|1] [--format csv|parquet] [--dir DIR]",
		summary: "write the H2O db-benchmark's data files (G1_..., J1_...), seeded",
		run:     runBenchGen,
	}
}

func runBenchGen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shoal bench gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	task := fs.String("task", suite.TaskGroupBy, "groupby (the G1 table) or join (J1: x, small, medium, big)")
	size := fs.String("size", "1e7", "rows: 1e6, 1e7, 1e8 (any whole number)")
	k := fs.String("k", "1e2", "groupby: K, the distinct values of id1, id2, id4, id5: 1e2, 1e1, 2e0")
	na := fs.Int("na", 0, "groupby: percentage of NA, 0 or 5 (h2o.md's variant)")
	sorted := fs.Int("sorted", 0, "groupby: 1 sorts the rows by id1..id6")
	format := fs.String("format", "csv", "csv (gen_h2o.py's format) or parquet")
	dir := fs.String("dir", ".", "folder to write the files to (created if needed)")
	seed := fs.Uint64("seed", suite.DefaultSeed, "random seed: the same seed writes the same files")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: shoal bench gen [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Writes the data of the H2O db-benchmark as ../shared/h2o.md names and")
		fmt.Fprintln(stderr, "describes it, e.g. G1_1e7_1e2_0_0.csv, or J1_1e7_NA_0_0.csv and its three")
		fmt.Fprintln(stderr, "right tables. The tables are built in memory first (about 0.6 GB per 1e7")
		fmt.Fprintln(stderr, "groupby rows).")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shoal bench gen: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	d := suite.Data{Task: *task, NA: *na, Sorted: *sorted == 1, Seed: *seed}
	var err error
	if d.N, err = suite.ParseSize(*size); err != nil {
		fmt.Fprintf(stderr, "shoal bench gen: --size: %v\n", err)
		return exitUsage
	}
	if d.K, err = suite.ParseSize(*k); err != nil {
		fmt.Fprintf(stderr, "shoal bench gen: --k: %v\n", err)
		return exitUsage
	}
	if *sorted != 0 && *sorted != 1 {
		fmt.Fprintf(stderr, "shoal bench gen: --sorted %d: want 0 or 1\n", *sorted)
		return exitUsage
	}
	if err := d.Check(); err != nil {
		fmt.Fprintf(stderr, "shoal bench gen: %v\n", err)
		return exitUsage
	}
	start := time.Now()
	paths, err := suite.WriteFiles(ctx, d, *dir, *format, memory.DefaultAllocator)
	for _, p := range paths {
		fmt.Fprintln(stdout, p)
	}
	if err != nil {
		fmt.Fprintf(stderr, "shoal bench gen: %v\n", err)
		if errors.Is(err, suite.ErrArgument) {
			return exitUsage
		}
		return exitError
	}
	fmt.Fprintf(stderr, "shoal bench gen: %s in %.1f s\n", d.Name(), time.Since(start).Seconds())
	return exitOK
}
