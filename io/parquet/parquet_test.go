package parquet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var dictType = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

var allSchema = arrow.NewSchema([]arrow.Field{
	{Name: "i32", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "i64", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "f32", Type: arrow.PrimitiveTypes.Float32, Nullable: true},
	{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "d", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "ts_ms", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "ts_us", Type: &arrow.TimestampType{Unit: arrow.Microsecond}, Nullable: true},
	{Name: "ts_ns", Type: &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "Europe/Paris"}, Nullable: true},
	{Name: "ts_s", Type: &arrow.TimestampType{Unit: arrow.Second}, Nullable: true},
	{Name: "cat", Type: dictType, Nullable: true},
	{Name: "req", Type: arrow.PrimitiveTypes.Int64}, // not nullable
}, nil)

// allRecord builds n rows of allSchema starting at row base; every
// nullable column is null where (base+i)%nullEvery == 0.
func allRecord(mem memory.Allocator, base, n, nullEvery int) arrow.Record {
	b := array.NewRecordBuilder(mem, allSchema)
	defer b.Release()
	cats := []string{"red", "green", "blue"}
	for i := range n {
		r := base + i
		null := nullEvery > 0 && r%nullEvery == 0
		for c, fb := range b.Fields() {
			if null && c != len(b.Fields())-1 {
				fb.AppendNull()
				continue
			}
			switch fb := fb.(type) {
			case *array.Int32Builder:
				fb.Append(int32(r*7 - 100))
			case *array.Int64Builder:
				fb.Append(int64(r) * 1_000_000_007)
			case *array.Float32Builder:
				fb.Append(float32(r) / 4)
			case *array.Float64Builder:
				fb.Append(float64(r) * 1.5)
			case *array.BooleanBuilder:
				fb.Append(r%3 == 1)
			case *array.StringBuilder:
				fb.Append(fmt.Sprintf("s%03d", r))
			case *array.Date32Builder:
				fb.Append(arrow.Date32(19000 + r))
			case *array.TimestampBuilder:
				fb.Append(arrow.Timestamp(1_700_000_000_000 + int64(r)*1001))
			case *array.BinaryDictionaryBuilder:
				if err := fb.AppendString(cats[r%len(cats)]); err != nil {
					panic(err)
				}
			default:
				panic(fmt.Sprintf("unhandled builder %T", fb))
			}
		}
	}
	return b.NewRecord()
}

