package jsonl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow/memory"
	"golang.org/x/sync/errgroup"
)

const (
	defaultSampleLines = 1000
	sampleWindows      = 10
	minChunk           = 1 << 20
	maxChunk           = 32 << 20
	scanBlock          = 64 << 10
)

// errStopped marks a chunk abandoned because an earlier one failed.
var errStopped = errors.New("jsonl: stopped")

// source is the input as random-access bytes.
type source interface {
	// read returns bytes [off, off+n); the caller may keep them.
	read(off, n int64) ([]byte, error)
	size() int64
}

type bytesSource []byte

func (b bytesSource) read(off, n int64) ([]byte, error) { return b[off : off+n], nil }
func (b bytesSource) size() int64                       { return int64(len(b)) }

type fileSource struct {
	f *os.File
	n int64
}

func (s fileSource) read(off, n int64) ([]byte, error) {
	buf := make([]byte, n)
	if _, err := s.f.ReadAt(buf, off); err != nil && !(errors.Is(err, io.EOF) && n == 0) {
		return nil, err
	}
	return buf, nil
}
func (s fileSource) size() int64 { return s.n }

// ReadFile reads the JSON lines file at path. Byte ranges of about
// ChunkBytes, cut at newlines, parse in parallel; see the package doc for
// the schema and for bad lines. Errors name the file (and line).
func ReadFile(ctx context.Context, path string, opt Options) (*Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("jsonl: %w", err)
	}
	return read(ctx, fileSource{f, st.Size()}, path, opt)
}

// Read reads JSON lines from r, which it reads to the end into memory
// first; name is used in errors only. See ReadFile.
func Read(ctx context.Context, r io.Reader, name string, opt Options) (*Result, error) {
	var b []byte
	var err error
	if l, ok := r.(interface{ Len() int }); ok {
		// bytes.Reader, bytes.Buffer, strings.Reader: one allocation
		// instead of ReadAll's doublings.
		b = make([]byte, l.Len())
		var n int
		n, err = io.ReadFull(r, b)
		b = b[:n]
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			err = nil
		}
		if err == nil {
			var rest []byte
			rest, err = io.ReadAll(r) // in case Len undercounted
			b = append(b, rest...)
		}
	} else {
		b, err = io.ReadAll(r)
	}
	if err != nil {
		return nil, fmt.Errorf("jsonl: %s: %w", name, err)
	}
	return read(ctx, bytesSource(b), name, opt)
}

func read(ctx context.Context, src source, name string, opt Options) (res *Result, err error) {
	mem := opt.Mem
	if mem == nil {
		mem = memory.DefaultAllocator
	}
	par := opt.Parallelism
	if par <= 0 {
		par = runtime.GOMAXPROCS(0)
	}
	given := make(map[string]colPlan, len(opt.Types))
	for k, t := range opt.Types {
		c, err := givenColumn(k, t)
		if err != nil {
			return nil, err
		}
		given[k] = c
	}
	size := src.size()
	chunk := opt.ChunkBytes
	if chunk <= 0 {
		chunk = min(max(size/int64(par), minChunk), maxChunk)
	}

	p, err := samplePlan(src, &opt, given)
	if err != nil {
		return nil, fmt.Errorf("jsonl: %s: %w", name, err)
	}
	bounds, err := splitLines(src, chunk)
	if err != nil {
		return nil, fmt.Errorf("jsonl: %s: %w", name, err)
	}

	prog := &passProgress{fn: opt.Progress}
	for pass := 0; ; pass++ {
		prog.total += size
		results, err := runPass(ctx, src, p, bounds, &opt, mem, par, prog)
		if err != nil {
			return nil, fmt.Errorf("jsonl: %s: %w", name, err)
		}
		err = firstError(src, name, bounds, results)
		widened := false
		for _, r := range results {
			widened = widened || r.widened
		}
		if err != nil || widened {
			for _, r := range results {
				if r.rec != nil {
					r.rec.Release()
				}
			}
		}
		if err != nil {
			return nil, err
		}
		if widened {
			if pass > 4 { // the first pass finds every type: a bug if reached
				return nil, fmt.Errorf("jsonl: %s: schema did not settle after %d passes", name, pass+1)
			}
			p = widen(p, results)
			continue
		}
		return finish(p, results, name, size, &opt)
	}
}

// finish assembles the result of the last pass.
func finish(p *plan, results []chunkResult, name string, size int64, opt *Options) (*Result, error) {
	res := &Result{Schema: p.schema(), Bytes: size}
	seen := make([]bool, len(p.cols))
	for _, r := range results {
		if r.rec != nil {
			res.Records = append(res.Records, r.rec)
		}
		res.Skipped += r.skipped
		for i, s := range r.seen {
			seen[i] = seen[i] || s
		}
	}
	if p.project {
		for i, c := range p.cols {
			if !seen[i] && c.given == nil {
				res.Release()
				return nil, fmt.Errorf("%w %q (no line of %s holds it)", ErrUnknownColumn, c.name, name)
			}
		}
	}
	return res, nil
}

