package dataframe

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/algebra"
	"github.com/shoaldata/shoal/algebra/exec"
	"github.com/shoaldata/shoal/partition"
)

// Session says where frames run: the engine (the single-node path by
// default, or the runtime) and the allocator. Frames remember the session
// they were built in; DataFrame.On moves one to another.
type Session struct {
	cfg exec.Config
}

// Config configures a Session.
type Config struct {
	// Engine runs the kernels: nil is the single-node path
	// (partition.NewLocal); partition.NewRuntime(rt) runs them as tasks.
	Engine partition.Engine
	// Mem allocates every Arrow buffer (nil: memory.DefaultAllocator).
	Mem memory.Allocator
	// Sizing sizes partitions (zero: partition.DefaultSizing).
	Sizing partition.Sizing
	// Rules are the optimizer's rules: nil for all of algebra.Rules; an
	// empty non-nil slice runs plans as written.
	Rules []algebra.Rule
	// Physical thresholds (see exec.Config); tests set them to 1 to force
	// the partitioned paths (hash-partitioned combine and join, sample
	// sort) on small data. Zero keeps exec's defaults.
	BroadcastBytes, CombineRows, SortRows int64
}

// NewSession returns a session with cfg.
func NewSession(cfg Config) *Session {
	c := exec.Config{Engine: cfg.Engine, Mem: cfg.Mem, Sizing: cfg.Sizing, Rules: cfg.Rules,
		BroadcastBytes: cfg.BroadcastBytes, CombineRows: cfg.CombineRows, SortRows: cfg.SortRows}
	if c.Engine == nil {
		c.Engine = partition.NewLocal(0)
	}
	if c.Mem == nil {
		c.Mem = memory.DefaultAllocator
	}
	return &Session{cfg: c}
}

// Default is the session of frames built by the package's constructors:
// the single-node path.
var Default = NewSession(Config{})

// The index: pandas labels rows with an index. A frame without a labelled
// index has a RangeIndex (0, 1, ...) that Shoal keeps symbolic, costing
// nothing. A labelled index (SetIndex, a group-by's keys, or the labels a
// filter or a sort keeps) is held as hidden columns of the plan, named
// indexColumn(i), so it travels with the rows through every operator.
func indexColumn(level int) string { return fmt.Sprintf("__index_level_%d__", level) }

func isIndexColumn(name string) bool {
	return strings.HasPrefix(name, "__index_level_") && strings.HasSuffix(name, "__")
}

// DataFrame is a table with named columns and an index, as in pandas.
// Its methods build a lazy plan; nothing runs until an action (Collect,
// ToArrow, String, Shape, ...) needs a result, and the optimizer sees the
// whole chain first. A DataFrame is immutable and safe for concurrent
// use; every method returns a new one.
//
// Methods that build a plan do not return errors, so calls chain as in
// pandas: a bad argument (an unknown column, a type mismatch) makes a
// frame that carries the error, reported by Err and by every action, and
// passed on by every later method.
type DataFrame struct {
	sess       *Session
	plan       algebra.Node
	indexNames []string // one per index level; nil: RangeIndex
	err        error
}

func (df *DataFrame) with(plan algebra.Node, index []string) *DataFrame {
	return &DataFrame{sess: df.sess, plan: plan, indexNames: index}
}

func (df *DataFrame) fail(err error) *DataFrame {
	return &DataFrame{sess: df.sess, plan: df.plan, indexNames: df.indexNames, err: err}
}

func errorFrame(err error) *DataFrame { return &DataFrame{sess: Default, err: err} }

// Err returns the error that made this frame invalid, or nil.
func (df *DataFrame) Err() error { return df.err }

// On returns the same frame running in sess.
func (df *DataFrame) On(sess *Session) *DataFrame {
	c := *df
	c.sess = sess
	return &c
}

// Plan is the frame's logical plan as written (for Explain and tests).
func (df *DataFrame) Plan() algebra.Node { return df.plan }

