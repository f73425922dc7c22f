package csv

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// WriteOptions configures WriteFile and WriteDir.
type WriteOptions struct {
	Delimiter   byte   // ','
	Header      bool   // write the column names first
	NullValue   string // written for nulls; ""
	FloatFormat byte   // strconv format: 'g' (shortest round-trip, default), 'f', 'e'
	Compression string // "", "gzip" or "zstd"
	// Progress, if set, is called after each record is written with the
	// bytes written so far (before compression) and an estimate of the
	// total, scaled from the rows written; calls come from one goroutine.
	Progress func(done, total int64)
}

// DefaultWriteOptions returns ',' with a header, nulls as empty fields and
// shortest round-trip floats.
func DefaultWriteOptions() WriteOptions {
	return WriteOptions{Delimiter: ',', Header: true, FloatFormat: 'g'}
}

// WriteFile writes recs (all with one schema) to path as one CSV file, in
// order. Records are formatted in parallel and written in order. The file
// appears under path only when complete: it is written to a temporary file
// in the same directory, synced and renamed.
//
// Values: a string is quoted when it holds the delimiter, a quote, \r or \n
// (quotes doubled), and also when it is empty, equals NullValue or one of
// DefaultNAValues, so that Read gives back a string and not a null (pandas
// writes empty strings and nulls alike). Floats always carry a '.' or an
// exponent so that they read back as floats. Timestamps are RFC 3339, with
// "Z" for zoned types (converted to UTC) and no zone for zone-less ones;
// date32 is "2006-01-02"; dictionary columns are written as their values.
// recs are borrowed.
func WriteFile(ctx context.Context, path string, recs []arrow.Record, opt WriteOptions) error {
	if err := opt.normalize(); err != nil {
		return err
	}
	var schema *arrow.Schema
	for _, r := range recs {
		if schema == nil {
			schema = r.Schema()
		} else if !schema.Equal(r.Schema()) {
			return fmt.Errorf("%w: records have different schemas", ErrOptions)
		}
	}
	return writeAtomic(path, opt.Compression, func(w io.Writer) error {
		if opt.Header && schema != nil {
			var line []byte
			for i, f := range schema.Fields() {
				if i > 0 {
					line = append(line, opt.Delimiter)
				}
				line = opt.appendString(line, f.Name)
			}
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
		// Format up to GOMAXPROCS records ahead; write in order.
		var wg sync.WaitGroup
		defer wg.Wait() // recs are borrowed: no formatter may outlive the call
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // runs before wg.Wait: unblocks the producer
		outs := make([]chan fmtResult, len(recs))
		for i := range outs {
			outs[i] = make(chan fmtResult, 1)
		}
		sem := make(chan struct{}, runtime.GOMAXPROCS(0))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, r := range recs {
				select {
				case sem <- struct{}{}:
				case <-ctx.Done():
					for _, c := range outs[i:] {
						c <- fmtResult{err: ctx.Err()}
					}
					return
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					b, err := formatRecord(r, &opt)
					outs[i] <- fmtResult{b: b, err: err, held: true}
				}()
			}
		}()
		var rows, doneRows, doneBytes int64
		for _, r := range recs {
			rows += r.NumRows()
		}
		for i := range recs {
			res := <-outs[i]
			if res.held {
				<-sem
			}
			if res.err != nil {
				return res.err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, err := w.Write(res.b); err != nil {
				return err
			}
			if opt.Progress != nil {
				doneRows += recs[i].NumRows()
				doneBytes += int64(len(res.b))
				total := doneBytes
				if doneRows > 0 {
					total = doneBytes * rows / doneRows
				}
				opt.Progress(doneBytes, total)
			}
		}
		return nil
	})
}

type fmtResult struct {
	b    []byte
	err  error
	held bool // holds a slot of the read-ahead semaphore
}

// WriteDir writes each record to its own file in dir (created if needed),
// "part-00000.csv" and on (".gz" or ".zst" appended when compressed), in
// parallel, and returns the paths in record order. Each file is written as
// by WriteFile.
func WriteDir(ctx context.Context, dir string, recs []arrow.Record, opt WriteOptions) ([]string, error) {
	if err := opt.normalize(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	ext := ".csv"
	switch opt.Compression {
	case "gzip":
		ext += ".gz"
	case "zstd":
		ext += ".zst"
	}
	paths := make([]string, len(recs))
	errs := make([]error, len(recs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, r := range recs {
		paths[i] = filepath.Join(dir, fmt.Sprintf("part-%05d%s", i, ext))
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			errs[i] = WriteFile(ctx, paths[i], []arrow.Record{r}, opt)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}

func (o *WriteOptions) normalize() error {
	if o.Delimiter == 0 {
		o.Delimiter = ','
	}
	if o.FloatFormat == 0 {
		o.FloatFormat = 'g'
	}
	switch {
	case o.Compression != "" && o.Compression != "gzip" && o.Compression != "zstd":
		return fmt.Errorf("%w: compression %q", ErrOptions, o.Compression)
	case o.Delimiter == '"' || o.Delimiter == '\n' || o.Delimiter == '\r':
		return fmt.Errorf("%w: delimiter %q", ErrOptions, o.Delimiter)
	}
	return nil
}

// writeAtomic writes through fill to a temporary file beside path, then
// syncs and renames it, so path never holds a partial file.
func writeAtomic(path, compression string, fill func(w io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	var w io.Writer = bw
	var closer io.Closer
	switch {
	case compression == "gzip":
		g := gzip.NewWriter(bw)
		w, closer = g, g
	case compression == "zstd":
		z, zerr := zstd.NewWriter(bw)
		if zerr != nil {
			return fmt.Errorf("csv: %w", zerr)
		}
		w, closer = z, z
	}
	if err = fill(w); err != nil {
		if closer != nil {
			closer.Close()
		}
		return err
	}
	if closer != nil {
		if err = closer.Close(); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// appendString appends s, quoted when needed.
func (o *WriteOptions) appendString(dst []byte, s string) []byte {
	need := len(s) == 0 || s == o.NullValue
	for i := 0; i < len(s) && !need; i++ {
		c := s[i]
		need = c == o.Delimiter || c == '"' || c == '\n' || c == '\r'
	}
	if !need && len(s) <= 7 {
		for _, na := range DefaultNAValues {
			if s == na {
				need = true
				break
			}
		}
	}
	if !need {
		return append(dst, s...)
	}
	dst = append(dst, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			dst = append(dst, '"')
		}
		dst = append(dst, s[i])
	}
	return append(dst, '"')
}

// formatter appends value i of one column (never null).
type formatter func(dst []byte, i int) []byte

func (o *WriteOptions) formatterFor(a arrow.Array) (formatter, error) {
	switch a := a.(type) {
	case *array.Int64:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, a.Value(i), 10) }, nil
	case *array.Int32:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, nil
	case *array.Int16:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, nil
	case *array.Int8:
		return func(d []byte, i int) []byte { return strconv.AppendInt(d, int64(a.Value(i)), 10) }, nil
	case *array.Uint64:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, a.Value(i), 10) }, nil
	case *array.Uint32:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, uint64(a.Value(i)), 10) }, nil
	case *array.Uint16:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, uint64(a.Value(i)), 10) }, nil
	case *array.Uint8:
		return func(d []byte, i int) []byte { return strconv.AppendUint(d, uint64(a.Value(i)), 10) }, nil
	case *array.Float64:
		return func(d []byte, i int) []byte { return o.appendFloat(d, a.Value(i), 64) }, nil
	case *array.Float32:
		return func(d []byte, i int) []byte { return o.appendFloat(d, float64(a.Value(i)), 32) }, nil
	case *array.Boolean:
		return func(d []byte, i int) []byte { return strconv.AppendBool(d, a.Value(i)) }, nil
	case *array.String:
		return func(d []byte, i int) []byte { return o.appendString(d, a.Value(i)) }, nil
	case *array.LargeString:
		return func(d []byte, i int) []byte { return o.appendString(d, a.Value(i)) }, nil
	case *array.Date32:
		return func(d []byte, i int) []byte { return a.Value(i).ToTime().AppendFormat(d, "2006-01-02") }, nil
	case *array.Date64:
		return func(d []byte, i int) []byte { return a.Value(i).ToTime().AppendFormat(d, "2006-01-02") }, nil
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		layout := "2006-01-02T15:04:05.999999999"
		if tt.TimeZone != "" {
			layout += "Z07:00"
		}
		return func(d []byte, i int) []byte {
			return a.Value(i).ToTime(tt.Unit).UTC().AppendFormat(d, layout)
		}, nil
	case *array.Dictionary:
		inner, err := o.formatterFor(a.Dictionary())
		if err != nil {
			return nil, err
		}
		dict := a.Dictionary()
		return func(d []byte, i int) []byte {
			k := a.GetValueIndex(i)
			if dict.IsNull(k) {
				return append(d, o.NullValue...)
			}
			return inner(d, k)
		}, nil
	}
	return func(d []byte, i int) []byte { return o.appendString(d, a.ValueStr(i)) }, nil
}

