package partition_test

// Tests of the partition manager's primitives. Every case runs through
// runCase: on both engines (the local one, and the runtime one on an
// embedded remote.Runtime), with the input split into 1, 2, 3 and 16
// partitions and at random cut points (the seed is logged), each time with
// a checked allocator that must be back at zero once everything is
// released; every collected result must equal the expected record, and so
// each other.

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/partition"
	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/remote/remotetest"
)

// patience bounds every wait, so a hang fails with a message.
const patience = 10 * time.Second

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*patience)
	t.Cleanup(cancel)
	return ctx
}

// newRuntime starts an embedded runtime, shut down when the test ends.
func newRuntime(t testing.TB, cpus float64) *remote.Runtime {
	t.Helper()
	return remotetest.Start(t, remote.Config{NumCPUs: cpus})
}

// engines returns both engines, each running at most par kernels at once.
func engines(t testing.TB, par int) []partition.Engine {
	return []partition.Engine{partition.NewLocal(par), partition.NewRuntime(newRuntime(t, float64(par)))}
}

// checkZero waits until mem holds nothing (the runtime frees some objects
// just after the waits that a test does return), or fails listing what is
// left. (It does not call AssertSize once the count is 0: the checked
// allocator drops a buffer from its count before from its list, so a free
// in progress would show as a leak.)
func checkZero(t testing.TB, mem *memory.CheckedAllocator) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for mem.CurrentAlloc() != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if mem.CurrentAlloc() != 0 {
		mem.AssertSize(t, 0)
	}
}

func newMem() *memory.CheckedAllocator {
	return memory.NewCheckedAllocator(memory.NewGoAllocator())
}

// The input of most cases: id, x (nullable int64), s (nullable string).
var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

func xOf(i int64) (int64, bool) { return 3*i - 7, i%7 != 3 }

// makeInput returns rows rows: id i, x 3i-7 (null when i%7 == 3), s "r<i>"
// (null when i%5 == 4).
func makeInput(mem memory.Allocator, rows int) arrow.Record {
	b := array.NewRecordBuilder(mem, testSchema)
	defer b.Release()
	for i := range int64(rows) {
		b.Field(0).(*array.Int64Builder).Append(i)
		if x, ok := xOf(i); ok {
			b.Field(1).(*array.Int64Builder).Append(x)
		} else {
			b.Field(1).AppendNull()
		}
		if i%5 == 4 {
			b.Field(2).AppendNull()
		} else {
			b.Field(2).(*array.StringBuilder).Append(fmt.Sprintf("r%d", i))
		}
	}
	return b.NewRecord()
}

