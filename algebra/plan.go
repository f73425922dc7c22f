package algebra

import (
	"context"
	"errors"
	"fmt"
	goruntime "runtime"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/algebra/groupby"
	"github.com/shoaldata/shoal/algebra/join"
	"github.com/shoaldata/shoal/algebra/order"
	"github.com/shoaldata/shoal/algebra/window"
)

var (
	// ErrUnknownColumn: an operator names a column its input does not have.
	ErrUnknownColumn = errors.New("algebra: unknown column")
	// ErrType: an expression or operator gets a type it cannot use.
	ErrType = errors.New("algebra: type mismatch")
	// ErrArgument: an operator's argument is invalid (a count, a name).
	ErrArgument = errors.New("algebra: invalid argument")
)

// Node is one operator of a logical plan. Plans are immutable trees: every
// node's schema is computed, and its arguments checked, when it is built, so
// errors surface at the API call that caused them, as in pandas. Optimizer
// rules build new nodes rather than edit old ones.
type Node interface {
	// Schema is the node's output schema.
	Schema() *arrow.Schema
	// Inputs are the node's children, left to right.
	Inputs() []Node
	// WithInputs returns the same operator over in (len(in) ==
	// len(Inputs())), recomputing nothing: the rules that call it keep
	// schemas intact.
	WithInputs(in []Node) Node
	// Label is the node's line in Explain.
	Label() string
}

// Source is what a Scan reads. Table is the in-memory source; the readers
// of io/ add file sources. A source that can apply a projection or a
// predicate itself says so through the Scan's fields: the executor passes
// them on.
type Source interface {
	Name() string
	Schema() *arrow.Schema
}

// Table is an in-memory source: record batches sharing one schema. The
// plan borrows the records; whoever built the Table keeps them alive (a
// DataFrame holds its Table for as long as it lives).
type Table struct {
	schema  *arrow.Schema
	Records []arrow.Record
	rows    int64
}

// NewTable returns a source of recs, which must all have schema's types.
// The table retains the records and releases them once it is unreachable.
func NewTable(schema *arrow.Schema, recs ...arrow.Record) (*Table, error) {
	t := &Table{schema: schema, Records: recs}
	for i, r := range recs {
		if !r.Schema().Equal(schema) {
			return nil, fmt.Errorf("%w: record %d has schema %s, want %s", ErrType, i, r.Schema(), schema)
		}
		t.rows += r.NumRows()
	}
	held := append([]arrow.Record(nil), recs...)
	for _, r := range held {
		r.Retain()
	}
	goruntime.AddCleanup(t, func(recs []arrow.Record) {
		for _, r := range recs {
			r.Release()
		}
	}, held)
	return t, nil
}

func (t *Table) Name() string          { return "table" }
func (t *Table) Schema() *arrow.Schema { return t.schema }

// Rows is the table's row count.
func (t *Table) Rows() int64 { return t.rows }

// Scan reads a source. Columns (nil: all), Predicate and Limit (< 0: none)
// start empty and are filled by the pushdown rules; the source or the
// executor applies them in the scan's own kernel, in that order: filter,
// then project, then limit.
type Scan struct {
	Source    Source
	Columns   []string
	Predicate Expr
	Limit     int64
	// RowNumber, when set, names a column of each row's position in the
	// source, numbered before the predicate drops rows (see RowNumber).
	RowNumber string
	schema    *arrow.Schema
}

// NewScan scans every column of src.
func NewScan(src Source) *Scan {
	return &Scan{Source: src, Limit: -1, schema: src.Schema()}
}

func (s *Scan) Schema() *arrow.Schema { return s.schema }
func (s *Scan) Inputs() []Node        { return nil }
func (s *Scan) WithInputs([]Node) Node {
	c := *s
	return &c
}
func (s *Scan) Label() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Scan %s", s.Source.Name())
	if s.RowNumber != "" {
		fmt.Fprintf(&b, " row_number=%s", s.RowNumber)
	}
	if s.Columns != nil {
		fmt.Fprintf(&b, " columns=[%s]", strings.Join(s.Columns, ", "))
	}
	if !s.Predicate.IsZero() {
		fmt.Fprintf(&b, " filter=%s", s.Predicate)
	}
	if s.Limit >= 0 {
		fmt.Fprintf(&b, " limit=%d", s.Limit)
	}
	return b.String()
}

