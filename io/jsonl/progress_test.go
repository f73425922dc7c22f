package jsonl

import (
	"context"
	"fmt"
	"path/filepath"
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
