package golden

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// ErrMismatch reports a result that differs from the expected table.
var ErrMismatch = errors.New("golden: result differs from pandas")

// Tolerances of float comparison. float32 columns carry 24 bits, so an
// engine that computes them in float64 (or pandas, which sometimes does)
// lands within float32 rounding, not within 1e-9.
const (
	RelTol        = 1e-9
	AbsTol        = 1e-12
	RelTolFloat32 = 1e-6
)

// Compare reports whether got holds want's columns and rows. It returns nil
// when they are equal and otherwise an error wrapping ErrMismatch that names
// the first differing column and row with both values.
//
// The rules: column names and order must match, and the row counts. int64
// and int32 match any Arrow integer column exactly; float64 and float32
// match float columns within RelTol relative or AbsTol absolute (RelTol-
// Float32 for float32), infinities only themselves; an expected float
// column also matches an integer column of equal values (pandas makes ints
// with nulls float, Shoal keeps ints with validity); bool matches boolean;
// string and category match utf8, large utf8 or a dictionary of either, by
// value; timestamp matches a timestamp of any unit by instant (the zone is
// ignored) and date a date32 or date64 by day. A null matches a null and,
// in floats, NaN. With ordered false the rows are compared as multisets:
// both sides are sorted on all columns and then compared in order, so a
// difference is reported at its position among the sorted rows.
//
// want.Index is not compared; a caller that models pandas' row labels can
// Compare its labels against *want.Index. Compare does not retain got.
func Compare(got arrow.Record, want Table, ordered bool) error {
	if err := want.check(); err != nil {
		return err
	}
	if int(got.NumCols()) != len(want.Columns) {
		return fmt.Errorf("%w: got %d columns %v, want %d columns %v", ErrMismatch,
			got.NumCols(), gotNames(got), len(want.Columns), wantNames(want))
	}
	for i, c := range want.Columns {
		if g := got.ColumnName(i); g != c.Name {
			return fmt.Errorf("%w: column %d is %q, want %q (got %v, want %v)", ErrMismatch,
				i, g, c.Name, gotNames(got), wantNames(want))
		}
	}
	if int(got.NumRows()) != want.NumRows() {
		return fmt.Errorf("%w: got %d rows, want %d", ErrMismatch, got.NumRows(), want.NumRows())
	}
	pairs := make([]pair, len(want.Columns))
	for i, c := range want.Columns {
		p, err := newPair(got.Column(i), c)
		if err != nil {
			return err
		}
		pairs[i] = p
	}
	var gperm, wperm []int
	if !ordered {
		gperm = sortedRows(pairs, int(got.NumRows()), func(p pair, i, j int) int { return p.cmpGot(i, j) })
		wperm = sortedRows(pairs, want.NumRows(), func(p pair, i, j int) int { return p.cmpWant(i, j) })
	}
	for ci, p := range pairs {
		r := p.firstDiff(gperm, wperm)
		if r < 0 {
			continue
		}
		g, w := r, r
		where := fmt.Sprintf("row %d", r)
		if !ordered {
			g, w = gperm[r], wperm[r]
			where = fmt.Sprintf("sorted row %d (got row %d, want row %d)", r, g, w)
		}
		return fmt.Errorf("%w: column %q (%s) %s: got %s, want %s", ErrMismatch,
			want.Columns[ci].Name, want.Columns[ci].Dtype, where, p.gotString(g), p.wantString(w))
	}
	return nil
}

func gotNames(r arrow.Record) []string {
	s := make([]string, r.NumCols())
	for i := range s {
		s[i] = r.ColumnName(i)
	}
	return s
}

func wantNames(t Table) []string {
	s := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		s[i] = c.Name
	}
	return s
}

// sortedRows returns the row order that sorts a side on all columns, left
// to right.
func sortedRows(pairs []pair, n int, cmpRows func(p pair, i, j int) int) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool {
		for _, p := range pairs {
			if c := cmpRows(p, perm[a], perm[b]); c != 0 {
				return c < 0
			}
		}
		return false
	})
	return perm
}

