package parquet

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	pq "github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"golang.org/x/sync/errgroup"

	"github.com/shoaldata/shoal/io/internal/readmem"
)

// Errors returned (wrapped, with the file or column named) by Read, Schema
// and Write.
var (
	ErrUnknownColumn  = errors.New("parquet: unknown column")
	ErrNoFiles        = errors.New("parquet: no files")
	ErrCorrupt        = errors.New("parquet: corrupt file")
	ErrSchemaMismatch = errors.New("parquet: files have different schemas")
	ErrPartition      = errors.New("parquet: bad hive partitioning")
	ErrExists         = errors.New("parquet: destination exists")
	ErrCompression    = errors.New("parquet: unsupported compression")
)

// Options control Read. The zero value reads every column of every row
// group with GOMAXPROCS workers from the default allocator.
type Options struct {
	// Columns is the projection: only these columns (file columns or hive
	// keys) are read, in this order. Empty reads all, the file's columns
	// then the keys. A name the dataset lacks is an ErrUnknownColumn.
	Columns []string
	// RowGroupFilter is predicate pushdown: it is called once per row
	// group, on the calling goroutine, before any data is read, and a
	// row group it returns false for is skipped. It must be conservative
	// (return true when statistics cannot rule the group out). Nil reads
	// all.
	RowGroupFilter func(rg RowGroup) bool
	// Parallelism is the number of row groups decoded at once (0:
	// GOMAXPROCS). When there are fewer row groups than workers, the
	// columns of each row group are decoded in parallel as well.
	Parallelism int
	// Mem allocates the returned records and the reader's buffers; nil is
	// memory.DefaultAllocator.
	Mem memory.Allocator
	// Progress, if set, is called after each row group with the bytes
	// (compressed, of the projected columns) read so far and in all. Calls
	// are serialized but come from worker goroutines.
	Progress func(done, total int64)
}

// RowGroup describes one row group for pushdown, from the footer only.
// Its maps belong to the filter for the duration of the call.
type RowGroup struct {
	File  string
	Index int
	Rows  int64
	// Stats are by column name; a column without statistics (or of a type
	// ColumnStats does not describe, or nested) is absent.
	Stats map[string]ColumnStats
	// Partition holds the hive key=value pairs of the file's directory,
	// unescaped; a null key (__HIVE_DEFAULT_PARTITION__) is absent.
	Partition map[string]string
}

// Result is what Read returns. The caller owns Records and must Release
// each.
type Result struct {
	Schema *arrow.Schema
	// Records holds one record per row group read, in file then row-group
	// order; a row group of zero rows gives no record.
	Records []arrow.Record
	// RowGroups is the number of row groups read, Skipped the number the
	// filter skipped.
	RowGroups, Skipped int
	// Bytes is the compressed size of the column chunks read.
	Bytes int64
}

// Release releases every record; the Result must not be used after.
func (r *Result) Release() {
	for _, rec := range r.Records {
		rec.Release()
	}
	r.Records = nil
}

