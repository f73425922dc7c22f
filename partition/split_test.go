package partition

// Tests of the shuffle kernels (split.go). Hand-made records pin exact
// outputs; random records (every column type the scatter handles, random
// nulls, sizes 0, 1, 2, 3, 16 and 1000, the seed logged and settable with
// -kernel.seed) check the properties a shuffle relies on. Every test
// allocates from a checked allocator that must be back at zero at its end.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/decimal128"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

var kernelSeed = flag.Uint64("kernel.seed", 0, "seed of the kernel tests' random records (0: from the clock)")

// ktSizes are the row counts every random test runs over.
var ktSizes = []int{0, 1, 2, 3, 16, 1000}

func ktRand(t testing.TB) *rand.Rand {
	seed := *kernelSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -kernel.seed=%d)", seed, seed)
	return rand.New(rand.NewPCG(seed, seed^0x5eed))
}

// ktMem returns a checked allocator that must hold zero bytes when the test
// ends.
func ktMem(t testing.TB) *memory.CheckedAllocator {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return mem
}

func ktRelease(recs []arrow.Record) {
	for _, r := range recs {
		if r != nil {
			r.Release()
		}
	}
}

func ktRun(t testing.TB, k Kernel, in []arrow.Record, nout int) []arrow.Record {
	t.Helper()
	out, err := k.Fn(context.Background(), in, nout)
	if err != nil {
		t.Fatalf("%s: %v", k.Name, err)
	}
	if len(out) != nout {
		t.Fatalf("%s: %d outputs, want %d", k.Name, len(out), nout)
	}
	return out
}

// ktRow renders row i of rec as text, one cell per column.
func ktRow(rec arrow.Record, i int) string {
	cells := make([]string, rec.NumCols())
	for c, col := range rec.Columns() {
		cells[c] = col.ValueStr(i)
	}
	return strings.Join(cells, "|")
}

func ktRows(recs ...arrow.Record) []string {
	var rows []string
	for _, rec := range recs {
		for i := 0; i < int(rec.NumRows()); i++ {
			rows = append(rows, ktRow(rec, i))
		}
	}
	return rows
}

// ktCheck checks what every kernel output must satisfy: the schema, and
// null counts that agree with the validity bitmaps.
func ktCheck(t testing.TB, schema *arrow.Schema, recs ...arrow.Record) {
	t.Helper()
	for o, rec := range recs {
		if !rec.Schema().Equal(schema) {
			t.Fatalf("output %d: schema %v, want %v", o, rec.Schema(), schema)
		}
		for c, col := range rec.Columns() {
			if col.Len() != int(rec.NumRows()) {
				t.Fatalf("output %d column %d: %d values for %d rows", o, c, col.Len(), rec.NumRows())
			}
			nulls := 0
			for i := 0; i < col.Len(); i++ {
				if col.IsNull(i) {
					nulls++
				}
			}
			if col.DataType().ID() == arrow.NULL {
				nulls = col.Len() // array.Null has no bitmap for IsNull to read
			}
			if nulls != col.NullN() {
				t.Fatalf("output %d column %q: NullN %d, bitmap has %d nulls", o, schema.Field(c).Name, col.NullN(), nulls)
			}
		}
	}
}

// ktSameRows checks that got holds exactly the rows of want, in any order.
func ktSameRows(t testing.TB, want []string, got []string) {
	t.Helper()
	want, got = slices.Clone(want), slices.Clone(got)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		t.Fatalf("rows differ:\nwant %d rows %.400q\ngot  %d rows %.400q", len(want), want, len(got), got)
	}
}

// ktData is a table as Go values, from which records are built with
// different chunking and dictionaries. A false valid flag is a null.
type ktData struct {
	ki    []int32 // small-range int key
	ks    []string
	f     []float64 // with NaN and -0.0
	b     []bool
	ts    []int64
	d32   []int32
	lst   [][]int32
	sa    []int64 // struct{a int64, s string}
	ss    []string
	bin   [][]byte
	dec   []int64
	fsb   [][3]byte
	sv    []string
	valid [][]bool // per column of ktSchema but id
}

var ktVocab = []string{"", "a", "b", "apple", "banana split", "a string longer than sixteen bytes", "zz"}

var ktSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "ki", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
	{Name: "ks", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "kd", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}, Nullable: true},
	{Name: "ls", Type: arrow.BinaryTypes.LargeString, Nullable: true},
	{Name: "f", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "b", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	{Name: "ts", Type: arrow.FixedWidthTypes.Timestamp_ms, Nullable: true},
	{Name: "d32", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
	{Name: "lst", Type: arrow.ListOf(arrow.PrimitiveTypes.Int32), Nullable: true},
	{Name: "st", Type: arrow.StructOf(
		arrow.Field{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		arrow.Field{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}), Nullable: true},
	{Name: "bin", Type: arrow.BinaryTypes.Binary, Nullable: true},
	{Name: "dec", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}, Nullable: true},
	{Name: "fsb", Type: &arrow.FixedSizeBinaryType{ByteWidth: 3}, Nullable: true},
	{Name: "sv", Type: arrow.BinaryTypes.StringView, Nullable: true},
}, nil)

// Column numbers of ktSchema.
const (
	ktID = iota
	ktKI
	ktKS
	ktKD
	ktLS
	ktF
	ktB
	ktTS
	ktD32
	ktLst
	ktSt
	ktBin
	ktDec
	ktFsb
	ktSv
	ktNumCols
)

func ktRandData(rng *rand.Rand, n int) *ktData {
	d := &ktData{valid: make([][]bool, ktNumCols)}
	nullRate := []float64{0, 0.1, 0.3}[rng.IntN(3)]
	for c := range d.valid {
		d.valid[c] = make([]bool, n)
		for i := range d.valid[c] {
			d.valid[c][i] = c == ktID || rng.Float64() >= nullRate
		}
	}
	word := func() string { return ktVocab[rng.IntN(len(ktVocab))] }
	for range n {
		d.ki = append(d.ki, int32(rng.IntN(5))-2)
		d.ks = append(d.ks, word())
		f := []float64{math.NaN(), math.Copysign(0, -1), 0, 1.5, -2.25, float64(rng.IntN(100))}[rng.IntN(6)]
		d.f = append(d.f, f)
		d.b = append(d.b, rng.IntN(2) == 0)
		d.ts = append(d.ts, 1_700_000_000_000+int64(rng.IntN(5))*1000)
		d.d32 = append(d.d32, int32(19000+rng.IntN(4)))
		l := make([]int32, rng.IntN(4))
		for j := range l {
			l[j] = int32(rng.IntN(1000)) - 1 // -1 stands for a null element
		}
		d.lst = append(d.lst, l)
		d.sa = append(d.sa, int64(rng.IntN(3)))
		d.ss = append(d.ss, word())
		b := make([]byte, rng.IntN(20))
		for j := range b {
			b[j] = byte(rng.IntN(256))
		}
		d.bin = append(d.bin, b)
		d.dec = append(d.dec, int64(rng.IntN(20000))-10000)
		d.fsb = append(d.fsb, [3]byte{byte(rng.IntN(3)), 'x', byte(rng.IntN(256))})
		d.sv = append(d.sv, word()+word())
	}
	return d
}

