package remote_test

import (
	"bytes"
	"context"
	"errors"
	"hash/crc32"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

var (
	checksumFn = remote.Register1("test.checksum", func(_ context.Context, b []byte) (uint64, error) { return checksum(b), nil })
	// checksumAfter waits for its first argument, then sums the second.
	checksumAfter = remote.Register2("test.checksumAfter", func(_ context.Context, _ int, b []byte) (uint64, error) { return checksum(b), nil })
	makeBytesFn   = remote.Register2("test.makeBytes", func(_ context.Context, key string, n int) ([]byte, error) {
		counter(key).Add(1)
		return make([]byte, n), nil
	})
)

func checksum(b []byte) uint64 { return uint64(crc32.ChecksumIEEE(b)) }

// payload is size bytes, distinct for each i and compressible: a 251-byte
// pattern that depends on i, repeated.
func payload(i, size int) []byte {
	pat := make([]byte, 251)
	for j := range pat {
		pat[j] = byte(j) ^ byte(i*37)
	}
	b := bytes.Repeat(pat, size/len(pat)+1)[:size]
	copy(b, []byte{byte(i), byte(i >> 8), 0xfe, 0xed})
	return b
}

// spillFiles lists the store's files left in dir: spill files and the
// temporary files they are written through.
func spillFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if strings.Contains(e.Name(), ".spill") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestSpillThroughRuntime(t *testing.T) {
	for _, comp := range []remote.Compression{remote.LZ4, remote.Zstd} {
		t.Run(comp.String(), func(t *testing.T) { testSpill(t, comp) })
	}
}

// testSpill puts 20 objects of 256 KB into a 1 MB store. (Spilling is
// pure-Go compression, slow under the race detector: the sizes keep the test
// well under a second.)
func testSpill(t *testing.T, comp remote.Compression) {
	const n, size, capacity = 20, 256 << 10, 1 << 20
	dir := t.TempDir()
	rt := newRuntime(t, remote.Config{NumCPUs: 2, ObjectStoreMemory: capacity, SpillDir: dir, SpillCompression: comp})
	ctx := testCtx(t)

	refs := make([]remote.ObjectRef[[]byte], n)
	for i := range refs {
		ref, err := remote.Put(rt, payload(i, size))
		if err != nil {
			t.Fatalf("Put %d: %v", i, err)
		}
		refs[i] = ref
	}
	st := rt.Stats().Store
	files := spillFiles(t, dir)
	if st.Objects != n || st.SpilledObjects < n-capacity/size || st.MemoryBytes > capacity {
		t.Errorf("after %d Puts of %d bytes into %d: %+v, want %d objects, >= %d spilled, <= %d bytes in memory",
			n, size, capacity, st, n, n-capacity/size, capacity)
	}
	if len(files) != st.SpillFiles || len(files) < n-capacity/size {
		t.Errorf("spill dir holds %d files %v, Stats says %d", len(files), files, st.SpillFiles)
	}
	if st.SpillFileBytes*4 > st.SpilledBytes {
		t.Errorf("%d bytes spilled into %d bytes of %v files: not compressed", st.SpilledBytes, st.SpillFileBytes, comp)
	}

	// Every value comes back exactly, directly and as a task's argument.
	var sums []remote.ObjectRef[uint64]
	for i := 0; i < n; i += 4 {
		sums = append(sums, checksumFn.Remote(rt, refs[i]))
	}
	for i, ref := range refs {
		got := mustGet(t, ctx, ref)
		if want := payload(i, size); !bytes.Equal(got, want) {
			t.Fatalf("Get %d: %d bytes differ from the %d put", i, len(got), len(want))
		}
	}
	for j, ref := range sums {
		if got, want := mustGet(t, ctx, ref), checksum(payload(4*j, size)); got != want {
			t.Errorf("checksum task of object %d = %x, want %x", 4*j, got, want)
		}
	}
	if st := rt.Stats().Store; st.Restores == 0 {
		t.Errorf("no restores after reading spilled objects back: %+v", st)
	}

	// Dropping every ref frees every object and deletes every file.
	refs, sums = nil, nil
	runtime.GC()
	runtime.GC()
	eventually(t, "every object freed and every spill file deleted", true, func() bool {
		st := rt.Stats().Store
		return st.Objects == 0 && st.SpillFiles == 0 && st.MemoryBytes == 0 && len(spillFiles(t, dir)) == 0
	})
}

func TestStoreFullWithoutSpill(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 1, ObjectStoreMemory: 2 << 20, DisableSpill: true, SpillDir: t.TempDir()})
	ctx := testCtx(t)
	key := newKey(t)

	first, err := remote.Put(rt, payload(1, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	second, err := remote.Put(rt, payload(2, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := remote.Put(rt, payload(3, 1<<20)); !errors.Is(err, remote.ErrStoreFull) {
		t.Errorf("Put past capacity: %v, want ErrStoreFull", err)
	}
	_, err = remote.Get(ctx, makeBytesFn.Remote(rt, remote.Val(key), remote.Val(1<<20)))
	if !errors.Is(err, remote.ErrStoreFull) {
		t.Errorf("task result past capacity: %v, want ErrStoreFull", err)
	}
	runtime.KeepAlive(second) // dropped from here on
	if n := counter(key).Load(); n != 1 {
		t.Errorf("makeBytes ran %d times, want 1", n)
	}
	if st := rt.Stats().Store; st.SpillFiles != 0 || st.Spills != 0 {
		t.Errorf("store spilled with DisableSpill: %+v", st)
	}
	// Freed room is usable again.
	eventually(t, "the dropped Put is freed", true, func() bool { return rt.Stats().Store.MemoryBytes <= 1<<20 })
	if _, err := remote.Put(rt, payload(4, 1<<20)); err != nil {
		t.Errorf("Put after room was freed: %v", err)
	}
	if got := mustGet(t, ctx, first); !bytes.Equal(got, payload(1, 1<<20)) {
		t.Errorf("first object changed")
	}
}

// An object whose last ref is dropped while a pending task needs it lives
// until the task ran.
func TestDroppedArgumentKeptForPendingTask(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key, p := newProbe(t)

	gate := held.Remote(rt, remote.Val(key), remote.Val(0))
	p.waitStarted(t, 1)
	res := submitWithDroppedArg(t, rt, gate)
	dropObject(t, rt)
	// Once the dropped sentinel is freed, the store holds only the dropped
	// argument: gate and res are small task results, kept inline with their
	// refs (remote.InlineLimit), not in the store.
	eventually(t, "the sentinel object is freed", true, func() bool { return rt.Stats().Store.Objects <= 1 })
	runtime.GC()
	if got := rt.Stats().Store.Objects; got != 1 {
		t.Errorf("live objects = %d, want 1: the pending task's argument was freed", got)
	}
	p.releaseAll()
	if got, want := mustGet(t, ctx, res), checksum(payload(5, 1<<20)); got != want {
		t.Errorf("checksum of the dropped argument = %x, want %x", got, want)
	}
}

func submitWithDroppedArg(t *testing.T, rt *remote.Runtime, gate remote.ObjectRef[int]) remote.ObjectRef[uint64] {
	x, err := remote.Put(rt, payload(5, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	return checksumAfter.Remote(rt, gate, x)
}

func dropObject(t *testing.T, rt *remote.Runtime) {
	if _, err := remote.Put(rt, 1); err != nil {
		t.Fatal(err)
	}
}

// Once the task ran, it no longer holds its arguments: a dropped argument is
// freed even while the task's result is still referenced.
func TestArgumentFreedAfterTaskRan(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	res := submitWithDroppedArg(t, rt, addFn.Remote(rt, remote.Val(1), remote.Val(1)))
	if got, want := mustGet(t, ctx, res), checksum(payload(5, 1<<20)); got != want {
		t.Fatalf("checksum = %x, want %x", got, want)
	}
	// The argument is the only object in the store (res and the add result
	// are small, kept inline with their refs); dropped, it must go.
	eventually(t, "the task's dropped argument is freed while its result lives", true, func() bool {
		return rt.Stats().Store.Objects == 0
	})
	runtime.KeepAlive(res)
}
