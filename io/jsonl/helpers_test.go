package jsonl

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// rows renders a result's rows, one string per row, decoding dictionaries,
// so that results cut into different records compare equal.
func rows(recs []arrow.Record) []string {
	var out []string
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			var sb strings.Builder
			for j, c := range r.Columns() {
				if j > 0 {
					sb.WriteByte('|')
				}
				if d, ok := c.(*array.Dictionary); ok && d.IsValid(i) {
					sb.WriteString(d.Dictionary().ValueStr(d.GetValueIndex(i)))
					continue
				}
				sb.WriteString(c.ValueStr(i))
			}
			out = append(out, sb.String())
		}
	}
	return out
}

func schemaString(s *arrow.Schema) string {
	var parts []string
	for _, f := range s.Fields() {
		parts = append(parts, f.Name+":"+f.Type.String())
	}
	return strings.Join(parts, ",")
}

func equalRows(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d:\n got %q\nwant %q", len(got), len(want), got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

// readString reads in with a checked allocator and returns the schema,
// the rows and the skipped count, releasing everything.
func readString(t *testing.T, in string, opt Options) (string, []string, int64) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt.Mem = mem
	res, err := Read(context.Background(), strings.NewReader(in), "in.jsonl", opt)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if res.Bytes != int64(len(in)) {
		t.Fatalf("Bytes = %d, want %d", res.Bytes, len(in))
	}
	return schemaString(res.Schema), rows(res.Records), res.Skipped
}

// readErr reads in, which must fail, and returns the error.
func readErr(t *testing.T, in string, opt Options) error {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt.Mem = mem
	res, err := Read(context.Background(), strings.NewReader(in), "in.jsonl", opt)
	if err == nil {
		res.Release()
		t.Fatalf("no error reading %q", in)
	}
	return err
}

// chunkings are the ways every read test is rerun: one chunk, two, and
// many small ones, serial and parallel.
func chunkings(in string) map[string]Options {
	n := int64(len(in))
	return map[string]Options{
		"1chunk":    {ChunkBytes: n + 1, Parallelism: 1},
		"2chunks":   {ChunkBytes: n/2 + 1, Parallelism: 2},
		"16chunks":  {ChunkBytes: n/16 + 1, Parallelism: 4},
		"tinychunk": {ChunkBytes: 1, Parallelism: 3},
		"default":   {},
	}
}
