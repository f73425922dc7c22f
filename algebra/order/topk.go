package order

import (
	"cmp"
	"math"
	"slices"

	"github.com/apache/arrow/go/v15/arrow"
)

// TopK returns the first k entries of Indices(rec, keys), or all of them if
// rec has fewer than k rows, in O(n log k) time and O(k) extra memory for a
// single numeric key: pandas' nsmallest and nlargest (keep="first", with
// Descending for nlargest) and sort_values followed by head. Ties keep the
// earlier row, as the stable sort does. k ≤ 0 returns no rows. Errors are
// Indices'.
func TopK(rec arrow.Record, keys []Key, k int) ([]int64, error) {
	cols, err := resolve(rec, keys)
	if err != nil {
		return nil, err
	}
	n := int(rec.NumRows())
	switch {
	case k <= 0:
		return []int64{}, nil
	case k >= n || len(keys) == 0:
		out := sortData(cols, keys, n)
		return out[:min(k, n)], nil
	case len(keys) == 1 && kindOf(cols[0].DataType()) == kindNumeric:
		return topNumeric(cols[0], keys[0], n, k), nil
	}
	return topGeneral(cols, keys, n, k), nil
}

// entry is a candidate of topNumeric: a row and its ord (flipped when
// descending), ordered by (ord, row).
type entry struct {
	ord uint64
	row uint32
}

func entryCmp(a, b entry) int {
	if c := cmp.Compare(a.ord, b.ord); c != 0 {
		return c
	}
	return cmp.Compare(a.row, b.row)
}

// chunk is how many rows topNumeric converts to ords at a time: small
// enough to stay in L1, so no n-sized buffer is needed.
const chunk = 2048

// topNumeric keeps the k least non-null rows in a max-heap while it scans
// the column a chunk at a time. Rows arrive in increasing order, so a row
// tying the heap's top is later than it and stays out. Nulls are taken in
// row order, before or after the non-null rows.
func topNumeric(d arrow.ArrayData, key Key, n, k int) []int64 {
	var flip uint64
	if key.Descending {
		flip = math.MaxUint64
	}
	ord := make([]uint64, chunk)
	var null []bool
	if nullable(d) {
		null = make([]bool, chunk)
	}
	var nulls []int64
	h := make([]entry, 0, k)
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		fillOrd(d, lo, hi, ord, null)
		for i, v := range ord[:hi-lo] {
			if null != nil && null[i] {
				if len(nulls) < k {
					nulls = append(nulls, int64(lo+i))
				}
				continue
			}
			v ^= flip
			if len(h) < k {
				h = append(h, entry{v, uint32(lo + i)})
				siftUp(h, len(h)-1)
			} else if v < h[0].ord {
				h[0] = entry{v, uint32(lo + i)}
				siftDown(h, 0)
			}
		}
		if key.NullsFirst && len(nulls) == k {
			return nulls
		}
	}
	slices.SortFunc(h, entryCmp)
	out := make([]int64, 0, k)
	if key.NullsFirst {
		out = append(out, nulls...)
	}
	for _, e := range h {
		if len(out) == k {
			break
		}
		out = append(out, int64(e.row))
	}
	if !key.NullsFirst {
		out = append(out, nulls[:min(len(nulls), k-len(out))]...)
	}
	return out
}

// siftUp and siftDown keep h a max-heap by (ord, row).
func siftUp(h []entry, i int) {
	for i > 0 {
		p := (i - 1) / 2
		if entryCmp(h[p], h[i]) >= 0 {
			return
		}
		h[p], h[i] = h[i], h[p]
		i = p
	}
}

func siftDown(h []entry, i int) {
	for {
		c := 2*i + 1
		if c >= len(h) {
			return
		}
		if c+1 < len(h) && entryCmp(h[c+1], h[c]) > 0 {
			c++
		}
		if entryCmp(h[i], h[c]) >= 0 {
			return
		}
		h[i], h[c] = h[c], h[i]
		i = c
	}
}

// topKey is one key of topGeneral: per-row values that compare as the key
// does (ords of numeric columns, ranks of the others, already reversed if
// descending) and which rows are null.
type topKey struct {
	vals       []uint64
	null       []bool
	nullsFirst bool
}

// topGeneral is TopK for several keys or non-numeric ones: each key is
// turned into comparable integers (no sort), then rows go through a heap
// with a comparator over them.
func topGeneral(cols []arrow.ArrayData, keys []Key, n, k int) []int64 {
	tks := make([]topKey, len(cols))
	for j, d := range cols {
		tk := topKey{vals: make([]uint64, n), nullsFirst: keys[j].NullsFirst}
		if kindOf(d.DataType()) == kindNumeric {
			if nullable(d) {
				tk.null = make([]bool, n)
			}
			fillOrd(d, 0, n, tk.vals, tk.null)
			if keys[j].Descending {
				for i, v := range tk.vals {
					tk.vals[i] = ^v
				}
			}
		} else {
			ranks, card := rankData(d)
			tk.null = make([]bool, n)
			for i, r := range ranks {
				switch {
				case r == nullRank:
					tk.null[i] = true
				case keys[j].Descending:
					tk.vals[i] = uint64(card - 1 - r)
				default:
					tk.vals[i] = uint64(r)
				}
			}
		}
		tks[j] = tk
	}
	less := func(a, b uint32) bool {
		for _, tk := range tks {
			if tk.null != nil {
				na, nb := tk.null[a], tk.null[b]
				if na || nb {
					if na && nb {
						continue
					}
					return na == tk.nullsFirst
				}
			}
			if va, vb := tk.vals[a], tk.vals[b]; va != vb {
				return va < vb
			}
		}
		return a < b
	}
	h := make([]uint32, 0, k)
	for i := range uint32(n) {
		if len(h) < k {
			h = append(h, i)
			for c := len(h) - 1; c > 0; {
				p := (c - 1) / 2
				if !less(h[p], h[c]) {
					break
				}
				h[p], h[c] = h[c], h[p]
				c = p
			}
			continue
		}
		if !less(i, h[0]) {
			continue
		}
		h[0] = i
		for p := 0; ; {
			c := 2*p + 1
			if c >= len(h) {
				break
			}
			if c+1 < len(h) && less(h[c], h[c+1]) {
				c++
			}
			if !less(h[p], h[c]) {
				break
			}
			h[p], h[c] = h[c], h[p]
			p = c
		}
	}
	slices.SortFunc(h, func(a, b uint32) int {
		switch {
		case less(a, b):
			return -1
		case less(b, a):
			return 1
		}
		return 0
	})
	out := make([]int64, len(h))
	for i, r := range h {
		out[i] = int64(r)
	}
	return out
}