// rows renders every row of recs as text, dictionaries by value, so
// records compare whatever their chunking and dictionaries.
func rows(recs []arrow.Record) []string {
	var out []string
	for _, r := range recs {
		for i := range int(r.NumRows()) {
			var sb strings.Builder
			for c, col := range r.Columns() {
				if c > 0 {
					sb.WriteByte('|')
				}
				if d, ok := col.(*array.Dictionary); ok && d.IsValid(i) {
					sb.WriteString(d.Dictionary().ValueStr(d.GetValueIndex(i)))
					continue
				}
				sb.WriteString(col.ValueStr(i))
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

func mustWrite(t *testing.T, path string, recs []arrow.Record, opt WriteOptions) {
	t.Helper()
	if err := Write(context.Background(), path, recs, opt); err != nil {
		t.Fatal(err)
	}
}

func mustRead(t *testing.T, path string, opt Options) *Result {
	t.Helper()
	res, err := Read(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRoundTrip(t *testing.T) {
	for _, codec := range []string{"", "zstd", "snappy", "gzip", "none"} {
		for _, par := range []int{1, 3} {
			t.Run(fmt.Sprintf("%s/par%d", codec, par), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				// Records of 4, 0 and 9 rows cut into row groups of 5.
				in := []arrow.Record{allRecord(mem, 0, 4, 3), allRecord(mem, 4, 0, 3), allRecord(mem, 4, 9, 3)}
				defer release(in)
				path := filepath.Join(t.TempDir(), "all.parquet")
				mustWrite(t, path, in, WriteOptions{Compression: codec, RowGroupRows: 5, Mem: mem})

				res := mustRead(t, path, Options{Mem: mem, Parallelism: par})
				defer res.Release()
				if !res.Schema.Equal(allSchema) {
					t.Fatalf("schema:\n%s\nwant\n%s", res.Schema, allSchema)
				}
				if res.RowGroups != 3 || res.Skipped != 0 || len(res.Records) != 3 {
					t.Fatalf("row groups %d skipped %d records %d, want 3 0 3", res.RowGroups, res.Skipped, len(res.Records))
				}
				for i, want := range []int64{5, 5, 3} {
					if got := res.Records[i].NumRows(); got != want {
						t.Errorf("record %d has %d rows, want %d", i, got, want)
					}
					if !res.Records[i].Schema().Equal(allSchema) {
						t.Errorf("record %d schema %s", i, res.Records[i].Schema())
					}
				}
				got, want := rows(res.Records), rows(in)
				if !slices.Equal(got, want) {
					t.Fatalf("rows:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
				// Nulls survive as nulls, not zero values.
				if n := res.Records[0].Column(0).NullN(); n != 2 { // rows 0 and 3
					t.Errorf("i32 nulls in first row group: %d, want 2", n)
				}
				if _, ok := res.Records[0].Column(11).(*array.Dictionary); !ok {
					t.Errorf("cat came back as %T, want a dictionary", res.Records[0].Column(11))
				}
			})
		}
	}
}

func TestProjection(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := allRecord(mem, 0, 6, 4)
	defer in.Release()
	path := filepath.Join(t.TempDir(), "p.parquet")
	mustWrite(t, path, []arrow.Record{in}, WriteOptions{Mem: mem})

	var bytesAll int64
	{
		res := mustRead(t, path, Options{Mem: mem})
		bytesAll = res.Bytes
		res.Release()
	}
	res := mustRead(t, path, Options{Mem: mem, Columns: []string{"cat", "i64"}})
	defer res.Release()
	if got := fmt.Sprint(res.Schema.Field(0).Name, res.Schema.Field(1).Name, res.Schema.NumFields()); got != "cati642" {
		t.Fatalf("projected schema %s", res.Schema)
	}
	want := []string{"(null)|(null)", "green|1000000007", "blue|2000000014", "red|3000000021", "(null)|(null)", "blue|5000000035"}
	if got := rows(res.Records); !slices.Equal(got, want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	if res.Bytes <= 0 || res.Bytes >= bytesAll {
		t.Errorf("projected bytes %d, all columns %d: want 0 < projected < all", res.Bytes, bytesAll)
	}

	_, err := Read(context.Background(), path, Options{Mem: mem, Columns: []string{"i64", "nope", "nada"}})
	if !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), `"nope", "nada"`) || !strings.Contains(err.Error(), path) {
		t.Fatalf("unknown column error: %v", err)
	}
}

// sortedRecord is n rows of x = base..base+n-1 and its text.
func sortedRecord(mem memory.Allocator, base, n int) arrow.Record {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "x", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Second}},
	}, nil)
	b := array.NewRecordBuilder(mem, sc)
	defer b.Release()
	for i := base; i < base+n; i++ {
		b.Field(0).(*array.Int64Builder).Append(int64(i))
		b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("n%02d", i))
		b.Field(2).(*array.TimestampBuilder).Append(arrow.Timestamp(1_700_000_000 + i))
	}
	return b.NewRecord()
}

func TestRowGroupFilter(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := sortedRecord(mem, 0, 100)
	defer in.Release()
	path := filepath.Join(t.TempDir(), "sorted.parquet")
	mustWrite(t, path, []arrow.Record{in}, WriteOptions{Mem: mem, RowGroupRows: 10})

	var seen []RowGroup
	var progress [][2]int64
	res := mustRead(t, path, Options{
		Mem: mem,
		// x >= 45: a row group whose max is below 45 cannot match.
		RowGroupFilter: func(rg RowGroup) bool {
			seen = append(seen, rg)
			st, ok := rg.Stats["x"]
			return !ok || !st.HasMinMax || st.Max.(int64) >= 45
		},
		Progress: func(done, total int64) { progress = append(progress, [2]int64{done, total}) },
	})
	defer res.Release()
	if res.RowGroups != 6 || res.Skipped != 4 || len(res.Records) != 6 {
		t.Fatalf("read %d skipped %d records %d, want 6 4 6", res.RowGroups, res.Skipped, len(res.Records))
	}
	// Pushdown is by row group: the filter keeps 40..99 and the caller
	// still filters rows.
	if first, last := res.Records[0].Column(0).(*array.Int64).Value(0), res.Records[5].Column(0).(*array.Int64).Value(9); first != 40 || last != 99 {
		t.Fatalf("first %d last %d, want 40 and 99", first, last)
	}
	if got := rows(res.Records)[5]; got != "45|n45|2023-11-14 22:14:05Z" {
		t.Errorf("row 45 is %q", got)
	}
	if len(seen) != 10 {
		t.Fatalf("filter saw %d row groups, want 10", len(seen))
	}
	rg := seen[3]
	if rg.File != path || rg.Index != 3 || rg.Rows != 10 || rg.Partition != nil {
		t.Errorf("row group 3: %+v", rg)
	}
	wantStats := map[string]ColumnStats{
		"x":    {HasMinMax: true, Min: int64(30), Max: int64(39), HasNulls: true},
		"name": {HasMinMax: true, Min: "n30", Max: "n39", HasNulls: true},
		// seconds are stored as milliseconds (Parquet has no second unit)
		"at": {HasMinMax: true, Min: time.Unix(1_700_000_030, 0).UTC(), Max: time.Unix(1_700_000_039, 0).UTC(), HasNulls: true},
	}
	for name, want := range wantStats {
		if got := rg.Stats[name]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("stats %s: %+v, want %+v", name, got, want)
		}
	}
	if len(progress) != 6 || progress[5][0] != res.Bytes || progress[5][1] != res.Bytes || res.Bytes <= 0 {
		t.Errorf("progress %v, bytes %d", progress, res.Bytes)
	}
}

