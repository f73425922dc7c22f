package partition

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// The partition manager: the primitives the planner builds queries from,
// written once against Engine so they run alike on every engine.
//
// Conventions for all of them. They are safe for concurrent use (as far as
// the engine is). Those returning a Frame alone do not wait: they deploy
// kernels and return at once, and a failure shows when the result is
// waited for (Engine.Wait, Materialize, Collect, Rows). They never release
// the frames they are given, which stay the caller's; blocks they make
// along the way (shuffle pieces) they release themselves. A result frame
// holds blocks of its own, except Concat's, which is a view of its inputs'.
// The schema given to Map, Axis and Broadcast is the schema the kernel's
// outputs have (nil: the input frame's); Collect checks it.

// FromRecord splits rec into s.Count(its bytes) partitions of near-equal
// rows (never more partitions than rows, and one for an empty record), as
// zero-copy slices, and Puts each. rec is borrowed: the caller keeps (and
// releases) its reference.
func FromRecord(ctx context.Context, e Engine, rec arrow.Record, s Sizing) (Frame, error) {
	rows := rec.NumRows()
	n := min(int64(s.Count(MetaOf(rec).Bytes)), max(rows, 1))
	f := Frame{Schema: rec.Schema(), Blocks: make([]Block, 0, n)}
	var lo int64
	for _, c := range nearEqualCounts(rows, int(n)) {
		b, err := e.Put(ctx, rec.NewSlice(lo, lo+c))
		if err != nil {
			Release(e, f.Blocks...)
			return Frame{}, fmt.Errorf("partition: from record: %w", err)
		}
		f.Blocks = append(f.Blocks, b)
		lo += c
	}
	return f, nil
}

// nearEqualCounts splits rows into n near-equal counts, the larger first.
func nearEqualCounts(rows int64, n int) []int64 {
	counts := make([]int64, n)
	q, r := rows/int64(n), rows%int64(n)
	for i := range counts {
		counts[i] = q
		if int64(i) < r {
			counts[i]++
		}
	}
	return counts
}

// Map deploys k once per block of f (nout 1): row-wise work, where each
// partition is transformed on its own. schema is the outputs' schema; nil
// means f's.
func Map(ctx context.Context, e Engine, f Frame, k Kernel, schema *arrow.Schema) Frame {
	out := Frame{Schema: orSchema(schema, f.Schema), Blocks: make([]Block, len(f.Blocks))}
	for i, b := range f.Blocks {
		out.Blocks[i] = e.Deploy(ctx, k, []Block{b}, 1)[0]
	}
	return out
}

// Axis deploys k once over every block of f in order, with nout outputs: a
// full-axis function, which must see the whole column (a cumulative sum, a
// sort of a small frame). schema is the outputs' schema; nil means f's.
func Axis(ctx context.Context, e Engine, f Frame, k Kernel, nout int, schema *arrow.Schema) Frame {
	return Frame{Schema: orSchema(schema, f.Schema), Blocks: e.Deploy(ctx, k, f.Blocks, nout)}
}

// Broadcast deploys k once per block of f, with every block of small after
// it as further inputs (nout 1): a broadcast join, or anything that needs a
// small frame whole beside each partition. schema is the outputs' schema;
// nil means f's.
func Broadcast(ctx context.Context, e Engine, f, small Frame, k Kernel, schema *arrow.Schema) Frame {
	out := Frame{Schema: orSchema(schema, f.Schema), Blocks: make([]Block, len(f.Blocks))}
	for i, b := range f.Blocks {
		in := make([]Block, 0, 1+len(small.Blocks))
		in = append(append(in, b), small.Blocks...)
		out.Blocks[i] = e.Deploy(ctx, k, in, 1)[0]
	}
	return out
}

func orSchema(s, def *arrow.Schema) *arrow.Schema {
	if s != nil {
		return s
	}
	return def
}

