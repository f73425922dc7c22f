package dataframe_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strings"
	"testing"

	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/shoaldata/shoal/gota/dataframe"
	"github.com/shoaldata/shoal/gota/series"
)

func TestDiffFilter(t *testing.T) {
	hasA := func(e series.Element) bool { return strings.HasPrefix(e.String(), "a") }
	comps := []struct {
		col string
		c   series.Comparator
		v   interface{}
	}{
		{"i", series.Eq, 2}, {"i", series.Neq, 2}, {"i", series.Greater, 0}, {"i", series.GreaterEq, "1"},
		{"i", series.Less, 2.7}, {"i", series.LessEq, -1}, {"i", series.In, []int{1, 3, -5}}, {"i", series.Eq, nil},
		{"f", series.Eq, 1.5}, {"f", series.Neq, 0}, {"f", series.Greater, 0.5}, {"f", series.GreaterEq, -2},
		{"f", series.Less, "3.25"}, {"f", series.LessEq, 0.0}, {"f", series.In, []float64{1, 2.5}},
		{"s", series.Eq, "a"}, {"s", series.Neq, "a"}, {"s", series.Greater, "b"}, {"s", series.GreaterEq, "a_b"},
		{"s", series.Less, "b"}, {"s", series.LessEq, ""}, {"s", series.In, []string{"a", "NA", ""}}, {"s", series.Eq, 10},
		{"b", series.Eq, true}, {"b", series.Neq, true}, {"b", series.Greater, false}, {"b", series.Less, 1}, {"b", series.In, []bool{false}},
		{"k", series.Eq, series.Ints([]int{1})},
		{"s", series.CompFunc, hasA},
		{"kb", series.Eq, true},
		{"i", "~", 3},
	}
	var cases []unary
	for _, c := range comps {
		f := dataframe.F{Colname: c.col, Comparator: c.c, Comparando: c.v}
		gf := gotadf.F{Colname: c.col, Comparator: c.c, Comparando: c.v}
		cases = append(cases, unary{name: fmt.Sprintf("Filter %s %s %v", c.col, c.c, c.v),
			g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Filter(gf) },
			s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Filter(f) }})
	}
	cases = append(cases,
		unary{name: "Filter OR within a call",
			g: func(d gotadf.DataFrame) gotadf.DataFrame {
				return d.Filter(gotadf.F{Colname: "i", Comparator: series.Greater, Comparando: 2}, gotadf.F{Colname: "s", Comparator: series.Eq, Comparando: "a"})
			},
			s: func(d dataframe.DataFrame) dataframe.DataFrame {
				return d.Filter(dataframe.F{Colname: "i", Comparator: series.Greater, Comparando: 2}, dataframe.F{Colname: "s", Comparator: series.Eq, Comparando: "a"})
			}},
		unary{name: "Filter chained is AND",
			g: func(d gotadf.DataFrame) gotadf.DataFrame {
				return d.Filter(gotadf.F{Colname: "i", Comparator: series.Greater, Comparando: -2}).Filter(gotadf.F{Colname: "b", Comparator: series.Eq, Comparando: true})
			},
			s: func(d dataframe.DataFrame) dataframe.DataFrame {
				return d.Filter(dataframe.F{Colname: "i", Comparator: series.Greater, Comparando: -2}).Filter(dataframe.F{Colname: "b", Comparator: series.Eq, Comparando: true})
			}},
		unary{name: "FilterAggregation And with CompFunc and Colidx",
			g: func(d gotadf.DataFrame) gotadf.DataFrame {
				return d.FilterAggregation(gotadf.And, gotadf.F{Colidx: 1, Comparator: series.Greater, Comparando: -5}, gotadf.F{Colname: "s", Comparator: series.CompFunc, Comparando: hasA})
			},
			s: func(d dataframe.DataFrame) dataframe.DataFrame {
				return d.FilterAggregation(dataframe.And, dataframe.F{Colidx: 1, Comparator: series.Greater, Comparando: -5}, dataframe.F{Colname: "s", Comparator: series.CompFunc, Comparando: hasA})
			}},
		unary{name: "Filter none", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Filter() }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Filter() }},
		unary{name: "Filter unknown column",
			g: func(d gotadf.DataFrame) gotadf.DataFrame {
				return d.Filter(gotadf.F{Colname: "zz", Comparator: series.Eq, Comparando: 1})
			},
			s: func(d dataframe.DataFrame) dataframe.DataFrame {
				return d.Filter(dataframe.F{Colname: "zz", Comparator: series.Eq, Comparando: 1})
			}},
		unary{name: "Filter per-row comparando",
			g: func(d gotadf.DataFrame) gotadf.DataFrame {
				return d.Filter(gotadf.F{Colname: "i", Comparator: series.Less, Comparando: d.Col("k")})
			},
			s: func(d dataframe.DataFrame) dataframe.DataFrame {
				return d.Filter(dataframe.F{Colname: "i", Comparator: series.Less, Comparando: d.Col("k")})
			}},
	)
	forFrames(t, cases)
}