// int64s builds a column; a nil entry of valid means all valid.
func int64s(mem memory.Allocator, vals []int64, valid []bool) arrow.Array {
	b := array.NewInt64Builder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

func stringsCol(mem memory.Allocator, vals []string, valid []bool) arrow.Array {
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.AppendValues(vals, valid)
	return b.NewArray()
}

// newRecord makes a record of cols, releasing them (the record keeps its
// own references).
func newRecord(schema *arrow.Schema, cols ...arrow.Array) arrow.Record {
	rows := int64(0)
	if len(cols) > 0 {
		rows = int64(cols[0].Len())
	}
	rec := array.NewRecord(schema, cols, rows)
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// dump prints rec one row a line, for failure messages and comparisons.
func dump(rec arrow.Record) string {
	var sb strings.Builder
	for i := range int(rec.NumRows()) {
		for c, col := range rec.Columns() {
			if c > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(col.ValueStr(i))
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// A split is how runCase partitions its input.
type split struct {
	name string
	n    int // partitions by Sizing; 0: random cut points
}

var splits = []split{{"1", 1}, {"2", 2}, {"3", 3}, {"16", 16}, {"random", 0}}

// sizing gives exactly n partitions for any input of at least n bytes.
func sizing(n int) partition.Sizing {
	return partition.Sizing{TargetBytes: 1, MaxPerCore: n, Cores: 1}
}

// makeFrame partitions rec per sp. Random splits cut at up to 8 random
// points (empty partitions included) and Put the slices directly.
func makeFrame(t *testing.T, ctx context.Context, e partition.Engine, rec arrow.Record, sp split, rng *rand.Rand) partition.Frame {
	t.Helper()
	if sp.n > 0 {
		f, err := partition.FromRecord(ctx, e, rec, sizing(sp.n))
		if err != nil {
			t.Fatal(err)
		}
		if want := min(sp.n, max(int(rec.NumRows()), 1)); len(f.Blocks) != want {
			t.Fatalf("FromRecord gave %d partitions, want %d", len(f.Blocks), want)
		}
		return f
	}
	cuts := []int64{0, rec.NumRows()}
	for range rng.IntN(8) {
		cuts = append(cuts, rng.Int64N(rec.NumRows()+1))
	}
	slices.Sort(cuts)
	f := partition.Frame{Schema: rec.Schema()}
	for i := 1; i < len(cuts); i++ {
		b, err := e.Put(ctx, rec.NewSlice(cuts[i-1], cuts[i]))
		if err != nil {
			t.Fatal(err)
		}
		f.Blocks = append(f.Blocks, b)
	}
	return f
}

// An op is the primitive under test: it makes a frame of f. It releases
// the intermediate frames it makes; runCase releases f and the result.
type op func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error)

// runCase runs o over an input of rows rows on both engines and every
// split, and checks each collected result against want(mem) (the schema
// included) and against each other.
func runCase(t *testing.T, rows int, o op, want func(mem memory.Allocator) arrow.Record) {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	t.Logf("random splits: seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	ctx := testCtx(t)
	var first, firstName string
	for _, e := range engines(t, 4) {
		for _, sp := range splits {
			name := fmt.Sprintf("%s/%s", e.Name(), sp.name)
			mem := newMem()
			in := makeInput(mem, rows)
			f := makeFrame(t, ctx, e, in, sp, rng)
			in.Release()
			res, err := o(ctx, e, f, mem)
			var got arrow.Record
			if err == nil {
				got, err = partition.Collect(ctx, e, res, mem)
			}
			partition.Release(e, f.Blocks...)
			partition.Release(e, res.Blocks...)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			w := want(mem)
			if !got.Schema().Equal(w.Schema()) || !array.RecordEqual(got, w) {
				t.Errorf("%s: got schema %v\n%s\nwant schema %v\n%s", name, got.Schema(), dump(got), w.Schema(), dump(w))
			}
			d := dump(got)
			if first == "" {
				first, firstName = d, name
			} else if d != first {
				t.Errorf("%s differs from %s:\n%s\nvs\n%s", name, firstName, d, first)
			}
			got.Release()
			w.Release()
			checkZero(t, mem)
		}
	}
}

// Test kernels. They capture the test's allocator: fine in process, which
// is where both engines run in tests.

// doubleX doubles x, keeping nulls and the other columns.
func doubleX(mem memory.Allocator) partition.Kernel {
	return partition.Kernel{Name: "doubleX", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		rec := in[0]
		x := rec.Column(1).(*array.Int64)
		b := array.NewInt64Builder(mem)
		defer b.Release()
		for i := range x.Len() {
			if x.IsNull(i) {
				b.AppendNull()
			} else {
				b.Append(2 * x.Value(i))
			}
		}
		nx := b.NewArray()
		defer nx.Release()
		cols := slices.Clone(rec.Columns())
		cols[1] = nx
		return []arrow.Record{array.NewRecord(rec.Schema(), cols, rec.NumRows())}, nil
	}}
}

// ySchema is what idPlusX makes: the schema changes.
var ySchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "y", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
}, nil)

// idPlusX makes (id, y = id + x).
func idPlusX(mem memory.Allocator) partition.Kernel {
	return partition.Kernel{Name: "idPlusX", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		rec := in[0]
		id, x := rec.Column(0).(*array.Int64), rec.Column(1).(*array.Int64)
		b := array.NewInt64Builder(mem)
		defer b.Release()
		for i := range x.Len() {
			if x.IsNull(i) {
				b.AppendNull()
			} else {
				b.Append(id.Value(i) + x.Value(i))
			}
		}
		id.Retain()
		return []arrow.Record{newRecord(ySchema, id, b.NewArray())}, nil
	}}
}

var cumSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "cum", Type: arrow.PrimitiveTypes.Int64},
}, nil)

// cumSum is a full-axis kernel: the running sum of x (nulls count 0) over
// all its inputs in order, cut into nout near-equal outputs.
func cumSum(mem memory.Allocator) partition.Kernel {
	return partition.Kernel{Name: "cumSum", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		ids, sums := array.NewInt64Builder(mem), array.NewInt64Builder(mem)
		defer ids.Release()
		defer sums.Release()
		var sum int64
		for _, rec := range in {
			id, x := rec.Column(0).(*array.Int64), rec.Column(1).(*array.Int64)
			for i := range x.Len() {
				if x.IsValid(i) {
					sum += x.Value(i)
				}
				ids.Append(id.Value(i))
				sums.Append(sum)
			}
		}
		all := newRecord(cumSchema, ids.NewArray(), sums.NewArray())
		defer all.Release()
		out := make([]arrow.Record, nout)
		rows := all.NumRows()
		for i := range out {
			lo, hi := rows*int64(i)/int64(nout), rows*int64(i+1)/int64(nout)
			out[i] = all.NewSlice(lo, hi)
		}
		return out, nil
	}}
}

