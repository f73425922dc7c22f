package csv

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Result is a parsed CSV input.
type Result struct {
	Schema *arrow.Schema
	// Records holds one record per byte range that has rows, in file order;
	// the caller owns them and must Release each. Categorical columns of all
	// records share one dictionary.
	Records []arrow.Record
	Skipped int64 // bad lines skipped or warned about
	Bytes   int64 // input bytes read (compressed size for .gz/.zst)
}

// Release releases every record.
func (r *Result) Release() {
	for _, rec := range r.Records {
		rec.Release()
	}
	r.Records = nil
}

// ReadFile reads one CSV file (optionally .gz or .zst) in parallel.
func ReadFile(ctx context.Context, path string, opt Options) (*Result, error) {
	return ReadFiles(ctx, []string{path}, opt)
}

// ReadFiles reads several files with the same columns (a glob's matches)
// into one result: one schema inferred over all of them, records in the
// order of paths. Headers must be equal (ErrSchemaMismatch otherwise).
func ReadFiles(ctx context.Context, paths []string, opt Options) (*Result, error) {
	ins, closeAll, err := openFiles(ctx, paths)
	if err != nil {
		return nil, err
	}
	defer closeAll()
	return read(ctx, ins, opt)
}

// Read reads a CSV stream (optionally gzip or zstd, detected by name or magic
// bytes). The stream is read into memory (past 256 MiB, into an unlinked
// temporary file), then parsed in parallel like a file. name is used in error messages.
func Read(ctx context.Context, r io.Reader, name string, opt Options) (*Result, error) {
	in, err := openStream(ctx, r, name)
	if err != nil {
		return nil, err
	}
	if in.close != nil {
		defer in.close()
	}
	return read(ctx, []*input{in}, opt)
}

// InferSchema returns the schema ReadFile would return for path, from the
// header and a sample, without parsing the whole file. A value beyond the
// sample may still promote a column in ReadFile (int64 to float64, say).
func InferSchema(ctx context.Context, path string, opt Options) (*arrow.Schema, error) {
	in, err := openFile(ctx, path)
	if err != nil {
		return nil, err
	}
	if in.close != nil {
		defer in.close()
	}
	r, err := prepare(ctx, []*input{in}, opt)
	if err != nil {
		return nil, err
	}
	return r.schema(), nil
}

// reader is the state of one read.
type reader struct {
	opt  Options
	ins  []*input
	cols []colSpec
	na   *naSet
	avg  float64 // bytes per row in the sample
	// dictHint sizes each categorical column's per-range hash table: the
	// sample's distinct count, then the largest table a range needed.
	dictHint []atomic.Int64
}

func prepare(ctx context.Context, ins []*input, opt Options) (*reader, error) {
	if err := opt.normalize(); err != nil {
		return nil, err
	}
	if opt.Parallelism <= 0 {
		opt.Parallelism = runtime.GOMAXPROCS(0)
	}
	r := &reader{opt: opt, ins: ins, na: newNASet(opt.NAValues)}
	for _, in := range ins {
		if err := readHeader(ctx, in, &r.opt); err != nil {
			return nil, err
		}
		if !slices.Equal(in.names, ins[0].names) {
			return nil, fmt.Errorf("%w: %s has %q, %s has %q", ErrSchemaMismatch,
				ins[0].name, ins[0].names, in.name, in.names)
		}
	}
	cols, err := resolveColumns(ins[0].names, &r.opt)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, ins[0].name)
	}
	st := &sampleStats{kinds: make([]kind, len(cols)), nonNull: make([]int, len(cols)),
		distinct: make([]*localDict, len(cols))}
	for i := range st.distinct {
		st.distinct[i] = newLocalDict(0)
	}
	for _, in := range ins {
		if err := sample(ctx, in, &r.opt, cols, r.na, st); err != nil {
			return nil, err
		}
	}
	inferKinds(cols, st, &r.opt)
	r.cols = cols
	r.dictHint = make([]atomic.Int64, len(cols))
	for i := range cols {
		r.dictHint[i].Store(int64(st.distinct[i].len()))
	}
	r.avg = 64
	if st.rows > 0 {
		r.avg = max(float64(st.bytes)/float64(st.rows), 2)
	}
	return r, nil
}

