package shm

import (
	"bytes"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// FuzzRecordFromIPC: whatever bytes an object holds, reading it as a
// record returns a record or an error, never panics, and gives the mapping
// back exactly once; a record read in place can be read in full. (Records
// that arrow's own reader copies are as safe as that reader.)
func FuzzRecordFromIPC(f *testing.F) {
	for _, rows := range []int{0, 1, 7} {
		rec := testRecord(memory.DefaultAllocator, rows)
		var buf bytes.Buffer
		if err := writeRecord(&buf, rec); err != nil {
			f.Fatal(err)
		}
		rec.Release()
		f.Add(buf.Bytes())
		f.Add(buf.Bytes()[:buf.Len()-8]) // no end-of-stream marker
		f.Add(buf.Bytes()[:buf.Len()/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		released := 0
		rec, zeroCopy, err := recordFromIPC(data, func() { released++ })
		if err != nil {
			if released != 1 {
				t.Fatalf("error %v, mapping released %d times", err, released)
			}
			return
		}
		// Touch every value, as a reader would.
		for _, col := range rec.Columns() {
			if !zeroCopy {
				break
			}
			_ = col.String()
			sl := array.NewSlice(col, 0, int64(col.Len()))
			_ = sl.String()
			sl.Release()
		}
		rec.Release()
		if released != 1 {
			t.Fatalf("mapping released %d times", released)
		}
	})
}
