package groupby

import (
	"bytes"
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// grouping is the group of every row of a record.
type grouping struct {
	ids     []int32 // per row; -1 for a row dropped by Dropna
	ngroups int
	rep     []int32 // each group's first row
	keys    []*keyCol
	// aliased: ids is keys[0].codes (a single plain key), recycled once.
	aliased bool
}

// release recycles the grouping's per-row buffers. A caller keeping ids
// sets g.ids to nil first.
func (g *grouping) release() {
	for _, kc := range g.keys {
		if !g.aliased && !kc.borrowed {
			int32Pool.put(kc.codes)
		}
		kc.codes = nil
	}
	if g.ids != nil {
		int32Pool.put(g.ids)
	}
	int32Pool.put(g.rep)
	g.ids, g.rep = nil, nil
}

// columnIndex resolves name in s.
func columnIndex(s *arrow.Schema, name string) (int, error) {
	if ix := s.FieldIndices(name); len(ix) > 0 {
		return ix[0], nil
	}
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return 0, fmt.Errorf("%w %q (columns: %s)", ErrUnknownColumn, name, strings.Join(names, ", "))
}

// group computes the grouping of rec by the named keys. With no keys every
// row is group 0 and there is one group, even for zero rows.
func group(rec arrow.Record, keys []string, opt Options) (*grouping, error) {
	n := int(rec.NumRows())
	g := &grouping{}
	if len(keys) == 0 {
		g.ids = int32Pool.getZeroed(n)
		g.ngroups = 1
		g.rep = []int32{0}
		return g, nil
	}
	for _, k := range keys {
		ci, err := columnIndex(rec.Schema(), k)
		if err != nil {
			return nil, err
		}
		kc, err := encodeKey(rec.Column(ci), k, opt.Dropna)
		if err != nil {
			return nil, err
		}
		g.keys = append(g.keys, kc)
	}
	if len(g.keys) == 1 && g.keys[0].dict == nil {
		// Codes of a plain key are already numbered by first appearance.
		kc := g.keys[0]
		g.ids, g.ngroups, g.rep, g.aliased = kc.codes, kc.card, kc.first, true
	} else if len(g.keys) == 1 {
		kc := g.keys[0]
		g.ids, g.ngroups, g.rep = densify(kc.codes, uint64(kc.card), -1)
	} else {
		g.combine(n)
	}
	if opt.Sort {
		if err := g.sort(); err != nil {
			g.release()
			return nil, err
		}
	}
	return g, nil
}

const dropU64 = ^uint64(0)

// combine folds several keys' codes into one group id per row: composite
// c1*n2+c2 while the product of cardinalities fits in 64 bits, densified
// through a table when the next product would not.
func (g *grouping) combine(n int) {
	acc := uint64Pool.get(n)
	defer uint64Pool.put(acc)
	k0 := g.keys[0]
	for i, c := range k0.codes {
		if c < 0 {
			acc[i] = dropU64
		} else {
			acc[i] = uint64(c)
		}
	}
	card := uint64(k0.card)
	for _, kc := range g.keys[1:] {
		kcard := uint64(kc.card)
		// Keep the product below 2^64-1 so dropU64 is never a composite.
		if hi, lo := bits.Mul64(card, kcard); hi != 0 || lo == dropU64 {
			ids, ng, rep := densify(acc, card, dropU64)
			for i, id := range ids {
				if id < 0 {
					acc[i] = dropU64
				} else {
					acc[i] = uint64(id)
				}
			}
			int32Pool.put(ids)
			int32Pool.put(rep)
			card = uint64(ng)
		}
		codes := kc.codes[:n]
		for i, c := range codes {
			a := acc[i]
			if a == dropU64 || c < 0 {
				acc[i] = dropU64
				continue
			}
			acc[i] = a*kcard + uint64(c)
		}
		card *= kcard
	}
	g.ids, g.ngroups, g.rep = densify(acc, card, dropU64)
}

// densify numbers the distinct values of codes (in [0, card), or drop) by
// first appearance: a direct array when card is small, else a hash table
// sized for min(card, rows) keys. ids comes from int32Pool.
func densify[T int32 | uint64](codes []T, card uint64, drop T) (ids []int32, ngroups int, rep []int32) {
	ids = int32Pool.get(len(codes))
	rep = int32Pool.get(int(min(card, uint64(len(codes)))))[:0]
	if card <= directLimit(len(codes)) {
		slot := int32Pool.getZeroed(int(card)) // id+1, 0 unseen
		defer int32Pool.put(slot)
		for i, c := range codes {
			if c == drop {
				ids[i] = -1
				continue
			}
			s := &slot[c]
			if *s == 0 {
				rep = append(rep, int32(i))
				*s = int32(len(rep))
			}
			ids[i] = *s - 1
		}
		return ids, len(rep), rep
	}
	t := newU64Table(int(min(card, uint64(len(codes)))))
	defer t.release()
	for i, c := range codes {
		if c == drop {
			ids[i] = -1
			continue
		}
		s := t.slot(uint64(c))
		if s.val == 0 {
			rep = append(rep, int32(i))
			s.key, s.val = uint64(c), uint32(len(rep))
			t.n++
		}
		ids[i] = int32(s.val - 1)
	}
	return ids, len(rep), rep
}

// sort renumbers groups in ascending key order, nulls last. Each key's
// codes are ranked once (a dictionary's entries by decoded value), then
// groups are ordered by their tuple of ranks.
func (g *grouping) sort() error {
	ranks := make([][]int32, len(g.keys))
	for k, kc := range g.keys {
		r, err := kc.rank()
		if err != nil {
			return err
		}
		ranks[k] = r
	}
	order := int32Pool.get(g.ngroups)
	defer int32Pool.put(order)
	for i := range order {
		order[i] = int32(i)
	}
	// Composite rank when the product of cardinalities fits.
	fits := true
	card := uint64(1)
	for _, kc := range g.keys {
		hi, lo := bits.Mul64(card, uint64(kc.card))
		if hi != 0 {
			fits = false
			break
		}
		card = lo
	}
	if fits {
		sk := make([]uint64, g.ngroups)
		for k, kc := range g.keys {
			kcard, r, codes := uint64(kc.card), ranks[k], kc.codes
			for gi, row := range g.rep {
				sk[gi] = sk[gi]*kcard + uint64(r[codes[row]])
			}
		}
		sortByKey(order, sk)
	} else {
		slices.SortFunc(order, func(a, b int32) int {
			ra, rb := g.rep[a], g.rep[b]
			for k, kc := range g.keys {
				if c := cmp.Compare(ranks[k][kc.codes[ra]], ranks[k][kc.codes[rb]]); c != 0 {
					return c
				}
			}
			return 0
		})
	}
	newID := int32Pool.get(g.ngroups)
	defer int32Pool.put(newID)
	rep := int32Pool.get(g.ngroups)
	for pos, old := range order {
		newID[old] = int32(pos)
		rep[pos] = g.rep[old]
	}
	for i, id := range g.ids {
		if id >= 0 {
			g.ids[i] = newID[id]
		}
	}
	if g.aliased {
		// ids is the key's codes: renumbered, they stay a valid coding
		// of the key, and its null code moves with them.
		if kc := g.keys[0]; kc.nullCode >= 0 {
			kc.nullCode = newID[kc.nullCode]
		}
	}
	int32Pool.put(g.rep)
	g.rep = rep
	return nil
}

type sortPair struct {
	key uint64
	g   int32
}

// sortByKey sorts order (group ids, ascending on entry) by sk[group],
// stably: an LSD radix sort on bytes, skipping bytes all keys share.
func sortByKey(order []int32, sk []uint64) {
	n := len(order)
	if n < 256 {
		slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(sk[a], sk[b]) })
		return
	}
	a, b := pairPool.get(n), pairPool.get(n)
	defer pairPool.put(a)
	defer pairPool.put(b)
	for i, g := range order {
		a[i] = sortPair{sk[g], g}
	}
	var count [256]int
	for shift := uint(0); shift < 64; shift += 8 {
		count = [256]int{}
		for _, p := range a {
			count[byte(p.key>>shift)]++
		}
		if count[byte(a[0].key>>shift)] == n {
			continue // every key has this byte
		}
		pos := 0
		for i, c := range count {
			count[i] = pos
			pos += c
		}
		for _, p := range a {
			d := byte(p.key >> shift)
			b[count[d]] = p
			count[d]++
		}
		a, b = b, a
	}
	for i, p := range a {
		order[i] = p.g
	}
}

