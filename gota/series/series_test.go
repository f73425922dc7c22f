package series_test

import (
	"testing"

	gs "github.com/go-gota/gota/series"
	"github.com/shoaldata/shoal/gota/series"
)

// Values made here are gota's own: they pass to gota's API unchanged.
func TestAliasesAreGotas(t *testing.T) {
	var s gs.Series = series.New([]int{1, 2}, series.Int, "a")
	if s.Type() != gs.Int || s.Name != "a" || s.Str() != "Name: a\nType: int\nLength: 2\nValues: [1 2]" {
		t.Fatalf("series.New = %q", s.Str())
	}
	var e gs.Element = s.Elem(1)
	if e.String() != "2" {
		t.Fatalf("Elem(1) = %q", e.String())
	}
	got := series.Floats([]float64{1.5, 2}).Compare(series.Greater, 1.6)
	if got.Str() != "Type: bool\nLength: 2\nValues: [false true]" {
		t.Fatalf("Compare = %q", got.Str())
	}
	for _, c := range []struct {
		got, want string
	}{
		{string(series.Eq), "=="}, {string(series.Neq), "!="}, {string(series.Greater), ">"},
		{string(series.GreaterEq), ">="}, {string(series.Less), "<"}, {string(series.LessEq), "<="},
		{string(series.In), "in"}, {string(series.CompFunc), "func"},
		{string(series.String), "string"}, {string(series.Int), "int"}, {string(series.Float), "float"}, {string(series.Bool), "bool"},
		{series.Strings([]string{"x", "NaN"}).String(), "[x NaN]"},
		{series.Ints([]string{"1", "x"}).String(), "[1 NaN]"},
		{series.Bools([]string{"t", "0"}).String(), "[true false]"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
