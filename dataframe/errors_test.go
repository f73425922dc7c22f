package dataframe

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/partition"
)

func people() *DataFrame {
	return FromColumns(
		NewColumn("name", []string{"ann", "bob", "cy"}),
		NewNullableColumn("age", []int64{31, 0, 45}, []bool{true, false, true}),
		NewColumn("score", []float64{1.5, 2.5, 3.5}),
	)
}

func TestUnknownColumnsListTheColumns(t *testing.T) {
	df := people()
	const cols = "(columns: name, age, score)"
	for name, got := range map[string]*DataFrame{
		"Select":         df.Select("nme"),
		"Drop":           df.Drop("nme"),
		"Filter":         df.Filter(Col("nme").Eq("x")),
		"WithColumn":     df.WithColumn("x", Col("nme").Add(1)),
		"SortValues":     df.SortValues(Asc("nme")),
		"GroupBy":        df.GroupBy("nme").Agg(Sum("age")),
		"Agg":            df.GroupBy("name").Agg(Sum("nme")),
		"DropDuplicates": df.DropDuplicates(KeepFirst, "nme"),
		"Merge":          df.Merge(people(), MergeOptions{On: []string{"nme"}}),
		"SetIndex":       df.SetIndex("nme"),
		"Fillna":         df.Fillna(map[string]any{"nme": 1}),
	} {
		err := got.Err()
		if !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), `"nme" `+cols) {
			t.Errorf("%s: %v, want an unknown-column error listing %s", name, err, cols)
		}
		// The error passes down the chain and out of every action.
		later := got.Head(1).Select("name")
		if _, err := later.ToArrow(context.Background()); !errors.Is(err, ErrUnknownColumn) {
			t.Errorf("%s: later action: %v", name, err)
		}
	}
}

func TestTypeMismatchesNameColumnAndTypes(t *testing.T) {
	df := people()
	for _, tc := range []struct {
		name string
		df   *DataFrame
		want string
	}{
		{"string plus int", df.WithColumn("x", Col("name").Add(1)), "add: utf8 and int64"},
		{"filter not bool", df.Filter(Col("age").Add(1)), "filter (age + 1) has type int64, want bool"},
		{"compare string with int", df.Filter(Col("name").Gt(3)), "gt: utf8 and int64"},
		{"sum of strings", df.GroupBy("age").Agg(Sum("name")), `sum of column "name": type utf8 not supported`},
	} {
		err := tc.df.Err()
		if err == nil {
			_, err = tc.df.ToArrow(context.Background())
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	// A cast that fails at run time names the row and the value.
	bad := FromColumns(NewColumn("n", []string{"1", "2", "x3"})).Astype(map[string]arrow.DataType{"n": arrow.PrimitiveTypes.Int64})
	_, err := bad.ToArrow(context.Background())
	if err == nil || !strings.Contains(err.Error(), `row 2: "x3"`) {
		t.Errorf("bad cast: %v", err)
	}
}

func TestEdgeShapes(t *testing.T) {
	ctx := context.Background()
	empty := FromColumns(NewColumn[int64]("k", nil), NewColumn[float64]("v", nil))
	for name, df := range map[string]*DataFrame{
		"filter":  empty.Filter(Col("v").Gt(0.0)),
		"groupby": empty.GroupBy("k").Agg(Sum("v")),
		"sort":    empty.SortValues(Desc("v")),
		"merge":   empty.Merge(empty, MergeOptions{On: []string{"k"}}),
		"dedupe":  empty.DropDuplicates(KeepFirst),
		"head":    empty.Head(3),
		"tail":    empty.Tail(3),
	} {
		n, err := df.Len(ctx)
		if err != nil || n != 0 {
			t.Errorf("empty %s: %d rows, %v", name, n, err)
		}
	}
	if got := empty.String(); got != "Empty DataFrame\nColumns: [k, v]\nIndex: []" {
		t.Errorf("empty frame prints %q", got)
	}

	// An all-null column: sums are 0, means null, counts 0.
	nulls := FromColumns(NewColumn("k", []string{"a", "a", "b"}), NewNullableColumn("v", []float64{0, 0, 0}, []bool{false, false, false}))
	got, err := nulls.GroupBy("k").AsIndex(false).Agg(Sum("v"), Mean("v").As("m"), Count("v").As("c")).ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]any{{"a", 0.0, nil, int64(0)}, {"b", 0.0, nil, int64(0)}}
	if !equalRecords(got, want) {
		t.Errorf("all-null aggregates: %v, want %v", got, want)
	}
}

// TestOneRowPartitions runs a pipeline with every row in a partition of its
// own, on both engines, and requires the answer of one partition.
func TestOneRowPartitions(t *testing.T) {
	ctx := context.Background()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	sessions := modes(t)
	sessions["one-row"] = NewSession(Config{Mem: mem, Sizing: partition.Sizing{TargetBytes: 1, MaxPerCore: 64, Cores: 1}, CombineRows: 1, SortRows: 1, BroadcastBytes: 1})
	query := func(s *Session) ([][]any, error) {
		df := s.FromColumns(
			NewColumn("k", []string{"x", "y", "x", "z", "y", "x", "w"}),
			NewColumn("v", []int64{5, 3, 1, 4, 1, 5, 9}),
		)
		dims := s.FromColumns(NewColumn("k", []string{"x", "y", "z"}), NewColumn("label", []string{"ex", "why", "zed"}))
		out := df.Filter(Col("v").Gt(1)).
			Merge(dims, MergeOptions{On: []string{"k"}}).
			GroupBy("label").AsIndex(false).Agg(Sum("v"), Size()).
			SortValues(Desc("v"), Asc("label"))
		return out.ToRecords(ctx)
	}
	want := [][]any{{"ex", int64(10), int64(2)}, {"zed", int64(4), int64(1)}, {"why", int64(3), int64(1)}}
	for name, s := range sessions {
		got, err := query(s)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !equalRecords(got, want) {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

func equalRecords(got, want [][]any) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			return false
		}
		for j := range got[i] {
			if got[i][j] != want[i][j] {
				return false
			}
		}
	}
	return true
}

func TestNilFramesAreErrors(t *testing.T) {
	df := people()
	for name, got := range map[string]*DataFrame{
		"Merge":         df.Merge(nil, MergeOptions{On: []string{"name"}}),
		"Join":          df.SetIndex("name").Join(nil, "left"),
		"Concat":        Concat(true, df, nil),
		"ConcatColumns": ConcatColumns(df, nil),
	} {
		if err := got.Err(); !errors.Is(err, ErrArgument) || !strings.Contains(err.Error(), "nil") {
			t.Errorf("%s: %v", name, err)
		}
	}
}
