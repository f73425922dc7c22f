package dataframe

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra/exec"
	"github.com/shoaldata/shoal/partition"
)

var doubled = arrow.NewSchema([]arrow.Field{{Name: "v2", Type: arrow.PrimitiveTypes.Int64}}, nil)

// double is a UDF: v2 = 2*v, for MapPartitions.
func double(rec arrow.Record) (arrow.Record, error) {
	v := rec.Column(rec.Schema().FieldIndices("v")[0]).(*array.Int64)
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	for i := range v.Len() {
		b.Append(2 * v.Value(i))
	}
	a := b.NewArray()
	defer a.Release()
	return array.NewRecord(doubled, []arrow.Array{a}, int64(a.Len())), nil
}

var demeaned = arrow.NewSchema([]arrow.Field{{Name: "dv", Type: arrow.PrimitiveTypes.Float64}}, nil)

// demean is a group UDF: each value minus its group's mean (pandas
// transform(lambda s: s - s.mean())).
func demean(group arrow.Record) (arrow.Record, error) {
	v := group.Column(group.Schema().FieldIndices("v")[0]).(*array.Int64)
	var sum float64
	for i := range v.Len() {
		sum += float64(v.Value(i))
	}
	mean := sum / float64(v.Len())
	b := array.NewFloat64Builder(memory.DefaultAllocator)
	defer b.Release()
	for i := range v.Len() {
		b.Append(float64(v.Value(i)) - mean)
	}
	a := b.NewArray()
	defer a.Release()
	return array.NewRecord(demeaned, []arrow.Array{a}, int64(a.Len())), nil
}

func TestUDFsOnEveryMode(t *testing.T) {
	ctx := context.Background()
	for mode, s := range modes(t) {
		df := s.FromColumns(
			NewColumn("k", []string{"a", "b", "a", "b", "c"}),
			NewColumn("v", []int64{1, 10, 3, 20, 7}),
		)
		got, err := df.MapPartitions("double", doubled, double).ToRecords(ctx)
		if err != nil || !equalRecords(got, [][]any{{int64(2)}, {int64(20)}, {int64(6)}, {int64(40)}, {int64(14)}}) {
			t.Errorf("%s: MapPartitions: %v, %v", mode, got, err)
		}
		// Transform keeps the frame's order and labels (here after a filter).
		tr := df.Filter(Col("v").Ne(3)).GroupBy("k").Transform("demean", demeaned, demean).ResetIndex(false)
		got, err = tr.ToRecords(ctx)
		want := [][]any{{int64(0), 0.0}, {int64(1), -5.0}, {int64(3), 5.0}, {int64(4), 0.0}}
		if err != nil || !equalRecords(got, want) {
			t.Errorf("%s: Transform: %v, %v, want %v", mode, got, err, want)
		}
		// Sample: same rows on every mode for a seed, distinct, labelled.
		got, err = df.Sample(3, 7).ResetIndex(false).ToRecords(ctx)
		if err != nil || len(got) != 3 {
			t.Fatalf("%s: Sample: %v, %v", mode, got, err)
		}
		seen := map[int64]bool{}
		for _, r := range got {
			seen[r[0].(int64)] = true
		}
		if len(seen) != 3 {
			t.Errorf("%s: Sample repeated a row: %v", mode, got)
		}
		if _, err := df.Sample(6, 1).ToArrow(ctx); !errors.Is(err, ErrArgument) || !strings.Contains(err.Error(), "cannot sample 6 rows from 5") {
			t.Errorf("%s: oversample: %v", mode, err)
		}
	}
	// The same seed draws the same rows everywhere.
	var first [][]any
	for mode, s := range modes(t) {
		df := s.FromColumns(NewColumn("v", []int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}))
		got, err := df.Sample(4, 99).ToRecords(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = got
		} else if !equalRecords(got, first) {
			t.Errorf("%s: Sample(4, 99) = %v, another mode drew %v", mode, got, first)
		}
	}
	// A UDF that breaks its contract fails with a message naming it.
	bad := FromColumns(NewColumn("k", []string{"a", "a"}), NewColumn("v", []int64{1, 2})).
		GroupBy("k").Transform("short", demeaned, func(g arrow.Record) (arrow.Record, error) { return g.NewSlice(0, 1), nil })
	if _, err := bad.ToArrow(ctx); err == nil || !strings.Contains(err.Error(), "Transform short returned 1 rows for a group of 2") {
		t.Errorf("short transform: %v", err)
	}
}

// shipping stands in for a cluster engine: kernels "run elsewhere".
type shipping struct{ partition.Engine }

func (shipping) ShipsKernels() bool { return true }
func (s shipping) Name() string     { return "cluster" }
func (s shipping) Release(bs []partition.Block) {
	partition.Release(s.Engine, bs...)
}

var registeredDouble = RegisterFunc("dataframe_test.double", double)

func TestUDFsOnAShippingEngine(t *testing.T) {
	ctx := context.Background()
	s := NewSession(Config{Engine: shipping{partition.NewLocal(2)}})
	df := s.FromColumns(NewColumn("k", []string{"a", "b"}), NewColumn("v", []int64{1, 2}))
	_, err := df.MapPartitions("closure", doubled, double).ToArrow(ctx)
	if !errors.Is(err, exec.ErrUnregisteredFunc) || !strings.Contains(err.Error(), `dataframe.RegisterFunc("closure", func(rec arrow.Record)`) {
		t.Errorf("unregistered closure: %v", err)
	}
	_, err = df.GroupBy("k").Apply("group closure", doubled, double).ToArrow(ctx)
	if !errors.Is(err, exec.ErrUnregisteredFunc) {
		t.Errorf("unregistered group closure: %v", err)
	}
	got, err := df.MapPartitions("dataframe_test.double", doubled, registeredDouble).ToRecords(ctx)
	if err != nil || !equalRecords(got, [][]any{{int64(2)}, {int64(4)}}) {
		t.Errorf("registered function: %v, %v", got, err)
	}
	defer func() {
		if recover() == nil {
			t.Error("registering a name twice did not panic")
		}
	}()
	RegisterFunc("dataframe_test.double", double)
}