var lookupSchema = arrow.NewSchema([]arrow.Field{
	{Name: "key", Type: arrow.PrimitiveTypes.Int64},
	{Name: "name", Type: arrow.BinaryTypes.String},
}, nil)

var namedSchema = arrow.NewSchema([]arrow.Field{
	{Name: "id", Type: arrow.PrimitiveTypes.Int64},
	{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

var lookupKeys = []int64{0, 1, 2, 4}
var lookupNames = []string{"zero", "one", "two", "four"}

// lookupName is a broadcast kernel: in[0] is a partition, in[1:] the whole
// lookup table; it names each id by the table's entry for id%5 (null if
// none).
func lookupName(mem memory.Allocator) partition.Kernel {
	return partition.Kernel{Name: "lookupName", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		names := map[int64]string{}
		for _, rec := range in[1:] {
			k, n := rec.Column(0).(*array.Int64), rec.Column(1).(*array.String)
			for i := range k.Len() {
				names[k.Value(i)] = n.Value(i)
			}
		}
		id := in[0].Column(0).(*array.Int64)
		b := array.NewStringBuilder(mem)
		defer b.Release()
		for i := range id.Len() {
			if n, ok := names[id.Value(i)%5]; ok {
				b.Append(n)
			} else {
				b.AppendNull()
			}
		}
		id.Retain()
		return []arrow.Record{newRecord(namedSchema, id, b.NewArray())}, nil
	}}
}

// Expected results, computed from makeInput's formulas.

func wantInput(mem memory.Allocator, rows int) arrow.Record { return makeInput(mem, rows) }

func wantDoubled(mem memory.Allocator, rows int) arrow.Record {
	in := makeInput(mem, rows)
	defer in.Release()
	xs, valid := make([]int64, rows), make([]bool, rows)
	for i := range int64(rows) {
		x, ok := xOf(i)
		xs[i], valid[i] = 2*x, ok
	}
	cols := []arrow.Array{in.Column(0), int64s(mem, xs, valid), in.Column(2)}
	cols[0].Retain()
	cols[2].Retain()
	return newRecord(testSchema, cols...)
}

func TestFromRecordAndCollect(t *testing.T) {
	for _, rows := range []int{0, 1, 40} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
				return partition.Map(ctx, e, f, identity, nil), nil
			}, func(mem memory.Allocator) arrow.Record { return wantInput(mem, rows) })
		})
	}
}

// identity returns its input: the output is a reference to the same record.
var identity = partition.Kernel{Name: "identity", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
	in[0].Retain()
	return []arrow.Record{in[0]}, nil
}}

func TestFromRecordSizes(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 2) {
		mem := newMem()
		rec := makeInput(mem, 10)
		rec.Retain()
		whole, err := e.Put(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		m, err := whole.Meta(ctx)
		partition.Release(e, whole)
		if err != nil || m.Rows != 10 || m.Bytes == 0 {
			t.Fatalf("Meta of the record = %+v, %v", m, err)
		}
		bytes := m.Bytes
		for _, c := range []struct {
			s     partition.Sizing
			wantN int
			rows  []int64
		}{
			{partition.Sizing{TargetBytes: bytes}, 1, []int64{10}},
			{partition.Sizing{TargetBytes: (bytes + 2) / 3, MaxPerCore: 8, Cores: 1}, 3, []int64{4, 3, 3}},
			{partition.Sizing{TargetBytes: 1, MaxPerCore: 2, Cores: 2}, 4, []int64{3, 3, 2, 2}},
			{partition.Sizing{TargetBytes: 1, MaxPerCore: 64, Cores: 1}, 10, []int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}}, // no more than rows
		} {
			f, err := partition.FromRecord(ctx, e, rec, c.s)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, b := range f.Blocks {
				m, err := b.Meta(ctx)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, m.Rows)
			}
			if len(f.Blocks) != c.wantN || !slices.Equal(got, c.rows) || f.Schema != rec.Schema() {
				t.Errorf("%s: FromRecord(%v) gave rows %v, want %v", e.Name(), c.s, got, c.rows)
			}
			if n, err := partition.Rows(ctx, e, f); n != 10 || err != nil {
				t.Errorf("%s: Rows = %d, %v; want 10", e.Name(), n, err)
			}
			partition.Release(e, f.Blocks...)
		}
		rec.Release()
		checkZero(t, mem)
	}
}

func TestMap(t *testing.T) {
	for _, rows := range []int{0, 40} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
				return partition.Map(ctx, e, f, doubleX(mem), nil), nil
			}, func(mem memory.Allocator) arrow.Record { return wantDoubled(mem, rows) })
		})
	}
}

