package partition_test

// Tests of the local engine, and of the Engine contract on both engines:
// cancellation, release, foreign blocks.

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/partition"
)

// gate returns a kernel that reports its start on started (if not nil),
// then holds until open is closed or its context ends, then passes its
// first input through.
func gate(open <-chan struct{}, started chan<- struct{}) partition.Kernel {
	return partition.Kernel{Name: "gate", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		if started != nil {
			started <- struct{}{}
		}
		select {
		case <-open:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		in[0].Retain()
		return []arrow.Record{in[0]}, nil
	}}
}

// counting passes its first input through and counts its runs.
func counting(runs *atomic.Int64) partition.Kernel {
	return partition.Kernel{Name: "counting", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		runs.Add(1)
		in[0].Retain()
		return []arrow.Record{in[0]}, nil
	}}
}

// inputFrame makes a frame of rows rows in n partitions.
func inputFrame(t *testing.T, ctx context.Context, e partition.Engine, mem memory.Allocator, rows, n int) partition.Frame {
	t.Helper()
	in := makeInput(mem, rows)
	defer in.Release()
	f, err := partition.FromRecord(ctx, e, in, sizing(n))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// A kernel whose Deploy ctx ends before it starts never starts, and its
// outputs fail at once with the ctx's error, whether it waited for a slot
// or for an input; a running kernel sees its ctx cancelled.
func TestEngineCancel(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 1) {
		mem := newMem()
		f := inputFrame(t, ctx, e, mem, 8, 1)
		open, started := make(chan struct{}), make(chan struct{}, 1)
		held := e.Deploy(ctx, gate(open, started), f.Blocks, 1) // holds the only slot
		<-started

		var runs atomic.Int64
		cctx, cancel := context.WithCancel(ctx)
		queued := e.Deploy(cctx, counting(&runs), f.Blocks, 1) // waits for the slot
		dependent := e.Deploy(cctx, counting(&runs), held, 1)  // waits for its input
		cancel()
		for what, bs := range map[string][]partition.Block{"waiting for a slot": queued, "waiting for an input": dependent} {
			if err := e.Wait(ctx, bs); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "partition: kernel counting") {
				t.Errorf("%s: cancelled kernel %s: %v, want context.Canceled naming the kernel", e.Name(), what, err)
			}
		}
		late := e.Deploy(cctx, counting(&runs), f.Blocks, 1) // ctx done already
		if err := e.Wait(ctx, late); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: Deploy with a done ctx: %v, want context.Canceled", e.Name(), err)
		}
		close(open)
		if err := e.Wait(ctx, held); err != nil {
			t.Errorf("%s: the held kernel: %v", e.Name(), err)
		}
		if n := runs.Load(); n != 0 {
			t.Errorf("%s: cancelled kernels ran %d times", e.Name(), n)
		}

		// A running kernel sees its ctx end.
		rctx, rcancel := context.WithCancel(ctx)
		running := e.Deploy(rctx, gate(make(chan struct{}), started), f.Blocks, 1)
		<-started
		rcancel()
		if err := e.Wait(ctx, running); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: cancelled running kernel: %v, want context.Canceled", e.Name(), err)
		}

		for _, bs := range [][]partition.Block{f.Blocks, held, queued, dependent, late, running} {
			partition.Release(e, bs...)
		}
		checkZero(t, mem)
	}
}

