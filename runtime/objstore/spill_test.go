package objstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var compressions = []Compression{LZ4, Zstd}

// forEachCompression runs f once per spill compression.
func forEachCompression(t *testing.T, f func(t *testing.T, c Compression)) {
	for _, c := range compressions {
		t.Run(c.String(), func(t *testing.T) { f(t, c) })
	}
}

// spillFiles lists the files in dir.
func spillFiles(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

type point struct {
	Name   string
	X, Y   float64
	Tags   []string
	Counts map[string]int
}

// roundTrip puts v in a store just big enough for it, pushes it out to disk
// with a filler, reads it back and returns what GetRetained gave, after
// checking the accounting on the way. The caller releases an Arrow result.
func roundTrip(t *testing.T, s *Store, v any) any {
	t.Helper()
	size := SizeOf(v)
	if size == 0 || size > s.capacity {
		t.Fatalf("SizeOf(%T) = %d, does not suit capacity %d", v, size, s.capacity)
	}
	id, err := s.Put(v)
	if err != nil {
		t.Fatal(err)
	}
	filler, err := s.Put(make([]byte, s.capacity))
	if err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	if st.SpilledObjects != 1 || st.SpilledBytes != size || st.MemoryBytes != s.capacity {
		t.Fatalf("after spill: %+v, want 1 spilled object of %d bytes and %d in memory", st, size, s.capacity)
	}
	if _, err := os.Stat(filepath.Join(s.SpillDir(), fmt.Sprintf("%d.spill", id))); err != nil {
		t.Fatalf("spill file: %v", err)
	}
	got, err := s.GetRetained(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	st2 := s.Stats()
	if st2.Restores != st.Restores+1 || st2.MemoryBytes != size {
		t.Errorf("after restore: %+v, want one more restore and %d bytes in memory", st2, size)
	}
	s.Release(filler)
	s.Release(id)
	return got
}

func TestSpillRoundTrip(t *testing.T) {
	forEachCompression(t, func(t *testing.T, c Compression) {
		values := []any{
			12345,
			int8(-3),
			uint32(7),
			3.25,
			true,
			"a string that goes to disk and back",
			[]byte("raw bytes \x00\xff"),
			[]float64{1.5, -2, 3e300, 0},
			[]int{1, 2, 3},
			[]string{"a", "", "c"},
			map[string]int{"x": 1, "y": 2},
			point{Name: "p", X: 1, Y: -1, Tags: []string{"t"}, Counts: map[string]int{"n": 3}},
			&point{Name: "ptr", X: 2},
		}
		s := newStore(t, Options{Capacity: 1 << 10, Compression: c})
		for _, v := range values {
			t.Run(fmt.Sprintf("%T", v), func(t *testing.T) {
				got := roundTrip(t, s, v)
				if reflect.TypeOf(got) != reflect.TypeOf(v) || !reflect.DeepEqual(got, v) {
					t.Errorf("got %#v, want %#v", got, v)
				}
			})
		}
		if st := s.Stats(); st.Objects != 0 || st.SpillFiles != 0 || st.MemoryBytes != 0 {
			t.Errorf("Stats at end = %+v, want empty", st)
		}
		if names := spillFiles(t, s.SpillDir()); len(names) != 0 {
			t.Errorf("files left in the spill directory: %v", names)
		}
	})
}

func TestSpillArrow(t *testing.T) {
	forEachCompression(t, func(t *testing.T, c Compression) {
		mem := checkedAlloc(t)
		s := newStore(t, Options{Capacity: 1 << 20, Compression: c, Allocator: mem})

		rec := testRecord(mem, 5000)
		want := testRecord(memory.NewGoAllocator(), 5000)
		got := roundTrip(t, s, rec).(arrow.Record)
		if !array.RecordEqual(got, want) || !got.Schema().Equal(want.Schema()) {
			t.Errorf("record changed by spilling:\ngot  %v\nwant %v", got.Column(2), want.Column(2))
		}
		if got.Column(1).NullN() != want.Column(1).NullN() {
			t.Errorf("nulls: got %d, want %d", got.Column(1).NullN(), want.Column(1).NullN())
		}
		rec.Release()
		got.Release()

		rec300 := testRecord(mem, 300)
		arr := rec300.Column(2)
		arr.Retain()
		rec300.Release()
		gotArr := roundTrip(t, s, arr).(arrow.Array)
		if !array.Equal(gotArr, arr) {
			t.Errorf("array changed by spilling: got %v, want %v", gotArr, arr)
		}
		arr.Release()
		gotArr.Release()

		r1, r2 := testRecord(mem, 100), testRecord(mem, 50)
		tbl := array.NewTableFromRecords(r1.Schema(), []arrow.Record{r1, r2})
		r1.Release()
		r2.Release()
		gotTbl := roundTrip(t, s, tbl).(arrow.Table)
		if !array.TableEqual(gotTbl, tbl) {
			t.Errorf("table changed by spilling: %d rows, want %d", gotTbl.NumRows(), tbl.NumRows())
		}
		tbl.Release()
		gotTbl.Release()
	})
}

func TestSpillAccounting(t *testing.T) {
	dir := t.TempDir()
	s := newStore(t, Options{Capacity: 100, SpillDir: dir})
	put := func(n int) ID {
		t.Helper()
		id, err := s.Put(bytes.Repeat([]byte{byte(n)}, n))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	check := func(step string, mem int64, spilled, files int, spills, writes, restores int64) {
		t.Helper()
		st := s.Stats()
		if st.MemoryBytes != mem || st.SpilledObjects != spilled || st.SpillFiles != files ||
			st.Spills != spills || st.SpillWrites != writes || st.Restores != restores {
			t.Errorf("%s: %+v\nwant MemoryBytes %d, SpilledObjects %d, SpillFiles %d, Spills %d, SpillWrites %d, Restores %d",
				step, st, mem, spilled, files, spills, writes, restores)
		}
		if got := spillFiles(t, dir); len(got) != files {
			t.Errorf("%s: files on disk %v, want %d", step, got, files)
		}
		if st.Capacity != 100 {
			t.Errorf("%s: Capacity = %d", step, st.Capacity)
		}
	}

	a := put(40)
	b := put(40)
	check("a, b", 80, 0, 0, 0, 0, 0)
	if s.SpillDir() != "" {
		t.Errorf("SpillDir = %q before any spill", s.SpillDir())
	}
	c := put(40) // a is least recently used
	check("c spills a", 80, 1, 1, 1, 1, 0)
	if s.SpillDir() != dir {
		t.Errorf("SpillDir = %q, want %q", s.SpillDir(), dir)
	}
	if !slices.Equal(spillFiles(t, dir), []string{fmt.Sprintf("%d.spill", a)}) {
		t.Errorf("files = %v, want a's", spillFiles(t, dir))
	}
	if got := mustGet(t, s, a).([]byte); len(got) != 40 || got[0] != 40 {
		t.Errorf("a read back wrong: %v", got)
	}
	check("get a spills b", 80, 1, 2, 2, 2, 1)
	mustGet(t, s, c) // now b (on disk), a, c from least to most recent
	d := put(40)     // a goes again; its file is still there
	check("d drops a", 80, 2, 2, 3, 2, 1)

	s.Release(a)
	check("release a", 80, 1, 1, 3, 2, 1)
	s.Release(b)
	check("release b", 80, 0, 0, 3, 2, 1)

	// A value bigger than the capacity goes straight to disk, leaving the
	// others in memory.
	big := put(150)
	check("big", 80, 1, 1, 4, 3, 1)
	if got := mustGet(t, s, big).([]byte); len(got) != 150 {
		t.Errorf("big read back: %d bytes", len(got))
	}
	check("get big", 80, 1, 1, 4, 3, 2) // read back, not kept
	s.Release(big)
	s.Release(c)
	s.Release(d)
	check("end", 0, 0, 0, 4, 3, 2)
	if st := s.Stats(); st.SpilledBytes != 0 || st.SpillFileBytes != 0 || st.Objects != 0 {
		t.Errorf("Stats at end = %+v", st)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("Close removed a spill directory it did not make: %v", err)
	}
}

func TestCloseRemovesSpillDir(t *testing.T) {
	mem := checkedAlloc(t)
	s, err := New(Options{Capacity: 1 << 16, Allocator: mem})
	if err != nil {
		t.Fatal(err)
	}
	rec := testRecord(mem, 2000)
	ids := []ID{}
	for range 3 {
		id, err := s.Put(rec)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rec.Release()
	mustGet(t, s, ids[0]) // back in memory, still with its file
	dir := s.SpillDir()
	if dir == "" || !strings.HasPrefix(filepath.Base(dir), "shoal-spill-") {
		t.Fatalf("SpillDir = %q, want a shoal-spill-* temporary directory", dir)
	}
	if n := len(spillFiles(t, dir)); n == 0 {
		t.Fatal("no spill files")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("spill directory still there after Close: %v", err)
	}
	mem.AssertSize(t, 0)
}

func TestDisableSpill(t *testing.T) {
	s := newStore(t, Options{Capacity: 100, DisableSpill: true})
	if _, err := s.Put(make([]byte, 60)); err != nil {
		t.Fatal(err)
	}
	id, err := s.Put(make([]byte, 70))
	if id != 0 || !errors.Is(err, ErrStoreFull) {
		t.Fatalf("Put over capacity = %d, %v; want 0, ErrStoreFull", id, err)
	}
	for _, want := range []string{"70 bytes", "60 of 100 bytes"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}

	pending := s.NewPending()
	err = s.Seal(pending, make([]byte, 50), nil)
	if !errors.Is(err, ErrStoreFull) {
		t.Fatalf("Seal over capacity: err = %v, want ErrStoreFull", err)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("object %d", pending)) {
		t.Errorf("error %q does not name object %d", err, pending)
	}
	if _, got := s.Get(context.Background(), pending); got != err {
		t.Errorf("Get of the object that did not fit: err = %v, want Seal's %v", got, err)
	}
	st := s.Stats()
	if st.MemoryBytes != 60 || st.SpillFiles != 0 || s.SpillDir() != "" {
		t.Errorf("Stats = %+v, SpillDir %q; want 60 bytes and nothing on disk", st, s.SpillDir())
	}
}

type opaque struct{ data []byte } // unexported: gob would lose it

func TestUnspillableStayInMemory(t *testing.T) {
	s := newStore(t, Options{Capacity: 200})
	o := opaque{make([]byte, 40)}
	oid, _ := s.Put(o)
	eid, _ := s.Put(errors.New(strings.Repeat("e", 30)))
	fid, _ := s.Put(func() {})
	before := s.Stats().MemoryBytes
	id, err := s.Put(make([]byte, 200-before+1))
	if err != nil {
		t.Fatal(err)
	}
	st := s.Stats()
	if st.MemoryBytes != before || st.SpilledObjects != 1 {
		t.Errorf("Stats = %+v; want the unspillable values kept (%d bytes) and the new one on disk", st, before)
	}
	if got := mustGet(t, s, oid).(opaque); len(got.data) != 40 {
		t.Error("opaque value changed")
	}
	mustGet(t, s, eid)
	mustGet(t, s, fid)
	mustGet(t, s, id)

	// With no room and nothing that can be spilled, an unencodable value
	// does not fit.
	_, err = s.Put(opaque{make([]byte, 300)})
	if !errors.Is(err, ErrStoreFull) {
		t.Errorf("unencodable value over capacity: err = %v, want ErrStoreFull", err)
	}
}

func TestSealSpills(t *testing.T) {
	forEachCompression(t, func(t *testing.T, c Compression) {
		s := newStore(t, Options{Capacity: 64, Compression: c})
		var ids []ID
		for i := range 10 {
			id := s.NewPending()
			if err := s.Seal(id, []int64{int64(i), 1, 2, 3, 4, 5}, nil); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		if st := s.Stats(); st.MemoryBytes > 64 || st.SpilledObjects != 9 {
			t.Errorf("Stats = %+v, want 1 object of 48 bytes in memory and 9 spilled", st)
		}
		for i, id := range ids {
			if got := mustGet(t, s, id).([]int64); got[0] != int64(i) || len(got) != 6 {
				t.Errorf("object %d = %v", id, got)
			}
		}
	})
}

func TestConcurrentRestoreDecodesOnce(t *testing.T) {
	forEachCompression(t, func(t *testing.T, c Compression) {
		mem := checkedAlloc(t)
		s := newStore(t, Options{Capacity: 1 << 20, Compression: c, Allocator: mem})
		rec := testRecord(mem, 10000)
		id, _ := s.Put(rec)
		filler, _ := s.Put(make([]byte, 1<<20))
		s.Release(filler) // rec stays on disk
		if st := s.Stats(); st.SpilledObjects != 1 {
			t.Fatalf("Stats = %+v, want rec spilled", st)
		}

		// Hold the first reader until every other Get has had time to find
		// the read in progress.
		started, proceed := make(chan struct{}), make(chan struct{})
		restoreHook = func() {
			close(started)
			<-proceed
		}
		t.Cleanup(func() { restoreHook = nil })

		const readers = 8
		got := make([]any, readers)
		errs := make([]error, readers)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[0], errs[0] = s.Get(context.Background(), id)
		}()
		<-started
		for i := 1; i < readers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], errs[i] = s.Get(context.Background(), id)
			}()
		}
		waitForWaiters(s, id, readers-1)
		close(proceed)
		wg.Wait()

		for i := range readers {
			if errs[i] != nil {
				t.Fatalf("reader %d: %v", i, errs[i])
			}
			if got[i] != got[0] {
				t.Errorf("reader %d got a different record", i)
			}
		}
		if !array.RecordEqual(got[0].(arrow.Record), rec) {
			t.Error("restored record differs")
		}
		if st := s.Stats(); st.Restores != 1 {
			t.Errorf("Restores = %d, want 1", st.Restores)
		}
		rec.Release()
	})
}

// waitForWaiters waits until n Gets wait for id's restore. Tests only.
func waitForWaiters(s *Store, id ID, n int) {
	for {
		s.mu.Lock()
		e := s.objects[id]
		k := int(e.restoring.waiters)
		s.mu.Unlock()
		if k >= n {
			return
		}
		runtime.Gosched()
	}
}

func TestCorruptSpillFile(t *testing.T) {
	damages := map[string]func(path string) error{
		"garbage": func(p string) error { return os.WriteFile(p, []byte("not a spill file"), 0o644) },
		"missing": os.Remove,
		"truncated": func(p string) error {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, b[:len(b)/2], 0o644)
		},
	}
	forEachCompression(t, func(t *testing.T, c Compression) {
		for name, damage := range damages {
			t.Run(name, func(t *testing.T) {
				mem := checkedAlloc(t)
				s := newStore(t, Options{Capacity: 1 << 16, Compression: c, Allocator: mem})
				rec := testRecord(mem, 1000)
				id, _ := s.Put(rec)
				rec.Release()
				filler, _ := s.Put(make([]byte, 1<<16))
				path := filepath.Join(s.SpillDir(), fmt.Sprintf("%d.spill", id))
				if err := damage(path); err != nil {
					t.Fatal(err)
				}
				s.Release(filler)
				_, err := s.Get(context.Background(), id)
				if !errors.Is(err, ErrObjectLost) {
					t.Fatalf("err = %v, want ErrObjectLost", err)
				}
				if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("object %d", id)) || !strings.Contains(msg, path) {
					t.Errorf("error %q does not name the object and its file", msg)
				}
				if st := s.Stats(); st.MemoryBytes != 0 || st.Restores != 0 {
					t.Errorf("Stats after a failed restore = %+v", st)
				}
				s.Release(id)
			})
		}
	})
}

