package csv

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

func TestInference(t *testing.T) {
	data := "i,f,b,s,n,m\n1,1.5,true,x,,1\n-2,2,False,\"y,z\",NA,\n3,1e3,TRUE,,nan,2.5\n"
	got, _ := readString(t, data, DefaultOptions())
	want := "i:int64|f:float64|b:bool|s:utf8|n:float64|m:float64\n" +
		"1|1.5|true|\"x\"|<null>|1\n" +
		"-2|2|false|\"y,z\"|<null>|<null>\n" +
		"3|1000|true|<null>|<null>|2.5\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestBoolWithNumberIsString(t *testing.T) {
	got, _ := readString(t, "a\ntrue\n1\n", DefaultOptions())
	if want := "a:utf8\n\"true\"\n\"1\"\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestQuoting(t *testing.T) {
	data := "a,b\n\"x,1\",\"he said \"\"hi\"\"\"\n\"multi\nline\",\"\"\n\"\",plain\"quote\n"
	got, _ := readString(t, data, DefaultOptions())
	want := "a:utf8|b:utf8\n" +
		"\"x,1\"|\"he said \\\"hi\\\"\"\n" +
		"\"multi\\nline\"|\"\"\n" + // a quoted empty field is the empty string, not null
		"\"\"|\"plain\\\"quote\"\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEscape(t *testing.T) {
	opt := DefaultOptions()
	opt.Escape = '\\'
	got, _ := readString(t, "a,b\n\"x\\\"y\",\"1\\\\2\"\n", opt)
	if want := "a:utf8|b:utf8\n\"x\\\"y\"|\"1\\\\2\"\n"; got != want {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestShapes(t *testing.T) {
	cases := []struct{ name, data, want string }{
		{"header only", "a,b\n", "a:utf8|b:utf8\n"},
		{"header no newline", "a,b", "a:utf8|b:utf8\n"},
		{"one row", "a,b\n1,2\n", "a:int64|b:int64\n1|2\n"},
		{"no trailing newline", "a,b\n1,2\n3,4", "a:int64|b:int64\n1|2\n3|4\n"},
		{"crlf", "a,b\r\n1,x\r\n3,\"y\"\r\n", "a:int64|b:utf8\n1|\"x\"\n3|\"y\"\n"},
		{"bom", "\xEF\xBB\xBFa,b\n1,2\n", "a:int64|b:int64\n1|2\n"},
		{"blank lines", "a,b\n\n1,2\n\r\n3,4\n\n", "a:int64|b:int64\n1|2\n3|4\n"},
		{"trailing empty field", "a,b\n1,\n2,", "a:int64|b:float64\n1|<null>\n2|<null>\n"},
		{"duplicate names", "a,a,b\n1,2,3\n", "a:int64|a.1:int64|b:int64\n1|2|3\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := readString(t, c.data, DefaultOptions())
			if got != c.want {
				t.Fatalf("got %q want %q", got, c.want)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		if err := readErr(t, "", DefaultOptions()); !errors.Is(err, ErrNoColumns) {
			t.Fatalf("err = %v", err)
		}
	})
}

// genCSV makes a file whose string column holds delimiters, quotes and
// newlines, so range cuts land inside quoted fields.
func genCSV(n int, seed int64) string {
	rng := rand.New(rand.NewSource(seed))
	var sb strings.Builder
	sb.WriteString("id,name,x,flag\n")
	words := []string{"a", "b,c", "multi\nline", "q\"uote", "", "long\n\n\ntext,with,commas"}
	for i := 0; i < n; i++ {
		w := words[rng.Intn(len(words))]
		quoted := "\"" + strings.ReplaceAll(w, "\"", "\"\"") + "\""
		x := fmt.Sprintf("%.3f", rng.Float64()*100)
		if rng.Intn(10) == 0 {
			x = ""
		}
		fmt.Fprintf(&sb, "%d,%s,%s,%v\n", i, quoted, x, rng.Intn(2) == 0)
	}
	return sb.String()
}

func TestPartitionsEqualSerial(t *testing.T) {
	data := genCSV(400, 1)
	serialOpt := DefaultOptions()
	serialOpt.Categorical = []string{"name"}
	want, res := readString(t, data, serialOpt)
	if len(res.Records) != 1 {
		t.Fatalf("serial read gave %d records", len(res.Records))
	}
	for _, parts := range []int{1, 2, 16, 100} {
		opt := serialOpt
		opt.ChunkBytes = int64(len(data)/parts + 1)
		opt.Parallelism = 3
		got, res := readString(t, data, opt)
		if got != want {
			t.Fatalf("%d partitions: result differs from the serial read", parts)
		}
		if len(res.Records) != parts {
			t.Fatalf("%d partitions: got %d records", parts, len(res.Records))
		}
		// All records share one sorted dictionary.
		dictBuf := func(r arrow.Record) *memory.Buffer {
			return r.Column(1).(interface{ Dictionary() arrow.Array }).Dictionary().Data().Buffers()[2]
		}
		for _, r := range res.Records {
			if dictBuf(r) != dictBuf(res.Records[0]) {
				t.Fatalf("records do not share the dictionary")
			}
		}
	}
	// Ranges of a few bytes: nearly every cut is inside a record.
	for _, cb := range []int64{1, 3, 7, 50} {
		opt := serialOpt
		opt.ChunkBytes = cb
		if got, _ := readString(t, data, opt); got != want {
			t.Fatalf("ChunkBytes %d: result differs from the serial read", cb)
		}
	}
}

func TestQuotedNewlineStraddlesCut(t *testing.T) {
	// The cut at byte 20 falls inside a quoted field whose newline sits
	// right after the cut, so the speculative start is wrong.
	head := "a,b\n1,\"xxxxxxxxxxx"
	data := head + "\n2,3\n4,5\n6,7\"\n8,9\n"
	for cut := int64(2); cut < int64(len(data)); cut++ {
		opt := DefaultOptions()
		opt.ChunkBytes = cut
		got, _ := readString(t, data, opt)
		want := "a:int64|b:utf8\n1|\"xxxxxxxxxxx\\n2,3\\n4,5\\n6,7\"\n8|\"9\"\n"
		if got != want {
			t.Fatalf("ChunkBytes %d: got\n%s", cut, got)
		}
	}
}

func TestBadLines(t *testing.T) {
	// Line 3's record spans lines 3-4; the bad record starts on line 6.
	data := "a,b,c\n1,2,3\n4,\"x\ny\",6\n7,8,9\n10,11\n12,13,14,15\n16,17,18\n"
	for _, cb := range []int64{0, 4, 9} {
		opt := DefaultOptions()
		opt.ChunkBytes = cb
		err := readErr(t, data, opt)
		if want := "csv: data.csv:6: expected 3 fields, found 2"; err.Error() != want {
			t.Fatalf("ChunkBytes %d: got %q want %q", cb, err, want)
		}
		var le *LineError
		if !errors.Is(err, ErrBadLine) || !errors.As(err, &le) || le.Line != 6 {
			t.Fatalf("error %v does not unwrap", err)
		}

		opt.OnBadLines = Skip
		got, res := readString(t, data, opt)
		if want := "a:int64|b:utf8|c:int64\n1|\"2\"|3\n4|\"x\\ny\"|6\n7|\"8\"|9\n16|\"17\"|18\n"; got != want {
			t.Fatalf("Skip: got\n%s", got)
		}
		if res.Skipped != 2 {
			t.Fatalf("Skipped = %d", res.Skipped)
		}

		var msgs []string
		opt.OnBadLines = Warn
		opt.Warn = func(m string) { msgs = append(msgs, m) }
		got2, res := readString(t, data, opt)
		if got2 != got || res.Skipped != 2 {
			t.Fatalf("Warn: got %s skipped %d", got2, res.Skipped)
		}
		want := []string{"csv: data.csv:6: expected 3 fields, found 2", "csv: data.csv:7: expected 3 fields, found 4"}
		if strings.Join(msgs, ";") != strings.Join(want, ";") {
			t.Fatalf("warnings %q", msgs)
		}
	}
}

func TestLineNumbersWithSkipRowsAndComments(t *testing.T) {
	data := "junk\n# comment\na,b\n# c2\n1,2\n\n3\n"
	opt := DefaultOptions()
	opt.SkipRows = 1
	opt.Comment = '#'
	err := readErr(t, data, opt)
	if want := "csv: data.csv:7: expected 2 fields, found 1"; err.Error() != want {
		t.Fatalf("got %q want %q", err, want)
	}
}

func TestPromotionBeyondSample(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("i,j,k\n")
	for n := 0; n < 5000; n++ {
		fmt.Fprintf(&sb, "%d,%d,true\n", n, n)
	}
	sb.WriteString("1.5,abc,x\n")
	for _, cb := range []int64{0, 1000} {
		opt := DefaultOptions()
		opt.SampleBytes = 100
		opt.ChunkBytes = cb
		got, res := readString(t, sb.String(), opt)
		lines := strings.Split(got, "\n")
		if lines[0] != "i:float64|j:utf8|k:utf8" {
			t.Fatalf("schema %s", lines[0])
		}
		if lines[1] != "0|\"0\"|\"true\"" || lines[5000] != "4999|\"4999\"|\"true\"" || lines[5001] != "1.5|\"abc\"|\"x\"" {
			t.Fatalf("values %q %q %q", lines[1], lines[5000], lines[5001])
		}
		if rows(res) != 5001 {
			t.Fatalf("rows %d", rows(res))
		}
	}
}

func TestOverrideErrors(t *testing.T) {
	data := "a,b\n1,2\n\"x\ny\",3\n4,oops\n"
	opt := DefaultOptions()
	opt.Types = map[string]arrow.DataType{"b": arrow.PrimitiveTypes.Int32}
	opt.ChunkBytes = 5
	err := readErr(t, data, opt)
	want := `csv: data.csv:5: column "b": cannot parse "oops" as int32`
	if err.Error() != want || !errors.Is(err, ErrBadValue) {
		t.Fatalf("got %q want %q", err, want)
	}
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Line != 5 || ve.Column != "b" || ve.Value != "oops" {
		t.Fatalf("ValueError %+v", ve)
	}
	// Out of int32 range is a misfit too.
	opt.Types = map[string]arrow.DataType{"a": arrow.PrimitiveTypes.Int32}
	err = readErr(t, "a\n1\n3000000000\n", opt)
	if want := `csv: data.csv:3: column "a": cannot parse "3000000000" as int32`; err.Error() != want {
		t.Fatalf("got %q", err)
	}
}

func TestTypes(t *testing.T) {
	data := "i32,f32,b,s,c,ts,d,i64\n1,1.5,true,007,x,2024-01-02 03:04:05.5,2024-02-29,9\n,,,,,,,\n-3,2,false,abc,y,2024-01-02T00:00:00Z,1970-01-01,-1\n"
	opt := DefaultOptions()
	opt.Types = map[string]arrow.DataType{
		"i32": arrow.PrimitiveTypes.Int32, "f32": arrow.PrimitiveTypes.Float32,
		"b": arrow.FixedWidthTypes.Boolean, "s": arrow.BinaryTypes.String,
		"c":  &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String},
		"ts": &arrow.TimestampType{Unit: arrow.Nanosecond}, "d": arrow.FixedWidthTypes.Date32,
		"i64": arrow.PrimitiveTypes.Int64,
	}
	got, _ := readString(t, data, opt)
	want := "i32:int32|f32:float32|b:bool|s:utf8|c:dictionary<values=utf8, indices=int32, ordered=false>|ts:timestamp[ns]|d:date32|i64:int64\n" +
		"1|1.5|true|\"007\"|cat:\"x\"|2024-01-02T03:04:05.5|2024-02-29|9\n" +
		"<null>|<null>|<null>|<null>|<null>|<null>|<null>|<null>\n" +
		"-3|2|false|\"abc\"|cat:\"y\"|2024-01-02T00:00:00|1970-01-01|-1\n"
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	opt.Types = map[string]arrow.DataType{"i32": arrow.ListOf(arrow.PrimitiveTypes.Int32)}
	if err := readErr(t, data, opt); !errors.Is(err, ErrOptions) {
		t.Fatalf("err = %v", err)
	}
}

func TestParseDates(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("d,t,z,late\n")
	for i := 0; i < 3000; i++ {
		sb.WriteString("2020-01-01,2020-01-01 10:00:00,2020-01-01T10:00:00+02:00,2021-03-04\n")
	}
	sb.WriteString("2020-12-31,,2020-01-01T00:00:00.123456789Z,2021-03-04 05:06:07\n")
	opt := DefaultOptions()
	opt.ParseDates = []string{"d", "t", "z", "late"}
	opt.SampleBytes = 500 // "late" turns out to be a timestamp after the sample
	opt.ChunkBytes = 4096
	got, _ := readString(t, sb.String(), opt)
	lines := strings.Split(got, "\n")
	if lines[0] != "d:date32|t:timestamp[ns]|z:timestamp[ns, tz=UTC]|late:timestamp[ns]" {
		t.Fatalf("schema %s", lines[0])
	}
	if lines[1] != "2020-01-01|2020-01-01T10:00:00|2020-01-01T08:00:00|2021-03-04T00:00:00" ||
		lines[3001] != "2020-12-31|<null>|2020-01-01T00:00:00.123456789|2021-03-04T05:06:07" {
		t.Fatalf("values %q %q", lines[1], lines[3001])
	}
	opt.ParseDates = []string{"d"}
	err := readErr(t, "d\n2020-01-01\nnot a date\n", opt)
	if want := `csv: data.csv:3: column "d": cannot parse "not a date" as date32`; err.Error() != want {
		t.Fatalf("got %q", err)
	}
}

func TestCategorical(t *testing.T) {
	data := "k,v\nb,1\na,2\n,3\nc,4\nb,5\n"
	opt := DefaultOptions()
	opt.Categorical = []string{"k"}
	opt.ChunkBytes = 6
	got, res := readString(t, data, opt)
	want := "k:dictionary<values=utf8, indices=int32, ordered=false>|v:int64\ncat:\"b\"|1\ncat:\"a\"|2\n<null>|3\ncat:\"c\"|4\ncat:\"b\"|5\n"
	if got != want {
		t.Fatalf("got\n%s", got)
	}
	d := res.Records[0].Column(0).(interface{ Dictionary() arrow.Array }).Dictionary()
	if s := fmt.Sprint(d); s != `["a" "b" "c"]` {
		t.Fatalf("dictionary %s, want sorted", s)
	}
}

func TestAutoCategory(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("low,high\n")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&sb, "k%d,u%d\n", i%3, i)
	}
	opt := DefaultOptions()
	opt.AutoCategoryRatio = 0.1
	_, res := readString(t, sb.String(), opt)
	if res.Schema.Field(0).Type.ID() != arrow.DICTIONARY || res.Schema.Field(1).Type.ID() != arrow.STRING {
		t.Fatalf("schema %s", res.Schema)
	}
}

