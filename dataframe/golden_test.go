package dataframe

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/dataframe/internal/golden"
	"github.com/shoaldata/shoal/partition"
	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/remote/remotetest"
)

// modes are the ways every golden case runs; all must give pandas' answer.
// "split" forces the partitioned physical paths (hash-shuffled combine and
// join, sample sort, as many partitions as rows allow) on tiny data.
func modes(t *testing.T) map[string]*Session {
	t.Helper()
	rt := remotetest.Start(t, remote.Config{NumCPUs: 2})
	split := Config{Sizing: partition.Sizing{TargetBytes: 1, MaxPerCore: 4, Cores: 2}, BroadcastBytes: 1, CombineRows: 1, SortRows: 1}
	runtimeSplit := split
	runtimeSplit.Engine = partition.NewRuntime(rt)
	return map[string]*Session{
		"local":         NewSession(Config{}),
		"local-split":   NewSession(split),
		"runtime":       NewSession(Config{Engine: partition.NewRuntime(rt)}),
		"runtime-split": NewSession(runtimeSplit),
	}
}

// knownDifferences are golden cases where Shoal deliberately differs from
// pandas; each says why.
var knownDifferences = map[string]string{
	"astype_null_float_to_int":              "Shoal keeps ints with a validity bitmap, so a null float casts to a null int; pandas raises",
	"fillna_category_new_value":             "an Arrow dictionary is not a fixed category set: filling with a new value adds it; pandas raises",
	"groupby_agg_category_key_dropna_false": "pandas 1.5 drops the null group of a category key despite dropna=False (fixed in pandas 2); Shoal keeps it, as pandas 2 does",
	"loc_missing_label":                     "Loc skips labels that match no row; pandas raises KeyError",
	"rename_unknown_ignored":                "Rename raises on an unknown column so a typo cannot pass silently; pandas ignores it unless errors='raise'",
	"with_column_int_floordiv_zero":         "integer // 0 is null in Shoal (ints keep validity); numpy gives inf",
	"nlargest_ties_last":                    "NLargest keeps the first of tied rows (keep='first'); keep='last' is not offered",
}

func TestGoldenPandas(t *testing.T) {
	cases, err := golden.LoadAll(filepath.Join("testdata", "pandas"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 100 {
		t.Fatalf("only %d golden cases", len(cases))
	}
	sessions := modes(t)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			if why, ok := knownDifferences[c.Name]; ok {
				t.Skip("documented difference from pandas: " + why)
			}
			for mode, sess := range sessions {
				if err := runGolden(t, sess, c); err != nil {
					t.Errorf("%s: %v\nnote: %s", mode, err, c.Note)
				}
			}
		})
	}
}

func runGolden(t *testing.T, sess *Session, c *golden.Case) error {
	ctx := context.Background()
	mem := memory.DefaultAllocator
	inputs := map[string]*DataFrame{}
	for name, tab := range c.Inputs {
		df, err := goldenFrame(sess, tab, mem)
		if err != nil {
			return fmt.Errorf("input %s: %w", name, err)
		}
		inputs[name] = df
	}
	out, err := applyOp(ctx, c, inputs["df"], inputs["right"])
	if err == nil && out != nil {
		err = out.Err()
	}
	var got arrow.Record
	if err == nil {
		whole := out
		if out.hasLabels() {
			whole = out.ResetIndex(false)
		}
		got, err = whole.ToArrow(ctx)
		if err == nil {
			defer got.Release()
		}
	}
	if c.Error != "" {
		if err == nil {
			return fmt.Errorf("no error, want one containing %q", c.Error)
		}
		if !strings.Contains(err.Error(), c.Error) {
			return fmt.Errorf("error %q, want one containing %q", err, c.Error)
		}
		return nil
	}
	if err != nil {
		return err
	}
	// ResetIndex put the index levels first; compare them apart.
	levels := 0
	if out.hasLabels() {
		levels = len(out.indexNames)
	}
	cols := selectRange(got, levels, int(got.NumCols()))
	defer cols.Release()
	if err := golden.Compare(cols, *c.Expected, c.Ordered); err != nil {
		return fmt.Errorf("%w\ngot:\n%s", err, out)
	}
	if c.Expected.Index != nil && levels > 0 && c.Ordered {
		idx := selectRange(got, 0, levels)
		defer idx.Release()
		want := *c.Expected.Index
		renamed := renameColumns(idx, want)
		defer renamed.Release()
		if err := golden.Compare(renamed, want, c.Ordered); err != nil {
			return fmt.Errorf("index: %w\ngot:\n%s", err, out)
		}
	}
	return nil
}

