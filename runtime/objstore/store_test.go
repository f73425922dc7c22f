package objstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// newStore returns a store closed at the end of the test.
func newStore(t testing.TB, opts Options) *Store {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// checkedAlloc returns an allocator that fails the test if any byte is
// still allocated when the test's cleanups have run (stores close first).
func checkedAlloc(t *testing.T) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

// testRecord makes a record of n rows with an int64 column, a float64 column
// with nulls and a string column with nulls.
func testRecord(mem memory.Allocator, n int) arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	ids := b.Field(0).(*array.Int64Builder)
	xs := b.Field(1).(*array.Float64Builder)
	names := b.Field(2).(*array.StringBuilder)
	for i := range n {
		ids.Append(int64(i))
		if i%3 == 0 {
			xs.AppendNull()
		} else {
			xs.Append(float64(i) / 2)
		}
		if i%5 == 0 {
			names.AppendNull()
		} else {
			names.Append(fmt.Sprintf("row-%d", i))
		}
	}
	return b.NewRecord()
}

func mustGet(t testing.TB, s *Store, id ID) any {
	t.Helper()
	v, err := s.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("Get(%d): %v", id, err)
	}
	return v
}

func TestPutGetRelease(t *testing.T) {
	s := newStore(t, Options{})
	id, err := s.Put(42)
	if err != nil {
		t.Fatal(err)
	}
	if id != 1 {
		t.Errorf("first ID = %d, want 1", id)
	}
	if got := mustGet(t, s, id); got != 42 {
		t.Errorf("Get = %v, want 42", got)
	}
	if v, err, ok := s.TryGet(id); !ok || err != nil || v != 42 {
		t.Errorf("TryGet = %v, %v, %v; want 42, nil, true", v, err, ok)
	}
	if !s.Ready(id) {
		t.Error("Ready = false for a sealed object")
	}
	if st := s.Stats(); st.Objects != 1 || st.MemoryBytes != 8 {
		t.Errorf("Stats = %+v, want 1 object of 8 bytes", st)
	}
	if err := s.AddRef(id); err != nil {
		t.Fatal(err)
	}
	if !s.Release(id) {
		t.Error("Release of a live object = false")
	}
	if got := mustGet(t, s, id); got != 42 {
		t.Errorf("Get after one of two Releases = %v, want 42", got)
	}
	if !s.Release(id) {
		t.Error("last Release = false")
	}
	if st := s.Stats(); st.Objects != 0 || st.MemoryBytes != 0 {
		t.Errorf("Stats after free = %+v, want empty", st)
	}
	if _, err := s.Get(context.Background(), id); !errors.Is(err, ErrObjectFreed) {
		t.Errorf("Get of freed id: err = %v, want ErrObjectFreed", err)
	}
	if _, err, ok := s.TryGet(id); !ok || !errors.Is(err, ErrObjectFreed) {
		t.Errorf("TryGet of freed id = %v, %v; want ErrObjectFreed, true", err, ok)
	}
	if err := s.AddRef(id); !errors.Is(err, ErrObjectFreed) {
		t.Errorf("AddRef of freed id: err = %v, want ErrObjectFreed", err)
	}
	if s.Release(id) {
		t.Error("Release of a freed id = true")
	}
	if s.Ready(id) || s.Ready(999) {
		t.Error("Ready = true for a freed or unknown id")
	}
	if _, err := s.Get(context.Background(), 0); !errors.Is(err, ErrObjectFreed) {
		t.Errorf("Get(0): err = %v, want ErrObjectFreed", err)
	}
	if err := s.AddRef(0); err == nil || !strings.Contains(err.Error(), "object 0") {
		t.Errorf("AddRef(0): err = %v, want one naming object 0", err)
	}
}

func TestIDsIncrease(t *testing.T) {
	s := newStore(t, Options{})
	var last ID
	for i := range 10 {
		var id ID
		if i%2 == 0 {
			id = s.NewPending()
		} else {
			id, _ = s.Put(i)
		}
		if id <= last {
			t.Fatalf("ID %d after %d", id, last)
		}
		last = id
	}
}

