package dataframe

import (
	"context"
	"testing"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/partition"
)

// Collect keeps the result's partitions as the records of its table (no
// concatenation), drops empty ones, and an empty result is a table of no
// records with the plan's columns; every action on it sees the same rows.
func TestCollectKeepsPartitions(t *testing.T) {
	sess := NewSession(Config{Sizing: partition.Sizing{TargetBytes: 1, MaxPerCore: 4, Cores: 2}})
	ctx := context.Background()
	df := sess.FromColumns(NewColumn("k", []int64{1, 2, 3, 4, 5, 6, 7, 8}), NewColumn("v", []float64{1, 2, 3, 4, 5, 6, 7, 8}))
	got, err := df.Filter(Col("k").Gt(Lit(2))).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tab := got.plan.(*algebra.Scan).Source.(*algebra.Table)
	if len(tab.Records) < 2 {
		t.Fatalf("collected into %d record(s), want the partitions kept", len(tab.Records))
	}
	if s := got.String(); s != "   k    v\n2  3  3.0\n3  4  4.0\n4  5  5.0\n5  6  6.0\n6  7  7.0\n7  8  8.0" {
		t.Fatalf("got\n%s", s)
	}
	sum, ok, err := got.Series("v").Sum(ctx)
	if err != nil || !ok || sum != 33 {
		t.Fatalf("sum %v, %v, %v; want 33", sum, ok, err)
	}

	none, err := df.Filter(Col("k").Gt(Lit(100))).Collect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(none.plan.(*algebra.Scan).Source.(*algebra.Table).Records); n != 0 {
		t.Fatalf("an empty result kept %d records", n)
	}
	if rows, cols, err := none.Shape(ctx); rows != 0 || cols != 2 || err != nil {
		t.Fatalf("shape %d x %d, %v; want 0 x 2", rows, cols, err)
	}
}