// record builds rows [lo, hi) of d. Its dictionary for kd is the words used
// in a random order with unused words mixed in, so two records of the same
// rows have different dictionaries.
func (d *ktData) record(rng *rand.Rand, mem memory.Allocator, lo, hi int) arrow.Record {
	n := hi - lo
	v := func(c int) []bool { return d.valid[c][lo:hi] }
	cols := make([]arrow.Array, ktNumCols)
	defer releaseArrays(cols)

	ib := array.NewInt64Builder(mem)
	for i := lo; i < hi; i++ {
		ib.Append(int64(i))
	}
	cols[ktID] = ib.NewArray()
	ib.Release()

	i32 := array.NewInt32Builder(mem)
	i32.AppendValues(d.ki[lo:hi], v(ktKI))
	cols[ktKI] = i32.NewArray()
	i32.Release()

	sb := array.NewStringBuilder(mem)
	sb.AppendValues(d.ks[lo:hi], v(ktKS))
	cols[ktKS] = sb.NewArray()

	// kd: the dictionary is a shuffled vocabulary.
	perm := rng.Perm(len(ktVocab))
	for _, p := range perm {
		sb.Append(ktVocab[p])
	}
	dict := sb.NewArray()
	sb.Release()
	where := make(map[string]int16)
	for j, p := range perm {
		where[ktVocab[p]] = int16(j)
	}
	i16 := array.NewInt16Builder(mem)
	for i := lo; i < hi; i++ {
		if d.valid[ktKD][i] {
			i16.Append(where[d.ks[i]]) // kd holds ks's words
		} else {
			i16.AppendNull()
		}
	}
	idx := i16.NewArray()
	i16.Release()
	cols[ktKD] = array.NewDictionaryArray(ktSchema.Field(ktKD).Type, idx, dict)
	idx.Release()
	dict.Release()

	lsb := array.NewLargeStringBuilder(mem)
	lsb.AppendValues(d.ks[lo:hi], v(ktLS))
	cols[ktLS] = lsb.NewArray()
	lsb.Release()

	fb := array.NewFloat64Builder(mem)
	fb.AppendValues(d.f[lo:hi], v(ktF))
	cols[ktF] = fb.NewArray()
	fb.Release()

	bb := array.NewBooleanBuilder(mem)
	bb.AppendValues(d.b[lo:hi], v(ktB))
	cols[ktB] = bb.NewArray()
	bb.Release()

	tb := array.NewTimestampBuilder(mem, arrow.FixedWidthTypes.Timestamp_ms.(*arrow.TimestampType))
	for i := lo; i < hi; i++ {
		if d.valid[ktTS][i] {
			tb.Append(arrow.Timestamp(d.ts[i]))
		} else {
			tb.AppendNull()
		}
	}
	cols[ktTS] = tb.NewArray()
	tb.Release()

	db := array.NewDate32Builder(mem)
	for i := lo; i < hi; i++ {
		if d.valid[ktD32][i] {
			db.Append(arrow.Date32(d.d32[i]))
		} else {
			db.AppendNull()
		}
	}
	cols[ktD32] = db.NewArray()
	db.Release()

	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int32)
	lv := lb.ValueBuilder().(*array.Int32Builder)
	for i := lo; i < hi; i++ {
		if !d.valid[ktLst][i] {
			lb.AppendNull()
			continue
		}
		lb.Append(true)
		for _, x := range d.lst[i] {
			if x < 0 {
				lv.AppendNull()
			} else {
				lv.Append(x)
			}
		}
	}
	cols[ktLst] = lb.NewArray()
	lb.Release()

	stb := array.NewStructBuilder(mem, ktSchema.Field(ktSt).Type.(*arrow.StructType))
	sab := stb.FieldBuilder(0).(*array.Int64Builder)
	ssb := stb.FieldBuilder(1).(*array.StringBuilder)
	for i := lo; i < hi; i++ {
		if !d.valid[ktSt][i] {
			stb.AppendNull()
			continue
		}
		stb.Append(true)
		if d.sa[i] == 0 {
			sab.AppendNull()
		} else {
			sab.Append(d.sa[i])
		}
		ssb.Append(d.ss[i])
	}
	cols[ktSt] = stb.NewArray()
	stb.Release()

	binb := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
	binb.AppendValues(d.bin[lo:hi], v(ktBin))
	cols[ktBin] = binb.NewArray()
	binb.Release()

	decb := array.NewDecimal128Builder(mem, ktSchema.Field(ktDec).Type.(*arrow.Decimal128Type))
	for i := lo; i < hi; i++ {
		if d.valid[ktDec][i] {
			decb.Append(decimal128.FromI64(d.dec[i]))
		} else {
			decb.AppendNull()
		}
	}
	cols[ktDec] = decb.NewArray()
	decb.Release()

	fsbb := array.NewFixedSizeBinaryBuilder(mem, ktSchema.Field(ktFsb).Type.(*arrow.FixedSizeBinaryType))
	for i := lo; i < hi; i++ {
		if d.valid[ktFsb][i] {
			fsbb.Append(d.fsb[i][:])
		} else {
			fsbb.AppendNull()
		}
	}
	cols[ktFsb] = fsbb.NewArray()
	fsbb.Release()

	svb := array.NewStringViewBuilder(mem)
	svb.AppendValues(d.sv[lo:hi], v(ktSv))
	cols[ktSv] = svb.NewArray()
	svb.Release()

	return array.NewRecord(ktSchema, cols, int64(n))
}

// ktRandRecord returns a random record of n rows, sometimes as a slice of
// a longer one (so arrays have offsets), with its data.
func ktRandRecord(rng *rand.Rand, mem memory.Allocator, n int) (arrow.Record, *ktData) {
	pad := 0
	if rng.IntN(2) == 0 {
		pad = rng.IntN(5)
	}
	d := ktRandData(rng, n+2*pad)
	whole := d.record(rng, mem, 0, n+2*pad)
	if pad == 0 {
		return whole, d
	}
	defer whole.Release()
	return whole.NewSlice(int64(pad), int64(pad+n)), d
}