// Schema returns the Arrow schema Read(ctx, path, Options{}) would return,
// reading footers only (the planner's view of a scan). Every file named by
// path is opened, to check that they agree.
func Schema(ctx context.Context, path string) (*arrow.Schema, error) {
	ds, err := open(ctx, path, runtime.GOMAXPROCS(0), memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	defer ds.close()
	return ds.schema(), nil
}

// readBuffer is the read-ahead for page headers and small pages; larger
// pages are read straight into their page buffer.
const readBuffer = 256 << 10

// task is one row group to read.
type task struct {
	src   *source
	rg    int
	rows  int64
	bytes int64
}

// Read reads the Parquet file, hive-partitioned directory or glob at path
// (see the package doc for directories) into records, one per row group,
// decoding row groups in parallel. It returns when all are read or on the
// first error, which names the file; on error no records are returned and
// all memory is released. Safe for concurrent use if opt.Mem is.
func Read(ctx context.Context, path string, opt Options) (*Result, error) {
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	par := opt.Parallelism
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	ds, err := open(ctx, path, par, mem)
	if err != nil {
		return nil, err
	}
	defer ds.close()
	return ds.read(ctx, opt, par, mem)
}

// read reads the open files of ds (see Read).
func (ds *dataset) read(ctx context.Context, opt Options, par int, mem memory.Allocator) (*Result, error) {
	full := ds.schema()
	proj, err := project(full, opt.Columns, ds.files[0].path)
	if err != nil {
		return nil, err
	}
	nfile := len(ds.files[0].schema.Fields())
	// The projection split into file columns and hive keys; pos is where
	// each lands in the result, file columns first.
	var fileCols, keyCols, filePos, keyPos []int
	for i, c := range proj {
		if c < nfile {
			fileCols, filePos = append(fileCols, c), append(filePos, i)
		} else {
			keyCols, keyPos = append(keyCols, c-nfile), append(keyPos, i)
		}
	}
	pos := append(filePos, keyPos...)
	var leaves []int
	for _, c := range fileCols {
		leaves = append(leaves, ds.files[0].leaves[c]...)
	}
	slices.Sort(leaves)

	fields := make([]arrow.Field, len(proj))
	for i, c := range proj {
		fields[i] = full.Field(c)
	}
	md := full.Metadata()
	res := &Result{Schema: arrow.NewSchema(fields, &md)}

	var tasks []task
	for _, s := range ds.files {
		for i := range len(s.meta.RowGroups) {
			rg := s.meta.RowGroup(i)
			if opt.RowGroupFilter != nil && !opt.RowGroupFilter(ds.rowGroupInfo(s, i)) {
				res.Skipped++
				continue
			}
			t := task{src: s, rg: i, rows: rg.NumRows()}
			for _, l := range leaves {
				if cc, err := rg.ColumnChunk(l); err == nil {
					t.bytes += cc.TotalCompressedSize()
				}
			}
			res.Bytes += t.bytes
			tasks = append(tasks, t)
		}
	}
	res.RowGroups = len(tasks)

	keys := ds.keyArrays(mem)
	defer releaseAll(keys)

	recs := make([]arrow.Record, len(tasks))
	var (
		progMu sync.Mutex
		done   int64
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(par)
	// With fewer row groups than workers, let pqarrow spread the columns.
	colPar := len(tasks) < par
	// Each worker decodes into its own pool, recycled between row groups
	// (perf: first-touch page faults were 28% of a 1e7-row read).
	workers := make(chan *fastWorker, par)
	for range par {
		p := readmem.NewPool(mem)
		defer readmem.Close(p)
		workers <- &fastWorker{mem: p}
	}
	for i, t := range tasks {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			w := <-workers
			rec, err := readRowGroup(gctx, t, leaves, fileCols, keyCols, pos, ds, keys, res.Schema, colPar, w)
			readmem.Recycle(w.mem)
			workers <- w
			if err != nil {
				return err
			}
			recs[i] = rec
			if opt.Progress != nil {
				progMu.Lock()
				done += t.bytes
				opt.Progress(done, res.Bytes)
				progMu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		for _, r := range recs {
			if r != nil {
				r.Release()
			}
		}
		return nil, err
	}
	for _, r := range recs {
		if r.NumRows() == 0 {
			r.Release()
			continue
		}
		res.Records = append(res.Records, r)
	}
	return res, nil
}

// project maps the requested names to indexes of full.
func project(full *arrow.Schema, cols []string, file string) ([]int, error) {
	if len(cols) == 0 {
		idx := make([]int, full.NumFields())
		for i := range idx {
			idx[i] = i
		}
		return idx, nil
	}
	idx := make([]int, len(cols))
	var unknown []string
	for i, c := range cols {
		found := full.FieldIndices(c)
		if len(found) == 0 {
			unknown = append(unknown, strconv.Quote(c))
			continue
		}
		idx[i] = found[0]
	}
	if len(unknown) > 0 {
		names := make([]string, full.NumFields())
		for i, f := range full.Fields() {
			names[i] = f.Name
		}
		return nil, fmt.Errorf("%w: %s in %s (columns: %s)", ErrUnknownColumn, strings.Join(unknown, ", "), file, strings.Join(names, ", "))
	}
	return idx, nil
}

// rowGroupInfo builds the filter's view of row group i of s.
func (d *dataset) rowGroupInfo(s *source, i int) RowGroup {
	rg := s.meta.RowGroup(i)
	info := RowGroup{File: s.path, Index: i, Rows: rg.NumRows(), Stats: s.rowGroupStats(rg)}
	if len(d.keys) > 0 {
		info.Partition = make(map[string]string, len(d.keys))
		for k, key := range d.keys {
			if !s.null[k] {
				info.Partition[key] = s.part[k]
			}
		}
	}
	return info
}

// keyArrays returns, for each dictionary key, its dictionary (nil for int
// keys). The caller releases them.
func (d *dataset) keyArrays(mem memory.Allocator) []arrow.Array {
	out := make([]arrow.Array, len(d.keys))
	for k := range d.keys {
		if d.kinds[k] != keyDict {
			continue
		}
		b := array.NewStringBuilder(mem)
		b.AppendValues(d.dicts[k], nil)
		out[k] = b.NewArray()
		b.Release()
	}
	return out
}

func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// readRowGroup decodes the leaves of one row group and assembles the
// record of schema sc from the file columns fileCols (indexes of the
// file's fields) and the constant key columns keyCols; pos gives the
// position in sc of each, fileCols first.
func readRowGroup(ctx context.Context, t task, leaves, fileCols, keyCols, pos []int, ds *dataset, keyDicts []arrow.Array, sc *arrow.Schema, colPar bool, w *fastWorker) (arrow.Record, error) {
	mem := w.mem
	s := t.src
	cols := make([]arrow.Array, sc.NumFields())
	defer releaseAll(cols)

	if len(fileCols) > 0 {
		props := pq.NewReaderProperties(mem)
		// Stream pages from the file: unbuffered, pqarrow reads a whole
		// column chunk into one slice and copies it into a second one
		// before decoding, doubling the memory churn.
		props.BufferedStreamEnabled = true
		props.BufferSize = readBuffer
		ra := s.readerAt()
		rdr, err := file.NewParquetReader(ra, file.WithReadProps(props), file.WithMetadata(s.meta))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, s.path, err)
		}
		fast := readFast(ctx, chunkSource{rdr, props, ra}, t.rg, s, fileCols, colPar, w)
		defer releaseAll(fast)
		var slow []int
		for j, c := range fileCols {
			if fast[j] == nil {
				slow = append(slow, s.leaves[c]...)
			}
		}
		var tbl arrow.Table
		if len(slow) > 0 {
			fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{Parallel: colPar, BatchSize: t.rows}, mem)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: %w", ErrCorrupt, s.path, err)
			}
			slices.Sort(slow)
			if tbl, err = fr.ReadRowGroups(ctx, slow, []int{t.rg}); err != nil {
				return nil, fmt.Errorf("%w: %s: row group %d: %w", ErrCorrupt, s.path, t.rg, err)
			}
			defer tbl.Release()
		}
		for j, c := range fileCols {
			name := s.schema.Field(c).Name
			arr := fast[j]
			fast[j] = nil
			if arr == nil {
				idx := tbl.Schema().FieldIndices(name)
				if len(idx) == 0 {
					return nil, fmt.Errorf("%w: %s: row group %d lacks column %q", ErrCorrupt, s.path, t.rg, name)
				}
				if arr, err = single(tbl.Column(idx[0]).Data(), mem); err != nil {
					return nil, fmt.Errorf("parquet: %s: row group %d: column %q: %w", s.path, t.rg, name, err)
				}
			}
			if dt := s.retype[c]; dt != nil {
				arr = relabel(arr, dt, mem)
			}
			if int64(arr.Len()) != t.rows {
				arr.Release()
				return nil, fmt.Errorf("%w: %s: row group %d: column %q has %d rows, want %d", ErrCorrupt, s.path, t.rg, name, arr.Len(), t.rows)
			}
			cols[pos[j]] = arr
		}
	}
	for j, k := range keyCols {
		cols[pos[len(fileCols)+j]] = keyColumn(ds, s, k, keyDicts[k], int(t.rows), mem)
	}
	return array.NewRecord(sc, cols, t.rows), nil
}

