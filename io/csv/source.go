package csv

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// input is one CSV source: a file read with ReadAt per range, or bytes in
// memory (a memory-mapped file, or a decompressed file or stream) that ranges
// parse in place.
type input struct {
	name      string
	ra        io.ReaderAt
	mem       []byte // the whole input when it is in memory, else nil
	mapped    bool   // mem is a file mapping
	size      int64
	rawBytes  int64 // bytes read from the source (compressed size)
	close     func() error
	dataStart int64 // first byte after the header
	baseLine  int64 // 1-based line number of dataStart
	names     []string
	nfields   int
}

const (
	codecNone = iota
	codecGzip
	codecZstd
)

func detectCodec(name string, magic []byte) int {
	switch {
	case strings.HasSuffix(name, ".gz") || bytes.HasPrefix(magic, []byte{0x1f, 0x8b}):
		return codecGzip
	case strings.HasSuffix(name, ".zst") || bytes.HasPrefix(magic, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		return codecZstd
	}
	return codecNone
}

// spillBytes is how much decompressed input is held in memory; the rest of
// a larger stream goes to an unlinked temporary file, mapped like a plain
// file, so a 10 GB .csv.gz needs disk rather than 10 GB of memory.
var spillBytes = 256 << 20

// decompress inflates a compressed stream (or copies a plain one): a
// compressed stream cannot be split by byte ranges, so it is inflated once
// and split in memory, or in the spill file past spillBytes.
func decompress(ctx context.Context, name string, codec int, r io.Reader) (*input, error) {
	var rd io.Reader
	switch codec {
	case codecGzip:
		g, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("csv: %s: gzip: %w", name, err)
		}
		defer g.Close()
		rd = g
	case codecZstd:
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("csv: %s: zstd: %w", name, err)
		}
		defer z.Close()
		rd = z
	default:
		rd = r
	}
	var buf bytes.Buffer
	chunk := make([]byte, 1<<20)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := rd.Read(chunk)
		buf.Write(chunk[:n])
		if err == io.EOF {
			data := buf.Bytes()
			return &input{name: name, ra: bytes.NewReader(data), mem: data, size: int64(len(data))}, nil
		}
		if err != nil {
			return nil, fmt.Errorf("csv: %s: %w", name, err)
		}
		if buf.Len() > spillBytes {
			return spill(ctx, name, buf.Bytes(), rd, chunk)
		}
	}
}

// spill writes head and the rest of rd to a temporary file, removed from
// its directory at once (where the system allows) so that nothing is left
// behind whatever happens, and returns it as an input.
func spill(ctx context.Context, name string, head []byte, rd io.Reader, chunk []byte) (in *input, err error) {
	f, err := os.CreateTemp("", "shoal-csv-*")
	if err != nil {
		return nil, fmt.Errorf("csv: %s: spilling the decompressed input: %w", name, err)
	}
	unlinked := os.Remove(f.Name()) == nil
	closeFile := func() error {
		cerr := f.Close()
		if !unlinked {
			os.Remove(f.Name())
		}
		return cerr
	}
	defer func() {
		if err != nil {
			closeFile()
		}
	}()
	size := int64(len(head))
	if _, err := f.Write(head); err != nil {
		return nil, fmt.Errorf("csv: %s: spilling the decompressed input: %w", name, err)
	}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, rerr := rd.Read(chunk)
		if _, err := f.Write(chunk[:n]); err != nil {
			return nil, fmt.Errorf("csv: %s: spilling the decompressed input: %w", name, err)
		}
		size += int64(n)
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return nil, fmt.Errorf("csv: %s: %w", name, rerr)
		}
	}
	if data, unmap, ok := mapFile(f, size); ok {
		return &input{name: name, ra: f, mem: data, mapped: true, size: size,
			close: func() error { unmap(); return closeFile() }}, nil
	}
	return &input{name: name, ra: f, size: size, close: closeFile}, nil
}

func openFile(ctx context.Context, path string) (*input, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("csv: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("csv: %w", err)
	}
	magic := make([]byte, 4)
	n, _ := f.ReadAt(magic, 0)
	if codec := detectCodec(path, magic[:n]); codec != codecNone {
		in, err := decompress(ctx, path, codec, bufio.NewReaderSize(f, 1<<20))
		f.Close()
		if err != nil {
			return nil, err
		}
		in.rawBytes = st.Size()
		return in, nil
	}
	if st.Mode().IsRegular() {
		if data, unmap, ok := mapFile(f, st.Size()); ok {
			// The sample and header still read with ReadAt: a truncated file
			// then gives a short read, not a fault outside a guarded worker.
			return &input{name: path, ra: f, mem: data, mapped: true, size: st.Size(), rawBytes: st.Size(),
				close: func() error { unmap(); return f.Close() }}, nil
		}
	}
	return &input{name: path, ra: f, size: st.Size(), rawBytes: st.Size(), close: f.Close}, nil
}

// openFiles opens paths (at least one) as inputs; closeAll closes them.
func openFiles(ctx context.Context, paths []string) (ins []*input, closeAll func(), err error) {
	if len(paths) == 0 {
		return nil, nil, fmt.Errorf("%w: no files", ErrOptions)
	}
	closeAll = func() {
		for _, in := range ins {
			if in.close != nil {
				in.close()
			}
		}
	}
	for _, p := range paths {
		in, err := openFile(ctx, p)
		if err != nil {
			closeAll()
			return nil, nil, err
		}
		ins = append(ins, in)
	}
	return ins, closeAll, nil
}

// countingReader counts the bytes a stream delivers.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func openStream(ctx context.Context, r io.Reader, name string) (*input, error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<20)
	magic, _ := br.Peek(4)
	in, err := decompress(ctx, name, detectCodec(name, magic), br)
	if err != nil {
		return nil, err
	}
	in.rawBytes = cr.n
	return in, nil
}

// window returns in's bytes [off, off+want), clipped to its size: a view of
// memory when the input is in memory, else read into dst's storage. A view
// has no spare capacity, so appending to it never writes into the input.
func (in *input) window(dst []byte, off int64, want int) ([]byte, error) {
	if in.mem == nil {
		return in.readAt(dst[:0], off, want)
	}
	end := min(off+int64(want), in.size)
	off = min(off, end)
	return in.mem[off:end:end], nil
}

// readAt fills dst[len(dst):want] from in at off, returning the longer slice.
func (in *input) readAt(dst []byte, off int64, want int) ([]byte, error) {
	if rest := in.size - off; int64(want) > rest {
		want = int(max(rest, 0))
	}
	n0 := len(dst)
	if cap(dst)-n0 < want {
		nd := make([]byte, n0, n0+want)
		copy(nd, dst)
		dst = nd
	}
	n, err := in.ra.ReadAt(dst[n0:n0+want], off)
	if err == io.EOF && n == want {
		err = nil
	}
	if err != nil {
		return dst[:n0+n], fmt.Errorf("csv: %s: %w", in.name, err)
	}
	return dst[:n0+n], nil
}
