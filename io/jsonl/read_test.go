package jsonl

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

func TestReadInference(t *testing.T) {
	cases := []struct {
		name, in, schema string
		rows             []string
	}{{
		name:   "missing keys and key order",
		in:     `{"a":1,"b":"x"}` + "\n" + `{"b":"y","c":true}` + "\n" + `{"c":false,"a":-3}` + "\n",
		schema: "a:int64,b:utf8,c:bool",
		rows:   []string{`1|x|(null)`, `(null)|y|true`, `-3|(null)|false`},
	}, {
		name:   "promotion bool int float string",
		in:     `{"b":true,"i":1,"f":1,"s":1}` + "\n" + `{"b":false,"i":false,"f":2.5,"s":"x"}` + "\n" + `{"b":null,"i":7,"f":1e2,"s":true}` + "\n",
		schema: "b:bool,i:int64,f:float64,s:utf8",
		rows:   []string{`true|1|1|1`, `false|0|2.5|x`, `(null)|7|100|true`},
	}, {
		name:   "nested values are raw JSON text",
		in:     `{"o":{"x": [1, {"y":null}]},"l":[]}` + "\n" + `{"o":"plain","l":[1,"a"]}`,
		schema: "o:utf8,l:utf8",
		rows:   []string{`{"x": [1, {"y":null}]}|[]`, `plain|[1,"a"]`},
	}, {
		name:   "all null key is a utf8 column of nulls",
		in:     `{"a":null,"b":1}` + "\n" + `{"b":2}`,
		schema: "a:utf8,b:int64",
		rows:   []string{`(null)|1`, `(null)|2`},
	}, {
		name:   "int beyond int64 is a float; strings keep their text",
		in:     `{"n":9223372036854775807,"s":"1.50"}` + "\n" + `{"n":9223372036854775808,"s":-0}`,
		schema: "n:float64,s:utf8",
		rows:   []string{`9.223372036854776e+18|1.50`, `9.223372036854776e+18|-0`},
	}, {
		name:   "escapes, unicode, CRLF, blank lines, no trailing newline",
		in:     "{\"s\":\"a\\\"b\\\\c\\n\\u00e9\\ud83d\\ude00\\/\"}\r\n\r\n   \n{\"s\":\"\\ud800x\",\"\\u006b\":1}\r\n{\"s\":\"\xff\"}",
		schema: "s:utf8,k:int64",
		rows:   []string{"a\"b\\c\né😀/|(null)", "\ufffdx|1", "\ufffd|(null)"},
	}, {
		name:   "empty object",
		in:     "{}\n{\"a\":1}\n{ }",
		schema: "a:int64",
		rows:   []string{`(null)`, `1`, `(null)`},
	}}
	for _, c := range cases {
		for cname, opt := range chunkings(c.in) {
			t.Run(c.name+"/"+cname, func(t *testing.T) {
				schema, got, skipped := readString(t, c.in, opt)
				if schema != c.schema {
					t.Fatalf("schema %s, want %s", schema, c.schema)
				}
				if skipped != 0 {
					t.Fatalf("skipped %d", skipped)
				}
				equalRows(t, got, c.rows)
			})
		}
	}
}

// TestPromotionBeyondSample puts the values that widen a column, and a
// new key, far past a small sample: the schema is the one of the whole
// input, the same at every chunking.
func TestPromotionBeyondSample(t *testing.T) {
	var sb strings.Builder
	var want []string
	for i := 0; i < 3000; i++ {
		switch i {
		case 1717:
			sb.WriteString(`{"x":0.5,"y":true,"z":"late"}` + "\n")
			want = append(want, "0.5|true|late")
		case 2500:
			sb.WriteString(`{"y":"s","x":12345678901}` + "\n")
			want = append(want, "1.2345678901e+10|s|(null)")
		default:
			fmt.Fprintf(&sb, `{"x":%d,"y":%t}`+"\n", i, i%2 == 0)
			want = append(want, fmt.Sprintf("%d|%t|(null)", i, i%2 == 0))
		}
	}
	in := sb.String()
	for cname, opt := range chunkings(in) {
		t.Run(cname, func(t *testing.T) {
			opt.SampleLines = 10
			schema, got, _ := readString(t, in, opt)
			if schema != "x:float64,y:utf8,z:utf8" {
				t.Fatalf("schema %s", schema)
			}
			equalRows(t, got, want)
		})
	}
}