// withColumns returns s reading only cols (in the source's order).
func (s *Scan) withColumns(cols []string) *Scan {
	c := *s
	c.Columns = cols
	all := s.Full()
	fields := make([]arrow.Field, 0, len(cols))
	for _, name := range cols {
		fields = append(fields, all.Field(all.FieldIndices(name)[0]))
	}
	c.schema = arrow.NewSchema(fields, nil)
	return &c
}

// Full is the schema of everything the scan can produce: the source's
// columns and its row number column, if any.
func (s *Scan) Full() *arrow.Schema {
	src := s.Source.Schema()
	if s.RowNumber == "" {
		return src
	}
	return arrow.NewSchema(append(append([]arrow.Field(nil), src.Fields()...), arrow.Field{Name: s.RowNumber, Type: arrow.PrimitiveTypes.Int64}), nil)
}

// withRowNumber returns s numbering its rows into column name.
func (s *Scan) withRowNumber(name string) *Scan {
	c := *s
	c.RowNumber = name
	if s.Columns == nil {
		c.schema = c.Full()
		return &c
	}
	return c.withColumns(append(append([]string(nil), s.Columns...), name))
}

// Project computes one column per expression: select, drop, rename,
// assign and with_column all become a Project.
type Project struct {
	Input  Node
	Exprs  []Expr
	schema *arrow.Schema
}

// NewProject types exprs against in's schema. Output names come from
// Expr.OutputName and must be distinct.
func NewProject(in Node, exprs []Expr) (*Project, error) {
	fields := make([]arrow.Field, len(exprs))
	seen := make(map[string]bool, len(exprs))
	for i, e := range exprs {
		dt, err := e.Resolve(in.Schema())
		if err != nil {
			return nil, err
		}
		name := e.OutputName()
		if seen[name] {
			return nil, fmt.Errorf("%w: column %q appears twice in a projection", ErrArgument, name)
		}
		seen[name] = true
		fields[i] = arrow.Field{Name: name, Type: dt, Nullable: true}
	}
	return &Project{Input: in, Exprs: exprs, schema: arrow.NewSchema(fields, nil)}, nil
}

func (p *Project) Schema() *arrow.Schema { return p.schema }
func (p *Project) Inputs() []Node        { return []Node{p.Input} }
func (p *Project) WithInputs(in []Node) Node {
	c := *p
	c.Input = in[0]
	return &c
}
func (p *Project) Label() string {
	parts := make([]string, len(p.Exprs))
	for i, e := range p.Exprs {
		parts[i] = projectionString(e)
	}
	return "Project " + strings.Join(parts, ", ")
}

func projectionString(e Expr) string {
	if e.n.kind == kindAlias {
		if c, ok := e.n.args[0].ColumnName(); ok && c == e.n.name {
			return c
		}
		return e.n.args[0].String() + " AS " + e.n.name
	}
	return e.String()
}

// isPassThrough reports whether p's i-th expression copies an input column
// unchanged (possibly renamed), and which.
func (p *Project) isPassThrough(i int) (string, bool) {
	return p.Exprs[i].unalias().ColumnName()
}

// Filter keeps the rows where Predicate is true (null counts as false).
type Filter struct {
	Input     Node
	Predicate Expr
}

// NewFilter checks that pred is boolean over in's schema.
func NewFilter(in Node, pred Expr) (*Filter, error) {
	dt, err := pred.Resolve(in.Schema())
	if err != nil {
		return nil, err
	}
	if dt.ID() != arrow.BOOL {
		return nil, fmt.Errorf("%w: filter %s has type %s, want bool", ErrType, pred, dt)
	}
	return &Filter{Input: in, Predicate: pred}, nil
}