func ktIDs(rec arrow.Record) []int64 {
	return rec.Column(ktID).(*array.Int64).Int64Values()
}

var ktKeySets = [][]string{{"ki"}, {"ks"}, {"kd"}, {"ls"}, {"f"}, {"ki", "kd", "f"}, {"b", "ts", "d32"}, {"bin", "dec", "fsb"}}

func TestHashSplitKernelProperties(t *testing.T) {
	mem := ktMem(t)
	rng := ktRand(t)
	for _, n := range ktSizes {
		for _, nout := range []int{1, 2, 3, 8} {
			for _, keys := range ktKeySets {
				rec, _ := ktRandRecord(rng, mem, n)
				name := fmt.Sprintf("rows=%d/nout=%d/keys=%s", n, nout, strings.Join(keys, ","))
				out := ktRun(t, HashSplit(keys, mem), []arrow.Record{rec}, nout)
				ktCheck(t, ktSchema, out...)

				// Where each row should go, from the hash itself.
				idx := make([]int, len(keys))
				for i, k := range keys {
					idx[i] = ktSchema.FieldIndices(k)[0]
				}
				h := make([]uint64, n)
				if err := HashColumns(rec, idx, h); err != nil {
					t.Fatal(err)
				}
				base := int64(0)
				if n > 0 {
					base = ktIDs(rec)[0]
				}
				// Each row exactly once, in its bucket, in input order;
				// equal keys together.
				seen := make(map[int64]bool)
				keyOut := make(map[string]int)
				for o, r := range out {
					prev := int64(-1)
					for i, id := range ktIDs(r) {
						if seen[id] {
							t.Fatalf("%s: row %d twice", name, id)
						}
						seen[id] = true
						if id <= prev {
							t.Fatalf("%s: output %d: row %d after %d", name, o, id, prev)
						}
						prev = id
						if want := HashBucket(h[id-base], nout); want != o {
							t.Fatalf("%s: row %d in output %d, its bucket is %d", name, id, o, want)
						}
						var kv []string
						for _, c := range idx {
							cell := r.Column(c).ValueStr(i)
							if cell == "-0" {
								cell = "0" // -0.0 hashes as 0.0
							}
							kv = append(kv, cell)
						}
						k := strings.Join(kv, "|")
						if got, ok := keyOut[k]; ok && got != o {
							t.Fatalf("%s: key %q in outputs %d and %d", name, k, got, o)
						}
						keyOut[k] = o
					}
				}
				if len(seen) != n {
					t.Fatalf("%s: %d rows out, %d in", name, len(seen), n)
				}
				ktSameRows(t, ktRows(rec), ktRows(out...))
				ktRelease(out)
				rec.Release()
			}
		}
	}
}

// The same rows split from differently chunked records, with different
// dictionaries and offsets, land in the same output index: what makes a
// hash shuffle correct.
func TestHashSplitKernelCoPartitions(t *testing.T) {
	mem := ktMem(t)
	rng := ktRand(t)
	const nout = 7
	for _, n := range ktSizes {
		d := ktRandData(rng, n)
		for _, keys := range ktKeySets {
			where := make(map[int64]int) // row id -> output, from the whole record
			whole := d.record(rng, mem, 0, n)
			out := ktRun(t, HashSplit(keys, mem), []arrow.Record{whole}, nout)
			for o, r := range out {
				for _, id := range ktIDs(r) {
					where[id] = o
				}
			}
			ktRelease(out)

			// Chunks: some built afresh (new dictionary), some sliced from
			// whole (offsets, shared dictionary).
			for lo := 0; lo < n; {
				hi := min(n, lo+1+rng.IntN(max(1, n/3)))
				var chunk arrow.Record
				if rng.IntN(2) == 0 {
					chunk = d.record(rng, mem, lo, hi)
				} else {
					chunk = whole.NewSlice(int64(lo), int64(hi))
				}
				out := ktRun(t, HashSplit(keys, mem), []arrow.Record{chunk}, nout)
				for o, r := range out {
					for _, id := range ktIDs(r) {
						if where[id] != o {
							t.Fatalf("rows %d keys %v: row %d goes to %d from the whole record, %d from rows [%d, %d)", n, keys, id, where[id], o, lo, hi)
						}
					}
				}
				ktRelease(out)
				chunk.Release()
				lo = hi
			}
			whole.Release()
		}
	}
}

// ktMini is a small hand-made record: k int64 key, s dictionary string,
// v string payload, with nulls in keys and values.
func ktMini(mem memory.Allocator) arrow.Record {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "s", Type: &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}, Nullable: true},
		{Name: "v", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 3, 1, 0, 2, 7, 0}, []bool{true, true, true, true, false, true, true, false})
	sd := b.Field(1).(*array.BinaryDictionaryBuilder)
	for _, s := range []string{"x", "y", "", "x", "-", "y", "z", "-"} {
		if s == "-" {
			sd.AppendNull()
		} else if err := sd.AppendString(s); err != nil {
			panic(err)
		}
	}
	b.Field(2).(*array.StringBuilder).AppendValues([]string{"a", "b", "c", "d", "e", "f", "", "h"}, []bool{true, true, true, true, true, true, false, true})
	return b.NewRecord()
}

// The exact split of a small record. A change of the hash function or of
// HashBucket shows here (and in TestHashColumnsGolden).
func TestHashSplitKernelExact(t *testing.T) {
	mem := ktMem(t)
	rec := ktMini(mem)
	defer rec.Release()
	out := ktRun(t, HashSplit([]string{"k"}, mem), []arrow.Record{rec}, 3)
	defer ktRelease(out)
	ktCheck(t, rec.Schema(), out...)
	var got []string
	for _, r := range out {
		got = append(got, strings.Join(ktRows(r), " ; "))
	}
	want := []string{
		"3||c",
		"(null)|(null)|e ; (null)|(null)|h",
		"1|x|a ; 2|y|b ; 1|x|d ; 2|y|f ; 7|z|(null)",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("outputs:\n%q\nwant\n%q", got, want)
	}
}

