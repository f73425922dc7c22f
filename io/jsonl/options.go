package jsonl

import (
	"errors"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Sentinel errors; returned errors wrap them and name the input.
var (
	ErrBadLine         = errors.New("jsonl: bad line")
	ErrUnknownColumn   = errors.New("jsonl: unknown column")
	ErrUnsupportedType = errors.New("jsonl: unsupported type")
)

// BadLines says what a read does with a line it cannot store.
type BadLines int

const (
	// Error stops the read with an error naming the input and line (the
	// first bad line in input order, whatever the parallelism).
	Error BadLines = iota
	// Skip drops the line and counts it in Result.Skipped.
	Skip
)

// Options configure ReadFile and Read. The zero value is ready to use.
type Options struct {
	// Columns projects the result to these keys, in this order; other keys
	// are checked for JSON grammar only. Empty means every key. A key no
	// line holds is ErrUnknownColumn unless Types gives its type, in which
	// case the column is all null.
	Columns []string
	// Types fixes the type of the keys it names (see the package doc for
	// what each type accepts): bool, int8-64, uint8-64, float32/64,
	// utf8, large_utf8, dictionary<int32, utf8>, timestamp (any unit,
	// with or without time zone; naive strings are read in the column's
	// zone), date32. Keys absent from the input are ignored unless named
	// in Columns.
	Types map[string]arrow.DataType
	// SampleLines is how many lines, spread over the input in ten windows,
	// set the column order before the parse; default 1000. Types come from
	// the whole input regardless.
	SampleLines int
	// ChunkBytes is the size of the byte ranges parsed in parallel, one
	// record each; default: the input over Parallelism, between 1 MiB and
	// 32 MiB.
	ChunkBytes int64
	// Parallelism bounds the goroutines parsing at once; default GOMAXPROCS.
	Parallelism int
	// Mem allocates the records; nil means memory.DefaultAllocator.
	Mem memory.Allocator
	// OnBadLines: Error (the default) or Skip.
	OnBadLines BadLines
	// Progress, if set, is called after each byte range is parsed with the
	// bytes parsed so far and the bytes to parse. A pass that parses again
	// after a column widened adds the input's size to both, so done never
	// goes back. Calls are serialized but come from worker goroutines.
	Progress func(done, total int64)
}

// Result is what a read returns. The caller owns Records and must Release
// each one (Result.Release does).
type Result struct {
	Schema  *arrow.Schema
	Records []arrow.Record // one per chunk that held rows, in input order
	Skipped int64          // bad lines dropped under Skip
	Bytes   int64          // input bytes
}

// Release releases every record in r. It is safe on a nil Result.
func (r *Result) Release() {
	if r == nil {
		return
	}
	for _, rec := range r.Records {
		rec.Release()
	}
	r.Records = nil
}
