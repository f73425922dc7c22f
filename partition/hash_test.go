package partition

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// ktRecord wraps columns into a record with columns c0, c1, ...
func ktRecord(cols ...arrow.Array) arrow.Record {
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprint("c", i), Type: c.DataType(), Nullable: true}
	}
	for _, c := range cols {
		defer c.Release()
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), cols, int64(cols[0].Len()))
}

func ktHash(t testing.TB, rec arrow.Record, keys ...int) []uint64 {
	t.Helper()
	h := make([]uint64, rec.NumRows())
	if err := HashColumns(rec, keys, h); err != nil {
		t.Fatal(err)
	}
	return h
}

func ktArray(t testing.TB, mem memory.Allocator, dt arrow.DataType, json string) arrow.Array {
	t.Helper()
	a, _, err := array.FromJSON(mem, dt, strings.NewReader(json))
	if err != nil {
		t.Fatalf("%s %s: %v", dt, json, err)
	}
	return a
}

func ktDict(t testing.TB, mem memory.Allocator, it arrow.DataType, dict arrow.Array, idx string) arrow.Array {
	t.Helper()
	defer dict.Release()
	ia := ktArray(t, mem, it, idx)
	defer ia.Release()
	return array.NewDictionaryArray(&arrow.DictionaryType{IndexType: it, ValueType: dict.DataType()}, ia, dict)
}