func TestHashSplitKernelErrors(t *testing.T) {
	mem := ktMem(t)
	rec := ktMini(mem)
	defer rec.Release()
	ctx := context.Background()
	_, err := HashSplit([]string{"k", "nope"}, mem).Fn(ctx, []arrow.Record{rec}, 2)
	if !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), `"nope"`) || !strings.Contains(err.Error(), "columns: k, s, v") {
		t.Errorf("unknown key: %v", err)
	}
	if _, err := HashSplit([]string{"k"}, mem).Fn(ctx, []arrow.Record{rec, rec}, 2); !errors.Is(err, ErrKernelArity) {
		t.Errorf("two inputs: %v", err)
	}
	if _, err := HashSplit([]string{"k"}, mem).Fn(ctx, []arrow.Record{rec}, 0); !errors.Is(err, ErrKernelArity) {
		t.Errorf("no outputs: %v", err)
	}

	lb := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int32)
	lb.AppendNull()
	lst := lb.NewArray()
	lb.Release()
	defer lst.Release()
	lrec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "tags", Type: lst.DataType(), Nullable: true}}, nil), []arrow.Array{lst}, 1)
	defer lrec.Release()
	for _, nout := range []int{1, 4} {
		_, err = HashSplit([]string{"tags"}, mem).Fn(ctx, []arrow.Record{lrec}, nout)
		if !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), `"tags"`) || !strings.Contains(err.Error(), "list<item: int32") {
			t.Errorf("list key, nout %d: %v", nout, err)
		}
	}
}

func TestRangeSplitKernelExact(t *testing.T) {
	mem := ktMem(t)
	int64s := func(vals []int64, valid []bool) arrow.Array {
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	}
	strs := func(vals []string, valid []bool) arrow.Array {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	}
	dictOf := func(vals []string, valid []bool, dict []string) arrow.Array {
		d := strs(dict, nil)
		defer d.Release()
		b := array.NewDictionaryBuilderWithDict(mem, &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, d).(*array.BinaryDictionaryBuilder)
		defer b.Release()
		for i, s := range vals {
			if valid != nil && !valid[i] {
				b.AppendNull()
			} else if err := b.AppendString(s); err != nil {
				t.Fatal(err)
			}
		}
		return b.NewArray()
	}
	floats := func(vals []float64, valid []bool) arrow.Array {
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	}
	dates := func(vals []int32) arrow.Array {
		b := array.NewDate32Builder(mem)
		defer b.Release()
		for _, v := range vals {
			b.Append(arrow.Date32(v))
		}
		return b.NewArray()
	}
	stamps := func(vals []int64) arrow.Array {
		b := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"})
		defer b.Release()
		for _, v := range vals {
			b.Append(arrow.Timestamp(v))
		}
		return b.NewArray()
	}
	int32s := func(vals []int32, valid []bool) arrow.Array {
		b := array.NewInt32Builder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewArray()
	}
	largeStrs := func(vals []string) arrow.Array {
		b := array.NewLargeStringBuilder(mem)
		defer b.Release()
		b.AppendValues(vals, nil)
		return b.NewArray()
	}
	yes, no := true, false
	cases := []struct {
		name      string
		key       arrow.Array
		splitters arrow.Array
		desc      bool
		want      string // the key column of each output
	}{
		{"int64 asc", int64s([]int64{5, 10, 15, 20, 25, 0, -3}, []bool{yes, yes, yes, yes, yes, no, yes}), int64s([]int64{10, 20}, nil), false,
			"[5 -3] [10 15] [20 25 (null)]"},
		{"int64 desc", int64s([]int64{5, 10, 15, 20, 25, 0}, []bool{yes, yes, yes, yes, yes, no}), int64s([]int64{20, 10}, nil), true,
			"[25] [15 20] [5 10 (null)]"},
		{"int32 key, int64 splitters", int32s([]int32{1, 2, 3, 0}, []bool{yes, yes, yes, no}), int64s([]int64{2}, nil), false,
			"[1] [2 3 (null)]"},
		{"equal splitters leave a bucket empty", int64s([]int64{1, 2, 3}, nil), int64s([]int64{2, 2}, nil), false,
			"[1] [] [2 3]"},
		{"no splitters", int64s([]int64{3, 1}, nil), int64s(nil, nil), false, "[3 1]"},
		{"float NaN and null last", floats([]float64{math.NaN(), -1, 0.5, 2, 0}, []bool{yes, yes, yes, yes, no}), floats([]float64{0, 1}, nil), false,
			"[-1] [0.5] [NaN 2 (null)]"},
		{"float -0 equals 0", floats([]float64{math.Copysign(0, -1), 0}, nil), floats([]float64{0}, nil), false,
			"[] [-0 0]"},
		{"string asc", strs([]string{"b", "", "apple", "banana", "c", "x"}, []bool{yes, yes, yes, yes, yes, no}), strs([]string{"b", "c"}, nil), false,
			"[ apple] [b banana] [c (null)]"},
		{"string desc", strs([]string{"b", "", "apple", "banana", "c"}, nil), strs([]string{"banana", "apple"}, nil), true,
			"[c] [b banana] [ apple]"},
		{"large string key", largeStrs([]string{"m", "a", "z"}), strs([]string{"m"}, nil), false, "[a] [m z]"},
		{"dictionary key", dictOf([]string{"z", "a", "m", "q", "b"}, []bool{yes, yes, yes, no, yes}, []string{"q", "z", "m", "a", "unused"}), strs([]string{"b", "n"}, nil), false,
			"[a] [m b] [z (null)]"},
		{"dictionary key, dictionary splitters", dictOf([]string{"z", "a", "m"}, nil, []string{"m"}), dictOf([]string{"b", "n"}, nil, []string{"n", "b"}), false,
			"[a] [m] [z]"},
		{"date32", dates([]int32{19000, 19001, 19002}), dates([]int32{19001}), false, "[2022-01-08] [2022-01-09 2022-01-10]"},
		{"timestamp desc", stamps([]int64{10, 20, 30}), stamps([]int64{20}), true, "[1970-01-01 00:00:30Z] [1970-01-01 00:00:10Z 1970-01-01 00:00:20Z]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer c.key.Release()
			defer c.splitters.Release()
			schema := arrow.NewSchema([]arrow.Field{{Name: "key", Type: c.key.DataType(), Nullable: true}}, nil)
			rec := array.NewRecord(schema, []arrow.Array{c.key}, int64(c.key.Len()))
			defer rec.Release()
			k := RangeSplit("key", c.splitters, c.desc, mem)
			out := ktRun(t, k, []arrow.Record{rec}, c.splitters.Len()+1)
			defer ktRelease(out)
			ktCheck(t, schema, out...)
			var got []string
			for _, r := range out {
				got = append(got, "["+strings.Join(ktRows(r), " ")+"]")
			}
			if g := strings.Join(got, " "); g != c.want {
				t.Errorf("got %s, want %s", g, c.want)
			}
		})
	}
}

