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

// genSeries makes the columns of a random frame: every gota type with NaN
// (i, f, s, b), and NaN-free keys of every type (k, ks, kf, kb).
func genSeries(seed uint64, n int) []series.Series {
	r := rand.New(rand.NewPCG(seed, 7))
	nan := func() bool { return r.IntN(6) == 0 }
	col := func(name string, t series.Type, withNaN bool, gen func() interface{}) series.Series {
		vals := make([]interface{}, n)
		for i := range vals {
			if withNaN && nan() {
				continue
			}
			vals[i] = gen()
		}
		return series.New(vals, t, name)
	}
	words := []string{"a", "b", "c", "a_b", "NA", "", "x y", "Ä", "b,c", "10"}
	return []series.Series{
		col("i", series.Int, true, func() interface{} { return r.IntN(11) - 5 }),
		col("f", series.Float, true, func() interface{} { return float64(r.IntN(2001)-1000) / 100 }),
		col("s", series.String, true, func() interface{} { return words[r.IntN(len(words))] }),
		col("b", series.Bool, true, func() interface{} { return r.IntN(2) == 0 }),
		col("k", series.Int, false, func() interface{} { return r.IntN(5) }),
		col("ks", series.String, false, func() interface{} { return words[r.IntN(4)] }),
		col("kf", series.Float, false, func() interface{} { return float64(r.IntN(4)) / 4 }),
		col("kb", series.Bool, false, func() interface{} { return r.IntN(2) == 0 }),
	}
}

type frames struct {
	g gotadf.DataFrame
	s dataframe.DataFrame
}

func newFrames(ss ...series.Series) frames {
	return frames{gotadf.New(ss...), dataframe.New(ss...)}
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	return err.Error()
}

// sameFrame fails unless both frames have the same error, names, types
// and records; sortRows compares the rows as a sorted multiset (for
// gota's random group order).
func sameFrame(t *testing.T, what string, g gotadf.DataFrame, s dataframe.DataFrame, sortRows bool) {
	t.Helper()
	if errText(g.Err) != errText(s.Err) {
		t.Errorf("%s: Err: gota %q, shoal %q", what, errText(g.Err), errText(s.Err))
		return
	}
	if g.Err != nil {
		return
	}
	if !reflect.DeepEqual(g.Names(), s.Names()) {
		t.Errorf("%s: Names: gota %q, shoal %q", what, g.Names(), s.Names())
	}
	if !reflect.DeepEqual(g.Types(), s.Types()) {
		t.Errorf("%s: Types: gota %v, shoal %v", what, g.Types(), s.Types())
	}
	gn, gc := g.Dims()
	sn, sc := s.Dims()
	if gn != sn || gc != sc {
		t.Errorf("%s: Dims: gota %dx%d, shoal %dx%d", what, gn, gc, sn, sc)
	}
	gr, sr := g.Records(), s.Records()
	if sortRows {
		sortRecords(gr)
		sortRecords(sr)
	}
	if !reflect.DeepEqual(gr, sr) {
		t.Errorf("%s: Records differ\ngota:  %q\nshoal: %q", what, head(gr), head(sr))
	}
}

func head(r [][]string) [][]string {
	if len(r) > 12 {
		return r[:12]
	}
	return r
}

func sortRecords(r [][]string) {
	if len(r) < 2 {
		return
	}
	rows := r[1:]
	sort.Slice(rows, func(i, j int) bool { return strings.Join(rows[i], "\x00") < strings.Join(rows[j], "\x00") })
}

type unary struct {
	name string
	g    func(gotadf.DataFrame) gotadf.DataFrame
	s    func(dataframe.DataFrame) dataframe.DataFrame
	sort bool
}

var sizes = []int{1, 2, 3, 17, 300}

func forFrames(t *testing.T, cases []unary) {
	for _, n := range sizes {
		for seed := uint64(1); seed <= 3; seed++ {
			in := newFrames(genSeries(seed, n)...)
			for _, c := range cases {
				sameFrame(t, fmt.Sprintf("%s (n=%d seed=%d)", c.name, n, seed), c.g(in.g), c.s(in.s), c.sort)
			}
		}
	}
}