// Map after Map, with the schema changing, and the middle frame released
// as soon as the last Map is deployed.
func TestMapChainChangesSchema(t *testing.T) {
	for _, rows := range []int{0, 40} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
				mid := partition.Map(ctx, e, f, doubleX(mem), nil)
				out := partition.Map(ctx, e, mid, idPlusX(mem), ySchema)
				partition.Release(e, mid.Blocks...)
				return out, nil
			}, func(mem memory.Allocator) arrow.Record {
				ys, valid := make([]int64, rows), make([]bool, rows)
				ids := make([]int64, rows)
				for i := range int64(rows) {
					x, ok := xOf(i)
					ids[i], ys[i], valid[i] = i, i+2*x, ok
				}
				return newRecord(ySchema, int64s(mem, ids, nil), int64s(mem, ys, valid))
			})
		})
	}
}

func TestAxis(t *testing.T) {
	for _, rows := range []int{0, 40} {
		for _, nout := range []int{1, 3} {
			t.Run(fmt.Sprintf("%d/nout%d", rows, nout), func(t *testing.T) {
				runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
					out := partition.Axis(ctx, e, f, cumSum(mem), nout, cumSchema)
					if len(out.Blocks) != nout {
						return out, fmt.Errorf("Axis gave %d blocks, want %d", len(out.Blocks), nout)
					}
					return out, nil
				}, func(mem memory.Allocator) arrow.Record {
					ids, sums := make([]int64, rows), make([]int64, rows)
					var sum int64
					for i := range int64(rows) {
						if x, ok := xOf(i); ok {
							sum += x
						}
						ids[i], sums[i] = i, sum
					}
					return newRecord(cumSchema, int64s(mem, ids, nil), int64s(mem, sums, nil))
				})
			})
		}
	}
	// The last running sum of 0..39, exactly: sum of 3i-7 over i not 3 mod 7.
	var sum int64
	for i := range int64(40) {
		if x, ok := xOf(i); ok {
			sum += x
		}
	}
	if sum != 1733 {
		t.Fatalf("expected total %d, want 1733 (check xOf)", sum)
	}
}

func TestBroadcast(t *testing.T) {
	for _, rows := range []int{0, 40} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
				table := newRecord(lookupSchema, int64s(mem, lookupKeys, nil), stringsCol(mem, lookupNames, nil))
				small, err := partition.FromRecord(ctx, e, table, sizing(2))
				table.Release()
				if err != nil {
					return partition.Frame{}, err
				}
				if len(small.Blocks) != 2 {
					return partition.Frame{}, fmt.Errorf("small frame has %d blocks, want 2", len(small.Blocks))
				}
				out := partition.Broadcast(ctx, e, f, small, lookupName(mem), namedSchema)
				partition.Release(e, small.Blocks...)
				return out, nil
			}, func(mem memory.Allocator) arrow.Record {
				names := map[int64]string{0: "zero", 1: "one", 2: "two", 4: "four"}
				ids, ns, valid := make([]int64, rows), make([]string, rows), make([]bool, rows)
				for i := range int64(rows) {
					ids[i] = i
					ns[i], valid[i] = names[i%5]
				}
				return newRecord(namedSchema, int64s(mem, ids, nil), stringsCol(mem, ns, valid))
			})
		})
	}
}

func TestConcat(t *testing.T) {
	for _, rows := range []int{0, 40} {
		t.Run(fmt.Sprint(rows), func(t *testing.T) {
			runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
				doubled := partition.Map(ctx, e, f, doubleX(mem), nil)
				out, err := partition.Concat(doubled, f, doubled)
				if err != nil {
					return out, err
				}
				if want := 3 * len(f.Blocks); len(out.Blocks) != want {
					return out, fmt.Errorf("Concat gave %d blocks, want %d", len(out.Blocks), want)
				}
				// out is a view: runCase releases f and out, which covers
				// doubled's blocks; releasing twice is harmless.
				return out, nil
			}, func(mem memory.Allocator) arrow.Record {
				d, in := wantDoubled(mem, rows), wantInput(mem, rows)
				defer d.Release()
				defer in.Release()
				cols := make([]arrow.Array, 3)
				for c := range cols {
					col, err := array.Concatenate([]arrow.Array{d.Column(c), in.Column(c), d.Column(c)}, mem)
					if err != nil {
						t.Fatal(err)
					}
					cols[c] = col
				}
				return newRecord(testSchema, cols...)
			})
		})
	}
}

