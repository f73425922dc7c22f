package ipc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// allTypes is a schema with every type the engine stores.
var allTypes = arrow.NewSchema([]arrow.Field{
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "i16", Type: arrow.PrimitiveTypes.Int16, Nullable: true},
	{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "u8", Type: arrow.PrimitiveTypes.Uint8, Nullable: true},
	{Name: "u64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
	{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ls", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	{Name: "d", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
	{Name: "tstz", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "America/New_York"}, Nullable: true},
	{Name: "date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int64), Nullable: true},
}, nil)

// makeRecord builds rows rows of allTypes starting at row off; every
// seventh row is null in every column, and the dictionary column's values
// depend on off so that batches carry different dictionaries.
func makeRecord(t testing.TB, mem memory.Allocator, off, rows int) arrow.Record {
	t.Helper()
	b := array.NewRecordBuilder(mem, allTypes)
	defer b.Release()
	for r := off; r < off+rows; r++ {
		if r%7 == 3 {
			for _, f := range b.Fields() {
				f.AppendNull()
			}
			continue
		}
		b.Field(0).(*array.Int8Builder).Append(int8(r % 100))
		b.Field(1).(*array.Int16Builder).Append(int16(-r))
		b.Field(2).(*array.Int32Builder).Append(int32(r * 3))
		b.Field(3).(*array.Int64Builder).Append(int64(r) << 33)
		b.Field(4).(*array.Uint8Builder).Append(uint8(r))
		b.Field(5).(*array.Uint64Builder).Append(uint64(r) * 1e12)
		b.Field(6).(*array.Float32Builder).Append(float32(r) / 4)
		b.Field(7).(*array.Float64Builder).Append(float64(r) * 1.5)
		b.Field(8).(*array.BooleanBuilder).Append(r%2 == 0)
		b.Field(9).(*array.StringBuilder).Append(fmt.Sprintf("s%d", r))
		b.Field(10).(*array.LargeStringBuilder).Append(strings.Repeat("x", r%5))
		if err := b.Field(11).(*array.BinaryDictionaryBuilder).AppendString(fmt.Sprintf("k%d", (r/10)%4+off%3)); err != nil {
			t.Fatal(err)
		}
		b.Field(12).(*array.TimestampBuilder).Append(arrow.Timestamp(int64(r) * 1_000_003))
		b.Field(13).(*array.TimestampBuilder).Append(arrow.Timestamp(int64(r) * 1_000_000_007))
		b.Field(14).(*array.Date32Builder).Append(arrow.Date32(19000 + r))
		lb := b.Field(15).(*array.ListBuilder)
		lb.Append(true)
		for k := 0; k < r%3; k++ {
			lb.ValueBuilder().(*array.Int64Builder).Append(int64(r + k))
		}
	}
	return b.NewRecord()
}

// logical renders a record's values, decoding dictionaries, so that records
// with different dictionaries but equal values compare equal.
func logical(t testing.TB, recs []arrow.Record) []string {
	t.Helper()
	var out []string
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			var sb strings.Builder
			for j, c := range r.Columns() {
				if d, ok := c.(*array.Dictionary); ok {
					if d.IsNull(i) {
						sb.WriteString("(null)")
					} else {
						sb.WriteString(d.Dictionary().ValueStr(d.GetValueIndex(i)))
					}
				} else {
					sb.WriteString(c.ValueStr(i))
				}
				if j < int(r.NumCols())-1 {
					sb.WriteByte('|')
				}
			}
			out = append(out, sb.String())
		}
	}
	return out
}

func release(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

func equalStrings(t *testing.T, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("row %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, comp := range []string{"", "lz4", "zstd", "none"} {
		for _, format := range []string{"file", "stream"} {
			t.Run(format+"/"+comp, func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				// Batches of different sizes, each with its own dictionary;
				// 40 batches so the parallel file read has work to share.
				var in []arrow.Record
				off := 0
				for i := 0; i < 40; i++ {
					n := 1 + (i*37)%50
					in = append(in, makeRecord(t, mem, off, n))
					off += n
				}
				defer release(in)
				want := logical(t, in)

				res := writeRead(t, format, in, WriteOptions{Compression: comp, Mem: mem}, Options{Mem: mem})
				defer res.Release()
				if !res.Schema.Equal(allTypes) {
					t.Fatalf("schema %v, want %v", res.Schema, allTypes)
				}
				if len(res.Records) != len(in) {
					t.Fatalf("%d records, want %d (order and batch boundaries kept)", len(res.Records), len(in))
				}
				for i := range in {
					if res.Records[i].NumRows() != in[i].NumRows() {
						t.Fatalf("record %d has %d rows, want %d", i, res.Records[i].NumRows(), in[i].NumRows())
					}
				}
				equalStrings(t, logical(t, res.Records), want)
				if format == "stream" {
					// The stream format allows dictionary replacement, so
					// every column comes back physically equal.
					for i := range in {
						if !array.RecordEqual(res.Records[i], in[i]) {
							t.Fatalf("record %d differs", i)
						}
					}
				}
				if res.Bytes <= 0 {
					t.Fatalf("Bytes = %d", res.Bytes)
				}
			})
		}
	}
}

