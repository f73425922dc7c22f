package main

import (
	"context"
	"io"
	"math"
	"testing"
)

func TestRun(t *testing.T) {
	res, err := run(context.Background(), io.Discard, 20, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	// The blocks use the same seeds in the driver and in the tasks.
	if res.Parallel != res.Sequential {
		t.Errorf("parallel estimate %v != sequential %v", res.Parallel, res.Sequential)
	}
	// 2e6 points: the standard error is about 0.0012.
	if d := math.Abs(res.Parallel - math.Pi); d > 0.01 {
		t.Errorf("estimate %v is %v from pi", res.Parallel, d)
	}
	t.Logf("pi ≈ %v, speed-up %.2fx (not checked: timing depends on the machine's load)", res.Parallel, res.Speedup())
}

func TestRunRejectsBadSizes(t *testing.T) {
	if _, err := run(context.Background(), io.Discard, 0, 10); err == nil {
		t.Error("run with 0 trials: no error")
	}
}

func TestCountInsideDeterministic(t *testing.T) {
	if a, b := countInside(7, 1000), countInside(7, 1000); a != b {
		t.Errorf("countInside(7, 1000) gave %d then %d", a, b)
	}
}