func TestGetBlocksUntilSeal(t *testing.T) {
	s := newStore(t, Options{})
	id := s.NewPending()
	if s.Ready(id) {
		t.Error("Ready = true before Seal")
	}
	if _, _, ok := s.TryGet(id); ok {
		t.Error("TryGet ok before Seal")
	}
	type result struct {
		v   any
		err error
	}
	done := make(chan result, 3)
	for range 3 {
		go func() {
			v, err := s.Get(context.Background(), id)
			done <- result{v, err}
		}()
	}
	select {
	case r := <-done:
		t.Fatalf("Get returned %v before Seal", r)
	case <-time.After(20 * time.Millisecond):
	}
	if err := s.Seal(id, "hello", nil); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r := <-done; r.err != nil || r.v != "hello" {
			t.Errorf("Get = %v, %v; want hello", r.v, r.err)
		}
	}
	if err := s.Seal(id, "again", nil); !errors.Is(err, ErrSealed) {
		t.Errorf("second Seal: err = %v, want ErrSealed", err)
	}
}

func TestGetHonoursContext(t *testing.T) {
	s := newStore(t, Options{})
	id := s.NewPending()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := s.Get(ctx, id)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want DeadlineExceeded", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("object %d", id)) {
		t.Errorf("err = %q, want it to name the object", err)
	}
	// The object is unaffected: a later Seal and Get work.
	if err := s.Seal(id, 7, nil); err != nil {
		t.Fatal(err)
	}
	if got := mustGet(t, s, id); got != 7 {
		t.Errorf("Get = %v, want 7", got)
	}
}

func TestReleaseWakesWaiters(t *testing.T) {
	s := newStore(t, Options{})
	id := s.NewPending()
	done := make(chan error, 1)
	go func() {
		_, err := s.Get(context.Background(), id)
		done <- err
	}()
	time.Sleep(5 * time.Millisecond)
	s.Release(id)
	if err := <-done; !errors.Is(err, ErrObjectFreed) {
		t.Errorf("waiter err = %v, want ErrObjectFreed", err)
	}
}

type taskError struct{ msg string }

func (e *taskError) Error() string { return e.msg }

func TestSealErrorIdentity(t *testing.T) {
	s := newStore(t, Options{Capacity: 10})
	id := s.NewPending()
	sealed := &taskError{"task 3 panicked: boom"}
	if err := s.Seal(id, "ignored", sealed); err != nil {
		t.Fatal(err)
	}
	v, err := s.Get(context.Background(), id)
	if v != nil {
		t.Errorf("value = %v, want nil", v)
	}
	if err != error(sealed) {
		t.Errorf("err = %#v, want the sealed error itself", err)
	}
	var te *taskError
	if !errors.As(err, &te) || te != sealed {
		t.Errorf("errors.As did not find the sealed *taskError")
	}
	if _, err, ok := s.TryGet(id); !ok || err != error(sealed) {
		t.Errorf("TryGet err = %v, ok = %v; want the sealed error", err, ok)
	}
	// Errors are not charged to the capacity.
	if st := s.Stats(); st.MemoryBytes != 0 {
		t.Errorf("MemoryBytes = %d after sealing an error, want 0", st.MemoryBytes)
	}
}

func TestOnSealed(t *testing.T) {
	s := newStore(t, Options{})

	sealedID, _ := s.Put(1)
	var calls atomic.Int32
	s.OnSealed(sealedID, func() { calls.Add(1) })
	if calls.Load() != 1 {
		t.Error("OnSealed of a sealed object did not run at once")
	}
	s.OnSealed(12345, func() { calls.Add(1) })
	if calls.Load() != 2 {
		t.Error("OnSealed of an unknown object did not run at once")
	}

	id := s.NewPending()
	var ready [3]bool
	for i := range ready {
		// The store's lock must be released when callbacks run.
		s.OnSealed(id, func() { ready[i] = s.Ready(id) })
	}
	if ready != [3]bool{} {
		t.Fatal("OnSealed of a pending object ran before Seal")
	}
	if err := s.Seal(id, 2, nil); err != nil {
		t.Fatal(err)
	}
	if ready != [3]bool{true, true, true} {
		t.Errorf("callbacks saw Ready = %v, want all true", ready)
	}

	freed := s.NewPending()
	ran := false
	s.OnSealed(freed, func() { ran = true })
	s.Release(freed)
	if !ran {
		t.Error("OnSealed callback did not run when the pending object was freed")
	}
}