// appendFloat writes shortest round-trip floats with a '.' or an exponent,
// so that 2.0 reads back as a float and not an integer.
func (o *WriteOptions) appendFloat(d []byte, v float64, bits int) []byte {
	n := len(d)
	d = strconv.AppendFloat(d, v, o.FloatFormat, -1, bits)
	if o.FloatFormat != 'g' {
		return d
	}
	for _, c := range d[n:] {
		if c == '.' || c == 'e' || c == 'N' || c == 'I' {
			return d
		}
	}
	return append(d, '.', '0')
}

func formatRecord(r arrow.Record, o *WriteOptions) ([]byte, error) {
	cols := make([]arrow.Array, r.NumCols())
	fmts := make([]formatter, r.NumCols())
	for c := range cols {
		cols[c] = r.Column(c)
		f, err := o.formatterFor(cols[c])
		if err != nil {
			return nil, err
		}
		fmts[c] = f
	}
	out := make([]byte, 0, 64*int(r.NumRows())+16)
	for i := 0; i < int(r.NumRows()); i++ {
		for c, a := range cols {
			if c > 0 {
				out = append(out, o.Delimiter)
			}
			if a.IsNull(i) {
				out = append(out, o.NullValue...)
				continue
			}
			out = fmts[c](out, i)
		}
		out = append(out, '\n')
	}
	return out, nil
}