func TestReadTypes(t *testing.T) {
	ny := &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "America/New_York"}
	types := map[string]arrow.DataType{
		"ts":  &arrow.TimestampType{Unit: arrow.Microsecond},
		"tz":  ny,
		"d":   arrow.FixedWidthTypes.Date32,
		"i8":  arrow.PrimitiveTypes.Int8,
		"u16": arrow.PrimitiveTypes.Uint16,
		"f32": arrow.PrimitiveTypes.Float32,
		"s":   arrow.BinaryTypes.String,
		"cat": &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String},
	}
	in := `{"ts":"2024-03-01T12:30:00.5Z","tz":"2024-03-01 12:00:00","d":"2024-03-01","i8":-128,"u16":65535,"f32":0.25,"s":5,"cat":"a"}` + "\n" +
		`{"ts":"2024-03-01T12:30:00+02:00","tz":"2024-07-01T00:00:00Z","d":19000,"i8":null,"u16":0,"f32":3,"s":{"k":1},"cat":"b"}` + "\n" +
		`{"ts":1000000,"cat":"a"}` + "\n"
	for cname, opt := range chunkings(in) {
		t.Run(cname, func(t *testing.T) {
			opt.Types = types
			schema, got, _ := readString(t, in, opt)
			want := "ts:timestamp[us],tz:timestamp[ms, tz=America/New_York],d:date32,i8:int8,u16:uint16,f32:float32,s:utf8,cat:dictionary<values=utf8, indices=int32, ordered=false>"
			if schema != want {
				t.Fatalf("schema %s\nwant   %s", schema, want)
			}
			// A naive string is read in the column's zone (ValueStr shows
			// instants in the column's zone too).
			equalRows(t, got, []string{
				"2024-03-01 12:30:00.5Z|2024-03-01 12:00:00-0500|2024-03-01|-128|65535|0.25|5|a",
				`2024-03-01 10:30:00Z|2024-06-30 20:00:00-0400|2022-01-08|(null)|0|3|{"k":1}|b`,
				"1970-01-01 00:00:01Z|(null)|(null)|(null)|(null)|(null)|(null)|a",
			})
		})
	}
}

func TestBadLines(t *testing.T) {
	good := `{"a":1,"b":"x"}` + "\n"
	cases := []struct {
		name, bad, msg string
		types          map[string]arrow.DataType
	}{
		{"syntax", `{"a":1,}`, `invalid character '}', want '"' starting a key at byte 8`, nil},
		{"not an object", `[1,2]`, "line is not a JSON object at byte 1", nil},
		{"text after", `{"a":1} x`, "text after the object at byte 9", nil},
		{"duplicate key", `{"a":1,"a":2}`, `duplicate key "a"`, nil},
		{"duplicate new key", `{"n":1,"n":2}`, `duplicate key "n"`, nil},
		{"unterminated", `{"a":"x`, "unterminated string at byte 8", nil},
		{"bad escape", `{"a":"\q"}`, "invalid escape at byte 7", nil},
		{"bad nested", `{"a":[1,]}`, "invalid character ']', want a value at byte 9", nil},
		{"bad number", `{"a":01}`, "invalid character '1', want ',' or '}' at byte 7", nil},
		{"type", `{"a":"abc"}`, `key "a": value "abc" does not fit int32`, map[string]arrow.DataType{"a": arrow.PrimitiveTypes.Int32}},
		{"range", `{"a":300}`, `key "a": value 300 does not fit uint8: out of range`, map[string]arrow.DataType{"a": arrow.PrimitiveTypes.Uint8}},
		{"timestamp", `{"t":"yesterday"}`, `key "t": value "yesterday" does not fit timestamp[s]`, map[string]arrow.DataType{"t": &arrow.TimestampType{Unit: arrow.Second}}},
	}
	for _, c := range cases {
		// The bad line is line 40 of 100; another at 90 must not be the
		// one reported, whatever the chunking.
		var sb strings.Builder
		for i := 1; i <= 100; i++ {
			if i == 40 || i == 90 {
				sb.WriteString(c.bad + "\n")
			} else {
				sb.WriteString(good)
			}
		}
		in := sb.String()
		for cname, opt := range chunkings(in) {
			t.Run(c.name+"/"+cname, func(t *testing.T) {
				opt.Types = c.types
				err := readErr(t, in, opt)
				var bad *BadLineError
				if !errors.Is(err, ErrBadLine) || !errors.As(err, &bad) || bad.Line != 40 {
					t.Fatalf("err = %v, want a bad line 40", err)
				}
				if want := "jsonl: in.jsonl:40: " + c.msg; !strings.HasPrefix(err.Error(), want) {
					t.Fatalf("err = %v\nwant prefix %s", err, want)
				}
				opt.OnBadLines = Skip
				schema, got, skipped := readString(t, in, opt)
				if skipped != 2 || len(got) != 98 {
					t.Fatalf("skipped %d, %d rows", skipped, len(got))
				}
				if c.types == nil && schema != "a:int64,b:utf8" {
					t.Fatalf("schema %s: a skipped line must not widen", schema)
				}
			})
		}
	}
}