func TestOptions(t *testing.T) {
	t.Run("delimiter quote names", func(t *testing.T) {
		opt := DefaultOptions()
		opt.Header, opt.Delimiter, opt.Quote = false, ';', '\''
		opt.Names = []string{"x", "y"}
		got, _ := readString(t, "1;'a;b'\n2;c\n", opt)
		if want := "x:int64|y:utf8\n1|\"a;b\"\n2|\"c\"\n"; got != want {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("no header default names", func(t *testing.T) {
		opt := DefaultOptions()
		opt.Header = false
		got, _ := readString(t, "1,2\n3,4\n", opt)
		if want := "column_1:int64|column_2:int64\n1|2\n3|4\n"; got != want {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("rename header", func(t *testing.T) {
		opt := DefaultOptions()
		opt.Names = []string{"p", "q"}
		got, _ := readString(t, "a,b\n1,2\n", opt)
		if want := "p:int64|q:int64\n1|2\n"; got != want {
			t.Fatalf("got %q", got)
		}
		opt.Names = []string{"p"}
		if err := readErr(t, "a,b\n1,2\n", opt); !errors.Is(err, ErrOptions) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("nrows", func(t *testing.T) {
		data := genCSV(300, 2)
		for _, cb := range []int64{0, 100} {
			opt := DefaultOptions()
			opt.ChunkBytes = cb
			all, _ := readString(t, data, opt)
			opt.NRows = 17
			got, res := readString(t, data, opt)
			if rows(res) != 17 {
				t.Fatalf("rows %d", rows(res))
			}
			if want := strings.Join(strings.SplitAfter(all, "\n")[:18], ""); got != want {
				t.Fatalf("NRows rows differ:\n%s\nwant\n%s", got, want)
			}
		}
		// A bad line after NRows rows is not read.
		opt := DefaultOptions()
		opt.NRows = 1
		got, _ := readString(t, "a,b\n1,2\n3\n", opt)
		if got != "a:int64|b:int64\n1|2\n" {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("usecols order", func(t *testing.T) {
		opt := DefaultOptions()
		opt.Columns = []string{"c", "a"}
		got, _ := readString(t, "a,b,c\n1,x,2.5\n", opt)
		if want := "c:float64|a:int64\n2.5|1\n"; got != want {
			t.Fatalf("got %q", got)
		}
		opt.Columns = []string{"a", "zz"}
		err := readErr(t, "a,b,c\n1,x,2.5\n", opt)
		if !errors.Is(err, ErrUnknownColumn) || !strings.Contains(err.Error(), `"zz"; the file's columns are: a, b, c`) {
			t.Fatalf("err %v", err)
		}
	})
	t.Run("na values", func(t *testing.T) {
		opt := DefaultOptions()
		opt.NAValues = []string{"-"}
		got, _ := readString(t, "a,b\n-,NA\n1,\"-\"\n", opt)
		if want := "a:int64|b:utf8\n<null>|\"NA\"\n1|\"-\"\n"; got != want {
			t.Fatalf("got %q", got)
		}
	})
	t.Run("bad options", func(t *testing.T) {
		opt := DefaultOptions()
		opt.Quote = ','
		if err := readErr(t, "a\n1\n", opt); !errors.Is(err, ErrOptions) {
			t.Fatalf("err %v", err)
		}
	})
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCompressedAndFiles(t *testing.T) {
	data := genCSV(200, 3)
	want, _ := readString(t, data, DefaultOptions())
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte(data))
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write([]byte(data))
	zw.Close()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt := DefaultOptions()
	opt.Mem = mem
	opt.ChunkBytes = 500
	for _, f := range []struct {
		name string
		b    []byte
	}{{"d.csv.gz", gz.Bytes()}, {"d.csv.zst", zs.Bytes()}, {"gzip-no-suffix", gz.Bytes()}, {"zstd-no-suffix", zs.Bytes()}} {
		p := writeTemp(t, f.name, f.b)
		res, err := ReadFile(context.Background(), p, opt)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if got := dump(res); got != want {
			t.Fatalf("%s: differs", f.name)
		}
		if res.Bytes != int64(len(f.b)) {
			t.Fatalf("%s: Bytes %d want %d", f.name, res.Bytes, len(f.b))
		}
		res.Release()
	}
	// Several files: one schema (b is int in one file, float in the other).
	p1 := writeTemp(t, "1.csv", []byte("a,b\n1,2\n"))
	p2 := writeTemp(t, "2.csv", []byte("a,b\n3,4.5\n5,6\n"))
	res, err := ReadFiles(context.Background(), []string{p1, p2}, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(res); got != "a:int64|b:float64\n1|2\n3|4.5\n5|6\n" || len(res.Records) != 2 {
		t.Fatalf("got %q", got)
	}
	res.Release()
	p3 := writeTemp(t, "3.csv", []byte("a,c\n1,2\n"))
	if _, err := ReadFiles(context.Background(), []string{p1, p3}, opt); !errors.Is(err, ErrSchemaMismatch) {
		t.Fatalf("err %v", err)
	}
	// Line numbers are per file.
	p4 := writeTemp(t, "4.csv", []byte("a,b\n1,2\n3\n"))
	if _, err := ReadFiles(context.Background(), []string{p2, p4}, opt); err == nil || err.Error() != "csv: "+p4+":3: expected 2 fields, found 1" {
		t.Fatalf("err %v", err)
	}
}

func TestInferSchemaAndProgress(t *testing.T) {
	data := genCSV(500, 4)
	p := writeTemp(t, "d.csv", []byte(data))
	opt := DefaultOptions()
	opt.Columns = []string{"x", "id"}
	s, err := InferSchema(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.String(); got != "schema:\n  fields: 2\n    - x: type=float64, nullable\n    - id: type=int64, nullable" {
		t.Fatalf("schema %s", got)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt.Mem = mem
	opt.ChunkBytes = 1000
	var last, calls int64
	opt.Progress = func(done, total int64) {
		if done < last || total != int64(len(data)) {
			t.Errorf("progress %d/%d after %d", done, total, last)
		}
		last = done
		calls++
	}
	res, err := ReadFile(context.Background(), p, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	if last != int64(len(data)) || calls < 3 {
		t.Fatalf("progress ended at %d after %d calls", last, calls)
	}
	if !res.Schema.Equal(s) {
		t.Fatalf("ReadFile schema %s differs from InferSchema", res.Schema)
	}
}

func TestCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Read(ctx, strings.NewReader(genCSV(100, 5)), "x", DefaultOptions())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
}