func TestDiffArrange(t *testing.T) {
	orders := [][]string{{"i"}, {"-i"}, {"f"}, {"-f"}, {"s"}, {"-s"}, {"b"}, {"-b"}, {"k", "-f"}, {"-ks", "i", "s"}, {"kb", "-kf", "-b"}}
	var cases []unary
	for _, o := range orders {
		var g []gotadf.Order
		var s []dataframe.Order
		for _, c := range o {
			if c[0] == '-' {
				g, s = append(g, gotadf.RevSort(c[1:])), append(s, dataframe.RevSort(c[1:]))
			} else {
				g, s = append(g, gotadf.Sort(c)), append(s, dataframe.Sort(c))
			}
		}
		cases = append(cases, unary{name: fmt.Sprintf("Arrange %v", o),
			g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Arrange(g...) },
			s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Arrange(s...) }})
	}
	cases = append(cases,
		unary{name: "Arrange none", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Arrange() }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Arrange() }},
		unary{name: "Arrange unknown", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Arrange(gotadf.Sort("zz")) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Arrange(dataframe.Sort("zz")) }},
	)
	forFrames(t, cases)
}

func TestDiffJoins(t *testing.T) {
	keysets := [][]string{{"k"}, {"ks"}, {"k", "ks"}, {"i"}, {"s"}, {"f"}, {"b"}, {"kb", "k"}, {}, {"zz"}}
	for _, n := range sizes {
		for seed := uint64(1); seed <= 3; seed++ {
			left := newFrames(genSeries(seed, n)...)
			rs := genSeries(seed+100, max(1, n/3))
			right := newFrames(rs[0], rs[1], rs[2], rs[4], rs[5], rs[7])
			for _, keys := range keysets {
				what := fmt.Sprintf("(n=%d seed=%d keys=%v)", n, seed, keys)
				sameFrame(t, "InnerJoin "+what, left.g.InnerJoin(right.g, keys...), left.s.InnerJoin(right.s, keys...), false)
				sameFrame(t, "LeftJoin "+what, left.g.LeftJoin(right.g, keys...), left.s.LeftJoin(right.s, keys...), false)
				sameFrame(t, "RightJoin "+what, left.g.RightJoin(right.g, keys...), left.s.RightJoin(right.s, keys...), false)
				sameFrame(t, "OuterJoin "+what, left.g.OuterJoin(right.g, keys...), left.s.OuterJoin(right.s, keys...), false)
			}
			// Key types differ between the sides: gota converts.
			rt := newFrames(series.New(rs[0], series.Float, "k"), rs[2])
			sameFrame(t, "LeftJoin mixed key types", left.g.LeftJoin(rt.g, "k"), left.s.LeftJoin(rt.s, "k"), false)
			if n <= 17 {
				sameFrame(t, "CrossJoin "+fmt.Sprint(n, seed), left.g.CrossJoin(right.g), left.s.CrossJoin(right.s), false)
			}
		}
	}
}

