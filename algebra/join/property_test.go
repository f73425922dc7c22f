package join

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra/internal/kerneltest"
)

// The nested-loop reference: compare Go values, then apply the ordering
// rules of each Kind as written in its doc comment.

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int64:
		return float64(v)
	case uint64:
		return float64(v)
	}
	return v.(float64)
}

// compareValues compares non-null values of compatible types.
func compareValues(a, b any) int {
	_, af := a.(float64)
	_, bf := b.(float64)
	switch {
	case af || bf:
		x, y := toFloat(a), toFloat(b)
		return cmp3(x < y, x > y)
	}
	switch x := a.(type) {
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp3(x < y, x > y)
		case uint64:
			if x < 0 {
				return -1
			}
			return cmp3(uint64(x) < y, uint64(x) > y)
		}
	case uint64:
		switch y := b.(type) {
		case uint64:
			return cmp3(x < y, x > y)
		case int64:
			return -compareValues(b, a)
		}
	case string:
		return strings.Compare(x, b.(string))
	case bool:
		y := b.(bool)
		return cmp3(!x && y, x && !y)
	}
	panic(fmt.Sprintf("compareValues %T %T", a, b))
}

func cmp3(less, greater bool) int {
	switch {
	case less:
		return -1
	case greater:
		return 1
	}
	return 0
}

// compareKeys compares key tuples, nulls equal to each other and last.
func compareKeys(a, b []any) int {
	for k := range a {
		switch {
		case a[k] == nil && b[k] == nil:
			continue
		case a[k] == nil:
			return 1
		case b[k] == nil:
			return -1
		}
		if c := compareValues(a[k], b[k]); c != 0 {
			return c
		}
	}
	return 0
}

func keysOf(rec arrow.Record, names []string, i int) []any {
	out := make([]any, len(names))
	for k, n := range names {
		out[k] = kerneltest.Cell(rec.Column(rec.Schema().FieldIndices(n)[0]), i)
	}
	return out
}

func reference(left, right arrow.Record, lk, rk []string, kind Kind) (li, ri []int64) {
	nl, nr := int(left.NumRows()), int(right.NumRows())
	lkeys := make([][]any, nl)
	for i := range lkeys {
		lkeys[i] = keysOf(left, lk, i)
	}
	rkeys := make([][]any, nr)
	for j := range rkeys {
		rkeys[j] = keysOf(right, rk, j)
	}
	eq := func(i, j int) bool { return compareKeys(lkeys[i], rkeys[j]) == 0 }
	li, ri = []int64{}, []int64{}
	switch kind {
	case Right:
		for j := range nr {
			found := false
			for i := range nl {
				if eq(i, j) {
					li, ri = append(li, int64(i)), append(ri, int64(j))
					found = true
				}
			}
			if !found {
				li, ri = append(li, -1), append(ri, int64(j))
			}
		}
		return li, ri
	case Semi, Anti:
		for i := range nl {
			found := false
			for j := range nr {
				found = found || eq(i, j)
			}
			if found == (kind == Semi) {
				li = append(li, int64(i))
			}
		}
		return li, nil
	}
	matched := make([]bool, nr)
	for i := range nl {
		found := false
		for j := range nr {
			if eq(i, j) {
				li, ri = append(li, int64(i)), append(ri, int64(j))
				found, matched[j] = true, true
			}
		}
		if !found && kind != Inner {
			li, ri = append(li, int64(i)), append(ri, -1)
		}
	}
	if kind != Outer {
		return li, ri
	}
	for j, m := range matched {
		if !m {
			li, ri = append(li, -1), append(ri, int64(j))
		}
	}
	key := func(k int) []any {
		if li[k] >= 0 {
			return lkeys[li[k]]
		}
		return rkeys[ri[k]]
	}
	perm := make([]int, len(li))
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool { return compareKeys(key(perm[a]), key(perm[b])) < 0 })
	ol, or := make([]int64, len(perm)), make([]int64, len(perm))
	for i, p := range perm {
		ol[i], or[i] = li[p], ri[p]
	}
	return ol, or
}

// Random tables: each key pair has a pair of compatible types, and values
// come from a small domain so that keys repeat and match.

var pairTypes = [][2]string{
	{"int64", "int64"}, {"int32", "int64"}, {"uint8", "int16"}, {"uint64", "int64"},
	{"float64", "int32"}, {"float64", "float32"}, {"string", "dict"}, {"dict", "dict"},
	{"large_string", "string"}, {"bool", "bool"}, {"timestamp", "timestamp"}, {"date32", "date32"},
}

