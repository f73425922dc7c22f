package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/shoaldata/shoal/bench/h2o/suite"
)

func init() {
	benchSuites["h2o"] = command{
		usage:   "h2o [--size 1e7] [--task groupby,join] [--mode local,runtime] [--questions q1,q2] [--json] [--svg FILE] [--against gota]",
		summary: "the H2O db-benchmark groupby and join questions on data held in memory",
		run:     runBenchH2O,
	}
}

// h2oFlags are the parsed flags of `shoal bench h2o`.
type h2oFlags struct {
	size, k        string
	rows           float64
	na, sorted     int
	tasks, modes   []string
	questions      []string
	runs           int
	csv, svg       string
	asJSON         bool
	against        string
	cpuProfile     string
	gcPercent      int
	storeMB        int64
	sizeFlagWasSet bool
}

// h2oOutput is what --json prints: every run's report, and the gota
// comparison if one was asked for.
type h2oOutput struct {
	Reports []*suite.Report      `json:"reports"`
	Gota    []suite.GotaResult   `json:"gota,omitempty"`
	Agree   []suite.ModesCompare `json:"modes_agree,omitempty"`
}

func runBenchH2O(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f h2oFlags
	fs := flag.NewFlagSet("shoal bench h2o", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.size, "size", "1e7", "rows of data to generate: 1e6, 1e7, 1e8 (the groupby table, or the join's x)")
	fs.Float64Var(&f.rows, "rows", 0, "alias of --size (as a number)")
	fs.StringVar(&f.k, "k", "1e2", "K of the groupby data: id1, id2, id4, id5 take K values")
	fs.IntVar(&f.na, "na", 0, "percentage of NA in the groupby data (0 or 5)")
	fs.IntVar(&f.sorted, "sorted", 0, "1: the groupby data sorted by id1..id6")
	tasks := fs.String("task", "groupby,join", "comma-separated tasks: groupby, join")
	modes := fs.String("mode", "local", "comma-separated modes: local (the single-node path), runtime (tasks on an embedded runtime); cluster is not available yet")
	engine := fs.String("engine", "", "alias of --mode")
	questions := fs.String("questions", "", "comma-separated questions to run, e.g. q1,q3 (default all of each task)")
	only := fs.String("only", "", "alias of --questions")
	fs.IntVar(&f.runs, "runs", 2, "timed runs of each question, as the benchmark does")
	fs.StringVar(&f.csv, "csv", "", "read the groupby table from this CSV file (as `shoal bench gen` or gen_h2o.py write it) instead of generating it")
	fs.BoolVar(&f.asJSON, "json", false, "print the reports as one JSON document instead of the table")
	fs.StringVar(&f.svg, "svg", "", "write a bar chart of the timings (per question, per mode) to this SVG file")
	fs.StringVar(&f.against, "against", "", "gota: also run the questions gota v0.12.0 can express through its own API, side by side (default size 1e6)")
	fs.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the questions (from the end of the first load) to this file")
	fs.Int64Var(&f.storeMB, "store-mb", 0, "runtime mode: the object store's capacity in MB before it spills to disk (0: the runtime's default, 2048; -1: unlimited)")
	fs.IntVar(&f.gcPercent, "gogc", 25, "the garbage collector's target percentage while the benchmark runs (ignored when GOGC is set)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: shoal bench h2o [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Generates the H2O data in memory (the load, timed on its own line), then times")
		fmt.Fprintln(stderr, "each question --runs times with its answer materialized, printing a checksum of")
		fmt.Fprintln(stderr, "the answer (rows, sum of each numeric column) after the timer, and the peak RSS")
		fmt.Fprintln(stderr, "of each task and mode. With several modes, their checksums must agree.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shoal bench h2o: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	fs.Visit(func(fl *flag.Flag) { f.sizeFlagWasSet = f.sizeFlagWasSet || fl.Name == "size" || fl.Name == "rows" })
	if *engine != "" {
		*modes = *engine
	}
	if *only != "" {
		*questions = *only
	}
	f.tasks, f.modes, f.questions = splitList(*tasks), splitList(*modes), splitList(*questions)
	if f.rows != 0 {
		f.size = strconv.FormatFloat(f.rows, 'f', -1, 64)
	}
	if f.against != "" && f.against != "gota" {
		fmt.Fprintf(stderr, "shoal bench h2o: --against %q: only gota is known\n", f.against)
		return exitUsage
	}
	if f.against == "gota" && !f.sizeFlagWasSet {
		f.size = "1e6" // the comparison size; gota needs minutes already here
	}
	if f.runs < 1 {
		fmt.Fprintf(stderr, "shoal bench h2o: --runs %d: want at least 1\n", f.runs)
		return exitUsage
	}
	if f.sorted != 0 && f.sorted != 1 {
		fmt.Fprintf(stderr, "shoal bench h2o: --sorted %d: want 0 or 1\n", f.sorted)
		return exitUsage
	}
	for _, m := range f.modes {
		switch m {
		case suite.ModeLocal, suite.ModeRuntime:
		case suite.ModeCluster:
			fmt.Fprintf(stderr, "shoal bench h2o: --mode cluster: %v\n", suite.ErrClusterMode)
			return exitError
		default:
			fmt.Fprintf(stderr, "shoal bench h2o: --mode %q: want local or runtime\n", m)
			return exitUsage
		}
	}
	if len(f.modes) == 0 || len(f.tasks) == 0 {
		fmt.Fprintln(stderr, "shoal bench h2o: --mode and --task need at least one value")
		return exitUsage
	}
	datas, err := f.datas()
	if err != nil {
		fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
		return exitUsage
	}
	if err := checkQuestions(f.tasks, f.questions); err != nil {
		fmt.Fprintf(stderr, "shoal bench h2o: --questions: %v\n", err)
		return exitUsage
	}

	// Profiles of q3, q5 and q6 at 1e7 rows showed more time in page faults
	// on fresh heap memory than in the kernels (a question allocates a few
	// hundred MB of partition buffers; this VM takes ~4 ms to fault in a MB).
	// A lower GC target makes the next question reuse the last one's freed
	// buffers: q5 went from 0.14-0.36 s to 0.07-0.10 s, q6 from 0.53-1.2 s
	// to 0.21-0.24 s, at a GC cost too small to show in the profile, since
	// Arrow buffers hold no pointers to scan.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(f.gcPercent)
	}
	// The CPU profile starts once the first load is done, so that it shows
	// the questions rather than the generator (a second task's load, if
	// any, is in it).
	var startProfile func() error
	if f.cpuProfile != "" {
		pf, err := os.Create(f.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: --cpuprofile: %v\n", err)
			return exitError
		}
		defer pf.Close()
		startProfile = func() error { return pprof.StartCPUProfile(pf) }
		defer pprof.StopCPUProfile() // a no-op if it never started
	}
	var out h2oOutput
	// Fixed widths, not a tabwriter: each line is printed as its step ends,
	// so a long run shows its progress.
	const lineFormat = "%-8s %-8s %-5s %3v %9v %10v  %s\n"
	if !f.asJSON {
		fmt.Fprintf(stdout, lineFormat, "TASK", "MODE", "Q", "RUN", "SECONDS", "ROWS", "CHECKSUM")
	}
	var profileErr error
	progress := func(s suite.Step) {
		if s.Question == "load" && startProfile != nil {
			profileErr = startProfile()
			startProfile = nil
		}
		if f.asJSON {
			return
		}
		cs := s.Text
		if s.Checksum != nil {
			cs = s.Checksum.String()
		}
		fmt.Fprintf(stdout, lineFormat, s.Task, s.Mode, s.Question, s.Run, strconv.FormatFloat(s.Seconds, 'f', 3, 64), s.Rows, cs)
	}
	disagree := false
	for _, d := range datas {
		qs, ok := taskQuestions(d.Task, f.questions)
		if !ok {
			continue // --questions names none of this task's
		}
		var reps []*suite.Report
		for _, m := range f.modes {
			opt := suite.Options{Data: d, Mode: m, Questions: qs, Runs: f.runs, Progress: progress, StoreMemory: f.storeMB << 20}
			if d.Task == suite.TaskGroupBy {
				opt.CSV = f.csv
			}
			rep, err := suite.Run(ctx, opt)
			if err == nil && profileErr != nil {
				err = fmt.Errorf("--cpuprofile: %w", profileErr)
			}
			if err != nil {
				fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
				return exitError
			}
			reps = append(reps, rep)
		}
		out.Reports = append(out.Reports, reps...)
		if len(reps) > 1 {
			cmp := suite.CompareModes(reps, 1e-9)
			out.Agree = append(out.Agree, cmp...)
			for _, c := range cmp {
				if c.Err != "" {
					fmt.Fprintf(stderr, "shoal bench h2o: %s %s: %s and %s disagree: %s\n", c.Task, c.Question, c.Modes[0], c.Modes[1], c.Err)
					disagree = true // report everything first
				}
			}
		}
		if f.against == "gota" {
			g, err := suite.RunGota(ctx, d, qs, stderr)
			if err != nil {
				fmt.Fprintf(stderr, "shoal bench h2o: --against gota: %v\n", err)
				return exitError
			}
			suite.AddShoalSeconds(g, reps[0])
			out.Gota = append(out.Gota, g...)
		}
	}
	if f.asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: %v\n", err)
			return exitError
		}
	} else {
		printSummary(stdout, out)
	}
	if f.svg != "" {
		if err := writeSVGFile(f.svg, out.Reports); err != nil {
			fmt.Fprintf(stderr, "shoal bench h2o: --svg: %v\n", err)
			return exitError
		}
	}
	if disagree {
		return exitError
	}
	return exitOK
}