func TestDiffConstructAndColumns(t *testing.T) {
	forFrames(t, []unary{
		{name: "New", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d }},
		{name: "Copy", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Copy() }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Copy() }},
		{name: "Select string", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select("s") }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Select("s") }},
		{name: "Select []string", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select([]string{"f", "i", "f"}) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Select([]string{"f", "i", "f"}) }},
		{name: "Select []int", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select([]int{3, 0}) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Select([]int{3, 0}) }},
		{name: "Select []bool", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			return d.Select([]bool{true, false, true, false, true, false, false, true})
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.Select([]bool{true, false, true, false, true, false, false, true})
		}},
		{name: "Select series", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select(series.Strings([]string{"b", "s"})) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Select(series.Strings([]string{"b", "s"})) }},
		{name: "Select unknown", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select("zz") }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Select("zz") }},
		{name: "Select out of range", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select(99) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Select(99) }},
		{name: "Select bad mode", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select(1.5) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Select(1.5) }},
		{name: "Drop", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Drop([]string{"i", "kb"}) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Drop([]string{"i", "kb"}) }},
		{name: "Drop int", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Drop(0) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Drop(0) }},
		{name: "Drop unknown", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Drop("zz") }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Drop("zz") }},
		{name: "Rename", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Rename("I", "i") }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Rename("I", "i") }},
		{name: "Rename to existing", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Rename("f", "i").Copy() }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Rename("f", "i").Copy() }},
		{name: "Rename unknown", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Rename("x", "zz") }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Rename("x", "zz") }},
		{name: "Subset []int", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Subset([]int{0, 0}) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Subset([]int{0, 0}) }},
		{name: "Subset int", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Subset(0) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Subset(0) }},
		{name: "Subset bad bools", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Subset([]bool{true}) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Subset([]bool{true}) }},
		{name: "Subset bools", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Subset(d.Col("kb")) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Subset(d.Col("kb")) }},
		{name: "Subset NaN series", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Subset(series.Ints([]interface{}{nil})) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Subset(series.Ints([]interface{}{nil})) }},
		{name: "Mutate replace", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			return d.Mutate(series.New(d.Col("f"), series.Int, "i"))
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.Mutate(series.New(d.Col("f"), series.Int, "i"))
		}},
		{name: "Mutate add", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			return d.Mutate(series.New(d.Col("s"), series.Float, "new"))
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.Mutate(series.New(d.Col("s"), series.Float, "new"))
		}},
		{name: "Mutate unnamed", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			return d.Mutate(d.Col("b").Copy()).Mutate(series.New(d.Col("k"), series.String, ""))
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.Mutate(d.Col("b").Copy()).Mutate(series.New(d.Col("k"), series.String, ""))
		}},
		{name: "Mutate wrong length", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Mutate(series.Ints([]int{1, 2, 3, 4})) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Mutate(series.Ints([]int{1, 2, 3, 4})) }},
		{name: "CBind", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.CBind(d.Select([]int{0, 2})) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.CBind(d.Select([]int{0, 2})) }},
		{name: "CBind mismatch", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.CBind(d.Subset([]int{0, 0, 0, 0, 0, 0})) }, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.CBind(d.Subset([]int{0, 0, 0, 0, 0, 0}))
		}},
		{name: "RBind", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.RBind(d.Select([]int{7, 6, 5, 4, 3, 2, 1, 0})) }, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.RBind(d.Select([]int{7, 6, 5, 4, 3, 2, 1, 0}))
		}},
		{name: "RBind converts types", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			return d.Select([]string{"i", "f", "s"}).RBind(gSetNames(d.Select([]string{"f", "s", "i"}), "i", "s", "f"))
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.Select([]string{"i", "f", "s"}).RBind(setNames(d.Select([]string{"f", "s", "i"}), "i", "s", "f"))
		}},
		{name: "RBind incompatible", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.RBind(d.Drop("s")) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.RBind(d.Drop("s")) }},
		{name: "Concat", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			return d.Select([]string{"i", "s"}).Concat(d.Select([]string{"b", "i"}))
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.Select([]string{"i", "s"}).Concat(d.Select([]string{"b", "i"}))
		}},
		{name: "Capply", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Capply(capply) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Capply(capply) }},
		{name: "Rapply", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Select([]string{"i", "f", "k"}).Rapply(rapply) }, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			return d.Select([]string{"i", "f", "k"}).Rapply(rapply)
		}},
		{name: "Set", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			c := d.Copy()
			return c.Set([]int{0}, d.Subset([]int{d.Nrow() - 1}))
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			c := d.Copy()
			return c.Set([]int{0}, d.Subset([]int{d.Nrow() - 1}))
		}},
		{name: "Set converts", g: func(d gotadf.DataFrame) gotadf.DataFrame {
			c := d.Select([]string{"i", "f"}).Copy()
			return c.Set(series.Ints([]int{0}), d.Select([]string{"f", "i"}).Subset(0))
		}, s: func(d dataframe.DataFrame) dataframe.DataFrame {
			c := d.Select([]string{"i", "f"}).Copy()
			return c.Set(series.Ints([]int{0}), d.Select([]string{"f", "i"}).Subset(0))
		}},
		{name: "Set wrong width", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Set(0, d.Select("i")) }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Set(0, d.Select("i")) }},
		{name: "Describe", g: func(d gotadf.DataFrame) gotadf.DataFrame { return d.Describe() }, s: func(d dataframe.DataFrame) dataframe.DataFrame { return d.Describe() }},
	})
}

func setNames(d dataframe.DataFrame, names ...string) dataframe.DataFrame {
	d = d.Copy()
	if err := d.SetNames(names...); err != nil {
		return dataframe.DataFrame{Err: err}
	}
	return d
}

func gSetNames(d gotadf.DataFrame, names ...string) gotadf.DataFrame {
	d = d.Copy()
	if err := d.SetNames(names...); err != nil {
		return gotadf.DataFrame{Err: err}
	}
	return d
}

func capply(s series.Series) series.Series {
	if s.Type() == series.String {
		return series.Ints(s.Records())
	}
	return series.Floats(s.Float())
}

func rapply(s series.Series) series.Series {
	f := s.Float()
	return series.Floats([]float64{f[0] + f[1], f[2] * 2})
}
