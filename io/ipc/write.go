package ipc

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	arrowipc "github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// WriteOptions configure WriteFile and WriteStream.
type WriteOptions struct {
	// Compression of record batch bodies: "lz4" (LZ4 frame; the default
	// when empty), "zstd" or "none". Anything else is ErrCompression.
	Compression string
	// Mem allocates scratch buffers; nil means memory.DefaultAllocator.
	// Columns of a batch are compressed in parallel (GOMAXPROCS).
	Mem memory.Allocator
	// Progress, if set, is called after each record is written with the
	// rows written so far and the total rows of recs (rows, since the
	// compressed size is known only once written). Calls come from the
	// calling goroutine; done never decreases and the last call has
	// done == total (no call for zero rows).
	Progress func(done, total int64)
}

func (o WriteOptions) ipcOptions(schema *arrow.Schema) ([]arrowipc.Option, error) {
	mem := o.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	opts := []arrowipc.Option{arrowipc.WithSchema(schema), arrowipc.WithAllocator(mem)}
	switch o.Compression {
	case "", "lz4":
		opts = append(opts, arrowipc.WithLZ4(), arrowipc.WithCompressConcurrency(runtime.GOMAXPROCS(0)))
	case "zstd":
		opts = append(opts, arrowipc.WithZstd(), arrowipc.WithCompressConcurrency(runtime.GOMAXPROCS(0)))
	case "none":
	default:
		return nil, fmt.Errorf("%w %q (want lz4, zstd or none)", ErrCompression, o.Compression)
	}
	return opts, nil
}

// schemaOf returns the schema every record shares, or an error.
func schemaOf(recs []arrow.Record) (*arrow.Schema, error) {
	if len(recs) == 0 {
		return nil, ErrNoRecords
	}
	s := recs[0].Schema()
	for i, r := range recs[1:] {
		if !r.Schema().Equal(s) {
			return nil, fmt.Errorf("%w: record %d has %v, record 0 has %v", ErrSchema, i+1, r.Schema(), s)
		}
	}
	return s, nil
}

// WriteFile writes recs to path in the Arrow IPC file format (Feather v2).
// It writes to a temporary file in the same directory and renames it over
// path, so readers never see a partial file. Records are borrowed. They
// must share one schema, taken from recs[0]; a frame with no rows is passed
// as one empty record, which gives a file with the schema and no batches
// (zero-row records are not written). The file format allows one
// dictionary per field, so dictionary columns whose records carry
// different dictionaries are unified first (indices are rewritten).
func WriteFile(ctx context.Context, path string, recs []arrow.Record, opt WriteOptions) (err error) {
	schema, err := schemaOf(recs)
	if err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	opts, err := opt.ipcOptions(schema)
	if err != nil {
		return fmt.Errorf("%w (file %s)", err, path)
	}
	recs, release, err := unifyDicts(opt.Mem, schema, recs)
	if err != nil {
		return fmt.Errorf("ipc: %s: unifying dictionaries: %w", path, err)
	}
	defer release()

	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("ipc: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	w, err := arrowipc.NewFileWriter(tmp, opts...)
	if err != nil {
		return fmt.Errorf("ipc: %s: %w", path, err)
	}
	first, err := writeAll(ctx, w, recs, opt.Progress)
	// Arrow Go's FileWriter keeps a reference to each dictionary it wrote
	// and, unlike the stream Writer, never drops it on Close; give it back.
	defer releaseWrittenDicts(first)
	if err != nil {
		w.Close()
		return fmt.Errorf("ipc: %s: %w", path, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("ipc: %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("ipc: %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("ipc: %w", err)
	}
	return nil
}

// WriteStream writes recs to w in the Arrow IPC stream format, ending with
// the end-of-stream marker. Records are borrowed and must share one schema
// (see WriteFile for empty frames). w is not closed.
func WriteStream(ctx context.Context, w io.Writer, recs []arrow.Record, opt WriteOptions) error {
	schema, err := schemaOf(recs)
	if err != nil {
		return err
	}
	opts, err := opt.ipcOptions(schema)
	if err != nil {
		return err
	}
	sw := arrowipc.NewWriter(w, opts...)
	if _, err := writeAll(ctx, sw, recs, opt.Progress); err != nil {
		sw.Close()
		return fmt.Errorf("ipc: stream: %w", err)
	}
	if err := sw.Close(); err != nil {
		return fmt.Errorf("ipc: stream: %w", err)
	}
	return nil
}

type recordWriter interface{ Write(arrow.Record) error }

// writeAll writes the records with rows, reporting each to progress (if
// set), and returns the first one written successfully (nil if none).
func writeAll(ctx context.Context, w recordWriter, recs []arrow.Record, progress func(done, total int64)) (first arrow.Record, err error) {
	var total, done int64
	for _, r := range recs {
		total += r.NumRows()
	}
	for _, r := range recs {
		if err := ctx.Err(); err != nil {
			return first, err
		}
		if r.NumRows() == 0 {
			continue
		}
		if err := w.Write(r); err != nil {
			return first, err
		}
		if first == nil {
			first = r
		}
		done += r.NumRows()
		if progress != nil {
			progress(done, total)
		}
	}
	return first, nil
}

// releaseWrittenDicts drops the reference FileWriter took on the dictionary
// of each top-level dictionary column of first, the only record whose
// dictionaries it writes (later records share them, or the write fails
// before retaining). Dictionaries nested in lists or structs are reached
// through wrappers the writer creates and drops, so their extra reference
// cannot be returned: with a checked allocator they show as a leak; with
// the Go allocator the collector frees them.
func releaseWrittenDicts(first arrow.Record) {
	if first == nil {
		return
	}
	for _, c := range first.Columns() {
		if d, ok := c.(*array.Dictionary); ok {
			d.Dictionary().Release()
		}
	}
}

// unifyDicts returns recs with one dictionary per dictionary column, and a
// function releasing whatever it allocated. Without dictionary columns it
// returns recs unchanged.
func unifyDicts(mem memory.Allocator, schema *arrow.Schema, recs []arrow.Record) ([]arrow.Record, func(), error) {
	noop := func() {}
	if len(recs) < 2 || !hasDict(schema) {
		return recs, noop, nil
	}
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	tbl := array.NewTableFromRecords(schema, recs)
	defer tbl.Release()
	u, err := array.UnifyTableDicts(mem, tbl)
	if err != nil {
		return nil, noop, err
	}
	defer u.Release()
	out := make([]arrow.Record, 0, len(recs))
	cols := make([]arrow.Array, u.NumCols())
	for i, r := range recs {
		for j := range cols {
			cols[j] = u.Column(j).Data().Chunk(i)
		}
		out = append(out, array.NewRecord(schema, cols, r.NumRows()))
	}
	return out, func() {
		for _, r := range out {
			r.Release()
		}
	}, nil
}

func hasDict(s *arrow.Schema) bool {
	for _, f := range s.Fields() {
		if f.Type.ID() == arrow.DICTIONARY {
			return true
		}
	}
	return false
}
