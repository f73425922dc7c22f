package h2o

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// writeFile writes text to a file of t's temporary folder.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// tableText formats every cell of rec, row by row, as cellString does.
func tableText(rec arrow.Record) string {
	var b strings.Builder
	for i := 0; i < int(rec.NumRows()); i++ {
		for c := 0; c < int(rec.NumCols()); c++ {
			if c > 0 {
				b.WriteByte('|')
			}
			b.WriteString(cellString(rec.Column(c), i))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestReadGroupByCSV(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	path := writeFile(t, "g.csv", "id1,id2,id3,id4,id5,id6,v1,v2,v3\n"+
		"id002,id001,id0000000003,2,1,3,5,15,99.999999\n"+
		",id001,id0000000001,,1,1,1,,0.000000\n"+
		"id001,id001,,1,2,3,,2,\n"+
		"id002,,id0000000003,2,2,2,4,7,12.5\n")
	rec, err := ReadGroupByCSV(path, mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if !rec.Schema().Equal(GroupBySchema) {
		t.Fatalf("schema %v, want %v", rec.Schema(), GroupBySchema)
	}
	const want = "id002|id001|id0000000003|2|1|3|5|15|99.999999\n" +
		"|id001|id0000000001||1|1|1||0.000000\n" +
		"id001|id001||1|2|3||2|\n" +
		"id002||id0000000003|2|2|2|4|7|12.500000\n"
	if got := tableText(rec); got != want {
		t.Errorf("read\n%s\nwant\n%s", got, want)
	}
	// Dictionaries: the distinct strings in ascending order.
	for c, want := range [][]string{{"id001", "id002"}, {"id001"}, {"id0000000001", "id0000000003"}} {
		d := rec.Column(c).(*array.Dictionary).Dictionary().(*array.String)
		var got []string
		for i := 0; i < d.Len(); i++ {
			got = append(got, d.Value(i))
		}
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: dictionary %v, want %v", rec.ColumnName(c), got, want)
		}
	}
	if rec.Column(3).NullN() != 1 || rec.Column(8).NullN() != 1 {
		t.Errorf("null counts id4 %d, v3 %d, want 1, 1", rec.Column(3).NullN(), rec.Column(8).NullN())
	}
}

// Generated tables survive WriteCSV and ReadGroupByCSV row for row, across
// several reader chunks, with and without NA.
func TestCSVRoundTrip(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, na := range []int{0, 10} {
		rec := genGroupBy(t, mem, 3*readChunk+17, 100, na, false, 4)
		var buf bytes.Buffer
		if err := WriteCSV(&buf, rec); err != nil {
			t.Fatal(err)
		}
		path := writeFile(t, "g.csv", buf.String())
		back, err := ReadGroupByCSV(path, mem)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := tableText(back), tableText(rec); got != want {
			t.Errorf("na=%d: the table read back differs", na)
		}
		for c := 0; c < 9; c++ {
			if back.Column(c).NullN() != rec.Column(c).NullN() {
				t.Errorf("na=%d: %s: %d nulls read, %d written", na, rec.ColumnName(c), back.Column(c).NullN(), rec.Column(c).NullN())
			}
		}
		rec.Release()
		back.Release()
	}
}

func TestReadGroupByCSVEmpty(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec, err := ReadGroupByCSV(writeFile(t, "e.csv", "id1,id2,id3,id4,id5,id6,v1,v2,v3\n"), mem)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	if rec.NumRows() != 0 || !rec.Schema().Equal(GroupBySchema) {
		t.Errorf("%d rows, schema %v; want 0 rows of GroupBySchema", rec.NumRows(), rec.Schema())
	}
}

func TestReadGroupByCSVErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const header = "id1,id2,id3,id4,id5,id6,v1,v2,v3\n"
	const row = "id001,id001,id0000000001,1,1,1,1,1,1.000000\n"
	for _, tc := range []struct {
		name, text string
		is         error
		where      string
	}{
		{"header", "id1,id2,id3,id4,id5,id6,v1,v3,v2\n" + row, ErrBadHeader, "column 8"},
		{"header-fields", "id1,id2\n" + row, ErrBadHeader, ""},
		{"fields", header + row + row + "id001,id001\n", nil, ":4: "},
		{"quote", header + row + "id\"001,id001,id0000000001,1,1,1,1,1,1.0\n", nil, ":3: "},
		{"int", header + row + "id001,id001,id0000000001,x,1,1,1,1,1.0\n", nil, "lines 2-3"},
		{"float", header + row + row + "id001,id001,id0000000001,1,1,1,1,1,1.0.0\n", nil, "lines 2-4"},
	} {
		path := writeFile(t, tc.name+".csv", tc.text)
		rec, err := ReadGroupByCSV(path, mem)
		if rec != nil {
			rec.Release()
		}
		t.Logf("%s: %v", tc.name, err)
		switch {
		case err == nil:
			t.Errorf("%s: no error", tc.name)
		case !strings.Contains(err.Error(), path):
			t.Errorf("%s: error %q does not name the file", tc.name, err)
		case tc.is != nil && !errors.Is(err, tc.is):
			t.Errorf("%s: error %q, want %v", tc.name, err, tc.is)
		case !strings.Contains(err.Error(), tc.where):
			t.Errorf("%s: error %q does not say %q", tc.name, err, tc.where)
		}
	}
	_, err := ReadGroupByCSV(filepath.Join(t.TempDir(), "missing.csv"), mem)
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "missing.csv") {
		t.Errorf("missing file: %v", err)
	}
}

// WriteCSV's format: NA as an empty field, %.6f reals, the join tables'
// plain keys, and its refusals.
func TestWriteCSV(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	ib := array.NewInt64Builder(mem)
	ib.AppendValues([]int64{-3, 0}, []bool{true, false})
	ints := ib.NewArray()
	defer ints.Release()
	fb := array.NewFloat64Builder(mem)
	fb.AppendValues([]float64{0.1234565, 1e9}, nil)
	floats := fb.NewArray()
	defer floats.Release()
	sb := array.NewStringBuilder(mem)
	sb.AppendValues([]string{"a b", ""}, []bool{true, false})
	strs := sb.NewArray()
	defer strs.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "i", Type: ints.DataType()}, {Name: "f", Type: floats.DataType()}, {Name: "s", Type: strs.DataType()}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{ints, floats, strs}, 2)
	defer rec.Release()
	var b strings.Builder
	if err := WriteCSV(&b, rec); err != nil {
		t.Fatal(err)
	}
	if want := "i,f,s\n-3,0.123456,a b\n,1000000000.000000,\n"; b.String() != want {
		t.Errorf("wrote %q, want %q", b.String(), want)
	}

	bb := array.NewBooleanBuilder(mem)
	bb.Append(true)
	bools := bb.NewArray()
	defer bools.Release()
	bad := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "b", Type: bools.DataType()}}, nil), []arrow.Array{bools}, 1)
	defer bad.Release()
	if err := WriteCSV(&b, bad); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("bool column: %v, want ErrUnsupportedType", err)
	}
	sb.Append("a,b")
	comma := sb.NewArray()
	defer comma.Release()
	bad2 := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "s", Type: comma.DataType()}}, nil), []arrow.Array{comma}, 1)
	defer bad2.Release()
	if err := WriteCSV(&b, bad2); !errors.Is(err, ErrNeedsQuoting) {
		t.Errorf("string with a comma: %v, want ErrNeedsQuoting", err)
	}
}

// The join tables write as gen_h2o.py's: plain integer keys, "id" strings.
func TestWriteCSVJoin(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	x, small, medium, big, err := Join(10, 1, mem)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []arrow.Record{x, small, medium, big} {
		defer r.Release()
	}
	var b strings.Builder
	if err := WriteCSV(&b, small); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if lines[0] != "id1,id4,v2" || len(lines) != 11 {
		t.Fatalf("wrote %q", b.String())
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) != 3 || f[1] != "id"+f[0] || len(f[2]) < 8 || f[2][len(f[2])-7] != '.' {
			t.Errorf("line %q: want key,id+key,%%.6f", l)
		}
	}
}
