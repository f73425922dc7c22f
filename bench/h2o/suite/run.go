package suite

import (
	"context"
	"fmt"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/dataframe"
	"github.com/shoaldata/shoal/io/csv"
	"github.com/shoaldata/shoal/partition"
	"github.com/shoaldata/shoal/runtime/remote"
)

// The modes a question runs in (DESIGN.md's running modes).
const (
	// ModeLocal is the single-node path: the plan runs on goroutines.
	ModeLocal = "local"
	// ModeRuntime runs the kernels as tasks on an embedded runtime
	// started for the run (scheduler and object store in this process).
	ModeRuntime = "runtime"
	// ModeCluster would run on a cluster of nodes; not available yet.
	ModeCluster = "cluster"
)

// Options say what Run measures.
type Options struct {
	Data Data
	// Mode is ModeLocal (default) or ModeRuntime; ModeCluster returns
	// ErrClusterMode.
	Mode string
	// Questions are the names to run (q1, ...); nil runs all of the task's.
	Questions []string
	// Runs is the timed runs of each question (default 2, as the
	// benchmark does).
	Runs int
	// CSV, for the groupby task, loads the table from this file (as
	// gen_h2o.py or `shoal bench gen` write it) instead of generating it.
	CSV string
	// Mem allocates the data and the answers (nil: memory.DefaultAllocator).
	Mem memory.Allocator
	// StoreMemory is the runtime's object store capacity in bytes, past
	// which it spills to disk (0: remote.DefaultObjectStoreMemory; < 0
	// unlimited). ModeRuntime only.
	StoreMemory int64
	// Progress, if set, is called with each step as it completes.
	Progress func(Step)
}

// Step is one timed step: the load, or one run of one question.
type Step struct {
	Task     string  `json:"task"`
	Mode     string  `json:"mode"`
	Question string  `json:"question"` // "load" for the load
	Text     string  `json:"text,omitempty"`
	Run      int     `json:"run"`
	Seconds  float64 `json:"s"`
	// Rows of the answer (of all tables, for the load).
	Rows     int64     `json:"rows"`
	Checksum *Checksum `json:"checksum,omitempty"`
}

// Report is one Run: one task on one data set in one mode.
type Report struct {
	Tool       string    `json:"tool"`
	Task       string    `json:"task"`
	Data       string    `json:"data"`
	Mode       string    `json:"mode"`
	Load       string    `json:"load"` // "generate" (in memory) or "read_csv FILE"
	Started    time.Time `json:"started"`
	GoVersion  string    `json:"go_version"`
	GOMAXPROCS int       `json:"gomaxprocs"`
	Steps      []Step    `json:"steps"`
	// PeakRSS is the resident set's high-water mark over the run, load
	// included, in bytes (Linux's VmHWM, reset at the run's start where
	// the kernel allows; PeakRSSScope says "run" or else "process").
	PeakRSS      int64  `json:"peak_rss_bytes"`
	PeakRSSScope string `json:"peak_rss_scope"`
}

// QuestionSeconds returns the seconds of each run of question q, in order.
func (r *Report) QuestionSeconds(q string) []float64 {
	var out []float64
	for _, s := range r.Steps {
		if s.Question == q {
			out = append(out, s.Seconds)
		}
	}
	return out
}

// selectQuestions returns the task's questions named in names (all when
// names is empty), in the task's order; an unknown name is an error.
func selectQuestions(task string, names []string) ([]Question, error) {
	all := Questions(task)
	if len(names) == 0 {
		return all, nil
	}
	var out []Question
	for _, n := range names {
		if !slices.ContainsFunc(all, func(q Question) bool { return q.Name == n }) {
			return nil, fmt.Errorf("%w: question %q is not a %s question (want q1..q%d)", ErrArgument, n, task, len(all))
		}
	}
	for _, q := range all {
		if slices.Contains(names, q.Name) {
			out = append(out, q)
		}
	}
	return out, nil
}

// NewSession returns a session of mode and a function that stops what it
// started (the embedded runtime), to call once its frames are done with.
// storeMemory is the runtime's object store capacity (see
// Options.StoreMemory).
func NewSession(ctx context.Context, mode string, mem memory.Allocator, storeMemory int64) (*dataframe.Session, func(), error) {
	cfg := dataframe.Config{Mem: mem}
	stop := func() {}
	switch mode {
	case "", ModeLocal:
	case ModeRuntime:
		rt, err := remote.Start(ctx, remote.Config{ObjectStoreMemory: storeMemory})
		if err != nil {
			return nil, nil, fmt.Errorf("suite: start the runtime: %w", err)
		}
		cfg.Engine = partition.NewRuntime(rt)
		stop = func() { rt.Shutdown(context.Background()) }
	case ModeCluster:
		return nil, nil, ErrClusterMode
	default:
		return nil, nil, fmt.Errorf("%w: mode %q (want %s or %s)", ErrArgument, mode, ModeLocal, ModeRuntime)
	}
	return dataframe.NewSession(cfg), stop, nil
}