func (f *Filter) Schema() *arrow.Schema { return f.Input.Schema() }
func (f *Filter) Inputs() []Node        { return []Node{f.Input} }
func (f *Filter) WithInputs(in []Node) Node {
	c := *f
	c.Input = in[0]
	return &c
}
func (f *Filter) Label() string { return "Filter " + f.Predicate.String() }

// Aggregate is a group-by aggregate (no keys: a whole-frame reduction).
type Aggregate struct {
	Input   Node
	Keys    []string
	Aggs    []groupby.Agg
	Options groupby.Options
	schema  *arrow.Schema
}

// NewAggregate checks keys and aggregates against in's schema.
func NewAggregate(in Node, keys []string, aggs []groupby.Agg, opt groupby.Options) (*Aggregate, error) {
	if err := checkColumns(in.Schema(), keys...); err != nil {
		return nil, err
	}
	s, err := groupby.OutputSchema(in.Schema(), keys, aggs)
	if err != nil {
		return nil, err
	}
	return &Aggregate{Input: in, Keys: keys, Aggs: aggs, Options: opt, schema: s}, nil
}

func (a *Aggregate) Schema() *arrow.Schema { return a.schema }
func (a *Aggregate) Inputs() []Node        { return []Node{a.Input} }
func (a *Aggregate) WithInputs(in []Node) Node {
	c := *a
	c.Input = in[0]
	return &c
}
func (a *Aggregate) Label() string {
	parts := make([]string, len(a.Aggs))
	for i, g := range a.Aggs {
		parts[i] = aggString(g)
	}
	s := fmt.Sprintf("Aggregate by=[%s] %s", strings.Join(a.Keys, ", "), strings.Join(parts, ", "))
	if a.Options.Sort {
		s += " sort"
	}
	if !a.Options.Dropna {
		s += " dropna=false"
	}
	return s
}

func aggString(g groupby.Agg) string {
	arg := g.Column
	switch g.Func {
	case groupby.Size:
		arg = ""
	case groupby.Corr:
		arg += ", " + g.Other
	case groupby.Quantile:
		arg += ", " + strconv.FormatFloat(g.Q, 'g', -1, 64)
	}
	return fmt.Sprintf("%s(%s) AS %s", g.Func, arg, g.As)
}

// Sort orders rows by Keys, stably. Limit >= 0 keeps only the first Limit
// rows (a top-k, which limit pushdown makes of a sort followed by a head).
type Sort struct {
	Input Node
	Keys  []order.Key
	Limit int64
}

// NewSort checks keys against in's schema.
func NewSort(in Node, keys []order.Key) (*Sort, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: sort needs at least one key", ErrArgument)
	}
	for _, k := range keys {
		if err := checkColumns(in.Schema(), k.Column); err != nil {
			return nil, err
		}
	}
	return &Sort{Input: in, Keys: keys, Limit: -1}, nil
}

func (s *Sort) Schema() *arrow.Schema { return s.Input.Schema() }
func (s *Sort) Inputs() []Node        { return []Node{s.Input} }
func (s *Sort) WithInputs(in []Node) Node {
	c := *s
	c.Input = in[0]
	return &c
}
func (s *Sort) Label() string {
	parts := make([]string, len(s.Keys))
	for i, k := range s.Keys {
		dir := "asc"
		if k.Descending {
			dir = "desc"
		}
		nulls := "nulls last"
		if k.NullsFirst {
			nulls = "nulls first"
		}
		parts[i] = fmt.Sprintf("%s %s %s", k.Column, dir, nulls)
	}
	out := "Sort " + strings.Join(parts, ", ")
	if s.Limit >= 0 {
		out += fmt.Sprintf(" limit=%d", s.Limit)
	}
	return out
}

// Join is a pandas merge. The output has the left columns, then the right
// ones (for semi and anti joins, only the left ones); a right key column
// equal by name to its left key is dropped (pandas' on=), and other names
// present on both sides get Suffixes.
type Join struct {
	Left, Right     Node
	Kind            join.Kind
	LeftOn, RightOn []string
	Suffixes        [2]string
	JoinLayout
}

