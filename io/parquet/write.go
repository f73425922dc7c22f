package parquet

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/compute"
	"github.com/apache/arrow/go/v15/arrow/memory"
	pq "github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// WriteOptions control Write. The zero value writes one zstd file with
// row groups of 1M rows.
type WriteOptions struct {
	// Compression is "zstd" (default), "snappy", "gzip" or "none". "lz4"
	// is an ErrCompression: arrow/go v15 has no Parquet LZ4 codec.
	Compression string
	// RowGroupRows is the rows per row group (default 1<<20); records are
	// cut and joined so every row group but the last has exactly this many.
	RowGroupRows int64
	// PartitionBy writes a hive-partitioned directory instead of a file:
	// path/k1=v1/k2=v2/part-00000.parquet, one file per distinct key
	// tuple, without the key columns. Keys must be integer, boolean or
	// string columns (plain or dictionary); a null key is written as
	// __HIVE_DEFAULT_PARTITION__.
	PartitionBy []string
	// Mem allocates the writer's Arrow-side buffers (the gathered
	// partitions, dictionary conversions); nil is memory.DefaultAllocator.
	// Parquet's page and encoder buffers come from Go's allocator (see
	// writeFile).
	Mem memory.Allocator
	// Progress, if set, is called as rows are encoded (at most every
	// 64Ki rows) with the rows written so far and the total rows of recs,
	// counted across every file of a partitioned write. The output's size
	// is not known until it is written, so rows, not bytes, are counted.
	// Calls come from the calling goroutine; done never decreases and the
	// last call has done == total (no call for zero rows).
	Progress func(done, total int64)
}

// defaultRowGroupRows matches pyarrow's default row-group length.
const defaultRowGroupRows = 1 << 20

// dictPageLimit bounds a column chunk's dictionary page before the writer
// falls back to plain encoding. Parquet's default (1 MiB) is too small for
// a 1M-row group of 100k distinct 12-byte ids; falling back would make the
// reader rebuild the dictionary by hashing every string.
const dictPageLimit = 8 << 20

// Write writes recs (all of one schema, which the first record gives; at
// least one record, possibly of zero rows) to the Parquet file path, or,
// with opt.PartitionBy, to a hive-partitioned directory path, which must
// not exist or be empty. Each file is written under a temporary name in
// its directory (starting with ".", so readers skip it) and renamed into
// place only once complete and synced: a failed or cancelled Write leaves
// no file under a final name. The Arrow schema is stored in the file so
// dictionaries, time zones and large types read back as written.
//
// The records are borrowed. Safe for concurrent use if opt.Mem is, for
// different paths.
func Write(ctx context.Context, path string, recs []arrow.Record, opt WriteOptions) error {
	if len(recs) == 0 {
		return fmt.Errorf("parquet: write %s: no records (a schema needs at least one)", path)
	}
	sc := recs[0].Schema()
	for i, r := range recs[1:] {
		if !r.Schema().Equal(sc) {
			return fmt.Errorf("%w: write %s: record %d has schema %s, record 0 %s", ErrSchemaMismatch, path, i+1, r.Schema(), sc)
		}
	}
	if opt.Mem == nil {
		opt.Mem = memory.DefaultAllocator
	}
	if opt.RowGroupRows <= 0 {
		opt.RowGroupRows = defaultRowGroupRows
	}
	codec, err := codecOf(opt.Compression)
	if err != nil {
		return err
	}
	prog := func(int64) {}
	if opt.Progress != nil {
		var total, done int64
		for _, r := range recs {
			total += r.NumRows()
		}
		prog = func(n int64) {
			done += n
			opt.Progress(done, total)
		}
	}
	if len(opt.PartitionBy) == 0 {
		return writeFile(ctx, path, sc, recs, codec, opt, prog)
	}
	return writePartitioned(ctx, path, sc, recs, codec, opt, prog)
}

func codecOf(name string) (compress.Compression, error) {
	switch strings.ToLower(name) {
	case "", "zstd":
		return compress.Codecs.Zstd, nil
	case "snappy":
		return compress.Codecs.Snappy, nil
	case "gzip":
		return compress.Codecs.Gzip, nil
	case "lz4":
		// arrow/go v15 has no LZ4 codec for Parquet and no way to register
		// one (RegisterCodec arrived in v16).
		return 0, fmt.Errorf("%w: lz4 (arrow/go v15 cannot write it; use zstd or snappy)", ErrCompression)
	case "none", "uncompressed":
		return compress.Codecs.Uncompressed, nil
	}
	return 0, fmt.Errorf("%w: %q (want zstd, snappy, gzip or none)", ErrCompression, name)
}

