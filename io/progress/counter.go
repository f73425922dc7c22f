package progress

import (
	"io"
	"sync/atomic"
)

// Counter counts bytes. The zero value is ready; Add and Done are safe for
// concurrent use, so one Counter may sum several readers or writers.
type Counter struct {
	n atomic.Int64
}

// Add adds n bytes.
func (c *Counter) Add(n int64) { c.n.Add(n) }

// Done returns the bytes counted so far.
func (c *Counter) Done() int64 { return c.n.Load() }

// NewReader returns a reader that reads from r and adds every byte read to
// c. Errors from r pass through unchanged. The returned reader is as safe
// for concurrent use as r is.
func NewReader(r io.Reader, c *Counter) io.Reader { return &reader{r: r, c: c} }

// NewWriter returns a writer that writes to w and adds every byte written
// to c (including those of a short write that returns an error).
func NewWriter(w io.Writer, c *Counter) io.Writer { return &writer{w: w, c: c} }

type reader struct {
	r io.Reader
	c *Counter
}

func (r *reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if n > 0 {
		r.c.Add(int64(n))
	}
	return n, err
}

type writer struct {
	w io.Writer
	c *Counter
}

func (w *writer) Write(p []byte) (int, error) {
	n, err := w.w.Write(p)
	if n > 0 {
		w.c.Add(int64(n))
	}
	return n, err
}
