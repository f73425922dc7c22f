package join

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// Errors; Indices wraps them with the column, type or count at fault. Test
// with errors.Is.
var (
	// ErrUnknownColumn: a key names no column of its side.
	ErrUnknownColumn = errors.New("join: unknown column")
	// ErrKeyType: a left key and its right key have types that cannot be
	// compared, or a type no join supports.
	ErrKeyType = errors.New("join: incompatible key types")
	// ErrArgument: key lists of different lengths, no keys, an unknown
	// Kind, or inputs too large.
	ErrArgument = errors.New("join: bad argument")
)

// Kind is the kind of join; String returns pandas' how= name (semi and
// anti, which pandas lacks, use the names Polars and Spark give them).
type Kind int

const (
	// Inner: rows matching on both sides; left order, and each left
	// row's matches in right order.
	Inner Kind = iota
	// Left: Inner, plus every unmatched left row in its place with no
	// right row (ri = -1).
	Left
	// Right: right order, each right row's matches in left order;
	// unmatched right rows get li = -1.
	Right
	// Outer: every key of either side in ascending order, nulls last
	// (pandas sorts the keys for how="outer"); within a key, left rows in
	// order times right rows in order; a key on one side only gets -1 on
	// the other.
	Outer
	// Semi: each left row with at least one match, once, in left order.
	Semi
	// Anti: each left row with no match, in left order.
	Anti
)