// taskQuestions returns the names of names that are questions of task
// (nil, all of them, when names is empty), and false when names is not
// empty but holds none of task's.
func taskQuestions(task string, names []string) ([]string, bool) {
	if len(names) == 0 {
		return nil, true
	}
	var out []string
	for _, q := range suite.Questions(task) {
		for _, n := range names {
			if n == q.Name {
				out = append(out, n)
			}
		}
	}
	return out, len(out) > 0
}

// datas returns the data set of each task the flags name.
func (f *h2oFlags) datas() ([]suite.Data, error) {
	n, err := suite.ParseSize(f.size)
	if err != nil {
		return nil, fmt.Errorf("--size: %w", err)
	}
	k, err := suite.ParseSize(f.k)
	if err != nil {
		return nil, fmt.Errorf("--k: %w", err)
	}
	var out []suite.Data
	for _, t := range f.tasks {
		d := suite.Data{Task: t, N: n, Seed: suite.DefaultSeed}
		if t == suite.TaskGroupBy {
			d.K, d.NA, d.Sorted = k, f.na, f.sorted == 1
		}
		if err := d.Check(); err != nil {
			return nil, fmt.Errorf("--task %s: %w", t, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// checkQuestions returns an error if a name is a question of none of tasks.
func checkQuestions(tasks, names []string) error {
	for _, n := range names {
		found := false
		for _, t := range tasks {
			for _, q := range suite.Questions(t) {
				found = found || q.Name == n
			}
		}
		if !found {
			return fmt.Errorf("%q is not a question of %s", n, strings.Join(tasks, " or "))
		}
	}
	return nil
}

// printSummary prints, after the per-step lines, one line per task and
// mode (load, the sum of each run over the questions, peak RSS), then
// the gota comparison.
func printSummary(w io.Writer, out h2oOutput) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "TASK\tMODE\tDATA\tLOAD S\tSUM RUN 1 S\tSUM RUN 2 S\tPEAK RSS MB\t")
	for _, r := range out.Reports {
		var sum [2]float64
		var load float64
		runs := 0
		for _, s := range r.Steps {
			switch {
			case s.Question == "load":
				load = s.Seconds
			case s.Run <= 2:
				sum[s.Run-1] += s.Seconds
				runs = max(runs, s.Run)
			}
		}
		run2 := "-"
		if runs > 1 {
			run2 = strconv.FormatFloat(sum[1], 'f', 3, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.3f\t%.3f\t%s\t%.0f\t\n", r.Task, r.Mode, r.Data, load, sum[0], run2, float64(r.PeakRSS)/(1<<20))
	}
	tw.Flush()
	if len(out.Agree) > 0 {
		bad := 0
		for _, c := range out.Agree {
			if c.Err != "" {
				bad++
			}
		}
		fmt.Fprintf(w, "\nchecksums across modes: %d questions compared, %d disagree\n", len(out.Agree), bad)
	}
	if len(out.Gota) > 0 {
		fmt.Fprintln(w)
		suite.PrintGota(w, out.Gota)
	}
}

// writeSVGFile writes the chart of reports to path.
func writeSVGFile(path string, reports []*suite.Report) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := suite.WriteSVG(f, reports); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
