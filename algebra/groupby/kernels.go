package groupby

import (
	"math"
	"slices"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// The per-row kernels. Each is a typed loop over a value slice and the
// group ids (ids[i] < 0: row dropped). Integer values carry a validity
// bitmap; float values carry nulls as NaN (pandas treats NaN as missing),
// so `x != x` skips them and is constant false for integers.

type numT interface{ int64 | float64 }

// numCol is a numeric column in one of two canonical forms.
type numCol struct {
	isFloat bool
	i       []int64   // integers, bools (0/1), temporal counts
	f       []float64 // floats, NaN for null
	v       validity  // of i; f has no bitmap
}

// numeric returns arr's values in canonical form, copying only when the
// column is not int64 or float64 already (or is a float with nulls). With
// order, temporal types and dictionaries (by rank of decoded value) are
// accepted too and uint64 is biased so int64 order matches; the values then
// serve only to compare, results being gathered from arr.
func numeric(arr arrow.Array, order bool) (numCol, bool) {
	v := validityOf(arr)
	switch a := arr.(type) {
	case *array.Int64:
		return numCol{i: a.Int64Values(), v: v}, true
	case *array.Int32:
		return numCol{i: widen(a.Int32Values()), v: v}, true
	case *array.Int16:
		return numCol{i: widen(a.Int16Values()), v: v}, true
	case *array.Int8:
		return numCol{i: widen(a.Int8Values()), v: v}, true
	case *array.Uint32:
		return numCol{i: widen(a.Uint32Values()), v: v}, true
	case *array.Uint16:
		return numCol{i: widen(a.Uint16Values()), v: v}, true
	case *array.Uint8:
		return numCol{i: widen(a.Uint8Values()), v: v}, true
	case *array.Uint64:
		out := widen(a.Uint64Values())
		if order {
			for i := range out {
				out[i] ^= math.MinInt64
			}
		}
		return numCol{i: out, v: v}, true
	case *array.Boolean:
		out := make([]int64, a.Len())
		for i := range out {
			if a.Value(i) {
				out[i] = 1
			}
		}
		return numCol{i: out, v: v}, true
	case *array.Float64:
		f := a.Float64Values()
		if v.nulls {
			f = slices.Clone(f)
			nanNulls(f, v)
		}
		return numCol{isFloat: true, f: f}, true
	case *array.Float32:
		f := make([]float64, a.Len())
		for i, x := range a.Float32Values() {
			f[i] = float64(x)
		}
		nanNulls(f, v)
		return numCol{isFloat: true, f: f}, true
	}
	if !order {
		return numCol{}, false
	}
	switch a := arr.(type) {
	case *array.Timestamp:
		return numCol{i: widen(a.TimestampValues()), v: v}, true
	case *array.Date32:
		return numCol{i: widen(a.Date32Values()), v: v}, true
	case *array.Date64:
		return numCol{i: widen(a.Date64Values()), v: v}, true
	case *array.Duration:
		return numCol{i: widen(a.DurationValues()), v: v}, true
	case *array.Dictionary:
		r, err := (&keyCol{dict: a.Dictionary()}).rank()
		if err != nil {
			return numCol{}, false
		}
		out := make([]int64, a.Len())
		for i := range out {
			if !v.nulls || v.valid(i) {
				out[i] = int64(r[a.GetValueIndex(i)])
			}
		}
		return numCol{i: out, v: v}, true
	}
	return numCol{}, false
}

func widen[T integer](src []T) []int64 {
	out := make([]int64, len(src))
	for i, x := range src {
		out[i] = int64(x)
	}
	return out
}

func nanNulls(f []float64, v validity) {
	if !v.nulls {
		return
	}
	for i := range f {
		if !v.valid(i) {
			f[i] = math.NaN()
		}
	}
}

// sumTo adds each valid value to its group's accumulator.
func sumTo[T, A numT](acc []A, vals []T, ids []int32, v validity) {
	vals = vals[:len(ids)]
	if !v.nulls {
		for i, g := range ids {
			x := vals[i]
			if g < 0 || x != x {
				continue
			}
			acc[g] += A(x)
		}
		return
	}
	for i, g := range ids {
		x := vals[i]
		if g < 0 || x != x || !v.valid(i) {
			continue
		}
		acc[g] += A(x)
	}
}

// prodTo multiplies each valid value into its group's accumulator.
func prodTo[T numT](acc []T, vals []T, ids []int32, v validity) {
	vals = vals[:len(ids)]
	for i, g := range ids {
		x := vals[i]
		if g < 0 || x != x || (v.nulls && !v.valid(i)) {
			continue
		}
		acc[g] *= x
	}
}

// countTo counts each group's valid values.
func countTo[T numT](cnt []int64, vals []T, ids []int32, v validity) {
	vals = vals[:len(ids)]
	if !v.nulls {
		for i, g := range ids {
			x := vals[i]
			if g < 0 || x != x {
				continue
			}
			cnt[g]++
		}
		return
	}
	for i, g := range ids {
		x := vals[i]
		if g < 0 || x != x || !v.valid(i) {
			continue
		}
		cnt[g]++
	}
}

// countValid counts each group's non-null rows (types without NaN).
func countValid(cnt []int64, ids []int32, v validity) {
	for i, g := range ids {
		if g < 0 || (v.nulls && !v.valid(i)) {
			continue
		}
		cnt[g]++
	}
}

// m2To adds each valid value's squared deviation from its group's mean.
func m2To[T numT](m2, mean []float64, vals []T, ids []int32, v validity) {
	vals = vals[:len(ids)]
	for i, g := range ids {
		x := vals[i]
		if g < 0 || x != x || (v.nulls && !v.valid(i)) {
			continue
		}
		d := float64(x) - mean[g]
		m2[g] += d * d
	}
}

// bestRows sets rows[g] to the row of group g's minimum (or maximum)
// valid value, the first such row on ties, -1 for none.
func bestRows[T numT](rows []int32, best []T, vals []T, ids []int32, v validity, isMax bool) {
	vals = vals[:len(ids)]
	for i, g := range ids {
		x := vals[i]
		if g < 0 || x != x || (v.nulls && !v.valid(i)) {
			continue
		}
		if r := rows[g]; r < 0 || (isMax && x > best[g]) || (!isMax && x < best[g]) {
			rows[g], best[g] = int32(i), x
		}
	}
}

// edgeRows sets rows[g] to group g's first (or last) row with a valid
// value; nan, when given, marks NaN rows as missing too.
func edgeRows(rows []int32, ids []int32, v validity, nan []float64, last bool) {
	for i, g := range ids {
		if g < 0 || (v.nulls && !v.valid(i)) || (nan != nil && nan[i] != nan[i]) {
			continue
		}
		if last || rows[g] < 0 {
			rows[g] = int32(i)
		}
	}
}

// quantiles computes each group's q-quantile of its valid values with
// linear interpolation (median when q is 0.5 and median is set, averaging
// the middle pair as pandas does). Values are counting-sorted by group,
// then each group's slice is selected in place.
func quantiles[T numT](vals []T, ids []int32, v validity, ngroups int, q float64, median bool) ([]float64, []bool) {
	vals = vals[:len(ids)]
	start := make([]int, ngroups+1)
	for i, g := range ids {
		x := vals[i]
		if g < 0 || x != x || (v.nulls && !v.valid(i)) {
			continue
		}
		start[g+1]++
	}
	for g := 0; g < ngroups; g++ {
		start[g+1] += start[g]
	}
	buf := float64Pool.get(start[ngroups])
	defer float64Pool.put(buf)
	pos := slices.Clone(start[:ngroups])
	for i, g := range ids {
		x := vals[i]
		if g < 0 || x != x || (v.nulls && !v.valid(i)) {
			continue
		}
		buf[pos[g]] = float64(x)
		pos[g]++
	}
	out := make([]float64, ngroups)
	valid := make([]bool, ngroups)
	for g := 0; g < ngroups; g++ {
		s := buf[start[g]:start[g+1]]
		n := len(s)
		if n == 0 {
			continue
		}
		valid[g] = true
		if median {
			lo := selectK(s, (n-1)/2)
			if n%2 == 1 {
				out[g] = lo
			} else {
				out[g] = (lo + minOf(s[(n-1)/2+1:])) / 2
			}
			continue
		}
		p := q * float64(n-1)
		k := int(math.Floor(p))
		frac := p - float64(k)
		lo := selectK(s, k)
		if frac == 0 || k+1 >= n {
			out[g] = lo
			continue
		}
		hi := minOf(s[k+1:])
		out[g] = lo + (hi-lo)*frac
	}
	return out, valid
}

func minOf(s []float64) float64 {
	m := s[0]
	for _, x := range s[1:] {
		m = min(m, x)
	}
	return m
}

// selectK partially orders s so s[k] is its k-th smallest value, with
// everything after it no smaller, and returns s[k] (quickselect,
// median-of-three pivots, insertion sort for short ranges).
func selectK(s []float64, k int) float64 {
	lo, hi := 0, len(s)-1
	for hi-lo > 16 {
		mid := lo + (hi-lo)/2
		if s[mid] < s[lo] {
			s[mid], s[lo] = s[lo], s[mid]
		}
		if s[hi] < s[lo] {
			s[hi], s[lo] = s[lo], s[hi]
		}
		if s[hi] < s[mid] {
			s[hi], s[mid] = s[mid], s[hi]
		}
		p := s[mid]
		i, j := lo, hi
		for i <= j {
			for s[i] < p {
				i++
			}
			for s[j] > p {
				j--
			}
			if i <= j {
				s[i], s[j] = s[j], s[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return s[k]
		}
	}
	slices.Sort(s[lo : hi+1])
	return s[k]
}