func TestDiffGroupBy(t *testing.T) {
	all := []gotadf.AggregationType{gotadf.Aggregation_MAX, gotadf.Aggregation_MIN, gotadf.Aggregation_MEAN,
		gotadf.Aggregation_MEDIAN, gotadf.Aggregation_STD, gotadf.Aggregation_SUM, gotadf.Aggregation_COUNT}
	keysets := [][]string{{"k"}, {"ks"}, {"kf"}, {"kb"}, {"k", "ks"}, {"ks", "kb", "kf"}, {"i"}, {"zz"}}
	for _, n := range sizes {
		for seed := uint64(1); seed <= 3; seed++ {
			in := newFrames(genSeries(seed, n)...)
			for _, keys := range keysets {
				what := fmt.Sprintf("(n=%d seed=%d keys=%v)", n, seed, keys)
				gg, sg := in.g.GroupBy(keys...), in.s.GroupBy(keys...)
				if errText(gg.Err) != errText(sg.Err) {
					t.Errorf("GroupBy %s: Err gota %q, shoal %q", what, errText(gg.Err), errText(sg.Err))
					continue
				}
				for _, col := range []string{"i", "f", "s", "b"} {
					var gt []gotadf.AggregationType
					var st []dataframe.AggregationType
					var cols []string
					for _, a := range all {
						gt, st, cols = append(gt, a), append(st, dataframe.AggregationType(a)), append(cols, col)
					}
					sameFrame(t, fmt.Sprintf("Aggregation %s of %s", what, col), gg.Aggregation(gt, cols), sg.Aggregation(st, cols), true)
				}
				sameFrame(t, "Aggregation mismatch "+what,
					gg.Aggregation([]gotadf.AggregationType{gotadf.Aggregation_SUM}, nil),
					sg.Aggregation([]dataframe.AggregationType{dataframe.Aggregation_SUM}, nil), true)
				gm, sm := gg.GetGroups(), sg.GetGroups()
				if len(gm) != len(sm) {
					t.Errorf("GetGroups %s: %d groups, shoal %d", what, len(gm), len(sm))
				}
				for k, g := range gm {
					sameFrame(t, fmt.Sprintf("GetGroups %s [%q]", what, k), g, sm[k], false)
				}
			}
		}
	}
	if g := (dataframe.DataFrame{}).GroupBy(); g != nil {
		t.Errorf("GroupBy() = %v, want nil as gota", g)
	}
}