// TestSkippedLineDoesNotWiden: a line skipped for a given type's sake
// must not widen the other columns, at any chunking.
func TestSkippedLineDoesNotWiden(t *testing.T) {
	in := strings.Repeat(`{"a":1,"g":2}`+"\n", 50) + `{"a":1.5,"g":"x","new":1}` + "\n" + strings.Repeat(`{"a":1,"g":2}`+"\n", 50)
	for cname, opt := range chunkings(in) {
		t.Run(cname, func(t *testing.T) {
			opt.Types = map[string]arrow.DataType{"g": arrow.PrimitiveTypes.Int64}
			opt.OnBadLines = Skip
			opt.SampleLines = 3
			schema, got, skipped := readString(t, in, opt)
			if schema != "a:int64,g:int64" || skipped != 1 || len(got) != 100 {
				t.Fatalf("schema %s, skipped %d, %d rows", schema, skipped, len(got))
			}
		})
	}
}

func TestReadEmpty(t *testing.T) {
	for _, in := range []string{"", "\n\n", "  \r\n"} {
		schema, got, _ := readString(t, in, Options{})
		if schema != "" || len(got) != 0 {
			t.Fatalf("%q: schema %q, %d rows", in, schema, len(got))
		}
	}
	// All lines bad and skipped: no rows, no records.
	schema, got, skipped := readString(t, "x\ny\n", Options{OnBadLines: Skip})
	if schema != "" || len(got) != 0 || skipped != 2 {
		t.Fatalf("schema %q, %d rows, skipped %d", schema, len(got), skipped)
	}
}

func TestProjection(t *testing.T) {
	in := `{"a":1,"b":"x","c":true}` + "\n" + `{"c":false,"b":"y","a":2.5}` + "\n" + `{"a":3,"b":{"bad":[}` + "\n"
	for cname, opt := range chunkings(in) {
		t.Run(cname, func(t *testing.T) {
			// Unprojected keys are still checked for grammar.
			opt.Columns = []string{"c", "a"}
			err := readErr(t, in, opt)
			if !errors.Is(err, ErrBadLine) || !strings.HasPrefix(err.Error(), "jsonl: in.jsonl:3:") {
				t.Fatalf("err = %v", err)
			}
			in2 := in[:strings.LastIndex(in[:len(in)-1], "\n")+1]
			schema, got, _ := readString(t, in2, opt)
			if schema != "c:bool,a:float64" {
				t.Fatalf("schema %s", schema)
			}
			equalRows(t, got, []string{"true|1", "false|2.5"})

			opt.Columns = []string{"a", "nope"}
			if err := readErr(t, in2, opt); !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), `"nope"`) {
				t.Fatalf("err = %v", err)
			}
			opt.Types = map[string]arrow.DataType{"nope": arrow.PrimitiveTypes.Int16}
			schema, got, _ = readString(t, in2, opt)
			if schema != "a:float64,nope:int16" {
				t.Fatalf("schema %s", schema)
			}
			equalRows(t, got, []string{"1|(null)", "2.5|(null)"})
		})
	}
}

func TestReadFileErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.jsonl")
	os.WriteFile(path, []byte(`{"a":1}`+"\n"+`{"a":`+"\n"), 0o644)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	_, err := ReadFile(context.Background(), path, Options{Mem: mem})
	if err == nil || !strings.HasPrefix(err.Error(), "jsonl: "+path+":2: ") {
		t.Fatalf("err = %v", err)
	}
	missing := filepath.Join(dir, "missing.jsonl")
	if _, err := ReadFile(context.Background(), missing, Options{}); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("err = %v", err)
	}
	if _, err := ReadFile(context.Background(), path, Options{Types: map[string]arrow.DataType{"a": arrow.ListOf(arrow.PrimitiveTypes.Int8)}}); !errors.Is(err, ErrUnsupportedType) {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	os.WriteFile(path, []byte(strings.Repeat(`{"a":1}`+"\n", 5000)), 0o644)
	if _, err := ReadFile(ctx, path, Options{Mem: mem, ChunkBytes: 1000}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	res, err := ReadFile(context.Background(), path, Options{Mem: mem, ChunkBytes: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if n := len(rows(res.Records)); n != 5000 || len(res.Records) < 30 {
		t.Fatalf("%d rows in %d records", n, len(res.Records))
	}
}