// writeFile writes recs to path through a temporary file and a rename,
// passing prog the rows of each piece written.
func writeFile(ctx context.Context, path string, sc *arrow.Schema, recs []arrow.Record, codec compress.Compression, opt WriteOptions, prog func(rows int64)) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	wprops := []pq.WriterProperty{
		// The encoders' own buffers come from Go's allocator, not opt.Mem:
		// pqarrow v15's column writer re-allocates its level buffers on
		// Close (BufferWriter.Reset) and never frees them, which would
		// show as a leak in every accounting allocator. Go's GC reclaims
		// them; the Arrow-side buffers (dictionary and cast conversions)
		// still come from opt.Mem.
		pq.WithAllocator(memory.NewGoAllocator()),
		pq.WithCompression(codec),
		pq.WithMaxRowGroupLength(opt.RowGroupRows),
		pq.WithBatchSize(writeBatch),
		// arrow/go v15's zstd codec builds a new encoder (and its history
		// buffers) for every page: 1 MiB pages made writing a 1M-row group
		// allocate gigabytes. Bigger pages amortize it and compress better.
		pq.WithDataPageSize(dataPageSize),
		pq.WithVersion(pq.V2_LATEST),
		pq.WithDictionaryPageSizeLimit(dictPageLimit),
		pq.WithStats(true),
		pq.WithCreatedBy("shoal"),
	}
	// Floats rarely repeat: dictionary-encoding them only grows the file
	// until the writer gives up at dictPageLimit.
	for _, fld := range sc.Fields() {
		if id := fld.Type.ID(); id == arrow.FLOAT32 || id == arrow.FLOAT64 {
			wprops = append(wprops, pq.WithDictionaryFor(fld.Name, false))
		}
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	fw, err := pqarrow.NewFileWriter(sc, bw, pq.NewWriterProperties(wprops...),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema(), pqarrow.WithAllocator(opt.Mem)))
	if err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	if err = writeRecords(ctx, fw, recs, opt, prog); err != nil {
		fw.Close()
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	if err = fw.Close(); err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	// CreateTemp makes the file 0600; give it a data file's usual mode.
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}
	return nil
}

// dataPageSize is the uncompressed size at which a data page is cut.
const dataPageSize = 8 << 20

// writeBatch is the rows handed to pqarrow per call, and its write batch
// size, so that each call is a single batch (see writeRecords).
const writeBatch = 64 << 10

// writeRecords writes recs into row groups of opt.RowGroupRows rows,
// cutting them itself in pieces of at most writeBatch rows whose
// dictionary columns start at offset 0. This works around a bug in
// pqarrow v15's dictionary index writer (maybeReplaceValidity slices the
// indices buffer as [offset:len] instead of [offset:offset+len]), hit by
// nullable dictionary columns without nulls at any batch but the first of
// a call or any sliced input: it panics or writes wrong indices.
func writeRecords(ctx context.Context, fw *pqarrow.FileWriter, recs []arrow.Record, opt WriteOptions, prog func(rows int64)) error {
	var inGroup int64 // rows in the current row group
	started := false
	for _, r := range recs {
		n := r.NumRows()
		if n == 0 && !started {
			// A zero-row file still gets its (empty) row group, as
			// pqarrow's WriteBuffered makes one.
			if err := fw.WriteBuffered(r); err != nil {
				return err
			}
			started = true
			continue
		}
		for off := int64(0); off < n; {
			if err := ctx.Err(); err != nil {
				return err
			}
			if inGroup == opt.RowGroupRows {
				fw.NewBufferedRowGroup()
				inGroup = 0
			}
			k := min(n-off, writeBatch, opt.RowGroupRows-inGroup)
			piece := r.NewSlice(off, off+k)
			flat, err := zeroOffsetDicts(piece, opt.Mem)
			piece.Release()
			if err != nil {
				return err
			}
			err = fw.WriteBuffered(flat)
			flat.Release()
			if err != nil {
				return err
			}
			started = true
			off += k
			inGroup += k
			prog(k)
		}
	}
	return nil
}