func TestSealAfterFree(t *testing.T) {
	mem := checkedAlloc(t)
	s := newStore(t, Options{})
	rec := testRecord(mem, 100)
	id := s.NewPending()
	s.Release(id)
	if err := s.Seal(id, rec, nil); err != nil {
		t.Errorf("Seal of a freed object: err = %v, want nil", err)
	}
	if st := s.Stats(); st.Objects != 0 || st.MemoryBytes != 0 {
		t.Errorf("Stats = %+v, want empty", st)
	}
	rec.Release()
	mem.AssertSize(t, 0)
}

func TestArrowZeroCopy(t *testing.T) {
	mem := checkedAlloc(t)
	s := newStore(t, Options{})
	rec := testRecord(mem, 1000)
	id, err := s.Put(rec)
	if err != nil {
		t.Fatal(err)
	}
	outstanding := mem.CurrentAlloc()
	rec.Release() // the store holds its own reference
	got := mustGet(t, s, id).(arrow.Record)
	if got != rec {
		t.Fatal("Get returned a different record than Put")
	}
	if mem.CurrentAlloc() != outstanding {
		t.Errorf("Put/Get allocated: %d bytes, then %d", outstanding, mem.CurrentAlloc())
	}
	if got.NumRows() != 1000 || got.Column(2).(*array.String).Value(1) != "row-1" {
		t.Error("record unreadable after the caller's Release")
	}
	if st := s.Stats(); st.MemoryBytes != SizeOf(rec) {
		t.Errorf("MemoryBytes = %d, want SizeOf = %d", st.MemoryBytes, SizeOf(rec))
	}

	// GetRetained gives the caller a reference that outlives the object.
	kept, err := s.GetRetained(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	s.Release(id)
	if kept.(arrow.Record).NumRows() != 1000 {
		t.Error("retained record unreadable after free")
	}
	kept.(arrow.Record).Release()
	mem.AssertSize(t, 0)

	// Pending objects too.
	rec = testRecord(mem, 10)
	id = s.NewPending()
	if err := s.Seal(id, rec, nil); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	if mustGet(t, s, id) != rec {
		t.Error("Get after Seal returned a different record")
	}
	s.Release(id)
	mem.AssertSize(t, 0)
}

func TestClose(t *testing.T) {
	mem := checkedAlloc(t)
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := testRecord(mem, 10)
	if _, err := s.Put(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	id := s.NewPending()
	called := make(chan struct{})
	s.OnSealed(id, func() { close(called) })
	done := make(chan error, 1)
	go func() {
		_, err := s.Get(context.Background(), id)
		done <- err
	}()
	time.Sleep(5 * time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, ErrClosed) {
		t.Errorf("pending Get: err = %v, want ErrClosed", err)
	}
	<-called
	mem.AssertSize(t, 0)

	if _, err := s.Put(1); !errors.Is(err, ErrClosed) {
		t.Errorf("Put after Close: err = %v, want ErrClosed", err)
	}
	if id := s.NewPending(); id != 0 {
		t.Errorf("NewPending after Close = %d, want 0", id)
	}
	if err := s.Seal(id, 1, nil); !errors.Is(err, ErrClosed) {
		t.Errorf("Seal after Close: err = %v, want ErrClosed", err)
	}
	if _, err := s.Get(context.Background(), id); !errors.Is(err, ErrClosed) {
		t.Errorf("Get after Close: err = %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestNewRejectsUnknownCompression(t *testing.T) {
	if _, err := New(Options{Compression: 9}); err == nil {
		t.Error("New accepted Compression(9)")
	}
}