// Releasing a block while Deploys that read it are pending is safe: they
// still run. Afterwards the block refuses new Deploys and Materialize, but
// its Meta still answers. Releasing twice is harmless.
func TestEngineReleaseEarly(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 1) {
		mem := newMem()
		f := inputFrame(t, ctx, e, mem, 8, 2)
		open := make(chan struct{})
		held := e.Deploy(ctx, gate(open, nil), f.Blocks[:1], 1)
		var runs atomic.Int64
		dep := partition.Map(ctx, e, partition.Frame{Schema: f.Schema, Blocks: append(held, f.Blocks[1])}, counting(&runs), nil)
		partition.Release(e, f.Blocks...)
		partition.Release(e, held...)
		partition.Release(e, held...)
		close(open)
		got, err := partition.Collect(ctx, e, dep, mem)
		if err != nil {
			t.Fatalf("%s: Collect after releasing the inputs: %v", e.Name(), err)
		}
		want := makeInput(mem, 8)
		if dump(got) != dump(want) || runs.Load() != 2 {
			t.Errorf("%s: got\n%s(%d runs), want\n%s", e.Name(), dump(got), runs.Load(), dump(want))
		}
		got.Release()
		want.Release()

		if _, err := e.Materialize(ctx, f.Blocks); !errors.Is(err, partition.ErrReleased) {
			t.Errorf("%s: Materialize of a released block: %v, want ErrReleased", e.Name(), err)
		}
		if err := e.Wait(ctx, partition.Map(ctx, e, f, counting(&runs), nil).Blocks); !errors.Is(err, partition.ErrReleased) {
			t.Errorf("%s: Deploy over a released block: %v, want ErrReleased", e.Name(), err)
		}
		if m, err := f.Blocks[1].Meta(ctx); err != nil || m.Rows != 4 {
			t.Errorf("%s: Meta of a released block = %+v, %v; want 4 rows", e.Name(), m, err)
		}
		partition.Release(e, dep.Blocks...)
		checkZero(t, mem)
	}
}

// Blocks of another engine are refused with an error, not a panic.
func TestEngineForeignBlock(t *testing.T) {
	ctx := testCtx(t)
	es := engines(t, 1)
	for i, e := range es {
		other := es[1-i]
		mem := newMem()
		f := inputFrame(t, ctx, other, mem, 4, 1)
		out := e.Deploy(ctx, identity, f.Blocks, 1)
		if err := e.Wait(ctx, out); err == nil || !strings.Contains(err.Error(), "not a block of the "+e.Name()+" engine") {
			t.Errorf("%s: Deploy over a %s block: %v", e.Name(), other.Name(), err)
		}
		if _, err := e.Materialize(ctx, f.Blocks); err == nil {
			t.Errorf("%s: Materialize of a %s block succeeded", e.Name(), other.Name())
		}
		if e.Deploy(ctx, identity, nil, 0) != nil {
			t.Errorf("%s: Deploy with nout 0 returned blocks", e.Name())
		}
		partition.Release(other, f.Blocks...)
		checkZero(t, mem)
	}
}

// At most parallelism kernels run at once, and Deploy never blocks its
// caller, however many kernels wait.
func TestLocalParallelism(t *testing.T) {
	ctx := testCtx(t)
	e := partition.NewLocal(2)
	mem := newMem()
	f := inputFrame(t, ctx, e, mem, 16, 16)
	var now, most atomic.Int64
	busy := partition.Kernel{Name: "busy", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		n := now.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		now.Add(-1)
		in[0].Retain()
		return []arrow.Record{in[0]}, nil
	}}
	out := partition.Map(ctx, e, f, busy, nil)
	if err := e.Wait(ctx, out.Blocks); err != nil {
		t.Fatal(err)
	}
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d kernels ran at once, want 2", m)
	}

	// One slot, held: Deploys still return at once.
	one := partition.NewLocal(1)
	g := inputFrame(t, ctx, one, mem, 4, 1)
	open := make(chan struct{})
	held := one.Deploy(ctx, gate(open, nil), g.Blocks, 1)
	done := make(chan []partition.Block)
	go func() {
		var bs []partition.Block
		for range 1000 {
			bs = append(bs, one.Deploy(ctx, identity, held, 1)...)
		}
		done <- bs
	}()
	var waiting []partition.Block
	select {
	case waiting = <-done:
	case <-time.After(patience):
		t.Fatal("Deploy blocked while the only slot was held")
	}
	close(open)
	if err := one.Wait(ctx, waiting); err != nil {
		t.Fatal(err)
	}
	partition.Release(e, f.Blocks...)
	partition.Release(e, out.Blocks...)
	for _, bs := range [][]partition.Block{g.Blocks, held, waiting} {
		partition.Release(one, bs...)
	}
	checkZero(t, mem)
}

