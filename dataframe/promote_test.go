package dataframe

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