// Load makes opt's tables in sess: generated in memory, or the groupby
// table read from opt.CSV as groupby_pandas.py reads it (id1..id3 as
// categories). It returns the tables, their total rows and what it did.
func Load(ctx context.Context, sess *dataframe.Session, opt Options) (Tables, int64, string, error) {
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	if opt.CSV != "" {
		if opt.Data.Task != TaskGroupBy {
			return Tables{}, 0, "", fmt.Errorf("%w: a CSV file (%s) loads the groupby table only", ErrArgument, opt.CSV)
		}
		o := csv.DefaultOptions()
		o.Categorical = []string{"id1", "id2", "id3"}
		x, err := sess.ReadCSV(ctx, opt.CSV, o)
		if err != nil {
			return Tables{}, 0, "", err
		}
		n, err := x.Len(ctx)
		return Tables{X: x}, n, "read_csv " + opt.CSV, err
	}
	tabs, err := Generate(opt.Data, mem)
	if err != nil {
		return Tables{}, 0, "", err
	}
	var rows int64
	frames := make([]*dataframe.DataFrame, len(tabs))
	for i, t := range tabs {
		rows += t.Rec.NumRows()
		frames[i] = sess.FromArrow(t.Rec)
		t.Rec.Release() // the frame holds its own reference
	}
	if len(frames) == 1 {
		return Tables{X: frames[0]}, rows, "generate", nil
	}
	return Tables{X: frames[0], Small: frames[1], Medium: frames[2], Big: frames[3]}, rows, "generate", nil
}

// Run loads opt.Data in opt.Mode (timed as the step "load"), then runs
// each question opt.Runs times. Each run collects the answer into memory
// inside the timer; its checksum is computed after the timer stops, as
// the benchmark prints it. ctx cancels between steps and inside the
// engine. Run changes process-wide state: it runs a GC before the load
// and resets the kernel's RSS high-water mark, so concurrent Runs
// measure each other's memory.
func Run(ctx context.Context, opt Options) (*Report, error) {
	if err := opt.Data.Check(); err != nil {
		return nil, err
	}
	qs, err := selectQuestions(opt.Data.Task, opt.Questions)
	if err != nil {
		return nil, err
	}
	if opt.Runs == 0 {
		opt.Runs = 2
	}
	if opt.Runs < 0 {
		return nil, fmt.Errorf("%w: runs %d (want >= 1)", ErrArgument, opt.Runs)
	}
	if opt.Mode == "" {
		opt.Mode = ModeLocal
	}
	sess, stop, err := NewSession(ctx, opt.Mode, opt.Mem, opt.StoreMemory)
	if err != nil {
		return nil, err
	}
	defer stop()

	rep := &Report{Tool: "shoal", Task: opt.Data.Task, Data: opt.Data.Name(), Mode: opt.Mode,
		Started: time.Now().UTC().Truncate(time.Second), GoVersion: goruntime.Version(), GOMAXPROCS: goruntime.GOMAXPROCS(0)}
	emit := func(s Step) {
		rep.Steps = append(rep.Steps, s)
		if opt.Progress != nil {
			opt.Progress(s)
		}
	}
	// Start the memory figure from what this run holds, not what earlier
	// work in the process left for the GC.
	goruntime.GC()
	debug.FreeOSMemory()
	rep.PeakRSSScope = "process"
	if resetPeakRSS() {
		rep.PeakRSSScope = "run"
	}

	t0 := time.Now()
	tabs, rows, how, err := Load(ctx, sess, opt)
	if err != nil {
		return nil, err
	}
	rep.Load = how
	if opt.CSV != "" {
		// The file's own name: opt.Data's may not describe it.
		rep.Data = strings.TrimSuffix(filepath.Base(opt.CSV), ".csv")
	}
	emit(Step{Task: opt.Data.Task, Mode: opt.Mode, Question: "load", Text: how, Run: 1, Seconds: time.Since(t0).Seconds(), Rows: rows})

	for _, q := range qs {
		for run := 1; run <= opt.Runs; run++ {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			// As db-benchmark's own scripts do (gc.collect() before each
			// timed run): the previous answer's memory is reclaimed outside
			// the timer, so a run reuses resident memory rather than
			// faulting in fresh pages because a collection was due.
			goruntime.GC()
			s, err := runOnce(ctx, q, tabs)
			if err != nil {
				return rep, fmt.Errorf("suite: %s %s (%s): %w", opt.Data.Task, q.Name, opt.Mode, err)
			}
			s.Task, s.Mode, s.Run = opt.Data.Task, opt.Mode, run
			emit(s)
		}
	}
	rep.PeakRSS = peakRSS()
	return rep, nil
}

// runOnce times one question, its answer collected into memory, and
// checksums the answer after the timer.
func runOnce(ctx context.Context, q Question, tabs Tables) (Step, error) {
	t0 := time.Now()
	out, err := q.Run(tabs).Collect(ctx)
	took := time.Since(t0).Seconds()
	if err != nil {
		return Step{}, err
	}
	cs, err := ChecksumFrame(ctx, out)
	if err != nil {
		return Step{}, err
	}
	return Step{Question: q.Name, Text: q.Text, Seconds: took, Rows: cs.Rows, Checksum: &cs}, nil
}

// ChecksumFrame is the checksum of a collected frame's columns.
func ChecksumFrame(ctx context.Context, df *dataframe.DataFrame) (Checksum, error) {
	rec, err := df.ToArrow(ctx) // a collected frame comes back without a copy
	if err != nil {
		return Checksum{}, err
	}
	defer rec.Release()
	return ChecksumOf(rec), nil
}
