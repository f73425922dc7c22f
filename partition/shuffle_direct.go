package partition

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"golang.org/x/sync/errgroup"
)

// The direct shuffle, for engines that run kernels in this process.
//
// The two-step shuffle (a split per block into one piece per destination,
// then a concatenation per destination) writes every row twice into fresh
// memory. A profile of H2O groupby q6 (median by two int keys, 1e7 rows,
// 8 partitions) spent 28% of its CPU in the concatenation's memmove and
// another third in the scatter, most of both in first-touch page faults.
// Here one kernel takes every block: each source ranks its rows within
// their destinations (the split's first pass), the ranks are offset by
// the rows earlier sources send to the same destination, and every source
// then writes its rows straight into each destination's final buffers, in
// parallel and at disjoint positions. Each row is written once.

// hashPlan hashes rec's key columns and returns where each row goes among
// nout destinations. The hashes' memory is reused for the plan: dest takes
// its first half (dest[i] overwrites half of hashes[i/2], already read),
// the positions its second half (written once every hash is read).
func hashPlan(rec arrow.Record, idx []int, nout int) (*scatterPlan, error) {
	n := int(rec.NumRows())
	if n == 0 {
		if err := checkKeys(rec, idx); err != nil {
			return nil, err
		}
		return &scatterPlan{counts: make([]int, nout)}, nil
	}
	hashes := make([]uint64, n)
	if err := HashColumns(rec, idx, hashes); err != nil {
		return nil, err
	}
	scratch := unsafe.Slice((*int32)(unsafe.Pointer(&hashes[0])), 2*n)
	dest, pos := scratch[:n:n], scratch[n:]
	for i, h := range hashes {
		dest[i] = int32(HashBucket(h, nout))
	}
	return newScatterPlan(dest, pos, nout), nil
}

