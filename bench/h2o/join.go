package h2o

import (
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// The schemas of the join tables J1, as Join builds them.
var (
	JoinXSchema = arrow.NewSchema([]arrow.Field{
		{Name: "id1", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id2", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id3", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id4", Type: dictType},
		{Name: "id5", Type: dictType},
		{Name: "id6", Type: dictType},
		{Name: "v1", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	JoinSmallSchema = arrow.NewSchema([]arrow.Field{
		{Name: "id1", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id4", Type: dictType},
		{Name: "v2", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	JoinMediumSchema = arrow.NewSchema([]arrow.Field{
		{Name: "id1", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id2", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id4", Type: dictType},
		{Name: "id5", Type: dictType},
		{Name: "v2", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
	JoinBigSchema = arrow.NewSchema([]arrow.Field{
		{Name: "id1", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id2", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id3", Type: arrow.PrimitiveTypes.Int64},
		{Name: "id4", Type: dictType},
		{Name: "id5", Type: dictType},
		{Name: "id6", Type: dictType},
		{Name: "v2", Type: arrow.PrimitiveTypes.Float64},
	}, nil)
)

// Join returns the join tables J1_{n} of the H2O db-benchmark, as
// join-datagen.R and gen_h2o.py build them: the left table x of n rows and
// the right tables small, medium and big (schemas JoinXSchema,
// JoinSmallSchema, JoinMediumSchema, JoinBigSchema).
//
// For each size m of ns = max(n/1e6, 10), nm = max(n/1e3, 10) and n, a
// permutation of 1..1.1m is split into X (the first 0.9m), L (the next
// 0.1m) and R (the last 0.1m); sample_all(S, size) is every element of S
// once plus size-|S| uniform draws from S, shuffled. Then, with (X1, L1,
// R1), (X2, L2, R2), (X3, L3, R3) the splits of ns, nm and n:
//
//	x       id1, id2, id3 = sample_all of X1∪L1, X2∪L2, X3∪L3 (n rows; id3 is unique)
//	small   id1 = a permutation of X1∪R1 (ns rows)
//	medium  id1 = sample_all(X1∪R1, nm), id2 = a permutation of X2∪R2 (nm rows)
//	big     id1, id2 = sample_all of X1∪R1, X2∪R2 (n rows), id3 = a permutation of X3∪R3
//
// so 90% of each side's keys match the other's. id4, id5, id6 are "id"
// followed by id1, id2, id3 in decimal, as dictionary<int32, utf8> whose
// dictionary holds exactly the column's distinct strings in ascending
// order; v1 and v2 are uniform reals in [0, 100) rounded to 6 decimals.
//
// gen_h2o.py uses n/1e6 and n/1e3 unfloored, which leaves L or R empty
// and fails for n below 1e7; the floor of 10 changes nothing from 1e7 up.
// n must be at least 10. The tables are a pure function of n and seed.
// Buffers come from mem; the caller owns the four records and must Release
// them (on error all are nil). Safe for concurrent use if mem is.
func Join(n int, seed uint64, mem memory.Allocator) (x, small, medium, big arrow.Record, err error) {
	if n < 10 || n > maxRows/11*10 {
		return nil, nil, nil, nil, fmt.Errorf("%w: join rows %d (want 10..%d)", ErrInvalidArgument, n, maxRows/11*10)
	}
	x, small, medium, big = join(max(n/1_000_000, 10), max(n/1_000, 10), n, seed, mem)
	return x, small, medium, big, nil
}

// join builds the four tables with key sets of sizes ns, nm and n.
func join(ns, nm, n int, seed uint64, mem memory.Allocator) (x, small, medium, big arrow.Record) {
	x1, l1, r1 := splitKeys(ns, newRNG(seed, 1))
	x2, l2, r2 := splitKeys(nm, newRNG(seed, 2))
	x3, l3, r3 := splitKeys(n, newRNG(seed, 3))
	xl1, xr1 := concat(x1, l1), concat(x1, r1)
	xl2, xr2 := concat(x2, l2), concat(x2, r2)
	xl3, xr3 := concat(x3, l3), concat(x3, r3)
	max1, max2, max3 := ns*11/10, nm*11/10, n*11/10

	// Each table draws from its own streams (11.., 21.., 31.., 41..).
	x = keyTable(mem, JoinXSchema, []keyCol{{xl1, n, max1}, {xl2, n, max2}, {xl3, n, max3}}, seed, 11)
	small = keyTable(mem, JoinSmallSchema, []keyCol{{xr1, len(xr1), max1}}, seed, 21)
	medium = keyTable(mem, JoinMediumSchema, []keyCol{{xr1, nm, max1}, {xr2, len(xr2), max2}}, seed, 31)
	big = keyTable(mem, JoinBigSchema, []keyCol{{xr1, n, max1}, {xr2, n, max2}, {xr3, len(xr3), max3}}, seed, 41)
	return x, small, medium, big
}

// keyCol is one integer key column to draw: sample_all(from, rows), whose
// values lie in 1..max.
type keyCol struct {
	from      []int64
	rows, max int
}

// keyTable builds a table of schema: the integer key columns of keys, then
// one string column per key ("id" + key), then one real column. Key column
// i draws from stream base+i and the reals from base+len(keys).
func keyTable(mem memory.Allocator, schema *arrow.Schema, keys []keyCol, seed, base uint64) arrow.Record {
	rows := keys[0].rows
	arrs := make([]arrow.Array, 0, 2*len(keys)+1)
	ints := make([][]int64, len(keys))
	for i, k := range keys {
		buf, vals := alloc[int64](mem, k.rows)
		sampleAll(newRNG(seed, base+uint64(i)), k.from, vals)
		ints[i] = vals
		arrs = append(arrs, newPrimitive(arrow.PrimitiveTypes.Int64, k.rows, buf, nil))
	}
	for i, k := range keys {
		arrs = append(arrs, idDictOf(mem, ints[i], k.max))
	}
	vbuf, v := alloc[float64](mem, rows)
	p := *newRNG(seed, base+uint64(len(keys))).p
	for i := range v {
		v[i] = real6(p.Uint64())
	}
	arrs = append(arrs, newPrimitive(arrow.PrimitiveTypes.Float64, rows, vbuf, nil))
	rec := array.NewRecord(schema, arrs, int64(rows))
	for _, a := range arrs {
		a.Release()
	}
	return rec
}

// splitKeys permutes 1..1.1m and splits it into x (0.9m), l (0.1m) and r
// (0.1m), as join-datagen.R's split_xlr.
func splitKeys(m int, r rng) (x, l, rest []int64) {
	p := make([]int64, m*11/10)
	for i := range p {
		p[i] = int64(i + 1)
	}
	shuffle(r, p)
	a := m * 9 / 10
	return p[:a:a], p[a:m:m], p[m:]
}

func concat(a, b []int64) []int64 {
	return append(append(make([]int64, 0, len(a)+len(b)), a...), b...)
}

// sampleAll fills out with sample_all(s, len(out)): every element of s once
// (the first len(out) if out is shorter), then uniform draws from s, all
// shuffled.
func sampleAll(r rng, s []int64, out []int64) {
	k := copy(out, s)
	for i := k; i < len(out); i++ {
		out[i] = s[r.below(uint64(len(s)))]
	}
	shuffle(r, out)
}

// idDictOf returns the dictionary<int32, utf8> column of "id"+v for each v
// of vals (all in 1..maxVal), its dictionary the distinct strings in
// ascending order.
func idDictOf(mem memory.Allocator, vals []int64, maxVal int) arrow.Array {
	code := make([]int32, maxVal+1) // 1 marks a value present, then its code
	for _, v := range vals {
		code[v] = 1
	}
	dict := make([]int64, 0, min(len(vals), maxVal))
	forLexOrder(maxVal, func(v int) {
		if code[v] != 0 {
			code[v] = int32(len(dict))
			dict = append(dict, int64(v))
		}
	})
	dictArr := newIDStrings(mem, dict, 0)
	defer dictArr.Release()
	buf, codes := alloc[int32](mem, len(vals))
	for i, v := range vals {
		codes[i] = code[v]
	}
	return newDict(len(vals), buf, nil, dictArr)
}

// forLexOrder calls f with 1..m in the order of their decimal strings
// (1, 10, 100, 101, ..., 11, ...): a preorder walk of the digit trie, O(m)
// where sorting the strings would be O(m log m).
func forLexOrder(m int, f func(int)) {
	cur := 1
	for range m {
		f(cur)
		if cur*10 <= m {
			cur *= 10
			continue
		}
		if cur >= m {
			cur /= 10
		}
		cur++
		for cur%10 == 0 {
			cur /= 10
		}
	}
}