// NewJoin checks the keys and computes the merged schema.
func NewJoin(left, right Node, kind join.Kind, leftOn, rightOn []string, suffixes [2]string) (*Join, error) {
	if len(leftOn) == 0 || len(leftOn) != len(rightOn) {
		return nil, fmt.Errorf("%w: join needs as many left keys as right keys, at least one (got %d and %d)", ErrArgument, len(leftOn), len(rightOn))
	}
	ls, rs := left.Schema(), right.Schema()
	if err := checkColumns(ls, leftOn...); err != nil {
		return nil, fmt.Errorf("left: %w", err)
	}
	if err := checkColumns(rs, rightOn...); err != nil {
		return nil, fmt.Errorf("right: %w", err)
	}
	lay, err := NewJoinLayout(ls, rs, kind, leftOn, rightOn, suffixes)
	if err != nil {
		return nil, err
	}
	return &Join{Left: left, Right: right, Kind: kind, LeftOn: leftOn, RightOn: rightOn, Suffixes: suffixes, JoinLayout: lay}, nil
}

// JoinLayout says where a join's input columns go in its output.
type JoinLayout struct {
	Schema *arrow.Schema
	// RightKept gives, per right column, its index in the output (-1:
	// dropped); left column i is output column i.
	RightKept []int
	// CoalesceKeys maps a left key column to the right key column of the
	// same name, whose value it takes on rows with no left match (right
	// and outer joins on=).
	CoalesceKeys map[int]int
}

// NewJoinLayout lays out the merge of ls and rs as pandas does; the
// executor also uses it for inputs carrying extra hidden columns.
func NewJoinLayout(ls, rs *arrow.Schema, kind join.Kind, leftOn, rightOn []string, suffixes [2]string) (JoinLayout, error) {
	lay := JoinLayout{CoalesceKeys: map[int]int{}}
	fields := append([]arrow.Field(nil), ls.Fields()...)
	lay.RightKept = make([]int, rs.NumFields())
	for i := range lay.RightKept {
		lay.RightKept[i] = -1
	}
	if kind != join.Semi && kind != join.Anti {
		// Right key columns with the same name as their left key merge into it.
		merged := map[string]bool{}
		for i, l := range leftOn {
			if l == rightOn[i] {
				merged[l] = true
				lay.CoalesceKeys[ls.FieldIndices(l)[0]] = rs.FieldIndices(rightOn[i])[0]
			}
		}
		names := map[string]int{}
		for i, f := range ls.Fields() {
			names[f.Name] = i
		}
		var rightFields []arrow.Field
		for i, f := range rs.Fields() {
			if merged[f.Name] {
				continue
			}
			if li, clash := names[f.Name]; clash {
				fields[li].Name = f.Name + suffixes[0]
				f.Name += suffixes[1]
			}
			lay.RightKept[i] = len(fields) + len(rightFields)
			rightFields = append(rightFields, f)
		}
		for i := range fields {
			fields[i].Nullable = true
		}
		fields = append(fields, rightFields...)
		seen := map[string]bool{}
		for _, f := range fields {
			if seen[f.Name] {
				return lay, fmt.Errorf("%w: join output has column %q twice (choose other suffixes)", ErrArgument, f.Name)
			}
			seen[f.Name] = true
		}
	}
	lay.Schema = arrow.NewSchema(fields, nil)
	return lay, nil
}

func (j *Join) Schema() *arrow.Schema { return j.JoinLayout.Schema }
func (j *Join) Inputs() []Node        { return []Node{j.Left, j.Right} }
func (j *Join) WithInputs(in []Node) Node {
	c := *j
	c.Left, c.Right = in[0], in[1]
	return &c
}
func (j *Join) Label() string {
	return fmt.Sprintf("Join %s left_on=[%s] right_on=[%s]", j.Kind, strings.Join(j.LeftOn, ", "), strings.Join(j.RightOn, ", "))
}

// Limit keeps the first N rows (head), or the last N with Tail; a
// negative N drops the last (first, with Tail) -N rows instead, as pandas'
// head(-n) and tail(-n).
type Limit struct {
	Input Node
	N     int64
	Tail  bool
}

