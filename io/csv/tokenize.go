package csv

import "bytes"

// field is one field of the current record: bytes [s, e) of the input
// buffer, or of the tokenizer's scratch when q is 2 (a quoted field whose
// doubled quotes or escapes were rewritten).
type field struct {
	s, e uint32 // buffers stay below 4 GiB: ChunkBytes is capped at 1 GiB
	q    uint8  // 0 unquoted, 1 quoted, 2 quoted and rewritten into scratch
}

// status of tokenizer.next.
const (
	recOK       = iota // a record is in fields
	recSkip            // a blank or comment line was consumed
	recNeedMore        // the buffer ends inside the record and more input exists
	recEOF             // no input left
)

// tokenizer splits records. It is the single definition of the format:
// schema sampling, the parallel ranges and the serial re-parse all use it,
// so a parallel read equals a serial one.
type tokenizer struct {
	delim, quote, esc, comment byte
	stop                       [256]bool // bytes ending an unquoted field
	fields                     []field   // fields of the records since the last reset
	scratch                    []byte
	rec, rscr                  int // where the current record's fields and scratch start
}

// reset forgets the fields of earlier records.
func (t *tokenizer) reset() {
	t.fields, t.scratch = t.fields[:0], t.scratch[:0]
}

// drop forgets the current record (a bad line).
func (t *tokenizer) drop() {
	t.fields, t.scratch = t.fields[:t.rec], t.scratch[:t.rscr]
}

// record returns the fields of the current record.
func (t *tokenizer) record() []field { return t.fields[t.rec:] }

func newTokenizer(o *Options) *tokenizer {
	t := &tokenizer{delim: o.Delimiter, quote: o.Quote, esc: o.Escape, comment: o.Comment}
	t.stop[t.delim] = true
	t.stop['\n'] = true
	return t
}

// bytesOf returns the bytes of field f of the current record.
func (t *tokenizer) bytesOf(buf []byte, f field) []byte {
	if f.q == 2 {
		return t.scratch[f.s:f.e]
	}
	return buf[f.s:f.e]
}

// next parses the record starting at buf[p], appending its fields to
// t.fields (see record). It returns the status, the position after the
// record (after its '\n') and the number of newline bytes consumed,
// including those inside quoted fields. atEOF says that buf ends where the
// input ends. Unless the status is recOK, t.fields is left as it was.
func (t *tokenizer) next(buf []byte, p int, atEOF bool) (status, np, nl int) {
	t.rec, t.rscr = len(t.fields), len(t.scratch)
	status, np, nl = t.next1(buf, p, atEOF)
	if status != recOK {
		t.drop()
	}
	return status, np, nl
}

func (t *tokenizer) next1(buf []byte, p int, atEOF bool) (status, np, nl int) {
	n := len(buf)
	if p >= n {
		if atEOF {
			return recEOF, p, 0
		}
		return recNeedMore, p, 0
	}
	if t.comment != 0 && buf[p] == t.comment {
		i := bytes.IndexByte(buf[p:], '\n')
		if i < 0 {
			if atEOF {
				return recSkip, n, 0
			}
			return recNeedMore, p, 0
		}
		return recSkip, p + i + 1, 1
	}
	for {
		if t.quote != 0 && p < n && buf[p] == t.quote {
			st, np2, nl2 := t.quoted(buf, p, atEOF)
			nl += nl2
			switch st {
			case qNeedMore:
				return recNeedMore, p, 0
			case qField:
				p = np2
				continue
			}
			return t.done(np2, nl)
		}
		s := p
		stop := &t.stop
		for p < n && !stop[buf[p]] {
			p++
		}
		if p == n {
			if !atEOF {
				return recNeedMore, p, 0
			}
			e := p
			if e > s && buf[e-1] == '\r' {
				e--
			}
			t.fields = append(t.fields, field{s: uint32(s), e: uint32(e)})
			return t.done(n, nl)
		}
		if buf[p] == t.delim {
			t.fields = append(t.fields, field{s: uint32(s), e: uint32(p)})
			p++
			continue
		}
		e := p // '\n'
		if e > s && buf[e-1] == '\r' {
			e--
		}
		t.fields = append(t.fields, field{s: uint32(s), e: uint32(e)})
		return t.done(p+1, nl+1)
	}
}