// pair is one column of both sides, normalized to one Go type.
type pair interface {
	// firstDiff is the first row (of the permutations, when not nil) at
	// which the sides differ, or -1.
	firstDiff(gperm, wperm []int) int
	cmpGot(i, j int) int
	cmpWant(i, j int) int
	gotString(i int) string
	wantString(i int) string
}

// vec is a normalized column: ints (also bools, timestamps in ns and dates
// in days), floats or strings, with a validity flag per row.
type vec[T int64 | float64 | string] struct {
	v  []T
	ok []bool
}

func (x vec[T]) cmpRows(i, j int) int {
	switch {
	case !x.ok[i] && !x.ok[j]:
		return 0
	case !x.ok[i]:
		return -1
	case !x.ok[j]:
		return 1
	}
	return cmp.Compare(x.v[i], x.v[j])
}

func at(perm []int, i int) int {
	if perm == nil {
		return i
	}
	return perm[i]
}

// exactPair compares ints, bools, timestamps, dates and strings.
type exactPair[T int64 | string] struct {
	got, want vec[T]
	format    func(T) string
}

func (p exactPair[T]) firstDiff(gperm, wperm []int) int {
	for i := range p.want.v {
		g, w := at(gperm, i), at(wperm, i)
		if p.got.ok[g] != p.want.ok[w] || p.want.ok[w] && p.got.v[g] != p.want.v[w] {
			return i
		}
	}
	return -1
}

func (p exactPair[T]) cmpGot(i, j int) int  { return p.got.cmpRows(i, j) }
func (p exactPair[T]) cmpWant(i, j int) int { return p.want.cmpRows(i, j) }
func (p exactPair[T]) gotString(i int) string {
	if !p.got.ok[i] {
		return "null"
	}
	return p.format(p.got.v[i])
}
func (p exactPair[T]) wantString(i int) string {
	if !p.want.ok[i] {
		return "null"
	}
	return p.format(p.want.v[i])
}

type floatPair struct {
	got, want vec[float64]
	rel       float64
}

func (p floatPair) firstDiff(gperm, wperm []int) int {
	for i := range p.want.v {
		g, w := at(gperm, i), at(wperm, i)
		if p.got.ok[g] != p.want.ok[w] {
			return i
		}
		if !p.want.ok[w] {
			continue
		}
		a, b := p.got.v[g], p.want.v[w]
		if a == b {
			continue
		}
		d := math.Abs(a - b)
		// An infinity equals only itself, and the tolerance of a huge
		// value must not swallow one.
		if math.IsInf(a, 0) || math.IsInf(b, 0) || d > AbsTol && d > p.rel*math.Max(math.Abs(a), math.Abs(b)) {
			return i
		}
	}
	return -1
}

func (p floatPair) cmpGot(i, j int) int  { return p.got.cmpRows(i, j) }
func (p floatPair) cmpWant(i, j int) int { return p.want.cmpRows(i, j) }
func (p floatPair) gotString(i int) string {
	if !p.got.ok[i] {
		return "null"
	}
	return strconv.FormatFloat(p.got.v[i], 'g', -1, 64)
}
func (p floatPair) wantString(i int) string {
	if !p.want.ok[i] {
		return "null"
	}
	return strconv.FormatFloat(p.want.v[i], 'g', -1, 64)
}

func formatInt(v int64) string { return strconv.FormatInt(v, 10) }
func formatBool(v int64) string {
	if v != 0 {
		return "true"
	}
	return "false"
}
func formatString(s string) string { return strconv.Quote(s) }

func typeErr(c Column, a arrow.Array) error {
	return fmt.Errorf("%w: column %q: got Arrow type %s, want dtype %s", ErrMismatch, c.Name, a.DataType(), c.Dtype)
}