func (l *Limit) Schema() *arrow.Schema { return l.Input.Schema() }
func (l *Limit) Inputs() []Node        { return []Node{l.Input} }
func (l *Limit) WithInputs(in []Node) Node {
	c := *l
	c.Input = in[0]
	return &c
}
func (l *Limit) Label() string {
	if l.Tail {
		return fmt.Sprintf("Tail %d", l.N)
	}
	return fmt.Sprintf("Limit %d", l.N)
}

// Concat stacks the rows of its inputs, which have equal schemas (the
// dataframe layer aligns columns first, as pandas' concat does).
type Concat struct{ In []Node }

// NewConcat checks that every input has the first one's schema.
func NewConcat(in ...Node) (*Concat, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("%w: concat of nothing", ErrArgument)
	}
	for i, n := range in[1:] {
		if !n.Schema().Equal(in[0].Schema()) {
			return nil, fmt.Errorf("%w: concat input %d has schema %s, want %s", ErrType, i+1, n.Schema(), in[0].Schema())
		}
	}
	return &Concat{In: in}, nil
}

func (c *Concat) Schema() *arrow.Schema { return c.In[0].Schema() }
func (c *Concat) Inputs() []Node        { return c.In }
func (c *Concat) WithInputs(in []Node) Node {
	return &Concat{In: in}
}
func (c *Concat) Label() string { return fmt.Sprintf("Concat %d inputs", len(c.In)) }

// Keep says which of several duplicate rows Distinct keeps.
type Keep uint8

const (
	KeepFirst Keep = iota // pandas keep="first"
	KeepLast              // keep="last"
	KeepNone              // keep=False: drop every duplicated row
)

func (k Keep) String() string { return [...]string{"first", "last", "none"}[k] }

// Distinct drops rows whose Subset columns (nil: all) repeat an earlier
// row's (drop_duplicates), keeping the survivors in input order.
type Distinct struct {
	Input  Node
	Subset []string
	Keep   Keep
}

func NewDistinct(in Node, subset []string, keep Keep) (*Distinct, error) {
	if err := checkColumns(in.Schema(), subset...); err != nil {
		return nil, err
	}
	return &Distinct{Input: in, Subset: subset, Keep: keep}, nil
}

func (d *Distinct) Schema() *arrow.Schema { return d.Input.Schema() }
func (d *Distinct) Inputs() []Node        { return []Node{d.Input} }
func (d *Distinct) WithInputs(in []Node) Node {
	c := *d
	c.Input = in[0]
	return &c
}
func (d *Distinct) Label() string {
	return fmt.Sprintf("Distinct subset=[%s] keep=%s", strings.Join(d.Subset, ", "), d.Keep)
}

// GroupLimit keeps each group's first N rows (pandas groupby().head(n)),
// or its last N with Tail, in input order.
type GroupLimit struct {
	Input   Node
	Keys    []string
	N       int
	Tail    bool
	Options groupby.Options
}

func NewGroupLimit(in Node, keys []string, n int, tail bool, opt groupby.Options) (*GroupLimit, error) {
	if err := checkColumns(in.Schema(), keys...); err != nil {
		return nil, err
	}
	return &GroupLimit{Input: in, Keys: keys, N: n, Tail: tail, Options: opt}, nil
}

func (g *GroupLimit) Schema() *arrow.Schema { return g.Input.Schema() }
func (g *GroupLimit) Inputs() []Node        { return []Node{g.Input} }
func (g *GroupLimit) WithInputs(in []Node) Node {
	c := *g
	c.Input = in[0]
	return &c
}
func (g *GroupLimit) Label() string {
	what := "head"
	if g.Tail {
		what = "tail"
	}
	return fmt.Sprintf("GroupLimit by=[%s] %s(%d)", strings.Join(g.Keys, ", "), what, g.N)
}

// RowNumber appends column Name holding each row's position (0, 1, ...):
// a window over the whole frame. The dataframe layer uses it to turn a
// symbolic RangeIndex into labels before rows move (filters, sorts keep
// pandas' labels).
type RowNumber struct {
	Input  Node
	Name   string
	schema *arrow.Schema
}

