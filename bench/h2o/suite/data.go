package suite

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/bench/h2o"
	"github.com/shoaldata/shoal/io/parquet"
)

// The tasks of the benchmark.
const (
	TaskGroupBy = "groupby"
	TaskJoin    = "join"
)

// DefaultSeed is the seed of the benchmark's data: gen_h2o.py's, though
// its generator (numpy) draws different values from the same seed.
const DefaultSeed = 108

// Errors of this package; functions wrap them with the value at fault.
var (
	// ErrArgument: an option is out of range or unknown.
	ErrArgument = errors.New("suite: invalid argument")
	// ErrClusterMode: --mode cluster needs the cluster runtime, which is
	// another issue's work; the benchmark will not pretend to run it.
	ErrClusterMode = errors.New("suite: the cluster mode is not available yet (only local and runtime)")
	// ErrMismatch: two modes' answers to a question differ.
	ErrMismatch = errors.New("suite: answers differ")
)

// Data names one data set of the benchmark, as h2o.md does: the groupby
// table G1_{N}_{K}_{NA}_{sorted} or the join tables J1_{N} (x, small,
// medium and big; no NA or sorted variants, as in h2o.md).
type Data struct {
	Task   string // TaskGroupBy or TaskJoin
	N      int    // rows of the groupby table, or of the join's x and big
	K      int    // groupby: distinct values of id1, id2, id4, id5
	NA     int    // groupby: percentage of NA (0 or 5 in the benchmark)
	Sorted bool   // groupby: rows sorted by id1..id6
	Seed   uint64
}

// Check returns an error wrapping ErrArgument if d names no data set.
func (d Data) Check() error {
	switch d.Task {
	case TaskGroupBy:
		if d.N < 1 || d.N > math.MaxInt32 {
			return fmt.Errorf("%w: groupby size %d (want 1..%d)", ErrArgument, d.N, math.MaxInt32)
		}
		if d.K < 1 {
			return fmt.Errorf("%w: k %d (want >= 1)", ErrArgument, d.K)
		}
		if d.NA < 0 || d.NA > 100 {
			return fmt.Errorf("%w: na %d%% (want 0..100)", ErrArgument, d.NA)
		}
	case TaskJoin:
		if d.N < 10 || d.N > math.MaxInt32/11*10 {
			return fmt.Errorf("%w: join size %d (want 10..%d)", ErrArgument, d.N, math.MaxInt32/11*10)
		}
		if d.NA != 0 || d.Sorted {
			return fmt.Errorf("%w: join data with na %d%%, sorted %v: h2o.md defines J1 without NA, unsorted only", ErrArgument, d.NA, d.Sorted)
		}
	default:
		return fmt.Errorf("%w: task %q (want %s or %s)", ErrArgument, d.Task, TaskGroupBy, TaskJoin)
	}
	return nil
}

// Name is the data set's name in h2o.md's form: G1_1e7_1e2_0_0, or for
// the join J1_1e7_NA_0_0 (the name of its x table).
func (d Data) Name() string {
	if d.Task == TaskJoin {
		return "J1_" + Sci(d.N) + "_NA_0_0"
	}
	return fmt.Sprintf("G1_%s_%s_%d_%d", Sci(d.N), Sci(d.K), d.NA, b2i(d.Sorted))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Table is one generated table and its name (without extension).
type Table struct {
	Name string
	Rec  arrow.Record
}

// Generate builds d's tables in memory: [G1] for the groupby task, [x,
// small, medium, big] for the join, each named as h2o.md names its file.
// The join's right tables are named by their actual sizes, so at 1e6 the
// small table (floored at 10 rows, see h2o.Join) is J1_1e6_1e1_0_0. The
// caller owns the records and must Release them.
func Generate(d Data, mem memory.Allocator) ([]Table, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	if d.Task == TaskGroupBy {
		rec, err := h2o.GroupBy(d.N, d.K, d.NA, d.Sorted, d.Seed, mem)
		if err != nil {
			return nil, err
		}
		return []Table{{d.Name(), rec}}, nil
	}
	x, small, medium, big, err := h2o.Join(d.N, d.Seed, mem)
	if err != nil {
		return nil, err
	}
	name := func(r arrow.Record) string { return "J1_" + Sci(d.N) + "_" + Sci(int(r.NumRows())) + "_0_0" }
	return []Table{{d.Name(), x}, {name(small), small}, {name(medium), medium}, {name(big), big}}, nil
}

// WriteFiles generates d and writes each table to dir as NAME.csv (in
// gen_h2o.py's format, see h2o.WriteCSV) or NAME.parquet (zstd, the
// id strings dictionary-encoded), creating dir if needed. It returns the
// paths written. Tables are written one after the other, each complete
// under its final name only once written (CSV through a temporary file
// renamed into place, as parquet.Write does).
func WriteFiles(ctx context.Context, d Data, dir, format string, mem memory.Allocator) ([]string, error) {
	if format != "csv" && format != "parquet" {
		return nil, fmt.Errorf("%w: format %q (want csv or parquet)", ErrArgument, format)
	}
	tabs, err := Generate(d, mem)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, t := range tabs {
			t.Rec.Release()
		}
	}()
	seen := map[string]bool{}
	for _, t := range tabs {
		if seen[t.Name] {
			return nil, fmt.Errorf("%w: %s rows make two tables named %s (the join's small and medium have the same size below 1e5 rows)", ErrArgument, Sci(d.N), t.Name)
		}
		seen[t.Name] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("suite: gen: %w", err)
	}
	var paths []string
	for _, t := range tabs {
		if err := ctx.Err(); err != nil {
			return paths, err
		}
		path := filepath.Join(dir, t.Name+"."+format)
		if format == "parquet" {
			err = parquet.Write(ctx, path, []arrow.Record{t.Rec}, parquet.WriteOptions{Mem: mem})
		} else {
			err = writeCSVFile(path, t.Rec)
		}
		if err != nil {
			return paths, fmt.Errorf("suite: gen %s: %w", path, err)
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// writeCSVFile writes rec to path through a temporary file in its folder.
func writeCSVFile(path string, rec arrow.Record) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)                   // fails harmlessly once renamed
	if err := f.Chmod(0o644); err != nil { // CreateTemp makes 0600; other tools read these
		f.Close()
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := h2o.WriteCSV(w, rec); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Sci formats n as h2o.md's file names do: 1e7, 1e2, 2e0, 5e6.
func Sci(n int) string {
	if n <= 0 {
		return strconv.Itoa(n)
	}
	e := 0
	for n%10 == 0 {
		n /= 10
		e++
	}
	return strconv.Itoa(n) + "e" + strconv.Itoa(e)
}

// ParseSize parses a size as the benchmark writes it (1e7, 2e0) or in
// plain digits (10000000). It must be a positive whole number.
func ParseSize(s string) (int, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 || f != math.Trunc(f) || f > math.MaxInt32 {
		return 0, fmt.Errorf("%w: size %q (want a whole number such as 1e7, at most %d)", ErrArgument, s, math.MaxInt32)
	}
	return int(f), nil
}
