//go:build linux || darwin || freebsd

package csv

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A mapped file truncated after the read started must give an error naming
// the file, not crash the process with SIGBUS.
func TestTruncatedMappedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shrinks.csv")
	data := "a,b\n" + strings.Repeat("12345,67890\n", 100_000)
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	in, err := openFile(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.close()
	if !in.mapped {
		t.Fatal("a regular file was not mapped")
	}
	r, err := prepare(ctx, []*input{in}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
	w := &worker{tok: newTokenizer(&r.opt)}
	done := make(chan *rangeResult)
	go func() { // as in parallel: faults become panics only where asked
		defer close(done)
		setPanicOnFault()
		done <- r.parseRangeGuarded(ctx, task{in: in, cut: in.dataStart, exact: true, limit: in.size}, w)
	}()
	res := <-done
	if res.ioErr == nil || !strings.Contains(res.ioErr.Error(), path+": the file changed while it was read") {
		t.Fatalf("got %v, want an error naming %s", res.ioErr, path)
	}
}

// Ranges parse a mapped file and a stream in place; both must equal ranges
// read with ReadAt into buffers, at several chunk sizes.
func TestMappedEqualsStream(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,name,x\n")
	for i := range 5000 {
		b.WriteString(strings.Repeat("\"q,\n\"\"\"", i%3))
		b.WriteString(",n")
		b.WriteString(strings.Repeat("z", i%17))
		b.WriteString(",1.5\n")
	}
	path := filepath.Join(t.TempDir(), "m.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, chunk := range []int64{1 << 10, 7 << 10, 1 << 20} {
		opt := DefaultOptions()
		opt.ChunkBytes = chunk
		fromFile, err := ReadFile(context.Background(), path, opt)
		if err != nil {
			t.Fatal(err)
		}
		fromStream, err := Read(context.Background(), strings.NewReader(b.String()), "m.csv", opt)
		if err != nil {
			t.Fatal(err)
		}
		in, err := openFile(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		in.mem, in.mapped = nil, false // ranges copied with ReadAt, as without mmap
		copied, err := read(context.Background(), []*input{in}, opt)
		in.close()
		if err != nil {
			t.Fatal(err)
		}
		want := dump(copied)
		if got := dump(fromFile); got != want || rows(fromFile) != 5000 {
			t.Fatalf("chunk %d: %d rows; the mapped file and ReadAt differ", chunk, rows(fromFile))
		}
		if got := dump(fromStream); got != want {
			t.Fatalf("chunk %d: the stream and ReadAt differ", chunk)
		}
		fromFile.Release()
		fromStream.Release()
		copied.Release()
	}
}