// readFast decodes the flat columns of row group rg it can (see
// fastread.go), in parallel when colPar; the result has nil where pqarrow
// must read the column.
func readFast(ctx context.Context, src chunkSource, rg int, s *source, fileCols []int, colPar bool, w *fastWorker) []arrow.Array {
	out := make([]arrow.Array, len(fileCols))
	if !useFastPath {
		return out
	}
	rgr := src.file.RowGroup(rg)
	one := func(j int, w *fastWorker) {
		c := fileCols[j]
		if len(s.leaves[c]) != 1 || ctx.Err() != nil {
			return
		}
		leaf := s.leaves[c][0]
		if arr, err := w.readColumn(src, rgr, leaf, s.stored.Field(c).Type); err == nil {
			out[j] = arr
		}
	}
	if !colPar {
		for j := range fileCols {
			one(j, w)
		}
		return out
	}
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for j := range fileCols {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			one(j, &fastWorker{mem: w.mem})
		}()
	}
	wg.Wait()
	return out
}

// single returns the chunks of c as one array the caller owns.
func single(c *arrow.Chunked, mem memory.Allocator) (arrow.Array, error) {
	switch len(c.Chunks()) {
	case 0:
		return array.MakeArrayOfNull(mem, c.DataType(), 0), nil
	case 1:
		a := c.Chunk(0)
		a.Retain()
		return a, nil
	}
	return array.Concatenate(c.Chunks(), mem)
}