func TestDiffAccessors(t *testing.T) {
	for _, n := range sizes {
		in := newFrames(genSeries(uint64(n), n)...)
		if g, s := in.g.String(), in.s.String(); g != s {
			t.Errorf("String (n=%d):\ngota:\n%s\nshoal:\n%s", n, g, s)
		}
		if g, s := in.g.Maps(), in.s.Maps(); !reflect.DeepEqual(g, s) {
			t.Errorf("Maps (n=%d): gota %v, shoal %v", n, g, s)
		}
		for _, c := range append(in.g.Names(), "zz") {
			g, s := in.g.Col(c), in.s.Col(c)
			if errText(g.Err) != errText(s.Err) || (g.Err == nil && (g.Str() != s.Str() || g.Name != s.Name)) {
				t.Errorf("Col(%q): gota %q %v, shoal %q %v", c, g.Str(), g.Err, s.Str(), s.Err)
			}
		}
		for r := 0; r < n; r++ {
			for c := 0; c < in.g.Ncol(); c++ {
				g, s := in.g.Elem(r, c), in.s.Elem(r, c)
				if g.String() != s.String() || g.Type() != s.Type() || g.IsNA() != s.IsNA() || !reflect.DeepEqual(g.Val(), s.Val()) {
					t.Errorf("Elem(%d, %d): gota %v, shoal %v", r, c, g, s)
				}
			}
		}
		for _, opts := range [][]gotadf.WriteOption{nil, {gotadf.WriteHeader(false)}} {
			var gb, sb strings.Builder
			gerr := in.g.WriteCSV(&gb, opts...)
			var sopts []dataframe.WriteOption
			if opts != nil {
				sopts = append(sopts, dataframe.WriteHeader(false))
			}
			serr := in.s.WriteCSV(&sb, sopts...)
			if gb.String() != sb.String() || errText(gerr) != errText(serr) {
				t.Errorf("WriteCSV (n=%d): gota %q %v, shoal %q %v", n, gb.String(), gerr, sb.String(), serr)
			}
		}
		var gj, sj strings.Builder
		gerr, serr := in.g.WriteJSON(&gj), in.s.WriteJSON(&sj)
		if gj.String() != sj.String() || errText(gerr) != errText(serr) {
			t.Errorf("WriteJSON (n=%d): gota %q, shoal %q", n, gj.String(), sj.String())
		}
		// Round trips through the writers and readers.
		var csvText strings.Builder
		in.g.WriteCSV(&csvText)
		sameFrame(t, "ReadCSV of WriteCSV", gotadf.ReadCSV(strings.NewReader(csvText.String())), dataframe.ReadCSV(strings.NewReader(csvText.String())), false)
		sameFrame(t, "ReadJSON of WriteJSON", gotadf.ReadJSON(strings.NewReader(gj.String())), dataframe.ReadJSON(strings.NewReader(gj.String())), false)
		sameFrame(t, "LoadRecords of Records", gotadf.LoadRecords(in.g.Records()), dataframe.LoadRecords(in.s.Records()), false)
		sameFrame(t, "LoadMaps of Maps", gotadf.LoadMaps(in.g.Maps()), dataframe.LoadMaps(in.s.Maps()), false)
	}
	// Error frames.
	bad := newFrames()
	if g, s := bad.g.String(), bad.s.String(); g != s {
		t.Errorf("String of error frame: gota %q, shoal %q", g, s)
	}
	if g, s := bad.g.Col("a"), bad.s.Col("a"); errText(g.Err) != errText(s.Err) {
		t.Errorf("Col of error frame: gota %v, shoal %v", g.Err, s.Err)
	}
	if g, s := bad.g.Error(), bad.s.Error(); errText(g) != errText(s) || s.Error() != "empty DataFrame" {
		t.Errorf("Error(): gota %v, shoal %v", g, s)
	}
}

func TestDiffSetNames(t *testing.T) {
	in := newFrames(genSeries(1, 4)...)
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h"}
	gerr, serr := in.g.SetNames(names...), in.s.SetNames(names...)
	if gerr != nil || serr != nil {
		t.Fatalf("SetNames: gota %v, shoal %v", gerr, serr)
	}
	// SetNames has a value receiver but renames the caller's frame, as gota's.
	sameFrame(t, "after SetNames", in.g, in.s, false)
	if got := strings.Join(in.s.Names(), ""); got != "abcdefgh" {
		t.Errorf("Names after SetNames = %q", got)
	}
	gerr, serr = in.g.SetNames("x"), in.s.SetNames("x")
	if errText(gerr) != errText(serr) || serr.Error() != "setting names: wrong dimensions" {
		t.Errorf("SetNames wrong length: gota %v, shoal %v", gerr, serr)
	}
}