func TestRangeSplitKernelProperties(t *testing.T) {
	mem := ktMem(t)
	rng := ktRand(t)
	for _, n := range ktSizes {
		for _, key := range []string{"ki", "ks", "kd", "ls", "f", "ts", "d32"} {
			for _, desc := range []bool{false, true} {
				rec, _ := ktRandRecord(rng, mem, n)
				col := rec.Column(ktSchema.FieldIndices(key)[0])
				// Splitters: a sorted sample of the key's non-null values
				// (duplicates allowed), as a plain array of the value type.
				var sample []int
				for i := 0; i < col.Len() && len(sample) < 4; i++ {
					if col.IsValid(i) && rng.IntN(3) == 0 {
						if f, ok := col.(*array.Float64); ok && math.IsNaN(f.Value(i)) {
							continue
						}
						sample = append(sample, i)
					}
				}
				splitters := ktSplitters(t, mem, col, sample, desc)
				nout := splitters.Len() + 1
				name := fmt.Sprintf("rows=%d/key=%s/desc=%v/splitters=%v", n, key, desc, splitters)
				out := ktRun(t, RangeSplit(key, splitters, desc, mem), []arrow.Record{rec}, nout)
				ktCheck(t, ktSchema, out...)
				for o, r := range out {
					prev := int64(-1)
					for i, id := range ktIDs(r) {
						if id <= prev {
							t.Fatalf("%s: output %d: row %d after %d", name, o, id, prev)
						}
						prev = id
						if want := ktBucket(r.Column(ktSchema.FieldIndices(key)[0]), i, splitters, desc); want != o {
							t.Fatalf("%s: row %d (%s) in output %d, want %d", name, id, ktRow(r, i), o, want)
						}
					}
				}
				ktSameRows(t, ktRows(rec), ktRows(out...))
				ktRelease(out)
				splitters.Release()
				rec.Release()
			}
		}
	}
}

// ktSplitters builds sorted splitters from rows sample of col, decoding a
// dictionary column.
func ktSplitters(t testing.TB, mem memory.Allocator, col arrow.Array, sample []int, desc bool) arrow.Array {
	if d, ok := col.(*array.Dictionary); ok {
		for i := range sample {
			sample[i] = d.GetValueIndex(sample[i])
		}
		col = d.Dictionary()
	}
	less := func(a, b int) int { return ktCompare(col, a, col, b) }
	slices.SortFunc(sample, less)
	if desc {
		slices.Reverse(sample)
	}
	b := array.NewBuilder(mem, col.DataType())
	defer b.Release()
	for _, i := range sample {
		switch c := col.(type) {
		case *array.Int32:
			b.(*array.Int32Builder).Append(c.Value(i))
		case *array.Float64:
			b.(*array.Float64Builder).Append(c.Value(i))
		case *array.String:
			b.(*array.StringBuilder).Append(c.Value(i))
		case *array.LargeString:
			b.(*array.LargeStringBuilder).Append(c.Value(i))
		case *array.Timestamp:
			b.(*array.TimestampBuilder).Append(c.Value(i))
		case *array.Date32:
			b.(*array.Date32Builder).Append(c.Value(i))
		default:
			t.Fatalf("ktSplitters: %s", col.DataType())
		}
	}
	return b.NewArray()
}

// ktCompare compares a[i] with b[j], both non-null, of one type.
func ktCompare(a arrow.Array, i int, b arrow.Array, j int) int {
	switch a := a.(type) {
	case *array.Int32:
		return cmpOrdered(a.Value(i), b.(*array.Int32).Value(j))
	case *array.Float64:
		return cmpOrdered(a.Value(i), b.(*array.Float64).Value(j))
	case *array.String:
		return strings.Compare(a.Value(i), b.(*array.String).Value(j))
	case *array.LargeString:
		return strings.Compare(a.Value(i), b.(*array.LargeString).Value(j))
	case *array.Timestamp:
		return cmpOrdered(a.Value(i), b.(*array.Timestamp).Value(j))
	case *array.Date32:
		return cmpOrdered(a.Value(i), b.(*array.Date32).Value(j))
	}
	panic("ktCompare: " + a.DataType().String())
}

func cmpOrdered[T int32 | int64 | float64 | arrow.Timestamp | arrow.Date32](x, y T) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// ktBucket is RangeSplit's rule, written plainly: the first b with
// key < s[b] (key > s[b] if desc), nulls and NaN last.
func ktBucket(col arrow.Array, i int, s arrow.Array, desc bool) int {
	if col.IsNull(i) {
		return s.Len()
	}
	if d, ok := col.(*array.Dictionary); ok {
		col, i = d.Dictionary(), d.GetValueIndex(i)
		if col.IsNull(i) {
			return s.Len()
		}
	}
	if f, ok := col.(*array.Float64); ok && math.IsNaN(f.Value(i)) {
		return s.Len()
	}
	for b := 0; b < s.Len(); b++ {
		c := ktCompare(col, i, s, b)
		if (!desc && c < 0) || (desc && c > 0) {
			return b
		}
	}
	return s.Len()
}

