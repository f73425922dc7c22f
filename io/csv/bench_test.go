package csv

import (
	"bufio"
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v15/arrow/memory"
)

// writeH2O writes an H2O db-benchmark groupby table (G1_n_1e2_0_0 layout).
func writeH2O(tb testing.TB, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewSource(108))
	const k = 100
	nk := max(n/k, 1)
	w.WriteString("id1,id2,id3,id4,id5,id6,v1,v2,v3\n")
	var line []byte
	for i := 0; i < n; i++ {
		line = fmt.Appendf(line[:0], "id%03d,id%03d,id%010d,%d,%d,%d,%d,%d,", rng.Intn(k)+1, rng.Intn(k)+1,
			rng.Intn(nk)+1, rng.Intn(k)+1, rng.Intn(k)+1, rng.Intn(nk)+1, rng.Intn(5)+1, rng.Intn(15)+1)
		line = strconv.AppendFloat(line, rng.Float64()*100, 'f', 6, 64)
		line = append(line, '\n')
		w.Write(line)
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	f.Close()
}

func benchmarkH2O(b *testing.B, n int) {
	path := filepath.Join(b.TempDir(), "g1.csv")
	writeH2O(b, path, n)
	st, _ := os.Stat(path)
	opt := DefaultOptions()
	opt.Categorical = []string{"id1", "id2", "id3"}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	opt.Mem = mem
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := ReadFile(context.Background(), path, opt)
		if err != nil {
			b.Fatal(err)
		}
		if rows(res) != int64(n) {
			b.Fatalf("rows %d", rows(res))
		}
		res.Release()
	}
	b.StopTimer()
	mem.AssertSize(b, 0)
}

func BenchmarkReadH2O1e6(b *testing.B) { benchmarkH2O(b, 1_000_000) }

// TestH2OFile reads the 1e7-row H2O file when SHOAL_H2O_CSV names it (run
// the test binary under /usr/bin/time -v for the peak RSS).
func TestH2OFile(t *testing.T) {
	path := os.Getenv("SHOAL_H2O_CSV")
	if path == "" {
		t.Skip("SHOAL_H2O_CSV not set")
	}
	opt := DefaultOptions()
	opt.Categorical = []string{"id1", "id2", "id3"}
	res, err := ReadFile(context.Background(), path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Release()
	t.Logf("rows %d, %d records, schema %s", rows(res), len(res.Records), res.Schema)
}

func BenchmarkParseFloat(b *testing.B) {
	vals := [][]byte{[]byte("90.389913"), []byte("0.000001"), []byte("-12345.678901"), []byte("1e10")}
	b.ReportAllocs()
	var s float64
	for i := 0; i < b.N; i++ {
		f, _ := parseFloat(vals[i&3])
		s += f
	}
	_ = s
}
