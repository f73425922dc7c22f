package vec

import (
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// selCol is a column of the Filter/Take tests: six JSON elements (or,
// for dictionaries, six JSON codes into dict).
type selCol struct {
	dt   arrow.DataType
	elem []string
	dict string
}

func selColumns() []selCol {
	ints := []string{"1", "null", "3", "-4", "5", "6"}
	uints := []string{"1", "null", "3", "4", "5", "6"}
	codes := []string{"0", "1", "null", "2", "1", "0"}
	tsz := &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}
	cols := []selCol{
		{dt: i8, elem: ints}, {dt: i16, elem: ints}, {dt: i32, elem: ints}, {dt: i64, elem: ints},
		{dt: u8, elem: uints}, {dt: u16, elem: uints}, {dt: u32, elem: uints}, {dt: u64, elem: uints},
		{dt: f32, elem: []string{"1.5", "null", "-0.5", "4", "5", "6"}},
		{dt: f64, elem: []string{"1.5", "2.5", "null", "4", "5", "6"}},
		{dt: boolT, elem: []string{"true", "false", "null", "true", "false", "true"}},
		{dt: str, elem: []string{`"a"`, `""`, "null", `"dddd"`, `"e"`, `"ff"`}},
		{dt: lstr, elem: []string{`"a"`, `"bb"`, "null", `"dddd"`, `""`, `"ff"`}},
		{dt: bin, elem: []string{`"YQ=="`, "null", `"YmI="`, `""`, `"YQ=="`, `"Yw=="`}},
		{dt: arrow.BinaryTypes.LargeBinary, elem: []string{`"YQ=="`, "null", `"YmI="`, `""`, `"YQ=="`, `"Yw=="`}},
		{dt: dictOf(i8), elem: codes, dict: `["x", "y", "z"]`},
		{dt: dictOf(i16), elem: codes, dict: `["x", "y", "z"]`},
		{dt: dictOf(i32), elem: codes, dict: `["x", "y", "z"]`},
		{dt: dictOf(i64), elem: codes, dict: `["x", "y", "z"]`},
		{dt: dictOf(u8), elem: codes, dict: `["x", "y", "z"]`},
		{dt: tsS, elem: ints}, {dt: tsz, elem: ints}, {dt: tsNs, elem: ints},
		{dt: d32, elem: ints}, {dt: d64, elem: ints}, {dt: durMs, elem: ints},
		{dt: arrow.Null, elem: []string{"null", "null", "null", "null", "null", "null"}},
	}
	return cols
}

// build makes column c as an input of e (sliced when e.pad > 0).
func (c selCol) build(e *tenv) arrow.Array {
	js := "[" + strings.Join(c.elem, ", ") + "]"
	if dt, ok := c.dt.(*arrow.DictionaryType); ok {
		return e.dict(dt.IndexType, c.dict, js)
	}
	return e.in(c.dt, js)
}

// expect builds, by hand, column c's rows at rows (-1 is a null row).
func (c selCol) expect(e *tenv, rows []int) arrow.Array {
	parts := make([]string, len(rows))
	for i, r := range rows {
		parts[i] = "null"
		if r >= 0 {
			parts[i] = c.elem[r]
		}
	}
	js := "[" + strings.Join(parts, ", ") + "]"
	if dt, ok := c.dt.(*arrow.DictionaryType); ok {
		d := e.fromJSON(str, c.dict)
		return keep(e, array.NewDictionaryArray(dt, e.fromJSON(dt.IndexType, js), d))
	}
	return e.fromJSON(c.dt, js)
}

func selRecord(e *tenv, cols []selCol) arrow.Record {
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprintf("c%d_%s", i, c.dt), Type: c.dt, Nullable: true}
		arrs[i] = c.build(e)
	}
	return keep(e, array.NewRecord(arrow.NewSchema(fields, nil), arrs, 6))
}

func checkRecord(e *tenv, got arrow.Record, err error, cols []selCol, rows []int) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
	keep(e, got)
	if got.NumRows() != int64(len(rows)) {
		e.t.Fatalf("%d rows, want %d", got.NumRows(), len(rows))
	}
	for i, c := range cols {
		want := c.expect(e, rows)
		col := got.Column(i)
		if !arrow.TypeEqual(col.DataType(), c.dt) || !array.Equal(col, want) {
			e.t.Errorf("column %s: got %v, want %v", c.dt, col, want)
		}
		if len(rows) > 0 && col.NullN() == 0 && col.Data().Buffers()[0] != nil { // zero-row slices share the input bitmap
			e.t.Errorf("column %s: no nulls but a validity bitmap", c.dt)
		}
	}
}