func TestConcatSchemaMismatch(t *testing.T) {
	a, b := partition.Frame{Schema: testSchema}, partition.Frame{Schema: ySchema}
	_, err := partition.Concat(a, a, b)
	if err == nil {
		t.Fatal("Concat of different schemas succeeded")
	}
	for _, want := range []string{"partition: concat: frame 2", testSchema.String(), ySchema.String()} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if _, err := partition.Concat(); err == nil {
		t.Error("Concat of nothing succeeded")
	}
	if f, err := partition.Concat(a); err != nil || f.Schema != testSchema || len(f.Blocks) != 0 {
		t.Errorf("Concat of one empty frame = %v, %v", f, err)
	}
}

// Collect checks that every block has the frame's schema: a Map whose
// kernel changes the schema must say so.
func TestCollectSchemaMismatch(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 2) {
		mem := newMem()
		in := makeInput(mem, 10)
		f, err := partition.FromRecord(ctx, e, in, sizing(2))
		in.Release()
		if err != nil {
			t.Fatal(err)
		}
		wrong := partition.Map(ctx, e, f, idPlusX(mem), nil) // schema not given
		_, err = partition.Collect(ctx, e, wrong, mem)
		if err == nil || !strings.Contains(err.Error(), "partition: collect: block 0 has schema") {
			t.Errorf("%s: Collect of a frame with the wrong schema: %v", e.Name(), err)
		}
		partition.Release(e, f.Blocks...)
		partition.Release(e, wrong.Blocks...)
		checkZero(t, mem)
	}
}

func TestRows(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 2) {
		for _, rows := range []int{0, 1, 40} {
			for _, sp := range splits[:4] {
				mem := newMem()
				in := makeInput(mem, rows)
				f := makeFrame(t, ctx, e, in, sp, nil)
				in.Release()
				mapped := partition.Map(ctx, e, f, doubleX(mem), nil)
				for _, fr := range []partition.Frame{f, mapped} {
					if n, err := partition.Rows(ctx, e, fr); n != int64(rows) || err != nil {
						t.Errorf("%s/%s: Rows = %d, %v; want %d", e.Name(), sp.name, n, err, rows)
					}
				}
				partition.Release(e, f.Blocks...)
				partition.Release(e, mapped.Blocks...)
				checkZero(t, mem)
			}
		}
	}
}

var errBoom = errors.New("boom")

// failing fails every time.
var failing = partition.Kernel{Name: "failing", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
	return nil, fmt.Errorf("on purpose: %w", errBoom)
}}

var errKaboom = errors.New("kaboom")

// panicking panics with an error value.
var panicking = partition.Kernel{Name: "panicking", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
	panic(fmt.Errorf("on purpose: %w", errKaboom))
}}

// wrongCount returns one output whatever it is asked for.
var wrongCount = partition.Kernel{Name: "wrongCount", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
	in[0].Retain()
	return []arrow.Record{in[0]}, nil
}}

// A kernel's failure reaches Meta, Wait, Materialize, Rows and Collect of
// its outputs and of everything downstream, naming the kernels on the way
// and keeping the cause for errors.Is.
func TestErrorPropagation(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 2) {
		for _, c := range []struct {
			k     partition.Kernel
			nout  int
			check func(error) bool
			says  []string
		}{
			{failing, 1, func(err error) bool { return errors.Is(err, errBoom) }, []string{"partition: kernel failing: on purpose: boom"}},
			{panicking, 1, func(err error) bool {
				var pe *remote.PanicError
				return errors.Is(err, errKaboom) && errors.As(err, &pe) && strings.Contains(pe.Stack, "manager_test.go")
			}, []string{"partition: kernel panicking: ", "panic: on purpose: kaboom"}},
			{wrongCount, 2, func(err error) bool { return err != nil }, []string{"partition: kernel wrongCount: returned 1 records, want 2"}},
		} {
			name := e.Name() + "/" + c.k.Name
			mem := newMem()
			in := makeInput(mem, 12)
			f, err := partition.FromRecord(ctx, e, in, sizing(3))
			in.Release()
			if err != nil {
				t.Fatal(err)
			}
			bad := partition.Axis(ctx, e, f, c.k, c.nout, nil)
			down := partition.Map(ctx, e, bad, doubleX(mem), nil)
			downer := partition.Broadcast(ctx, e, f, down, lookupName(mem), namedSchema)

			// The local engine names every kernel on the way. The runtime
			// names the kernel waited for and the failing one (unless it
			// panicked: the runtime reports that), but not the kernels
			// between, which it failed without running them.
			local := e.Name() == "local"
			check := func(what string, err error, names ...string) {
				t.Helper()
				if !c.check(err) {
					t.Errorf("%s: %s: %v, not the kernel's error", name, what, err)
					return
				}
				says := c.says
				if !local && len(names) > 0 {
					names = names[:1]
					if c.k.Name == "panicking" {
						says = says[1:]
					}
				}
				for _, n := range append(names, says...) {
					if !strings.Contains(err.Error(), n) {
						t.Errorf("%s: %s: %q does not say %q", name, what, err, n)
					}
				}
			}
			_, err = e.Materialize(ctx, bad.Blocks)
			check("Materialize", err)
			check("Wait", e.Wait(ctx, bad.Blocks))
			_, err = bad.Blocks[0].Meta(ctx)
			check("Meta", err)
			_, err = e.Materialize(ctx, down.Blocks)
			check("Materialize downstream", err, "partition: kernel doubleX: ")
			check("Wait downstream", e.Wait(ctx, down.Blocks), "partition: kernel doubleX: ")
			_, err = partition.Rows(ctx, e, downer)
			check("Rows two steps down", err, "partition: kernel lookupName: ", "partition: kernel doubleX: ")
			_, err = partition.Collect(ctx, e, downer, mem)
			check("Collect two steps down", err, "partition: kernel lookupName: ", "partition: kernel doubleX: ")

			for _, fr := range []partition.Frame{f, bad, down, downer} {
				partition.Release(e, fr.Blocks...)
			}
			checkZero(t, mem)
		}
	}
}

