package parquet

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// TestWriteProgress: rows are reported per piece handed to the encoder (at
// most writeBatch rows, cut at row-group ends), never decreasing, ending at
// the total, across the files of a partitioned write too.
func TestWriteProgress(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := []arrow.Record{sortedRecord(mem, 0, 100_000), sortedRecord(mem, 100_000, 0), sortedRecord(mem, 100_000, 50_000)}
	defer release(in)
	var calls []string
	progress := func(done, total int64) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) }
	dir := t.TempDir()
	mustWrite(t, filepath.Join(dir, "p.parquet"), in, WriteOptions{Mem: mem, RowGroupRows: 80_000, Progress: progress})
	// 65536 + 14464 fill the first row group; 20000 finish the record,
	// then the second record (50000 rows) fits the second group's rest.
	if got, want := fmt.Sprint(calls), "[65536/150000 80000/150000 100000/150000 150000/150000]"; got != want {
		t.Errorf("progress %s, want %s", got, want)
	}

	parts := []arrow.Record{allRecord(mem, 0, 10, 0), allRecord(mem, 10, 5, 0)}
	defer release(parts)
	calls = nil
	mustWrite(t, filepath.Join(dir, "hive"), parts, WriteOptions{Mem: mem, PartitionBy: []string{"b"}, Progress: progress})
	// b is true on rows 1, 4, 7, 10 and 13. The b=false file is written
	// first, a piece per record (7 rows, then 3), then b=true (3, then 2).
	if got, want := fmt.Sprint(calls), "[7/15 10/15 13/15 15/15]"; got != want {
		t.Errorf("partitioned progress %s, want %s", got, want)
	}
}