// The hash decides where every row of a shuffle goes, so it must not change
// by accident: data written partitioned by one release must be found by the
// next. If this test fails because the hash was changed on purpose, update
// the values, and say so in the release notes.
func TestHashColumnsGolden(t *testing.T) {
	mem := ktMem(t)
	rec := ktRecord(
		ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[0, 1, -1, 9007199254740993, null]`),
		ktArray(t, mem, arrow.BinaryTypes.String, `["", "a", "hello", "a string longer than sixteen bytes", null]`),
		ktArray(t, mem, arrow.PrimitiveTypes.Float64, `[0, 1.5, -2.25, 1e300, null]`),
	)
	defer rec.Release()
	got := [][]uint64{ktHash(t, rec, 0), ktHash(t, rec, 1), ktHash(t, rec, 2), ktHash(t, rec, 0, 1, 2)}
	want := [][]uint64{
		{0xc5a49d04a6bab236, 0xdad5e8d114372b05, 0x1214492e4d659300, 0x3868b84f6e1a4cc, 0x6e756c6c5f6b6579},
		{0x18c7fcc651d1587e, 0x2cbcf16f0cece099, 0x621e6cb2882a56f4, 0x18eca1ff707d614d, 0x6e756c6c5f6b6579},
		{0xc5a49d04a6bab236, 0xd15c5f1e4fbd98cb, 0x309320749d262d47, 0x839c81a0d42d9d65, 0x6e756c6c5f6b6579},
		{0x1006852c9aa06395, 0x78f1aebb1a653b82, 0x826248171aa63e00, 0xb7d624a287190c8d, 0x1998f1bbfaa3b463},
	}
	for k := range want {
		for i := range want[k] {
			if got[k][i] != want[k][i] {
				t.Errorf("keys %d row %d: hash %#x, want %#x", k, i, got[k][i], want[k][i])
			}
		}
	}
	if t.Failed() {
		var b strings.Builder
		for _, row := range got {
			fmt.Fprintf(&b, "\t\t{%#x, %#x, %#x, %#x, %#x},\n", row[0], row[1], row[2], row[3], row[4])
		}
		t.Logf("now:\n%s", b.String())
	}
}

// Equal values hash equally however they are stored.
func TestHashColumnsEquivalences(t *testing.T) {
	mem := ktMem(t)
	str := func(json string) arrow.Array { return ktArray(t, mem, arrow.BinaryTypes.String, json) }
	rows := `["x", "", null, "a string longer than sixteen bytes", "x"]`
	groups := []struct {
		name string
		cols []arrow.Array
	}{
		{"integers of every width", []arrow.Array{
			ktArray(t, mem, arrow.PrimitiveTypes.Int8, `[1, -1, null, 0, 127]`),
			ktArray(t, mem, arrow.PrimitiveTypes.Int16, `[1, -1, null, 0, 127]`),
			ktArray(t, mem, arrow.PrimitiveTypes.Int32, `[1, -1, null, 0, 127]`),
			ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[1, -1, null, 0, 127]`),
			// array.FromJSON reads 2^64-1 as 2^63, so build it.
			ktUint64s(mem, []uint64{1, math.MaxUint64, 0, 0, 127}, []bool{true, true, false, true, true}),
		}},
		{"unsigned", []arrow.Array{
			ktArray(t, mem, arrow.PrimitiveTypes.Uint8, `[1, 255, null, 0]`),
			ktArray(t, mem, arrow.PrimitiveTypes.Uint16, `[1, 255, null, 0]`),
			ktArray(t, mem, arrow.PrimitiveTypes.Uint32, `[1, 255, null, 0]`),
			ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[1, 255, null, 0]`),
		}},
		{"floats, -0 and NaN", []arrow.Array{
			ktArray(t, mem, arrow.PrimitiveTypes.Float64, `[0, 1.5, null, "NaN", -2]`),
			ktArray(t, mem, arrow.PrimitiveTypes.Float32, `[-0.0, 1.5, null, "NaN", -2]`),
			ktFloats(mem, []float64{math.Copysign(0, -1), 1.5, 0, math.Float64frombits(0x7ff0000000000bad), -2}, []bool{true, true, false, true, true}),
		}},
		{"strings, binary, dictionaries", []arrow.Array{
			str(rows),
			ktArray(t, mem, arrow.BinaryTypes.LargeString, rows),
			ktArray(t, mem, arrow.BinaryTypes.Binary, `["eA==", "", null, "YSBzdHJpbmcgbG9uZ2VyIHRoYW4gc2l4dGVlbiBieXRlcw==", "eA=="]`),
			ktDict(t, mem, arrow.PrimitiveTypes.Int8, str(`["x", "", "a string longer than sixteen bytes"]`), `[0, 1, null, 2, 0]`),
			// A different dictionary, with an unused and a null entry,
			// uint16 indices.
			ktDict(t, mem, arrow.PrimitiveTypes.Uint16, str(`["unused", "a string longer than sixteen bytes", null, "", "x"]`), `[4, 3, 2, 1, 4]`),
			// A slice, so the arrays have offsets.
			ktSlice(ktDict(t, mem, arrow.PrimitiveTypes.Int64, str(`["", "x", "a string longer than sixteen bytes"]`), `[1, 1, 0, null, 2, 1, 0]`), 1, 6),
		}},
		{"booleans and sliced booleans", []arrow.Array{
			ktArray(t, mem, arrow.FixedWidthTypes.Boolean, `[true, false, null, true]`),
			ktSlice(ktArray(t, mem, arrow.FixedWidthTypes.Boolean, `[false, true, false, null, true, true]`), 1, 5),
			ktArray(t, mem, arrow.PrimitiveTypes.Uint8, `[1, 0, null, 1]`),
		}},
	}
	for _, g := range groups {
		var want []uint64
		for i, c := range g.cols {
			dt := c.DataType()
			rec := ktRecord(c)
			h := ktHash(t, rec, 0)
			rec.Release()
			if i == 0 {
				want = h
				continue
			}
			for r := range want {
				if h[r] != want[r] {
					t.Errorf("%s: column %d (%s) row %d: %#x, column 0: %#x", g.name, i, dt, r, h[r], want[r])
				}
			}
		}
	}
}

func ktUint64s(mem memory.Allocator, v []uint64, valid []bool) arrow.Array {
	b := array.NewUint64Builder(mem)
	defer b.Release()
	b.AppendValues(v, valid)
	return b.NewArray()
}

func ktFloats(mem memory.Allocator, v []float64, valid []bool) arrow.Array {
	b := array.NewFloat64Builder(mem)
	defer b.Release()
	b.AppendValues(v, valid)
	return b.NewArray()
}

func ktSlice(a arrow.Array, i, j int64) arrow.Array {
	defer a.Release()
	return array.NewSlice(a, i, j)
}

// Every supported type: equal values hash equally, unequal ones not, and a
// null hashes as the null hash, as the first key or a later one.
func TestHashColumnsTypes(t *testing.T) {
	mem := ktMem(t)
	cases := []struct {
		dt   arrow.DataType
		json string // rows a, b, a, null
	}{
		{arrow.PrimitiveTypes.Int8, `[3, -3, 3, null]`},
		{arrow.PrimitiveTypes.Int16, `[3, -3, 3, null]`},
		{arrow.PrimitiveTypes.Int32, `[3, -3, 3, null]`},
		{arrow.PrimitiveTypes.Int64, `[3, -3, 3, null]`},
		{arrow.PrimitiveTypes.Uint8, `[3, 4, 3, null]`},
		{arrow.PrimitiveTypes.Uint16, `[3, 4, 3, null]`},
		{arrow.PrimitiveTypes.Uint32, `[3, 4, 3, null]`},
		{arrow.PrimitiveTypes.Uint64, `[3, 4, 3, null]`},
		{arrow.PrimitiveTypes.Float32, `[3, 4, 3, null]`},
		{arrow.PrimitiveTypes.Float64, `[3, 4, 3, null]`},
		{arrow.FixedWidthTypes.Boolean, `[true, false, true, null]`},
		{arrow.BinaryTypes.String, `["ab", "ba", "ab", null]`},
		{arrow.BinaryTypes.LargeString, `["ab", "ba", "ab", null]`},
		{arrow.BinaryTypes.Binary, `["YWI=", "YmE=", "YWI=", null]`},
		{arrow.BinaryTypes.LargeBinary, `["YWI=", "YmE=", "YWI=", null]`},
		{&arrow.FixedSizeBinaryType{ByteWidth: 2}, `["YWI=", "YmE=", "YWI=", null]`},
		{&arrow.Decimal128Type{Precision: 10, Scale: 2}, `["1.25", "-1.25", "1.25", null]`},
		{&arrow.Decimal256Type{Precision: 40, Scale: 2}, `["1.25", "-1.25", "1.25", null]`},
		{arrow.FixedWidthTypes.Date32, `[19000, 19001, 19000, null]`},
		{arrow.FixedWidthTypes.Date64, `[86400000, 0, 86400000, null]`},
		{arrow.FixedWidthTypes.Time32s, `[5, 6, 5, null]`},
		{arrow.FixedWidthTypes.Time64us, `[5, 6, 5, null]`},
		{arrow.FixedWidthTypes.Timestamp_us, `[5, 6, 5, null]`},
		{arrow.FixedWidthTypes.Duration_ms, `[5, 6, 5, null]`},
		{&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Uint32, ValueType: arrow.PrimitiveTypes.Float64}, `[1.5, 2.5, 1.5, null]`},
	}
	for _, c := range cases {
		rec := ktRecord(ktArray(t, mem, c.dt, c.json), ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[7, 7, 7, 7]`))
		for _, keys := range [][]int{{0}, {1, 0}} {
			h := ktHash(t, rec, keys...)
			if h[0] != h[2] || h[0] == h[1] {
				t.Errorf("%s keys %v: hashes %#x, want rows 0 and 2 alike, 1 different", c.dt, keys, h[:3])
			}
			null := uint64(nullHash)
			if len(keys) == 2 {
				null = combine(hashWord(7), nullHash)
			}
			if h[3] != null {
				t.Errorf("%s keys %v: null hashes as %#x, want %#x", c.dt, keys, h[3], null)
			}
		}
		rec.Release()
	}

	// A null column hashes as nulls; no keys hash every row alike.
	rec := ktRecord(array.NewNull(3))
	defer rec.Release()
	for _, h := range ktHash(t, rec, 0) {
		if h != nullHash {
			t.Errorf("null type: %#x", h)
		}
	}
	h := ktHash(t, rec)
	if h[0] != h[1] || h[1] != h[2] {
		t.Errorf("no keys: %#x", h)
	}
}

