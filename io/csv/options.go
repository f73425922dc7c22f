package csv

import (
	"errors"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrUnknownColumn: Columns, Types, ParseDates or Categorical names a
	// column the file does not have.
	ErrUnknownColumn = errors.New("csv: unknown column")
	// ErrBadLine: a record has the wrong number of fields (OnBadLines Error).
	ErrBadLine = errors.New("csv: bad line")
	// ErrBadValue: a value does not fit the type the caller asked for.
	ErrBadValue = errors.New("csv: bad value")
	// ErrSchemaMismatch: files given to ReadFiles have different headers.
	ErrSchemaMismatch = errors.New("csv: files have different columns")
	// ErrNoColumns: the input is empty, so there is no header to read.
	ErrNoColumns = errors.New("csv: no columns to parse")
	// ErrOptions: an option is invalid (unsupported type, bad delimiter...).
	ErrOptions = errors.New("csv: invalid options")
)

// BadLines says what to do with a record whose field count differs from the
// header's.
type BadLines int

const (
	// Error stops the read with an error naming the file and line.
	Error BadLines = iota
	// Skip drops the record and counts it in Result.Skipped.
	Skip
	// Warn drops the record, counts it and calls Options.Warn.
	Warn
)

// DefaultNAValues is pandas' default set of strings read as null.
var DefaultNAValues = []string{"", "NA", "N/A", "NaN", "nan", "null", "NULL", "None",
	"#N/A", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "n/a"}

// Options configures a read. Start from DefaultOptions; the zero value has
// Header false and no NA values.
type Options struct {
	Header    bool     // the first record holds the column names
	Names     []string // names when there is no header, or to rename the header's
	Delimiter byte     // field separator, ','
	Quote     byte     // '"'; quoted fields may hold delimiters, doubled quotes and newlines
	Escape    byte     // 0: none; else escapes the next byte inside quotes
	Comment   byte     // 0: none; lines starting with it are skipped
	SkipRows  int      // physical lines skipped before the header
	NRows     int64    // 0: all; else at most this many data rows
	// Columns selects the columns parsed and returned, in the order given
	// here (not file order), so a planner's projection comes back as asked.
	// An unknown name is an ErrUnknownColumn listing the file's columns.
	Columns []string
	// Types overrides inferred types: int64, int32, float64, float32, bool,
	// utf8, dictionary<int32, utf8>, timestamp[ns] (with or without a zone)
	// and date32.
	Types map[string]arrow.DataType
	// NAValues are the unquoted field values read as null (DefaultNAValues).
	NAValues []string
	// ParseDates are columns parsed as timestamp[ns] (RFC 3339,
	// "2006-01-02", "2006-01-02 15:04:05[.fffffffff]"), or date32 when every
	// value is a date. Values with a zone are converted to UTC and give a
	// timestamp[ns, UTC] column; zone-less values give a zone-less column.
	ParseDates []string
	// Categorical columns are read as dictionary<int32, utf8>.
	Categorical []string
	// AutoCategoryRatio: 0 is off; else a string column whose distinct/rows
	// ratio in the sample is below it becomes categorical.
	AutoCategoryRatio float64
	OnBadLines        BadLines
	Warn              func(msg string) // called for Warn, in file order, from the calling goroutine; default logs to stderr
	// SampleBytes is how many bytes of each file, in 8 windows spread
	// over it, infer the schema; 0: 1 MiB. WholeFile (any negative value)
	// reads every record, as pandas does: slower, but a lazy scan's schema
	// then holds every value (pandas' default, DuckDB's sample_size=-1,
	// Polars' infer_schema_length=None).
	SampleBytes int
	Parallelism int              // parsing goroutines; 0: GOMAXPROCS
	ChunkBytes  int64            // target bytes per range (and record); 0: 32 MiB
	Mem         memory.Allocator // allocator of the returned records; nil: memory.DefaultAllocator
	// Progress, if set, is called with the input bytes consumed so far and
	// the total, as ranges finish. Calls are serialized; done never
	// decreases. For compressed inputs the counts are uncompressed bytes.
	Progress func(done, total int64)
}

// DefaultOptions returns pandas-like defaults: a header, ',' and '"', the
// default NA values, errors on bad lines.
func DefaultOptions() Options {
	return Options{
		Header:    true,
		Delimiter: ',',
		Quote:     '"',
		NAValues:  append([]string(nil), DefaultNAValues...),
	}
}

// WholeFile as Options.SampleBytes infers the schema from every record
// rather than from a sample.
const WholeFile = -1

const (
	defaultSampleBytes = 1 << 20
	defaultChunkBytes  = 32 << 20
)

func (o *Options) normalize() error {
	if o.Delimiter == 0 {
		o.Delimiter = ','
	}
	if o.SampleBytes == 0 {
		o.SampleBytes = defaultSampleBytes
	}
	if o.ChunkBytes <= 0 {
		o.ChunkBytes = defaultChunkBytes
	}
	o.ChunkBytes = min(o.ChunkBytes, 1<<30) // field offsets are 32-bit
	if o.Mem == nil {
		o.Mem = memory.DefaultAllocator
	}
	if o.Warn == nil {
		o.Warn = func(msg string) { fmt.Fprintln(os.Stderr, msg) }
	}
	if o.NRows < 0 || o.SkipRows < 0 {
		return fmt.Errorf("%w: negative NRows or SkipRows", ErrOptions)
	}
	special := []byte{o.Delimiter, '\n'}
	for _, c := range []byte{o.Quote, o.Escape, o.Comment} {
		if c == 0 {
			continue
		}
		for _, s := range special {
			if c == s {
				return fmt.Errorf("%w: delimiter, quote, escape and comment must differ and not be a newline", ErrOptions)
			}
		}
		special = append(special, c)
	}
	if o.Delimiter == '\n' || o.Delimiter == '\r' {
		return fmt.Errorf("%w: newline delimiter", ErrOptions)
	}
	return nil
}