// Concat returns the rows of frames one after the other: a view sharing
// their blocks, so releasing it releases theirs. The schemas must be equal;
// the error names the first that differs and the first frame's.
func Concat(frames ...Frame) (Frame, error) {
	if len(frames) == 0 {
		return Frame{}, errors.New("partition: concat: no frames")
	}
	n := 0
	for i, f := range frames {
		if !f.Schema.Equal(frames[0].Schema) {
			return Frame{}, fmt.Errorf("partition: concat: frame %d has schema %v, frame 0 has %v", i, f.Schema, frames[0].Schema)
		}
		n += len(f.Blocks)
	}
	out := Frame{Schema: frames[0].Schema, Blocks: make([]Block, 0, n)}
	for _, f := range frames {
		out.Blocks = append(out.Blocks, f.Blocks...)
	}
	return out, nil
}

// Rows returns f's row count from the blocks' Metas, fetching no data. It
// waits for every block.
func Rows(ctx context.Context, e Engine, f Frame) (int64, error) {
	metas, err := metasOf(ctx, f)
	if err != nil {
		return 0, err
	}
	var n int64
	for _, m := range metas {
		n += m.Rows
	}
	return n, nil
}

func metasOf(ctx context.Context, f Frame) ([]Meta, error) {
	metas := make([]Meta, len(f.Blocks))
	for i, b := range f.Blocks {
		m, err := b.Meta(ctx)
		if err != nil {
			return nil, err
		}
		metas[i] = m
	}
	return metas, nil
}

// Records materializes f's blocks, in order, as records the caller must
// release; every block must have f's schema.
func Records(ctx context.Context, e Engine, f Frame) ([]arrow.Record, error) {
	recs, err := e.Materialize(ctx, f.Blocks)
	if err != nil {
		return nil, err
	}
	for i, r := range recs {
		if !r.Schema().Equal(f.Schema) {
			for _, r := range recs {
				r.Release()
			}
			return nil, fmt.Errorf("partition: collect: block %d has schema %v, the frame has %v", i, r.Schema(), f.Schema)
		}
	}
	return recs, nil
}

// Collect returns every row of f, in order, as one record the caller must
// release, with buffers from mem (ConcatRows does the work, in this
// process; a frame with one non-empty block comes back without a copy).
// Every block must have f's schema.
func Collect(ctx context.Context, e Engine, f Frame, mem memory.Allocator) (arrow.Record, error) {
	recs, err := Records(ctx, e, f)
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, r := range recs {
			r.Release()
		}
	}()
	out, err := ConcatRows(f.Schema, mem).Fn(ctx, recs, 1)
	if err != nil {
		return nil, fmt.Errorf("partition: collect: %w", err)
	}
	return out[0], nil
}

// HashShuffle repartitions f into n partitions by the hash of the key
// columns, so that equal keys share a partition (the step before a
// partitioned group-by or join). It is a map and a reduce: HashSplit cuts
// each block into n pieces, then ConcatRows joins the pieces bound for each
// destination, in block order, so each destination keeps f's row order.
// Each block can be freed once split, so a shuffle of intermediate results
// holds little more than one copy of them. n < 1 means as many partitions
// as f has (at least one). mem allocates the pieces and the results.
func HashShuffle(ctx context.Context, e Engine, f Frame, keys []string, n int, mem memory.Allocator) Frame {
	if n < 1 {
		n = max(len(f.Blocks), 1)
	}
	return shuffle(ctx, e, f, HashSplit(keys, mem), n, mem)
}

// HashShuffleDirect is HashShuffle for inputs that outlive the shuffle,
// such as the columns of an in-memory table: on an engine that runs
// kernels in this process, one kernel over every block writes each row
// once, straight into its destination (shuffle_direct.go), instead of into
// a piece and then again into the concatenation. It holds every input
// until all outputs are written, which costs nothing when the inputs stay
// anyway and a second copy when they are intermediates HashShuffle would
// free block by block. Engines that ship kernels get HashShuffle.
func HashShuffleDirect(ctx context.Context, e Engine, f Frame, keys []string, n int, mem memory.Allocator) Frame {
	if n < 1 {
		n = max(len(f.Blocks), 1)
	}
	if n > 1 && len(f.Blocks) > 1 && !ShipsKernels(e) {
		return Frame{Schema: f.Schema, Blocks: e.Deploy(ctx, hashShuffleKernel(f.Schema, keys, mem), f.Blocks, n)}
	}
	return shuffle(ctx, e, f, HashSplit(keys, mem), n, mem)
}

