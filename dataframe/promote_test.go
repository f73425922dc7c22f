package dataframe

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra/source"
	"github.com/shoaldata/shoal/io/csv"
)

// TestReadCSVPromotesBeyondTheSample reads a file whose only float sits
// far past the schema sample: the column must come back float64.
func TestReadCSVPromotesBeyondTheSample(t *testing.T) {
	var b strings.Builder
	b.WriteString("n\n")
	for i := range 200000 {
		fmt.Fprintf(&b, "%d\n", i)
		if i == 77777 { // between the sample's windows
			b.WriteString("0.5\n")
		}
	}
	path := filepath.Join(t.TempDir(), "late.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	opt := csv.DefaultOptions()
	opt.SampleBytes = 1024
	df, err := ReadCSV(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := df.Dtypes(); len(got) != 1 || got[0] != "float64" {
		t.Errorf("dtypes %v, want [float64]", got)
	}
	sum, _, err := df.Series("n").Sum(context.Background())
	if want := float64(199999*200000/2) + 0.5; err != nil || sum != want {
		t.Errorf("sum %v, %v; want %v", sum, err, want)
	}
}

// lateCSV writes a file whose sample (SampleBytes 1024) sees only integers,
// with a float in column n at line 77780 and a string in column k at line
// 150004, both between the sample's windows.
func lateCSV(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("n,k\n")
	for i := range 200000 {
		fmt.Fprintf(&b, "%d,%d\n", i, i%7)
		switch i {
		case 77777:
			b.WriteString("0.5,3\n")
		case 150000:
			b.WriteString("7,x\n")
		}
	}
	path := filepath.Join(t.TempDir(), "late.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestScanCSVValueBeyondTheSample: a lazy scan cannot promote its planned
// schema, so the late float is an error naming where it is and the fixes;
// each fix then gives ReadCSV's frame.
func TestScanCSVValueBeyondTheSample(t *testing.T) {
	ctx := context.Background()
	path := lateCSV(t)
	opt := csv.DefaultOptions()
	opt.SampleBytes = 1024

	eager, err := ReadCSV(ctx, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(eager.Dtypes()); got != "[float64 object]" {
		t.Fatalf("ReadCSV dtypes %s, want [float64 object]", got)
	}
	want, err := eager.ToRecords(ctx)
	if err != nil {
		t.Fatal(err)
	}

	lazy, err := ScanCSV(ctx, path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(lazy.Dtypes()); got != "[int64 int64]" {
		t.Fatalf("sampled dtypes %s, want [int64 int64]: the late values are not between the windows", got)
	}
	_, err = lazy.Collect(ctx)
	wantErr := fmt.Sprintf(`exec: scan csv %[1]s: source: %[1]s:77780: column "n": value "0.5" does not fit int64, `+
		`the type inferred from a 1024-byte sample; give the column a type (csv.Options.Types["n"]) `+
		`or infer from the whole file (csv.Options.SampleBytes = csv.WholeFile)`, path)
	if err == nil || err.Error() != wantErr {
		t.Fatalf("Collect: %v\nwant %s", err, wantErr)
	}
	var se *source.SampleError
	if !errors.As(err, &se) || !errors.Is(err, csv.ErrBadValue) || se.Line != 77780 || se.Type != "int64" {
		t.Errorf("Collect's error %#v is not a SampleError at line 77780 matching csv.ErrBadValue", err)
	}
	// Only the columns a query reads are checked: k alone fails at its own
	// line.
	_, err = lazy.Select("k").Collect(ctx)
	wantErr = fmt.Sprintf(`exec: scan csv %[1]s: source: %[1]s:150004: column "k": value "x" does not fit int64, `+
		`the type inferred from a 1024-byte sample; give the column a type (csv.Options.Types["k"]) `+
		`or infer from the whole file (csv.Options.SampleBytes = csv.WholeFile)`, path)
	if err == nil || err.Error() != wantErr {
		t.Errorf("Collect k: %v\nwant %s", err, wantErr)
	}

	// A type the caller gave is the caller's: its misfit is the reader's
	// plain error, with no advice about samples.
	given := opt
	given.Types = map[string]arrow.DataType{"n": arrow.PrimitiveTypes.Int64}
	lazy, err = ScanCSV(ctx, path, given)
	if err != nil {
		t.Fatal(err)
	}
	_, err = lazy.Select("n").Collect(ctx)
	wantErr = fmt.Sprintf(`exec: scan csv %[1]s: csv: %[1]s:77780: column "n": cannot parse "0.5" as int64`, path)
	if err == nil || err.Error() != wantErr || errors.As(err, &se) {
		t.Errorf("Collect with a given type: %v\nwant %s", err, wantErr)
	}

	whole := opt
	whole.SampleBytes = csv.WholeFile
	typed := opt
	typed.Types = map[string]arrow.DataType{"n": arrow.PrimitiveTypes.Float64, "k": arrow.BinaryTypes.String}
	for name, o := range map[string]csv.Options{"WholeFile": whole, "Types": typed} {
		lazy, err := ScanCSV(ctx, path, o)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := fmt.Sprint(lazy.Dtypes()); got != "[float64 object]" {
			t.Errorf("%s: dtypes %s, want [float64 object]", name, got)
		}
		got, err := lazy.ToRecords(ctx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the scan's rows differ from ReadCSV's", name)
		}
		if len(got) != 200002 || got[77778][0] != 0.5 || got[150002][1] != "x" {
			t.Errorf("%s: %d rows, row 77778 %v, row 150002 %v", name, len(got), got[77778], got[150002])
		}
	}

	// ReadCSV honours WholeFile too, with the same frame.
	eagerWhole, err := ReadCSV(ctx, path, whole)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := eagerWhole.ToRecords(ctx); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("ReadCSV with WholeFile differs from ReadCSV: %v", err)
	}
}
