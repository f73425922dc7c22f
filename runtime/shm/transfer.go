package shm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/pierrec/lz4/v4"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/shoaldata/shoal/runtime/shm/shmpb"
)

// ChunkSize is the number of object bytes in one Pull chunk, before
// compression.
const ChunkSize = 1 << 20

// A compressed chunk is sent only if it is at most this fraction of the
// raw bytes (in 1/8ths): below that saving, decompressing costs more than
// the bytes it saves on the wire.
const compressedMax8ths = 7

// compressWorkers compress chunks ahead of the sender of each Pull: half
// the cores, since the sender, gRPC and, on one machine, the receiver need
// the rest (on 2 cores, one compressor pulled faster than two). lookahead
// is how many chunks are read ahead of the sender.
var (
	compressWorkers = max(1, runtime.GOMAXPROCS(0)/2)
	lookahead       = max(8, 4*compressWorkers)
)

// RegisterTransfer serves s's ObjectTransfer service on srv, for other
// nodes. Authentication is the server's interceptors'.
func RegisterTransfer(srv grpc.ServiceRegistrar, s *Store) {
	shmpb.RegisterObjectTransferServer(srv, &transferServer{s: s})
}

type transferServer struct {
	shmpb.UnimplementedObjectTransferServer
	s *Store
}

// Chunk states: a queued chunk is claimed either by a compressor or, if
// the sender gets to it first, by the sender, who sends it raw.
const (
	queued int32 = iota
	compressing
	sendRaw
)

// chunk is one chunk on its way to the wire.
type chunk struct {
	buf   *[]byte // pooled; raw is its start
	raw   []byte
	state atomic.Int32
	out   *[]byte // pooled; the compressed bytes if n > 0
	n     int
	done  chan struct{} // closed when a compressor is done with it
}

var chunkBufs = sync.Pool{New: func() any {
	b := make([]byte, ChunkSize)
	return &b
}}

// The C-compatible compressor is the faster one on megabyte blocks of
// columnar data: 1.3 to 1.5 times the default's throughput on Arrow int and
// float columns, at the same ratio (BenchmarkLZ4Chunk).
var compressors = sync.Pool{New: func() any { return new(lz4.CompressorCCompat) }}

func compressChunk(c *chunk) {
	c.out = chunkBufs.Get().(*[]byte)
	limit := len(c.raw) * compressedMax8ths / 8
	if limit == 0 {
		return
	}
	z := compressors.Get().(*lz4.CompressorCCompat)
	// With dst smaller than the bound, CompressBlock gives 0 (or an error)
	// for data that does not compress below limit: sent raw.
	n, err := z.CompressBlock(c.raw, (*c.out)[:limit])
	compressors.Put(z)
	if err == nil && n > 0 {
		c.n = n
	}
}

func (t *transferServer) Pull(r *shmpb.PullRequest, stream grpc.ServerStreamingServer[shmpb.Chunk]) error {
	id, err := idFromBytes(r.Id)
	if err != nil {
		return status.Error(codes.InvalidArgument, err.Error())
	}
	ctx := stream.Context()
	sid := t.s.openSession()
	if sid == 0 {
		return toStatus(t.s.closedErr(id))
	}
	defer t.s.closeSession(sid) // drops the pin
	if !t.s.Contains(id) {
		// Pin would wait for an object being created; a puller wants
		// sealed objects only.
		return toStatus(t.s.notFound(id))
	}
	path, size, err := t.s.pin(ctx, id, sid)
	if err != nil {
		return toStatus(err)
	}
	// Chunks are read with pread, not through a mapping: on tmpfs a read
	// copies from the page cache at memory speed, where a mapping first
	// takes a fault, or a populate, for every 4 KiB page.
	f, err := os.Open(path)
	if err != nil {
		return toStatus(t.s.errf(id, "pull: %w", err))
	}
	if size == 0 {
		f.Close()
		return stream.Send(&shmpb.Chunk{Size: 0})
	}

	// A feeder reads chunks ahead and queues each both for the sender, in
	// order, and for the compressors, who take the newest first: they work
	// at the far end of the window while the sender takes the oldest. A
	// chunk no compressor has started when the sender is ready for it goes
	// raw (unless compress_all), so that a link faster than the compressors
	// is not held back by them, and a slower one gets every chunk
	// compressed.
	order := make(chan *chunk, lookahead)
	jobs := newChunkStack()
	var wg sync.WaitGroup
	for range compressWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if h := compressorHook.Load(); h != nil {
					(*h)()
				}
				c := jobs.pop()
				if c == nil {
					return
				}
				if c.state.CompareAndSwap(queued, compressing) {
					compressChunk(c)
					close(c.done)
				}
			}
		}()
	}
	stop := make(chan struct{})
	var readErr error // the feeder's; read once order is closed
	go func() {
		defer close(order)
		defer jobs.close()
		for off := int64(0); off < size; off += ChunkSize {
			buf := chunkBufs.Get().(*[]byte)
			c := &chunk{buf: buf, raw: (*buf)[:min(ChunkSize, size-off)], done: make(chan struct{})}
			if _, err := f.ReadAt(c.raw, off); err != nil {
				chunkBufs.Put(buf)
				readErr = t.s.errf(id, "pull: read at byte %d: %w", off, err)
				return
			}
			select {
			case order <- c:
			case <-stop:
				chunkBufs.Put(buf)
				return
			}
			jobs.push(c)
		}
	}()
	defer func() {
		// Stop the feeder, and let it and the compressors finish in the
		// background: the stream's end need not wait for a compressor
		// still busy with a chunk that will not be sent.
		close(stop)
		go func() {
			for c := range order { // ends when the feeder has
				if !c.state.CompareAndSwap(queued, sendRaw) {
					<-c.done
					chunkBufs.Put(c.out)
				}
				chunkBufs.Put(c.buf)
			}
			f.Close()
			wg.Wait()
		}()
	}()

	first := true
	msg := &shmpb.Chunk{}
	for c := range order {
		var out *[]byte
		msg.Compressed, msg.Data = false, c.raw
		if r.CompressAll || !c.state.CompareAndSwap(queued, sendRaw) {
			<-c.done
			out = c.out
			if c.n > 0 {
				msg.Compressed, msg.Data = true, (*out)[:c.n]
			}
		}
		msg.Size = 0
		if first {
			msg.Size, first = size, false
		}
		msg.RawLen = uint32(len(c.raw))
		err := stream.Send(msg) // marshals a copy before returning
		if out != nil {
			chunkBufs.Put(out)
		}
		chunkBufs.Put(c.buf)
		if err != nil {
			return err
		}
		t.s.sent.Add(int64(msg.RawLen))
		t.s.sentWire.Add(int64(len(msg.Data)))
	}
	if readErr != nil {
		return toStatus(readErr)
	}
	return nil
}