// RangeShuffle repartitions f into splitters.Len()+1 partitions by the
// value of column key (the step before a distributed sort): see RangeSplit
// for which partition a value goes to, and for the splitters, which the
// caller may release once RangeShuffle returns. Like HashShuffle, each
// destination keeps f's row order.
func RangeShuffle(ctx context.Context, e Engine, f Frame, key string, splitters arrow.Array, descending bool, mem memory.Allocator) Frame {
	return shuffle(ctx, e, f, RangeSplit(key, splitters, descending, mem), splitters.Len()+1, mem)
}

// RangeShuffleDirect is RangeShuffle for inputs that outlive the shuffle,
// as HashShuffleDirect is HashShuffle's.
func RangeShuffleDirect(ctx context.Context, e Engine, f Frame, key string, splitters arrow.Array, descending bool, mem memory.Allocator) Frame {
	n := splitters.Len() + 1
	if n > 1 && len(f.Blocks) > 1 && !ShipsKernels(e) {
		return Frame{Schema: f.Schema, Blocks: e.Deploy(ctx, rangeShuffleKernel(f.Schema, key, splitters, descending, mem), f.Blocks, n)}
	}
	return shuffle(ctx, e, f, RangeSplit(key, splitters, descending, mem), n, mem)
}

// shuffle deploys split over each block of f with n outputs, then
// ConcatRows once per destination over its pieces, and releases the
// pieces: the reduce Deploys keep what they need.
func shuffle(ctx context.Context, e Engine, f Frame, split Kernel, n int, mem memory.Allocator) Frame {
	pieces := make([][]Block, len(f.Blocks)) // [source][destination]
	for i, b := range f.Blocks {
		pieces[i] = e.Deploy(ctx, split, []Block{b}, n)
	}
	concat := ConcatRows(f.Schema, mem)
	out := Frame{Schema: f.Schema, Blocks: make([]Block, n)}
	for j := range out.Blocks {
		in := make([]Block, len(pieces))
		for i := range pieces {
			in[i] = pieces[i][j]
		}
		out.Blocks[j] = e.Deploy(ctx, concat, in, 1)[0]
	}
	for _, ps := range pieces {
		Release(e, ps...)
	}
	return out
}

// Rebalance repartitions f into s.Count(its bytes) partitions of
// near-equal rows (never more than its rows, one if it has none), keeping
// row order: after a filter or a skewed shuffle, so that work is spread
// evenly again. It waits for f's Metas to plan, then cuts the blocks that
// straddle a boundary with SplitRows (zero-copy) and joins each
// partition's pieces with ConcatRows; a block that falls inside one
// partition is passed whole. The result never shares blocks with f.
func Rebalance(ctx context.Context, e Engine, f Frame, s Sizing, mem memory.Allocator) (Frame, error) {
	metas, err := metasOf(ctx, f)
	if err != nil {
		return Frame{}, fmt.Errorf("partition: rebalance: %w", err)
	}
	var rows, bytes int64
	for _, m := range metas {
		rows, bytes = rows+m.Rows, bytes+m.Bytes
	}
	targets := nearEqualCounts(rows, int(min(int64(s.Count(bytes)), max(rows, 1))))
	groups := make([][]Block, len(targets)) // each partition's inputs, in order
	var cut []Block                         // SplitRows' pieces, to release
	t, room := 0, targets[0]                // the partition being filled, the rows it still takes
	for i, b := range f.Blocks {
		var counts []int64
		var dests []int
		for left := metas[i].Rows; left > 0; {
			for room == 0 {
				t++
				room = targets[t]
			}
			c := min(left, room)
			counts, dests = append(counts, c), append(dests, t)
			left, room = left-c, room-c
		}
		switch len(counts) {
		case 0: // no rows
		case 1:
			groups[dests[0]] = append(groups[dests[0]], b)
		default:
			ps := e.Deploy(ctx, SplitRows(counts), []Block{b}, len(counts))
			cut = append(cut, ps...)
			for k, p := range ps {
				groups[dests[k]] = append(groups[dests[k]], p)
			}
		}
	}
	concat := ConcatRows(f.Schema, mem)
	out := Frame{Schema: f.Schema, Blocks: make([]Block, len(targets))}
	for j, in := range groups {
		out.Blocks[j] = e.Deploy(ctx, concat, in, 1)[0]
	}
	Release(e, cut...)
	return out, nil
}
