package h2o

import (
	"math"
	"os"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// TestReadAnchorFile loads the 1e7-row file the pandas anchors read (made
// by gen_h2o.py; 0.5 GB, not in the repository), named by $SHOAL_H2O_G1,
// e.g. /tmp/h2o/G1_1e7_1e2.csv, and checks its size and checksums against
// h2o.md's reference figures.
func TestReadAnchorFile(t *testing.T) {
	path := os.Getenv("SHOAL_H2O_G1")
	if path == "" {
		t.Skip("set SHOAL_H2O_G1 to a G1_1e7_1e2 CSV file (gen_h2o.py groupby 1e7 100 FILE) to check loading it")
	}
	if _, err := os.Stat(path); err != nil {
		t.Skipf("cannot check loading the anchor file: %v", err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	start := time.Now()
	rec, err := ReadGroupByCSV(path, mem)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(start)
	defer rec.Release()
	if rec.NumRows() != 10_000_000 {
		t.Fatalf("%d rows, want 1e7", rec.NumRows())
	}
	var s1, s2 int64
	for _, v := range rec.Column(6).(*array.Int64).Int64Values() {
		s1 += v
	}
	for _, v := range rec.Column(7).(*array.Int64).Int64Values() {
		s2 += v
	}
	var s3 float64
	for _, v := range rec.Column(8).(*array.Float64).Float64Values() {
		s3 += v
	}
	t.Logf("ReadGroupByCSV(%s): %d rows in %v; sum v1 = %d, v2 = %d, v3 = %.3f; distinct id1 %d, id2 %d, id3 %d",
		path, rec.NumRows(), elapsed.Round(time.Millisecond), s1, s2, s3,
		rec.Column(0).(*array.Dictionary).Dictionary().Len(),
		rec.Column(1).(*array.Dictionary).Dictionary().Len(),
		rec.Column(2).(*array.Dictionary).Dictionary().Len())
	for _, c := range []struct {
		name     string
		got, ref float64
	}{{"v1", float64(s1), 29_998_789}, {"v2", float64(s2), 79_989_360}, {"v3", s3, 499_976_651.408}} {
		if math.Abs(c.got-c.ref)/c.ref > 0.005 {
			t.Errorf("sum %s = %.3f, want within 0.5%% of %.3f", c.name, c.got, c.ref)
		}
	}
}
