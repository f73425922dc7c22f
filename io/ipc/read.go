package ipc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	arrowipc "github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"golang.org/x/sync/errgroup"
)

// Sentinel errors, wrapped with the file name where one is known.
var (
	ErrUnknownColumn = errors.New("ipc: unknown column")
	ErrCompression   = errors.New("ipc: unknown compression")
	ErrNoRecords     = errors.New("ipc: no records to take a schema from")
	ErrSchema        = errors.New("ipc: records do not share one schema")
	ErrCorrupt       = errors.New("ipc: corrupt data")
)

// Options configure ReadFile and ReadStream.
type Options struct {
	// Columns projects the result to these columns, in this order. Empty
	// means every column. A name absent from the file is ErrUnknownColumn.
	Columns []string
	// Mem allocates the records' buffers; nil means memory.DefaultAllocator.
	Mem memory.Allocator
	// Progress, if set, is called by ReadFile after each batch with the
	// bytes read so far and the file's size. A batch counts as the file's
	// size over the number of batches (the footer does not give the
	// readers their sizes). Calls are serialized but come from worker
	// goroutines.
	Progress func(done, total int64)
}

// Result is what a read returns. The caller owns Records and must Release
// each one. Records keep the order of the batches in the input.
type Result struct {
	Schema  *arrow.Schema // after projection
	Records []arrow.Record
	Bytes   int64 // bytes of input consumed (file size for ReadFile)
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

// ReadFile reads an Arrow IPC file (Feather v2) at path. Record batches are
// decoded in parallel by up to GOMAXPROCS workers, each with its own reader
// using the footer's random access, and returned in file order. Batches
// decoded by different workers carry equal but separate dictionaries. Projection happens
// after decoding: Arrow Go's reader decodes whole batches, so Columns saves
// memory held, not I/O. Errors name the file.
func ReadFile(ctx context.Context, path string, opt Options) (res *Result, err error) {
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("ipc: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("ipc: %w", err)
	}

	fr, err := openFile(f, st.Size(), mem)
	if err != nil {
		return nil, fmt.Errorf("ipc: %s: %w", path, err)
	}
	n := fr.NumRecords()
	proj, schema, err := projection(fr.Schema(), opt.Columns)
	if err != nil {
		fr.Close()
		return nil, fmt.Errorf("%w (file %s)", err, path)
	}
	recs := make([]arrow.Record, n)
	defer func() {
		if err != nil {
			for _, r := range recs {
				if r != nil {
					r.Release()
				}
			}
		}
	}()

	// FileReader.RecordAt claims to be safe for concurrent use but is not
	// when the schema has dictionaries (their field-id mapper shares one
	// hash state: go test -race shows it), so each worker opens its own
	// reader over the shared *os.File, whose ReadAt is safe. Workers take
	// batches from a shared counter and store them by index, keeping order.
	workers := min(runtime.GOMAXPROCS(0), n)
	var next atomic.Int64
	var (
		progMu      sync.Mutex
		batchesDone int64
	)
	g, gctx := errgroup.WithContext(ctx)
	for w := 0; w < workers; w++ {
		r := fr
		g.Go(func() error {
			if r == nil {
				var err error
				if r, err = openFile(f, st.Size(), mem); err != nil {
					return fmt.Errorf("ipc: %s: %w", path, err)
				}
			}
			defer r.Close()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return nil
				}
				if err := gctx.Err(); err != nil {
					return fmt.Errorf("ipc: %s: %w", path, err)
				}
				rec, err := recordAt(r, i)
				if err != nil {
					return fmt.Errorf("ipc: %s: batch %d: %w", path, i, err)
				}
				recs[i] = project(rec, schema, proj)
				if opt.Progress != nil {
					progMu.Lock()
					batchesDone++
					opt.Progress(st.Size()*batchesDone/int64(n), st.Size())
					progMu.Unlock()
				}
			}
		})
		fr = nil // the first worker owns the reader opened above
	}
	if fr != nil { // no batches, so no workers
		fr.Close()
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("ipc: %s: %w", path, err)
	}
	return &Result{Schema: schema, Records: recs, Bytes: st.Size()}, nil
}

// openFile opens a FileReader over f, of size bytes.
//
// Arrow Go's FileReader.Close never releases the dictionaries it reads when
// it opens the file (they stay in its memo). They are allocated from the Go
// heap, so the collector frees them and a checked allocator is not left
// with a leak; record buffers, allocated after the switch, come from mem.
// Records that use a dictionary hold their own reference to it.
func openFile(f *os.File, size int64, mem memory.Allocator) (*arrowipc.FileReader, error) {
	alloc := &switchAllocator{cur: memory.DefaultAllocator}
	fr, err := newFileReader(f, alloc, size)
	if err != nil {
		return nil, err
	}
	alloc.set(mem)
	return fr, nil
}