// zeroOffsetDicts returns r with every dictionary column whose data starts
// at an offset copied to offset 0 (indices and validity; the dictionary is
// shared). Other columns are shared.
func zeroOffsetDicts(r arrow.Record, mem memory.Allocator) (arrow.Record, error) {
	cols := make([]arrow.Array, r.NumCols())
	defer releaseAll(cols)
	for i, c := range r.Columns() {
		d, ok := c.(*array.Dictionary)
		if !ok || d.Data().Offset() == 0 {
			c.Retain()
			cols[i] = c
			continue
		}
		idx := d.Indices()
		w := idx.DataType().(arrow.FixedWidthDataType).BitWidth() / 8
		off, n := idx.Data().Offset(), idx.Len()
		vals := memory.NewResizableBuffer(mem)
		vals.Resize(n * w)
		copy(vals.Bytes(), idx.Data().Buffers()[1].Bytes()[off*w:(off+n)*w])
		var valid *memory.Buffer
		if idx.NullN() > 0 {
			valid = memory.NewResizableBuffer(mem)
			valid.Resize(int(bitutil.BytesForBits(int64(n))))
			bitutil.CopyBitmap(idx.Data().Buffers()[0].Bytes(), off, n, valid.Bytes(), 0)
		}
		data := array.NewData(idx.DataType(), n, []*memory.Buffer{valid, vals}, nil, idx.NullN(), 0)
		vals.Release()
		if valid != nil {
			valid.Release()
		}
		flat := array.MakeFromData(data)
		data.Release()
		cols[i] = array.NewDictionaryArray(d.DataType(), flat, d.Dictionary())
		flat.Release()
	}
	return array.NewRecord(r.Schema(), cols, r.NumRows()), nil
}

// group is the rows of one partition, per input record.
type group struct {
	dir  string    // k1=v1/k2=v2
	rows [][]int64 // rows[r] are the rows of recs[r] in this partition
}

// writePartitioned splits recs by the PartitionBy keys and writes one file
// per key tuple, without the key columns.
func writePartitioned(ctx context.Context, path string, sc *arrow.Schema, recs []arrow.Record, codec compress.Compression, opt WriteOptions, prog func(rows int64)) error {
	keyIdx := make([]int, len(opt.PartitionBy))
	for i, k := range opt.PartitionBy {
		idx := sc.FieldIndices(k)
		if len(idx) == 0 {
			return fmt.Errorf("%w: partition key %q in write %s", ErrUnknownColumn, k, path)
		}
		if !partitionable(sc.Field(idx[0]).Type) {
			return fmt.Errorf("%w: write %s: key %q has type %s (want integer, boolean or string)", ErrPartition, path, k, sc.Field(idx[0]).Type)
		}
		keyIdx[i] = idx[0]
	}
	if ents, err := os.ReadDir(path); err == nil && len(ents) > 0 {
		return fmt.Errorf("%w: write %s: directory is not empty", ErrExists, path)
	} else if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("parquet: write %s: %w", path, err)
	}

	var keep []int
	for i := range sc.NumFields() {
		if !slices.Contains(keyIdx, i) {
			keep = append(keep, i)
		}
	}
	fields := make([]arrow.Field, len(keep))
	for i, c := range keep {
		fields[i] = sc.Field(c)
	}
	md := sc.Metadata()
	outSchema := arrow.NewSchema(fields, &md)

	var groups []*group
	byDir := map[string]*group{}
	var buf []byte
	for r, rec := range recs {
		for row := range int(rec.NumRows()) {
			buf = buf[:0]
			for i, c := range keyIdx {
				if i > 0 {
					buf = append(buf, '/')
				}
				buf = append(buf, opt.PartitionBy[i]...)
				buf = append(buf, '=')
				buf = appendKey(buf, rec.Column(c), row)
			}
			g := byDir[string(buf)]
			if g == nil {
				g = &group{dir: string(buf), rows: make([][]int64, len(recs))}
				byDir[g.dir] = g
				groups = append(groups, g)
			}
			g.rows[r] = append(g.rows[r], int64(row))
		}
	}
	slices.SortFunc(groups, func(a, b *group) int { return strings.Compare(a.dir, b.dir) })

	for _, g := range groups {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("parquet: write %s: %w", path, err)
		}
		if err := writeGroup(ctx, path, g, recs, keep, outSchema, codec, opt, prog); err != nil {
			return err
		}
	}
	return nil
}