// writeRead writes in with format ("file" or "stream") and reads it back.
func writeRead(t *testing.T, format string, in []arrow.Record, wo WriteOptions, ro Options) *Result {
	t.Helper()
	ctx := context.Background()
	switch format {
	case "file":
		path := filepath.Join(t.TempDir(), "x.arrow")
		if err := WriteFile(ctx, path, in, wo); err != nil {
			t.Fatal(err)
		}
		res, err := ReadFile(ctx, path, ro)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := os.Stat(path)
		if res.Bytes != st.Size() {
			t.Fatalf("Bytes = %d, file has %d", res.Bytes, st.Size())
		}
		return res
	default:
		var buf bytes.Buffer
		if err := WriteStream(ctx, &buf, in, wo); err != nil {
			t.Fatal(err)
		}
		n := int64(buf.Len())
		res, err := ReadStream(ctx, &buf, "mem", ro)
		if err != nil {
			t.Fatal(err)
		}
		if res.Bytes != n {
			t.Fatalf("Bytes = %d, stream has %d", res.Bytes, n)
		}
		return res
	}
}

func TestCompressionShrinks(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewInt64Builder(mem)
	for i := 0; i < 100000; i++ {
		b.Append(int64(i % 10))
	}
	arr := b.NewArray()
	b.Release()
	s := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := array.NewRecord(s, []arrow.Array{arr}, int64(arr.Len()))
	arr.Release()
	defer rec.Release()

	size := map[string]int{}
	for _, c := range []string{"none", "lz4", "zstd"} {
		var buf bytes.Buffer
		if err := WriteStream(context.Background(), &buf, []arrow.Record{rec}, WriteOptions{Compression: c, Mem: mem}); err != nil {
			t.Fatal(err)
		}
		size[c] = buf.Len()
	}
	if size["none"] < 800000 || size["lz4"] > size["none"]/10 || size["zstd"] > size["none"]/10 {
		t.Fatalf("sizes %v: compression not applied", size)
	}
}

