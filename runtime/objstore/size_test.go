package objstore

import (
	"errors"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

type sized struct{ n int64 }

func (s sized) SizeBytes() int64 { return s.n }

type node struct {
	Val  int64
	Next *node
}

func TestSizeOf(t *testing.T) {
	mem := checkedAlloc(t)
	rec := testRecord(mem, 100)
	defer rec.Release()
	slice := rec.NewSlice(90, 100)
	defer slice.Release()
	tbl := array.NewTableFromRecords(rec.Schema(), []arrow.Record{rec, rec})
	defer tbl.Release()

	dictType := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	db := array.NewDictionaryBuilder(mem, dictType).(*array.BinaryDictionaryBuilder)
	for _, s := range []string{"a", "bb", "a", "ccc"} {
		db.AppendString(s)
	}
	dict := db.NewArray()
	db.Release()
	defer dict.Release()
	list := 0
	var cycle node
	cycle.Next = &cycle

	tests := []struct {
		name string
		v    any
		want int64
	}{
		{"nil", nil, 0},
		{"int", 7, 8},
		{"int8", int8(7), 1},
		{"uint16", uint16(7), 2},
		{"float32", float32(1), 4},
		{"bool", true, 1},
		{"complex128", complex(1, 2), 16},
		{"string", "hello", 5},
		{"bytes", make([]byte, 33), 33},
		{"[]float64", make([]float64, 10), 80},
		{"[]int32", make([]int32, 10), 40},
		{"[]bool", make([]bool, 3), 3},
		{"error", errors.New("four"), 4},
		{"sizer", sized{1234}, 1234},
		// Flat arrays count the bytes their rows use. 100 rows: int64 and
		// float64 are 800 bytes of values + 13 of validity each; the strings
		// 13 of validity + 101*4 of offsets + 472 bytes ("row-1".."row-99"
		// but every fifth).
		{"record", rec, 813 + 813 + 13 + 404 + 472},
		{"array", rec.Column(0), 813},
		{"slice", slice.Column(0), 10*8 + 2},
		{"sliced strings", slice.Column(2), 2 + 11*4 + 6*8},
		{"table", tbl, 2 * (813 + 813 + 13 + 404 + 472)},
		// 4 int8 indices + 1 byte of validity, and the dictionary "a", "bb",
		// "ccc": 4*4 bytes of offsets + 6 of data.
		{"dictionary", dict, 4 + 1 + 16 + 6},
		{"pointer", &node{Val: 1}, 8 + 16},
		{"list", &node{Next: &node{Next: &node{}}}, 8 + 3*16},
		{"cycle", &cycle, -1}, // bounded: just must terminate
		{"map", map[int64]int64{1: 2, 3: 4}, -1},
		{"[]string", []string{"ab", "cde"}, 24 + 2*16 + 5},
		{"*int", &list, 16},
	}
	for _, tt := range tests {
		got := SizeOf(tt.v)
		if tt.want >= 0 && got != tt.want {
			t.Errorf("SizeOf(%s) = %d, want %d", tt.name, got, tt.want)
		}
		if got < 0 {
			t.Errorf("SizeOf(%s) = %d < 0", tt.name, got)
		}
	}
	// Big slices of pointerful elements are estimated, not walked whole.
	big := make([]string, 1_000_000)
	for i := range big {
		big[i] = "xy"
	}
	if got, want := SizeOf(big), int64(1_000_000*(16+2)+24); got != want {
		t.Errorf("SizeOf(1e6 strings) = %d, want %d (extrapolated)", got, want)
	}
}

func bufLen(b *memory.Buffer) int64 {
	if b == nil {
		return 0
	}
	return int64(b.Len())
}

func TestSizeOfScalarAllocatesNothing(t *testing.T) {
	var v any = 12345
	if n := testing.AllocsPerRun(100, func() { SizeOf(v) }); n != 0 {
		t.Errorf("SizeOf(int) allocates %v times", n)
	}
}
