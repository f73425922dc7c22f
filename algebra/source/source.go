// Package source adapts the file readers of io/ to the plan: each Source
// knows its schema (read from the file's header, footer or a sample when it
// is made) and reads itself with the scan's pushed-down columns and
// predicate. It sits between algebra (which plans without I/O) and io.
package source

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/vec"
	"github.com/shoaldata/shoal/io/csv"
	"github.com/shoaldata/shoal/io/parquet"
)

// CSV is a scan of one or more CSV files read as one frame.
type CSV struct {
	paths  []string
	opt    csv.Options
	schema *arrow.Schema
}

// NewCSV expands pattern (a path or a glob) and infers the schema once, from
// a sample of every file (all of each with SampleBytes csv.WholeFile), as
// ReadFiles would. The options' Columns are ignored here: the scan pushes
// its own.
func NewCSV(ctx context.Context, pattern string, opt csv.Options) (*CSV, error) {
	paths, err := Expand(pattern)
	if err != nil {
		return nil, err
	}
	opt.Columns = nil
	schema, err := csv.InferSchemaFiles(ctx, paths, opt)
	if err != nil {
		return nil, err
	}
	return &CSV{paths: paths, opt: opt, schema: schema}, nil
}

func (c *CSV) Name() string          { return "csv " + describe(c.paths) }
func (c *CSV) Schema() *arrow.Schema { return c.schema }

// Read reads the columns asked (the predicate is left to the scan: CSV has
// no statistics to skip by). Every column is read as the planned type: a
// plan's schema is fixed, so a value beyond the sample that does not fit
// is a *SampleError rather than a promotion.
func (c *CSV) Read(ctx context.Context, columns []string, _ algebra.Expr) ([]arrow.Record, error) {
	opt := c.opt
	opt.Columns = columns
	opt.Types = make(map[string]arrow.DataType, c.schema.NumFields())
	for _, f := range c.schema.Fields() {
		opt.Types[f.Name] = f.Type
	}
	if opt.SampleBytes < 0 {
		// Every type is fixed now: the reader's own sample only sizes its
		// buffers, so reading the whole file for it again would be waste.
		opt.SampleBytes = 0
	}
	res, err := csv.ReadFiles(ctx, c.paths, opt)
	var ve *csv.ValueError
	if errors.As(err, &ve) {
		if _, given := c.opt.Types[ve.Column]; !given {
			return nil, &SampleError{ValueError: ve, SampleBytes: c.opt.SampleBytes}
		}
	}
	if err != nil {
		return nil, err
	}
	return res.Records, nil
}

// SampleError is a value of a lazy CSV scan that does not fit the column's
// type inferred from a sample when the scan was planned. Unlike an eager
// read, which promotes the column and parses again, a scan cannot change
// its plan's schema. It unwraps to the *csv.ValueError (so it matches
// csv.ErrBadValue).
type SampleError struct {
	*csv.ValueError
	SampleBytes int // the option the schema was inferred with
}

func (e *SampleError) Error() string {
	where := fmt.Sprintf("source: %s:%d: column %q: value %q does not fit %s", e.File, e.Line, e.Column, e.Value, e.Type)
	fix := fmt.Sprintf("give the column a type (csv.Options.Types[%q])", e.Column)
	switch {
	case e.SampleBytes < 0: // the whole file was read; only a type helps
		return fmt.Sprintf("%s, the type inferred from the whole file; %s", where, fix)
	case e.SampleBytes == 0:
		where += ", the type inferred from a 1 MiB sample"
	default:
		where += fmt.Sprintf(", the type inferred from a %d-byte sample", e.SampleBytes)
	}
	return where + "; " + fix + " or infer from the whole file (csv.Options.SampleBytes = csv.WholeFile)"
}

func (e *SampleError) Unwrap() error { return e.ValueError }

// Parquet is a scan of a Parquet file, directory (hive-partitioned) or glob.
// Its footers are read once, when it is made, and every Read reuses them.
type Parquet struct {
	ds      *parquet.Dataset
	opt     parquet.Options
	skipped atomic.Int64
}

