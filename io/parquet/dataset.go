package parquet

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"golang.org/x/sync/errgroup"
)

// Dataset is a Parquet file, hive-partitioned directory or glob whose
// footers have been read, for a planner that reads its schema once and the
// data later, perhaps many times: each Read reuses the footers rather than
// decoding them again. The set of files is the one Open found. A Dataset
// holds no open file between calls, is immutable and safe for concurrent
// use.
type Dataset struct {
	path   string
	ds     *dataset // files closed; read-only
	schema *arrow.Schema
}

// Open resolves path as Read does and reads every file's footer (in
// parallel, GOMAXPROCS at a time), checking that the files agree; it closes
// the files before returning.
func Open(ctx context.Context, path string) (*Dataset, error) {
	ds, err := open(ctx, path, runtime.GOMAXPROCS(0), memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	ds.close()
	return &Dataset{path: path, ds: ds, schema: ds.schema()}, nil
}

// Path is the path Open was given.
func (d *Dataset) Path() string { return d.path }

// Schema is the Arrow schema Read returns with no projection: the files'
// columns, then the hive keys.
func (d *Dataset) Schema() *arrow.Schema { return d.schema }

// Read reads the dataset as the package's Read reads a path, opening the
// files again for the duration of the call. A file whose size or
// modification time has changed since Open has its footer read again; if
// its schema changed too, Read fails with ErrSchemaMismatch.
func (d *Dataset) Read(ctx context.Context, opt Options) (*Result, error) {
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	par := opt.Parallelism
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	ds, err := d.ds.attach(ctx, par, mem)
	if err != nil {
		return nil, err
	}
	defer ds.close()
	return ds.read(ctx, opt, par, mem)
}

// attach returns a copy of d (which stays untouched, so concurrent reads
// share it safely) whose files are open. The caller closes the copy.
func (d *dataset) attach(ctx context.Context, parallelism int, mem memory.Allocator) (*dataset, error) {
	c := *d
	c.files = make([]*source, len(d.files))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(parallelism)
	for i, s := range d.files {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			f, err := os.Open(s.path)
			if err != nil {
				return fmt.Errorf("parquet: %w", err)
			}
			cs := *s
			cs.f = f
			c.files[i] = &cs
			st, err := f.Stat()
			if err != nil {
				return fmt.Errorf("parquet: %w", err)
			}
			if st.Size() == s.size && st.ModTime().Equal(s.mtime) {
				return nil
			}
			// Rewritten since Open: its row groups may have moved.
			cs.size, cs.mtime = st.Size(), st.ModTime()
			if err := cs.readFooter(mem); err != nil {
				return err
			}
			if !cs.schema.Equal(s.schema) {
				return fmt.Errorf("%w: %s changed since it was opened: %s, now %s", ErrSchemaMismatch, s.path, s.schema, cs.schema)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		c.close()
		return nil, err
	}
	return &c, nil
}
