package dataframe

import (
	"context"
	"fmt"
	"testing"

	"github.com/shoaldata/shoal/partition"
	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/remote/remotetest"
)

// TestWideFrames runs queries over a frame split by columns (40 columns,
// groups of 4 once past 8) and requires the answers of an ordinary split.
func TestWideFrames(t *testing.T) {
	ctx := context.Background()
	rt := remotetest.Start(t, remote.Config{NumCPUs: 2})
	wide := partition.Sizing{TargetBytes: 1 << 10, MaxPerCore: 2, Cores: 2, WideColumns: 8, GroupColumns: 4}
	sessions := map[string]*Session{
		"narrow":        NewSession(Config{}),
		"wide-local":    NewSession(Config{Sizing: wide}),
		"wide-runtime":  NewSession(Config{Sizing: wide, Engine: partition.NewRuntime(rt)}),
		"wide-combined": NewSession(Config{Sizing: wide, CombineRows: 1, SortRows: 1, BroadcastBytes: 1}),
	}
	build := func(s *Session) *DataFrame {
		var cols []Column
		for c := range 40 {
			vals := make([]int64, 300)
			for r := range vals {
				vals[r] = int64((r*7 + c*13) % 50)
			}
			cols = append(cols, NewColumn(fmt.Sprintf("c%02d", c), vals))
		}
		return s.FromColumns(cols...)
	}
	queries := map[string]func(df *DataFrame) *DataFrame{
		"filter-select": func(df *DataFrame) *DataFrame {
			return df.Filter(Col("c37").Gt(25)).Select("c02", "c37", "c21")
		},
		"groupby": func(df *DataFrame) *DataFrame {
			return df.GroupBy("c05").AsIndex(false).Agg(Sum("c33"), Max("c12"))
		},
		"all-columns-head": func(df *DataFrame) *DataFrame { return df.Tail(3) },
	}
	for qname, q := range queries {
		var want [][]any
		for _, name := range []string{"narrow", "wide-local", "wide-runtime", "wide-combined"} {
			got, err := q(build(sessions[name])).ResetIndex(false).ToRecords(ctx)
			if err != nil {
				t.Fatalf("%s %s: %v", qname, name, err)
			}
			if want == nil {
				want = got
				if len(want) == 0 {
					t.Fatalf("%s: no rows", qname)
				}
				continue
			}
			if !equalRecords(got, want) {
				t.Errorf("%s %s: %d rows differ from the narrow frame's", qname, name, len(got))
			}
		}
	}
	n, err := build(sessions["wide-runtime"]).Len(ctx)
	if err != nil || n != 300 {
		t.Errorf("Len of a wide frame: %d, %v", n, err)
	}
}