// directShuffleable reports whether the direct shuffle copies every column
// of recs: fixed-width columns of whole bytes, and dictionaries whose
// indices are such and whose dictionary every record shares. Anything else
// (strings, nested types, booleans, differing dictionaries) takes the
// two-step shuffle.
func directShuffleable(schema *arrow.Schema, recs []arrow.Record) bool {
	for c, f := range schema.Fields() {
		switch dt := f.Type.(type) {
		case *arrow.BooleanType:
			return false
		case *arrow.DictionaryType:
			parts := make([]arrow.Array, len(recs))
			for i, r := range recs {
				parts[i] = r.Column(c)
			}
			if len(parts) > 1 && !sharedDictionary(parts) {
				return false
			}
		case arrow.FixedWidthDataType:
			if dt.BitWidth()%8 != 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// hashShuffleKernel is HashShuffle as one kernel over every block of a
// frame of schema, with nout outputs.
func hashShuffleKernel(schema *arrow.Schema, keys []string, mem memory.Allocator) Kernel {
	keys = append([]string(nil), keys...)
	name := "partition.HashShuffle(" + strings.Join(keys, ",") + ")"
	return directShuffleKernel(name, schema, HashSplit(keys, mem), mem, func(rec arrow.Record, nout int) (*scatterPlan, error) {
		idx := make([]int, len(keys))
		for i, k := range keys {
			var err error
			if idx[i], err = columnIndex(rec.Schema(), k); err != nil {
				return nil, err
			}
		}
		return hashPlan(rec, idx, nout)
	})
}

// rangeShuffleKernel is RangeShuffle as one kernel over every block of a
// frame of schema, with splitters.Len()+1 outputs.
func rangeShuffleKernel(schema *arrow.Schema, key string, splitters arrow.Array, descending bool, mem memory.Allocator) Kernel {
	split := RangeSplit(key, splitters, descending, mem)
	name := strings.Replace(split.Name, "RangeSplit", "RangeShuffle", 1)
	b, bErr := newBounds(splitters, descending)
	return directShuffleKernel(name, schema, split, mem, func(rec arrow.Record, nout int) (*scatterPlan, error) {
		if bErr != nil {
			return nil, bErr
		}
		if nout != b.len()+1 {
			return nil, fmt.Errorf("%d outputs for %d splitters, want %d: %w", nout, b.len(), b.len()+1, ErrKernelArity)
		}
		k, err := columnIndex(rec.Schema(), key)
		if err != nil {
			return nil, err
		}
		col := rec.Column(k)
		if err := b.check(col.DataType()); err != nil {
			return nil, fmt.Errorf("column %q: %w", key, err)
		}
		n := int(rec.NumRows())
		scratch := make([]int32, 2*n)
		dest, pos := scratch[:n:n], scratch[n:]
		if n > 0 {
			b.buckets(col.Data(), dest)
		}
		return newScatterPlan(dest, pos, nout), nil
	})
}

// directShuffleKernel is a shuffle as one kernel over every block of a
// frame of schema: plan says where each row of a block goes; split is the
// per-block kernel of the two-step path, for columns the direct one does
// not copy.
func directShuffleKernel(name string, schema *arrow.Schema, split Kernel, mem memory.Allocator, plan func(rec arrow.Record, nout int) (*scatterPlan, error)) Kernel {
	mem = allocator(mem)
	concat := ConcatRows(schema, mem)
	return Kernel{Name: name, Fn: func(ctx context.Context, in []arrow.Record, nout int) ([]arrow.Record, error) {
		for i, rec := range in {
			if err := sameTypes(schema, rec.Schema()); err != nil {
				return nil, fmt.Errorf("%s: input %d: %w", name, i, err)
			}
		}
		if len(in) == 0 {
			out := make([]arrow.Record, nout)
			for o := range out {
				out[o] = emptyRecord(mem, schema)
			}
			return out, nil
		}
		if !directShuffleable(schema, in) {
			return twoStepShuffle(ctx, split, concat, in, nout)
		}
		plans := make([]*scatterPlan, len(in))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(goruntime.GOMAXPROCS(0))
		for s, rec := range in {
			g.Go(func() error {
				if err := gctx.Err(); err != nil {
					return err
				}
				p, err := plan(rec, nout)
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				plans[s] = p
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		return scatterDirect(ctx, mem, schema, in, plans, nout)
	}}
}

// twoStepShuffle splits each input, then concatenates each destination's
// pieces: the shuffle for columns the direct one does not copy.
func twoStepShuffle(ctx context.Context, split, concat Kernel, in []arrow.Record, nout int) ([]arrow.Record, error) {
	pieces := make([][]arrow.Record, len(in))
	defer func() {
		for _, ps := range pieces {
			for _, p := range ps {
				p.Release()
			}
		}
	}()
	for s, rec := range in {
		ps, err := split.Fn(ctx, []arrow.Record{rec}, nout)
		if err != nil {
			return nil, err
		}
		pieces[s] = ps
	}
	out := make([]arrow.Record, 0, nout)
	col := make([]arrow.Record, len(in))
	for o := range nout {
		for s := range in {
			col[s] = pieces[s][o]
		}
		rec, err := concat.Fn(ctx, col, 1)
		if err != nil {
			for _, r := range out {
				r.Release()
			}
			return nil, err
		}
		out = append(out, rec[0])
	}
	return out, nil
}

// scatterDirect writes the rows of every input into nout records, row i
// of input s to record plans[s].dest[i] after the rows earlier inputs send
// there, keeping each input's row order. The columns must pass
// directShuffleable.
func scatterDirect(ctx context.Context, mem memory.Allocator, schema *arrow.Schema, in []arrow.Record, plans []*scatterPlan, nout int) ([]arrow.Record, error) {
	// Offset each source's positions by the rows before it in each
	// destination.
	totals := make([]int, nout)
	bases := make([][]int32, len(in))
	for s, p := range plans {
		bases[s] = make([]int32, nout)
		for o, c := range p.counts {
			bases[s][o] = int32(totals[o])
			totals[o] += c
		}
	}
	ncol := len(schema.Fields())
	valuesOut := make([][]*memory.Buffer, ncol) // [column][destination]
	validOut := make([][]*memory.Buffer, ncol)  // nil for a column without nulls
	defer func() {
		for c := range valuesOut {
			releaseBuffers(valuesOut[c])
			releaseBuffers(validOut[c])
		}
	}()
	widths := make([]int, ncol)
	for c, f := range schema.Fields() {
		st := storageType(f.Type)
		if dt, ok := st.(*arrow.DictionaryType); ok {
			st = dt.IndexType
		}
		w := st.(arrow.FixedWidthDataType).BitWidth() / 8
		widths[c] = w
		valuesOut[c] = newBuffers(mem, nout, func(o int) int { return totals[o] * w })
		for _, rec := range in {
			if rec.Column(c).NullN() > 0 {
				validOut[c] = newBuffers(mem, nout, func(o int) int { return int(bitutil.BytesForBits(int64(totals[o]))) })
				for _, b := range validOut[c] {
					clear(b.Bytes())
				}
				break
			}
		}
	}

	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(goruntime.GOMAXPROCS(0))
	for s, rec := range in {
		p := plans[s]
		if len(p.dest) == 0 {
			continue
		}
		g.Go(func() error {
			base := bases[s]
			for i, d := range p.dest {
				p.pos[i] += base[d]
			}
			for c := range ncol {
				if err := gctx.Err(); err != nil {
					return err
				}
				scatterFixedInto(rec.Column(c).Data(), widths[c], p, valuesOut[c])
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	// Validity bits of different sources can share a byte: one goroutine
	// per column writes them, source after source.
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(goruntime.GOMAXPROCS(0))
	nulls := make([][]int, ncol)
	for c := range ncol {
		if validOut[c] == nil {
			continue
		}
		g.Go(func() error {
			outs := views[byte](validOut[c])
			for s, rec := range in {
				if err := gctx.Err(); err != nil {
					return err
				}
				d := rec.Column(c).Data()
				if valid := validBits(d); valid != nil {
					orBits(valid, d.Offset(), plans[s], outs)
				} else {
					setBits(plans[s], outs)
				}
			}
			nulls[c] = make([]int, nout)
			for o, b := range validOut[c] {
				nulls[c][o] = totals[o] - bitutil.CountSetBits(b.Bytes(), 0, totals[o])
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	out := make([]arrow.Record, nout)
	cols := make([]arrow.Array, ncol)
	for o := range nout {
		for c, f := range schema.Fields() {
			var vb *memory.Buffer
			nn := 0
			if validOut[c] != nil && nulls[c][o] > 0 {
				vb, nn = validOut[c][o], nulls[c][o]
			}
			d := array.NewData(f.Type, totals[o], []*memory.Buffer{vb, valuesOut[c][o]}, nil, nn, 0)
			if _, ok := f.Type.(*arrow.DictionaryType); ok {
				d.SetDictionary(in[0].Column(c).Data().Dictionary())
			}
			cols[c] = array.MakeFromData(d)
			d.Release()
		}
		out[o] = array.NewRecord(schema, cols, int64(totals[o]))
		releaseArrays(cols)
	}
	return out, nil
}

// scatterFixedInto scatters values w bytes wide (buffer 1 of d) into the
// given per-destination buffers at p's positions.
func scatterFixedInto(d arrow.ArrayData, w int, p *scatterPlan, bufs []*memory.Buffer) {
	off, n := d.Offset(), d.Len()
	switch w {
	case 1:
		scatterValues(values[uint8](d, 1, off, n), p, views[uint8](bufs))
	case 2:
		scatterValues(values[uint16](d, 1, off, n), p, views[uint16](bufs))
	case 4:
		scatterValues(values[uint32](d, 1, off, n), p, views[uint32](bufs))
	case 8:
		scatterValues(values[uint64](d, 1, off, n), p, views[uint64](bufs))
	case 16:
		scatterValues(values[[2]uint64](d, 1, off, n), p, views[[2]uint64](bufs))
	case 32:
		scatterValues(values[[4]uint64](d, 1, off, n), p, views[[4]uint64](bufs))
	default:
		src := bufferBytes(d, 1)[off*w : (off+n)*w]
		outs := views[byte](bufs)
		for i, o := range p.dest {
			q := int(p.pos[i]) * w
			copy(outs[o][q:q+w], src[i*w:(i+1)*w])
		}
	}
}

// orBits sets bit p.pos[i] of outs[p.dest[i]] when bit off+i of src is
// set, leaving the outputs' other bits as they are.
func orBits(src []byte, off int, p *scatterPlan, outs [][]byte) {
	for i, d := range p.dest {
		j := off + i
		q := p.pos[i]
		outs[d][q>>3] |= (src[j>>3] >> (j & 7) & 1) << (q & 7)
	}
}

// setBits marks every row of p valid in outs.
func setBits(p *scatterPlan, outs [][]byte) {
	for i, d := range p.dest {
		q := p.pos[i]
		outs[d][q>>3] |= 1 << (q & 7)
	}
}
