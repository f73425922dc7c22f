package jsonl

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var ny = &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "America/New_York"}

var allTypes = arrow.NewSchema([]arrow.Field{
	{Name: "i8", Type: arrow.PrimitiveTypes.Int8, Nullable: true},
	{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "u64", Type: arrow.PrimitiveTypes.Uint64, Nullable: true},
	{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "ls", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	{Name: "d", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
	{Name: "tstz", Type: ny, Nullable: true},
	{Name: "date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
}, nil)

// makeRecord builds rows of allTypes from off; every fifth row is null.
func makeRecord(t testing.TB, mem memory.Allocator, off, n int) arrow.Record {
	t.Helper()
	b := array.NewRecordBuilder(mem, allTypes)
	defer b.Release()
	for r := off; r < off+n; r++ {
		if r%5 == 2 {
			for _, f := range b.Fields() {
				f.AppendNull()
			}
			continue
		}
		b.Field(0).(*array.Int8Builder).Append(int8(r%200 - 100))
		b.Field(1).(*array.Int32Builder).Append(int32(r * 1000))
		b.Field(2).(*array.Int64Builder).Append(int64(r)<<40 - 7)
		b.Field(3).(*array.Uint64Builder).Append(math.MaxUint64 - uint64(r))
		b.Field(4).(*array.Float32Builder).Append(float32(r) / 3)
		b.Field(5).(*array.Float64Builder).Append(float64(r) * 0.1)
		b.Field(6).(*array.BooleanBuilder).Append(r%3 == 0)
		b.Field(7).(*array.StringBuilder).Append(fmt.Sprintf("s\"%d\\\n\t\x01é", r))
		b.Field(8).(*array.LargeStringBuilder).Append(strings.Repeat("x", r%4))
		if err := b.Field(9).(*array.BinaryDictionaryBuilder).AppendString(fmt.Sprintf("k%d", r%3)); err != nil {
			t.Fatal(err)
		}
		b.Field(10).(*array.TimestampBuilder).Append(arrow.Timestamp(int64(r) * 1_000_003_001))
		b.Field(11).(*array.TimestampBuilder).Append(arrow.Timestamp(int64(r) * 86_400_000_000_123))
		b.Field(12).(*array.Date32Builder).Append(arrow.Date32(r*37 - 500))
	}
	return b.NewRecord()
}

func TestRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := []arrow.Record{makeRecord(t, mem, 0, 40), makeRecord(t, mem, 40, 0), makeRecord(t, mem, 40, 23)}
	defer func() {
		for _, r := range in {
			r.Release()
		}
	}()
	path := filepath.Join(t.TempDir(), "all.jsonl")
	if err := WriteFile(context.Background(), path, in, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	types := map[string]arrow.DataType{}
	for _, f := range allTypes.Fields() {
		switch f.Type.ID() {
		case arrow.INT64, arrow.FLOAT64, arrow.BOOL, arrow.STRING:
			// inferred
		default:
			types[f.Name] = f.Type
		}
	}
	for cname, opt := range chunkings(strings.Repeat("x", 3000)) {
		t.Run(cname, func(t *testing.T) {
			opt.Types, opt.Mem = types, mem
			res, err := ReadFile(context.Background(), path, opt)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Release()
			if !res.Schema.Equal(allTypes) {
				t.Fatalf("schema %v", res.Schema)
			}
			equalRows(t, rows(res.Records), rows(in))
			// Beyond the rendering, the values are bit-equal (floats
			// included) once dictionaries are set aside.
			tbl := array.NewTableFromRecords(res.Schema, res.Records)
			defer tbl.Release()
			want := array.NewTableFromRecords(allTypes, in)
			defer want.Release()
			for j := 0; j < int(allTypes.NumFields()); j++ {
				if j == 9 {
					continue
				}
				a, _ := array.Concatenate(tbl.Column(j).Data().Chunks(), mem)
				b, _ := array.Concatenate(want.Column(j).Data().Chunks(), mem)
				if !array.Equal(a, b) {
					t.Errorf("column %s differs:\n got %v\nwant %v", allTypes.Field(j).Name, a, b)
				}
				a.Release()
				b.Release()
			}
		})
	}
}

func TestWriteFormat(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: `k"ey`, Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "t", Type: ny, Nullable: true},
		{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
		{Name: "st", Type: arrow.StructOf(arrow.Field{Name: "x", Type: arrow.PrimitiveTypes.Int8, Nullable: true}), Nullable: true},
		{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "n", Type: arrow.Null, Nullable: true},
	}, nil)
	rec, _, err := array.RecordFromJSON(mem, schema, strings.NewReader(`[
		{"f": 1, "k\"ey": "a\u0001<\"\\", "t": "2024-01-02T03:04:05.123Z", "l": [1, null, 3], "st": {"x": 5}, "bin": "AQI="},
		{"f": 0.1, "k\"ey": null, "t": null, "l": [], "st": null, "bin": null},
		{"f": 1e300, "k\"ey": "", "t": "2024-07-01T00:00:00Z", "l": null, "st": {"x": null}, "bin": ""}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	nan := makeFloats(mem, math.NaN(), math.Inf(1), math.Copysign(0, -1), 123456789012345678)
	defer nan.Release()

	var buf bytes.Buffer
	if err := Write(context.Background(), &buf, []arrow.Record{rec, nan}, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	want := `{"f":1.0,"k\"ey":"a\u0001<\"\\","t":"2024-01-01T22:04:05.123-05:00","l":[1,null,3],"st":{"x":5},"bin":"AQI=","n":null}
{"f":0.1,"k\"ey":null,"t":null,"l":[],"st":null,"bin":null,"n":null}
{"f":1e+300,"k\"ey":"","t":"2024-06-30T20:00:00-04:00","l":null,"st":{"x":null},"bin":"","n":null}
{"x":null}
{"x":null}
{"x":-0.0}
{"x":1.2345678901234568e+17}
`
	if buf.String() != want {
		t.Fatalf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func makeFloats(mem memory.Allocator, v ...float64) arrow.Record {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.AppendValues(v, nil)
	a := b.NewArray()
	defer a.Release()
	return array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Float64}}, nil), []arrow.Array{a}, int64(len(v)))
}

func TestWriteFileErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := makeRecord(t, mem, 0, 10)
	defer rec.Release()
	dir := t.TempDir()
	if err := WriteFile(context.Background(), filepath.Join(dir, "no", "x.jsonl"), []arrow.Record{rec}, WriteOptions{}); err == nil {
		t.Fatal("no error writing into a missing directory")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := WriteFile(ctx, filepath.Join(dir, "c.jsonl"), []arrow.Record{rec}, WriteOptions{}); err == nil {
		t.Fatal("no error with a cancelled context")
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Fatalf("left behind %v", ents)
	}
	// No records: an empty file.
	p := filepath.Join(dir, "empty.jsonl")
	if err := WriteFile(context.Background(), p, nil, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); len(b) != 0 {
		t.Fatalf("empty write gave %q", b)
	}
}