// keyColumn builds key k's constant column for n rows of file s.
func keyColumn(ds *dataset, s *source, k int, dict arrow.Array, n int, mem memory.Allocator) arrow.Array {
	if s.null[k] {
		return array.MakeArrayOfNull(mem, ds.keyType(k), n)
	}
	if ds.kinds[k] == keyInt {
		v, _ := strconv.ParseInt(s.part[k], 10, 64) // checked by inferKeys
		buf := memory.NewResizableBuffer(mem)
		buf.Resize(n * 8)
		vals := arrow.Int64Traits.CastFromBytes(buf.Bytes())
		for i := range vals {
			vals[i] = v
		}
		data := array.NewData(arrow.PrimitiveTypes.Int64, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
		buf.Release()
		defer data.Release()
		return array.NewInt64Data(data)
	}
	code, _ := slices.BinarySearch(ds.dicts[k], s.part[k])
	buf := memory.NewResizableBuffer(mem)
	buf.Resize(n * 4)
	codes := arrow.Int32Traits.CastFromBytes(buf.Bytes())
	for i := range codes {
		codes[i] = int32(code)
	}
	data := array.NewData(arrow.PrimitiveTypes.Int32, n, []*memory.Buffer{nil, buf}, nil, 0, 0)
	buf.Release()
	defer data.Release()
	idx := array.NewInt32Data(data)
	defer idx.Release()
	return array.NewDictionaryArray(ds.keyType(k), idx, dict)
}

// relabel returns a's data under timestamp type dt, releasing a. Zones
// differ only in the label; milliseconds read for a second column are
// divided down.
func relabel(a arrow.Array, dt arrow.DataType, mem memory.Allocator) arrow.Array {
	defer a.Release()
	d := a.Data()
	bufs := d.Buffers()
	from, to := a.DataType().(*arrow.TimestampType), dt.(*arrow.TimestampType)
	if from.Unit == arrow.Millisecond && to.Unit == arrow.Second {
		src := a.(*array.Timestamp).TimestampValues()
		buf := memory.NewResizableBuffer(mem)
		defer buf.Release()
		// Values at the array's offset, so the validity bitmap still lines up.
		off := d.Offset()
		buf.Resize((off + len(src)) * 8)
		dst := arrow.TimestampTraits.CastFromBytes(buf.Bytes())[off : off+len(src)]
		for i, v := range src {
			dst[i] = v / 1000
		}
		bufs = []*memory.Buffer{bufs[0], buf}
	}
	nd := array.NewData(dt, d.Len(), bufs, d.Children(), d.NullN(), d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd)
}
