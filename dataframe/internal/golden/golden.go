package golden

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrFormat reports a case file or Table that does not follow the format:
// an unknown dtype, a value of the wrong kind, columns of unequal length.
var ErrFormat = errors.New("golden: bad case")

// The dtypes a Column may have.
const (
	Int64     = "int64"
	Int32     = "int32"
	Float64   = "float64"
	Float32   = "float32"
	Bool      = "bool"
	String    = "string"
	Category  = "category"  // values are the category strings
	Timestamp = "timestamp" // "2024-01-02T03:04:05[.fffffffff]", ns, no zone
	Date      = "date"      // "2024-01-02"
)

// Column is one named column of a Table.
//
// Values holds one entry per row: nil for a missing value, else int64 for
// int64 and int32, float64 for float64 and float32 (±Inf allowed; NaN is
// read as missing), bool, and string for string, category, timestamp and
// date (in the layouts above). Load produces exactly these types; Record
// and Compare also accept int and float32 where an int64 or float64 is due,
// for hand-written tables.
type Column struct {
	Name   string
	Dtype  string
	Values []any
}

// Table is a case's input or expected frame. Index, when not nil, holds
// pandas' row labels as columns (a level's Name is "" when pandas' level
// has no name); it is nil where the labels are the default 0..n-1.
type Table struct {
	Columns []Column
	Index   *Table
}

// NumRows is the length of the first column, 0 for a table with none.
func (t Table) NumRows() int {
	if len(t.Columns) == 0 {
		return 0
	}
	return len(t.Columns[0].Values)
}

// Case is one golden case: an op applied to Inputs ("df", and "right" for
// two-frame ops) with Args, and either the Expected table or the substring
// Error that Shoal's error must contain when pandas raised. Ordered is false
// when pandas' row order is not part of the contract; Compare then matches
// rows as a multiset.
//
// Args is the decoded "args" object with JSON numbers made int64 when they
// are written without a fraction or exponent and float64 otherwise, so
// ["lit", 1] and ["lit", 1.0] stay distinct; other values are as
// encoding/json decodes them (string, bool, nil, []any, map[string]any).
type Case struct {
	Name, Op, PandasVersion, Note string
	Args                          map[string]any
	Inputs                        map[string]Table
	Expected                      *Table
	Error                         string
	Ordered                       bool
}

type rawCase struct {
	Name          string              `json:"name"`
	Op            string              `json:"op"`
	PandasVersion string              `json:"pandas_version"`
	Note          string              `json:"note"`
	Inputs        map[string]rawTable `json:"inputs"`
	Args          json.RawMessage     `json:"args"`
	Expected      *rawTable           `json:"expected"`
	Error         *string             `json:"error"`
	Ordered       *bool               `json:"ordered"`
}

type rawTable struct {
	Columns []rawColumn `json:"columns"`
	Index   *rawIndex   `json:"index"`
}

type rawIndex struct {
	Names   []*string   `json:"names"`
	Columns []rawColumn `json:"columns"`
}

type rawColumn struct {
	Name   *string           `json:"name"`
	Dtype  string            `json:"dtype"`
	Values []json.RawMessage `json:"values"`
}

// Load reads one case file. It checks the whole case against the format
// (dtypes, values, equal column lengths, exactly one of expected and error)
// so that a test fails on a bad file, not on a confusing mismatch.
func Load(path string) (*Case, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("golden: %w", err)
	}
	c, err := parseCase(data)
	if err != nil {
		return nil, fmt.Errorf("golden: %s: %w", path, err)
	}
	return c, nil
}

// LoadAll loads every *.json file in dir, sorted by case name. Two cases
// with one name are an error.
func LoadAll(dir string) ([]*Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("golden: %w", err)
	}
	cases := make([]*Case, 0, len(paths))
	for _, p := range paths {
		c, err := Load(p)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	sort.Slice(cases, func(i, j int) bool { return cases[i].Name < cases[j].Name })
	for i := 1; i < len(cases); i++ {
		if cases[i].Name == cases[i-1].Name {
			return nil, fmt.Errorf("%w: two cases named %q in %s", ErrFormat, cases[i].Name, dir)
		}
	}
	return cases, nil
}

func parseCase(data []byte) (*Case, error) {
	var rc rawCase
	if err := json.Unmarshal(data, &rc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if rc.Name == "" || rc.Op == "" {
		return nil, fmt.Errorf("%w: name and op are required", ErrFormat)
	}
	if rc.Ordered == nil {
		return nil, fmt.Errorf("%w: ordered is required", ErrFormat)
	}
	if (rc.Expected == nil) == (rc.Error == nil) {
		return nil, fmt.Errorf("%w: need exactly one of expected and error", ErrFormat)
	}
	c := &Case{Name: rc.Name, Op: rc.Op, PandasVersion: rc.PandasVersion, Note: rc.Note,
		Ordered: *rc.Ordered, Inputs: make(map[string]Table, len(rc.Inputs))}
	for name, rt := range rc.Inputs {
		t, err := rt.table()
		if err != nil {
			return nil, fmt.Errorf("input %q: %w", name, err)
		}
		c.Inputs[name] = t
	}
	if rc.Expected != nil {
		t, err := rc.Expected.table()
		if err != nil {
			return nil, fmt.Errorf("expected: %w", err)
		}
		c.Expected = &t
	} else {
		c.Error = *rc.Error
	}
	args, err := parseArgs(rc.Args)
	if err != nil {
		return nil, err
	}
	c.Args = args
	return c, nil
}

func parseArgs(raw json.RawMessage) (map[string]any, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%w: args: %w", ErrFormat, err)
	}
	for k, v := range m {
		nv, err := numbers(v)
		if err != nil {
			return nil, fmt.Errorf("%w: args %q: %w", ErrFormat, k, err)
		}
		m[k] = nv
	}
	return m, nil
}