// Keys combine in order; swapping two keys changes the hash.
func TestHashColumnsKeyOrder(t *testing.T) {
	mem := ktMem(t)
	rec := ktRecord(
		ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[1, 2, null]`),
		ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[2, 1, 5]`),
	)
	defer rec.Release()
	ab, ba := ktHash(t, rec, 0, 1), ktHash(t, rec, 1, 0)
	if ab[0] == ba[0] || ab[0] == ab[1] || ab[2] == ba[2] {
		t.Errorf("(a, b) %#x, (b, a) %#x", ab, ba)
	}
}

// The hash spreads keys evenly over buckets, and its low bits stay well
// mixed inside one bucket, for hash tables downstream.
func TestHashColumnsDistribution(t *testing.T) {
	mem := ktMem(t)
	const n = 1 << 20
	b := array.NewInt64Builder(mem)
	for i := range n {
		b.Append(int64(i))
	}
	sb := array.NewStringBuilder(mem)
	for i := range n {
		sb.Append(fmt.Sprint("key-", i))
	}
	rec := ktRecord(b.NewArray(), sb.NewArray())
	b.Release()
	sb.Release()
	defer rec.Release()
	for _, keys := range [][]int{{0}, {1}, {0, 1}} {
		h := ktHash(t, rec, keys...)
		for _, nout := range []int{2, 7, 8, 64} {
			counts := make([]int, nout)
			low := make([]int, 256) // low 8 bits of the hashes in bucket 0
			for _, x := range h {
				o := HashBucket(x, nout)
				counts[o]++
				if o == 0 {
					low[x&255]++
				}
			}
			want := float64(n) / float64(nout)
			for o, c := range counts {
				if math.Abs(float64(c)-want) > 6*math.Sqrt(want) {
					t.Errorf("keys %v nout %d: bucket %d has %d rows, want about %.0f", keys, nout, o, c, want)
				}
			}
			wantLow := float64(counts[0]) / 256
			for v, c := range low {
				if math.Abs(float64(c)-wantLow) > 6*math.Sqrt(wantLow) {
					t.Errorf("keys %v nout %d: low byte %#x has %d of bucket 0's rows, want about %.0f", keys, nout, v, c, wantLow)
					break
				}
			}
		}
		seen := make(map[uint64]bool, n)
		for _, x := range h {
			seen[x] = true
		}
		if len(seen) != n {
			t.Errorf("keys %v: %d collisions among %d distinct keys", keys, n-len(seen), n)
		}
	}
}