func TestFilterTakeEveryType(t *testing.T) {
	layouts(t, func(e *tenv) {
		cols := selColumns()
		rec := selRecord(e, cols)
		mask := e.in(boolT, `[true, false, null, true, true, false]`).(*array.Boolean)
		got, err := Filter(rec, mask, e.mem)
		checkRecord(e, got, err, cols, []int{0, 3, 4})

		got, err = Take(rec, []int64{5, -1, 0, 0, 3, 1}, e.mem)
		checkRecord(e, got, err, cols, []int{5, -1, 0, 0, 3, 1})
		got, err = Take(rec, []int64{2, 4}, e.mem)
		checkRecord(e, got, err, cols, []int{2, 4})
		got, err = Take(rec, nil, e.mem)
		checkRecord(e, got, err, cols, nil)

		for i, c := range cols {
			a, err := FilterArray(rec.Column(i), mask, e.mem)
			if err != nil {
				e.t.Fatal(err)
			}
			keep(e, a)
			if want := c.expect(e, []int{0, 3, 4}); !array.Equal(a, want) {
				e.t.Errorf("FilterArray %s: got %v, want %v", c.dt, a, want)
			}
			a, err = TakeArray(rec.Column(i), []int64{-1, 1}, e.mem)
			if err != nil {
				e.t.Fatal(err)
			}
			keep(e, a)
			if want := c.expect(e, []int{-1, 1}); !array.Equal(a, want) {
				e.t.Errorf("TakeArray %s: got %v, want %v", c.dt, a, want)
			}
		}
	})
}

func TestFilterShortcuts(t *testing.T) {
	layouts(t, func(e *tenv) {
		cols := selColumns()[:4]
		rec := selRecord(e, cols)
		got, err := Filter(rec, e.in(boolT, `[true, true, true, true, true, true]`).(*array.Boolean), e.mem)
		checkRecord(e, got, err, cols, []int{0, 1, 2, 3, 4, 5})
		for i := range cols {
			if got.Column(i).Data().Buffers()[1] != rec.Column(i).Data().Buffers()[1] {
				e.t.Errorf("all-true mask copied column %d", i)
			}
		}
		got, err = Filter(rec, e.in(boolT, `[false, null, false, false, false, false]`).(*array.Boolean), e.mem)
		checkRecord(e, got, err, cols, []int{})

		_, err = Filter(rec, e.in(boolT, `[true]`).(*array.Boolean), e.mem)
		fails(e.t, err, ErrArgument, "vec: filter: mask of 1 rows for a record of 6: invalid argument")
		_, err = Take(rec, []int64{6}, e.mem)
		fails(e.t, err, ErrArgument, "vec: take: index 6 at position 0 out of range [0, 6): invalid argument")
		_, err = Take(rec, []int64{0, -2}, e.mem)
		fails(e.t, err, ErrArgument, "")

		// Taking only -1 from an empty array gives nulls.
		a, err := TakeArray(e.in(str, `[]`), []int64{-1, -1}, e.mem)
		e.sameJSON(a, err, str, `[null, null]`)
	})
}

func TestSelectionUnsupported(t *testing.T) {
	layouts(t, func(e *tenv) {
		lt := arrow.ListOf(i64)
		l := e.in(lt, `[[1], [2, 3]]`)
		rec := keep(e, array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "l", Type: lt}}, nil), []arrow.Array{l}, 2))
		_, err := Take(rec, []int64{0}, e.mem)
		fails(e.t, err, ErrType, "vec: take: column 0 (l): unsupported type list<item: int64, nullable>: type mismatch")
		_, err = Filter(rec, e.in(boolT, `[true, false]`).(*array.Boolean), e.mem)
		fails(e.t, err, ErrType, "")
		_, err = TakeArray(l, []int64{0}, e.mem)
		fails(e.t, err, ErrType, "vec: take: unsupported type list<item: int64, nullable>: type mismatch")
	})
}

// TestFilterLong crosses chunk and byte boundaries with a pattern mask.
func TestFilterLong(t *testing.T) {
	layouts(t, func(e *tenv) {
		n := 2*chunk + 37
		vals := make([]float64, n)
		mb := array.NewBooleanBuilder(e.mem)
		defer mb.Release()
		var want []float64
		var wantNulls []int
		for i := range vals {
			vals[i] = float64(i)
			keepRow := i%3 == 0 || i%7 == 0
			mb.Append(keepRow)
			if keepRow {
				if i%5 == 0 {
					wantNulls = append(wantNulls, len(want))
				}
				want = append(want, float64(i))
			}
		}
		var nulls []int
		for i := 0; i < n; i += 5 {
			nulls = append(nulls, i)
		}
		mask := keep(e, mb.NewArray()).(*array.Boolean)
		got, err := FilterArray(e.floats(vals, nulls...), mask, e.mem)
		saved := e.pad
		e.pad = 0
		e.same(got, err, e.floats(want, wantNulls...))
		e.pad = saved
		s, err := Cast(got, str, e.mem)
		if err != nil {
			e.t.Fatal(err)
		}
		keep(e, s)
		idx := make([]int64, len(want))
		for i := range idx {
			idx[i] = int64(len(want) - 1 - i)
		}
		rev, err := TakeArray(s, idx, e.mem)
		if err != nil {
			e.t.Fatal(err)
		}
		keep(e, rev)
		for i := range idx {
			j := len(want) - 1 - i
			if rev.IsNull(i) != s.IsNull(j) || rev.(*array.String).Value(i) != s.(*array.String).Value(j) {
				e.t.Fatalf("row %d: %v, want row %d of the source", i, rev.(*array.String).Value(i), j)
			}
		}
	})
}