func selectRange(rec arrow.Record, lo, hi int) arrow.Record {
	fields := rec.Schema().Fields()[lo:hi]
	return array.NewRecord(arrow.NewSchema(fields, nil), rec.Columns()[lo:hi], rec.NumRows())
}

// renameColumns names idx's columns as want's, since index names are
// compared by the frame's IndexNames, not here.
func renameColumns(idx arrow.Record, want golden.Table) arrow.Record {
	fields := make([]arrow.Field, idx.NumCols())
	for i, f := range idx.Schema().Fields() {
		f.Name = want.Columns[min(i, len(want.Columns)-1)].Name
		fields[i] = f
	}
	return array.NewRecord(arrow.NewSchema(fields, nil), idx.Columns(), idx.NumRows())
}

// goldenFrame builds a case's input, with its index if it has one.
func goldenFrame(sess *Session, tab golden.Table, mem memory.Allocator) (*DataFrame, error) {
	rec, err := tab.Record(mem)
	if err != nil {
		return nil, err
	}
	defer rec.Release()
	if tab.Index == nil {
		return sess.FromArrow(rec), nil
	}
	idx, err := tab.Index.Record(mem)
	if err != nil {
		return nil, err
	}
	defer idx.Release()
	var cols []Column
	var names []string
	for i, f := range idx.Schema().Fields() {
		cols = append(cols, ArrowColumn(indexColumn(i), idx.Column(i)))
		names = append(names, f.Name)
	}
	for i, f := range rec.Schema().Fields() {
		cols = append(cols, ArrowColumn(f.Name, rec.Column(i)))
	}
	df := sess.FromColumns(cols...)
	df.indexNames = names
	return df, df.err
}

