package jsonl

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// TestWriteProgress: rows are reported every 4096 and at each record's
// end, never decreasing, ending at the total; an empty record adds no call.
func TestWriteProgress(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	recs := []arrow.Record{makeRecord(t, mem, 0, 10000), makeRecord(t, mem, 10000, 0), makeRecord(t, mem, 10000, 8192), makeRecord(t, mem, 18192, 5)}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	var calls []string
	opt := WriteOptions{Progress: func(done, total int64) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) }}
	if err := WriteFile(context.Background(), filepath.Join(t.TempDir(), "p.jsonl"), recs, opt); err != nil {
		t.Fatal(err)
	}
	want := "[4096/18197 8192/18197 10000/18197 14096/18197 18192/18197 18197/18197]"
	if got := fmt.Sprint(calls); got != want {
		t.Errorf("progress %s, want %s", got, want)
	}
}

// TestReadProgress: every byte range parsed is reported once; done never
// goes back and ends equal to total, the input's size times the passes.
func TestReadProgress(t *testing.T) {
	var sb strings.Builder
	for i := range 5000 {
		if i == 2711 {
			sb.WriteString(`{"a": 1.5, "b": "x"}` + "\n") // widens a past the sample
			continue
		}
		fmt.Fprintf(&sb, `{"a": %d, "b": "r%d"}`+"\n", i, i)
	}
	path := filepath.Join(t.TempDir(), "r.jsonl")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	size := int64(sb.Len())
	for _, lines := range []int{10, 100000} {
		var dones, totals []int64
		res, err := ReadFile(context.Background(), path, Options{ChunkBytes: 4096, SampleLines: lines, Progress: func(done, total int64) {
			dones, totals = append(dones, done), append(totals, total)
		}})
		if err != nil {
			t.Fatal(err)
		}
		res.Release()
		last := len(dones) - 1
		if last < 10 || dones[last] != totals[last] || totals[last]%size != 0 {
			t.Fatalf("sample %d: %d calls, last %d/%d (size %d)", lines, len(dones), dones[last], totals[last], size)
		}
		for i := 1; i < len(dones); i++ {
			if dones[i] < dones[i-1] {
				t.Fatalf("sample %d: done went back: %d after %d", lines, dones[i], dones[i-1])
			}
		}
		// A 10-line sample misses the float: a second pass parses again.
		if passes := map[int]int64{10: 2, 100000: 1}[lines]; totals[last] != passes*size {
			t.Fatalf("sample %d: total %d, want %d passes of %d", lines, totals[last], passes, size)
		}
	}
}
