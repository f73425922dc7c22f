package runtimebench

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/runtime/remote"
)

// rayNames are the names of Ray's microbenchmarks this package ports, in
// ray_perf.py's spelling with spaces and colons as underscores, and its own.
var rayNames = []string{
	"single_client_tasks_sync",
	"single_client_tasks_async",
	"multi_client_tasks_async",
	"1_1_actor_calls_sync",
	"1_1_actor_calls_async",
	"n_n_actor_calls_async",
	"single_client_put_calls",
	"single_client_get_calls",
	"single_client_put_gigabytes",
	"arrow_put_get_gigabytes",
}

var units = map[string]string{
	"single_client_tasks_sync":    "tasks/s",
	"single_client_tasks_async":   "tasks/s",
	"multi_client_tasks_async":    "tasks/s",
	"1_1_actor_calls_sync":        "calls/s",
	"1_1_actor_calls_async":       "calls/s",
	"n_n_actor_calls_async":       "calls/s",
	"single_client_put_calls":     "puts/s",
	"single_client_get_calls":     "gets/s",
	"single_client_put_gigabytes": "GB/s",
	"arrow_put_get_gigabytes":     "GB/s",
}

// short runs every benchmark briefly.
var short = Options{Duration: 20 * time.Millisecond, Warmup: 5 * time.Millisecond}

func TestRunAll(t *testing.T) {
	for _, cpus := range []int{0, 1, 3} {
		t.Run(fmt.Sprintf("cpus=%d", cpus), func(t *testing.T) {
			opts := short
			opts.NumCPUs = cpus
			results, err := Run(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, r := range results {
				names = append(names, r.Name)
				if r.Value <= 0 || r.Ops <= 0 || r.Seconds < opts.Duration.Seconds() {
					t.Errorf("%s: %+v: want a positive value and ops, and seconds >= %v", r.Name, r, opts.Duration)
				}
				if r.Unit != units[r.Name] {
					t.Errorf("%s: unit %q, want %q", r.Name, r.Unit, units[r.Name])
				}
			}
			if !slices.Equal(names, rayNames) {
				t.Errorf("ran %q, want %q", names, rayNames)
			}
		})
	}
}

func TestNames(t *testing.T) {
	if got := Names(); !slices.Equal(got, rayNames) {
		t.Errorf("Names() = %q, want %q", got, rayNames)
	}
}

func TestOnly(t *testing.T) {
	opts := short
	opts.Only = []string{"single_client_get_calls", "single_client_tasks_sync", "single_client_get_calls"}
	results, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range results {
		names = append(names, r.Name)
	}
	if want := []string{"single_client_tasks_sync", "single_client_get_calls"}; !slices.Equal(names, want) {
		t.Errorf("ran %q, want %q (the order of Names, once each)", names, want)
	}
}

func TestUnknown(t *testing.T) {
	opts := short
	opts.Only = []string{"single_client_tasks_sync", "no_such_benchmark"}
	results, err := Run(context.Background(), opts)
	if !errors.Is(err, ErrUnknown) || len(results) != 0 {
		t.Errorf("Run(Only: no_such_benchmark) = %v, %v; want nothing run and ErrUnknown", results, err)
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, Options{Duration: time.Hour}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run on a cancelled context: %v, want context.Canceled", err)
	}
}

// The arrow round hands the store the record itself, and the store gives
// back every reference it took: nothing is left allocated once the runtime
// is shut down and the record released.
func TestArrowRoundZeroCopyNoLeak(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := newInt64Record(mem, 1000)
	if n, err := arrowRound(rt, rec)(ctx); err != nil || n != bigPuts {
		t.Fatalf("round = %d, %v; want %d, nil", n, err, bigPuts)
	}
	if err := rt.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	mem.AssertSize(t, 0)
}

func TestInt64Record(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := newInt64Record(mem, 5)
	defer rec.Release()
	if rec.NumRows() != 5 || rec.NumCols() != 1 {
		t.Fatalf("record is %dx%d, want 5x1", rec.NumRows(), rec.NumCols())
	}
	if got := fmt.Sprint(rec.Column(0)); got != "[0 1 2 3 4]" {
		t.Errorf("column = %s, want [0 1 2 3 4]", got)
	}
}
