package algebra_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/join"
	"github.com/shoaldata/shoal/algebra/order"
)

// table returns a scan over an empty table with int64 columns a, b, c, d
// and string column s: the rules look at schemas, never at data.
func table(t *testing.T, names ...string) *algebra.Scan {
	t.Helper()
	if names == nil {
		names = []string{"a", "b", "c", "d", "s"}
	}
	var fields []arrow.Field
	var cols []arrow.Array
	for _, n := range names {
		dt := arrow.DataType(arrow.PrimitiveTypes.Int64)
		if n == "s" {
			dt = arrow.BinaryTypes.String
		}
		fields = append(fields, arrow.Field{Name: n, Type: dt, Nullable: true})
		b := array.NewBuilder(memory.DefaultAllocator, dt)
		cols = append(cols, b.NewArray())
		b.Release()
	}
	schema := arrow.NewSchema(fields, nil)
	rec := array.NewRecord(schema, cols, 0)
	tab, err := algebra.NewTable(schema, rec)
	if err != nil {
		t.Fatal(err)
	}
	return algebra.NewScan(tab)
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// only returns the rules named, for switching the others off.
func only(names ...string) []algebra.Rule {
	var out []algebra.Rule
	for _, r := range algebra.Rules {
		for _, n := range names {
			if r.Name() == n {
				out = append(out, r)
			}
		}
	}
	return out
}

// scans returns the plan's Scans, left to right.
func scans(n algebra.Node) []*algebra.Scan {
	if s, ok := n.(*algebra.Scan); ok {
		return []*algebra.Scan{s}
	}
	var out []*algebra.Scan
	for _, c := range n.Inputs() {
		out = append(out, scans(c)...)
	}
	return out
}

func count[T algebra.Node](n algebra.Node) int {
	c := 0
	if _, ok := n.(T); ok {
		c++
	}
	for _, in := range n.Inputs() {
		c += count[T](in)
	}
	return c
}

func TestProjectionPushdownIntoScan(t *testing.T) {
	scan := table(t)
	p := must[*algebra.Project](t)(algebra.NewProject(scan, []algebra.Expr{algebra.Col("a").Add(algebra.Col("c")).Alias("x")}))
	f := must[*algebra.Filter](t)(algebra.NewFilter(p, algebra.Col("x").Gt(1)))
	opt := algebra.Optimize(f, only("projection_pushdown"))
	s := scans(opt)[0]
	if got := strings.Join(s.Columns, ","); got != "a,c" {
		t.Errorf("scan reads %q, want a,c\n%s", got, algebra.Format(opt))
	}
	if !opt.Schema().Equal(f.Schema()) {
		t.Errorf("schema changed: %s, want %s", opt.Schema(), f.Schema())
	}
	// Switched off, nothing moves.
	if cols := scans(algebra.Optimize(f, []algebra.Rule{})); cols[0].Columns != nil {
		t.Errorf("with no rules the scan reads %v", cols[0].Columns)
	}
}

func TestProjectionPushdownThroughAggregateAndJoin(t *testing.T) {
	left, right := table(t), table(t, "a", "s", "d", "e")
	j := must[*algebra.Join](t)(algebra.NewJoin(left, right, join.Inner, []string{"a"}, []string{"a"}, [2]string{"_x", "_y"}))
	agg := must[*algebra.Aggregate](t)(algebra.NewAggregate(j, []string{"s_y"}, []groupby.Agg{{Func: groupby.Sum, Column: "b", As: "b"}}, groupby.Options{Sort: true, Dropna: true}))
	opt := algebra.Optimize(agg, nil)
	ss := scans(opt)
	// Left keeps its key, the summed column, and s and d, which the right
	// side also has (their suffixes depend on them).
	if got := strings.Join(ss[0].Columns, ","); got != "a,b,d,s" {
		t.Errorf("left scan reads %q, want a,b,d,s\n%s", got, algebra.Format(opt))
	}
	if got := strings.Join(ss[1].Columns, ","); got != "a,s,d" {
		t.Errorf("right scan reads %q, want a,s,d\n%s", got, algebra.Format(opt))
	}
	if !opt.Schema().Equal(agg.Schema()) {
		t.Errorf("schema changed: %s, want %s", opt.Schema(), agg.Schema())
	}
}

func TestPredicatePushdownIntoScan(t *testing.T) {
	scan := table(t)
	p := must[*algebra.Project](t)(algebra.NewProject(scan, []algebra.Expr{algebra.Col("a").Alias("x"), algebra.Col("b")}))
	s := must[*algebra.Sort](t)(algebra.NewSort(p, []order.Key{{Column: "b"}}))
	f := must[*algebra.Filter](t)(algebra.NewFilter(s, algebra.Col("x").Gt(1)))
	f2 := must[*algebra.Filter](t)(algebra.NewFilter(f, algebra.Col("b").Lt(5)))
	opt := algebra.Optimize(f2, only("predicate_pushdown"))
	if n := count[*algebra.Filter](opt); n != 0 {
		t.Errorf("%d filters left above the scan:\n%s", n, algebra.Format(opt))
	}
	if got := scans(opt)[0].Predicate.String(); got != "((a > 1) & (b < 5))" {
		t.Errorf("scan filter %s, want ((a > 1) & (b < 5)) (renamed through the projection)", got)
	}
}

func TestPredicatePushdownBelowJoin(t *testing.T) {
	left, right := table(t), table(t, "a", "s", "d")
	for _, tc := range []struct {
		kind              join.Kind
		leftPred, rightOK bool
	}{
		{join.Inner, true, true},
		{join.Left, true, false},
		{join.Right, false, true},
		{join.Outer, false, false},
	} {
		j := must[*algebra.Join](t)(algebra.NewJoin(left, right, tc.kind, []string{"a"}, []string{"a"}, [2]string{"_x", "_y"}))
		pred := algebra.Col("b").Gt(0).And(algebra.Col("d_y").Eq(3)).And(algebra.Col("b").Lt(algebra.Col("d_y")))
		f := must[*algebra.Filter](t)(algebra.NewFilter(j, pred))
		opt := algebra.Optimize(f, only("predicate_pushdown"))
		ss := scans(opt)
		if got := !ss[0].Predicate.IsZero(); got != tc.leftPred {
			t.Errorf("%s: left scan filtered = %v, want %v\n%s", tc.kind, got, tc.leftPred, algebra.Format(opt))
		}
		if got := !ss[1].Predicate.IsZero(); got != tc.rightOK {
			t.Errorf("%s: right scan filtered = %v, want %v\n%s", tc.kind, got, tc.rightOK, algebra.Format(opt))
		}
		if tc.rightOK && ss[1].Predicate.String() != "(d == 3)" {
			t.Errorf("%s: right predicate %s, want (d == 3) in the right side's names", tc.kind, ss[1].Predicate)
		}
		// The conjunct reading both sides stays above the join.
		if _, ok := opt.(*algebra.Filter); !ok {
			t.Errorf("%s: no filter left above the join:\n%s", tc.kind, algebra.Format(opt))
		}
	}
}

func TestPredicateStaysAboveRowNumberAndLimit(t *testing.T) {
	scan := table(t)
	lim := &algebra.Limit{Input: scan, N: 10}
	f := must[*algebra.Filter](t)(algebra.NewFilter(lim, algebra.Col("a").Gt(1)))
	opt := algebra.Optimize(f, nil)
	if _, ok := opt.(*algebra.Filter); !ok {
		t.Errorf("a filter moved below a limit:\n%s", algebra.Format(opt))
	}
	// A RowNumber right on a scan becomes the scan's, so the filter can
	// follow it there: row numbers are taken before the predicate.
	rn := must[*algebra.RowNumber](t)(algebra.NewRowNumber(scan, "row"))
	f = must[*algebra.Filter](t)(algebra.NewFilter(rn, algebra.Col("a").Gt(1)))
	opt = algebra.Optimize(f, nil)
	s, ok := opt.(*algebra.Scan)
	if !ok || s.RowNumber != "row" || s.Predicate.IsZero() {
		t.Errorf("want one scan numbering rows then filtering:\n%s", algebra.Format(opt))
	}
}

func TestMapFusionAndLimitPushdown(t *testing.T) {
	scan := table(t)
	p1 := must[*algebra.Project](t)(algebra.NewProject(scan, []algebra.Expr{algebra.Col("a").Add(1).Alias("x"), algebra.Col("b")}))
	p2 := must[*algebra.Project](t)(algebra.NewProject(p1, []algebra.Expr{algebra.Col("x").Mul(algebra.Col("b")).Alias("y")}))
	fused := algebra.Optimize(p2, only("map_fusion"))
	if n := count[*algebra.Project](fused); n != 1 {
		t.Fatalf("%d projections after fusion, want 1:\n%s", n, algebra.Format(fused))
	}
	if got := fused.(*algebra.Project).Exprs[0].String(); got != "((a + 1) * b) AS y" {
		t.Errorf("fused expression %s", got)
	}
	lim := &algebra.Limit{Input: p2, N: 3}
	opt := algebra.Optimize(lim, only("limit_pushdown"))
	if s := scans(opt)[0]; s.Limit != 3 {
		t.Errorf("scan limit %d, want 3:\n%s", s.Limit, algebra.Format(opt))
	}
	sorted := must[*algebra.Sort](t)(algebra.NewSort(scan, []order.Key{{Column: "a", Descending: true}}))
	opt = algebra.Optimize(&algebra.Limit{Input: sorted, N: 5}, nil)
	if s, ok := opt.(*algebra.Sort); !ok || s.Limit != 5 {
		t.Errorf("sort+head is not a top-k:\n%s", algebra.Format(opt))
	}
	// head(-n) needs the length: it stays put.
	opt = algebra.Optimize(&algebra.Limit{Input: p2, N: -2}, nil)
	if _, ok := opt.(*algebra.Limit); !ok {
		t.Errorf("a negative limit moved:\n%s", algebra.Format(opt))
	}
}

func TestExplain(t *testing.T) {
	scan := table(t)
	p := must[*algebra.Project](t)(algebra.NewProject(scan, []algebra.Expr{algebra.Col("a"), algebra.Col("b").Mul(2).Alias("b2")}))
	f := must[*algebra.Filter](t)(algebra.NewFilter(p, algebra.Col("a").Ge(10)))
	got := algebra.Explain(&algebra.Limit{Input: f, N: 5})
	want := `== Logical plan ==
Limit 5
  Filter (a >= 10)
    Project a, (b * 2) AS b2
      Scan table
== Optimized plan ==
Project a, (b * 2) AS b2
  Scan table columns=[a, b] filter=(a >= 10) limit=5
`
	if got != want {
		t.Errorf("Explain:\n%s\nwant:\n%s", got, want)
	}
}

func TestBuildErrors(t *testing.T) {
	scan := table(t)
	_, err := algebra.NewFilter(scan, algebra.Col("zz").Gt(1))
	if !errors.Is(err, algebra.ErrUnknownColumn) || err.Error() != `algebra: unknown column "zz" (columns: a, b, c, d, s)` {
		t.Errorf("unknown column: %v", err)
	}
	_, err = algebra.NewFilter(scan, algebra.Col("a").Add(1))
	if !errors.Is(err, algebra.ErrType) || !strings.Contains(err.Error(), "filter (a + 1) has type int64, want bool") {
		t.Errorf("non-boolean filter: %v", err)
	}
	_, err = algebra.NewProject(scan, []algebra.Expr{algebra.Col("a").Add(algebra.Col("s"))})
	if !errors.Is(err, algebra.ErrType) || !strings.Contains(err.Error(), "add: int64 and utf8") {
		t.Errorf("int + string: %v", err)
	}
	_, err = algebra.NewProject(scan, []algebra.Expr{algebra.Lit(struct{}{})})
	if err == nil || !strings.Contains(err.Error(), "literal of Go type struct {}") {
		t.Errorf("bad literal: %v", err)
	}
	_, err = algebra.NewJoin(scan, table(t, "x"), join.Inner, []string{"a"}, []string{"a"}, [2]string{"_x", "_y"})
	if !errors.Is(err, algebra.ErrUnknownColumn) || !strings.HasPrefix(err.Error(), "right: ") {
		t.Errorf("join key missing on the right: %v", err)
	}
}