func (k Kind) String() string {
	switch k {
	case Inner:
		return "inner"
	case Left:
		return "left"
	case Right:
		return "right"
	case Outer:
		return "outer"
	case Semi:
		return "semi"
	case Anti:
		return "anti"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// maxRows bounds each side: row numbers are int32 in the hash table.
const maxRows = math.MaxInt32 - 1

// keyTypeError carries the message the spec asks for while wrapping
// ErrKeyType.
type keyTypeError struct{ msg string }

func (e *keyTypeError) Error() string { return e.msg }
func (e *keyTypeError) Unwrap() error { return ErrKeyType }

// Indices matches rows of left and right whose key columns are equal
// (leftKeys[i] pairs with rightKeys[i]) and returns gather indices: result
// row k joins left row li[k] with right row ri[k], and -1 means no row on
// that side. The order of result rows is pandas merge's, described on each
// Kind. Semi and Anti return ri == nil.
//
// Null keys match null keys, as NaN matches NaN in pandas' merge (where a
// null float is a NaN); a floating-point NaN counts as null, so NaN and
// null match each other. With several keys, a row matches when every key
// is equal or null on both sides.
//
// Compatible key types: any integer with any integer (by value: int32 3
// matches int64 3, and a uint64 above MaxInt64 matches only unsigned
// keys); a float with a float or an integer (by float64 value); string,
// large string and dictionary<string or large string> with each other (by
// bytes; dictionaries are mapped through their entries, never decoded per
// row); bool with bool; date32 with date32; date64 with date64; timestamp
// with timestamp of the same unit (as stored; the zone is ignored).
//
// Errors: an unknown key column wraps ErrUnknownColumn and lists the
// side's columns; an incompatible pair wraps ErrKeyType; key lists of
// different or zero length, or an unknown kind, wrap ErrArgument.
//
// It builds a hash table on the right side (the left side for Right) and
// probes it with the other: one pass over each side plus the output, and
// no allocation per row.
func Indices(left, right arrow.Record, leftKeys, rightKeys []string, kind Kind) (li, ri []int64, err error) {
	if kind < Inner || kind > Anti {
		return nil, nil, fmt.Errorf("%w: kind %v", ErrArgument, kind)
	}
	if len(leftKeys) != len(rightKeys) || len(leftKeys) == 0 {
		return nil, nil, fmt.Errorf("%w: %d left keys and %d right keys", ErrArgument, len(leftKeys), len(rightKeys))
	}
	if left.NumRows() > maxRows || right.NumRows() > maxRows {
		return nil, nil, fmt.Errorf("%w: %d and %d rows, at most %d a side", ErrArgument, left.NumRows(), right.NumRows(), maxRows)
	}
	lcols, err := resolve(left, leftKeys, "left")
	if err != nil {
		return nil, nil, err
	}
	rcols, err := resolve(right, rightKeys, "right")
	if err != nil {
		return nil, nil, err
	}
	doms := make([]domain, len(lcols))
	for j := range lcols {
		lt, rt := lcols[j].DataType(), rcols[j].DataType()
		if doms[j] = domainOf(lt, rt); doms[j] == domNone {
			name := leftKeys[j]
			if rightKeys[j] != name {
				name += "/" + rightKeys[j]
			}
			return nil, nil, &keyTypeError{fmt.Sprintf("join: key %s: %s and %s cannot be compared", name, lt, rt)}
		}
	}
	ls, rs := make([]side, len(lcols)), make([]side, len(lcols))
	for j := range lcols {
		ls[j], rs[j] = codePair(lcols[j], rcols[j], doms[j], kind == Outer)
	}
	nl, nr := int(left.NumRows()), int(right.NumRows())
	switch kind {
	case Right:
		heads, next := match(rs, ls, nr, nl) // build on the left
		ri, li = emit(heads, next, true)
		return li, ri, nil
	case Semi, Anti:
		heads, _ := match(ls, rs, nl, nr)
		li = make([]int64, 0, nl)
		for i, h := range heads {
			if (h >= 0) == (kind == Semi) {
				li = append(li, int64(i))
			}
		}
		return li, nil, nil
	}
	heads, next := match(ls, rs, nl, nr)
	li, ri = emit(heads, next, kind != Inner)
	if kind == Outer {
		li, ri = outer(li, ri, ls, rs, nr)
	}
	return li, ri, nil
}

func resolve(rec arrow.Record, keys []string, which string) ([]arrow.ArrayData, error) {
	cols := make([]arrow.ArrayData, len(keys))
	schema := rec.Schema()
	for j, k := range keys {
		idx := schema.FieldIndices(k)
		switch len(idx) {
		case 1:
			cols[j] = rec.Column(idx[0]).Data()
		case 0:
			names := make([]string, schema.NumFields())
			for i, f := range schema.Fields() {
				names[i] = f.Name
			}
			return nil, fmt.Errorf("%w %q in %s (columns: %s)", ErrUnknownColumn, k, which, strings.Join(names, ", "))
		default:
			return nil, fmt.Errorf("%w %q in %s: %d columns have that name", ErrUnknownColumn, k, which, len(idx))
		}
	}
	return cols, nil
}

// emit turns probe heads into index pairs: for each probe row in order,
// its chain of build rows in order, or (row, -1) when keepUnmatched.
func emit(heads, next []int32, keepUnmatched bool) (probe, build []int64) {
	probe = make([]int64, 0, len(heads))
	build = make([]int64, 0, len(heads))
	for i, h := range heads {
		if h < 0 {
			if keepUnmatched {
				probe = append(probe, int64(i))
				build = append(build, -1)
			}
			continue
		}
		for j := h; j >= 0; j = next[j] {
			probe = append(probe, int64(i))
			build = append(build, int64(j))
		}
	}
	return probe, build
}

// outer appends the right rows no left row matched to a left join's
// result and sorts the whole by key (nulls last), stably: a key's rows are
// then left rows in order times right rows in order, as pandas gives them.
func outer(li, ri []int64, ls, rs []side, nr int) ([]int64, []int64) {
	seen := make([]bool, nr)
	for _, r := range ri {
		if r >= 0 {
			seen[r] = true
		}
	}
	for r, ok := range seen {
		if !ok {
			li = append(li, -1)
			ri = append(ri, int64(r))
		}
	}
	// Gather each key's class (0 value, 1 stNever, 2 null: nulls last, and
	// a uint64 beyond the signed domain after every int64) and code in
	// result order, then sort positions by them with the position as the
	// last key: a stable order from pdqsort's O(n log n).
	m := len(li)
	cls := make([][]uint8, len(ls))
	vals := make([][]uint64, len(ls))
	for j := range ls {
		cls[j], vals[j] = make([]uint8, m), make([]uint64, m)
		for k := range m {
			s, row := ls[j], li[k]
			if row < 0 {
				s, row = rs[j], ri[k]
			}
			vals[j][k] = s.vals[row]
			if s.state != nil {
				switch s.state[row] {
				case stNever:
					cls[j][k] = 1
				case stNull:
					cls[j][k], vals[j][k] = 2, 0
				}
			}
		}
	}
	perm := make([]int32, m)
	for i := range perm {
		perm[i] = int32(i)
	}
	slices.SortFunc(perm, func(a, b int32) int {
		for j := range cls {
			if ca, cb := cls[j][a], cls[j][b]; ca != cb {
				return int(ca) - int(cb)
			}
			if va, vb := vals[j][a], vals[j][b]; va != vb {
				if va < vb {
					return -1
				}
				return 1
			}
		}
		return int(a - b)
	})
	ol, or := make([]int64, len(perm)), make([]int64, len(perm))
	for i, p := range perm {
		ol[i], or[i] = li[p], ri[p]
	}
	return ol, or
}
