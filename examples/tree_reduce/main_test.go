package main

import (
	"context"
	"io"
	"runtime"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct{ n, chainDepth, treeDepth int }{
		{1, 0, 0},
		{2, 1, 1},
		{3, 2, 2},
		{16, 15, 4},
		{100, 99, 7},
		{1024, 1023, 10},
	} {
		res, err := run(context.Background(), io.Discard, tc.n, 0)
		if err != nil {
			t.Fatalf("n=%d: %v", tc.n, err)
		}
		want := int64(tc.n) * int64(tc.n+1) / 2
		if res.Chain.Sum != want || res.Tree.Sum != want {
			t.Errorf("n=%d: sums chain %d, tree %d, want %d", tc.n, res.Chain.Sum, res.Tree.Sum, want)
		}
		if res.Chain.Depth != tc.chainDepth || res.Tree.Depth != tc.treeDepth {
			t.Errorf("n=%d: depths chain %d, tree %d, want %d, %d",
				tc.n, res.Chain.Depth, res.Tree.Depth, tc.chainDepth, tc.treeDepth)
		}
	}
}

// With work in each add, the tree is faster than the chain on two CPUs or
// more: its levels run in parallel, while every add of the chain waits for
// the one before. The work is a sleep, so the machine's load hardly matters.
func TestDepthShowsInTime(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs 2 CPUs")
	}
	res, err := run(context.Background(), io.Discard, 16, 10*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	// Chain: 15 adds one after the other, >= 150ms. Tree on 2 CPUs: rounds
	// of 4+2+1+1 sleeps, about 80ms.
	t.Logf("chain %v, tree %v", res.Chain.Time, res.Tree.Time)
	if res.Chain.Time < 150*time.Millisecond {
		t.Errorf("chain of 15 adds sleeping 10ms took %v, want >= 150ms", res.Chain.Time)
	}
	if res.Tree.Time >= res.Chain.Time {
		t.Errorf("tree took %v, chain %v: want the tree faster", res.Tree.Time, res.Chain.Time)
	}
}
