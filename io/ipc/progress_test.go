package ipc

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// TestWriteProgress: each record written reports the rows so far against
// the total, for files and streams; empty records are not written and add
// no call.
func TestWriteProgress(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := []arrow.Record{makeRecord(t, mem, 0, 30), makeRecord(t, mem, 30, 0), makeRecord(t, mem, 30, 12)}
	defer release(in)
	for _, format := range []string{"file", "stream"} {
		var calls []string
		opt := WriteOptions{Mem: mem, Progress: func(done, total int64) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) }}
		var err error
		if format == "file" {
			err = WriteFile(context.Background(), filepath.Join(t.TempDir(), "p.arrow"), in, opt)
		} else {
			err = WriteStream(context.Background(), &bytes.Buffer{}, in, opt)
		}
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if got, want := fmt.Sprint(calls), "[30/42 42/42]"; got != want {
			t.Errorf("%s: progress %s, want %s", format, got, want)
		}
	}
}

// TestReadProgress: ReadFile reports each batch as an equal share of the
// file, ending at the file's size, never going back (batches finish out of
// order on two workers, but calls are serialized and count batches done).
func TestReadProgress(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := []arrow.Record{makeRecord(t, mem, 0, 10), makeRecord(t, mem, 10, 10), makeRecord(t, mem, 20, 5)}
	defer release(in)
	path := filepath.Join(t.TempDir(), "r.arrow")
	if err := WriteFile(context.Background(), path, in, WriteOptions{Mem: mem}); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	var calls []string
	res, err := ReadFile(context.Background(), path, Options{Mem: mem, Progress: func(done, total int64) {
		calls = append(calls, fmt.Sprintf("%d/%d", done, total))
	}})
	if err != nil {
		t.Fatal(err)
	}
	res.Release()
	size := st.Size()
	want := fmt.Sprint([]string{fmt.Sprintf("%d/%d", size/3, size), fmt.Sprintf("%d/%d", size*2/3, size), fmt.Sprintf("%d/%d", size, size)})
	if got := fmt.Sprint(calls); got != want {
		t.Fatalf("progress %s, want %s", got, want)
	}
}
