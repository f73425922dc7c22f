package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/bench/h2o"
	"github.com/shoaldata/shoal/dataframe"
	"github.com/shoaldata/shoal/io/csv"
	"github.com/shoaldata/shoal/partition"
	"github.com/shoaldata/shoal/runtime/remote"
)

func init() {
	benchSuites["h2o"] = command{
		usage:   "h2o [--rows 1e7] [--csv FILE] [--engine local|runtime] [--runs 2] [--only q1,q2] [--json]",
		summary: "the H2O db-benchmark groupby questions on data held in memory",
		run:     runBenchH2O,
	}
}

// h2oResult is one timed run of one question, in the anchors' JSON shape.
type h2oResult struct {
	Tool string  `json:"tool"`
	Step string  `json:"step"`
	Run  int     `json:"run"`
	S    float64 `json:"s"`
	Rows int64   `json:"rows"`
}

func runBenchH2O(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shoal bench h2o", flag.ContinueOnError)
	fs.SetOutput(stderr)
	rows := fs.Float64("rows", 1e7, "rows of G1 data to generate (ignored with --csv)")
	k := fs.Int("k", 100, "K of the G1 data: id1, id2, id4, id5 take K values")
	csvPath := fs.String("csv", "", "read G1 data from this CSV file (as gen_h2o.py writes it) instead of generating it")
	engine := fs.String("engine", "local", "local (the single-node path) or runtime (tasks on an embedded runtime)")
	runs := fs.Int("runs", 2, "timed runs of each question, as the benchmark does")
	only := fs.String("only", "", "comma-separated questions to run (default all)")
	asJSON := fs.Bool("json", false, "print one JSON line per run, as the bench-anchors scripts do")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the questions (not the load) to this file")
	gcPercent := fs.Int("gogc", 25, "the garbage collector's target percentage while the questions run (ignored when GOGC is set)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: shoal bench h2o [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Loads G1 data in memory (untimed apart from the load line), then times each")
		fmt.Fprintln(stderr, "groupby question --runs times, results materialized.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shoal bench h2o: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if *runs < 1 || *rows < 1 || *k < 1 {
		fmt.Fprintln(stderr, "shoal bench h2o: --runs, --rows and --k must be positive")
		return exitUsage
	}
	cfg := dataframe.Config{}
	switch *engine {
	case "local":
	case "runtime":
		rt, err := remote.Start(ctx, remote.Config{})
		if err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
			return exitError
		}
		defer rt.Shutdown(context.Background())
		cfg.Engine = partition.NewRuntime(rt)
	default:
		fmt.Fprintf(stderr, "shoal bench h2o: --engine %q: want local or runtime\n", *engine)
		return exitUsage
	}
	want := map[string]bool{}
	for q := range strings.SplitSeq(*only, ",") {
		if q = strings.TrimSpace(q); q != "" {
			want[q] = true
		}
	}

	sess := dataframe.NewSession(cfg)
	start := time.Now()
	var x *dataframe.DataFrame
	step := "generate"
	if *csvPath != "" {
		// As groupby_pandas.py reads it: id1..id3 as categories.
		step = "read_csv"
		opt := csv.DefaultOptions()
		opt.Categorical = []string{"id1", "id2", "id3"}
		df, err := sess.ReadCSV(ctx, *csvPath, opt)
		if err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
			return exitError
		}
		x = df
	} else {
		rec, err := h2o.GroupBy(int(*rows), *k, 0, false, 108, memory.DefaultAllocator)
		if err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
			return exitError
		}
		x = sess.FromArrow(rec)
		rec.Release() // the frame holds its own reference
	}
	loaded := time.Since(start).Seconds()
	n, err := x.Len(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
		return exitError
	}
	results := []h2oResult{{Tool: "shoal-" + *engine, Step: step, Run: 1, S: loaded, Rows: n}}

	if !*asJSON {
		fmt.Fprintf(stdout, "%-10s %3s %9s %10s\n", "step", "run", "seconds", "rows")
	}
	emit := func(r h2oResult) {
		if *asJSON {
			line, _ := json.Marshal(r)
			fmt.Fprintln(stdout, string(line))
			return
		}
		fmt.Fprintf(stdout, "%-10s %3d %9.3f %10d\n", r.Step, r.Run, r.S, r.Rows)
	}
	emit(results[0])
	// Profiles of q3, q5 and q6 at 1e7 rows showed more time in page faults
	// on fresh heap memory than in the kernels (a question allocates a few
	// hundred MB of partition buffers; this VM takes ~4 ms to fault in a MB).
	// A lower GC target makes the next question reuse the last one's freed
	// buffers: q5 went from 0.14-0.36 s to 0.07-0.10 s, q6 from 0.53-1.2 s
	// to 0.21-0.24 s, at a GC cost too small to show in the profile, since
	// Arrow buffers hold no pointers to scan.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(*gcPercent)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
			return exitError
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
			return exitError
		}
		defer pprof.StopCPUProfile()
	}
	for _, q := range h2o.GroupByQuestions {
		if len(want) > 0 && !want[q.Name] {
			continue
		}
		for run := 1; run <= *runs; run++ {
			t0 := time.Now()
			out, err := q.Run(x).Collect(ctx)
			if err != nil {
				fmt.Fprintf(stderr, "shoal bench h2o: %s: %v\n", q.Name, err)
				return exitError
			}
			took := time.Since(t0).Seconds()
			n, err := out.Len(ctx)
			if err != nil {
				fmt.Fprintf(stderr, "shoal bench h2o: %s: %v\n", q.Name, err)
				return exitError
			}
			emit(h2oResult{Tool: "shoal-" + *engine, Step: q.Name, Run: run, S: took, Rows: n})
		}
	}
	return exitOK
}