// writeGroup gathers the rows of g and writes them as one file.
func writeGroup(ctx context.Context, root string, g *group, recs []arrow.Record, keep []int, sc *arrow.Schema, codec compress.Compression, opt WriteOptions, prog func(rows int64)) error {
	dir := filepath.Join(root, filepath.FromSlash(g.dir))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("parquet: write %s: %w", root, err)
	}
	var parts []arrow.Record
	defer func() {
		for _, p := range parts {
			p.Release()
		}
	}()
	cctx := compute.WithAllocator(ctx, opt.Mem)
	for r, rows := range g.rows {
		if len(rows) == 0 {
			continue
		}
		b := array.NewInt64Builder(opt.Mem)
		b.AppendValues(rows, nil)
		idx := b.NewInt64Array()
		b.Release()
		cols := make([]arrow.Array, 0, len(keep))
		var err error
		for _, c := range keep {
			var a arrow.Array
			a, err = take(cctx, recs[r].Column(c), idx)
			if err != nil {
				break
			}
			cols = append(cols, a)
		}
		idx.Release()
		if err == nil {
			parts = append(parts, array.NewRecord(sc, cols, int64(len(rows))))
		}
		releaseAll(cols)
		if err != nil {
			return fmt.Errorf("parquet: write %s: %s: %w", root, g.dir, err)
		}
	}
	return writeFile(ctx, filepath.Join(dir, "part-00000.parquet"), sc, parts, codec, opt, prog)
}

// take gathers idx of a; dictionaries keep their dictionary (Arrow's take
// kernel does not handle them).
func take(ctx context.Context, a arrow.Array, idx arrow.Array) (arrow.Array, error) {
	if d, ok := a.(*array.Dictionary); ok {
		codes, err := compute.TakeArray(ctx, d.Indices(), idx)
		if err != nil {
			return nil, err
		}
		defer codes.Release()
		return array.NewDictionaryArray(d.DataType(), codes, d.Dictionary()), nil
	}
	return compute.TakeArray(ctx, a, idx)
}

func partitionable(dt arrow.DataType) bool {
	if d, ok := dt.(*arrow.DictionaryType); ok {
		dt = d.ValueType
	}
	switch dt.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.BOOL, arrow.STRING, arrow.LARGE_STRING:
		return true
	}
	return false
}

// appendKey appends the escaped directory value of a[i].
func appendKey(dst []byte, a arrow.Array, i int) []byte {
	if a.IsNull(i) {
		return append(dst, hiveNull...)
	}
	if d, ok := a.(*array.Dictionary); ok {
		a, i = d.Dictionary(), d.GetValueIndex(i)
		if a.IsNull(i) {
			return append(dst, hiveNull...)
		}
	}
	switch a := a.(type) {
	case *array.Int8:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int16:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int32:
		return strconv.AppendInt(dst, int64(a.Value(i)), 10)
	case *array.Int64:
		return strconv.AppendInt(dst, a.Value(i), 10)
	case *array.Uint8:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint16:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint32:
		return strconv.AppendUint(dst, uint64(a.Value(i)), 10)
	case *array.Uint64:
		return strconv.AppendUint(dst, a.Value(i), 10)
	case *array.Boolean:
		return strconv.AppendBool(dst, a.Value(i))
	case *array.String:
		return appendEscaped(dst, a.Value(i))
	case *array.LargeString:
		return appendEscaped(dst, a.Value(i))
	}
	panic("parquet: appendKey: unchecked type " + a.DataType().String()) // partitionable guards
}

// appendEscaped percent-escapes what cannot stand in a key=value segment
// (separators, '=', '%', control bytes, glob characters), so
// url.PathUnescape restores it.
func appendEscaped(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	if s == "" {
		// An empty segment would vanish from the path; pyarrow writes it
		// as the null marker too.
		return append(dst, hiveNull...)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == '/' || c == '\\' || c == '=' || c == '%' || c == ':' ||
			c == '*' || c == '?' || c == '[' {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
			continue
		}
		dst = append(dst, c)
	}
	return dst
}
