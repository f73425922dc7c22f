package golden

import (
	"errors"
	"go/parser"
	"go/token"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

const corpusDir = "../../testdata/pandas"

const sampleCase = `{
 "name": "sample_all", "op": "sample", "pandas_version": "1.5.3", "note": "a note",
 "inputs": {"df": {"columns": [
   {"name": "i", "dtype": "int64", "values": [1, null, -9007199254740993]},
   {"name": "i32", "dtype": "int32", "values": [2147483647, -2147483648, null]},
   {"name": "f", "dtype": "float64", "values": [1.5, "inf", null]},
   {"name": "f32", "dtype": "float32", "values": ["-inf", 2, "nan"]},
   {"name": "b", "dtype": "bool", "values": [true, null, false]},
   {"name": "s", "dtype": "string", "values": ["x", "", null]},
   {"name": "c", "dtype": "category", "values": [null, "p", "q"]},
   {"name": "t", "dtype": "timestamp", "values": ["2024-01-02T03:04:05", "2024-01-02T03:04:05.123456789", null]},
   {"name": "d", "dtype": "date", "values": ["2024-02-29", null, "1969-12-31"]}
  ],
  "index": {"names": ["id", null], "columns": [
   {"name": "id", "dtype": "string", "values": ["a", "b", "c"]},
   {"name": null, "dtype": "int64", "values": [0, 1, 2]}
  ]}}},
 "args": {"n": 2, "f": 2.5, "e": 1e3, "expr": ["add", ["col", "a"], ["lit", 1], ["lit", 1.0]],
          "m": {"a": 0, "s": "x"}, "none": null, "keep": false},
 "expected": {"columns": [{"name": "r", "dtype": "float64", "values": [0.25]}], "index": null},
 "ordered": false
}`

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadParsesEveryDtype(t *testing.T) {
	c, err := Load(writeFile(t, t.TempDir(), "sample_all.json", sampleCase))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "sample_all" || c.Op != "sample" || c.PandasVersion != "1.5.3" || c.Note != "a note" ||
		c.Ordered || c.Error != "" {
		t.Errorf("header = %+v", c)
	}
	df, ok := c.Inputs["df"]
	if !ok || len(c.Inputs) != 1 {
		t.Fatalf("inputs = %v", c.Inputs)
	}
	want := []Column{
		{"i", Int64, []any{int64(1), nil, int64(-9007199254740993)}},
		{"i32", Int32, []any{int64(math.MaxInt32), int64(math.MinInt32), nil}},
		{"f", Float64, []any{1.5, math.Inf(1), nil}},
		{"f32", Float32, []any{math.Inf(-1), 2.0, nil}},
		{"b", Bool, []any{true, nil, false}},
		{"s", String, []any{"x", "", nil}},
		{"c", Category, []any{nil, "p", "q"}},
		{"t", Timestamp, []any{"2024-01-02T03:04:05", "2024-01-02T03:04:05.123456789", nil}},
		{"d", Date, []any{"2024-02-29", nil, "1969-12-31"}},
	}
	if !reflect.DeepEqual(df.Columns, want) {
		t.Errorf("columns =\n%#v\nwant\n%#v", df.Columns, want)
	}
	wantIndex := &Table{Columns: []Column{
		{"id", String, []any{"a", "b", "c"}},
		{"", Int64, []any{int64(0), int64(1), int64(2)}},
	}}
	if !reflect.DeepEqual(df.Index, wantIndex) {
		t.Errorf("index = %#v, want %#v", df.Index, wantIndex)
	}
	wantArgs := map[string]any{
		"n": int64(2), "f": 2.5, "e": 1000.0,
		"expr": []any{"add", []any{"col", "a"}, []any{"lit", int64(1)}, []any{"lit", 1.0}},
		"m":    map[string]any{"a": int64(0), "s": "x"}, "none": nil, "keep": false,
	}
	if !reflect.DeepEqual(c.Args, wantArgs) {
		t.Errorf("args = %#v, want %#v", c.Args, wantArgs)
	}
	wantExp := &Table{Columns: []Column{{"r", Float64, []any{0.25}}}}
	if !reflect.DeepEqual(c.Expected, wantExp) {
		t.Errorf("expected = %#v, want %#v", c.Expected, wantExp)
	}
}

func TestLoadErrorCase(t *testing.T) {
	text := `{"name": "x_err", "op": "x", "inputs": {}, "args": {}, "error": "zz", "ordered": true}`
	c, err := Load(writeFile(t, t.TempDir(), "x.json", text))
	if err != nil {
		t.Fatal(err)
	}
	if c.Expected != nil || c.Error != "zz" || !c.Ordered || len(c.Args) != 0 {
		t.Errorf("case = %+v", c)
	}
}

func TestLoadRejects(t *testing.T) {
	const head = `{"name": "x_y", "op": "x", "inputs": {"df": {"columns": [`
	const tail = `], "index": null}}, "args": {}, "expected": {"columns": [], "index": null}, "ordered": true}`
	for _, tc := range []struct{ name, text, msg string }{
		{"not json", `{`, "unexpected end"},
		{"no name", `{"op": "x", "expected": {"columns": []}, "ordered": true}`, "name and op"},
		{"no ordered", `{"name": "x_y", "op": "x", "expected": {"columns": []}}`, "ordered is required"},
		{"both", `{"name": "x_y", "op": "x", "expected": {"columns": []}, "error": "e", "ordered": true}`, "exactly one"},
		{"neither", `{"name": "x_y", "op": "x", "ordered": true}`, "exactly one"},
		{"unknown dtype", head + `{"name": "a", "dtype": "int8", "values": [1]}` + tail, `unknown dtype "int8"`},
		{"string in int", head + `{"name": "a", "dtype": "int64", "values": ["1"]}` + tail, `column "a" row 0`},
		{"fraction in int", head + `{"name": "a", "dtype": "int64", "values": [1.5]}` + tail, "int64 value 1.5"},
		{"int32 range", head + `{"name": "a", "dtype": "int32", "values": [1, 2147483648]}` + tail, "row 1: int32 value 2147483648 out of range"},
		{"bad float word", head + `{"name": "a", "dtype": "float64", "values": ["infinity"]}` + tail, `"infinity"`},
		{"number in bool", head + `{"name": "a", "dtype": "bool", "values": [1]}` + tail, "bool value 1"},
		{"number in string", head + `{"name": "a", "dtype": "string", "values": [1]}` + tail, "string value 1"},
		{"bad timestamp", head + `{"name": "a", "dtype": "timestamp", "values": ["2024-01-02 03:04:05"]}` + tail, "timestamp"},
		{"bad date", head + `{"name": "a", "dtype": "date", "values": ["2024-02-30"]}` + tail, `date "2024-02-30"`},
		{"ragged", head + `{"name": "a", "dtype": "int64", "values": [1, 2]}, {"name": "b", "dtype": "int64", "values": [1]}` + tail,
			`column "b" has 1 values`},
		{"bad args", `{"name": "x_y", "op": "x", "args": [1], "error": "e", "ordered": true}`, "args"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(writeFile(t, t.TempDir(), "c.json", tc.text))
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("err = %v, want ErrFormat containing %q", err, tc.msg)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

func TestLoadAllSortsAndRejectsDuplicates(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string) string {
		return `{"name": "` + name + `", "op": "x", "error": "e", "ordered": true}`
	}
	writeFile(t, dir, "1.json", mk("x_c"))
	writeFile(t, dir, "2.json", mk("x_a"))
	writeFile(t, dir, "3.json", mk("x_b"))
	writeFile(t, dir, "notes.txt", "not a case")
	cases, err := LoadAll(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cases {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, ","); got != "x_a,x_b,x_c" {
		t.Errorf("names = %s", got)
	}
	writeFile(t, dir, "4.json", mk("x_b"))
	if _, err := LoadAll(dir); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `"x_b"`) {
		t.Errorf("duplicate: err = %v", err)
	}
	writeFile(t, dir, "4.json", "{")
	if _, err := LoadAll(dir); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), "4.json") {
		t.Errorf("bad file: err = %v", err)
	}
}

// The committed corpus loads, every table in it becomes a record, and every
// expected table compares equal to its own record.
func TestCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(corpusDir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		c, err := Load(p)
		if err != nil {
			t.Fatal(err)
		}
		if base := strings.TrimSuffix(filepath.Base(p), ".json"); base != c.Name {
			t.Errorf("%s holds case %q", p, c.Name)
		}
	}
	cases, err := LoadAll(corpusDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 100 {
		t.Fatalf("%d cases, want at least 100", len(cases))
	}
	ops := map[string]int{}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	for _, c := range cases {
		ops[c.Op]++
		if !strings.HasPrefix(c.Name, c.Op+"_") {
			t.Errorf("case %q: name does not start with op %q", c.Name, c.Op)
		}
		if c.PandasVersion == "" {
			t.Errorf("case %q: no pandas_version", c.Name)
		}
		if _, ok := c.Inputs["df"]; !ok {
			t.Errorf("case %q: no df input", c.Name)
		}
		tables := map[string]Table{}
		for k, v := range c.Inputs {
			tables["input "+k] = v
			if v.Index != nil {
				tables["index of input "+k] = *v.Index
			}
		}
		if c.Expected != nil {
			tables["expected"] = *c.Expected
			if c.Expected.Index != nil {
				tables["expected index"] = *c.Expected.Index
			}
		}
		for what, tb := range tables {
			rec, err := tb.Record(mem)
			if err != nil {
				t.Errorf("case %q %s: %v", c.Name, what, err)
				continue
			}
			if err := Compare(rec, tb, c.Ordered); err != nil {
				t.Errorf("case %q %s against itself: %v", c.Name, what, err)
			}
			rec.Release()
		}
	}
	for _, op := range []string{"select", "drop", "rename", "with_column", "filter", "sort_values",
		"groupby_agg", "groupby_head", "merge", "concat_rows", "concat_columns", "drop_duplicates", "dropna",
		"fillna", "isna", "astype", "value_counts", "unique", "nunique", "isin", "nlargest", "nsmallest",
		"head", "tail", "describe", "set_index", "loc", "iloc", "reduce"} {
		if ops[op] == 0 {
			t.Errorf("no case for op %q", op)
		}
	}
	mem.AssertSize(t, 0)
}

// The package must stay usable when the engine is broken: it imports only
// the standard library and Arrow.
func TestImportsOnlyStdAndArrow(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			n++
			path, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(path, "/")
			if strings.Contains(first, ".") && !strings.HasPrefix(path, "github.com/apache/arrow/go/v15/") {
				t.Errorf("%s imports %s", f, path)
			}
		}
	}
	if n == 0 {
		t.Fatal("no imports found: the test is not looking at the package")
	}
}