// Skipped is the number of row groups the last Read skipped by their
// statistics.
func (p *Parquet) Skipped() int { return int(p.skipped.Load()) }

// NewParquet reads the footers, for the schema and for every later Read;
// it leaves no file open.
func NewParquet(ctx context.Context, path string, opt parquet.Options) (*Parquet, error) {
	ds, err := parquet.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	opt.Columns, opt.RowGroupFilter = nil, nil
	return &Parquet{ds: ds, opt: opt}, nil
}

func (p *Parquet) Name() string          { return "parquet " + p.ds.Path() }
func (p *Parquet) Schema() *arrow.Schema { return p.ds.Schema() }

// Read reads the columns asked, skipping the row groups whose min/max
// statistics prove that the predicate's comparisons fail for every row.
func (p *Parquet) Read(ctx context.Context, columns []string, pred algebra.Expr) ([]arrow.Record, error) {
	opt := p.opt
	opt.Columns = columns
	if cmps := pred.Comparisons(); len(cmps) > 0 {
		opt.RowGroupFilter = func(rg parquet.RowGroup) bool { return mayMatch(rg, cmps) }
	}
	res, err := p.ds.Read(ctx, opt)
	if err != nil {
		return nil, err
	}
	p.skipped.Store(int64(res.Skipped))
	return res.Records, nil
}

// mayMatch reports whether a row group may hold rows passing every
// comparison: false only when a column's min/max rule one out.
func mayMatch(rg parquet.RowGroup, cmps []algebra.Comparison) bool {
	for _, c := range cmps {
		st, ok := rg.Stats[c.Column]
		if !ok || !st.HasMinMax {
			continue
		}
		lo, okLo := compare(st.Min, c.Value)
		hi, okHi := compare(st.Max, c.Value)
		if !okLo || !okHi {
			continue
		}
		// lo = sign(min - v), hi = sign(max - v).
		switch c.Op {
		case "eq":
			if lo > 0 || hi < 0 {
				return false
			}
		case "lt":
			if lo >= 0 {
				return false
			}
		case "le":
			if lo > 0 {
				return false
			}
		case "gt":
			if hi <= 0 {
				return false
			}
		case "ge":
			if hi < 0 {
				return false
			}
		}
	}
	return true
}

// compare returns the sign of stat - lit, and false when the two cannot
// be compared (then nothing is skipped).
func compare(stat any, lit vec.Scalar) (int, bool) {
	sign := func(d float64) int {
		switch {
		case d < 0:
			return -1
		case d > 0:
			return 1
		}
		return 0
	}
	var litF float64
	litNum := true
	switch lit.Type.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		litF = float64(lit.Int)
	case arrow.FLOAT32, arrow.FLOAT64:
		litF = lit.Float
	default:
		litNum = false
	}
	switch s := stat.(type) {
	case int64:
		if lit.Type.ID() == arrow.INT64 || lit.Type.ID() == arrow.INT32 {
			switch {
			case s < lit.Int:
				return -1, true
			case s > lit.Int:
				return 1, true
			}
			return 0, true
		}
		if litNum {
			return sign(float64(s) - litF), true
		}
	case float64:
		if litNum && s == s {
			return sign(s - litF), true
		}
	case string:
		if lit.Type.ID() == arrow.STRING || lit.Type.ID() == arrow.LARGE_STRING {
			switch {
			case s < lit.Str:
				return -1, true
			case s > lit.Str:
				return 1, true
			}
			return 0, true
		}
	case time.Time:
		if lit.Type.ID() == arrow.TIMESTAMP {
			return sign(float64(s.UnixNano() - lit.Int)), true
		}
	}
	return 0, false
}

// Expand turns a path or glob into the files it names, sorted; none is an
// error naming the pattern.
func Expand(pattern string) ([]string, error) {
	paths, err := filepath.Glob(pattern)
	if err != nil {
		return nil, fmt.Errorf("source: bad pattern %q: %w", pattern, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("source: no file matches %q", pattern)
	}
	return paths, nil
}

func describe(paths []string) string {
	if len(paths) == 1 {
		return paths[0]
	}
	return fmt.Sprintf("%s (+%d files)", paths[0], len(paths)-1)
}
