package jsonl

import (
	"bytes"
)

// samplePlan reads up to opt.SampleLines lines in windows spread over the
// input and returns the plan they give: with opt.Columns, those columns;
// otherwise the sample's keys in first-seen order. Bad lines are left out
// (the parse reports them), so the plan's kinds never exceed the join of
// the good lines and the final schema does not depend on the sample.
func samplePlan(src source, opt *Options, given map[string]colPlan) (*plan, error) {
	p := newPlan(len(opt.Columns) > 0, given)
	for _, c := range opt.Columns {
		if _, dup := p.index[c]; dup {
			continue
		}
		if g, ok := given[c]; ok {
			p.add(g)
		} else {
			p.add(colPlan{name: c})
		}
	}
	n := opt.SampleLines
	if n <= 0 {
		n = defaultSampleLines
	}
	windows := min(sampleWindows, n)
	per := (n + windows - 1) / windows
	size := src.size()

	// An inferring chunk parser over the starting plan checks lines exactly
	// as the parse will, and collects kinds and new keys.
	cp := &chunkParser{
		p: p, widened: true,
		stamp: make([]int, len(p.cols)),
		kinds: make([]kind, len(p.cols)),
		seen:  make([]bool, len(p.cols)),
	}
	lineNo := 0
	next := int64(0) // end of the previous window
	for w := 0; w < windows; w++ {
		start, err := lineStart(src, int64(w)*size/int64(windows))
		if err != nil {
			return nil, err
		}
		start = max(start, next)
		for got, block := 0, int64(scanBlock); got < per && start < size; {
			b, err := src.read(start, min(block, size-start))
			if err != nil {
				return nil, err
			}
			// Whole lines only, unless the block reaches the end.
			end := len(b)
			if start+int64(len(b)) < size {
				end = bytes.LastIndexByte(b, '\n') + 1
				if end == 0 { // a line longer than the block
					block *= 2
					continue
				}
			}
			for off := 0; off < end && got < per; {
				e := bytes.IndexByte(b[off:end], '\n')
				if e < 0 {
					e = end
				} else {
					e += off
				}
				line := b[off:e]
				lineOff := start + int64(off)
				off = min(e+1, end)
				next = start + int64(off)
				lineNo++
				if blank(line) {
					continue
				}
				got++
				_ = cp.line(line, lineNo, lineOff) // bad lines are the parse's to report
			}
			start = next
		}
	}
	if p.project {
		for i := range p.cols {
			p.cols[i].kind = cp.kinds[i]
		}
		return p, nil
	}
	q := newPlan(false, given)
	for _, nk := range cp.newKeys { // first-seen order
		if g, ok := given[nk.name]; ok {
			q.add(g)
		} else {
			q.add(colPlan{name: nk.name, kind: nk.kind})
		}
	}
	return q, nil
}
