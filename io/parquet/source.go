package parquet

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
	pq "github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/file"
	"github.com/apache/arrow/go/v15/parquet/metadata"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
	"golang.org/x/sync/errgroup"
)

// hiveNull is the directory value Hive, Spark and pyarrow use for a null
// partition key.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// source is one Parquet file of a dataset, its footer decoded.
type source struct {
	path   string
	f      *os.File
	size   int64
	mtime  time.Time // with size, tells whether the footer still describes the file
	meta   *metadata.FileMetaData
	schema *arrow.Schema // the file's Arrow schema, without partition keys
	stored *arrow.Schema // the schema as pqarrow decodes it, for statistics
	// leaves[i] are the leaf column indexes of schema field i; stats are
	// kept only for fields with a single leaf (top-level primitives).
	leaves [][]int
	// retype[i], if set, is the type field i is stored under in the
	// file's Arrow schema when pqarrow reads it otherwise (see restore).
	retype []arrow.DataType
	part   []string // partition values in dataset.keys order; "" with null[i] for null
	null   []bool
}

func (s *source) close() {
	if s != nil && s.f != nil { // nil: a dataset copy whose file failed to open
		s.f.Close()
		s.f = nil
	}
}

// dataset is the files behind a path and the hive keys over them.
type dataset struct {
	files []*source
	keys  []string
	kinds []keyKind
	dicts [][]string // for keyDict keys: distinct values ascending
}

type keyKind uint8

const (
	keyInt keyKind = iota
	keyDict
)

func (d *dataset) close() {
	for _, s := range d.files {
		s.close()
	}
}

// expand lists the data files named by path (a file, a directory, or a
// glob) in lexical order and, for each, the directory segments below the
// dataset's root that hive keys are taken from.
func expand(path string) (files []string, root string, err error) {
	if strings.ContainsAny(path, "*?[") {
		matches, err := filepath.Glob(path)
		if err != nil {
			return nil, "", fmt.Errorf("parquet: %s: %w", path, err)
		}
		// The root is the directory part before the first pattern segment,
		// so dir/*/x.parquet still yields the key=value of the star.
		root = path
		for strings.ContainsAny(root, "*?[") {
			root = filepath.Dir(root)
		}
		for _, m := range matches {
			st, err := os.Stat(m)
			if err != nil {
				return nil, "", fmt.Errorf("parquet: %w", err)
			}
			if st.IsDir() {
				sub, err := walk(m)
				if err != nil {
					return nil, "", err
				}
				files = append(files, sub...)
			} else {
				files = append(files, m)
			}
		}
		if len(files) == 0 {
			return nil, "", fmt.Errorf("%w: %s", ErrNoFiles, path)
		}
		return files, root, nil
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, "", fmt.Errorf("parquet: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, filepath.Dir(path), nil
	}
	files, err = walk(path)
	if err != nil {
		return nil, "", err
	}
	if len(files) == 0 {
		return nil, "", fmt.Errorf("%w: %s", ErrNoFiles, path)
	}
	return files, path, nil
}

// walk lists the data files under dir in lexical order, skipping names
// that start with "." or "_" (temporary files, _SUCCESS, _metadata).
func walk(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("parquet: %w", err)
	}
	return files, nil
}

// hiveSegments returns the key=value pairs of the directories between root
// and file, in path order. Segments without '=' are not keys.
func hiveSegments(root, file string) (keys, vals []string, null []bool, err error) {
	rel, err := filepath.Rel(root, filepath.Dir(file))
	if err != nil || rel == "." {
		return nil, nil, nil, nil
	}
	for _, seg := range strings.Split(rel, string(filepath.Separator)) {
		k, v, ok := strings.Cut(seg, "=")
		if !ok || k == "" {
			continue
		}
		if v == hiveNull {
			keys, vals, null = append(keys, k), append(vals, ""), append(null, true)
			continue
		}
		uv, err := url.PathUnescape(v)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%w: %s: %q: %v", ErrPartition, file, seg, err)
		}
		keys, vals, null = append(keys, k), append(vals, uv), append(null, false)
	}
	return keys, vals, null, nil
}

// open resolves path, reads every file's footer (in parallel, with
// parallelism workers) and checks that the files agree on their schema
// and partition keys. The caller must close the dataset.
func open(ctx context.Context, path string, parallelism int, mem memory.Allocator) (*dataset, error) {
	names, root, err := expand(path)
	if err != nil {
		return nil, err
	}
	ds := &dataset{files: make([]*source, len(names))}
	for i, name := range names {
		keys, vals, null, err := hiveSegments(root, name)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			ds.keys = keys
		} else if !slices.Equal(keys, ds.keys) {
			return nil, fmt.Errorf("%w: %s has keys %v, %s has %v", ErrPartition, names[0], ds.keys, name, keys)
		}
		ds.files[i] = &source{path: name, part: vals, null: null}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelism)
	for _, s := range ds.files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			return s.open(mem)
		})
	}
	if err := g.Wait(); err != nil {
		ds.close()
		return nil, err
	}
	first := ds.files[0].schema
	for _, s := range ds.files[1:] {
		if !s.schema.Equal(first) {
			ds.close()
			return nil, fmt.Errorf("%w: %s: %s, but %s: %s", ErrSchemaMismatch, ds.files[0].path, first, s.path, s.schema)
		}
	}
	for _, k := range ds.keys {
		if first.HasField(k) {
			ds.close()
			return nil, fmt.Errorf("%w: key %q is also a column of %s", ErrPartition, k, ds.files[0].path)
		}
	}
	ds.inferKeys()
	return ds, nil
}