func NewRowNumber(in Node, name string) (*RowNumber, error) {
	if len(in.Schema().FieldIndices(name)) > 0 {
		return nil, fmt.Errorf("%w: column %q already exists", ErrArgument, name)
	}
	fields := append(append([]arrow.Field(nil), in.Schema().Fields()...), arrow.Field{Name: name, Type: arrow.PrimitiveTypes.Int64})
	return &RowNumber{Input: in, Name: name, schema: arrow.NewSchema(fields, nil)}, nil
}

func (r *RowNumber) Schema() *arrow.Schema { return r.schema }
func (r *RowNumber) Inputs() []Node        { return []Node{r.Input} }
func (r *RowNumber) WithInputs(in []Node) Node {
	c := *r
	c.Input = in[0]
	return &c
}
func (r *RowNumber) Label() string { return "RowNumber AS " + r.Name }

// Take keeps the rows at Positions (negative counts from the end), in that
// order: iloc.
type Take struct {
	Input     Node
	Positions []int64
}

func (t *Take) Schema() *arrow.Schema { return t.Input.Schema() }
func (t *Take) Inputs() []Node        { return []Node{t.Input} }
func (t *Take) WithInputs(in []Node) Node {
	c := *t
	c.Input = in[0]
	return &c
}
func (t *Take) Label() string { return fmt.Sprintf("Take %d positions", len(t.Positions)) }

// MapBatches runs a user function on every partition (Apply and Map with
// a UDF). Fn must return a record of Schema; it borrows its input and
// returns a record the caller owns. Name identifies the function: on a
// cluster it is how a worker finds it.
type MapBatches struct {
	Input Node
	Name  string
	Fn    func(arrow.Record) (arrow.Record, error)
	Out   *arrow.Schema
}

func (m *MapBatches) Schema() *arrow.Schema { return m.Out }
func (m *MapBatches) Inputs() []Node        { return []Node{m.Input} }
func (m *MapBatches) WithInputs(in []Node) Node {
	c := *m
	c.Input = in[0]
	return &c
}
func (m *MapBatches) Label() string { return "MapBatches " + m.Name }

// GroupMap runs a user function on each group's rows whole (GroupBy Apply
// and Transform with a UDF); groups are hash-partitioned so that each
// lands in one partition.
type GroupMap struct {
	Input   Node
	Keys    []string
	Name    string
	Fn      func(group arrow.Record) (arrow.Record, error)
	Out     *arrow.Schema
	Options groupby.Options
}

func (g *GroupMap) Schema() *arrow.Schema { return g.Out }
func (g *GroupMap) Inputs() []Node        { return []Node{g.Input} }
func (g *GroupMap) WithInputs(in []Node) Node {
	c := *g
	c.Input = in[0]
	return &c
}
func (g *GroupMap) Label() string {
	return fmt.Sprintf("GroupMap by=[%s] %s", strings.Join(g.Keys, ", "), g.Name)
}

// checkColumns returns an error naming the first of names that schema
// lacks, with the columns it has.
func checkColumns(schema *arrow.Schema, names ...string) error {
	for _, n := range names {
		if len(schema.FieldIndices(n)) == 0 {
			return unknownColumn(schema, n)
		}
	}
	return nil
}

func unknownColumn(schema *arrow.Schema, name string) error {
	have := make([]string, schema.NumFields())
	for i, f := range schema.Fields() {
		have[i] = f.Name
	}
	return fmt.Errorf("%w %q (columns: %s)", ErrUnknownColumn, name, strings.Join(have, ", "))
}

// Sample keeps N rows drawn without replacement, uniformly, in the order
// drawn, from a generator seeded by Seed: the same seed gives the same rows
// on every engine and partitioning.
type Sample struct {
	Input Node
	N     int64
	Seed  uint64
}

func (s *Sample) Schema() *arrow.Schema { return s.Input.Schema() }
func (s *Sample) Inputs() []Node        { return []Node{s.Input} }
func (s *Sample) WithInputs(in []Node) Node {
	c := *s
	c.Input = in[0]
	return &c
}
func (s *Sample) Label() string { return fmt.Sprintf("Sample n=%d seed=%d", s.N, s.Seed) }

