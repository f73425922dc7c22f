// Command tree_reduce sums the values 1..N on an embedded runtime twice: with
// a linear chain of add tasks, each waiting for the previous one (depth N-1),
// and with a binary tree of add tasks (depth ⌈log2 N⌉) whose levels run in
// parallel. Tasks receive ObjectRefs as arguments, so each add depends on the
// tasks that make its inputs. It is the Go version of the tree-reduce example
// in Ray's introduction.
//
//	go run ./examples/tree_reduce [-n 1024] [-delay 1ms]
//
// Each add sleeps -delay to stand for work, as Ray's example does; that makes
// the difference between the depths visible in the times. With -delay 0 both
// times measure only the runtime's cost per dependent task.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/shoaldata/shoal/runtime/remote"
)

// add sums two partial results, after sleeping delay to stand for real work.
var add = remote.Register3("tree_reduce.add", func(ctx context.Context, a, b int64, delay time.Duration) (int64, error) {
	if delay > 0 {
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done(): // cancelled, or the runtime shut down
			return 0, ctx.Err()
		}
	}
	return a + b, nil
})

// reduction is the outcome of one way of summing.
type reduction struct {
	Sum   int64
	Depth int // adds on the longest path from a value to the sum
	Time  time.Duration
}

// result is what run measured.
type result struct{ Chain, Tree reduction }

// run sums 1..n both ways on a new embedded runtime and reports on w.
func run(ctx context.Context, w io.Writer, n int, delay time.Duration) (result, error) {
	if n < 1 {
		return result{}, fmt.Errorf("tree_reduce: n %d must be at least 1", n)
	}
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		return result{}, err
	}
	defer rt.Shutdown(context.WithoutCancel(ctx))

	want := int64(n) * int64(n+1) / 2
	var res result
	for _, way := range []struct {
		name   string
		reduce func(*remote.Runtime, []remote.ObjectRef[int64], time.Duration) (remote.ObjectRef[int64], int)
		out    *reduction
	}{
		{"chain", chain, &res.Chain},
		{"tree", tree, &res.Tree},
	} {
		values, err := putValues(rt, n)
		if err != nil {
			return res, err
		}
		start := time.Now()
		ref, depth := way.reduce(rt, values, delay)
		sum, err := remote.Get(ctx, ref)
		if err != nil {
			return res, err
		}
		*way.out = reduction{Sum: sum, Depth: depth, Time: time.Since(start)}
		fmt.Fprintf(w, "%-5s depth %4d: sum %d in %v\n", way.name, depth, sum, way.out.Time.Round(time.Microsecond))
		if sum != want {
			return res, fmt.Errorf("tree_reduce: %s sum %d, want %d", way.name, sum, want)
		}
	}
	fmt.Fprintf(w, "both sums equal n(n+1)/2 = %d\n", want)
	return res, nil
}

// putValues puts 1..n in the object store.
func putValues(rt *remote.Runtime, n int) ([]remote.ObjectRef[int64], error) {
	refs := make([]remote.ObjectRef[int64], n)
	for i := range refs {
		ref, err := remote.Put(rt, int64(i+1))
		if err != nil {
			return nil, err
		}
		refs[i] = ref
	}
	return refs, nil
}

// chain adds the values one after the other: each add waits for the last.
func chain(rt *remote.Runtime, values []remote.ObjectRef[int64], delay time.Duration) (remote.ObjectRef[int64], int) {
	acc := values[0]
	for _, v := range values[1:] {
		acc = add.Remote(rt, acc, v, remote.Val(delay))
	}
	return acc, len(values) - 1
}

// tree adds the values pairwise, level by level; an odd one out moves up a
// level unchanged.
func tree(rt *remote.Runtime, values []remote.ObjectRef[int64], delay time.Duration) (remote.ObjectRef[int64], int) {
	level, depth := values, 0
	for len(level) > 1 {
		next := make([]remote.ObjectRef[int64], 0, (len(level)+1)/2)
		for i := 0; i+1 < len(level); i += 2 {
			next = append(next, add.Remote(rt, level[i], level[i+1], remote.Val(delay)))
		}
		if len(level)%2 == 1 {
			next = append(next, level[len(level)-1])
		}
		level = next
		depth++
	}
	return level[0], depth
}

func main() {
	n := flag.Int("n", 1024, "sum the values 1..n")
	delay := flag.Duration("delay", time.Millisecond, "time each add sleeps, standing for work")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if _, err := run(ctx, os.Stdout, *n, *delay); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
