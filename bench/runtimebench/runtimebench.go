package runtimebench

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"strings"
	"time"

	"github.com/shoaldata/shoal/runtime/remote"
)

// DefaultDuration is how long each benchmark is measured when
// Options.Duration is 0.
const DefaultDuration = 2 * time.Second

// ErrUnknown is returned (wrapped) by Run for a name in Options.Only that is
// no benchmark's.
var ErrUnknown = errors.New("runtimebench: unknown benchmark")

// Options select and size the benchmarks. The zero value runs every one for
// DefaultDuration on a runtime with one CPU per GOMAXPROCS.
type Options struct {
	// Duration is how long each benchmark is measured, after its warm-up;
	// 0 means DefaultDuration.
	Duration time.Duration
	// Warmup is how long each benchmark runs before it is measured; 0 means
	// Duration/4, negative means none.
	Warmup time.Duration
	// Only lists the benchmarks to run, by name (see Names); empty means all.
	// They run in the order of Names whatever the order here.
	Only []string
	// NumCPUs is the runtime's CPU count and the number of clients of the
	// multi-client benchmarks; 0 means GOMAXPROCS. On a cluster it is the
	// number of clients only.
	NumCPUs int
	// Address, if set, runs the benchmarks as a driver of the cluster whose
	// head listens there (tasks and actors run in the nodes' workers), with
	// Token or TokenFile (see remote.Config). An empty Only then means
	// ClusterNames: the benchmarks that workers support.
	Address        string
	Token          string
	TokenFile      string
	WorkersPerNode int
}

// ClusterNames lists the benchmarks Run runs on a cluster by default. The
// others call actors from inside actors (passing actor handles), which
// workers do not support yet.
func ClusterNames() []string {
	return []string{"single_client_tasks_sync", "single_client_tasks_async", "multi_client_tasks_async", "1_1_actor_calls_sync", "1_1_actor_calls_async",
		"single_client_put_calls", "single_client_get_calls"}
}

// Result is one benchmark's measurement.
type Result struct {
	Name    string  `json:"name"`    // as in Names
	Value   float64 `json:"value"`   // Ops (or their bytes, for GB/s) per second
	Unit    string  `json:"unit"`    // "tasks/s", "calls/s", "puts/s", "gets/s" or "GB/s"
	Ops     int64   `json:"ops"`     // operations measured (tasks, calls, puts, gets or put/get pairs)
	Seconds float64 `json:"seconds"` // measured time, warm-up excluded
}

// Names lists the benchmarks in the order Run runs them: Ray's names, with
// spaces and colons as underscores, then arrow_put_get_gigabytes.
func Names() []string {
	names := make([]string, len(benchmarks))
	for i, b := range benchmarks {
		names[i] = b.name
	}
	return names
}

// Run runs the benchmarks opts selects, each on a fresh embedded runtime, and
// returns their results in the order of Names. It stops at the first error,
// returning the results so far, and when ctx is done. It is not safe to call
// concurrently with itself or with other heavy work: the numbers would show
// it.
func Run(ctx context.Context, opts Options) ([]Result, error) {
	if opts.Address != "" && len(opts.Only) == 0 {
		opts.Only = ClusterNames()
	}
	selected, err := selectBenchmarks(opts.Only)
	if err != nil {
		return nil, err
	}
	if opts.Duration <= 0 {
		opts.Duration = DefaultDuration
	}
	switch {
	case opts.Warmup == 0:
		opts.Warmup = opts.Duration / 4
	case opts.Warmup < 0:
		opts.Warmup = 0
	}
	if opts.NumCPUs <= 0 {
		opts.NumCPUs = goruntime.GOMAXPROCS(0)
	}
	results := make([]Result, 0, len(selected))
	for _, b := range selected {
		r, err := b.run(ctx, opts)
		if err != nil {
			return results, fmt.Errorf("runtimebench: %s: %w", b.name, err)
		}
		results = append(results, r)
	}
	return results, nil
}

func selectBenchmarks(only []string) ([]*benchmark, error) {
	if len(only) == 0 {
		out := make([]*benchmark, len(benchmarks))
		for i := range benchmarks {
			out[i] = &benchmarks[i]
		}
		return out, nil
	}
	want := make(map[string]bool, len(only))
	for _, name := range only {
		if lookup(name) == nil {
			return nil, fmt.Errorf("%w %q; the benchmarks are %s", ErrUnknown, name, strings.Join(Names(), ", "))
		}
		want[name] = true
	}
	var out []*benchmark
	for i := range benchmarks {
		if want[benchmarks[i].name] {
			out = append(out, &benchmarks[i])
		}
	}
	return out, nil
}

func lookup(name string) *benchmark {
	for i := range benchmarks {
		if benchmarks[i].name == name {
			return &benchmarks[i]
		}
	}
	return nil
}

// A round does some operations and returns how many.
type round func(ctx context.Context) (int64, error)

// benchmark is one entry of the table in benchmarks.go.
type benchmark struct {
	name string
	unit string
	// bytes is the size each operation hands over, for a GB/s unit.
	bytes int64
	// setup prepares the benchmark on rt, with n clients where it has
	// clients, and returns its round and, if not nil, a release to call
	// once the runtime is shut down.
	setup func(ctx context.Context, rt *remote.Runtime, n int) (round, func(), error)
}

// run measures b on a runtime of its own.
func (b *benchmark) run(ctx context.Context, opts Options) (Result, error) {
	cfg := remote.Config{NumCPUs: float64(opts.NumCPUs)}
	if opts.Address != "" {
		cfg = remote.Config{Address: opts.Address, Token: opts.Token, TokenFile: opts.TokenFile, WorkersPerNode: opts.WorkersPerNode}
	}
	rt, err := remote.Start(ctx, cfg)
	if err != nil {
		return Result{}, err
	}
	round, release, err := b.setup(ctx, rt, opts.NumCPUs)
	var ops int64
	var elapsed time.Duration
	if err == nil {
		ops, elapsed, err = measure(ctx, round, opts.Warmup, opts.Duration)
	}
	if serr := rt.Shutdown(context.WithoutCancel(ctx)); err == nil {
		err = serr
	}
	if release != nil {
		release()
	}
	goruntime.GC() // leave no garbage of this benchmark to the next
	if err != nil {
		return Result{}, err
	}
	r := Result{Name: b.name, Unit: b.unit, Ops: ops, Seconds: elapsed.Seconds()}
	r.Value = float64(ops) / r.Seconds
	if b.bytes > 0 {
		r.Value = float64(ops) * float64(b.bytes) / r.Seconds / 1e9
	}
	return r, nil
}

// measure runs rounds for warmup, then counts the operations of the rounds
// run in the next d and the time they took. It runs one round at least.
func measure(ctx context.Context, rd round, warmup, d time.Duration) (ops int64, elapsed time.Duration, err error) {
	for end := time.Now().Add(warmup); time.Now().Before(end); {
		if _, err := rd(ctx); err != nil {
			return 0, 0, err
		}
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
	}
	goruntime.GC()
	start := time.Now()
	for {
		n, err := rd(ctx)
		if err != nil {
			return 0, 0, err
		}
		ops += n
		if elapsed = time.Since(start); elapsed >= d {
			return ops, elapsed, nil
		}
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
	}
}
