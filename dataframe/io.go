package dataframe

import (
	"context"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v15/arrow"
	gotadf "github.com/go-gota/gota/dataframe"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/exec"
	"github.com/shoaldata/shoal/algebra/source"
	"github.com/shoaldata/shoal/io/csv"
	"github.com/shoaldata/shoal/io/gota"
	"github.com/shoaldata/shoal/io/ipc"
	"github.com/shoaldata/shoal/io/jsonl"
	"github.com/shoaldata/shoal/io/parquet"
	"github.com/shoaldata/shoal/partition"
)

// Reading comes in two forms, as in Polars: Read* reads the file now into
// memory (pandas' read_csv), and later queries start from memory; Scan*
// only reads the schema, and each action reads the file again, reading only
// the columns the query uses and, for Parquet, skipping row groups its
// filters rule out by their statistics.

// ReadCSV reads a CSV file (or every file a glob matches, as one frame) in
// parallel into memory, in the Default session.
func ReadCSV(ctx context.Context, path string, opt csv.Options) (*DataFrame, error) {
	return Default.ReadCSV(ctx, path, opt)
}

// ReadCSV reads a CSV file into memory in s.
func (s *Session) ReadCSV(ctx context.Context, path string, opt csv.Options) (*DataFrame, error) {
	if opt.Mem == nil {
		opt.Mem = s.cfg.Mem
	}
	if opt.ChunkBytes == 0 {
		opt.ChunkBytes = s.chunkBytes(path)
	}
	// Read directly rather than through a Scan source: the reader infers
	// the schema once, and its result's schema includes the promotions of
	// values beyond the sample.
	paths, err := source.Expand(path)
	if err != nil {
		return nil, err
	}
	res, err := csv.ReadFiles(ctx, paths, opt)
	if err != nil {
		return nil, err
	}
	return s.fromRecords(res.Schema, res.Records)
}

// ScanCSV returns a lazy frame over CSV files: see Read* and Scan* above.
// The schema comes from a sample of each file (opt.SampleBytes) and is
// fixed by the plan, so a later value that does not fit its column's type
// fails the action with a *source.SampleError, where ReadCSV would promote
// the column. opt.SampleBytes = csv.WholeFile (every record is read to
// plan) or the column's type in opt.Types avoid it.
func ScanCSV(ctx context.Context, path string, opt csv.Options) (*DataFrame, error) {
	return Default.ScanCSV(ctx, path, opt)
}