// Window appends column As holding a window function of Column, over the
// whole frame in row order or, with Keys, within each group (pandas
// cumsum, cumprod, cummax, cummin, cumcount, shift, and their groupby
// forms). Rows keep their order.
type Window struct {
	Input   Node
	Func    window.Func
	Column  string // ignored by CumCount
	As      string
	Keys    []string
	Periods int // Shift's offset
	Options groupby.Options
	schema  *arrow.Schema
}

// NewWindow checks the columns and types.
func NewWindow(in Node, f window.Func, column, as string, keys []string, periods int, opt groupby.Options) (*Window, error) {
	s := in.Schema()
	if err := checkColumns(s, keys...); err != nil {
		return nil, err
	}
	if len(s.FieldIndices(as)) > 0 {
		return nil, fmt.Errorf("%w: window output %q already exists", ErrArgument, as)
	}
	dt := arrow.DataType(arrow.PrimitiveTypes.Int64)
	if f != window.CumCount {
		if err := checkColumns(s, column); err != nil {
			return nil, err
		}
		var err error
		if dt, err = window.ResultType(f, s.Field(s.FieldIndices(column)[0]).Type); err != nil {
			return nil, fmt.Errorf("%w: column %q: %w", ErrType, column, err)
		}
	}
	fields := append(append([]arrow.Field(nil), s.Fields()...), arrow.Field{Name: as, Type: dt, Nullable: true})
	return &Window{Input: in, Func: f, Column: column, As: as, Keys: keys, Periods: periods, Options: opt, schema: arrow.NewSchema(fields, nil)}, nil
}

func (w *Window) Schema() *arrow.Schema { return w.schema }
func (w *Window) Inputs() []Node        { return []Node{w.Input} }
func (w *Window) WithInputs(in []Node) Node {
	c := *w
	c.Input = in[0]
	return &c
}
func (w *Window) Label() string {
	s := fmt.Sprintf("Window %s(%s) AS %s", w.Func, w.Column, w.As)
	if w.Func == window.Shift {
		s = fmt.Sprintf("Window shift(%s, %d) AS %s", w.Column, w.Periods, w.As)
	}
	if len(w.Keys) > 0 {
		s += " by=[" + strings.Join(w.Keys, ", ") + "]"
	}
	return s
}

// Explode turns each element of list column Column into a row of its own,
// repeating the other columns (pandas explode); an empty or null list
// gives one row with a null.
type Explode struct {
	Input  Node
	Column string
	schema *arrow.Schema
}

// NewExplode checks that column is a list.
func NewExplode(in Node, column string) (*Explode, error) {
	s := in.Schema()
	if err := checkColumns(s, column); err != nil {
		return nil, err
	}
	i := s.FieldIndices(column)[0]
	var elem arrow.DataType
	switch dt := s.Field(i).Type.(type) {
	case *arrow.ListType:
		elem = dt.Elem()
	case *arrow.LargeListType:
		elem = dt.Elem()
	default:
		return nil, fmt.Errorf("%w: explode: column %q is %s, not a list", ErrType, column, dt)
	}
	fields := append([]arrow.Field(nil), s.Fields()...)
	fields[i] = arrow.Field{Name: column, Type: elem, Nullable: true}
	return &Explode{Input: in, Column: column, schema: arrow.NewSchema(fields, nil)}, nil
}

func (e *Explode) Schema() *arrow.Schema { return e.schema }
func (e *Explode) Inputs() []Node        { return []Node{e.Input} }
func (e *Explode) WithInputs(in []Node) Node {
	c := *e
	c.Input = in[0]
	return &c
}
func (e *Explode) Label() string { return "Explode " + e.Column }

// Reader is a Source that reads its own data (a file): the executor calls
// Read with the scan's pushed-down columns (nil: all) and predicate (zero:
// none). A reader may use the predicate only to skip data it can prove
// irrelevant (Parquet row groups by min/max); the scan filters the rows it
// returns again. The records come in source order and belong to the caller.
type Reader interface {
	Source
	Read(ctx context.Context, columns []string, pred Expr) ([]arrow.Record, error)
}
