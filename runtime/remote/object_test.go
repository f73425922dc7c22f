package remote_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/runtime/remote"
)

var freeEcho = remote.Register1("test.free.echo", func(ctx context.Context, b []byte) (int, error) {
	return len(b), nil
})

func TestFreeDeletesAtOnce(t *testing.T) {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Shutdown(ctx) })

	ref, err := remote.Put(rt, make([]byte, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if got := rt.Stats().Store.Objects; got != 1 {
		t.Fatalf("objects before Free = %d, want 1", got)
	}
	copyOfRef := ref
	remote.Free(ref)
	remote.Free(ref) // twice is harmless
	if st := rt.Stats().Store; st.Objects != 0 || st.MemoryBytes != 0 {
		t.Fatalf("after Free: %d objects, %d bytes; want 0, 0", st.Objects, st.MemoryBytes)
	}
	if _, err := remote.Get(ctx, copyOfRef); !errors.Is(err, remote.ErrObjectFreed) {
		t.Fatalf("Get after Free: %v, want ErrObjectFreed", err)
	}
	// A task needing a freed object fails and says which argument.
	_, err = freeEcho.Remote(rt, copyOfRef).Get(ctx)
	var te *remote.TaskError
	if !errors.As(err, &te) || te.Func != "test.free.echo" || !errors.Is(err, remote.ErrObjectFreed) {
		t.Fatalf("task on freed arg: %v", err)
	}
}

var (
	objBytes = remote.Register1("test.obj.bytes", func(ctx context.Context, n int) ([]byte, error) {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i % 251)
		}
		return b, nil
	})
	objAlloc  = memory.NewCheckedAllocator(memory.NewGoAllocator())
	objRecord = remote.Register1("test.obj.record", func(ctx context.Context, n int) (arrow.Record, error) {
		b := array.NewInt64Builder(objAlloc)
		defer b.Release()
		for i := range n {
			b.Append(int64(i))
		}
		col := b.NewArray()
		defer col.Release()
		schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
		return array.NewRecord(schema, []arrow.Array{col}, int64(n)), nil
	})
	objSum = remote.Register1("test.obj.sum", func(ctx context.Context, rec arrow.Record) (int64, error) {
		var s int64
		for _, v := range rec.Column(0).(*array.Int64).Int64Values() {
			s += v
		}
		return s, nil
	})
)

// Small results stay with their refs; results past InlineLimit go to the
// store and leave it when their last ref is collected.
func TestResultsInlineOrStored(t *testing.T) {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Shutdown(ctx) })

	small := objBytes.Remote(rt, remote.Val(remote.InlineLimit))
	if b, err := small.Get(ctx); err != nil || len(b) != remote.InlineLimit || b[252] != 1 {
		t.Fatalf("small result: len %d, err %v", len(b), err)
	}
	if n := rt.Stats().Store.Objects; n != 0 {
		t.Fatalf("a result of InlineLimit bytes went to the store (%d objects)", n)
	}
	large := objBytes.Remote(rt, remote.Val(remote.InlineLimit+1))
	if b, err := large.Get(ctx); err != nil || len(b) != remote.InlineLimit+1 || b[remote.InlineLimit] != byte(remote.InlineLimit%251) {
		t.Fatalf("large result: len %d, err %v", len(b), err)
	}
	if st := rt.Stats().Store; st.Objects != 1 || st.MemoryBytes < remote.InlineLimit {
		t.Fatalf("a result past InlineLimit is not in the store: %+v", st)
	}
	large = remote.ObjectRef[[]byte]{} // drop it
	deadline := time.Now().Add(5 * time.Second)
	for rt.Stats().Store.Objects != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the dropped large result is still in the store")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	runtime.KeepAlive(small)
}

// An Arrow record a task returns goes to the store, whatever its size: the
// task's reference passes to the runtime, the store holds its own, and
// nothing is left once the ref is gone and the runtime shut down.
func TestArrowResultOwnership(t *testing.T) {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec := objRecord.Remote(rt, remote.Val(10))
	sum, err := objSum.Remote(rt, rec).Get(ctx)
	if err != nil || sum != 45 {
		t.Fatalf("sum = %d, %v; want 45", sum, err)
	}
	if n := rt.Stats().Store.Objects; n != 1 {
		t.Fatalf("a 10-row record result: %d store objects, want 1", n)
	}
	got, err := rec.Get(ctx)
	if err != nil || got.NumRows() != 10 {
		t.Fatalf("record: %v rows, %v", got, err)
	}
	got = nil
	if err := rt.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(rec)
	objAlloc.AssertSize(t, 0)
}

func TestFreeInlineAndPending(t *testing.T) {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Shutdown(ctx) })
	small := objBytes.Remote(rt, remote.Val(10))
	if _, err := small.Get(ctx); err != nil {
		t.Fatal(err)
	}
	remote.Free(small)
	if _, err := small.Get(ctx); !errors.Is(err, remote.ErrObjectFreed) {
		t.Fatalf("Get of a freed inline result: %v, want ErrObjectFreed", err)
	}
	ready, _, err := remote.Wait(ctx, []remote.ObjectRef[[]byte]{small}, 1, 0)
	if err != nil || len(ready) != 1 {
		t.Fatalf("a freed ref is not pending: ready %v, %v", ready, err)
	}
}

// GetRetained hands the caller its own reference: it outlives the object.
func TestGetRetainedOutlivesObject(t *testing.T) {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := remote.GetRetained(ctx, objRecord.Remote(rt, remote.Val(4)))
	if err != nil {
		t.Fatal(err)
	}
	if err := rt.Shutdown(ctx); err != nil { // frees every object
		t.Fatal(err)
	}
	if got := rec.Column(0).(*array.Int64).Value(3); got != 3 {
		t.Fatalf("row 3 = %d after the store let go, want 3", got)
	}
	rec.Release()
	objAlloc.AssertSize(t, 0)
}

var objCancelled = remote.Register1("test.obj.cancelled", func(ctx context.Context, started chan struct{}) (arrow.Record, error) {
	close(started)
	<-ctx.Done()
	// It still returns an owned record after its cancellation: the runtime
	// must release it, since nobody will ever Get it.
	b := array.NewInt64Builder(objAlloc)
	defer b.Release()
	b.Append(1)
	col := b.NewArray()
	defer col.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	return array.NewRecord(schema, []arrow.Array{col}, 1), nil
})

func TestCancelledTaskOutputReleased(t *testing.T) {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	ref := objCancelled.Remote(rt, remote.Val(started))
	<-started
	if err := remote.Cancel(ref); err != nil {
		t.Fatal(err)
	}
	if _, err := ref.Get(ctx); !errors.Is(err, remote.ErrCancelled) {
		t.Fatalf("Get of a cancelled task: %v, want ErrCancelled", err)
	}
	if err := rt.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	objAlloc.AssertSize(t, 0)
}