// TestConcurrentUse hammers a small store from many goroutines, so that
// values spill and come back all the time, and checks every value read.
func TestConcurrentUse(t *testing.T) {
	forEachCompression(t, func(t *testing.T, c Compression) {
		mem := checkedAlloc(t)
		s := newStore(t, Options{Capacity: 8 << 10, Compression: c, Allocator: mem})
		const goroutines, ops = 16, 300
		seed := rand.Uint64()
		t.Logf("seed %d", seed)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(seed, uint64(g)))
				var live []ID
				var want []any
				for i := range ops {
					switch op := rng.IntN(10); {
					case op < 4 || len(live) == 0:
						v := randomValue(rng, mem)
						var id ID
						var err error
						if op%2 == 0 {
							id, err = s.Put(v)
						} else {
							id = s.NewPending()
							err = s.Seal(id, v, nil)
						}
						if err != nil {
							t.Errorf("goroutine %d op %d: %v", g, i, err)
							return
						}
						live, want = append(live, id), append(want, v)
					case op < 8:
						k := rng.IntN(len(live))
						// Other goroutines may spill the object, and so
						// Release the store's Arrow reference, at any time:
						// hold one of our own while reading.
						got, err := s.GetRetained(context.Background(), live[k])
						if err != nil {
							t.Errorf("goroutine %d: Get: %v", g, err)
							return
						}
						if !sameValue(got, want[k]) {
							t.Errorf("goroutine %d: Get(%d) = %v, want %v", g, live[k], got, want[k])
						}
						releaseValue(got)
					default:
						k := rng.IntN(len(live))
						s.Release(live[k])
						releaseValue(want[k])
						live, want = slices.Delete(live, k, k+1), slices.Delete(want, k, k+1)
					}
				}
				for k, id := range live {
					s.Release(id)
					releaseValue(want[k])
				}
			}()
		}
		wg.Wait()
		st := s.Stats()
		if st.Objects != 0 || st.MemoryBytes != 0 || st.SpillFiles != 0 || st.SpilledObjects != 0 {
			t.Errorf("Stats at end = %+v, want empty", st)
		}
		if dir := s.SpillDir(); dir != "" {
			if names := spillFiles(t, dir); len(names) != 0 {
				t.Errorf("files left: %v", names)
			}
		}
		t.Logf("%d spills, %d writes, %d restores", st.Spills, st.SpillWrites, st.Restores)
	})
}