// No copies: Put keeps the record, a pass-through kernel's output is its
// input, and Materialize hands out the same record (with a reference).
func TestLocalZeroCopy(t *testing.T) {
	ctx := testCtx(t)
	e := partition.NewLocal(0)
	mem := newMem()
	rec := makeInput(mem, 5)
	rec.Retain()
	b, err := e.Put(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	out := e.Deploy(ctx, identity, []partition.Block{b}, 1)
	recs, err := e.Materialize(ctx, append([]partition.Block{b}, out...))
	if err != nil {
		t.Fatal(err)
	}
	if recs[0] != rec || recs[1] != rec {
		t.Error("the local engine copied a record")
	}
	mb, _ := b.Meta(ctx)
	if m, _ := out[0].Meta(ctx); m != mb || m.Rows != 5 || m.Bytes == 0 {
		t.Errorf("Meta = %+v, want %+v, that of the input", m, mb)
	}
	for _, r := range recs {
		r.Release()
	}
	partition.Release(e, b, out[0])
	if mem.CurrentAlloc() == 0 {
		t.Error("releasing the blocks freed the caller's record")
	}
	rec.Release()
	checkZero(t, mem)
}

// A block never released is freed once unreachable and collected: the
// safety net, not the way to free memory.
func TestLocalUnreachableBlocksAreFreed(t *testing.T) {
	ctx := testCtx(t)
	e := partition.NewLocal(0)
	mem := newMem()
	func() {
		f := inputFrame(t, ctx, e, mem, 10, 3)
		out := partition.Map(ctx, e, f, doubleX(mem), nil)
		if err := e.Wait(ctx, out.Blocks); err != nil {
			t.Fatal(err)
		}
	}()
	deadline := time.Now().Add(patience)
	for mem.CurrentAlloc() != 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	checkZero(t, mem)
}

// Kernels reading one block at once must not race on what Arrow computes
// lazily and caches in place (a slice's null count, a dictionary array's
// dictionary): the engines settle those before a block is visible. Run
// with -race.
func TestEngineSharedBlockNoRace(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 4) {
		mem := newMem()
		in := makeInput(mem, 40)
		db := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
		for i := range 40 {
			if i%6 == 5 {
				db.AppendNull()
			} else {
				db.AppendString(string(rune('a' + i%4)))
			}
		}
		dict := db.NewArray()
		db.Release()
		schema := arrow.NewSchema(append(in.Schema().Fields(), arrow.Field{Name: "d", Type: dict.DataType(), Nullable: true}), nil)
		whole := array.NewRecord(schema, append(in.Columns(), dict), 40)
		in.Release()
		dict.Release()
		f, err := partition.FromRecord(ctx, e, whole, sizing(3)) // slices: null counts unknown
		whole.Release()
		if err != nil {
			t.Fatal(err)
		}
		reader := partition.Kernel{Name: "reader", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
			var nulls int
			for _, col := range in[0].Columns() {
				nulls += col.NullN()
				if d, ok := col.(*array.Dictionary); ok {
					nulls += d.Dictionary().NullN()
				}
			}
			s := in[0].NewSlice(1, in[0].NumRows())
			return []arrow.Record{s}, nil
		}}
		var outs []partition.Block
		for range 8 {
			outs = append(outs, partition.Map(ctx, e, f, reader, nil).Blocks...)
		}
		if err := e.Wait(ctx, outs); err != nil {
			t.Fatal(err)
		}
		partition.Release(e, f.Blocks...)
		partition.Release(e, outs...)
		checkZero(t, mem)
	}
}
