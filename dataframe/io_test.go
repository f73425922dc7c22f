package dataframe

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/source"
	"github.com/shoaldata/shoal/io/csv"
	"github.com/shoaldata/shoal/io/ipc"
	"github.com/shoaldata/shoal/io/jsonl"
	"github.com/shoaldata/shoal/io/parquet"
)

func ioFrame() *DataFrame {
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	return FromColumns(
		NewNullableColumn("id", []int64{1, 2, 3, 4}, []bool{true, true, false, true}),
		NewNullableColumn("x", []float64{0.5, -1.25, 3, 1e-7}, []bool{true, false, true, true}),
		NewNullableColumn("s", []string{"plain", `quo"te`, "comma, and\nnewline", ""}, []bool{true, true, true, true}),
		NewCategorical("cat", []string{"b", "a", "b", "c"}),
		NewColumn("ok", []bool{true, false, true, true}),
		NewColumn("t", []time.Time{t0, t0.Add(time.Hour), t0.Add(36 * time.Hour), t0}),
	)
}

// TestRoundTrips writes a frame with nulls, quotes, newlines, a category
// and timestamps in every format and reads it back.
func TestRoundTrips(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	want, err := ioFrame().ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	read := map[string]func(path string) (*DataFrame, error){}
	csvOpt := csv.DefaultOptions()
	csvOpt.Categorical = []string{"cat"}
	csvOpt.ParseDates = []string{"t"}
	read["csv"] = func(p string) (*DataFrame, error) { return ReadCSV(ctx, p, csvOpt) }
	read["parquet"] = func(p string) (*DataFrame, error) { return ReadParquet(ctx, p, parquet.Options{}) }
	read["ipc"] = func(p string) (*DataFrame, error) { return ReadIPC(ctx, p, ipc.Options{}) }
	jopt := jsonl.Options{Types: map[string]arrow.DataType{"t": &arrow.TimestampType{Unit: arrow.Nanosecond, TimeZone: "UTC"}}}
	read["jsonl"] = func(p string) (*DataFrame, error) { return ReadJSON(ctx, p, jopt) }
	write := map[string]func(path string) error{
		"csv":     func(p string) error { return ioFrame().ToCSV(ctx, p, csv.WriteOptions{Delimiter: ',', Header: true}) },
		"parquet": func(p string) error { return ioFrame().ToParquet(ctx, p, parquet.WriteOptions{}) },
		"ipc":     func(p string) error { return ioFrame().ToIPC(ctx, p, ipc.WriteOptions{}) },
		"jsonl":   func(p string) error { return ioFrame().ToJSON(ctx, p, jsonl.WriteOptions{}) },
	}
	for name, w := range write {
		path := filepath.Join(dir, "frame."+name)
		if err := w(path); err != nil {
			t.Fatalf("%s: write: %v", name, err)
		}
		df, err := read[name](path)
		if err != nil {
			t.Fatalf("%s: read: %v", name, err)
		}
		got, err := df.ToRecords(ctx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", name, len(got), len(want))
		}
		for i := range want {
			for j := range want[i] {
				g, w := got[i][j], want[i][j]
				if gt, ok := g.(time.Time); ok {
					if wt, ok := w.(time.Time); !ok || !gt.Equal(wt) {
						t.Errorf("%s: row %d column %d: %v, want %v", name, i, j, g, w)
					}
					continue
				}
				if g != w {
					t.Errorf("%s: row %d column %d: %#v, want %#v", name, i, j, g, w)
				}
			}
		}
	}
	// No temporary files are left beside the outputs.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "frame.") || strings.Count(e.Name(), ".") != 1 {
			t.Errorf("stray file %s", e.Name())
		}
	}
}

// TestScanPushdown checks that a lazy scan reads only what the query needs
// and that Parquet row groups are skipped by their statistics.
func TestScanPushdown(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	n := 10000
	ids := make([]int64, n)
	vals := make([]float64, n)
	for i := range n {
		ids[i], vals[i] = int64(i), float64(i%100)
	}
	df := FromColumns(NewColumn("id", ids), NewColumn("v", vals), NewColumn("w", vals))
	pq := filepath.Join(dir, "data.parquet")
	if err := df.ToParquet(ctx, pq, parquet.WriteOptions{RowGroupRows: 1000}); err != nil {
		t.Fatal(err)
	}
	scan, err := ScanParquet(ctx, pq, parquet.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q := scan.Filter(Col("id").Ge(8500)).GroupBy("v").AsIndex(false).Agg(Size())
	plan := q.Explain()
	if !strings.Contains(plan, "columns=[v] filter=(id >= 8500)") {
		t.Errorf("projection and predicate not in the scan:\n%s", plan)
	}
	got, err := q.Len(ctx)
	if err != nil || got != 100 {
		t.Errorf("%d groups, %v; want 100", got, err)
	}
	rows, err := scan.Filter(Col("id").Ge(8500)).Len(ctx)
	if err != nil || rows != 1500 {
		t.Errorf("%d rows, %v; want 1500", rows, err)
	}
	src := scan.plan.(*algebra.Scan).Source.(*source.Parquet)
	if src.Skipped() != 8 {
		t.Errorf("skipped %d row groups, want 8 of 10", src.Skipped())
	}

	path := filepath.Join(dir, "data.csv")
	if err := df.ToCSV(ctx, path, csv.WriteOptions{Delimiter: ',', Header: true}); err != nil {
		t.Fatal(err)
	}
	lazy, err := ScanCSV(ctx, path, csv.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	// A query reading no columns at all (a row count) still counts rows.
	for name, f := range map[string]*DataFrame{"csv": lazy, "parquet": scan} {
		if rows, err := f.Len(ctx); err != nil || rows != int64(n) {
			t.Errorf("%s: Len %d, %v; want %d", name, rows, err, n)
		}
	}
	sum, _, err := lazy.Filter(Col("v").Eq(7.0)).Series("id").Sum(ctx)
	want := 0.0
	for i := 7; i < n; i += 100 {
		want += float64(i)
	}
	if err != nil || sum != want {
		t.Errorf("sum %v, %v; want %v", sum, err, want)
	}
}

func TestGotaInterop(t *testing.T) {
	ctx := context.Background()
	g := gotadf.New(
		series.New([]int{1, 2, 3}, series.Int, "n"),
		series.New([]string{"a", "b", "c"}, series.String, "s"),
		series.New([]float64{1.5, 2.5, 3.5}, series.Float, "f"),
	)
	df := FromGota(g)
	out, err := df.Filter(Col("n").Ge(2)).WithColumn("f2", Col("f").Mul(2)).ToGota(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if out.Nrow() != 2 || out.Col("f2").Float()[1] != 7 || out.Col("s").Records()[0] != "b" {
		t.Errorf("gota round trip:\n%v", out)
	}
}
