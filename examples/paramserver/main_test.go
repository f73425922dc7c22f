package main

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

func TestRun(t *testing.T) {
	for _, tc := range []struct{ dim, workers, iterations int }{
		{1, 1, 1},
		{3, 2, 5},
		{10, 4, 20},
		{5, 7, 3}, // more workers than CPUs
		{4, 0, 10},
		{4, 3, 0},
	} {
		params, err := run(context.Background(), io.Discard, tc.dim, tc.workers, tc.iterations)
		if err != nil {
			t.Fatalf("%+v: %v", tc, err)
		}
		if len(params) != tc.dim {
			t.Fatalf("%+v: %d parameters, want %d", tc, len(params), tc.dim)
		}
		want := expected(tc.workers, tc.iterations)
		for j, p := range params {
			if p != want {
				t.Errorf("%+v: parameter %d = %v, want %v", tc, j, p, want)
			}
		}
	}
}

func TestBadDimensionFailsCalls(t *testing.T) {
	_, err := run(context.Background(), io.Discard, 0, 1, 1)
	if !errors.Is(err, remote.ErrActorDied) {
		t.Errorf("dimension 0: error %v, want one wrapping ErrActorDied", err)
	}
}
