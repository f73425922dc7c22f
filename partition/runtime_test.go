package partition_test

// Tests of the runtime engine beyond the shared contract, and the
// benchmark comparing the per-kernel overhead of both engines.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/partition"
	"github.com/shoaldata/shoal/runtime/remote"
)

// A kernel's failure arrives inside the runtime's TaskError: errors.As
// finds the task, errors.Is the kernel's own error, through a dependent
// task as well.
func TestRuntimeErrorsAreTaskErrors(t *testing.T) {
	ctx := testCtx(t)
	e := partition.NewRuntime(newRuntime(t, 2))
	mem := newMem()
	f := inputFrame(t, ctx, e, mem, 6, 2)
	bad := partition.Map(ctx, e, f, failing, nil)
	down := partition.Map(ctx, e, bad, doubleX(mem), nil)
	for what, bs := range map[string][]partition.Block{"failing": bad.Blocks, "downstream": down.Blocks} {
		_, err := e.Materialize(ctx, bs)
		var te *remote.TaskError
		if !errors.As(err, &te) || te.Func != "partition.kernel" || !errors.Is(err, errBoom) {
			t.Errorf("%s: %v, want a TaskError of partition.kernel wrapping errBoom", what, err)
		}
	}
	_, err := e.Materialize(ctx, down.Blocks)
	if want := "partition: kernel doubleX: remote: task partition.kernel: argument 2: "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("downstream error %q does not start %q", err, want)
	}
	for _, fr := range []partition.Frame{f, bad, down} {
		partition.Release(e, fr.Blocks...)
	}
	checkZero(t, mem)
}

// Records live in the object store, metas inline with their refs: Meta
// answers without data, even after the data is released.
func TestRuntimeMetasAreInline(t *testing.T) {
	ctx := testCtx(t)
	rt := newRuntime(t, 2)
	e := partition.NewRuntime(rt)
	mem := newMem()
	f := inputFrame(t, ctx, e, mem, 30, 3)
	out := partition.Map(ctx, e, f, doubleX(mem), nil)
	if err := e.Wait(ctx, out.Blocks); err != nil {
		t.Fatal(err)
	}
	if n := rt.Stats().Store.Objects; n != 6 {
		t.Errorf("the store holds %d objects, want 6: 3 inputs and 3 outputs, no metas", n)
	}
	partition.Release(e, f.Blocks...)
	partition.Release(e, out.Blocks...)
	checkZero(t, mem)
	if n := rt.Stats().Store.Objects; n != 0 {
		t.Errorf("the store holds %d objects after Release, want 0", n)
	}
	for i, b := range out.Blocks {
		if m, err := b.Meta(ctx); err != nil || m.Rows != 10 {
			t.Errorf("block %d: Meta after Release = %+v, %v; want 10 rows", i, m, err)
		}
	}
}

// A Deploy whose ctx is cancelled while it waits is cancelled in the
// runtime too: the error is the runtime's ErrCancelled as well as the
// ctx's.
func TestRuntimeCancelIsRemoteCancel(t *testing.T) {
	ctx := testCtx(t)
	e := partition.NewRuntime(newRuntime(t, 1))
	mem := newMem()
	f := inputFrame(t, ctx, e, mem, 4, 1)
	open := make(chan struct{})
	held := e.Deploy(ctx, gate(open, nil), f.Blocks, 1)
	cctx, cancel := context.WithCancel(ctx)
	waiting := e.Deploy(cctx, identity, held, 1)
	cancel()
	err := e.Wait(ctx, waiting)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, remote.ErrCancelled) {
		t.Errorf("cancelled Deploy: %v, want context.Canceled and remote.ErrCancelled", err)
	}
	close(open)
	for _, bs := range [][]partition.Block{f.Blocks, held, waiting} {
		partition.Release(e, bs...)
	}
	checkZero(t, mem)
}

// BenchmarkMapLocalVsRuntime measures the overhead of a kernel on each
// engine: a Map of a pass-through kernel over 64 small partitions, waited
// for and released each round.
func BenchmarkMapLocalVsRuntime(b *testing.B) {
	ctx := context.Background()
	for _, name := range []string{"local", "runtime"} {
		b.Run(name, func(b *testing.B) {
			var e partition.Engine
			if name == "local" {
				e = partition.NewLocal(0)
			} else {
				e = partition.NewRuntime(newRuntime(b, 0))
			}
			rec := makeInput(memory.DefaultAllocator, 64*128)
			f, err := partition.FromRecord(ctx, e, rec, sizing(64))
			rec.Release()
			if err != nil || len(f.Blocks) != 64 {
				b.Fatalf("FromRecord: %d blocks, %v", len(f.Blocks), err)
			}
			defer partition.Release(e, f.Blocks...)
			b.ReportAllocs()
			rounds := 0
			start := time.Now()
			for b.Loop() {
				out := partition.Map(ctx, e, f, identity, nil)
				if err := e.Wait(ctx, out.Blocks); err != nil {
					b.Fatal(err)
				}
				partition.Release(e, out.Blocks...)
				rounds++
			}
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(rounds*len(f.Blocks)), "ns/kernel")
		})
	}
}

// The same primitives on the runtime engine: each kernel runs as a task,
// partitions live in the object store as ObjectRefs.
func ExampleNewRuntime() {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		panic(err)
	}
	defer rt.Shutdown(ctx)
	e := partition.NewRuntime(rt)
	mem := memory.NewGoAllocator()

	b := array.NewInt64Builder(mem)
	b.AppendValues([]int64{3, 1, 4, 1, 5, 9, 2, 6}, nil)
	col := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 8)
	col.Release()
	defer rec.Release()

	f, err := partition.FromRecord(ctx, e, rec, partition.Sizing{TargetBytes: 1, MaxPerCore: 4, Cores: 1})
	if err != nil {
		panic(err)
	}
	defer partition.Release(e, f.Blocks...)
	squared := partition.Map(ctx, e, f, square, nil)
	defer partition.Release(e, squared.Blocks...)
	out, err := partition.Collect(ctx, e, squared, mem)
	if err != nil {
		panic(err)
	}
	defer out.Release()
	fmt.Println(e.Name(), len(squared.Blocks), "partitions:", out.Column(0))
	// Output: runtime 4 partitions: [9 1 16 1 25 81 4 36]
}