// A frame's layers import no engine package above them: imports flow
// dataframe -> algebra -> partition -> runtime.
func TestPartitionImportsNothingAbove(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/shoaldata/shoal/partition").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, above := range []string{"dataframe", "algebra", "io", "bench", "cmd"} {
			if p := "github.com/shoaldata/shoal/" + above; dep == p || strings.HasPrefix(dep, p+"/") {
				t.Errorf("partition depends on %s", dep)
			}
		}
	}
}

func ExampleFromRecord() {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	e := partition.NewLocal(0)

	b := array.NewInt64Builder(mem)
	b.AppendValues([]int64{1, 2, 3, 4, 5, 6, 7}, []bool{true, true, true, false, true, true, true})
	col := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 7)
	col.Release()
	defer rec.Release()

	// Three partitions of near-equal rows, whatever the bytes say.
	f, err := partition.FromRecord(ctx, e, rec, partition.Sizing{TargetBytes: 1, MaxPerCore: 3, Cores: 1})
	if err != nil {
		panic(err)
	}
	defer partition.Release(e, f.Blocks...)
	squared := partition.Map(ctx, e, f, square, nil)
	defer partition.Release(e, squared.Blocks...)

	out, err := partition.Collect(ctx, e, squared, mem)
	if err != nil {
		panic(err)
	}
	defer out.Release()
	n, _ := partition.Rows(ctx, e, squared)
	fmt.Println(len(f.Blocks), "partitions,", n, "rows")
	fmt.Println(out.Column(0))
	// Output:
	// 3 partitions, 7 rows
	// [1 4 9 (null) 25 36 49]
}

// square squares column 0, an int64 column. Kernels that capture nothing
// are declared once, at package level.
var square = partition.Kernel{Name: "example.square", Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
	x := in[0].Column(0).(*array.Int64)
	b := array.NewInt64Builder(memory.DefaultAllocator)
	defer b.Release()
	for i := range x.Len() {
		if x.IsNull(i) {
			b.AppendNull()
		} else {
			b.Append(x.Value(i) * x.Value(i))
		}
	}
	col := b.NewArray()
	defer col.Release()
	return []arrow.Record{array.NewRecord(in[0].Schema(), []arrow.Array{col}, int64(col.Len()))}, nil
}}