// passProgress reports Options.Progress over every pass of a read.
type passProgress struct {
	fn          func(done, total int64)
	mu          sync.Mutex
	done, total int64
}

func (pp *passProgress) add(n int64) {
	if pp.fn == nil {
		return
	}
	pp.mu.Lock()
	pp.done += n
	pp.fn(pp.done, pp.total)
	pp.mu.Unlock()
}

// runPass parses every chunk against p.
func runPass(ctx context.Context, src source, p *plan, bounds []int64, opt *Options, mem memory.Allocator, par int, prog *passProgress) ([]chunkResult, error) {
	n := len(bounds) - 1
	results := make([]chunkResult, n)
	var firstBad atomic.Int64
	firstBad.Store(int64(n))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(par)
	for i := 0; i < n; i++ {
		stopped := func() bool { return gctx.Err() != nil || firstBad.Load() < int64(i) }
		g.Go(func() error {
			if stopped() {
				results[i].err = errStopped
				return nil
			}
			data, err := src.read(bounds[i], bounds[i+1]-bounds[i])
			if err != nil {
				return err
			}
			r := parseChunk(gctx, p, data, bounds[i], opt, mem, stopped)
			if r.err == nil && gctx.Err() != nil {
				r.err = errStopped
			}
			if r.err != nil {
				for { // lower firstBad to i
					cur := firstBad.Load()
					if cur <= int64(i) || firstBad.CompareAndSwap(cur, int64(i)) {
						break
					}
				}
			}
			results[i] = r
			prog.add(bounds[i+1] - bounds[i])
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		for _, r := range results {
			if r.rec != nil {
				r.rec.Release()
			}
		}
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		for _, r := range results {
			if r.rec != nil {
				r.rec.Release()
			}
		}
		return nil, err
	}
	return results, nil
}

// firstError returns the error of the first failed chunk in input order,
// with its line made absolute. Chunks after a failed one may have stopped
// early; chunks before it never do.
func firstError(src source, name string, bounds []int64, results []chunkResult) error {
	for i, r := range results {
		if r.err == nil {
			continue
		}
		var bad *BadLineError
		if errors.As(r.err, &bad) {
			before, err := countLines(src, bounds[i])
			if err != nil {
				return fmt.Errorf("jsonl: %s: %w", name, err)
			}
			return &BadLineError{Name: name, Line: before + bad.Line, Err: bad.Err}
		}
		return fmt.Errorf("jsonl: %s: %w", name, r.err)
	}
	return nil
}

// countLines counts the newlines in [0, end).
func countLines(src source, end int64) (int64, error) {
	var n int64
	for off := int64(0); off < end; off += maxChunk {
		b, err := src.read(off, min(maxChunk, end-off))
		if err != nil {
			return 0, err
		}
		n += int64(bytes.Count(b, []byte{'\n'}))
	}
	return n, nil
}

// widen returns p grown by the chunks' widenings.
func widen(p *plan, results []chunkResult) *plan {
	q := p.clone()
	type acc struct {
		off  int64
		pos  int
		kind kind
	}
	news := map[string]*acc{}
	for _, r := range results {
		if !r.widened {
			continue
		}
		for i, k := range r.kinds {
			q.cols[i].kind = max(q.cols[i].kind, k)
		}
		for _, nk := range r.newKeys {
			a, ok := news[nk.name]
			if !ok {
				news[nk.name] = &acc{off: nk.off, pos: nk.pos, kind: nk.kind}
				continue
			}
			if nk.off < a.off {
				a.off, a.pos = nk.off, nk.pos
			}
			a.kind = max(a.kind, nk.kind)
		}
	}
	names := make([]string, 0, len(news))
	for k := range news {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		a, b := news[names[i]], news[names[j]]
		if a.off != b.off {
			return a.off < b.off
		}
		return a.pos < b.pos
	})
	for _, k := range names {
		if g, ok := q.given[k]; ok {
			q.add(g)
		} else {
			q.add(colPlan{name: k, kind: news[k].kind})
		}
	}
	return q
}

// lineStart returns the first line start at or after off.
func lineStart(src source, off int64) (int64, error) {
	if off <= 0 {
		return 0, nil
	}
	size := src.size()
	for pos := off - 1; pos < size; pos += scanBlock {
		b, err := src.read(pos, min(scanBlock, size-pos))
		if err != nil {
			return 0, err
		}
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return pos + int64(i) + 1, nil
		}
	}
	return size, nil
}

// splitLines cuts the input into ranges of about chunk bytes at line
// starts: bounds[i] to bounds[i+1] is range i.
func splitLines(src source, chunk int64) ([]int64, error) {
	size := src.size()
	bounds := []int64{0}
	for off := chunk; off < size; off += chunk {
		s, err := lineStart(src, off)
		if err != nil {
			return nil, err
		}
		if s > bounds[len(bounds)-1] && s < size {
			bounds = append(bounds, s)
		}
	}
	if size > 0 {
		bounds = append(bounds, size)
	}
	return bounds, nil
}