func TestHivePartitioned(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "year", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Float64},
		{Name: "city", Type: dictType, Nullable: true},
	}, nil)
	mk := func(years []int32, valid []bool, vals []float64, cities []string) arrow.Record {
		b := array.NewRecordBuilder(mem, sc)
		defer b.Release()
		b.Field(0).(*array.Int32Builder).AppendValues(years, valid)
		b.Field(1).(*array.Float64Builder).AppendValues(vals, nil)
		for _, c := range cities {
			if c == "" {
				b.Field(2).AppendNull()
			} else if err := b.Field(2).(*array.BinaryDictionaryBuilder).AppendString(c); err != nil {
				t.Fatal(err)
			}
		}
		return b.NewRecord()
	}
	in := []arrow.Record{
		mk([]int32{2023, 2024, 2023, 0}, []bool{true, true, true, false}, []float64{1, 2, 3, 4}, []string{"Paris", "Oslo", "Paris", "Paris"}),
		mk([]int32{2024, 2023}, nil, []float64{5, 6}, []string{"Oslo", "Saint/Étienne=x"}),
	}
	defer release(in)
	dir := filepath.Join(t.TempDir(), "ds")
	mustWrite(t, dir, in, WriteOptions{Mem: mem, PartitionBy: []string{"year", "city"}})

	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	wantFiles := []string{
		"year=2023/city=Paris/part-00000.parquet",
		"year=2023/city=Saint%2FÉtienne%3Dx/part-00000.parquet",
		"year=2024/city=Oslo/part-00000.parquet",
		"year=__HIVE_DEFAULT_PARTITION__/city=Paris/part-00000.parquet",
	}
	if !slices.Equal(files, wantFiles) {
		t.Fatalf("files %q, want %q", files, wantFiles)
	}

	res := mustRead(t, dir, Options{Mem: mem})
	defer res.Release()
	want := "schema:\n  fields: 3\n    - v: type=float64\n    - year: type=int64, nullable\n    - city: type=dictionary<values=utf8, indices=int32, ordered=false>, nullable"
	if got := res.Schema.String(); got != want {
		t.Fatalf("schema\n%s\nwant\n%s", got, want)
	}
	wantRows := []string{"1|2023|Paris", "3|2023|Paris", "6|2023|Saint/Étienne=x", "2|2024|Oslo", "5|2024|Oslo", "4|(null)|Paris"}
	if got := rows(res.Records); !slices.Equal(got, wantRows) {
		t.Fatalf("rows %q, want %q", got, wantRows)
	}
	if err := Write(context.Background(), dir, in, WriteOptions{Mem: mem, PartitionBy: []string{"year"}}); !errors.Is(err, ErrExists) {
		t.Fatalf("write over a dataset: %v, want ErrExists", err)
	}

	// Partition pruning and projection of a key only.
	res2 := mustRead(t, dir, Options{Mem: mem, Columns: []string{"city", "v"},
		RowGroupFilter: func(rg RowGroup) bool { return rg.Partition["year"] == "2024" }})
	defer res2.Release()
	if got := rows(res2.Records); res2.Skipped != 3 || !slices.Equal(got, []string{"Oslo|2", "Oslo|5"}) {
		t.Fatalf("pruned: skipped %d rows %q", res2.Skipped, got)
	}
	sc2, err := Schema(context.Background(), dir)
	if err != nil || !sc2.Equal(res.Schema) {
		t.Fatalf("Schema: %v, %v", sc2, err)
	}
}