// numbers replaces the json.Numbers in v by int64 or float64, by how the
// number was written.
func numbers(v any) (any, error) {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !strings.ContainsAny(s, ".eE") {
			return strconv.ParseInt(s, 10, 64)
		}
		return strconv.ParseFloat(s, 64)
	case []any:
		for i, e := range x {
			ne, err := numbers(e)
			if err != nil {
				return nil, err
			}
			x[i] = ne
		}
	case map[string]any:
		for k, e := range x {
			ne, err := numbers(e)
			if err != nil {
				return nil, err
			}
			x[k] = ne
		}
	}
	return v, nil
}

func (rt rawTable) table() (Table, error) {
	t := Table{Columns: make([]Column, len(rt.Columns))}
	for i, rc := range rt.Columns {
		c, err := rc.column("")
		if err != nil {
			return Table{}, err
		}
		t.Columns[i] = c
	}
	if rt.Index != nil {
		ix := Table{Columns: make([]Column, len(rt.Index.Columns))}
		for i, rc := range rt.Index.Columns {
			name := ""
			if i < len(rt.Index.Names) && rt.Index.Names[i] != nil {
				name = *rt.Index.Names[i]
			}
			c, err := rc.column(name)
			if err != nil {
				return Table{}, fmt.Errorf("index: %w", err)
			}
			ix.Columns[i] = c
		}
		t.Index = &ix
	}
	if err := t.check(); err != nil {
		return Table{}, err
	}
	return t, nil
}

func (rc rawColumn) column(defName string) (Column, error) {
	c := Column{Name: defName, Dtype: rc.Dtype, Values: make([]any, len(rc.Values))}
	if rc.Name != nil {
		c.Name = *rc.Name
	}
	for i, raw := range rc.Values {
		v, err := decodeValue(rc.Dtype, raw)
		if err != nil {
			return Column{}, fmt.Errorf("%w: column %q row %d: %w", ErrFormat, c.Name, i, err)
		}
		c.Values[i] = v
	}
	return c, nil
}

func decodeValue(dtype string, raw json.RawMessage) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	switch dtype {
	case Int64, Int32:
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s value %s", dtype, raw)
		}
		if dtype == Int32 && (n < math.MinInt32 || n > math.MaxInt32) {
			return nil, fmt.Errorf("int32 value %d out of range", n)
		}
		return n, nil
	case Float64, Float32:
		var s string
		if json.Unmarshal(raw, &s) == nil {
			switch s {
			case "inf":
				return math.Inf(1), nil
			case "-inf":
				return math.Inf(-1), nil
			case "nan":
				return nil, nil
			}
			return nil, fmt.Errorf("%s value %q", dtype, s)
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return nil, fmt.Errorf("%s value %s", dtype, raw)
		}
		return f, nil
	case Bool:
		var b bool
		if err := json.Unmarshal(raw, &b); err != nil {
			return nil, fmt.Errorf("bool value %s", raw)
		}
		return b, nil
	case String, Category, Timestamp, Date:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("%s value %s", dtype, raw)
		}
		if dtype == Timestamp {
			if _, err := parseTimestamp(s); err != nil {
				return nil, err
			}
		}
		if dtype == Date {
			if _, err := parseDate(s); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	return nil, fmt.Errorf("unknown dtype %q", dtype)
}

// check reports columns of unequal length and unknown dtypes.
func (t Table) check() error {
	n := t.NumRows()
	for _, c := range t.Columns {
		if !knownDtype(c.Dtype) {
			return fmt.Errorf("%w: column %q: unknown dtype %q", ErrFormat, c.Name, c.Dtype)
		}
		if len(c.Values) != n {
			return fmt.Errorf("%w: column %q has %d values, column %q has %d",
				ErrFormat, c.Name, len(c.Values), t.Columns[0].Name, n)
		}
	}
	if t.Index != nil {
		if err := t.Index.check(); err != nil {
			return fmt.Errorf("index: %w", err)
		}
		if len(t.Index.Columns) > 0 && t.Index.NumRows() != n {
			return fmt.Errorf("%w: index has %d rows, columns %d", ErrFormat, t.Index.NumRows(), n)
		}
	}
	return nil
}

func knownDtype(d string) bool {
	switch d {
	case Int64, Int32, Float64, Float32, Bool, String, Category, Timestamp, Date:
		return true
	}
	return false
}

const (
	timestampLayout = "2006-01-02T15:04:05.999999999"
	dateLayout      = "2006-01-02"
	nsPerDay        = 86400 * int64(time.Second)
)

// parseTimestamp returns ns since the Unix epoch of a zone-less timestamp.
func parseTimestamp(s string) (int64, error) {
	t, err := time.Parse(timestampLayout, s)
	if err != nil {
		return 0, fmt.Errorf("timestamp %q: want %s", s, timestampLayout)
	}
	return t.UnixNano(), nil
}

// parseDate returns days since the Unix epoch.
func parseDate(s string) (int64, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return 0, fmt.Errorf("date %q: want %s", s, dateLayout)
	}
	return t.Unix() / 86400, nil
}

func formatTimestamp(ns int64) string {
	return time.Unix(0, ns).UTC().Format(timestampLayout)
}

func formatDate(days int64) string {
	return time.Unix(days*86400, 0).UTC().Format(dateLayout)
}

// asInt64 and asFloat64 accept the Go types a hand-written Table may hold.
func asInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int64:
		return x, true
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	}
	return 0, false
}

func asFloat64(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case float32:
		return float64(x), true
	}
	if n, ok := asInt64(v); ok {
		return float64(n), true
	}
	return 0, false
}