func newPair(a arrow.Array, c Column) (pair, error) {
	switch c.Dtype {
	case Int64, Int32:
		g, ok := gotInts(a)
		if !ok {
			return nil, typeErr(c, a)
		}
		w, err := wantInts(c, asInt64)
		if err != nil {
			return nil, err
		}
		return exactPair[int64]{got: g, want: w, format: formatInt}, nil
	case Float64, Float32:
		g, ok := gotFloats(a)
		if !ok {
			return nil, typeErr(c, a)
		}
		w, err := wantFloats(c)
		if err != nil {
			return nil, err
		}
		rel := RelTol
		if c.Dtype == Float32 {
			rel = RelTolFloat32
		}
		return floatPair{got: g, want: w, rel: rel}, nil
	case Bool:
		b, ok := a.(*array.Boolean)
		if !ok {
			return nil, typeErr(c, a)
		}
		g := newVec[int64](a.Len())
		for i := range g.v {
			if g.ok[i] = b.IsValid(i); g.ok[i] && b.Value(i) {
				g.v[i] = 1
			}
		}
		w, err := wantInts(c, func(v any) (int64, bool) {
			x, ok := v.(bool)
			if x {
				return 1, ok
			}
			return 0, ok
		})
		if err != nil {
			return nil, err
		}
		return exactPair[int64]{got: g, want: w, format: formatBool}, nil
	case String, Category:
		g, ok := gotStrings(a)
		if !ok {
			return nil, typeErr(c, a)
		}
		w, err := wantStrings(c)
		if err != nil {
			return nil, err
		}
		return exactPair[string]{got: g, want: w, format: formatString}, nil
	case Timestamp:
		ts, ok := a.(*array.Timestamp)
		if !ok {
			return nil, typeErr(c, a)
		}
		mul := int64(a.DataType().(*arrow.TimestampType).Unit.Multiplier())
		g := newVec[int64](a.Len())
		for i, v := range ts.TimestampValues() {
			g.ok[i], g.v[i] = ts.IsValid(i), int64(v)*mul
		}
		w, err := wantInts(c, parseAs(parseTimestamp))
		if err != nil {
			return nil, err
		}
		return exactPair[int64]{got: g, want: w, format: formatTimestamp}, nil
	case Date:
		g := newVec[int64](a.Len())
		switch d := a.(type) {
		case *array.Date32:
			for i, v := range d.Date32Values() {
				g.ok[i], g.v[i] = d.IsValid(i), int64(v)
			}
		case *array.Date64:
			for i, v := range d.Date64Values() {
				g.ok[i], g.v[i] = d.IsValid(i), floorDiv(int64(v), 86400_000)
			}
		default:
			return nil, typeErr(c, a)
		}
		w, err := wantInts(c, parseAs(parseDate))
		if err != nil {
			return nil, err
		}
		return exactPair[int64]{got: g, want: w, format: formatDate}, nil
	}
	return nil, fmt.Errorf("%w: column %q: unknown dtype %q", ErrFormat, c.Name, c.Dtype)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func parseAs(parse func(string) (int64, error)) func(any) (int64, bool) {
	return func(v any) (int64, bool) {
		s, ok := v.(string)
		if !ok {
			return 0, false
		}
		n, err := parse(s)
		return n, err == nil
	}
}

func newVec[T int64 | float64 | string](n int) vec[T] {
	return vec[T]{v: make([]T, n), ok: make([]bool, n)}
}

func wantInts(c Column, conv func(any) (int64, bool)) (vec[int64], error) {
	w := newVec[int64](len(c.Values))
	for i, v := range c.Values {
		if v == nil {
			continue
		}
		n, ok := conv(v)
		if !ok {
			return w, badValue(c, i, v)
		}
		w.v[i], w.ok[i] = n, true
	}
	return w, nil
}

func wantFloats(c Column) (vec[float64], error) {
	w := newVec[float64](len(c.Values))
	for i, v := range c.Values {
		if v == nil {
			continue
		}
		f, ok := asFloat64(v)
		if !ok {
			return w, badValue(c, i, v)
		}
		w.v[i], w.ok[i] = f, !math.IsNaN(f)
	}
	return w, nil
}

func wantStrings(c Column) (vec[string], error) {
	w := newVec[string](len(c.Values))
	for i, v := range c.Values {
		if v == nil {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return w, badValue(c, i, v)
		}
		w.v[i], w.ok[i] = s, true
	}
	return w, nil
}

func validity(a arrow.Array, ok []bool) {
	if a.NullN() == 0 {
		for i := range ok {
			ok[i] = true
		}
		return
	}
	for i := range ok {
		ok[i] = a.IsValid(i)
	}
}

func widen[T int8 | int16 | int32 | int64 | uint8 | uint16 | uint32 | uint64 | float32 | float64, U int64 | float64](
	a arrow.Array, vals []T) vec[U] {
	x := newVec[U](len(vals))
	validity(a, x.ok)
	for i, v := range vals {
		x.v[i] = U(v)
	}
	return x
}

// gotInts reads any Arrow integer column. uint64 values above MaxInt64
// wrap, which no golden case reaches.
func gotInts(a arrow.Array) (vec[int64], bool) {
	switch x := a.(type) {
	case *array.Int8:
		return widen[int8, int64](a, x.Int8Values()), true
	case *array.Int16:
		return widen[int16, int64](a, x.Int16Values()), true
	case *array.Int32:
		return widen[int32, int64](a, x.Int32Values()), true
	case *array.Int64:
		return widen[int64, int64](a, x.Int64Values()), true
	case *array.Uint8:
		return widen[uint8, int64](a, x.Uint8Values()), true
	case *array.Uint16:
		return widen[uint16, int64](a, x.Uint16Values()), true
	case *array.Uint32:
		return widen[uint32, int64](a, x.Uint32Values()), true
	case *array.Uint64:
		return widen[uint64, int64](a, x.Uint64Values()), true
	}
	return vec[int64]{}, false
}

// gotFloats reads a float column, or an integer one as floats; NaN is null.
func gotFloats(a arrow.Array) (vec[float64], bool) {
	var g vec[float64]
	switch x := a.(type) {
	case *array.Float32:
		g = widen[float32, float64](a, x.Float32Values())
	case *array.Float64:
		g = widen[float64, float64](a, x.Float64Values())
	default:
		ints, ok := gotInts(a)
		if !ok {
			return g, false
		}
		g = newVec[float64](len(ints.v))
		for i, v := range ints.v {
			g.v[i], g.ok[i] = float64(v), ints.ok[i]
		}
		return g, true
	}
	for i, v := range g.v {
		if math.IsNaN(v) {
			g.ok[i] = false
		}
	}
	return g, true
}

func gotStrings(a arrow.Array) (vec[string], bool) {
	switch x := a.(type) {
	case *array.String:
		return stringsOf(a, x.Value), true
	case *array.LargeString:
		return stringsOf(a, x.Value), true
	case *array.Dictionary:
		var value func(int) string
		switch d := x.Dictionary().(type) {
		case *array.String:
			value = d.Value
		case *array.LargeString:
			value = d.Value
		default:
			return vec[string]{}, false
		}
		g := newVec[string](a.Len())
		validity(a, g.ok)
		for i := range g.v {
			if g.ok[i] {
				g.v[i] = value(x.GetValueIndex(i))
			}
		}
		return g, true
	}
	return vec[string]{}, false
}

// stringsOf's strings alias got's buffers; they live only inside Compare
// (error messages quote them into new strings).
func stringsOf(a arrow.Array, value func(int) string) vec[string] {
	g := newVec[string](a.Len())
	validity(a, g.ok)
	for i := range g.v {
		if g.ok[i] {
			g.v[i] = value(i)
		}
	}
	return g
}
