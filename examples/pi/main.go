// Command pi estimates π by Monte Carlo sampling, first with a plain loop in
// the driver and then as remote tasks running in parallel on an embedded
// runtime, and prints both times and the speed-up. It is the Go version of
// the π example in Ray's introduction.
//
//	go run ./examples/pi [-trials 100] [-samples 1000000]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/signal"
	"time"

	"github.com/shoaldata/shoal/runtime/remote"
)

// sample is one block of the parallel run: it counts the points of block
// seed that fall inside the quarter circle.
var sample = remote.Register2("pi.sample", func(ctx context.Context, seed uint64, n int) (int, error) {
	return countInside(seed, n), nil
})

// countInside draws n points uniformly in the unit square from a PCG source
// seeded by seed and returns how many fall inside the unit circle. The source
// is local, so blocks run in parallel without sharing any lock, and the same
// seed gives the same count in the driver and in a task.
func countInside(seed uint64, n int) int {
	src := rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)
	inside := 0
	for range n {
		// The top 53 bits of a draw make a float64 uniform in [0, 1), as
		// rand.Float64 does, without its call through the Source interface.
		x := float64(src.Uint64()>>11) * 0x1p-53
		y := float64(src.Uint64()>>11) * 0x1p-53
		if x*x+y*y < 1 {
			inside++
		}
	}
	return inside
}

// result is what run measured.
type result struct {
	Sequential, Parallel float64 // π estimates; equal, since the blocks are the same
	SeqTime, ParTime     time.Duration
}

// Speedup is the sequential time over the parallel time.
func (r result) Speedup() float64 { return r.SeqTime.Seconds() / r.ParTime.Seconds() }

// run estimates π from trials blocks of samples points each, sequentially
// and then as remote tasks on a new embedded runtime, and reports on w.
func run(ctx context.Context, w io.Writer, trials, samples int) (result, error) {
	if trials <= 0 || samples <= 0 {
		return result{}, fmt.Errorf("pi: trials %d and samples %d must be positive", trials, samples)
	}
	total := float64(trials) * float64(samples)
	var res result

	start := time.Now()
	inside := 0
	for i := range trials {
		inside += countInside(uint64(i), samples)
	}
	res.SeqTime = time.Since(start)
	res.Sequential = 4 * float64(inside) / total
	fmt.Fprintf(w, "sequential: %d trials of %d points in %v: pi ≈ %.6f\n",
		trials, samples, res.SeqTime.Round(time.Millisecond), res.Sequential)

	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		return res, err
	}
	defer rt.Shutdown(context.WithoutCancel(ctx))

	start = time.Now()
	refs := make([]remote.ObjectRef[int], trials)
	for i := range refs {
		refs[i] = sample.Remote(rt, remote.Val(uint64(i)), remote.Val(samples))
	}
	counts, err := remote.GetAll(ctx, refs)
	if err != nil {
		return res, err
	}
	res.ParTime = time.Since(start)
	inside = 0
	for _, c := range counts {
		inside += c
	}
	res.Parallel = 4 * float64(inside) / total
	fmt.Fprintf(w, "parallel:   %d tasks of %d points in %v: pi ≈ %.6f\n",
		trials, samples, res.ParTime.Round(time.Millisecond), res.Parallel)
	fmt.Fprintf(w, "error %.2g, speed-up %.2fx on %v CPUs\n",
		math.Abs(res.Parallel-math.Pi), res.Speedup(), cpus(rt))
	return res, nil
}

// cpus is the runtime's CPU total, for the report.
func cpus(rt *remote.Runtime) float64 {
	for _, u := range rt.Stats().Resources {
		if u.Name == "CPU" {
			return u.Total
		}
	}
	return 0
}

func main() {
	trials := flag.Int("trials", 100, "number of blocks (tasks)")
	samples := flag.Int("samples", 1_000_000, "points per block")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, os.Stdout, *trials, *samples); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
