package join

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func fromJSON(t testing.TB, mem memory.Allocator, dt arrow.DataType, js string) arrow.Array {
	t.Helper()
	a, _, err := array.FromJSON(mem, dt, strings.NewReader(js))
	if err != nil {
		t.Fatalf("%s %s: %v", dt, js, err)
	}
	return a
}

// dictOf builds a dictionary<int8, utf8> from its entries and codes.
func dictOf(t testing.TB, mem memory.Allocator, dict, codes string) arrow.Array {
	t.Helper()
	d := fromJSON(t, mem, arrow.BinaryTypes.String, dict)
	defer d.Release()
	c := fromJSON(t, mem, arrow.PrimitiveTypes.Int8, codes)
	defer c.Release()
	return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}, c, d)
}

func floats(mem memory.Allocator, vs ...any) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	for _, v := range vs {
		if v == nil {
			b.AppendNull()
		} else {
			b.Append(v.(float64))
		}
	}
	return b.NewArray()
}

// record makes a record of columns named by names and releases the arrays.
func record(names string, cols ...arrow.Array) arrow.Record {
	ns := strings.Split(names, ",")
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: ns[i], Type: c.DataType(), Nullable: true}
		defer c.Release()
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(cols[0].Len()))
}

type want struct{ li, ri []int64 }

var kinds = []Kind{Inner, Left, Right, Outer, Semi, Anti}

// check runs every kind and compares with the expected indices, and with
// the nested-loop reference.
func check(t *testing.T, left, right arrow.Record, lk, rk []string, wants map[Kind]want) {
	t.Helper()
	for _, k := range kinds {
		li, ri, err := Indices(left, right, lk, rk, k)
		if err != nil {
			t.Fatalf("%v: %v", k, err)
		}
		rl, rr := reference(left, right, lk, rk, k)
		if !slices.Equal(li, rl) || !slices.Equal(ri, rr) {
			t.Errorf("%v: got\nli %v\nri %v\nreference\nli %v\nri %v", k, li, ri, rl, rr)
		}
		w, ok := wants[k]
		if !ok {
			continue
		}
		if !slices.Equal(li, w.li) || !slices.Equal(ri, w.ri) || (ri == nil) != (w.ri == nil) {
			t.Errorf("%v: got\nli %v\nri %v\nwant\nli %v\nri %v", k, li, ri, w.li, w.ri)
		}
	}
}

func TestIndicesInt(t *testing.T) {
	wants := map[Kind]want{
		Inner: {[]int64{0, 0, 2, 2, 3, 3}, []int64{0, 2, 1, 4, 0, 2}},
		Left:  {[]int64{0, 0, 1, 2, 2, 3, 3, 4}, []int64{0, 2, -1, 1, 4, 0, 2, -1}},
		Right: {[]int64{0, 3, 2, 0, 3, -1, 2}, []int64{0, 0, 1, 2, 2, 3, 4}},
		Outer: {[]int64{0, 0, 3, 3, 1, 4, -1, 2, 2}, []int64{0, 2, 0, 2, -1, -1, 3, 1, 4}},
		Semi:  {[]int64{0, 2, 3}, nil},
		Anti:  {[]int64{1, 4}, nil},
	}
	for _, lt := range []arrow.DataType{arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Uint8, arrow.PrimitiveTypes.Float64} {
		t.Run(lt.String(), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			left := record("k,v", fromJSON(t, mem, lt, `[1, 2, null, 1, 3]`), fromJSON(t, mem, arrow.PrimitiveTypes.Int64, `[0, 0, 0, 0, 0]`))
			defer left.Release()
			right := record("id", fromJSON(t, mem, arrow.PrimitiveTypes.Int64, `[1, null, 1, 4, null]`))
			defer right.Release()
			check(t, left, right, []string{"k"}, []string{"id"}, wants)
		})
	}
}

func TestIndicesFloat(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	// NaN is null and matches null; -0.0 matches 0.
	left := record("k", floats(mem, math.NaN(), 1.0, math.Copysign(0, -1), 2.5))
	defer left.Release()
	right := record("k", fromJSON(t, mem, arrow.PrimitiveTypes.Int64, `[0, 1, null, 2]`))
	defer right.Release()
	check(t, left, right, []string{"k"}, []string{"k"}, map[Kind]want{
		Inner: {[]int64{0, 1, 2}, []int64{2, 1, 0}},
		Outer: {[]int64{2, 1, -1, 3, 0}, []int64{0, 1, 3, -1, 2}},
	})
}