// Explain prints the frame's plan as written and as the optimizer
// rewrites it.
func (df *DataFrame) Explain() string {
	if df.err != nil {
		return "error: " + df.err.Error()
	}
	return algebra.Explain(df.plan)
}

// Columns lists the frame's column names (not the index), in order.
func (df *DataFrame) Columns() []string {
	if df.err != nil {
		return nil
	}
	var out []string
	for _, f := range df.plan.Schema().Fields() {
		if !isIndexColumn(f.Name) {
			out = append(out, f.Name)
		}
	}
	return out
}

// Schema is the Arrow schema of the frame's columns (not the index).
func (df *DataFrame) Schema() *arrow.Schema {
	if df.err != nil {
		return arrow.NewSchema(nil, nil)
	}
	var fields []arrow.Field
	for _, f := range df.plan.Schema().Fields() {
		if !isIndexColumn(f.Name) {
			fields = append(fields, f)
		}
	}
	return arrow.NewSchema(fields, nil)
}

// IndexNames are the names of the index levels ("" for an unnamed one);
// nil for a RangeIndex.
func (df *DataFrame) IndexNames() []string { return append([]string(nil), df.indexNames...) }

// hasLabels reports whether the frame has a labelled index.
func (df *DataFrame) hasLabels() bool { return df.indexNames != nil }

// labelled returns df with its RangeIndex turned into labels (the row
// positions), so that operators that drop or move rows keep pandas'
// labels: a filtered frame keeps the labels of the rows it kept.
func (df *DataFrame) labelled() (*DataFrame, error) {
	if df.err != nil || df.hasLabels() {
		return df, df.err
	}
	n, err := algebra.NewRowNumber(df.plan, indexColumn(0))
	if err != nil {
		return nil, err
	}
	// Hidden index columns lead, as they print first.
	return df.with(n, []string{""}), nil
}

// dropIndex returns the plan without its index columns (a fresh RangeIndex).
func (df *DataFrame) dropIndex() (algebra.Node, error) {
	if !df.hasLabels() {
		return df.plan, nil
	}
	var exprs []algebra.Expr
	for _, f := range df.plan.Schema().Fields() {
		if !isIndexColumn(f.Name) {
			exprs = append(exprs, algebra.Col(f.Name))
		}
	}
	return algebra.NewProject(df.plan, exprs)
}

// check returns an error naming the first of cols the frame lacks, with
// the columns it has.
func (df *DataFrame) check(cols ...string) error {
	if df.err != nil {
		return df.err
	}
	have := df.Columns()
	for _, c := range cols {
		if !slices.Contains(have, c) {
			return fmt.Errorf("%w %q (columns: %s)", ErrUnknownColumn, c, strings.Join(have, ", "))
		}
	}
	return nil
}

// ErrUnknownColumn is wrapped by every error about a column the frame
// does not have; the message lists the columns it has.
var ErrUnknownColumn = algebra.ErrUnknownColumn

// ErrType is wrapped by errors about a column or value of the wrong type.
var ErrType = algebra.ErrType

// ErrArgument is wrapped by errors about other invalid arguments.
var ErrArgument = algebra.ErrArgument

var errNoFrame = errors.New("dataframe: nil frame")

// run executes the plan and returns its result as one record, index
// columns included.
func (df *DataFrame) run(ctx context.Context, plan algebra.Node) (arrow.Record, error) {
	if df == nil {
		return nil, errNoFrame
	}
	if df.err != nil {
		return nil, df.err
	}
	return exec.Collect(ctx, plan, df.sess.cfg)
}

// fromRecord wraps rec as a frame in sess; the frame's table retains it.
func fromRecord(sess *Session, rec arrow.Record, index []string) *DataFrame {
	t, err := algebra.NewTable(rec.Schema(), rec)
	if err != nil {
		return errorFrame(err)
	}
	return &DataFrame{sess: sess, plan: algebra.NewScan(t), indexNames: index}
}
