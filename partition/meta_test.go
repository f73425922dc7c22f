package partition

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// MetaOf counts the bytes a record's rows use: a slice reports its own share,
// not its parent's buffers, so plans built on Metas see true sizes.
func TestMetaOfCountsOnlyTheSlice(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	ints := array.NewInt64Builder(mem)
	strs := array.NewStringBuilder(mem)
	dict := array.NewDictionaryBuilder(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}).(*array.BinaryDictionaryBuilder)
	defer ints.Release()
	defer strs.Release()
	defer dict.Release()
	for i := range 100 {
		if i == 50 {
			ints.AppendNull()
		} else {
			ints.Append(int64(i))
		}
		strs.Append("abcd") // 4 bytes a row
		dict.AppendString([]string{"x", "yy"}[i%2])
	}
	cols := []arrow.Array{ints.NewArray(), strs.NewArray(), dict.NewArray()}
	defer func() {
		for _, c := range cols {
			c.Release()
		}
	}()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String},
		{Name: "d", Type: cols[2].DataType()},
	}, nil)
	rec := array.NewRecord(schema, cols, 100)
	defer rec.Release()

	// Dictionary: 1-byte indices per row plus the whole dictionary ("x","yy":
	// 3 offsets of 4 bytes and 3 value bytes).
	const dictBytes = 3*4 + 3
	whole := MetaOf(rec)
	if want := (Meta{Rows: 100, Bytes: (13 + 800) + (4*101 + 400) + (100 + dictBytes)}); whole != want {
		t.Errorf("whole record: %+v, want %+v", whole, want)
	}
	// Rows 10..30 hold no null: no validity bytes.
	slice := rec.NewSlice(10, 30)
	defer slice.Release()
	if got, want := MetaOf(slice), (Meta{Rows: 20, Bytes: 160 + (4*21 + 80) + (20 + dictBytes)}); got != want {
		t.Errorf("slice [10, 30): %+v, want %+v", got, want)
	}
	// Rows 40..60 hold the null at 50: 3 validity bytes.
	slice2 := rec.NewSlice(40, 60)
	defer slice2.Release()
	if got, want := MetaOf(slice2), (Meta{Rows: 20, Bytes: (3 + 160) + (4*21 + 80) + (20 + dictBytes)}); got != want {
		t.Errorf("slice [40, 60): %+v, want %+v", got, want)
	}
}