func randomValue(rng *rand.Rand, mem memory.Allocator) any {
	n := rng.IntN(400)
	switch rng.IntN(5) {
	case 0:
		return rng.Int()
	case 1:
		return strings.Repeat("s", n+1)
	case 2:
		f := make([]float64, n+1)
		for i := range f {
			f[i] = rng.Float64()
		}
		return f
	case 3:
		return point{Name: fmt.Sprint(n), X: float64(n), Tags: []string{"a", "b"}}
	}
	return testRecord(mem, n+1)
}

func sameValue(got, want any) bool {
	if r, ok := want.(arrow.Record); ok {
		g, ok := got.(arrow.Record)
		return ok && array.RecordEqual(g, r)
	}
	return reflect.DeepEqual(got, want)
}

func TestSpillFileFormat(t *testing.T) {
	magic := map[Compression][]byte{
		LZ4:  {0x04, 0x22, 0x4d, 0x18},
		Zstd: {0x28, 0xb5, 0x2f, 0xfd},
	}
	forEachCompression(t, func(t *testing.T, c Compression) {
		s := newStore(t, Options{Capacity: 10, Compression: c})
		id, err := s.Put(strings.Repeat("abc", 100)) // straight to disk
		if err != nil {
			t.Fatal(err)
		}
		names := spillFiles(t, s.SpillDir())
		if want := fmt.Sprintf("%d.spill", id); !slices.Equal(names, []string{want}) {
			t.Fatalf("files = %v, want [%s]", names, want)
		}
		b, err := os.ReadFile(filepath.Join(s.SpillDir(), names[0]))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, magic[c]) {
			t.Errorf("file starts % x, want the %v magic % x", b[:4], c, magic[c])
		}
		if st := s.Stats(); st.SpillFileBytes != int64(len(b)) || st.SpillFileBytes >= 300 {
			t.Errorf("SpillFileBytes = %d, file has %d bytes (of 300 before compression)", st.SpillFileBytes, len(b))
		}
	})
}
