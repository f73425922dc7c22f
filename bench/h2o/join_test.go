package h2o

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func int64s(rec arrow.Record, name string) []int64 {
	return rec.Column(rec.Schema().FieldIndices(name)[0]).(*array.Int64).Int64Values()
}

func set(vals []int64) map[int64]bool {
	s := make(map[int64]bool, len(vals))
	for _, v := range vals {
		s[v] = true
	}
	return s
}

// matchRatio is the fraction of vals found in s.
func matchRatio(vals []int64, s map[int64]bool) float64 {
	n := 0
	for _, v := range vals {
		if s[v] {
			n++
		}
	}
	return float64(n) / float64(len(vals))
}

func TestJoinKeys(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	const ns, nm, n = 100, 1000, 100_000
	x, small, medium, big := join(ns, nm, n, 5, mem)
	defer x.Release()
	defer small.Release()
	defer medium.Release()
	defer big.Release()

	for _, tc := range []struct {
		name   string
		rec    arrow.Record
		schema *arrow.Schema
		rows   int64
	}{{"x", x, JoinXSchema, n}, {"small", small, JoinSmallSchema, ns}, {"medium", medium, JoinMediumSchema, nm}, {"big", big, JoinBigSchema, n}} {
		if !tc.rec.Schema().Equal(tc.schema) {
			t.Errorf("%s: schema %v", tc.name, tc.rec.Schema())
		}
		if tc.rec.NumRows() != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.name, tc.rec.NumRows(), tc.rows)
		}
	}

	// Distinct keys: every element of a key set occurs; 90% of one side's
	// set is in the other's.
	for _, tc := range []struct {
		name        string
		left, right []int64
		m           int
		rightUnique bool
	}{
		{"id1 x-small", int64s(x, "id1"), int64s(small, "id1"), ns, true},
		{"id1 x-medium", int64s(x, "id1"), int64s(medium, "id1"), ns, false},
		{"id2 x-medium", int64s(x, "id2"), int64s(medium, "id2"), nm, true},
		{"id2 x-big", int64s(x, "id2"), int64s(big, "id2"), nm, false},
		{"id3 x-big", int64s(x, "id3"), int64s(big, "id3"), n, true},
	} {
		ls, rs := set(tc.left), set(tc.right)
		if len(ls) != tc.m || len(rs) != tc.m {
			t.Errorf("%s: %d and %d distinct keys, want %d", tc.name, len(ls), len(rs), tc.m)
		}
		if tc.rightUnique && len(rs) != len(tc.right) {
			t.Errorf("%s: right keys repeat", tc.name)
		}
		both := 0
		for k := range ls {
			if rs[k] {
				both++
			}
		}
		if both != tc.m*9/10 {
			t.Errorf("%s: %d keys on both sides, want %d", tc.name, both, tc.m*9/10)
		}
		for k := range ls {
			if k < 1 || k > int64(tc.m*11/10) {
				t.Fatalf("%s: key %d outside 1..%d", tc.name, k, tc.m*11/10)
			}
		}
		// Rows: about 90% of x's rows find a match.
		if r := matchRatio(tc.left, rs); math.Abs(r-0.9) > 0.01 {
			t.Errorf("%s: %.4f of x's rows match, want 0.90 ± 0.01", tc.name, r)
		}
	}
	if len(set(int64s(x, "id3"))) != n {
		t.Errorf("x.id3 is not unique")
	}
	if r := matchRatio(int64s(big, "id3"), set(int64s(x, "id3"))); r != 0.9 {
		t.Errorf("%.4f of big's id3 match x, want exactly 0.9", r)
	}

	// The string keys are "id" + the integer keys, with sorted dictionaries
	// of exactly the distinct values.
	for _, rec := range []arrow.Record{x, small, medium, big} {
		for c, f := range rec.Schema().Fields() {
			if f.Type.ID() != arrow.DICTIONARY {
				continue
			}
			src := int64s(rec, "id"+strconv.Itoa(int(f.Name[2]-'0')-3))
			col := rec.Column(c).(*array.Dictionary)
			dict := col.Dictionary().(*array.String)
			for i, v := range src {
				if s, _ := strAt(col, i); s != "id"+strconv.FormatInt(v, 10) {
					t.Fatalf("%s[%d] = %q, want id%d", f.Name, i, s, v)
				}
			}
			if dict.Len() != len(set(src)) {
				t.Errorf("%s: dictionary of %d, want %d", f.Name, dict.Len(), len(set(src)))
			}
			for i := 1; i < dict.Len(); i++ {
				if dict.Value(i-1) >= dict.Value(i) {
					t.Fatalf("%s: dictionary not ascending at %d: %q, %q", f.Name, i, dict.Value(i-1), dict.Value(i))
				}
			}
		}
	}
}

func TestJoinDeterministic(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	a := make([]arrow.Record, 4)
	b := make([]arrow.Record, 4)
	var err error
	a[0], a[1], a[2], a[3], err = Join(20_000, 9, mem)
	if err != nil {
		t.Fatal(err)
	}
	b[0], b[1], b[2], b[3], err = Join(20_000, 9, mem)
	if err != nil {
		t.Fatal(err)
	}
	for i := range a {
		if !array.RecordEqual(a[i], b[i]) {
			t.Errorf("table %d differs between two runs of seed 9", i)
		}
		if a[i].NumRows() != []int64{20_000, 10, 20, 20_000}[i] {
			t.Errorf("table %d: %d rows", i, a[i].NumRows())
		}
		a[i].Release()
		b[i].Release()
	}
	if _, _, _, _, err := Join(9, 1, mem); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Join(9) = %v, want ErrInvalidArgument", err)
	}
}

func TestForLexOrder(t *testing.T) {
	for _, m := range []int{1, 9, 10, 11, 99, 100, 101, 1234} {
		var got, want []string
		forLexOrder(m, func(v int) { got = append(got, strconv.Itoa(v)) })
		for v := 1; v <= m; v++ {
			want = append(want, strconv.Itoa(v))
		}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("forLexOrder(%d) = %v, want %v", m, got, want)
		}
	}
}