// inferKeys types each hive key: int64 if every non-null value parses as
// an integer, else a dictionary of its distinct values.
func (d *dataset) inferKeys() {
	d.kinds = make([]keyKind, len(d.keys))
	d.dicts = make([][]string, len(d.keys))
	for k := range d.keys {
		isInt := true
		var vals []string
		for _, s := range d.files {
			if s.null[k] {
				continue
			}
			if _, err := strconv.ParseInt(s.part[k], 10, 64); err != nil {
				isInt = false
			}
			vals = append(vals, s.part[k])
		}
		if isInt && len(vals) > 0 {
			d.kinds[k] = keyInt
			continue
		}
		slices.Sort(vals)
		d.kinds[k] = keyDict
		d.dicts[k] = slices.Compact(vals)
	}
}

// schema is the dataset's Arrow schema: the files' fields, then the keys.
func (d *dataset) schema() *arrow.Schema {
	first := d.files[0].schema
	fields := slices.Clone(first.Fields())
	for k, key := range d.keys {
		fields = append(fields, arrow.Field{Name: key, Type: d.keyType(k), Nullable: true})
	}
	md := first.Metadata()
	return arrow.NewSchema(fields, &md)
}

func (d *dataset) keyType(k int) arrow.DataType {
	if d.kinds[k] == keyInt {
		return arrow.PrimitiveTypes.Int64
	}
	return &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}
}

// testHookFooter, if set, is called with a file's path each time its
// footer is read, from the goroutine reading it; tests count reads with it.
var testHookFooter func(path string)

// open opens the file and decodes its footer and Arrow schema. The file
// stays open (s.f) on success; on error it is closed by the dataset's close.
func (s *source) open(mem memory.Allocator) error {
	f, err := os.Open(s.path)
	if err != nil {
		return fmt.Errorf("parquet: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("parquet: %w", err)
	}
	s.f, s.size, s.mtime = f, st.Size(), st.ModTime()
	return s.readFooter(mem)
}

// readFooter decodes the footer and Arrow schema of the open file s.f.
func (s *source) readFooter(mem memory.Allocator) error {
	if testHookFooter != nil {
		testHookFooter(s.path)
	}
	rdr, err := file.NewParquetReader(s.readerAt(), file.WithReadProps(pq.NewReaderProperties(mem)))
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, s.path, err)
	}
	s.meta = rdr.MetaData()
	// Prime the lazily cached writer version: row-group readers read it
	// from several goroutines.
	s.meta.WriterVersion()
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, mem)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, s.path, err)
	}
	read, err := fr.Schema()
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, s.path, err)
	}
	origin, err := storedSchema(s.meta)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrCorrupt, s.path, err)
	}
	s.stored = read
	s.schema, s.retype = restore(read, origin)
	s.leaves = make([][]int, len(fr.Manifest.Fields))
	for i := range fr.Manifest.Fields {
		s.leaves[i] = collectLeaves(&fr.Manifest.Fields[i], nil)
	}
	return nil
}

func collectLeaves(f *pqarrow.SchemaField, out []int) []int {
	if f.IsLeaf() {
		return append(out, f.ColIndex)
	}
	for i := range f.Children {
		out = collectLeaves(&f.Children[i], out)
	}
	return out
}

// readerAt gives each reader its own offset over the shared file, which
// is read only through ReadAt and so is safe for concurrent use.
func (s *source) readerAt() pq.ReaderAtSeeker {
	return io.NewSectionReader(s.f, 0, s.size)
}

// storedSchema decodes the Arrow schema a writer stored in the footer
// (ARROW:schema, an IPC schema message in base64), or nil.
func storedSchema(meta *metadata.FileMetaData) (*arrow.Schema, error) {
	v := meta.KeyValueMetadata().FindValue("ARROW:schema")
	if v == nil {
		return nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(*v)
	if err != nil {
		if raw, err = base64.RawStdEncoding.DecodeString(*v); err != nil {
			return nil, fmt.Errorf("stored arrow schema: %w", err)
		}
	}
	r, err := ipc.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("stored arrow schema: %w", err)
	}
	defer r.Release()
	return r.Schema(), nil
}

// restore corrects what pqarrow v15 loses of the stored schema: it reads
// zone-less timestamps as UTC (it writes them isAdjustedToUTC), second
// timestamps as milliseconds (Parquet has no seconds), and it tags every
// field with PARQUET:field_id -1. It returns the schema to present
// and, per field, the type to relabel arrays with (nil: keep).
func restore(read, origin *arrow.Schema) (*arrow.Schema, []arrow.DataType) {
	fields := slices.Clone(read.Fields())
	retype := make([]arrow.DataType, len(fields))
	for i := range fields {
		f := &fields[i]
		if k := f.Metadata.FindKey(fieldIDKey); k >= 0 && f.Metadata.Values()[k] == "-1" {
			keys, vals := slices.Delete(slices.Clone(f.Metadata.Keys()), k, k+1), slices.Delete(slices.Clone(f.Metadata.Values()), k, k+1)
			f.Metadata = arrow.NewMetadata(keys, vals)
		}
		if origin == nil || i >= origin.NumFields() || origin.Field(i).Name != f.Name {
			continue
		}
		want, okW := origin.Field(i).Type.(*arrow.TimestampType)
		got, okG := f.Type.(*arrow.TimestampType)
		if !okW || !okG || *want == *got {
			continue
		}
		sameZone := want.TimeZone == got.TimeZone || (want.TimeZone == "" && got.TimeZone == "UTC")
		// Seconds are stored as milliseconds: Parquet has no second unit.
		sameUnit := want.Unit == got.Unit || (want.Unit == arrow.Second && got.Unit == arrow.Millisecond)
		if sameZone && sameUnit {
			f.Type, retype[i] = want, want
		}
	}
	md := read.Metadata()
	return arrow.NewSchema(fields, &md), retype
}

const fieldIDKey = "PARQUET:field_id"