func TestIndicesStrings(t *testing.T) {
	inner := want{[]int64{0, 1, 1, 2, 4, 4}, []int64{3, 0, 4, 2, 0, 4}}
	outer := want{[]int64{1, 1, 4, 4, 0, 3, -1, 2}, []int64{0, 4, 0, 4, 3, -1, 1, 2}}
	lefts := map[string]func(memory.Allocator) arrow.Array{
		"dict": func(m memory.Allocator) arrow.Array { return dictOf(t, m, `["b", "a", "c"]`, `[0, 1, null, 2, 1]`) },
		"dict with repeated entries": func(m memory.Allocator) arrow.Array {
			return dictOf(t, m, `["b", "a", "c", "a", null]`, `[0, 3, 4, 2, 1]`)
		},
		"string": func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.BinaryTypes.String, `["b", "a", null, "c", "a"]`)
		},
		"sliced large string": func(m memory.Allocator) arrow.Array {
			a := fromJSON(t, m, arrow.BinaryTypes.LargeString, `["zz", "b", "a", null, "c", "a", "z"]`)
			defer a.Release()
			return array.NewSlice(a, 1, 6)
		},
	}
	rights := map[string]func(memory.Allocator) arrow.Array{
		"string": func(m memory.Allocator) arrow.Array {
			return fromJSON(t, m, arrow.BinaryTypes.String, `["a", "z", null, "b", "a"]`)
		},
		"dict": func(m memory.Allocator) arrow.Array { return dictOf(t, m, `["z", "a", "b"]`, `[1, 0, null, 2, 1]`) },
		"sliced dict": func(m memory.Allocator) arrow.Array {
			a := dictOf(t, m, `["z", "a", "b", "q"]`, `[3, 1, 0, null, 2, 1, 3]`)
			defer a.Release()
			return array.NewSlice(a, 1, 6)
		},
	}
	for ln, lf := range lefts {
		for rn, rf := range rights {
			t.Run(ln+" x "+rn, func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				left := record("k", lf(mem))
				defer left.Release()
				right := record("k", rf(mem))
				defer right.Release()
				check(t, left, right, []string{"k"}, []string{"k"}, map[Kind]want{
					Inner: inner, Outer: outer,
					Semi: {[]int64{0, 1, 2, 4}, nil}, Anti: {[]int64{3}, nil},
				})
			})
		}
	}
}

func TestIndicesMultiKey(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	left := record("a,b",
		fromJSON(t, mem, arrow.PrimitiveTypes.Int64, `[1, 1, null, 2, 1]`),
		fromJSON(t, mem, arrow.BinaryTypes.String, `["x", "y", "x", null, "z"]`))
	defer left.Release()
	right := record("c,d",
		fromJSON(t, mem, arrow.PrimitiveTypes.Int32, `[1, null, 1, 2, 1, 2]`),
		dictOf(t, mem, `["x", "y"]`, `[1, 0, 0, null, 0, 0]`))
	defer right.Release()
	check(t, left, right, []string{"a", "b"}, []string{"c", "d"}, map[Kind]want{
		Inner: {[]int64{0, 0, 1, 2, 3}, []int64{2, 4, 0, 1, 3}},
		Left:  {[]int64{0, 0, 1, 2, 3, 4}, []int64{2, 4, 0, 1, 3, -1}},
		Right: {[]int64{1, 2, 0, 3, 0, -1}, []int64{0, 1, 2, 3, 4, 5}},
		// (1,x) (1,y) (1,z) (2,x) (2,null) (null,x)
		Outer: {[]int64{0, 0, 1, 4, -1, 3, 2}, []int64{2, 4, 0, -1, 5, 3, 1}},
	})
}