// reorder returns the rows of rec ordered by dest[row], stably: what a
// shuffle that sends row i to partition dest[i] collects to.
func reorder(t *testing.T, mem memory.Allocator, rec arrow.Record, dest []int, n int) arrow.Record {
	t.Helper()
	var parts []arrow.Record
	for j := range n {
		for i := range dest {
			if dest[i] == j {
				parts = append(parts, rec.NewSlice(int64(i), int64(i+1)))
			}
		}
	}
	out, err := partition.ConcatRows(rec.Schema(), mem).Fn(context.Background(), parts, 1)
	for _, p := range parts {
		p.Release()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

// checkBlocks materializes each block of f and checks its rows with ok.
func checkBlocks(ctx context.Context, e partition.Engine, f partition.Frame, ok func(j int, rec arrow.Record) error) error {
	recs, err := e.Materialize(ctx, f.Blocks)
	if err != nil {
		return err
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	for j, r := range recs {
		if err := ok(j, r); err != nil {
			return fmt.Errorf("block %d: %w", j, err)
		}
	}
	return nil
}

func TestHashShuffle(t *testing.T) {
	for _, keys := range [][]string{{"s"}, {"x", "s"}} {
		for _, n := range []int{1, 3, 7} {
			for _, rows := range []int{0, 40} {
				t.Run(fmt.Sprintf("%v/%d/%d", keys, n, rows), func(t *testing.T) {
					idx := make([]int, len(keys))
					for i, k := range keys {
						idx[i] = testSchema.FieldIndices(k)[0]
					}
					// bucket is where a shuffle must send each row.
					bucket := func(rec arrow.Record) []int {
						h := make([]uint64, rec.NumRows())
						if err := partition.HashColumns(rec, idx, h); err != nil {
							t.Fatal(err)
						}
						dest := make([]int, len(h))
						for i := range h {
							dest[i] = partition.HashBucket(h[i], n)
						}
						return dest
					}
					runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
						out := partition.HashShuffle(ctx, e, f, keys, n, mem)
						if len(out.Blocks) != n {
							return out, fmt.Errorf("%d partitions, want %d", len(out.Blocks), n)
						}
						return out, checkBlocks(ctx, e, out, func(j int, rec arrow.Record) error {
							for i, d := range bucket(rec) {
								if d != j {
									return fmt.Errorf("row %d (id %s) belongs in partition %d", i, rec.Column(0).ValueStr(i), d)
								}
							}
							return nil
						})
					}, func(mem memory.Allocator) arrow.Record {
						in := makeInput(mem, rows)
						defer in.Release()
						return reorder(t, mem, in, bucket(in), n)
					})
				})
			}
		}
	}
	// n < 1: as many partitions as the input has.
	ctx := testCtx(t)
	for _, e := range engines(t, 2) {
		mem := newMem()
		f := inputFrame(t, ctx, e, mem, 10, 4)
		out := partition.HashShuffle(ctx, e, f, []string{"id"}, 0, mem)
		if n, err := partition.Rows(ctx, e, out); len(out.Blocks) != 4 || n != 10 || err != nil {
			t.Errorf("%s: HashShuffle with n 0 gave %d partitions, %d rows, %v; want 4, 10", e.Name(), len(out.Blocks), n, err)
		}
		bad := partition.HashShuffle(ctx, e, f, []string{"nope"}, 2, mem)
		if err := e.Wait(ctx, bad.Blocks); !errors.Is(err, partition.ErrUnknownColumn) {
			t.Errorf("%s: HashShuffle on a missing key: %v, want ErrUnknownColumn", e.Name(), err)
		}
		for _, fr := range []partition.Frame{f, out, bad} {
			partition.Release(e, fr.Blocks...)
		}
		checkZero(t, mem)
	}
}

func TestRangeShuffle(t *testing.T) {
	for _, c := range []struct {
		splitters  []int64
		descending bool
		dest       func(x int64, valid bool) int
	}{
		{[]int64{0, 30, 60}, false, func(x int64, valid bool) int {
			switch {
			case !valid || x >= 60:
				return 3
			case x >= 30:
				return 2
			case x >= 0:
				return 1
			}
			return 0
		}},
		{[]int64{60, 30, 0}, true, func(x int64, valid bool) int {
			switch {
			case !valid || x <= 0:
				return 3
			case x <= 30:
				return 2
			case x <= 60:
				return 1
			}
			return 0
		}},
		{nil, false, func(int64, bool) int { return 0 }},
	} {
		for _, rows := range []int{0, 40} {
			t.Run(fmt.Sprintf("%v/desc=%v/%d", c.splitters, c.descending, rows), func(t *testing.T) {
				n := len(c.splitters) + 1
				runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
					splitters := int64s(mem, c.splitters, nil)
					out := partition.RangeShuffle(ctx, e, f, "x", splitters, c.descending, mem)
					splitters.Release() // RangeShuffle copied them
					if len(out.Blocks) != n {
						return out, fmt.Errorf("%d partitions, want %d", len(out.Blocks), n)
					}
					return out, nil
				}, func(mem memory.Allocator) arrow.Record {
					in := makeInput(mem, rows)
					defer in.Release()
					dest := make([]int, rows)
					for i := range int64(rows) {
						dest[i] = c.dest(xOf(i))
					}
					return reorder(t, mem, in, dest, n)
				})
			})
		}
	}
}

