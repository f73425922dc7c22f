package parquet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// footerCounter counts footer reads per file through testHookFooter until
// the test ends.
func footerCounter(t *testing.T) (counts func() map[string]int) {
	var mu sync.Mutex
	n := map[string]int{}
	testHookFooter = func(path string) {
		mu.Lock()
		n[path]++
		mu.Unlock()
	}
	t.Cleanup(func() { testHookFooter = nil })
	return func() map[string]int {
		mu.Lock()
		defer mu.Unlock()
		out := make(map[string]int, len(n))
		for k, v := range n {
			out[k] = v
		}
		return out
	}
}

// TestDatasetReadsFootersOnce: Open reads each footer once and closes the
// files; Reads, however many and whatever their projection and filter, read
// no footer again and leave no file open, for a file, a glob and a hive
// directory.
func TestDatasetReadsFootersOnce(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "flat"), 0o755); err != nil {
		t.Fatal(err)
	}
	var files []string
	for i, base := range []int{20, 0, 10} {
		r := sortedRecord(mem, base, 10)
		p := filepath.Join(dir, "flat", fmt.Sprintf("f%d.parquet", i))
		mustWrite(t, p, []arrow.Record{r}, WriteOptions{Mem: mem, RowGroupRows: 4})
		r.Release()
		files = append(files, p)
	}
	in := allRecord(mem, 0, 30, 7)
	defer in.Release()
	hive := filepath.Join(dir, "hive")
	mustWrite(t, hive, []arrow.Record{in}, WriteOptions{Mem: mem, PartitionBy: []string{"b"}})
	hiveFiles := []string{
		filepath.Join(hive, "b=__HIVE_DEFAULT_PARTITION__", "part-00000.parquet"),
		filepath.Join(hive, "b=false", "part-00000.parquet"),
		filepath.Join(hive, "b=true", "part-00000.parquet"),
	}

	cases := []struct {
		path    string
		files   []string
		opt     Options
		skipped int
	}{
		{files[1], files[1:2], Options{Columns: []string{"name", "x"}}, 0},
		{filepath.Join(dir, "flat", "f*.parquet"), files, Options{Columns: []string{"x"},
			RowGroupFilter: func(rg RowGroup) bool { return rg.Stats["x"].Max.(int64) >= 15 }}, 4},
		{hive, hiveFiles, Options{Columns: []string{"b", "s"},
			RowGroupFilter: func(rg RowGroup) bool { return rg.Partition["b"] == "true" }}, 2},
	}
	for _, c := range cases {
		c.opt.Mem = mem
		want := mustRead(t, c.path, c.opt)
		if want.Skipped != c.skipped {
			t.Fatalf("%s: Read skipped %d row groups, want %d", c.path, want.Skipped, c.skipped)
		}
		full, err := Schema(ctx, c.path)
		if err != nil {
			t.Fatal(err)
		}
		count := footerCounter(t)
		d, err := Open(ctx, c.path)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		once := map[string]int{}
		for _, f := range c.files {
			once[f] = 1
		}
		if got := count(); !mapsEqual(got, once) {
			t.Errorf("%s: Open read footers %v, want %v", c.path, got, once)
		}
		if !d.Schema().Equal(full) {
			t.Errorf("%s: schema %s, want %s", c.path, d.Schema(), full)
		}
		for range 2 {
			res, err := d.Read(ctx, c.opt)
			if err != nil {
				t.Fatalf("%s: %v", c.path, err)
			}
			if got, w := rows(res.Records), rows(want.Records); !slices.Equal(got, w) ||
				res.Skipped != want.Skipped || !res.Schema.Equal(want.Schema) {
				t.Errorf("%s: rows %q skipped %d, want %q skipped %d", c.path, got, res.Skipped, w, want.Skipped)
			}
			res.Release()
		}
		if got := count(); !mapsEqual(got, once) {
			t.Errorf("%s: after two Reads, footers read %v, want %v", c.path, got, once)
		}
		for _, s := range d.ds.files {
			if s.f != nil {
				t.Errorf("%s: %s left open", c.path, s.path)
			}
		}
		want.Release()
		testHookFooter = nil
	}
}

// TestDatasetFileChanged: a file rewritten after Open has its footer read
// again (its row groups moved); a new schema is an error naming the file.
func TestDatasetFileChanged(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.parquet"), filepath.Join(dir, "b.parquet")
	for i, p := range []string{a, b} {
		r := sortedRecord(mem, 10*i, 10)
		mustWrite(t, p, []arrow.Record{r}, WriteOptions{Mem: mem})
		r.Release()
	}
	count := footerCounter(t)
	d, err := Open(ctx, filepath.Join(dir, "*.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	rewrite := func(p string, r arrow.Record) {
		t.Helper()
		defer r.Release()
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, p, []arrow.Record{r}, WriteOptions{Mem: mem})
		// A coarse clock could leave the time unchanged.
		later := time.Now().Add(time.Hour)
		if err := os.Chtimes(p, later, later); err != nil {
			t.Fatal(err)
		}
	}
	rewrite(b, sortedRecord(mem, 100, 3))
	res, err := d.Read(ctx, Options{Mem: mem, Columns: []string{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "100", "101", "102"}
	if got := rows(res.Records); !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	res.Release()
	if got, w := count(), map[string]int{a: 1, b: 2}; !mapsEqual(got, w) {
		t.Errorf("footers read %v, want %v", got, w)
	}

	rewrite(b, allRecord(mem, 0, 2, 0))
	_, err = d.Read(ctx, Options{Mem: mem})
	now, serr := Schema(ctx, b)
	if serr != nil {
		t.Fatal(serr)
	}
	wantErr := fmt.Sprintf("parquet: files have different schemas: %s changed since it was opened: %s, now %s", b, d.Schema(), now)
	if !errors.Is(err, ErrSchemaMismatch) || err.Error() != wantErr {
		t.Errorf("err %v\nwant %s", err, wantErr)
	}
	if err := os.Remove(b); err != nil {
		t.Fatal(err)
	}
	_, err = d.Read(ctx, Options{Mem: mem})
	if wantErr := fmt.Sprintf("parquet: open %s: no such file or directory", b); err == nil || err.Error() != wantErr {
		t.Errorf("err %v, want %s", err, wantErr)
	}
}

// TestDatasetConcurrentReads shares one Dataset between goroutines (run
// with -race).
func TestDatasetConcurrentReads(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := sortedRecord(mem, 0, 100)
	defer in.Release()
	p := filepath.Join(t.TempDir(), "x.parquet")
	mustWrite(t, p, []arrow.Record{in}, WriteOptions{Mem: mem, RowGroupRows: 10})
	d, err := Open(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := d.Read(ctx, Options{Mem: mem, Parallelism: 2,
				RowGroupFilter: func(rg RowGroup) bool { return rg.Index%4 == g }})
			if err != nil {
				t.Error(err)
				return
			}
			defer res.Release()
			if want := 10 * len(slices.DeleteFunc([]int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, func(i int) bool { return i%4 != g })); rows64(res.Records) != int64(want) {
				t.Errorf("goroutine %d: %d rows, want %d", g, rows64(res.Records), want)
			}
		}()
	}
	wg.Wait()
}

func rows64(recs []arrow.Record) int64 {
	var n int64
	for _, r := range recs {
		n += r.NumRows()
	}
	return n
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