// rank returns each code's rank among the key's values: ascending, equal
// values equal, the null key last.
func (kc *keyCol) rank() ([]int32, error) {
	var vals arrow.Array
	var rows []int32
	if kc.dict != nil {
		vals = kc.dict
		rows = make([]int32, kc.dict.Len())
		for i := range rows {
			rows[i] = int32(i)
		}
	} else {
		vals, rows = kc.arr, kc.first
	}
	r, err := rankRows(vals, rows)
	if err != nil {
		return nil, err
	}
	if kc.dict != nil {
		// The null code, len(dict), sorts after every entry (null entries
		// rank last already).
		r = append(r, int32(len(r)))
	}
	return r, nil
}

// rankRows ranks the values of a at rows: ascending, nulls (and NaN) last,
// equal values sharing a rank.
func rankRows(a arrow.Array, rows []int32) ([]int32, error) {
	less, err := compareFunc(a)
	if err != nil {
		return nil, err
	}
	pos := make([]int32, len(rows))
	for i := range pos {
		pos[i] = int32(i)
	}
	cmpRow := func(x, y int32) int {
		rx, ry := int(rows[x]), int(rows[y])
		nx, ny := isNullAt(a, rx), isNullAt(a, ry)
		switch {
		case nx && ny:
			return 0
		case nx:
			return 1
		case ny:
			return -1
		}
		return less(rx, ry)
	}
	slices.SortFunc(pos, cmpRow)
	r := make([]int32, len(rows))
	rank := int32(0)
	for i, p := range pos {
		if i > 0 && cmpRow(pos[i-1], p) != 0 {
			rank = int32(i)
		}
		r[p] = rank
	}
	return r, nil
}