// done finishes a record; one empty unquoted field is a blank line.
func (t *tokenizer) done(np, nl int) (int, int, int) {
	if f := t.fields[t.rec:]; len(f) == 1 && f[0].q == 0 && f[0].s == f[0].e {
		return recSkip, np, nl
	}
	return recOK, np, nl
}

const (
	qNeedMore = iota
	qField    // the field ended at a delimiter; more fields follow
	qRecord   // the field ended the record
)

// quoted parses the quoted field opening at buf[p].
func (t *tokenizer) quoted(buf []byte, p int, atEOF bool) (st, np, nl int) {
	n := len(buf)
	p++
	s, seg := p, p
	rewritten := false
	start := len(t.scratch)
	rewrite := func(upto int) { // moves the field so far into scratch
		if !rewritten {
			rewritten = true
			t.scratch = append(t.scratch, buf[s:upto]...)
		} else {
			t.scratch = append(t.scratch, buf[seg:upto]...)
		}
	}
	var end int // content end in buf when not rewritten
	for {
		i := bytes.IndexByte(buf[p:], t.quote)
		if t.esc != 0 {
			lim := n
			if i >= 0 {
				lim = p + i
			}
			if k := bytes.IndexByte(buf[p:lim], t.esc); k >= 0 {
				i = k
			}
		}
		if i < 0 {
			if !atEOF {
				return qNeedMore, 0, 0
			}
			// An unterminated quote runs to the end of the input.
			nl += bytes.Count(buf[p:], nl1)
			if rewritten {
				rewrite(n)
			}
			end, p = n, n
			break
		}
		j := p + i
		nl += bytes.Count(buf[p:j], nl1)
		if j+1 >= n && !atEOF {
			return qNeedMore, 0, 0
		}
		if buf[j] != t.quote { // escape
			rewrite(j)
			if j+1 < n {
				t.scratch = append(t.scratch, buf[j+1])
				if buf[j+1] == '\n' {
					nl++
				}
				p = j + 2
			} else {
				p = j + 1
			}
			seg = p
			continue
		}
		if j+1 < n && buf[j+1] == t.quote { // doubled quote
			rewrite(j + 1)
			p = j + 2
			seg = p
			continue
		}
		if rewritten {
			rewrite(j)
		}
		end, p = j, j+1
		break
	}
	// After the closing quote.
	if p < n && buf[p] != t.delim && buf[p] != '\n' {
		if buf[p] == '\r' && p+1 < n && buf[p+1] == '\n' {
			p++
		} else {
			// Lenient: bytes after the closing quote belong to the field.
			if !rewritten {
				rewritten = true
				t.scratch = append(t.scratch, buf[s:end]...)
			}
			q := p
			for q < n && !t.stop[buf[q]] {
				q++
			}
			if q == n && !atEOF {
				return qNeedMore, 0, 0
			}
			e := q
			if q < n && buf[q] == '\n' && e > p && buf[e-1] == '\r' {
				e--
			} else if q == n && e > p && buf[e-1] == '\r' {
				e--
			}
			t.scratch = append(t.scratch, buf[p:e]...)
			p = q
		}
	}
	if rewritten {
		t.fields = append(t.fields, field{s: uint32(start), e: uint32(len(t.scratch)), q: 2})
	} else {
		t.fields = append(t.fields, field{s: uint32(s), e: uint32(end), q: 1})
	}
	switch {
	case p >= n:
		return qRecord, n, nl
	case buf[p] == t.delim:
		return qField, p + 1, nl
	}
	return qRecord, p + 1, nl + 1 // '\n'
}

var nl1 = []byte{'\n'}