func TestGlobAndMultipleFiles(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	for i, base := range []int{20, 0, 10} {
		r := sortedRecord(mem, base, 10)
		mustWrite(t, filepath.Join(dir, fmt.Sprintf("f%d.parquet", i)), []arrow.Record{r}, WriteOptions{Mem: mem, RowGroupRows: 4})
		r.Release()
	}
	os.WriteFile(filepath.Join(dir, "_SUCCESS"), nil, 0o644)
	for _, path := range []string{filepath.Join(dir, "f*.parquet"), dir} {
		res := mustRead(t, path, Options{Mem: mem, Columns: []string{"x"}, Parallelism: 4})
		got := rows(res.Records)
		var want []string
		for _, base := range []int{20, 0, 10} { // f0, f1, f2 in name order
			for i := base; i < base+10; i++ {
				want = append(want, fmt.Sprint(i))
			}
		}
		if !slices.Equal(got, want) || res.RowGroups != 9 || len(res.Records) != 9 {
			t.Errorf("%s: %d row groups, rows %q", path, res.RowGroups, got)
		}
		res.Release()
	}
	if _, err := Read(context.Background(), filepath.Join(dir, "*.nothing"), Options{Mem: mem}); !errors.Is(err, ErrNoFiles) {
		t.Errorf("empty glob: %v", err)
	}

	other := allRecord(mem, 0, 2, 0)
	defer other.Release()
	odd := filepath.Join(dir, "f9.parquet")
	mustWrite(t, odd, []arrow.Record{other}, WriteOptions{Mem: mem})
	if _, err := Read(context.Background(), dir, Options{Mem: mem}); !errors.Is(err, ErrSchemaMismatch) || !strings.Contains(err.Error(), odd) {
		t.Errorf("mixed schemas: %v", err)
	}
}

func TestEmptyFile(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	in := allRecord(mem, 0, 0, 0)
	defer in.Release()
	path := filepath.Join(t.TempDir(), "empty.parquet")
	mustWrite(t, path, []arrow.Record{in}, WriteOptions{Mem: mem})
	res := mustRead(t, path, Options{Mem: mem})
	defer res.Release()
	if !res.Schema.Equal(allSchema) || len(res.Records) != 0 {
		t.Fatalf("schema %s, %d records", res.Schema, len(res.Records))
	}
	if err := Write(context.Background(), path, nil, WriteOptions{Mem: mem}); err == nil {
		t.Error("writing no records succeeded")
	}
}

func TestErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	in := sortedRecord(mem, 0, 1000)
	defer in.Release()
	good := filepath.Join(dir, "good.parquet")
	mustWrite(t, good, []arrow.Record{in}, WriteOptions{Mem: mem, Compression: "none"})
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}

	garbage := filepath.Join(dir, "garbage.parquet")
	os.WriteFile(garbage, []byte("this is not a parquet file at all"), 0o644)
	truncated := filepath.Join(dir, "truncated.parquet")
	os.WriteFile(truncated, data[:len(data)/2], 0o644)
	// Damage the data pages but not the footer: the error comes from a
	// worker decoding a row group.
	damaged := filepath.Join(dir, "damaged.parquet")
	bad := slices.Clone(data)
	for i := 4; i < len(bad)/3; i++ {
		bad[i] = 0xff
	}
	os.WriteFile(damaged, bad, 0o644)

	for _, path := range []string{garbage, truncated, damaged} {
		_, err := Read(context.Background(), path, Options{Mem: mem})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v, want ErrCorrupt naming the file", filepath.Base(path), err)
		}
	}
	if _, err := Read(context.Background(), filepath.Join(dir, "missing.parquet"), Options{Mem: mem}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if err := Write(context.Background(), filepath.Join(dir, "x.parquet"), []arrow.Record{in}, WriteOptions{Mem: mem, Compression: "lz4"}); !errors.Is(err, ErrCompression) {
		t.Errorf("lz4: %v", err)
	}
	if err := Write(context.Background(), filepath.Join(dir, "x"), []arrow.Record{in}, WriteOptions{Mem: mem, PartitionBy: []string{"zz"}}); !errors.Is(err, ErrUnknownColumn) {
		t.Errorf("partition by a missing column: %v", err)
	}

	// A cancelled write leaves neither the file nor its temporary.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	target := filepath.Join(dir, "cancelled.parquet")
	if err := Write(ctx, target, []arrow.Record{in}, WriteOptions{Mem: mem}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled write: %v", err)
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.Contains(e.Name(), "cancelled") {
			t.Errorf("cancelled write left %s", e.Name())
		}
	}
	if _, err := Read(ctx, good, Options{Mem: mem}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled read: %v", err)
	}
}

// TestDictionaryWithoutNulls covers the pqarrow v15 dictionary-index bug
// writeRecords works around: a nullable dictionary column without nulls,
// longer than a write batch and cut at offsets.
func TestDictionaryWithoutNulls(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	sc := arrow.NewSchema([]arrow.Field{{Name: "id", Type: dictType, Nullable: true}}, nil)
	const n = 3*writeBatch + 123
	b := array.NewRecordBuilder(mem, sc)
	for i := range n {
		b.Field(0).(*array.BinaryDictionaryBuilder).AppendString(fmt.Sprintf("id%03d", i%997))
	}
	whole := b.NewRecord()
	b.Release()
	defer whole.Release()
	// Sliced input as well as whole: offsets must not reach pqarrow.
	a, c := whole.NewSlice(0, 1000), whole.NewSlice(1000, n)
	defer a.Release()
	defer c.Release()
	path := filepath.Join(t.TempDir(), "dict.parquet")
	mustWrite(t, path, []arrow.Record{a, c}, WriteOptions{Mem: mem, RowGroupRows: 100_000})
	res := mustRead(t, path, Options{Mem: mem})
	defer res.Release()
	if res.RowGroups != 2 || res.Records[0].NumRows() != 100_000 {
		t.Fatalf("%d row groups, first of %d rows", res.RowGroups, res.Records[0].NumRows())
	}
	if got, want := rows(res.Records), rows([]arrow.Record{whole}); !slices.Equal(got, want) {
		t.Fatalf("rows differ: %d vs %d rows", len(got), len(want))
	}
}