func TestHashBucketRange(t *testing.T) {
	for _, n := range []int{1, 2, 3, 1000, 1 << 20} {
		for _, h := range []uint64{0, 1, 1 << 32, math.MaxUint64, 0x8000000000000000} {
			if b := HashBucket(h, n); b < 0 || b >= n {
				t.Errorf("HashBucket(%#x, %d) = %d", h, n, b)
			}
		}
	}
}

func TestHashColumnsErrors(t *testing.T) {
	mem := ktMem(t)
	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int32)
	lb.AppendNull()
	rec := ktRecord(ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[1]`), lb.NewArray())
	lb.Release()
	defer rec.Release()
	err := HashColumns(rec, []int{0, 1}, make([]uint64, 1))
	if !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), `"c1"`) || !strings.Contains(err.Error(), "list<item: int32") {
		t.Errorf("list key: %v", err)
	}
	if err := HashColumns(rec, []int{2}, make([]uint64, 1)); !errors.Is(err, ErrUnknownColumn) {
		t.Errorf("key out of range: %v", err)
	}
	if err := HashColumns(rec, []int{0}, make([]uint64, 2)); err == nil {
		t.Error("len(out) != rows: no error")
	}
}

func ExampleHashColumns() {
	b := array.NewStringBuilder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues([]string{"x", "y", "x", ""}, []bool{true, true, true, false})
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "k", Type: col.DataType(), Nullable: true}}, nil), []arrow.Array{col}, 4)
	defer rec.Release()

	h := make([]uint64, rec.NumRows())
	if err := HashColumns(rec, []int{0}, h); err != nil {
		panic(err)
	}
	fmt.Println(h[0] == h[2], h[0] == h[1])
	for _, x := range h {
		fmt.Print(HashBucket(x, 4), " ")
	}
	fmt.Println()
	// Output:
	// true false
	// 1 3 1 1
}