func TestDiffLoad(t *testing.T) {
	records := [][]string{
		{"A", "B", "C", "D", "E", "A"},
		{"a", "1", "1.5", "true", "", "x"},
		{"NA", "2", "NaN", "false", "", "y"},
		{"b", "x", "3", "t", "1", "<nil>"},
		{"c", "-4", "1e3", "false", "", "z"},
	}
	opts := []struct {
		name string
		g    []gotadf.LoadOption
		s    []dataframe.LoadOption
	}{
		{"defaults", nil, nil},
		{"no header", []gotadf.LoadOption{gotadf.HasHeader(false)}, []dataframe.LoadOption{dataframe.HasHeader(false)}},
		{"no detection", []gotadf.LoadOption{gotadf.DetectTypes(false), gotadf.DefaultType(series.Float)}, []dataframe.LoadOption{dataframe.DetectTypes(false), dataframe.DefaultType(series.Float)}},
		{"types", []gotadf.LoadOption{gotadf.WithTypes(map[string]series.Type{"B": series.Float, "D": series.String})}, []dataframe.LoadOption{dataframe.WithTypes(map[string]series.Type{"B": series.Float, "D": series.String})}},
		{"names", []gotadf.LoadOption{gotadf.Names("u", "v", "w", "x", "y", "z")}, []dataframe.LoadOption{dataframe.Names("u", "v", "w", "x", "y", "z")}},
		{"too many names", []gotadf.LoadOption{gotadf.Names("u", "v", "w", "x", "y", "z", "zz")}, []dataframe.LoadOption{dataframe.Names("u", "v", "w", "x", "y", "z", "zz")}},
		{"too few names", []gotadf.LoadOption{gotadf.Names("u")}, []dataframe.LoadOption{dataframe.Names("u")}},
		{"nan values", []gotadf.LoadOption{gotadf.NaNValues([]string{"x", ""})}, []dataframe.LoadOption{dataframe.NaNValues([]string{"x", ""})}},
	}
	for _, o := range opts {
		sameFrame(t, "LoadRecords "+o.name, gotadf.LoadRecords(records, o.g...), dataframe.LoadRecords(records, o.s...), false)
		var text strings.Builder
		for _, r := range records {
			text.WriteString(strings.Join(r, ";") + "\n")
		}
		g := gotadf.ReadCSV(strings.NewReader(text.String()), append(o.g, gotadf.WithDelimiter(';'))...)
		s := dataframe.ReadCSV(strings.NewReader(text.String()), append(o.s, dataframe.WithDelimiter(';'))...)
		sameFrame(t, "ReadCSV "+o.name, g, s, false)
	}
	sameFrame(t, "LoadRecords empty", gotadf.LoadRecords(nil), dataframe.LoadRecords(nil), false)
	sameFrame(t, "LoadRecords header only", gotadf.LoadRecords(records[:1]), dataframe.LoadRecords(records[:1]), false)

	csvs := []string{
		"a,b\n1,2\n3,4\n",
		"a,b\r\n1,2\r\n\r\n3,4",
		"a,b\n\"x,y\",2\n3,\"4\"\"\"\n",
		"# comment\na,b\n1,2\n#3,4\n",
		"a,b\n1,2,3\n",
		"a,b\n1\"2,3\n",
		"",
		"a\n",
		"a,b\n  1, 2\n",
	}
	for _, c := range csvs {
		for _, lazy := range []bool{false, true} {
			g := gotadf.ReadCSV(strings.NewReader(c), gotadf.WithComments('#'), gotadf.WithLazyQuotes(lazy))
			s := dataframe.ReadCSV(strings.NewReader(c), dataframe.WithComments('#'), dataframe.WithLazyQuotes(lazy))
			sameFrame(t, fmt.Sprintf("ReadCSV %q lazy=%v", c, lazy), g, s, false)
		}
	}
	jsons := []string{`[{"a":1,"b":"x"},{"a":2.5,"c":true}]`, `[{"a":null}]`, `{`, `[]`}
	for _, j := range jsons {
		sameFrame(t, "ReadJSON "+j, gotadf.ReadJSON(strings.NewReader(j)), dataframe.ReadJSON(strings.NewReader(j)), false)
	}
	type user struct {
		Name     string
		Age      int     `dataframe:"age"`
		Accuracy float64 `dataframe:",string"`
		Ignore   bool    `dataframe:"-"`
		hidden   int
	}
	users := []user{{"Aram", 17, 0.2, true, 1}, {"Juan", 18, 0.8, false, 2}, {"Ana", 22, 0.5, true, 3}}
	sameFrame(t, "LoadStructs", gotadf.LoadStructs(users), dataframe.LoadStructs(users), false)
	sameFrame(t, "LoadStructs no header", gotadf.LoadStructs(users, gotadf.HasHeader(false)), dataframe.LoadStructs(users, dataframe.HasHeader(false)), false)
	sameFrame(t, "LoadStructs bad", gotadf.LoadStructs(3), dataframe.LoadStructs(3), false)
	m := matrix{{1, 2}, {3, 4}, {5, 6}}
	sameFrame(t, "LoadMatrix", gotadf.LoadMatrix(m), dataframe.LoadMatrix(m), false)
}