// ScanCSV returns a lazy frame over CSV files in s.
func (s *Session) ScanCSV(ctx context.Context, path string, opt csv.Options) (*DataFrame, error) {
	if opt.Mem == nil {
		opt.Mem = s.cfg.Mem
	}
	src, err := source.NewCSV(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return &DataFrame{sess: s, plan: algebra.NewScan(src)}, nil
}

// ReadParquet reads a Parquet file, a hive-partitioned directory or a glob
// into memory, row groups in parallel.
func ReadParquet(ctx context.Context, path string, opt parquet.Options) (*DataFrame, error) {
	return Default.ReadParquet(ctx, path, opt)
}

// ReadParquet reads Parquet into memory in s.
func (s *Session) ReadParquet(ctx context.Context, path string, opt parquet.Options) (*DataFrame, error) {
	if opt.Mem == nil {
		opt.Mem = s.cfg.Mem
	}
	src, err := source.NewParquet(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return s.readNow(ctx, src)
}

// ScanParquet returns a lazy frame over Parquet: projections and filters
// reach the reader (columns read, row groups skipped). The files' footers
// are read once, here, and reused by every action; the set of files a
// directory or glob names is the one found here.
func ScanParquet(ctx context.Context, path string, opt parquet.Options) (*DataFrame, error) {
	return Default.ScanParquet(ctx, path, opt)
}

// ScanParquet returns a lazy frame over Parquet in s.
func (s *Session) ScanParquet(ctx context.Context, path string, opt parquet.Options) (*DataFrame, error) {
	if opt.Mem == nil {
		opt.Mem = s.cfg.Mem
	}
	src, err := source.NewParquet(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return &DataFrame{sess: s, plan: algebra.NewScan(src)}, nil
}

// chunkBytes sizes a reader's byte ranges so that a file becomes about as
// many partitions as the session's sizing allows: each range is one
// partition, and more ranges than that only add per-partition work.
func (s *Session) chunkBytes(path string) int64 {
	const floor = 32 << 20 // the readers' default
	st, err := os.Stat(path)
	if err != nil {
		return 0
	}
	sz := s.cfg.Sizing
	if sz == (partition.Sizing{}) {
		sz = partition.DefaultSizing
	}
	n := int64(sz.Count(1 << 62)) // the cap on partitions
	return max(floor, (st.Size()+n-1)/n)
}

// readNow reads a whole source into an in-memory table.
func (s *Session) readNow(ctx context.Context, src algebra.Reader) (*DataFrame, error) {
	recs, err := src.Read(ctx, nil, algebra.Expr{})
	if err != nil {
		return nil, err
	}
	return s.fromRecords(src.Schema(), recs)
}

// fromRecords makes a frame of recs, taking their references.
func (s *Session) fromRecords(schema *arrow.Schema, recs []arrow.Record) (*DataFrame, error) {
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	t, err := algebra.NewTable(schema, recs...)
	if err != nil {
		return nil, err
	}
	return &DataFrame{sess: s, plan: algebra.NewScan(t)}, nil
}

// ReadJSON reads a JSON-lines file into memory, in parallel.
func ReadJSON(ctx context.Context, path string, opt jsonl.Options) (*DataFrame, error) {
	return Default.ReadJSON(ctx, path, opt)
}

// ReadJSON reads JSON lines into memory in s.
func (s *Session) ReadJSON(ctx context.Context, path string, opt jsonl.Options) (*DataFrame, error) {
	if opt.Mem == nil {
		opt.Mem = s.cfg.Mem
	}
	res, err := jsonl.ReadFile(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return s.fromRecords(res.Schema, res.Records)
}

// ReadIPC reads an Arrow IPC file (Feather v2) into memory.
func ReadIPC(ctx context.Context, path string, opt ipc.Options) (*DataFrame, error) {
	return Default.ReadIPC(ctx, path, opt)
}

// ReadIPC reads an Arrow IPC file into memory in s.
func (s *Session) ReadIPC(ctx context.Context, path string, opt ipc.Options) (*DataFrame, error) {
	if opt.Mem == nil {
		opt.Mem = s.cfg.Mem
	}
	res, err := ipc.ReadFile(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return s.fromRecords(res.Schema, res.Records)
}

// partitions runs the frame (index excluded) and hands its partitions, in
// order, to write; they are released afterwards. Writers get every
// partition rather than one concatenated record, so they can write them in
// parallel and nothing is copied.
func (df *DataFrame) partitions(ctx context.Context, write func(recs []arrow.Record) error) error {
	if df.err != nil {
		return df.err
	}
	p, err := df.dropIndex()
	if err != nil {
		return err
	}
	f, err := exec.Run(ctx, p, df.sess.cfg)
	if err != nil {
		return err
	}
	e := df.sess.cfg.Engine
	defer partition.Release(e, f.Blocks...)
	recs, err := e.Materialize(ctx, f.Blocks)
	if err != nil {
		return err
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	return write(recs)
}

// ToCSV writes the frame's columns (not its index: ResetIndex first to
// keep it) to one CSV file, through a temporary name.
func (df *DataFrame) ToCSV(ctx context.Context, path string, opt csv.WriteOptions) error {
	return df.partitions(ctx, func(recs []arrow.Record) error { return csv.WriteFile(ctx, path, recs, opt) })
}

// ToParquet writes the frame's columns to Parquet (a directory of
// partitions with opt.PartitionBy).
func (df *DataFrame) ToParquet(ctx context.Context, path string, opt parquet.WriteOptions) error {
	return df.partitions(ctx, func(recs []arrow.Record) error { return parquet.Write(ctx, path, recs, opt) })
}

// ToJSON writes the frame's columns as JSON lines.
func (df *DataFrame) ToJSON(ctx context.Context, path string, opt jsonl.WriteOptions) error {
	return df.partitions(ctx, func(recs []arrow.Record) error { return jsonl.WriteFile(ctx, path, recs, opt) })
}

// ToIPC writes the frame's columns as an Arrow IPC file (Feather v2).
func (df *DataFrame) ToIPC(ctx context.Context, path string, opt ipc.WriteOptions) error {
	return df.partitions(ctx, func(recs []arrow.Record) error { return ipc.WriteFile(ctx, path, recs, opt) })
}

// FromGota converts a gota DataFrame: Int → int64, Float → float64,
// String → string, Bool → bool, NA → null.
func FromGota(g gotadf.DataFrame) *DataFrame {
	rec, err := gota.FromGota(g, Default.cfg.Mem)
	if err != nil {
		return errorFrame(fmt.Errorf("dataframe: from gota: %w", err))
	}
	defer rec.Release()
	return fromRecord(Default, rec, nil)
}

// ToGota runs the frame and converts its columns to a gota DataFrame.
func (df *DataFrame) ToGota(ctx context.Context) (gotadf.DataFrame, error) {
	rec, err := df.ToArrow(ctx)
	if err != nil {
		return gotadf.DataFrame{}, err
	}
	defer rec.Release()
	return gota.ToGota(rec)
}