// compressorHook, if set, runs in a compressor before it takes a chunk.
// Tests only.
var compressorHook atomic.Pointer[func()]

// chunkStack hands chunks to the compressors newest first.
type chunkStack struct {
	mu     sync.Mutex
	cond   sync.Cond
	items  []*chunk
	closed bool
}

func newChunkStack() *chunkStack {
	s := &chunkStack{}
	s.cond.L = &s.mu
	return s
}

func (s *chunkStack) push(c *chunk) {
	s.mu.Lock()
	s.items = append(s.items, c)
	s.mu.Unlock()
	s.cond.Signal()
}

// pop returns the newest chunk, waiting for one; nil once closed and empty.
func (s *chunkStack) pop() *chunk {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(s.items) == 0 && !s.closed {
		s.cond.Wait()
	}
	if len(s.items) == 0 {
		return nil
	}
	c := s.items[len(s.items)-1]
	s.items = s.items[:len(s.items)-1]
	return c
}

func (s *chunkStack) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (t *transferServer) AddRef(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, t.s.AddRef)
}

func (t *transferServer) Release(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, t.s.Release)
}

func (t *transferServer) Delete(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, t.s.Delete)
}

// Pull copies object id from the node at the other end of conn (which
// serves RegisterTransfer) into s: each chunk is decompressed if need be
// and written straight into a new object's file in shared memory, and the
// object is sealed at the end; on failure it is aborted. The copy starts with one reference, the caller's (see Release).
// If s already holds id, sealed or being pulled by someone else, Pull
// returns nil at once; Get waits for an object being pulled. An object the
// other node does not hold gives an error wrapping ErrNotFound that names
// it and that node.
func (s *Store) Pull(ctx context.Context, conn grpc.ClientConnInterface, id ID, opts ...grpc.CallOption) error {
	if here, err := s.heldForPull(id); here || err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the stream if we stop early
	// The generated client decodes each chunk into a fresh allocation;
	// this stream decodes into pooled buffers (see chunkCodec).
	opts = append([]grpc.CallOption{grpc.CallContentSubtype(chunkCodecName)}, opts...)
	stream, err := conn.NewStream(ctx, &shmpb.ObjectTransfer_ServiceDesc.Streams[0], shmpb.ObjectTransfer_Pull_FullMethodName, opts...)
	if err == nil {
		err = stream.SendMsg(&shmpb.PullRequest{Id: id[:]})
	}
	if err == nil {
		err = stream.CloseSend()
	}
	msg := new(recvChunk)
	if err == nil {
		err = stream.RecvMsg(msg)
	}
	if err != nil {
		msg.free()
		return fromStatus(err, peerName(conn), "pull object "+id.String())
	}
	size := msg.size

	sid := s.openSession()
	if sid == 0 {
		msg.free()
		return s.closedErr(id)
	}
	defer s.closeSession(sid) // aborts the object if it was not sealed
	path, err := s.create(id, sid, size, false)
	if errors.Is(err, ErrExists) {
		msg.free()
		_, err = s.heldForPull(id)
		return err
	}
	if err != nil {
		msg.free()
		return err
	}
	// File writes, not a mapping: on tmpfs they copy straight into the
	// object's pages without a page fault per page.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		msg.free()
		return s.errf(id, "pull: %w", err)
	}
	off, err := receiveChunks(stream, msg, f, size)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return s.errf(id, "pull at byte %d of %d: %w", off, size, err)
	}
	if err := s.seal(id, sid); err != nil {
		return err
	}
	s.pulled.Add(size)
	return nil
}