func (r *reader) schema() *arrow.Schema {
	fields := make([]arrow.Field, len(r.cols))
	for i := range r.cols {
		fields[i] = arrow.Field{Name: r.cols[i].name, Type: r.cols[i].dataType(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// task is one byte range to parse.
type task struct {
	in    *input
	cut   int64 // exact: the first record's start; else start after the first newline at or after cut-1
	exact bool
	limit int64 // records starting at or after limit belong to the next range
	over  int64 // speculative ranges give up when a record runs this far past limit
}

// pending is a bad line or bad value found by a range, reported only once
// the range is known to have started at a true record start.
type pending struct {
	rel        int64 // newlines from the range start to the record
	rowsBefore int64 // rows the range emitted before it
	err        error // *LineError or *ValueError with Line relative
}

type rangeResult struct {
	start, end int64
	lines      int64 // newlines consumed in [start, end)
	rows       int64
	cols       []colBuilder
	skipped    int64
	warns      []pending
	bad        *pending // stops the range
	ioErr      error
	overrun    bool
	promote    bool
}

func (res *rangeResult) release() {
	for i := range res.cols {
		res.cols[i].release()
	}
	res.cols = nil
}

// worker holds a parsing goroutine's reusable buffer and tokenizer.
type worker struct {
	buf []byte
	rel []int64 // per row of a batch: newlines from the range start
	tok *tokenizer
}

const batchRows = 512

func read(ctx context.Context, ins []*input, opt Options) (*Result, error) {
	r, err := prepare(ctx, ins, opt)
	if err != nil {
		return nil, err
	}
	res := &Result{Schema: r.schema()}
	for _, in := range ins {
		res.Bytes += in.rawBytes
	}
	// Cut every input into ranges.
	var tasks []task
	var total, done int64
	for _, in := range ins {
		total += in.size
		done += in.dataStart
		n := max((in.size-in.dataStart+r.opt.ChunkBytes-1)/r.opt.ChunkBytes, 1)
		span := in.size - in.dataStart
		for i := int64(0); i < n; i++ {
			t := task{in: in, cut: in.dataStart + i*span/n, limit: in.dataStart + (i+1)*span/n,
				exact: i == 0, over: r.opt.ChunkBytes}
			if t.exact {
				t.over = 0
			}
			tasks = append(tasks, t)
		}
	}
	var progMu sync.Mutex
	progress := func(n int64) {
		if r.opt.Progress == nil {
			return
		}
		progMu.Lock()
		done += n
		r.opt.Progress(done, total)
		progMu.Unlock()
	}
	for attempt := 0; ; attempt++ {
		results, skipped, err := r.runAll(ctx, tasks, progress)
		if err != nil {
			return nil, err
		}
		promoted := false
		for ci := range r.cols {
			c := &r.cols[ci]
			k := c.kind
			for _, rr := range results {
				if rr.cols[ci].failed {
					k = joinKind(k, rr.cols[ci].need)
				}
			}
			if k != c.kind {
				c.kind, promoted = k, true
			}
		}
		if !promoted || attempt == 3 {
			res.Skipped = skipped
			res.Schema = r.schema()
			res.Records, err = r.assemble(results)
			if err != nil {
				return nil, err
			}
			break
		}
		// Parse again with the promoted schema, now from the known record
		// boundaries.
		tasks = tasks[:0]
		for _, rr := range results {
			tasks = append(tasks, task{in: rr.in, cut: rr.start, limit: rr.end, exact: true})
			rr.release()
		}
		progress = func(int64) {}
	}
	if r.opt.Progress != nil {
		r.opt.Progress(total, total)
	}
	return res, nil
}

// validated is a range known to start at a true record start.
type validated struct {
	*rangeResult
	in *input
}

// runAll parses tasks in parallel, chains them to validate the speculative
// starts, reports bad lines and values, and stops after NRows rows.
func (r *reader) runAll(ctx context.Context, tasks []task, progress func(int64)) (out []validated, skipped int64, err error) {
	defer func() {
		if err != nil {
			for _, v := range out {
				v.release()
			}
			out = nil
		}
	}()
	wave := len(tasks)
	if r.opt.NRows > 0 {
		wave = r.opt.Parallelism // read ahead only as far as needed
	}
	var cur *input
	var prevEnd, line, rows int64
	for len(tasks) > 0 {
		n := min(wave, len(tasks))
		results := r.parallel(ctx, tasks[:n], progress)
		var stop bool
		for i, rr := range results {
			t := tasks[i]
			if stop {
				rr.release()
				continue
			}
			if t.in != cur {
				cur, prevEnd, line = t.in, t.in.dataStart, t.in.baseLine
			}
			if rr.ioErr == nil && (rr.start != prevEnd || rr.overrun) {
				// The speculative start was wrong: parse from the true one.
				rr.release()
				rr = r.parseRange(ctx, task{in: t.in, cut: prevEnd, limit: max(t.limit, prevEnd), exact: true}, &worker{tok: newTokenizer(&r.opt)})
			}
			if rr.ioErr != nil {
				rr.release()
				for _, rest := range results[i+1:] {
					rest.release()
				}
				return out, 0, rr.ioErr
			}
			limited := func(p pending) bool { return r.opt.NRows > 0 && rows+p.rowsBefore >= r.opt.NRows }
			for _, w := range rr.warns {
				if limited(w) {
					break
				}
				skipped++
				if r.opt.OnBadLines == Warn {
					r.opt.Warn(absolute(w, t.in.name, line).Error())
				}
			}
			if rr.bad != nil && !limited(*rr.bad) {
				rr.release()
				for _, rest := range results[i+1:] {
					rest.release()
				}
				return out, 0, absolute(*rr.bad, t.in.name, line)
			}
			out = append(out, validated{rr, t.in})
			prevEnd, line = rr.end, line+rr.lines
			rows += rr.rows
			if r.opt.NRows > 0 && rows >= r.opt.NRows {
				stop = true
			}
		}
		if stop {
			break
		}
		tasks = tasks[n:]
	}
	return out, skipped, nil
}

func absolute(p pending, name string, line int64) error {
	switch e := p.err.(type) {
	case *LineError:
		c := *e
		c.File, c.Line = name, line+p.rel
		return &c
	case *ValueError:
		c := *e
		c.File, c.Line = name, line+p.rel
		return &c
	}
	return p.err
}

func (r *reader) parallel(ctx context.Context, tasks []task, progress func(int64)) []*rangeResult {
	results := make([]*rangeResult, len(tasks))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(r.opt.Parallelism, len(tasks)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wk := &worker{tok: newTokenizer(&r.opt)}
			setPanicOnFault()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tasks) {
					return
				}
				t := tasks[i]
				results[i] = r.parseRangeGuarded(ctx, t, wk)
				if t.in.mapped {
					releaseMapped(t.in.mem[t.cut:t.limit])
				}
				progress(tasks[i].limit - tasks[i].cut)
			}
		}()
	}
	wg.Wait()
	return results
}

// setPanicOnFault makes a fault in the calling goroutine a panic that
// parseRangeGuarded recovers.
func setPanicOnFault() { debug.SetPanicOnFault(true) }

// parseRangeGuarded is parseRange turning a memory fault into an error: a
// mapped file truncated while it is read faults instead of returning EOF.
func (r *reader) parseRangeGuarded(ctx context.Context, t task, w *worker) (res *rangeResult) {
	defer func() {
		if v := recover(); v != nil {
			if _, fault := v.(interface{ Addr() uintptr }); !fault {
				panic(v)
			}
			*w = worker{tok: newTokenizer(&r.opt)}
			res = &rangeResult{ioErr: fmt.Errorf("csv: %s: the file changed while it was read: %v", t.in.name, v)}
		}
	}()
	return r.parseRange(ctx, t, w)
}

// parseRange parses one byte range into typed columns.
func (r *reader) parseRange(ctx context.Context, t task, w *worker) *rangeResult {
	res := &rangeResult{}
	in := t.in
	from := t.cut
	if !t.exact {
		from--
	}
	bufOff := from
	buf, err := in.window(w.buf, from, int(max(t.limit-from, 0))+64<<10)
	if in.mem == nil {
		defer func() { w.buf = buf[:0] }()
	}
	if err != nil {
		res.ioErr = err
		return res
	}
	atEOF := bufOff+int64(len(buf)) >= in.size
	p := 0
	// extend keeps buf[p:] and reads more.
	extend := func() error {
		if p > 0 {
			if in.mem != nil {
				buf = buf[p:]
			} else {
				buf = buf[:copy(buf, buf[p:])]
			}
			bufOff += int64(p)
			p = 0
		}
		if len(buf) >= 1<<32-1<<20 {
			return fmt.Errorf("csv: %s: a record longer than 4 GiB", in.name)
		}
		more := min(max(len(buf), 1<<20), 1<<32-1-len(buf))
		if in.mem != nil {
			buf, err = in.window(nil, bufOff, len(buf)+more)
		} else {
			buf, err = in.readAt(buf, bufOff+int64(len(buf)), more)
		}
		atEOF = bufOff+int64(len(buf)) >= in.size
		return err
	}
	if !t.exact {
		for {
			if i := bytes.IndexByte(buf[p:], '\n'); i >= 0 {
				p += i + 1
				break
			}
			if atEOF {
				p = len(buf)
				break
			}
			p = len(buf)
			if err := extend(); err != nil {
				res.ioErr = err
				return res
			}
		}
	}
	res.start = bufOff + int64(p)

	est := int(float64(max(t.limit-res.start, 0))/r.avg*1.05) + 16
	if r.opt.NRows > 0 {
		est = int(min(int64(est), r.opt.NRows))
	}
	res.cols = make([]colBuilder, len(r.cols))
	for i := range r.cols {
		c := &res.cols[i]
		c.kind, c.src, c.promotable, c.mem = r.cols[i].kind, r.cols[i].src, r.cols[i].promotable, r.opt.Mem
		c.dictHint = int(r.dictHint[i].Load())
		c.init(est)
	}
	cols := res.cols
	tok := w.tok
	na := r.na
	nf := in.nfields
	var lines, rows int64
	rel := w.rel[:0]
	defer func() { w.rel = rel[:0] }()
	for done := false; !done; {
		// Tokenize a batch of records, then parse it column by column: the
		// typed loops stay tight and independent hash probes overlap.
		tok.reset()
		rel = rel[:0]
		for len(rel) < batchRows {
			if bufOff+int64(p) >= t.limit || (r.opt.NRows > 0 && rows+int64(len(rel)) >= r.opt.NRows) {
				done = true
				break
			}
			st, np, nl := tok.next(buf, p, atEOF)
			if st == recNeedMore {
				if len(rel) > 0 {
					break // parse the batch before extend moves buf
				}
				if t.over > 0 && bufOff+int64(len(buf)) > t.limit+t.over {
					res.overrun = true
					return res
				}
				if err := extend(); err != nil {
					res.ioErr = err
					return res
				}
				continue
			}
			if st == recEOF {
				done = true
				break
			}
			if st == recSkip {
				lines += int64(nl)
				p = np
				continue
			}
			if found := len(tok.record()); found != nf {
				tok.drop()
				pe := pending{rel: lines, rowsBefore: rows + int64(len(rel)),
					err: &LineError{Expected: nf, Found: found}}
				if r.opt.OnBadLines == Error {
					res.bad = &pe
					done = true
					break
				}
				res.warns = append(res.warns, pe)
				res.skipped++
				lines += int64(nl)
				p = np
				continue
			}
			rel = append(rel, lines)
			lines += int64(nl)
			p = np
		}
		if len(rel) == 0 {
			continue
		}
		m := len(rel)
		errRow, errCol := m, -1
		for ci := range cols {
			c := &cols[ci]
			bad := c.parseBatch(buf, tok.scratch, tok.fields, nf, m, na)
			if bad < errRow {
				errRow, errCol = bad, ci
			}
			if c.failed {
				res.promote = true
			}
		}
		if errCol >= 0 {
			f := tok.fields[errRow*nf+cols[errCol].src]
			pe := &pending{rel: rel[errRow], rowsBefore: rows + int64(errRow), err: &ValueError{
				Column: r.cols[errCol].name, Value: string(tok.bytesOf(buf, f)),
				Type: r.cols[errCol].dataType().String()}}
			if res.bad == nil || pe.rowsBefore <= res.bad.rowsBefore {
				res.bad = pe
			}
			for ci := range cols {
				cols[ci].truncate(int(rows) + errRow)
			}
			rows += int64(errRow)
			res.rows = rows
			return res
		}
		rows += int64(m)
		if ctx.Err() != nil {
			res.ioErr = ctx.Err()
			return res
		}
	}
	res.rows = rows
	if res.bad != nil {
		return res
	}
	res.end = bufOff + int64(p)
	res.lines = lines
	for i := range cols {
		if d := cols[i].dict; d != nil {
			for n := int64(d.len()); ; {
				old := r.dictHint[i].Load()
				if n <= old || r.dictHint[i].CompareAndSwap(old, n) {
					break
				}
			}
		}
	}
	for i := range cols {
		if cols[i].kind == kString && len(cols[i].data.s) > 1<<31-1 {
			res.ioErr = fmt.Errorf("csv: %s: more than 2 GiB of strings in one range; lower ChunkBytes", in.name)
		}
	}
	return res
}

// assemble unifies categorical dictionaries and builds the records.
func (r *reader) assemble(results []validated) (recs []arrow.Record, err error) {
	schema := r.schema()
	mem := r.opt.Mem
	defer func() {
		for _, v := range results {
			v.release()
		}
	}()
	ncols := len(r.cols)
	dicts := make([]arrow.Array, ncols)
	remaps := make([][][]int32, ncols)
	defer func() {
		for _, d := range dicts {
			if d != nil {
				d.Release()
			}
		}
	}()
	for ci := range r.cols {
		if r.cols[ci].kind != kDict {
			continue
		}
		global := map[string]int32{}
		var vals []string
		for _, v := range results {
			d := v.cols[ci].dict
			for k := 0; k < d.len(); k++ {
				if _, ok := global[string(d.value(k))]; !ok {
					s := string(d.value(k))
					global[s] = 0
					vals = append(vals, s)
				}
			}
		}
		slices.Sort(vals) // pandas' categories are sorted
		b := array.NewStringBuilder(mem)
		b.Reserve(len(vals))
		for i, s := range vals {
			global[s] = int32(i)
			b.Append(s)
		}
		dicts[ci] = b.NewArray()
		b.Release()
		remaps[ci] = make([][]int32, len(results))
		for ri, v := range results {
			d := v.cols[ci].dict
			m := make([]int32, d.len())
			for k := range m {
				m[k] = global[string(d.value(k))]
			}
			remaps[ci][ri] = m
		}
	}
	// Finish records in parallel: remapping codes is the only per-row work.
	recs = make([]arrow.Record, len(results))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(r.opt.Parallelism, len(results)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				ri := int(next.Add(1) - 1)
				if ri >= len(results) {
					return
				}
				v := results[ri]
				arrs := make([]arrow.Array, ncols)
				for ci := range v.cols {
					c := &v.cols[ci]
					dt := schema.Field(ci).Type
					if c.kind == kDict {
						arrs[ci] = c.finishDict(dt, remaps[ci][ri], dicts[ci])
					} else {
						arrs[ci] = c.finish(dt)
					}
				}
				recs[ri] = array.NewRecord(schema, arrs, v.rows)
				for _, a := range arrs {
					a.Release()
				}
			}
		}()
	}
	wg.Wait()
	// Drop empty ranges and cut to NRows.
	out := recs[:0]
	var rows int64
	for _, rec := range recs {
		n := rec.NumRows()
		if r.opt.NRows > 0 && rows+n > r.opt.NRows {
			n = r.opt.NRows - rows
		}
		if n == 0 {
			rec.Release()
			continue
		}
		if n < rec.NumRows() {
			s := rec.NewSlice(0, n)
			rec.Release()
			rec = s
		}
		rows += n
		out = append(out, rec)
	}
	return out, nil
}