// compareFunc returns a three-way comparison of two non-null rows of a.
func compareFunc(a arrow.Array) (func(i, j int) int, error) {
	switch a := a.(type) {
	case *array.Int64:
		return cmpVals(a.Int64Values()), nil
	case *array.Int32:
		return cmpVals(a.Int32Values()), nil
	case *array.Int16:
		return cmpVals(a.Int16Values()), nil
	case *array.Int8:
		return cmpVals(a.Int8Values()), nil
	case *array.Uint64:
		return cmpVals(a.Uint64Values()), nil
	case *array.Uint32:
		return cmpVals(a.Uint32Values()), nil
	case *array.Uint16:
		return cmpVals(a.Uint16Values()), nil
	case *array.Uint8:
		return cmpVals(a.Uint8Values()), nil
	case *array.Float64:
		return cmpVals(a.Float64Values()), nil
	case *array.Float32:
		return cmpVals(a.Float32Values()), nil
	case *array.Timestamp:
		return cmpVals(a.TimestampValues()), nil
	case *array.Date32:
		return cmpVals(a.Date32Values()), nil
	case *array.Date64:
		return cmpVals(a.Date64Values()), nil
	case *array.Duration:
		return cmpVals(a.DurationValues()), nil
	case *array.Boolean:
		return func(i, j int) int {
			x, y := a.Value(i), a.Value(j)
			switch {
			case x == y:
				return 0
			case y:
				return -1
			}
			return 1
		}, nil
	case *array.String:
		return func(i, j int) int { return strings.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.LargeString:
		return func(i, j int) int { return strings.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.Binary:
		return func(i, j int) int { return bytes.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.LargeBinary:
		return func(i, j int) int { return bytes.Compare(a.Value(i), a.Value(j)) }, nil
	case *array.Dictionary:
		r, err := (&keyCol{dict: a.Dictionary()}).rank()
		if err != nil {
			return nil, err
		}
		idx := a.Indices()
		code := func(i int) int32 { return r[dictIndex(idx, i)] }
		return func(i, j int) int { return cmp.Compare(code(i), code(j)) }, nil
	}
	return nil, fmt.Errorf("%w: cannot order type %s", ErrType, a.DataType())
}

func cmpVals[T integer | float](v []T) func(i, j int) int {
	return func(i, j int) int { return cmp.Compare(v[i], v[j]) }
}

// dictIndex returns the dictionary index at row i of indices.
func dictIndex(idx arrow.Array, i int) int {
	switch ix := idx.(type) {
	case *array.Int8:
		return int(ix.Value(i))
	case *array.Int16:
		return int(ix.Value(i))
	case *array.Int32:
		return int(ix.Value(i))
	case *array.Int64:
		return int(ix.Value(i))
	case *array.Uint8:
		return int(ix.Value(i))
	case *array.Uint16:
		return int(ix.Value(i))
	case *array.Uint32:
		return int(ix.Value(i))
	case *array.Uint64:
		return int(ix.Value(i))
	}
	panic("groupby: bad dictionary index type")
}