// newFileReader opens fr, turning the panics Arrow Go raises on some
// corrupt inputs into ErrCorrupt.
func newFileReader(f *os.File, mem memory.Allocator, size int64) (fr *arrowipc.FileReader, err error) {
	defer func() {
		if p := recover(); p != nil {
			fr, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	if size == 0 {
		return nil, fmt.Errorf("%w: empty file", ErrCorrupt)
	}
	// The footer offset spares NewFileReader a Seek on the shared file.
	return arrowipc.NewFileReader(f, arrowipc.WithAllocator(mem), arrowipc.WithFooterOffset(size))
}

// recordAt reads batch i; Arrow Go panics on corrupt buffers.
func recordAt(fr *arrowipc.FileReader, i int) (rec arrow.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			rec, err = nil, fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	return fr.RecordAt(i)
}

// ReadStream reads the Arrow IPC stream format from r; name is used in
// errors only. Batches are decoded in order as they arrive (the stream
// format has no index to fan out over).
func ReadStream(ctx context.Context, r io.Reader, name string, opt Options) (res *Result, err error) {
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	cr := &countingReader{r: r}
	var recs []arrow.Record
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("ipc: %s: %w: %v", name, ErrCorrupt, p)
		}
		if err != nil {
			for _, rec := range recs {
				rec.Release()
			}
		}
	}()
	sr, err := arrowipc.NewReader(cr, arrowipc.WithAllocator(mem))
	if err != nil {
		if errors.Is(err, io.EOF) && cr.n == 0 {
			err = io.ErrUnexpectedEOF // an empty input has no schema
		}
		return nil, fmt.Errorf("ipc: %s: %w", name, err)
	}
	defer sr.Release()
	proj, schema, err := projection(sr.Schema(), opt.Columns)
	if err != nil {
		return nil, fmt.Errorf("%w (stream %s)", err, name)
	}
	for sr.Next() {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("ipc: %s: %w", name, err)
		}
		rec := sr.Record()
		rec.Retain() // valid only until Next otherwise
		recs = append(recs, project(rec, schema, proj))
	}
	if err := sr.Err(); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("ipc: %s: batch %d: %w", name, len(recs), err)
	}
	return &Result{Schema: schema, Records: recs, Bytes: cr.n}, nil
}

// projection resolves cols against s: the field indices (nil for all) and
// the projected schema.
func projection(s *arrow.Schema, cols []string) ([]int, *arrow.Schema, error) {
	if len(cols) == 0 {
		return nil, s, nil
	}
	idx := make([]int, len(cols))
	fields := make([]arrow.Field, len(cols))
	for i, c := range cols {
		ix := s.FieldIndices(c)
		if len(ix) == 0 {
			return nil, nil, fmt.Errorf("%w %q", ErrUnknownColumn, c)
		}
		idx[i] = ix[0]
		fields[i] = s.Field(ix[0])
	}
	md := s.Metadata()
	return idx, arrow.NewSchema(fields, &md), nil
}

// project takes ownership of rec and returns the projected record.
func project(rec arrow.Record, schema *arrow.Schema, proj []int) arrow.Record {
	if proj == nil {
		return rec
	}
	cols := make([]arrow.Array, len(proj))
	for i, j := range proj {
		cols[i] = rec.Column(j)
	}
	out := array.NewRecord(schema, cols, rec.NumRows())
	rec.Release()
	return out
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// switchAllocator forwards to cur, which set changes once. Buffers
// allocated before the switch come from the Go heap (memory.DefaultAllocator,
// whose Free is a no-op); they are remembered so that a later Free does not
// reach the new allocator, which never saw them.
type switchAllocator struct {
	mu     sync.Mutex
	cur    memory.Allocator
	before map[*byte]struct{} // live buffers allocated before set
	moved  bool
}

func (a *switchAllocator) set(m memory.Allocator) {
	a.mu.Lock()
	a.cur, a.moved = m, true
	a.mu.Unlock()
}

func (a *switchAllocator) Allocate(size int) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	b := a.cur.Allocate(size)
	if !a.moved {
		if a.before == nil {
			a.before = make(map[*byte]struct{})
		}
		a.before[unsafe.SliceData(b)] = struct{}{}
	}
	return b
}

func (a *switchAllocator) Reallocate(size int, b []byte) []byte {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := unsafe.SliceData(b)
	if _, ok := a.before[p]; ok && a.moved {
		delete(a.before, p)
		nb := a.cur.Allocate(size)
		copy(nb, b)
		return nb
	}
	nb := a.cur.Reallocate(size, b)
	if !a.moved {
		delete(a.before, p)
		a.before[unsafe.SliceData(nb)] = struct{}{}
	}
	return nb
}

func (a *switchAllocator) Free(b []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := unsafe.SliceData(b)
	if _, ok := a.before[p]; ok {
		delete(a.before, p)
		if a.moved {
			return // Go heap: the collector frees it
		}
	}
	a.cur.Free(b)
}