func TestIndicesEdges(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	i64 := arrow.PrimitiveTypes.Int64
	some := record("k", fromJSON(t, mem, i64, `[3, 1, 2]`))
	defer some.Release()
	other := record("k", fromJSON(t, mem, i64, `[5, 4]`))
	defer other.Release()
	empty := record("k", fromJSON(t, mem, i64, `[]`))
	defer empty.Release()
	t.Run("no matches", func(t *testing.T) {
		check(t, some, other, []string{"k"}, []string{"k"}, map[Kind]want{
			Inner: {[]int64{}, []int64{}},
			Left:  {[]int64{0, 1, 2}, []int64{-1, -1, -1}},
			Right: {[]int64{-1, -1}, []int64{0, 1}},
			Outer: {[]int64{1, 2, 0, -1, -1}, []int64{-1, -1, -1, 1, 0}},
			Semi:  {[]int64{}, nil},
			Anti:  {[]int64{0, 1, 2}, nil},
		})
	})
	t.Run("empty right", func(t *testing.T) {
		check(t, some, empty, []string{"k"}, []string{"k"}, map[Kind]want{
			Inner: {[]int64{}, []int64{}},
			Left:  {[]int64{0, 1, 2}, []int64{-1, -1, -1}},
			Right: {[]int64{}, []int64{}},
			Outer: {[]int64{1, 2, 0}, []int64{-1, -1, -1}},
			Anti:  {[]int64{0, 1, 2}, nil},
		})
	})
	t.Run("empty left", func(t *testing.T) {
		check(t, empty, some, []string{"k"}, []string{"k"}, map[Kind]want{
			Inner: {[]int64{}, []int64{}},
			Right: {[]int64{-1, -1, -1}, []int64{0, 1, 2}},
			Outer: {[]int64{-1, -1, -1}, []int64{1, 2, 0}},
			Semi:  {[]int64{}, nil},
		})
	})
	t.Run("uint64 above int64 matches no signed key", func(t *testing.T) {
		b := array.NewUint64Builder(mem)
		b.AppendValues([]uint64{math.MaxUint64, 1}, nil)
		left := record("k", b.NewArray())
		b.Release()
		defer left.Release()
		ib := array.NewInt64Builder(mem)
		ib.AppendValues([]int64{-1, 1}, nil)
		right := record("k", ib.NewArray())
		ib.Release()
		defer right.Release()
		check(t, left, right, []string{"k"}, []string{"k"}, map[Kind]want{
			Inner: {[]int64{1}, []int64{1}},
			Outer: {[]int64{-1, 1, 0}, []int64{0, 1, -1}},
		})
	})
}

func TestErrors(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	left := record("id,x", fromJSON(t, mem, arrow.PrimitiveTypes.Int64, `[1]`), fromJSON(t, mem, arrow.FixedWidthTypes.Timestamp_s, `[1]`))
	defer left.Release()
	right := record("id,y", fromJSON(t, mem, arrow.BinaryTypes.String, `["1"]`), fromJSON(t, mem, arrow.FixedWidthTypes.Timestamp_ms, `[1]`))
	defer right.Release()
	cases := []struct {
		lk, rk []string
		kind   Kind
		is     error
		msg    string
	}{
		{[]string{"id"}, []string{"nope"}, Inner, ErrUnknownColumn, `join: unknown column "nope" in right (columns: id, y)`},
		{[]string{"nope"}, []string{"id"}, Inner, ErrUnknownColumn, `join: unknown column "nope" in left (columns: id, x)`},
		{[]string{"id"}, []string{"id"}, Left, ErrKeyType, `join: key id: int64 and utf8 cannot be compared`},
		{[]string{"x"}, []string{"y"}, Left, ErrKeyType, `join: key x/y: timestamp[s, tz=UTC] and timestamp[ms, tz=UTC] cannot be compared`},
		{[]string{"id"}, []string{"id", "y"}, Inner, ErrArgument, ""},
		{nil, nil, Inner, ErrArgument, ""},
		{[]string{"id"}, []string{"id"}, Kind(9), ErrArgument, ""},
	}
	for _, c := range cases {
		_, _, err := Indices(left, right, c.lk, c.rk, c.kind)
		if !errors.Is(err, c.is) || (c.msg != "" && err.Error() != c.msg) {
			t.Errorf("%v %v %v: error %v, want %v (%q)", c.lk, c.rk, c.kind, err, c.is, c.msg)
		}
	}
	if got := fmt.Sprint(Inner, Left, Right, Outer, Semi, Anti); got != "inner left right outer semi anti" {
		t.Errorf("Kind names %q", got)
	}
}
