package groupby

import (
	"github.com/apache/arrow/go/v15/arrow"
)

// Groups returns the group of each row of rec by keys: ids[i] is row i's
// group, numbered by first appearance (or in key order with opt.Sort), -1
// for a row dropped by opt.Dropna. ids is the caller's. With no keys every
// row is group 0 of one group. rec is borrowed.
func Groups(rec arrow.Record, keys []string, opt Options) (ids []int32, ngroups int, err error) {
	if _, _, err := keyFields(rec.Schema(), keys); err != nil {
		return nil, 0, err
	}
	g, err := group(rec, keys, opt)
	if err != nil {
		return nil, 0, err
	}
	ids, ngroups = g.ids, g.ngroups
	g.ids = nil // the caller's now
	g.release()
	return ids, ngroups, nil
}

// Head returns the indices, ascending, of each group's first n rows, like
// pandas' groupby(keys).head(n); a negative n keeps all but each group's
// last |n| rows. Rows dropped by opt.Dropna are never returned.
func Head(rec arrow.Record, keys []string, n int, opt Options) ([]int64, error) {
	return headTail(rec, keys, n, opt, false)
}

// Tail returns the indices, ascending, of each group's last n rows, like
// pandas' groupby(keys).tail(n); a negative n keeps all but each group's
// first |n| rows.
func Tail(rec arrow.Record, keys []string, n int, opt Options) ([]int64, error) {
	return headTail(rec, keys, n, opt, true)
}

func headTail(rec arrow.Record, keys []string, n int, opt Options, tail bool) ([]int64, error) {
	ids, ng, err := Groups(rec, keys, Options{Dropna: opt.Dropna})
	if err != nil {
		return nil, err
	}
	defer int32Pool.put(ids)
	size := make([]int64, ng)
	for _, g := range ids {
		if g >= 0 {
			size[g]++
		}
	}
	// Row i, the k-th (from 0) of its group of s rows, is kept when k lies
	// in [lo, hi): head n keeps [0, n), head -n keeps [0, s-n); tail n keeps
	// [s-n, s), tail -n keeps [n, s).
	seen := make([]int64, ng)
	var out []int64
	for i, g := range ids {
		if g < 0 {
			continue
		}
		k, s := seen[g], size[g]
		seen[g]++
		var lo, hi int64
		switch m := int64(n); {
		case !tail && m >= 0:
			lo, hi = 0, m
		case !tail:
			lo, hi = 0, s+m
		case m >= 0:
			lo, hi = s-m, s
		default:
			lo, hi = -m, s
		}
		if k >= lo && k < hi {
			out = append(out, int64(i))
		}
	}
	if out == nil {
		out = []int64{}
	}
	return out, nil
}