type matrix [][]float64

func (m matrix) Dims() (int, int)    { return len(m), len(m[0]) }
func (m matrix) At(i, j int) float64 { return m[i][j] }

// A large frame runs the engine's partitioned paths; results stay gota's.
func TestDiffLarge(t *testing.T) {
	if testing.Short() {
		t.Skip("large frame")
	}
	in := newFrames(genSeries(42, 30000)...)
	sameFrame(t, "Filter large", in.g.Filter(gotadf.F{Colname: "f", Comparator: series.Greater, Comparando: 1}), in.s.Filter(dataframe.F{Colname: "f", Comparator: series.Greater, Comparando: 1}), false)
	sameFrame(t, "Arrange large", in.g.Arrange(gotadf.Sort("ks"), gotadf.RevSort("i")), in.s.Arrange(dataframe.Sort("ks"), dataframe.RevSort("i")), false)
	gagg := in.g.GroupBy("k", "ks").Aggregation([]gotadf.AggregationType{gotadf.Aggregation_MEAN, gotadf.Aggregation_SUM, gotadf.Aggregation_STD}, []string{"f", "i", "f"})
	sagg := in.s.GroupBy("k", "ks").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_MEAN, dataframe.Aggregation_SUM, dataframe.Aggregation_STD}, []string{"f", "i", "f"})
	sameFrame(t, "Aggregation large", gagg, sagg, true)
	right := newFrames(genSeries(43, 40)...)
	rg, rs := right.g.Select([]string{"k", "ks", "f"}), right.s.Select([]string{"k", "ks", "f"})
	sameFrame(t, "LeftJoin large", in.g.LeftJoin(rg, "k", "ks"), in.s.LeftJoin(rs, "k", "ks"), false)
	var text strings.Builder
	in.g.WriteCSV(&text)
	var stext strings.Builder
	in.s.WriteCSV(&stext)
	if text.String() != stext.String() {
		t.Errorf("WriteCSV large differs")
	}
	sameFrame(t, "ReadCSV large", gotadf.ReadCSV(strings.NewReader(text.String())), dataframe.ReadCSV(strings.NewReader(text.String())), false)
	_ = sort.Strings
}

