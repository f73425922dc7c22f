package csv

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
)

// lateData has 20000 rows whose late values (a float in n, a string in k,
// a timestamp in d) lie far past a 512-byte sample's windows, among quoted
// fields holding newlines, blank and comment lines.
func lateData() string {
	var b strings.Builder
	b.WriteString("# a comment before the header\nn,k,s,d\n")
	for i := range 20000 {
		n, k, d := fmt.Sprint(i), fmt.Sprint(i%7), "2024-01-02"
		switch i {
		case 7777:
			n = "0.5"
		case 15001:
			k = `"x"`
		case 17003:
			d = "2024-01-02 03:04:05"
		}
		fmt.Fprintf(&b, "%s,%s,\"line %d\nnext \"\"q\"\", %d\",%s\n", n, k, i, i, d)
		if i%1000 == 0 {
			b.WriteString("\n# comment\n")
		}
	}
	return b.String()
}

// TestInferSchemaWholeFile: WholeFile sees every value, across any cut of
// the reading buffer, and gives ReadFile's schema; a sample does not.
func TestInferSchemaWholeFile(t *testing.T) {
	ctx := context.Background()
	data := lateData()
	p := writeTemp(t, "late.csv", []byte(data))
	opt := DefaultOptions()
	opt.Comment = '#'
	opt.ParseDates = []string{"d"}
	opt.SampleBytes = 512
	s, err := InferSchemaFiles(ctx, []string{p}, opt)
	if err != nil {
		t.Fatal(err)
	}
	const sampled = "n:int64|k:int64|s:utf8|d:date32"
	if got := fields(s.Fields()); got != sampled {
		t.Fatalf("sampled schema %s, want %s", got, sampled)
	}
	res, err := ReadFile(ctx, p, opt)
	if err != nil {
		t.Fatal(err)
	}
	res.Release()
	const whole = "n:float64|k:utf8|s:utf8|d:timestamp[ns]"
	if got := fields(res.Schema.Fields()); got != whole {
		t.Fatalf("ReadFile schema %s, want %s", got, whole)
	}
	defer func(n int) { sampleChunk = n }(sampleChunk)
	opt.SampleBytes = WholeFile
	for _, chunk := range []int{1, 2, 3, 16, 1000, 4 << 20} {
		sampleChunk = chunk
		s, err := InferSchemaFiles(ctx, []string{p}, opt)
		if err != nil {
			t.Fatalf("chunk %d: %v", chunk, err)
		}
		if got := fields(s.Fields()); got != whole {
			t.Errorf("chunk %d: schema %s, want %s", chunk, got, whole)
		}
	}
	// Any negative value means the whole file.
	opt.SampleBytes = -7
	if s, err := InferSchemaFiles(ctx, []string{p}, opt); err != nil || fields(s.Fields()) != whole {
		t.Errorf("SampleBytes -7: %v, %v", s, err)
	}
}

// TestInferSchemaFiles joins the kinds of every file, as ReadFiles does.
func TestInferSchemaFiles(t *testing.T) {
	ctx := context.Background()
	a := writeTemp(t, "a.csv", []byte("x,y\n1,true\n2,false\n"))
	b := writeTemp(t, "b.csv", []byte("x,y\n3.5,true\n"))
	c := writeTemp(t, "c.csv", []byte("x,z\n1,2\n"))
	s, err := InferSchemaFiles(ctx, []string{a, b}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if got := fields(s.Fields()); got != "x:float64|y:bool" {
		t.Errorf("schema %s, want x:float64|y:bool", got)
	}
	_, err = InferSchemaFiles(ctx, []string{a, c}, DefaultOptions())
	want := fmt.Sprintf(`csv: files have different columns: %s has ["x" "y"], %s has ["x" "z"]`, a, c)
	if !errors.Is(err, ErrSchemaMismatch) || err.Error() != want {
		t.Errorf("mismatch: %v, want %s", err, want)
	}
	if _, err := InferSchemaFiles(ctx, nil, DefaultOptions()); err == nil || err.Error() != "csv: invalid options: no files" {
		t.Errorf("no files: %v", err)
	}
}

// fields renders a schema's fields as "name:type|...".
func fields(fs []arrow.Field) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Name + ":" + f.Type.String()
	}
	return strings.Join(parts, "|")
}