// heldForPull reports whether s holds id already, sealed or being written,
// so that a pull has nothing to do. An object deleted here but still mapped
// by a reader cannot be pulled again until it is unmapped.
func (s *Store) heldForPull(id ID) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.objects[id]
	switch {
	case o == nil:
		return false, nil
	case o.state == deleted:
		return false, s.errf(id, "pull: deleted here and still mapped: %w", ErrExists)
	}
	return true, nil
}

// receiveChunks writes the chunks of stream, starting with first, into f,
// an object of size bytes, and returns how many bytes it wrote. A writer
// goroutine decompresses and writes each chunk while the next is received.
func receiveChunks(stream grpc.ClientStream, first *recvChunk, f *os.File, size int64) (int64, error) {
	type job struct {
		c   *recvChunk
		off int64
	}
	jobs := make(chan job, 4)
	var (
		written atomic.Int64
		failed  atomic.Bool
		werr    error // the writer's, read after done
		done    = make(chan struct{})
	)
	go func() {
		defer close(done)
		var buf *[]byte // decompressed chunk
		defer func() {
			if buf != nil {
				chunkBufs.Put(buf)
			}
		}()
		for j := range jobs {
			if werr == nil {
				if buf == nil && j.c.compressed {
					buf = chunkBufs.Get().(*[]byte)
				}
				werr = writeChunk(f, j.c, j.off, buf)
				if werr != nil {
					failed.Store(true)
				} else {
					written.Add(int64(j.c.rawLen))
				}
			}
			j.c.free()
		}
	}()

	err := func() error {
		msg := first
		var off int64
		for {
			if msg.size != 0 && off != 0 {
				msg.free()
				return errors.New("object size sent twice")
			}
			raw := int64(msg.rawLen)
			if raw > size-off {
				msg.free()
				return fmt.Errorf("chunk of %d bytes past the object's end", raw)
			}
			jobs <- job{msg, off}
			off += raw
			if failed.Load() {
				return nil // the writer's error is reported
			}
			msg = new(recvChunk)
			if err := stream.RecvMsg(msg); err == io.EOF {
				msg.free()
				break
			} else if err != nil {
				msg.free()
				return err
			}
		}
		if off != size {
			return fmt.Errorf("stream ended early")
		}
		return nil
	}()
	close(jobs)
	<-done
	if werr != nil {
		err = werr
	}
	return written.Load(), err
}

// writeChunk writes chunk c at off in f, decompressing it into buf if it
// is compressed.
func writeChunk(f *os.File, c *recvChunk, off int64, buf *[]byte) error {
	raw := int(c.rawLen)
	out := c.data
	if c.compressed {
		if cap(*buf) < raw {
			*buf = make([]byte, raw)
		}
		n, err := lz4.UncompressBlock(c.data, (*buf)[:raw])
		if err != nil {
			return fmt.Errorf("decompress: %w", err)
		}
		if n != raw {
			return fmt.Errorf("chunk decompressed to %d bytes, want %d", n, raw)
		}
		out = (*buf)[:raw]
	} else if len(c.data) != raw {
		return fmt.Errorf("raw chunk of %d bytes, want %d", len(c.data), raw)
	}
	_, err := f.WriteAt(out, off)
	return err
}

// AddRefRemote adds a reference to object id on the node at the other end
// of conn, for a borrower elsewhere.
func AddRefRemote(ctx context.Context, conn grpc.ClientConnInterface, id ID, opts ...grpc.CallOption) error {
	_, err := shmpb.NewObjectTransferClient(conn).AddRef(ctx, &shmpb.ObjectRequest{Id: id[:]}, opts...)
	return fromStatus(err, peerName(conn), "add a reference to object "+id.String())
}

// ReleaseRemote drops a reference to object id on the node at the other
// end of conn.
func ReleaseRemote(ctx context.Context, conn grpc.ClientConnInterface, id ID, opts ...grpc.CallOption) error {
	_, err := shmpb.NewObjectTransferClient(conn).Release(ctx, &shmpb.ObjectRequest{Id: id[:]}, opts...)
	return fromStatus(err, peerName(conn), "release object "+id.String())
}

// DeleteRemote frees object id on the node at the other end of conn; the
// owner calls it on every node holding a copy to free it cluster-wide.
func DeleteRemote(ctx context.Context, conn grpc.ClientConnInterface, id ID, opts ...grpc.CallOption) error {
	_, err := shmpb.NewObjectTransferClient(conn).Delete(ctx, &shmpb.ObjectRequest{Id: id[:]}, opts...)
	return fromStatus(err, peerName(conn), "delete object "+id.String())
}

// peerName names the other end of conn in errors that did not come from
// its store (those name their node themselves).
func peerName(conn grpc.ClientConnInterface) string {
	if c, ok := conn.(interface{ Target() string }); ok {
		return c.Target()
	}
	return "peer"
}