func TestRangeSplitKernelErrors(t *testing.T) {
	mem := ktMem(t)
	rec := ktMini(mem)
	defer rec.Release()
	ctx := context.Background()
	ib := array.NewInt64Builder(mem)
	ib.AppendValues([]int64{1, 5}, nil)
	sorted := ib.NewArray()
	ib.AppendValues([]int64{5, 1}, nil)
	unsorted := ib.NewArray()
	ib.AppendValues([]int64{1, 0}, []bool{true, false})
	nulls := ib.NewArray()
	ib.Release()
	defer sorted.Release()
	defer unsorted.Release()
	defer nulls.Release()

	if _, err := RangeSplit("k", sorted, false, mem).Fn(ctx, []arrow.Record{rec}, 2); !errors.Is(err, ErrKernelArity) {
		t.Errorf("nout 2 for 2 splitters: %v", err)
	}
	if _, err := RangeSplit("k", unsorted, false, mem).Fn(ctx, []arrow.Record{rec}, 3); !errors.Is(err, ErrBadSplitters) {
		t.Errorf("unsorted: %v", err)
	}
	if _, err := RangeSplit("k", sorted, true, mem).Fn(ctx, []arrow.Record{rec}, 3); !errors.Is(err, ErrBadSplitters) {
		t.Errorf("ascending splitters, descending split: %v", err)
	}
	if _, err := RangeSplit("k", nulls, false, mem).Fn(ctx, []arrow.Record{rec}, 3); !errors.Is(err, ErrBadSplitters) {
		t.Errorf("null splitter: %v", err)
	}
	if _, err := RangeSplit("s", sorted, false, mem).Fn(ctx, []arrow.Record{rec}, 3); !errors.Is(err, ErrBadSplitters) {
		t.Errorf("string key, int splitters: %v", err)
	}
	_, err := RangeSplit("nope", sorted, false, mem).Fn(ctx, []arrow.Record{rec}, 3)
	if !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), "columns: k, s, v") {
		t.Errorf("unknown key: %v", err)
	}
	bb := array.NewBooleanBuilder(mem)
	bb.Append(true)
	bools := bb.NewArray()
	bb.Release()
	defer bools.Release()
	brec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "flag", Type: bools.DataType()}}, nil), []arrow.Array{bools}, 1)
	defer brec.Release()
	_, err = RangeSplit("flag", sorted, false, mem).Fn(ctx, []arrow.Record{brec}, 3)
	if !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), `"flag"`) || !strings.Contains(err.Error(), "bool") {
		t.Errorf("bool key: %v", err)
	}
	ts := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Second})
	ts.Append(1)
	tsec := ts.NewArray()
	ts.Release()
	defer tsec.Release()
	tb := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Millisecond})
	tb.Append(1)
	tms := tb.NewArray()
	tb.Release()
	defer tms.Release()
	trec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "t", Type: tsec.DataType()}}, nil), []arrow.Array{tsec}, 1)
	defer trec.Release()
	if _, err := RangeSplit("t", tms, false, mem).Fn(ctx, []arrow.Record{trec}, 2); !errors.Is(err, ErrBadSplitters) {
		t.Errorf("timestamp units differ: %v", err)
	}
}

func TestConcatRowsKernelDictionaries(t *testing.T) {
	mem := ktMem(t)
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int8, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: dt, Nullable: true}}, nil)
	mk := func(dict []string, idx []int8, valid []bool) arrow.Record {
		sb := array.NewStringBuilder(mem)
		sb.AppendValues(dict, nil)
		d := sb.NewArray()
		sb.Release()
		ib := array.NewInt8Builder(mem)
		ib.AppendValues(idx, valid)
		ia := ib.NewArray()
		ib.Release()
		col := array.NewDictionaryArray(dt, ia, d)
		d.Release()
		ia.Release()
		defer col.Release()
		return array.NewRecord(schema, []arrow.Array{col}, int64(col.Len()))
	}
	in := []arrow.Record{
		mk([]string{"a", "b"}, []int8{0, 1, 0}, []bool{true, true, false}),
		mk([]string{"c", "a"}, nil, nil), // empty
		mk([]string{"c", "a"}, []int8{0, 1, 1}, nil),
		mk([]string{"b", "d", "a"}, []int8{1, 0}, nil),
	}
	defer ktRelease(in)
	out := ktRun(t, ConcatRows(schema, mem), in, 1)
	defer ktRelease(out)
	ktCheck(t, schema, out...)
	if got, want := strings.Join(ktRows(out[0]), " "), "a b (null) c a a d b"; got != want {
		t.Errorf("rows %q, want %q", got, want)
	}
	if got, want := out[0].Column(0).(*array.Dictionary).Dictionary().String(), `["a" "b" "c" "d"]`; got != want {
		t.Errorf("dictionary %s, want %s", got, want)
	}

	// A unified dictionary too big for int8 indices is an error naming
	// the column.
	var big1, big2 []string
	var idx []int8
	for i := range 100 {
		big1 = append(big1, fmt.Sprint("x", i))
		big2 = append(big2, fmt.Sprint("y", i))
		idx = append(idx, int8(i))
	}
	b1, b2 := mk(big1, idx, nil), mk(big2, idx, nil)
	defer b1.Release()
	defer b2.Release()
	_, err := ConcatRows(schema, mem).Fn(context.Background(), []arrow.Record{b1, b2}, 1)
	if err == nil || !strings.Contains(err.Error(), `column "s"`) {
		t.Errorf("int8 overflow: %v", err)
	}
}

func TestConcatRowsKernelEdges(t *testing.T) {
	mem := ktMem(t)
	rng := ktRand(t)
	ctx := context.Background()

	// No inputs: one zero-row record of the schema.
	out := ktRun(t, ConcatRows(ktSchema, mem), nil, 1)
	ktCheck(t, ktSchema, out...)
	if out[0].NumRows() != 0 {
		t.Errorf("no inputs: %d rows", out[0].NumRows())
	}
	ktRelease(out)

	// One non-empty input among empty ones comes back without a copy.
	rec, _ := ktRandRecord(rng, mem, 16)
	defer rec.Release()
	empty := rec.NewSlice(0, 0)
	defer empty.Release()
	out = ktRun(t, ConcatRows(ktSchema, mem), []arrow.Record{empty, rec, empty}, 1)
	if out[0].Column(ktKS).Data().Buffers()[2] != rec.Column(ktKS).Data().Buffers()[2] {
		t.Error("single input was copied")
	}
	ktSameRows(t, ktRows(rec), ktRows(out...))
	ktRelease(out)

	if _, err := ConcatRows(ktSchema, mem).Fn(ctx, []arrow.Record{rec}, 2); !errors.Is(err, ErrKernelArity) {
		t.Errorf("nout 2: %v", err)
	}
	mini := ktMini(mem)
	defer mini.Release()
	_, err := ConcatRows(ktSchema, mem).Fn(ctx, []arrow.Record{rec, mini}, 1)
	if !errors.Is(err, ErrSchemaMismatch) || !strings.Contains(err.Error(), "input 1") {
		t.Errorf("schema mismatch: %v", err)
	}
}