// Columns read in many pieces (small reader ranges) and subsets of them,
// gathered lazily, give gota's results through every operation.
func TestDiffChunkedColumns(t *testing.T) {
	defer dataframe.SetReadChunkBytes(4 << 10)()
	in := newFrames(genSeries(7, 3000)...)
	var text strings.Builder
	in.g.Drop("s").WriteCSV(&text) // "b,c" would be quoted, and quotes take gota's parser
	if strings.Contains(text.String(), `"`) {
		t.Fatal("test input has quotes")
	}
	g := gotadf.ReadCSV(strings.NewReader(text.String()))
	s := dataframe.ReadCSV(strings.NewReader(text.String()))
	sameFrame(t, "ReadCSV in pieces", g, s, false)
	if n := dataframe.Pieces(s, 4); n < 3 {
		t.Fatalf("column ks is in %d pieces, want several (the reader's ranges)", n)
	}
	gf := g.Filter(gotadf.F{Colname: "k", Comparator: series.Greater, Comparando: 1}, gotadf.F{Colname: "ks", Comparator: series.Eq, Comparando: "a"})
	sf := s.Filter(dataframe.F{Colname: "k", Comparator: series.Greater, Comparando: 1}, dataframe.F{Colname: "ks", Comparator: series.Eq, Comparando: "a"})
	sameFrame(t, "Filter of pieces", gf, sf, false)
	idx := []int{5, 0, 3, 3, 100, 7}
	sameFrame(t, "Subset of a filter", gf.Subset(idx), sf.Subset(idx), false)
	sameFrame(t, "Subset of pieces, unordered", g.Subset(idx), s.Subset(idx), false)
	sameFrame(t, "Filter of a filter", gf.Filter(gotadf.F{Colname: "f", Comparator: series.Less, Comparando: 0}),
		sf.Filter(dataframe.F{Colname: "f", Comparator: series.Less, Comparando: 0}), false)
	for _, c := range []string{"f", "i", "b", "ks", "kb", "k"} {
		if gc, sc := gf.Col(c), sf.Col(c); gc.Str() != sc.Str() || gc.Name != sc.Name {
			t.Errorf("Col(%q) of a filter differs:\ngota:  %s\nshoal: %s", c, gc.Str(), sc.Str())
		}
	}
	sameFrame(t, "Arrange of pieces", g.Arrange(gotadf.RevSort("f"), gotadf.Sort("ks")), s.Arrange(dataframe.RevSort("f"), dataframe.Sort("ks")), false)
	sameFrame(t, "Aggregation of a filter",
		gf.GroupBy("ks", "k").Aggregation([]gotadf.AggregationType{gotadf.Aggregation_SUM, gotadf.Aggregation_MEDIAN}, []string{"f", "i"}),
		sf.GroupBy("ks", "k").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_SUM, dataframe.Aggregation_MEDIAN}, []string{"f", "i"}), true)
	sameFrame(t, "Aggregation by a float and a bool key of a filter",
		gf.GroupBy("kf", "kb").Aggregation([]gotadf.AggregationType{gotadf.Aggregation_MAX, gotadf.Aggregation_COUNT}, []string{"i", "b"}),
		sf.GroupBy("kf", "kb").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_MAX, dataframe.Aggregation_COUNT}, []string{"i", "b"}), true)
	sameFrame(t, "Aggregation of pieces",
		g.GroupBy("k").Aggregation([]gotadf.AggregationType{gotadf.Aggregation_MEAN}, []string{"f"}),
		s.GroupBy("k").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_MEAN}, []string{"f"}), true)
	gg, sg := gf.GroupBy("ks").GetGroups(), sf.GroupBy("ks").GetGroups()
	if len(gg) != len(sg) {
		t.Errorf("GetGroups of a filter: %d groups, shoal %d", len(gg), len(sg))
	}
	for k, g := range gg {
		sameFrame(t, "GetGroups of a filter ["+k+"]", g, sg[k], false)
	}
	if g, s := gf.GroupBy("i"), sf.GroupBy("i"); errText(g.Err) != errText(s.Err) {
		t.Errorf("GroupBy a NaN key of a filter: gota %v, shoal %v", g.Err, s.Err)
	}
	sameFrame(t, "LeftJoin of pieces", gf.LeftJoin(g.Subset([]int{0, 1, 2}).Select([]string{"k", "b"}), "k"),
		sf.LeftJoin(s.Subset([]int{0, 1, 2}).Select([]string{"k", "b"}), "k"), false)
	sameFrame(t, "RBind of pieces", g.RBind(gf), s.RBind(sf), false)
}

// Many distinct key tuples take the map paths (32- and 64-bit codes) rather
// than the table.
func TestDiffGroupByManyKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	n := 3000
	a, b, c, v := make([]int, n), make([]int, n), make([]string, n), make([]float64, n)
	for i := range a {
		a[i], b[i], c[i], v[i] = r.IntN(1e6), r.IntN(1e6)-5e5, fmt.Sprint(r.IntN(1e6)), float64(r.IntN(100))/8
	}
	in := newFrames(series.Ints(a), series.Ints(b), series.Strings(c), series.Floats(v))
	for _, keys := range [][]string{{"X0", "X1"}, {"X0", "X1", "X2"}, {"X2", "X0"}} {
		sameFrame(t, fmt.Sprintf("Aggregation by %v", keys),
			in.g.GroupBy(keys...).Aggregation([]gotadf.AggregationType{gotadf.Aggregation_SUM, gotadf.Aggregation_COUNT}, []string{"X3", "X3"}),
			in.s.GroupBy(keys...).Aggregation([]dataframe.AggregationType{dataframe.Aggregation_SUM, dataframe.Aggregation_COUNT}, []string{"X3", "X3"}), true)
	}
}
