package csv

import (
	"bytes"
	"context"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// FuzzRead checks that a parallel read with tiny ranges equals a serial
// read (one range) for any input and options, and never panics.
func FuzzRead(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n3,4\n"), byte(3), byte(0))
	f.Add([]byte("a,b\n\"x\ny\",2\n\"q\"\"\",4\n5,\"6\n"), byte(1), byte(4))
	f.Add([]byte("a\r\n#c\r\n\"\\\"\"\r\n\n1"), byte(2), byte(3))
	f.Add([]byte(genCSV(30, 9)), byte(5), byte(8))
	f.Fuzz(func(t *testing.T, data []byte, chunk, flags byte) {
		opt := DefaultOptions()
		if flags&1 != 0 {
			opt.Escape = '\\'
		}
		if flags&2 != 0 {
			opt.Comment = '#'
		}
		opt.OnBadLines = BadLines(flags >> 2 % 3)
		opt.Warn = func(string) {}
		if flags&32 != 0 {
			opt.Categorical = []string{"a"}
		}
		if flags&64 != 0 {
			opt.NRows = int64(chunk % 5)
		}
		read := func(chunkBytes int64) (string, int64, error) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			o := opt
			o.Mem = mem
			o.ChunkBytes = chunkBytes
			o.Parallelism = 3
			res, err := Read(context.Background(), bytes.NewReader(data), "f.csv", o)
			if err != nil {
				return "", 0, err
			}
			defer res.Release()
			return dump(res), res.Skipped, nil
		}
		want, wantSkip, wantErr := read(1 << 30)
		got, gotSkip, gotErr := read(int64(chunk%16) + 1)
		if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
			t.Fatalf("errors differ: serial %v, parallel %v", wantErr, gotErr)
		}
		if got != want || gotSkip != wantSkip {
			t.Fatalf("parallel read differs:\n%s(skipped %d)\nserial:\n%s(skipped %d)", got, gotSkip, want, wantSkip)
		}
	})
}