// Splitting then concatenating gives the input back: in order after
// SplitRows, as the same rows after HashSplit.
func TestConcatRowsKernelRoundTrips(t *testing.T) {
	mem := ktMem(t)
	rng := ktRand(t)
	for _, n := range ktSizes {
		rec, _ := ktRandRecord(rng, mem, n)
		var counts []int64
		for left := int64(n); left > 0 || len(counts) == 0; {
			c := min(left, int64(rng.IntN(n/2+2)))
			counts = append(counts, c)
			left -= c
		}
		parts := ktRun(t, SplitRows(counts), []arrow.Record{rec}, len(counts))
		ktCheck(t, ktSchema, parts...)
		for i, p := range parts {
			if p.NumRows() != counts[i] {
				t.Fatalf("rows %d: part %d has %d rows, want %d", n, i, p.NumRows(), counts[i])
			}
		}
		back := ktRun(t, ConcatRows(ktSchema, mem), parts, 1)
		ktCheck(t, ktSchema, back...)
		if got, want := ktRows(back[0]), ktRows(rec); !slices.Equal(got, want) {
			t.Fatalf("rows %d: SplitRows %v then ConcatRows changed the rows", n, counts)
		}
		ktRelease(parts)
		ktRelease(back)

		parts = ktRun(t, HashSplit([]string{"kd", "ki"}, mem), []arrow.Record{rec}, 5)
		back = ktRun(t, ConcatRows(ktSchema, mem), parts, 1)
		ktCheck(t, ktSchema, back...)
		ktSameRows(t, ktRows(rec), ktRows(back...))
		ktRelease(parts)
		ktRelease(back)
		rec.Release()
	}
}

func TestSplitRowsKernel(t *testing.T) {
	mem := ktMem(t)
	rec := ktMini(mem)
	defer rec.Release()
	out := ktRun(t, SplitRows([]int64{3, 0, 5}), []arrow.Record{rec}, 3)
	defer ktRelease(out)
	ktCheck(t, rec.Schema(), out...)
	got := []string{strings.Join(ktRows(out[0]), " ; "), strings.Join(ktRows(out[1]), " ; "), strings.Join(ktRows(out[2]), " ; ")}
	want := []string{"1|x|a ; 2|y|b ; 3||c", "", "1|x|d ; (null)|(null)|e ; 2|y|f ; 7|z|(null) ; (null)|(null)|h"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// Zero-copy: the slices share the input's buffers.
	if out[2].Column(2).Data().Buffers()[2] != rec.Column(2).Data().Buffers()[2] {
		t.Error("SplitRows copied")
	}

	ctx := context.Background()
	if _, err := SplitRows([]int64{3, 5}).Fn(ctx, []arrow.Record{rec}, 3); !errors.Is(err, ErrKernelArity) {
		t.Errorf("nout mismatch: %v", err)
	}
	if _, err := SplitRows([]int64{3, 4}).Fn(ctx, []arrow.Record{rec}, 2); err == nil || !strings.Contains(err.Error(), "sum to 7") {
		t.Errorf("short counts: %v", err)
	}
	if _, err := SplitRows([]int64{9, -1}).Fn(ctx, []arrow.Record{rec}, 2); err == nil {
		t.Error("negative count: no error")
	}
}

// The scatter on its own, over each column type, against a plain
// row-by-row rebuild.
func TestScatterEveryType(t *testing.T) {
	mem := ktMem(t)
	rng := ktRand(t)
	for _, n := range ktSizes {
		rec, _ := ktRandRecord(rng, mem, n)
		checkRandomScatter(t, rng, mem, rec, ktSchema, 1+rng.IntN(5), fmt.Sprintf("rows %d", n))
		rec.Release()
	}
}

// The scatter over the types the random records lack: maps, fixed-size
// and large lists, large binary, 2-, 16- and 32-byte values, nulls,
// unions, and the fallback for list views; whole and sliced.
func TestScatterMoreTypes(t *testing.T) {
	mem := ktMem(t)
	rng := ktRand(t)
	union := []arrow.Field{{Name: "i", Type: arrow.PrimitiveTypes.Int32, Nullable: true}, {Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}
	cols := []struct {
		dt   arrow.DataType
		json string
	}{
		{arrow.PrimitiveTypes.Int64, `[0, 1, 2, 3, 4, 5, 6, 7]`},
		{arrow.MapOf(arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int32),
			`[[{"key": "a", "value": 1}], null, [], [{"key": "b", "value": null}, {"key": "c", "value": 3}], [], [{"key": "d", "value": 4}], null, [{"key": "e", "value": 5}]]`},
		{arrow.FixedSizeListOf(2, arrow.PrimitiveTypes.Int16), `[[1, 2], null, [3, null], [5, 6], [7, 8], [9, 10], null, [11, 12]]`},
		{arrow.LargeListOf(arrow.BinaryTypes.String), `[["a", "bc"], null, [], ["d", null], ["e"], [], ["f", "g", "h"], null]`},
		{arrow.BinaryTypes.LargeBinary, `["YWI=", null, "", "Yw==", "ZA==", "ZWU=", null, "Zg=="]`},
		{arrow.FixedWidthTypes.Float16, `[1.5, null, 2, 3, 4, 5, 6, null]`},
		{arrow.FixedWidthTypes.MonthDayNanoInterval, `[{"months": 1, "days": 2, "nanoseconds": 3}, null, {"months": 4, "days": 5, "nanoseconds": 6}, {"months": 0, "days": 0, "nanoseconds": 0}, {"months": 7, "days": 0, "nanoseconds": 0}, null, {"months": 8, "days": 0, "nanoseconds": 0}, {"months": 9, "days": 0, "nanoseconds": 0}]`},
		{&arrow.Decimal256Type{Precision: 40, Scale: 2}, `["1.25", null, "-3.5", "0", "7", "8", "9", null]`},
		{arrow.Null, `[null, null, null, null, null, null, null, null]`},
		{arrow.FixedWidthTypes.Boolean, `[true, null, false, true, false, false, true, null]`},
		{&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Uint8, ValueType: arrow.PrimitiveTypes.Int64}, `[7, null, 8, 7, 9, 9, null, 7]`},
		{arrow.ListViewOf(arrow.PrimitiveTypes.Int32), `[[1, 2], null, [], [3], [4, 5, 6], null, [7], [8, 9]]`},
		{arrow.SparseUnionOf(union, []arrow.UnionTypeCode{0, 1}), `[[0, 5], [1, "x"], [0, null], [1, "y"], [0, 6], [0, 7], [1, null], [1, "z"]]`},
		{arrow.DenseUnionOf(union, []arrow.UnionTypeCode{0, 1}), `[[0, 5], [1, "x"], [0, null], [1, "y"], [0, 6], [0, 7], [1, null], [1, "z"]]`},
	}
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: fmt.Sprint("c", i), Type: c.dt, Nullable: true}
		arrs[i] = ktArray(t, mem, c.dt, c.json)
	}
	schema := arrow.NewSchema(fields, nil)
	whole := array.NewRecord(schema, arrs, 8)
	releaseArrays(arrs)
	defer whole.Release()
	for _, bounds := range [][2]int64{{0, 8}, {1, 7}, {3, 3}} {
		rec := whole.NewSlice(bounds[0], bounds[1])
		for range 20 {
			checkRandomScatter(t, rng, mem, rec, schema, 1+rng.IntN(4), fmt.Sprintf("rows %v", bounds))
		}
		rec.Release()
	}
}

