package remote_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

// splitSums deals the values of in round-robin into nout buckets, each
// scaled by p, and returns the bucket sums: many inputs, many outputs.
var splitSums = remote.RegisterN("test.n.splitSums", func(ctx context.Context, p int, in []int, nout int) ([]int, error) {
	out := make([]int, nout)
	for i, v := range in {
		out[i%nout] += p * v
	}
	return out, nil
})

var wrongCount = remote.RegisterN("test.n.wrongCount", func(ctx context.Context, p struct{}, in []string, nout int) ([]string, error) {
	return []string{"only one"}, nil
})

var nBoom = errors.New("n boom")

var nFail = remote.RegisterN("test.n.fail", func(ctx context.Context, p int, in []int, nout int) ([]int, error) {
	return nil, nBoom
})

func TestFuncNArgumentsAndResults(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	// Inputs mix values and refs; refs are dependencies, some not ready yet.
	var in []remote.Arg[int]
	for i := 1; i <= 7; i++ {
		if i%2 == 0 {
			in = append(in, addFn.Remote(rt, remote.Val(i), remote.Val(0)))
		} else {
			in = append(in, remote.Val(i))
		}
	}
	refs := splitSums.Remote(rt, remote.Val(10), 3, in...)
	got, err := remote.GetAll(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	// Buckets: {1,4,7}, {2,5}, {3,6}, times 10.
	if want := []int{120, 70, 90}; !slices.Equal(got, want) {
		t.Fatalf("bucket sums = %v, want %v", got, want)
	}
	// The parameter may be a ref too, and the results feed another call.
	scale := addFn.Remote(rt, remote.Val(1), remote.Val(1))
	var again []remote.Arg[int]
	for _, r := range refs {
		again = append(again, r)
	}
	total, err := remote.GetAll(ctx, splitSums.Remote(rt, scale, 1, again...))
	if err != nil || len(total) != 1 || total[0] != 2*(120+70+90) {
		t.Fatalf("sum of the buckets, doubled = %v, %v; want [560]", total, err)
	}
	// No inputs at all.
	empty, err := remote.GetAll(ctx, splitSums.Remote(rt, remote.Val(1), 2))
	if err != nil || !slices.Equal(empty, []int{0, 0}) {
		t.Fatalf("no inputs: %v, %v; want [0 0]", empty, err)
	}
	if refs := splitSums.Remote(rt, remote.Val(1), 0); refs != nil {
		t.Fatalf("nout 0 gave %d refs, want none", len(refs))
	}
}

func TestFuncNErrors(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	refs := wrongCount.Remote(rt, remote.Val(struct{}{}), 2, remote.Val("a"))
	for i, r := range refs {
		_, err := r.Get(ctx)
		var te *remote.TaskError
		if !errors.As(err, &te) || te.Func != "test.n.wrongCount" || !strings.Contains(err.Error(), "returned 1 results, the call asked for 2") {
			t.Errorf("result %d: %v, want a TaskError about the result count", i, err)
		}
	}
	// A failing input fails the call, which never runs, in every result.
	failed := nFail.Remote(rt, remote.Val(1), 1)
	for i, r := range splitSums.Remote(rt, remote.Val(1), 2, remote.Val(1), failed[0]) {
		_, err := r.Get(ctx)
		if !errors.Is(err, nBoom) || !strings.Contains(err.Error(), "test.n.splitSums") || !strings.Contains(err.Error(), "argument 3") {
			t.Errorf("result %d: %v, want the input's error through splitSums' argument 3", i, err)
		}
	}
}

// histogram counts its inputs by remainder: any number of inputs, one
// result per bucket, as many buckets as the caller asks for.
var histogram = remote.RegisterN("example.histogram", func(ctx context.Context, _ struct{}, in []int, nout int) ([]int, error) {
	counts := make([]int, nout)
	for _, v := range in {
		counts[v%nout]++
	}
	return counts, nil
})

func ExampleRegisterN() {
	ctx := context.Background()
	rt, _ := remote.Start(ctx, remote.Config{})
	defer rt.Shutdown(ctx)

	var in []remote.Arg[int]
	for _, v := range []int{3, 4, 5, 6, 9} {
		in = append(in, remote.Val(v))
	}
	buckets := histogram.Remote(rt, remote.Val(struct{}{}), 3, in...)
	counts, _ := remote.GetAll(ctx, buckets)
	fmt.Println(counts)
	// Output: [3 1 1]
}
