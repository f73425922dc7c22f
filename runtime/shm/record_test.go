package shm

import (
	"context"
	"testing"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// testRecord builds a record with a column of most supported layouts,
// nulls included, from mem.
func testRecord(mem memory.Allocator, rows int) arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "i64", Type: arrow.PrimitiveTypes.Int64},
		{Name: "f64", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "ls", Type: arrow.BinaryTypes.LargeString},
		{Name: "fsb", Type: &arrow.FixedSizeBinaryType{ByteWidth: 3}},
		{Name: "l", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
		{Name: "st", Type: arrow.StructOf(
			arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int16},
			arrow.Field{Name: "b", Type: arrow.BinaryTypes.Binary, Nullable: true})},
		{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond}},
		{Name: "n", Type: arrow.Null, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for i := range rows {
		b.Field(0).(*array.Int64Builder).Append(int64(i) * 3)
		if i%5 == 0 {
			b.Field(1).AppendNull()
			b.Field(2).AppendNull()
			b.Field(3).AppendNull()
			b.Field(6).AppendNull()
		} else {
			b.Field(1).(*array.Float64Builder).Append(float64(i) / 4)
			b.Field(2).(*array.BooleanBuilder).Append(i%3 == 0)
			b.Field(3).(*array.StringBuilder).Append("row " + string(rune('a'+i%26)))
			lb := b.Field(6).(*array.ListBuilder)
			lb.Append(true)
			for k := range i % 4 {
				lb.ValueBuilder().(*array.Int32Builder).Append(int32(i + k))
			}
		}
		b.Field(4).(*array.LargeStringBuilder).Append("large")
		b.Field(5).(*array.FixedSizeBinaryBuilder).Append([]byte{byte(i), 1, 2})
		sb := b.Field(7).(*array.StructBuilder)
		sb.Append(true)
		sb.FieldBuilder(0).(*array.Int16Builder).Append(int16(i))
		if i%2 == 0 {
			sb.FieldBuilder(1).AppendNull()
		} else {
			sb.FieldBuilder(1).(*array.BinaryBuilder).Append([]byte{byte(i)})
		}
		b.Field(8).(*array.TimestampBuilder).Append(arrow.Timestamp(i))
		b.Field(9).AppendNull()
	}
	return b.NewRecord()
}

// inMapping reports whether every non-empty buffer of d lies in data.
func inMapping(d arrow.ArrayData, data []byte) bool {
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	hi := lo + uintptr(len(data))
	for _, b := range d.Buffers() {
		if b == nil || b.Len() == 0 {
			continue
		}
		p := uintptr(unsafe.Pointer(unsafe.SliceData(b.Bytes())))
		if p < lo || p+uintptr(b.Len()) > hi {
			return false
		}
	}
	for _, c := range d.Children() {
		if !inMapping(c, data) {
			return false
		}
	}
	return true
}

func TestRecordRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for i, rows := range []int{0, 1, 2, 3, 16, 1000} {
		want := testRecord(mem, rows)
		id := testID(byte(i + 1))
		if err := c.PutRecord(ctx, id, want); err != nil {
			t.Fatal(err)
		}
		got, err := c.GetRecord(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !array.RecordEqual(got, want) {
			t.Errorf("%d rows: got\n%v\nwant\n%v", rows, got, want)
		}
		if info := stat(t, s, id); info.Pins != 1 {
			t.Errorf("%d rows: %d pins while the record is held, want 1", rows, info.Pins)
		}
		// Columns taken out of the record keep the mapping alive.
		col := got.Column(3)
		col.Retain()
		got.Release()
		if info := stat(t, s, id); info.Pins != 1 {
			t.Errorf("%d rows: %d pins while a column is held, want 1", rows, info.Pins)
		}
		if !array.Equal(col, want.Column(3)) {
			t.Errorf("%d rows: column differs after the record's release", rows)
		}
		col.Release()
		if info := stat(t, s, id); info.Pins != 0 {
			t.Errorf("%d rows: %d pins after release, want 0", rows, info.Pins)
		}
		want.Release()
	}
}

// TestRecordZeroCopy: every buffer of the record lies in the mapping.
func TestRecordZeroCopy(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	want := testRecord(memory.DefaultAllocator, 100)
	defer want.Release()
	id := testID(1)
	if err := c.PutRecord(ctx, id, want); err != nil {
		t.Fatal(err)
	}
	data, release, err := c.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	released := false
	got, zeroCopy, err := recordFromIPC(data, func() { released = true; release() })
	if err != nil {
		t.Fatal(err)
	}
	if !zeroCopy {
		t.Fatal("record was copied")
	}
	for i, col := range got.Columns() {
		if !inMapping(col.Data(), data) {
			t.Errorf("column %s has buffers outside the mapping", got.ColumnName(i))
		}
	}
	if !array.RecordEqual(got, want) {
		t.Error("record differs")
	}
	if released {
		t.Error("mapping released while the record is live")
	}
	got.Release()
	if !released {
		t.Error("mapping not released with the record")
	}
}

// TestRecordCopyFallback: dictionary columns cannot be read in place; the
// record is read by copying and the mapping released at once.
func TestRecordCopyFallback(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{{Name: "d", Type: dt}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	db := b.Field(0).(*array.BinaryDictionaryBuilder)
	for _, v := range []string{"x", "y", "x", "z"} {
		if err := db.AppendString(v); err != nil {
			t.Fatal(err)
		}
	}
	want := b.NewRecord()
	defer want.Release()
	id := testID(1)
	if err := c.PutRecord(ctx, id, want); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetRecord(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	defer got.Release()
	if !array.RecordEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
	if info := stat(t, s, id); info.Pins != 0 {
		t.Errorf("%d pins on a copied record, want 0", info.Pins)
	}
}

func TestGetRecordNotIPC(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	c := newClient(t, s)
	id := testID(1)
	if err := c.Put(ctx, id, []byte("not an arrow stream")); err != nil {
		t.Fatal(err)
	}
	_, err := c.GetRecord(ctx, id)
	want := "shm: node n1: object 00000000000000000000000000000001: malformed Arrow IPC message"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	if info := stat(t, s, id); info.Pins != 0 {
		t.Errorf("%d pins after a failed GetRecord, want 0", info.Pins)
	}
}