func TestRebalance(t *testing.T) {
	for _, k := range []int{1, 2, 5, 64} {
		for _, rows := range []int{0, 1, 40} {
			t.Run(fmt.Sprintf("%d/%d", k, rows), func(t *testing.T) {
				runCase(t, rows, func(ctx context.Context, e partition.Engine, f partition.Frame, mem memory.Allocator) (partition.Frame, error) {
					// Skew the input first: ids below 5 in one partition,
					// the rest in the other.
					splitters := int64s(mem, []int64{5}, nil)
					skewed := partition.RangeShuffle(ctx, e, f, "id", splitters, false, mem)
					splitters.Release()
					out, err := partition.Rebalance(ctx, e, skewed, sizing(k), mem)
					partition.Release(e, skewed.Blocks...)
					if err != nil {
						return out, err
					}
					want := min(k, max(rows, 1))
					if len(out.Blocks) != want {
						return out, fmt.Errorf("Rebalance gave %d partitions, want %d", len(out.Blocks), want)
					}
					counts := make([]int64, want)
					for j := range counts {
						counts[j] = int64(rows/want + min(1, max(0, rows%want-j)))
					}
					for j, b := range out.Blocks {
						m, err := b.Meta(ctx)
						if err != nil {
							return out, err
						}
						if m.Rows != counts[j] {
							return out, fmt.Errorf("partition %d has %d rows, want %d (all: %v)", j, m.Rows, counts[j], counts)
						}
					}
					return out, nil
				}, func(mem memory.Allocator) arrow.Record { return wantInput(mem, rows) })
			})
		}
	}
}

// A failure upstream of Rebalance is its error: it has to read the Metas.
func TestRebalanceError(t *testing.T) {
	ctx := testCtx(t)
	for _, e := range engines(t, 2) {
		mem := newMem()
		f := inputFrame(t, ctx, e, mem, 10, 2)
		bad := partition.Map(ctx, e, f, failing, nil)
		if _, err := partition.Rebalance(ctx, e, bad, sizing(3), mem); !errors.Is(err, errBoom) || !strings.HasPrefix(err.Error(), "partition: rebalance: ") {
			t.Errorf("%s: Rebalance of a failed frame: %v", e.Name(), err)
		}
		partition.Release(e, f.Blocks...)
		partition.Release(e, bad.Blocks...)
		checkZero(t, mem)
	}
}

func ExampleHashShuffle() {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	e := partition.NewLocal(0)

	schema := arrow.NewSchema([]arrow.Field{
		{Name: "k", Type: arrow.BinaryTypes.String},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"a", "b", "c", "a", "d", "b", "a", "e"}, nil)
	b.Field(1).(*array.Int64Builder).AppendValues([]int64{1, 2, 3, 4, 5, 6, 7, 8}, nil)
	rec := b.NewRecord()
	b.Release()
	defer rec.Release()

	f, err := partition.FromRecord(ctx, e, rec, partition.Sizing{TargetBytes: 1, MaxPerCore: 3, Cores: 1})
	if err != nil {
		panic(err)
	}
	defer partition.Release(e, f.Blocks...)

	// Equal keys meet in one partition, in their original order.
	shuffled := partition.HashShuffle(ctx, e, f, []string{"k"}, 2, mem)
	defer partition.Release(e, shuffled.Blocks...)
	parts, err := e.Materialize(ctx, shuffled.Blocks)
	if err != nil {
		panic(err)
	}
	for j, p := range parts {
		fmt.Println(j, p.Column(0), p.Column(1))
		p.Release()
	}
	// Output:
	// 0 ["a" "a" "d" "a" "e"] [1 4 5 7 8]
	// 1 ["b" "c" "b"] [2 3 6]
}

func ExampleRebalance() {
	ctx := context.Background()
	mem := memory.NewGoAllocator()
	e := partition.NewLocal(0)

	b := array.NewInt64Builder(mem)
	b.AppendValues([]int64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, nil)
	col := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 10)
	col.Release()
	defer rec.Release()
	f, err := partition.FromRecord(ctx, e, rec, partition.Sizing{TargetBytes: 1, MaxPerCore: 2, Cores: 1})
	if err != nil {
		panic(err)
	}
	defer partition.Release(e, f.Blocks...)

	// A range shuffle at 2 leaves one row in the first partition and nine
	// in the second; Rebalance evens them out into three, in order.
	splitters := array.NewInt64Builder(mem)
	splitters.Append(2)
	s := splitters.NewArray()
	splitters.Release()
	skewed := partition.RangeShuffle(ctx, e, f, "x", s, false, mem)
	s.Release()
	defer partition.Release(e, skewed.Blocks...)
	even, err := partition.Rebalance(ctx, e, skewed, partition.Sizing{TargetBytes: 1, MaxPerCore: 3, Cores: 1}, mem)
	if err != nil {
		panic(err)
	}
	defer partition.Release(e, even.Blocks...)

	for _, fr := range []partition.Frame{skewed, even} {
		parts, err := e.Materialize(ctx, fr.Blocks)
		if err != nil {
			panic(err)
		}
		var cols []string
		for _, p := range parts {
			cols = append(cols, fmt.Sprint(p.Column(0)))
			p.Release()
		}
		fmt.Println(strings.Join(cols, " "))
	}
	// Output:
	// [1] [2 3 4 5 6 7 8 9 10]
	// [1 2 3 4] [5 6 7] [8 9 10]
}
