package order

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Errors; functions wrap them with the column, type or value at fault.
// Test with errors.Is.
var (
	// ErrUnknownColumn: a key names no column of the record.
	ErrUnknownColumn = errors.New("order: unknown column")
	// ErrType: a key column's type cannot be sorted.
	ErrType = errors.New("order: unsupported type")
	// ErrArgument: a count or input is out of range.
	ErrArgument = errors.New("order: bad argument")
)

// maxRows bounds the rows of one input: row numbers are kept as uint32
// while sorting, half the memory of int64 and a faster radix sort.
const maxRows = math.MaxInt32

// A Key is one sort key: a column, its direction and where its nulls go.
// The zero Key options are pandas' defaults: ascending, nulls last.
// Descending does not move nulls (pandas' na_position is independent of
// ascending). A floating-point NaN sorts as a null.
type Key struct {
	Column     string
	Descending bool
	NullsFirst bool
}

// Supported key types: every signed and unsigned integer, float32, float64,
// bool, string, large string, date32, date64, timestamp (any unit, compared
// as stored), and dictionaries of these.

// resolve finds the key columns of rec and checks their types.
func resolve(rec arrow.Record, keys []Key) ([]arrow.ArrayData, error) {
	if rec.NumRows() > maxRows {
		return nil, fmt.Errorf("%w: %d rows, at most %d", ErrArgument, rec.NumRows(), maxRows)
	}
	cols := make([]arrow.ArrayData, len(keys))
	for j, k := range keys {
		i, err := columnIndex(rec.Schema(), k.Column)
		if err != nil {
			return nil, err
		}
		col := rec.Column(i)
		if kindOf(col.DataType()) == kindNone {
			return nil, fmt.Errorf("%w %s of column %q", ErrType, col.DataType(), k.Column)
		}
		cols[j] = col.Data()
	}
	return cols, nil
}

func columnIndex(schema *arrow.Schema, name string) (int, error) {
	idx := schema.FieldIndices(name)
	switch len(idx) {
	case 1:
		return idx[0], nil
	case 0:
		names := make([]string, schema.NumFields())
		for i, f := range schema.Fields() {
			names[i] = f.Name
		}
		return 0, fmt.Errorf("%w %q (columns: %s)", ErrUnknownColumn, name, strings.Join(names, ", "))
	default:
		return 0, fmt.Errorf("%w %q: %d columns have that name", ErrUnknownColumn, name, len(idx))
	}
}

// Indices returns the permutation that sorts rec by keys: row Indices[k] of
// rec is row k of the sorted result. The sort is stable (rows with equal
// keys keep their input order, like pandas sort_values(kind="stable")), and
// later keys break ties of earlier ones. With no keys it returns the
// identity. An unknown column returns an error wrapping ErrUnknownColumn,
// an unsupported type one wrapping ErrType.
//
// A single numeric key is radix sorted on its values; otherwise each key is
// ranked first (strings through their distinct values, dictionaries through
// their dictionary: no per-row string compares) and the rank tuples are
// radix sorted, several keys at a time when their ranks fit in 64 bits.
func Indices(rec arrow.Record, keys []Key) ([]int64, error) {
	cols, err := resolve(rec, keys)
	if err != nil {
		return nil, err
	}
	return sortData(cols, keys, int(rec.NumRows())), nil
}

// sortData sorts n rows by the key columns cols.
func sortData(cols []arrow.ArrayData, keys []Key, n int) []int64 {
	if len(cols) == 0 || n < 2 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(i)
		}
		return out
	}
	if len(cols) == 1 && kindOf(cols[0].DataType()) == kindNumeric {
		return sortNumeric(cols[0], keys[0], n)
	}
	return sortRanked(cols, keys, n)
}

// sortNumeric radix sorts the non-null rows of one numeric column on their
// ords and puts the nulls, in row order, before or after them.
func sortNumeric(d arrow.ArrayData, key Key, n int) []int64 {
	ord := make([]uint64, n)
	var null []bool
	if nullable(d) {
		null = make([]bool, n)
	}
	fillOrd(d, 0, n, ord, null)
	var flip uint64
	if key.Descending {
		flip = math.MaxUint64
	}
	idx := make([]uint32, n)
	var nulls []int64
	m := 0
	for i, v := range ord {
		if null != nil && null[i] {
			nulls = append(nulls, int64(i))
			continue
		}
		ord[m], idx[m] = v^flip, uint32(i)
		m++
	}
	radixSort(ord[:m], idx[:m])
	out := make([]int64, 0, n)
	if key.NullsFirst {
		out = append(out, nulls...)
	}
	for _, i := range idx[:m] {
		out = append(out, int64(i))
	}
	if !key.NullsFirst {
		out = append(out, nulls...)
	}
	return out
}

// placeRanks turns rankData's ranks into final ones in place: reversed if
// descending, nulls at 0 or card. It returns the number of final ranks.
func placeRanks(ranks []uint32, card uint32, key Key) uint64 {
	for i, r := range ranks {
		switch {
		case r == nullRank && key.NullsFirst:
			r = 0
		case r == nullRank:
			r = card
		default:
			if key.Descending {
				r = card - 1 - r
			}
			if key.NullsFirst {
				r++
			}
		}
		ranks[i] = r
	}
	return uint64(card) + 1
}

// sortRanked ranks every key, packs consecutive keys into uint64 composite
// ranks while their product of rank counts fits, and radix sorts the
// groups from the last to the first (LSD by group, each pass stable).
func sortRanked(cols []arrow.ArrayData, keys []Key, n int) []int64 {
	ranks := make([][]uint32, len(cols))
	cards := make([]uint64, len(cols))
	for j, d := range cols {
		r, c := rankData(d)
		cards[j] = placeRanks(r, c, keys[j])
		ranks[j] = r
	}
	// Groups [start, end) of keys, packed left to right.
	type group struct{ start, end int }
	var groups []group
	for j := 0; j < len(cols); {
		g := group{start: j}
		total := uint64(1)
		for j < len(cols) {
			hi, lo := bits.Mul64(total, cards[j])
			if hi != 0 && j > g.start {
				break
			}
			total = lo
			j++
		}
		g.end = j
		groups = append(groups, g)
	}
	perm := make([]uint32, n)
	for i := range perm {
		perm[i] = uint32(i)
	}
	comp := make([]uint64, n)
	for gi := len(groups) - 1; gi >= 0; gi-- {
		g := groups[gi]
		clear(comp)
		for j := g.start; j < g.end; j++ {
			packRanks(comp, ranks[j], cards[j], perm)
		}
		radixSort(comp, perm)
	}
	out := make([]int64, n)
	for i, p := range perm {
		out[i] = int64(p)
	}
	return out
}

// packRanks appends one key's rank to the composite of each row, in the
// current permutation's order.
func packRanks(comp []uint64, ranks []uint32, card uint64, perm []uint32) {
	comp = comp[:len(perm)]
	for i, p := range perm {
		comp[i] = comp[i]*card + uint64(ranks[p])
	}
}