func TestProjection(t *testing.T) {
	for _, format := range []string{"file", "stream"} {
		t.Run(format, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			in := []arrow.Record{makeRecord(t, mem, 0, 10), makeRecord(t, mem, 10, 5)}
			defer release(in)
			res := writeRead(t, format, in, WriteOptions{Mem: mem}, Options{Columns: []string{"s", "d", "i8"}, Mem: mem})
			defer res.Release()
			if got := res.Schema.Field(0).Name + " " + res.Schema.Field(1).Name + " " + res.Schema.Field(2).Name; got != "s d i8" || res.Schema.NumFields() != 3 {
				t.Fatalf("schema %v", res.Schema)
			}
			var want []string
			for _, r := range in {
				for i := 0; i < int(r.NumRows()); i++ {
					d := r.Column(11).(*array.Dictionary)
					dv := "(null)"
					if d.IsValid(i) {
						dv = d.Dictionary().ValueStr(d.GetValueIndex(i))
					}
					want = append(want, r.Column(9).ValueStr(i)+"|"+dv+"|"+r.Column(0).ValueStr(i))
				}
			}
			equalStrings(t, logical(t, res.Records), want)

			// An unknown column is an error naming the column.
			var err error
			if format == "file" {
				path := filepath.Join(t.TempDir(), "p.arrow")
				if err := WriteFile(context.Background(), path, in, WriteOptions{Mem: mem}); err != nil {
					t.Fatal(err)
				}
				_, err = ReadFile(context.Background(), path, Options{Columns: []string{"s", "nope"}, Mem: mem})
			} else {
				var buf bytes.Buffer
				if err := WriteStream(context.Background(), &buf, in, WriteOptions{Mem: mem}); err != nil {
					t.Fatal(err)
				}
				_, err = ReadStream(context.Background(), &buf, "st", Options{Columns: []string{"nope"}, Mem: mem})
			}
			if !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), `"nope"`) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	for _, format := range []string{"file", "stream"} {
		t.Run(format, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			empty := makeRecord(t, mem, 0, 0)
			defer empty.Release()
			res := writeRead(t, format, []arrow.Record{empty}, WriteOptions{Mem: mem}, Options{Mem: mem})
			defer res.Release()
			if !res.Schema.Equal(allTypes) || len(res.Records) != 0 {
				t.Fatalf("schema %v, %d records", res.Schema, len(res.Records))
			}
		})
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := makeRecord(t, mem, 0, 20)
	defer rec.Release()

	// Missing, empty, not Arrow and truncated files: errors name the file.
	missing := filepath.Join(dir, "missing.arrow")
	emptyPath := filepath.Join(dir, "empty.arrow")
	garbage := filepath.Join(dir, "garbage.arrow")
	truncated := filepath.Join(dir, "truncated.arrow")
	good := filepath.Join(dir, "good.arrow")
	os.WriteFile(emptyPath, nil, 0o644)
	os.WriteFile(garbage, bytes.Repeat([]byte("not arrow "), 100), 0o644)
	if err := WriteFile(ctx, good, []arrow.Record{rec}, WriteOptions{Compression: "none", Mem: mem}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	for _, p := range []string{missing, emptyPath, garbage, truncated} {
		res, err := ReadFile(ctx, p, Options{Mem: mem})
		if err == nil {
			res.Release()
			t.Fatalf("%s: no error", p)
		}
		if !strings.Contains(err.Error(), p) || !strings.HasPrefix(err.Error(), "ipc: ") {
			t.Fatalf("error %q does not name %s", err, p)
		}
	}
	// Corrupting a batch body (the middle of the file, after the schema):
	// an error, never a panic.
	corrupt := filepath.Join(dir, "corrupt.arrow")
	bad := append([]byte(nil), data...)
	for i := 200; i < len(bad)-200; i++ {
		bad[i] = 0xff
	}
	os.WriteFile(corrupt, bad, 0o644)
	if res, err := ReadFile(ctx, corrupt, Options{Mem: mem}); err == nil {
		res.Release()
	} else if !strings.Contains(err.Error(), corrupt) {
		t.Fatalf("error %q does not name the file", err)
	}

	// Streams: empty and garbage input.
	for _, in := range []string{"", "garbage garbage garbage"} {
		if res, err := ReadStream(ctx, strings.NewReader(in), "in.arrows", Options{Mem: mem}); err == nil {
			res.Release()
			t.Fatalf("%q: no error", in)
		} else if !strings.Contains(err.Error(), "in.arrows") {
			t.Fatalf("error %q does not name the stream", err)
		}
	}

	// Writer errors.
	if err := WriteFile(ctx, filepath.Join(dir, "c.arrow"), []arrow.Record{rec}, WriteOptions{Compression: "brotli"}); !errors.Is(err, ErrCompression) {
		t.Fatalf("err = %v", err)
	}
	if err := WriteStream(ctx, &bytes.Buffer{}, nil, WriteOptions{}); !errors.Is(err, ErrNoRecords) {
		t.Fatalf("err = %v", err)
	}
	other := array.NewRecord(arrow.NewSchema(nil, nil), nil, 0)
	if err := WriteFile(ctx, filepath.Join(dir, "m.arrow"), []arrow.Record{rec, other}, WriteOptions{}); !errors.Is(err, ErrSchema) {
		t.Fatalf("err = %v", err)
	}
	if err := WriteFile(ctx, filepath.Join(dir, "nodir", "x.arrow"), []arrow.Record{rec}, WriteOptions{}); err == nil {
		t.Fatal("no error writing into a missing directory")
	}
	// A cancelled context stops the write and leaves neither the file nor
	// a temporary behind.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := WriteFile(cctx, filepath.Join(dir, "cancel.arrow"), []arrow.Record{rec}, WriteOptions{Mem: mem}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if _, err := ReadFile(cctx, good, Options{Mem: mem}); !errors.Is(err, context.Canceled) {
		t.Fatalf("read err = %v", err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "tmp") || e.Name() == "cancel.arrow" {
			t.Fatalf("left behind %s", e.Name())
		}
	}
}

// TestOverwrite checks that WriteFile replaces an existing file whole.
func TestOverwrite(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := filepath.Join(t.TempDir(), "o.arrow")
	a, b := makeRecord(t, mem, 0, 100), makeRecord(t, mem, 100, 3)
	defer a.Release()
	defer b.Release()
	for _, r := range []arrow.Record{a, b} {
		if err := WriteFile(context.Background(), path, []arrow.Record{r}, WriteOptions{Mem: mem}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ReadFile(context.Background(), path, Options{Mem: mem})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	equalStrings(t, logical(t, res.Records), logical(t, []arrow.Record{b}))
}