// A dense union whose rows share a child row cannot be scattered (the row
// would have to be copied twice); the error says so.
func TestScatterDenseUnionSharedChild(t *testing.T) {
	mem := ktMem(t)
	ids := ktArray(t, mem, arrow.PrimitiveTypes.Int8, `[0, 0, 0]`)
	defer ids.Release()
	offs := ktArray(t, mem, arrow.PrimitiveTypes.Int32, `[0, 1, 0]`)
	defer offs.Release()
	kid := ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[10, 20]`)
	defer kid.Release()
	u, err := array.NewDenseUnionFromArrays(ids, offs, []arrow.Array{kid})
	if err != nil {
		t.Fatal(err)
	}
	rec := ktRecord(ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[1, 2, 3]`), u)
	defer rec.Release()
	_, err = HashSplit([]string{"c0"}, mem).Fn(context.Background(), []arrow.Record{rec}, 2)
	if !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), "shared") {
		t.Errorf("shared child row: %v", err)
	}
}

// Run-end encoded columns are refused, not corrupted (see errREE).
func TestRunEndEncodedRefused(t *testing.T) {
	mem := ktMem(t)
	rec := ktRecord(
		ktArray(t, mem, arrow.PrimitiveTypes.Int64, `[1, 2, 3, 4]`),
		ktArray(t, mem, arrow.RunEndEncodedOf(arrow.PrimitiveTypes.Int32, arrow.BinaryTypes.String), `["a", "a", "b", null]`),
	)
	defer rec.Release()
	ctx := context.Background()
	_, err := HashSplit([]string{"c0"}, mem).Fn(ctx, []arrow.Record{rec}, 2)
	if !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), `"c1"`) {
		t.Errorf("HashSplit: %v", err)
	}
	_, err = ConcatRows(rec.Schema(), mem).Fn(ctx, []arrow.Record{rec, rec}, 1)
	if !errors.Is(err, ErrUnsupportedType) || !strings.Contains(err.Error(), `"c1"`) {
		t.Errorf("ConcatRows: %v", err)
	}
}

func ExampleHashSplit() {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "city", Type: arrow.BinaryTypes.String},
		{Name: "sales", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"Oslo", "Lima", "Oslo", "Pune", "Lima"}, nil)
	b.Field(1).(*array.Int64Builder).AppendValues([]int64{1, 2, 3, 4, 5}, nil)
	rec := b.NewRecord()
	defer rec.Release()

	out, err := HashSplit([]string{"city"}, nil).Fn(context.Background(), []arrow.Record{rec}, 2)
	if err != nil {
		panic(err)
	}
	for i, part := range out {
		fmt.Println(i, part.Column(0), part.Column(1))
		part.Release()
	}
	// Output:
	// 0 ["Oslo" "Lima" "Oslo" "Lima"] [1 2 3 5]
	// 1 ["Pune"] [4]
}

func ExampleRangeSplit() {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues([]int64{10, 20}, nil)
	splitters := b.NewArray()
	defer splitters.Release()
	b.AppendValues([]int64{25, 5, 10, 0, 15}, []bool{true, true, true, false, true})
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: col.DataType(), Nullable: true}}, nil), []arrow.Array{col}, 5)
	defer rec.Release()

	out, err := RangeSplit("x", splitters, false, nil).Fn(context.Background(), []arrow.Record{rec}, 3)
	if err != nil {
		panic(err)
	}
	for i, part := range out {
		fmt.Println(i, part.Column(0))
		part.Release()
	}
	// Output:
	// 0 [5]
	// 1 [10 15]
	// 2 [25 (null)]
}

func ExampleSplitRows() {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	b.AppendValues([]int64{1, 2, 3, 4, 5}, nil)
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: col.DataType()}}, nil), []arrow.Array{col}, 5)
	defer rec.Release()

	out, err := SplitRows([]int64{2, 3}).Fn(context.Background(), []arrow.Record{rec}, 2)
	if err != nil {
		panic(err)
	}
	for _, part := range out {
		fmt.Println(part.Column(0))
		part.Release()
	}
	// Output:
	// [1 2]
	// [3 4 5]
}

func ExampleConcatRows() {
	dt := &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
	schema := arrow.NewSchema([]arrow.Field{{Name: "tag", Type: dt}}, nil)
	part := func(vals ...string) arrow.Record {
		b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
		defer b.Release()
		for _, v := range vals {
			if err := b.Field(0).(*array.BinaryDictionaryBuilder).AppendString(v); err != nil {
				panic(err)
			}
		}
		return b.NewRecord()
	}
	p1, p2 := part("red", "blue"), part("green", "red")
	defer p1.Release()
	defer p2.Release()

	out, err := ConcatRows(schema, nil).Fn(context.Background(), []arrow.Record{p1, p2}, 1)
	if err != nil {
		panic(err)
	}
	defer out[0].Release()
	col := out[0].Column(0).(*array.Dictionary)
	fmt.Println(col.Dictionary(), col.Indices())
	// Output:
	// ["red" "blue" "green"] [0 1 2 0]
}

// checkRandomScatter scatters rec's rows to nout outputs at random and checks
// each output holds exactly its rows, in order, with schema.
func checkRandomScatter(t *testing.T, rng *rand.Rand, mem memory.Allocator, rec arrow.Record, schema *arrow.Schema, nout int, label string) {
	t.Helper()
	n := int(rec.NumRows())
	scratch := make([]int32, 2*n)
	dest := scratch[:n]
	for i := range dest {
		dest[i] = int32(rng.IntN(nout))
	}
	out, err := scatterRecord(mem, rec, newScatterPlan(dest, scratch[n:], nout))
	if err != nil {
		t.Fatal(err)
	}
	defer ktRelease(out)
	ktCheck(t, schema, out...)
	want := make([][]string, nout)
	for i := range n {
		want[dest[i]] = append(want[dest[i]], ktRow(rec, i))
	}
	for o := range out {
		if got := ktRows(out[o]); !slices.Equal(got, want[o]) {
			t.Fatalf("%s, dest %v: output %d:\n got %q\nwant %q", label, dest, o, got, want[o])
		}
	}
}