func num(v any) int {
	switch x := v.(type) {
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	panic(fmt.Sprintf("golden: %v (%T) is not a number", v, v))
}

func strs(v any) []string {
	if v == nil {
		return nil
	}
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func applyOp(ctx context.Context, c *golden.Case, df, right *DataFrame) (*DataFrame, error) {
	a := c.Args
	switch c.Op {
	case "select":
		return df.Select(strs(a["columns"])...), nil
	case "drop":
		return df.Drop(strs(a["columns"])...), nil
	case "rename":
		m := map[string]string{}
		for k, v := range a["columns"].(map[string]any) {
			m[k] = v.(string)
		}
		return df.Rename(m), nil
	case "with_column":
		e, err := goldenExpr(a["expr"])
		if err != nil {
			return nil, err
		}
		return df.WithColumn(a["name"].(string), e), nil
	case "filter":
		e, err := goldenExpr(a["expr"])
		if err != nil {
			return nil, err
		}
		return df.Filter(e), nil
	case "sort_values":
		by := strs(a["by"])
		asc := a["ascending"].([]any)
		keys := make([]SortKey, len(by))
		for i, b := range by {
			keys[i] = SortKey{Column: b, Descending: !asc[i].(bool), NullsFirst: a["na_position"] == "first"}
		}
		return df.SortValues(keys...), nil
	case "groupby_agg":
		var aggs []Agg
		for _, x := range a["aggs"].([]any) {
			spec := x.([]any)
			col, fn, as := spec[0].(string), spec[1].(string), spec[2].(string)
			var ag Agg
			switch fn {
			case "sum":
				ag = Sum(col)
			case "mean":
				ag = Mean(col)
			case "min":
				ag = Min(col)
			case "max":
				ag = Max(col)
			case "count":
				ag = Count(col)
			case "size":
				ag = Size()
			case "median":
				ag = Median(col)
			case "std":
				ag = Std(col)
			case "var":
				ag = Var(col)
			case "first":
				ag = First(col)
			case "last":
				ag = Last(col)
			case "nunique":
				ag = NUnique(col)
			case "prod":
				ag = Prod(col)
			case "quantile":
				ag = Quantile(col, spec[3].(float64))
			case "corr":
				ag = Corr(col, spec[3].(string))
			default:
				return nil, fmt.Errorf("golden: unknown aggregate %q", fn)
			}
			aggs = append(aggs, ag.As(as))
		}
		g := df.GroupBy(strs(a["by"])...).AsIndex(false)
		if s, ok := a["sort"].(bool); ok {
			g = g.Sort(s)
		}
		if d, ok := a["dropna"].(bool); ok {
			g = g.Dropna(d)
		}
		return g.Agg(aggs...), nil
	case "groupby_head":
		g := df.GroupBy(strs(a["by"])...)
		if d, ok := a["dropna"].(bool); ok {
			g = g.Dropna(d)
		}
		return g.Head(num(a["n"])), nil
	case "merge":
		opt := MergeOptions{How: a["how"].(string), On: strs(a["on"]), LeftOn: strs(a["left_on"]), RightOn: strs(a["right_on"])}
		if s, ok := a["suffixes"].([]any); ok {
			opt.Suffixes = [2]string{s[0].(string), s[1].(string)}
		}
		return df.Merge(right, opt), nil
	case "concat_rows":
		ignore, _ := a["ignore_index"].(bool)
		return Concat(ignore, df, right), nil
	case "concat_columns":
		return ConcatColumns(df, right), nil
	case "drop_duplicates":
		keep := KeepFirst
		switch a["keep"] {
		case "last":
			keep = KeepLast
		case false:
			keep = KeepNone
		}
		return df.DropDuplicates(keep, strs(a["subset"])...), nil
	case "dropna":
		return df.Dropna(a["how"] == "all", strs(a["subset"])...), nil
	case "fillna":
		return df.Fillna(a["value"].(map[string]any)), nil
	case "isna":
		return df.Isna(), nil
	case "astype":
		types := map[string]arrow.DataType{}
		for k, v := range a["dtypes"].(map[string]any) {
			name := v.(string)
			if name == "str" {
				name = "string"
			}
			types[k] = golden.ArrowType(name)
		}
		return df.Astype(types), nil
	case "value_counts":
		sort, _ := a["sort"].(bool)
		asc, _ := a["ascending"].(bool)
		dropna, _ := a["dropna"].(bool)
		norm, _ := a["normalize"].(bool)
		vc, err := df.Series(a["column"].(string)).ValueCounts(ctx, ValueCountsOptions{Unsorted: !sort, Ascending: asc, KeepNull: !dropna, Normalize: norm})
		if err != nil {
			return nil, err
		}
		return vc.ResetIndex(false), nil // the golden holds the reset frame
	case "unique":
		s := df.Series(a["column"].(string))
		arr, err := s.Unique(ctx)
		if err != nil {
			return nil, err
		}
		defer arr.Release()
		return df.sess.FromColumns(ArrowColumn(a["column"].(string), arr)), nil
	case "nunique":
		dropna, _ := a["dropna"].(bool)
		n, err := df.Series(a["column"].(string)).NUnique(ctx, dropna)
		if err != nil {
			return nil, err
		}
		return df.sess.FromColumns(NewColumn("nunique", []int64{n})), nil
	case "isin":
		col := a["column"].(string)
		vals := a["values"].([]any)
		return df.project([]Expr{Col(col).IsIn(vals...).Alias("isin")}), nil
	case "nlargest":
		return df.NLargest(num(a["n"]), strs(a["columns"])...), nil
	case "nsmallest":
		return df.NSmallest(num(a["n"]), strs(a["columns"])...), nil
	case "head":
		return df.Head(num(a["n"])), nil
	case "tail":
		return df.Tail(num(a["n"])), nil
	case "describe":
		return df.Describe(ctx)
	case "set_index": // set, then reset
		return df.SetIndex(strs(a["keys"])...).ResetIndex(false), nil
	case "loc":
		var labels []any
		labels = append(labels, a["labels"].([]any)...)
		return df.Loc(labels...), nil
	case "iloc":
		var pos []int
		for _, p := range a["rows"].([]any) {
			pos = append(pos, num(p))
		}
		return df.Iloc(pos...), nil
	case "reduce":
		col := a["column"].(string)
		var ag Agg
		switch a["func"] {
		case "sum":
			ag = Sum(col)
		case "mean":
			ag = Mean(col)
		case "min":
			ag = Min(col)
		case "max":
			ag = Max(col)
		case "std":
			ag = Std(col)
		case "var":
			ag = Var(col)
		case "median":
			ag = Median(col)
		case "count":
			ag = Count(col)
		default:
			return nil, fmt.Errorf("golden: unknown reduction %v", a["func"])
		}
		arr, err := df.Series(col).Reduce(ctx, ag)
		if err != nil {
			return nil, err
		}
		defer arr.Release()
		return df.sess.FromColumns(ArrowColumn("result", arr)), nil
	}
	return nil, fmt.Errorf("golden: unknown op %q", c.Op)
}

// goldenExpr turns a case's expression AST into an Expr.
func goldenExpr(v any) (Expr, error) {
	node, ok := v.([]any)
	if !ok || len(node) == 0 {
		return Expr{}, fmt.Errorf("golden: bad expression %v", v)
	}
	op := node[0].(string)
	arg := func(i int) (Expr, error) { return goldenExpr(node[i]) }
	switch op {
	case "col":
		return Col(node[1].(string)), nil
	case "lit":
		return Lit(node[1]), nil
	case "not", "isnull", "notnull":
		a, err := arg(1)
		if err != nil {
			return a, err
		}
		switch op {
		case "not":
			return a.Not(), nil
		case "isnull":
			return a.IsNull(), nil
		}
		return a.NotNull(), nil
	case "fillnull":
		a, err := arg(1)
		if err != nil {
			return a, err
		}
		b, err := arg(2)
		if err != nil {
			return a, err
		}
		return a.FillNull(b), nil
	case "cast":
		a, err := arg(1)
		if err != nil {
			return a, err
		}
		return a.Cast(golden.ArrowType(node[2].(string))), nil
	case "isin":
		a, err := arg(1)
		if err != nil {
			return a, err
		}
		return a.IsIn(node[2].([]any)...), nil
	}
	a, err := arg(1)
	if err != nil {
		return a, err
	}
	b, err := arg(2)
	if err != nil {
		return a, err
	}
	switch op {
	case "add":
		return a.Add(b), nil
	case "sub":
		return a.Sub(b), nil
	case "mul":
		return a.Mul(b), nil
	case "div":
		return a.Div(b), nil
	case "floordiv":
		return a.FloorDiv(b), nil
	case "mod":
		return a.Mod(b), nil
	case "eq":
		return a.Eq(b), nil
	case "ne":
		return a.Ne(b), nil
	case "lt":
		return a.Lt(b), nil
	case "le":
		return a.Le(b), nil
	case "gt":
		return a.Gt(b), nil
	case "ge":
		return a.Ge(b), nil
	case "and":
		return a.And(b), nil
	case "or":
		return a.Or(b), nil
	}
	return Expr{}, fmt.Errorf("golden: unknown operator %q", op)
}
