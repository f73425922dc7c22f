package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/bench/gotaetl/internal/etlgota"
	"github.com/shoaldata/shoal/bench/gotaetl/internal/etlshoal"
)

var benchRows = flag.Int("gotaetl.rows", 100000, "rows of BenchmarkETL's input")

// The two implementations are one program: the files differ only in the
// package clause, its doc comment's first words and the import paths.
func TestSameSourceModuloImports(t *testing.T) {
	g, err := os.ReadFile("internal/etlgota/etl.go")
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.ReadFile("internal/etlshoal/etl.go")
	if err != nil {
		t.Fatal(err)
	}
	norm := strings.NewReplacer(
		"github.com/go-gota/gota/", "IMPORT/", "github.com/shoaldata/shoal/gota/", "IMPORT/",
		"package etlgota", "package P", "package etlshoal", "package P",
		"// Package etlgota is", "// Package P is", "// Package etlshoal is", "// Package P is")
	if norm.Replace(string(g)) != norm.Replace(string(s)) {
		t.Fatal("internal/etlshoal/etl.go is not internal/etlgota/etl.go with Shoal's imports: run go generate ./bench/gotaetl")
	}
	if bytes.Equal(g, s) || !bytes.Contains(s, []byte(`"github.com/shoaldata/shoal/gota/dataframe"`)) {
		t.Fatal("etlshoal does not import Shoal's gota packages")
	}
}

func writeInput(t testing.TB, rows int) string {
	path := filepath.Join(t.TempDir(), "in.csv")
	if err := generate(path, rows, 3); err != nil {
		t.Fatal(err)
	}
	return path
}

func runETL(t testing.TB, run func(in, out *os.File) error, path string) string {
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	outPath := path + ".out"
	out, err := os.Create(outPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(in, out); err != nil {
		t.Fatal(err)
	}
	out.Close()
	b, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Both implementations write the same bytes.
func TestSameOutput(t *testing.T) {
	path := writeInput(t, 20000)
	var gs, ss etlgota.Stats
	g := runETL(t, func(in, out *os.File) (err error) { gs, err = etlgota.Run(in, out); return }, path)
	s := runETL(t, func(in, out *os.File) (err error) {
		st, err := etlshoal.Run(in, out)
		ss = etlgota.Stats(st)
		return err
	}, path)
	if gs != ss {
		t.Errorf("stats: gota %+v, shoal %+v", gs, ss)
	}
	if gs.Read != 20000 || gs.Groups == 0 || gs.Joined != gs.Groups {
		t.Errorf("stats %+v: want 20000 rows read and one joined row per group", gs)
	}
	if g != s {
		t.Errorf("outputs differ:\ngota:  %.300q\nshoal: %.300q", g, s)
	}
	if lines := strings.Count(s, "\n"); lines != gs.Groups+1 {
		t.Errorf("output has %d lines, want %d", lines, gs.Groups+1)
	}
	if !strings.HasPrefix(s, "id1,id4,v2_COUNT,v3_MEAN,v4_SUM,region,weight\n") {
		t.Errorf("header = %q", s[:strings.IndexByte(s, '\n')])
	}
}

func TestPeakRSS(t *testing.T) {
	rss, err := peakRSS()
	if err != nil {
		t.Fatal(err)
	}
	if rss < 1<<20 || rss > 1<<40 {
		t.Errorf("peak RSS %d bytes is implausible", rss)
	}
}

// BenchmarkETL runs the program on both packages (-gotaetl.rows sets the
// input size; gota takes seconds per 1e5 rows).
func BenchmarkETL(b *testing.B) {
	path := writeInput(b, *benchRows)
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	for _, impl := range []struct {
		name string
		run  func(in, out *os.File) error
	}{
		{"gota", func(in, out *os.File) error { _, err := etlgota.Run(in, out); return err }},
		{"shoal", func(in, out *os.File) error { _, err := etlshoal.Run(in, out); return err }},
	} {
		b.Run(impl.name, func(b *testing.B) {
			b.SetBytes(st.Size())
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				runETL(b, impl.run, path)
			}
		})
	}
}