func randomColumn(r *rand.Rand, mem memory.Allocator, typ string, n, domain int, nullRate float64) arrow.Array {
	pad := r.IntN(3)
	total := n + 2*pad
	vals := make([]int, total)
	valid := make([]bool, total)
	for i := range vals {
		vals[i] = r.IntN(domain)
		valid[i] = r.Float64() >= nullRate
	}
	var b array.Builder
	switch typ {
	case "int64":
		bb := array.NewInt64Builder(mem)
		for i, v := range vals {
			if valid[i] {
				bb.Append(int64(v) - 2)
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "int32":
		bb := array.NewInt32Builder(mem)
		for i, v := range vals {
			if valid[i] {
				bb.Append(int32(v) - 2)
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "uint8":
		bb := array.NewUint8Builder(mem)
		for i, v := range vals {
			if valid[i] {
				bb.Append(uint8(v))
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "int16":
		bb := array.NewInt16Builder(mem)
		for i, v := range vals {
			if valid[i] {
				bb.Append(int16(v))
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "uint64":
		bb := array.NewUint64Builder(mem)
		for i, v := range vals {
			switch {
			case !valid[i]:
				bb.AppendNull()
			case v == 0:
				bb.Append(math.MaxUint64 - uint64(r.IntN(2)))
			default:
				bb.Append(uint64(v))
			}
		}
		b = bb
	case "float64":
		bb := array.NewFloat64Builder(mem)
		for i, v := range vals {
			switch {
			case !valid[i]:
				bb.AppendNull()
			case v == 0:
				bb.Append(math.NaN())
			case v == 1:
				bb.Append(math.Copysign(0, -1))
			case v == 2:
				bb.Append(0.5)
			default:
				bb.Append(float64(v) - 2)
			}
		}
		b = bb
	case "float32":
		bb := array.NewFloat32Builder(mem)
		for i, v := range vals {
			if valid[i] {
				bb.Append(float32(v) - 2)
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "string", "large_string":
		var bb interface {
			array.Builder
			Append(string)
		}
		if typ == "string" {
			bb = array.NewStringBuilder(mem)
		} else {
			bb = array.NewLargeStringBuilder(mem)
		}
		for i, v := range vals {
			if valid[i] {
				bb.Append(fmt.Sprint("s", v))
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "dict":
		// A shuffled dictionary with a repeated entry, a null entry and
		// values the other side may lack.
		entries := make([]string, domain+2)
		for k := range domain {
			entries[k] = fmt.Sprint("s", k)
		}
		entries[domain] = entries[0]
		r.Shuffle(len(entries)-1, func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
		pos := map[string][]int{}
		db := array.NewStringBuilder(mem)
		for k, e := range entries {
			if k == len(entries)-1 {
				db.AppendNull()
				continue
			}
			db.Append(e)
			pos[e] = append(pos[e], k)
		}
		dict := db.NewArray()
		db.Release()
		ib := array.NewInt16Builder(mem)
		for i, v := range vals {
			switch {
			case !valid[i]:
				ib.AppendNull()
			case r.IntN(20) == 0:
				ib.Append(int16(len(entries) - 1)) // the null entry
			default:
				p := pos[fmt.Sprint("s", v)]
				ib.Append(int16(p[r.IntN(len(p))]))
			}
		}
		codes := ib.NewArray()
		ib.Release()
		full := array.NewDictionaryArray(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int16, ValueType: arrow.BinaryTypes.String}, codes, dict)
		codes.Release()
		dict.Release()
		defer full.Release()
		return array.NewSlice(full, int64(pad), int64(pad+n))
	case "bool":
		bb := array.NewBooleanBuilder(mem)
		for i, v := range vals {
			if valid[i] {
				bb.Append(v%2 == 0)
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "timestamp":
		bb := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Microsecond})
		for i, v := range vals {
			if valid[i] {
				bb.Append(arrow.Timestamp(v))
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	case "date32":
		bb := array.NewDate32Builder(mem)
		for i, v := range vals {
			if valid[i] {
				bb.Append(arrow.Date32(v - 2))
			} else {
				bb.AppendNull()
			}
		}
		b = bb
	default:
		panic(typ)
	}
	defer b.Release()
	full := b.NewArray()
	defer full.Release()
	return array.NewSlice(full, int64(pad), int64(pad+n))
}

func TestIndicesProperty(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 3))
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for iter := range 400 {
		nkeys := 1 + r.IntN(3)
		nl, nr := r.IntN(30), r.IntN(30)
		domain := 2 + r.IntN(8)
		nullRate := []float64{0, 0.1, 0.4}[r.IntN(3)]
		var lcols, rcols []arrow.Array
		var lnames, rnames []string
		for k := range nkeys {
			p := pairTypes[r.IntN(len(pairTypes))]
			if r.IntN(2) == 0 {
				p[0], p[1] = p[1], p[0]
			}
			lcols = append(lcols, randomColumn(r, mem, p[0], nl, domain, nullRate))
			rcols = append(rcols, randomColumn(r, mem, p[1], nr, domain, nullRate))
			lnames = append(lnames, fmt.Sprint("l", k))
			rnames = append(rnames, fmt.Sprint("r", k))
		}
		left := record(strings.Join(lnames, ","), lcols...)
		right := record(strings.Join(rnames, ","), rcols...)
		defer left.Release()
		defer right.Release()
		for _, kind := range kinds {
			li, ri, err := Indices(left, right, lnames, rnames, kind)
			if err != nil {
				t.Fatalf("seed %d iter %d: %v", seed, iter, err)
			}
			wl, wr := reference(left, right, lnames, rnames, kind)
			if !slices.Equal(li, wl) || !slices.Equal(ri, wr) {
				t.Fatalf("seed %d iter %d %v on\n%v\n%v\ngot  li %v\n     ri %v\nwant li %v\n     ri %v", seed, iter, kind, left, right, li, ri, wl, wr)
			}
		}
	}
}
