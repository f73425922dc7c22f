package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

// TestQueryMatchesPlainLoops recomputes the report with plain Go loops over
// the same rows and requires the frame's answer.
func TestQueryMatchesPlainLoops(t *testing.T) {
	ctx := context.Background()
	ord, cust := data()
	orders, err := ord.ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	customers, err := cust.ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	segment := map[int64]string{}
	for _, c := range customers {
		segment[c[0].(int64)] = c[1].(string)
	}
	type acc struct {
		revenue, price float64
		n              int64
	}
	groups := map[[2]string]*acc{}
	for _, o := range orders {
		qty, price := o[2].(int64), o[3].(float64)
		if qty <= 0 || price < 5 {
			continue
		}
		k := [2]string{o[4].(string), segment[o[1].(int64)]}
		if groups[k] == nil {
			groups[k] = &acc{}
		}
		g := groups[k]
		g.revenue += float64(qty) * price
		g.price += price
		g.n++
	}
	type row struct {
		key [2]string
		acc
	}
	var want []row
	for k, g := range groups {
		want = append(want, row{k, *g})
	}
	slices.SortFunc(want, func(a, b row) int {
		switch {
		case a.revenue > b.revenue:
			return -1
		case a.revenue < b.revenue:
			return 1
		}
		return 0
	})
	want = want[:8]

	got, err := query(ord, cust).ResetIndex(false).ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g[0] != w.key[0] || g[1] != w.key[1] || g[3] != w.n ||
			math.Abs(g[2].(float64)-w.revenue) > 1e-6*w.revenue ||
			math.Abs(g[4].(float64)-w.price/float64(w.n)) > 1e-9 {
			t.Errorf("row %d: %v, want %v %.2f %d %.6f", i, g, w.key, w.revenue, w.n, w.price/float64(w.n))
		}
	}
}

func TestRunPrintsPlanAndReport(t *testing.T) {
	var out bytes.Buffer
	dir := t.TempDir()
	if err := run(context.Background(), &out, dir); err != nil {
		t.Fatal(err)
	}
	// A second run reads the files the first wrote, with the same answer.
	var again bytes.Buffer
	if err := run(context.Background(), &again, dir); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(again.String(), "wrote ") {
		t.Error("the second run wrote the files again")
	}
	report := func(s string) string {
		return s[strings.Index(s, "region segment"):strings.Index(s, "\nfilter + join")]
	}
	if report(out.String()) != report(again.String()) {
		t.Errorf("reports differ:\n%s\n%s", report(out.String()), report(again.String()))
	}
	for _, want := range []string{
		"== Optimized plan ==",
		"filter=((quantity > 0) & (price >= 5.0))",
		"region segment",
		"filter + join + group-by + sort of 300000 rows",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

// TestCSVPathMatchesMemory requires the answer from the CSV files to equal
// the answer from the frames they were written from.
func TestCSVPathMatchesMemory(t *testing.T) {
	ctx := context.Background()
	ord, cust, err := load(ctx, io.Discard, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fromCSV, err := query(ord, cust).ResetIndex(false).ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mo, mc := data()
	fromMemory, err := query(mo, mc).ResetIndex(false).ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(fromCSV) != len(fromMemory) {
		t.Fatalf("%d rows from CSV, %d from memory", len(fromCSV), len(fromMemory))
	}
	for i := range fromCSV {
		for j := range fromCSV[i] {
			if fromCSV[i][j] != fromMemory[i][j] {
				t.Errorf("row %d: %v from CSV, %v from memory", i, fromCSV[i], fromMemory[i])
				break
			}
		}
	}
}
