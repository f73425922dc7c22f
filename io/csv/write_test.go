package csv

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// testRecords builds two records covering every written type, with nulls,
// empty strings and strings that need quoting.
func testRecords(t *testing.T, mem memory.Allocator) (*arrow.Schema, []arrow.Record) {
	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "c", Type: dictType, Nullable: true},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Nanosecond}, Nullable: true},
		{Name: "tz", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	}, nil)
	strs := []string{"plain", "", "with,comma", "with \"quote\"", "multi\nline\r\nx", "NA", "  spaced "}
	var recs []arrow.Record
	for part := 0; part < 2; part++ {
		b := array.NewRecordBuilder(mem, schema)
		for i := 0; i < 9; i++ {
			k := part*9 + i
			null := k%5 == 4
			if null {
				for c := range schema.Fields() {
					b.Field(c).AppendNull()
				}
				continue
			}
			b.Field(0).(*array.Int64Builder).Append(int64(k*1000 - 7))
			b.Field(1).(*array.Float64Builder).Append([]float64{2, 0.1, -1.5e300, 1e-7, 123456.789}[k%5])
			b.Field(2).(*array.BooleanBuilder).Append(k%2 == 0)
			b.Field(3).(*array.StringBuilder).Append(strs[k%len(strs)])
			if err := b.Field(4).(*array.BinaryDictionaryBuilder).AppendString([]string{"red", "green", "a,b"}[k%3]); err != nil {
				t.Fatal(err)
			}
			ts := time.Date(2024, 1, 2, 3, 4, 5, k*111111111%1e9, time.UTC)
			b.Field(5).(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UnixNano()))
			b.Field(6).(*array.TimestampBuilder).Append(arrow.Timestamp(ts.UnixNano() + int64(k)*3600e9))
			b.Field(7).(*array.Date32Builder).Append(arrow.Date32FromTime(ts.AddDate(0, 0, k*40)))
		}
		recs = append(recs, b.NewRecord())
		b.Release()
	}
	return schema, recs
}

func readBackOptions() Options {
	opt := DefaultOptions()
	opt.Categorical = []string{"c"}
	opt.ParseDates = []string{"ts", "tz"}
	opt.Types = map[string]arrow.DataType{"d": arrow.FixedWidthTypes.Date32}
	return opt
}

func TestWriteRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema, recs := testRecords(t, mem)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	want := dump(&Result{Schema: schema, Records: recs})
	want = strings.Replace(want, "c:dictionary<values=utf8, indices=int32, ordered=false>", "c:dictionary<values=utf8, indices=int32, ordered=false>", 1)
	for _, comp := range []string{"", "gzip", "zstd"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "out.csv")
		opt := DefaultWriteOptions()
		opt.Compression = comp
		if err := WriteFile(context.Background(), path, recs, opt); err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("%d files in dir, want only the final one", len(entries))
		}
		ro := readBackOptions()
		ro.Mem = mem
		ro.ChunkBytes = 64
		res, err := ReadFile(context.Background(), path, ro)
		if err != nil {
			t.Fatal(err)
		}
		if got := dump(res); got != want {
			t.Fatalf("%q: round trip differs:\n%s\nwant\n%s", comp, got, want)
		}
		res.Release()
	}
}

func TestWriteFormat(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	_, recs := testRecords(t, mem)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	path := filepath.Join(t.TempDir(), "x.csv")
	opt := DefaultWriteOptions()
	opt.NullValue = "NULL"
	if err := WriteFile(context.Background(), path, recs[:1], opt); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(string(b), "\n")
	want := []string{
		"i,f,b,s,c,ts,tz,d",
		"-7,2.0,true,plain,red,2024-01-02T03:04:05,2024-01-02T03:04:05Z,2024-01-02",
		`993,0.1,false,"",green,2024-01-02T03:04:05.111111111,2024-01-02T04:04:05.111111111Z,2024-02-11`,
		`1993,-1.5e+300,true,"with,comma","a,b",2024-01-02T03:04:05.222222222,2024-01-02T05:04:05.222222222Z,2024-03-22`,
		`2993,1e-07,false,"with ""quote""",red,2024-01-02T03:04:05.333333333,2024-01-02T06:04:05.333333333Z,2024-05-01`,
		"NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL",
	}
	for i, w := range want {
		if lines[i] != w {
			t.Fatalf("line %d: got %q want %q", i, lines[i], w)
		}
	}
}

func TestWriteDir(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema, recs := testRecords(t, mem)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := filepath.Join(t.TempDir(), "out")
	opt := DefaultWriteOptions()
	opt.Compression = "zstd"
	paths, err := WriteDir(context.Background(), dir, recs, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 || filepath.Base(paths[1]) != "part-00001.csv.zst" {
		t.Fatalf("paths %q", paths)
	}
	ro := readBackOptions()
	ro.Mem = mem
	res, err := ReadFiles(context.Background(), paths, ro)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if got, want := dump(res), dump(&Result{Schema: schema, Records: recs}); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	opt.Compression = "lz4"
	if _, err := WriteDir(context.Background(), dir, recs, opt); !errors.Is(err, ErrOptions) {
		t.Fatalf("err %v", err)
	}
}

func TestWriteFailureLeavesNoFile(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	_, recs := testRecords(t, mem)
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(dir, "x.csv")
	if err := WriteFile(ctx, path, recs, DefaultWriteOptions()); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("left %v behind", entries)
	}
}

func TestWriteProgress(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewInt64Builder(mem)
	b.AppendValues([]int64{1, 22, 333, 4444}, nil)
	col := b.NewArray()
	b.Release()
	defer col.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 4)
	defer rec.Release()
	first, second := rec.NewSlice(0, 2), rec.NewSlice(2, 4)
	defer first.Release()
	defer second.Release()
	var calls [][2]int64
	opt := DefaultWriteOptions()
	opt.Progress = func(done, total int64) { calls = append(calls, [2]int64{done, total}) }
	path := filepath.Join(t.TempDir(), "p.csv")
	if err := WriteFile(context.Background(), path, []arrow.Record{first, second}, opt); err != nil {
		t.Fatal(err)
	}
	// "1\n22\n" is 5 bytes for half the rows, so 10 expected; then "333\n4444\n" makes 14.
	if len(calls) != 2 || calls[0] != [2]int64{5, 10} || calls[1] != [2]int64{14, 14} {
		t.Errorf("progress calls %v, want [[5 10] [14 14]]", calls)
	}
}
