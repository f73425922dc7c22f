package dataframe_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/shoaldata/shoal/gota/dataframe"
	"github.com/shoaldata/shoal/gota/series"
)

// Where gota panics, Shoal's package returns a frame carrying the error.
func TestErrorsWhereGotaPanics(t *testing.T) {
	df := dataframe.New(series.Ints([]int{1, 2}), series.Strings([]string{"a", "b"}))
	cases := []struct {
		name string
		got  dataframe.DataFrame
		want string
	}{
		{"Subset out of range", df.Subset([]int{2}), "error on series 0: index 2 out of range [0, 2)"},
		{"Subset negative", df.Subset(-1), "error on series 0: index -1 out of range [0, 2)"},
		{"Filter Colidx", df.Filter(dataframe.F{Colidx: 5, Comparator: series.Eq, Comparando: 1}), "filter: column index 5 out of range"},
		{"Filter CompFunc not a func", df.Filter(dataframe.F{Colname: "X0", Comparator: series.CompFunc, Comparando: 3}),
			"filter: comparando is not a comparison function of type func(el Element) bool"},
		{"Mutate errored series", df.Mutate(df.Col("zz")), "mutate: series has errors: unknown column name"},
		{"Aggregation unknown column", df.GroupBy("X0").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_SUM}, []string{"zz"}),
			"Aggregation: can't find column name: zz"},
		{"Aggregation bad type", df.GroupBy("X0").Aggregation([]dataframe.AggregationType{42}, []string{"X1"}),
			"Aggregation: this method AggregationType(42) not found"},
		{"Aggregation no rows", df.Subset([]int{}).GroupBy("X0").Aggregation([]dataframe.AggregationType{dataframe.Aggregation_SUM}, []string{"X1"}),
			"Aggregation: no groups"},
		{"LoadRecords short row", dataframe.LoadRecords([][]string{{"a", "b"}, {"1"}}), "load records: row 0 has 1 fields, want 2"},
		{"LoadRecords unknown type", dataframe.LoadRecords([][]string{{"a"}, {"1"}}, dataframe.DefaultType("complex"), dataframe.DetectTypes(false)),
			"unknown type complex"},
		{"ReadCSV unknown type", dataframe.ReadCSV(strings.NewReader("a\n1\n"), dataframe.WithTypes(map[string]series.Type{"a": "complex"})),
			"unknown type complex"},
	}
	for _, c := range cases {
		if c.got.Err == nil || c.got.Err.Error() != c.want {
			t.Errorf("%s: Err = %v, want %q", c.name, c.got.Err, c.want)
		}
	}
	// Elem keeps gota's contract: out of range panics.
	func() {
		defer func() {
			if recover() == nil {
				t.Errorf("Elem(5, 0) did not panic")
			}
		}()
		df.Elem(5, 0)
	}()
	// Elem is a copy: setting it leaves the frame alone.
	df.Elem(0, 0).Set(9)
	if got := df.Elem(0, 0).String(); got != "1" {
		t.Errorf("Elem(0, 0) after setting a copy = %q, want 1", got)
	}
}

// ReadCSV from files takes the engine's path when the text allows it and
// gota's otherwise; both give gota's frame.
func TestReadCSVFiles(t *testing.T) {
	dir := t.TempDir()
	texts := map[string]string{
		"plain.csv":    "a,b,c,d\n1,2.5,x,true\n-3,NaN,,false\nNA,4,y,t\n",
		"quoted.csv":   "a,b\n\"1\",\"x,y\"\n2,z\n",
		"ints.csv":     "n\n1\n2\n3\n",
		"allnan.csv":   "a,b\nNA,1\nNaN,2\n",
		"inf.csv":      "a\n1e400\n2\n",
		"tiny.csv":     "a\n1e-400\n7\n",
		"ragged.csv":   "a,b\n1,2\n3\n",
		"crlf.csv":     "a,b\r\n1,x\r\n2,y\r\n",
		"header.csv":   "a,b\n",
		"bools.csv":    "a,b\ntrue,True\nfalse,FALSE\n",
		"mixed.csv":    "a\n1\n2.5\nx\n",
		"empty.csv":    "",
		"intfloat.csv": "a,b\n1,1\n2,2.0\n",
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte("a\n1\n"))
	zw.Close()
	texts["data.gz.csv"] = gz.String()
	for name, text := range texts {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		gf, _ := os.Open(path)
		g := gotadf.ReadCSV(gf)
		gf.Close()
		sf, _ := os.Open(path)
		s := dataframe.ReadCSV(sf)
		sf.Close()
		sameFrame(t, "ReadCSV file "+name, g, s, false)
		for _, opts := range []struct {
			g []gotadf.LoadOption
			s []dataframe.LoadOption
		}{
			{[]gotadf.LoadOption{gotadf.HasHeader(false)}, []dataframe.LoadOption{dataframe.HasHeader(false)}},
			{[]gotadf.LoadOption{gotadf.WithTypes(map[string]series.Type{"a": series.Float, "b": series.Int})}, []dataframe.LoadOption{dataframe.WithTypes(map[string]series.Type{"a": series.Float, "b": series.Int})}},
			{[]gotadf.LoadOption{gotadf.DetectTypes(false)}, []dataframe.LoadOption{dataframe.DetectTypes(false)}},
			{[]gotadf.LoadOption{gotadf.NaNValues([]string{"1", "x"})}, []dataframe.LoadOption{dataframe.NaNValues([]string{"1", "x"})}},
		} {
			gf, _ := os.Open(path)
			g := gotadf.ReadCSV(gf, opts.g...)
			gf.Close()
			sf, _ := os.Open(path)
			s := dataframe.ReadCSV(sf, opts.s...)
			sf.Close()
			sameFrame(t, "ReadCSV file with options "+name, g, s, false)
		}
	}
}
