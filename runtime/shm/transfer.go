package shm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

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

// compressWorkers compress chunks ahead of the sender.
const compressWorkers = 2

// RegisterTransfer serves s's ObjectTransfer service on srv, for other
// nodes. Authentication is the server's interceptors'.
func RegisterTransfer(srv grpc.ServiceRegistrar, s *Store) {
	shmpb.RegisterObjectTransferServer(srv, &transferServer{s: s})
}

type transferServer struct {
	shmpb.UnimplementedObjectTransferServer
	s *Store
}

// chunk is one chunk being compressed for sending.
type chunk struct {
	raw  []byte
	out  *[]byte // pooled; holds the compressed bytes if compressed
	n    int     // compressed length; 0 means send raw
	done chan struct{}
}

var chunkBufs = sync.Pool{New: func() any {
	b := make([]byte, ChunkSize*compressedMax8ths/8)
	return &b
}}

var compressors = sync.Pool{New: func() any { return new(lz4.Compressor) }}

func compressChunk(c *chunk) {
	defer close(c.done)
	c.out = chunkBufs.Get().(*[]byte)
	limit := len(c.raw) * compressedMax8ths / 8
	if limit == 0 {
		return
	}
	z := compressors.Get().(*lz4.Compressor)
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
	data, err := mapFile(path, size, false)
	if err != nil {
		return toStatus(t.s.errf(id, "pull: %w", err))
	}
	defer unmap(data)
	if size == 0 {
		return stream.Send(&shmpb.Chunk{Size: 0})
	}

	// Workers compress chunks ahead, in order; the sender takes them as
	// they are done, so compression overlaps the network.
	jobs := make(chan *chunk)
	order := make(chan *chunk, 2*compressWorkers)
	var wg sync.WaitGroup
	for range compressWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range jobs {
				compressChunk(c)
			}
		}()
	}
	stop := make(chan struct{})
	go func() {
		defer close(order)
		defer close(jobs)
		for off := 0; off < len(data); off += ChunkSize {
			c := &chunk{raw: data[off:min(off+ChunkSize, len(data))], done: make(chan struct{})}
			select {
			case order <- c:
			case <-stop:
				return
			}
			jobs <- c
		}
	}()
	defer func() {
		close(stop)
		for c := range order { // drain, so the feeder and workers end
			<-c.done
			chunkBufs.Put(c.out)
		}
		wg.Wait()
	}()

	first := true
	msg := &shmpb.Chunk{}
	for c := range order {
		<-c.done
		msg.Size = 0
		if first {
			msg.Size, first = size, false
		}
		msg.RawLen = uint32(len(c.raw))
		if c.n > 0 {
			msg.Compressed, msg.Data = true, (*c.out)[:c.n]
		} else {
			msg.Compressed, msg.Data = false, c.raw
		}
		err := stream.Send(msg)
		chunkBufs.Put(c.out)
		if err != nil {
			return err
		}
	}
	return nil
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
// serves RegisterTransfer) into s: chunks are written straight into a new
// object's shared mapping, decompressed there, and the object is sealed at
// the end. The copy starts with one reference, the caller's (see Release).
// If s already holds id, sealed or being pulled by someone else, Pull
// returns nil at once; Get waits for an object being pulled. An object the
// other node does not hold gives an error wrapping ErrNotFound that names
// it and that node.
func (s *Store) Pull(ctx context.Context, conn grpc.ClientConnInterface, id ID, opts ...grpc.CallOption) error {
	s.mu.Lock()
	_, here := s.objects[id]
	s.mu.Unlock()
	if here {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // ends the stream if we stop early
	stream, err := shmpb.NewObjectTransferClient(conn).Pull(ctx, &shmpb.PullRequest{Id: id[:]}, opts...)
	if err != nil {
		return fromStatus(err, peerName(conn), "pull object "+id.String())
	}
	msg, err := stream.Recv()
	if err != nil {
		return fromStatus(err, peerName(conn), "pull object "+id.String())
	}
	size := msg.Size

	sid := s.openSession()
	if sid == 0 {
		return s.closedErr(id)
	}
	defer s.closeSession(sid) // aborts the object if it was not sealed
	path, err := s.create(id, sid, size)
	if errors.Is(err, ErrExists) {
		return nil
	}
	if err != nil {
		return err
	}
	data, err := mapFile(path, size, true)
	if err != nil {
		return s.errf(id, "pull: %w", err)
	}
	off, err := receiveChunks(stream, msg, data)
	if uerr := unmap(data); err == nil && uerr != nil {
		err = uerr
	}
	if err != nil {
		return s.errf(id, "pull at byte %d of %d: %w", off, size, err)
	}
	return s.seal(id, sid)
}

// receiveChunks writes the chunks of stream, starting with msg, into data
// and returns how many bytes it wrote.
func receiveChunks(stream grpc.ServerStreamingClient[shmpb.Chunk], msg *shmpb.Chunk, data []byte) (int, error) {
	off := 0
	for {
		if msg.Size != 0 && off != 0 {
			return off, errors.New("object size sent twice")
		}
		raw := int(msg.RawLen)
		if raw > len(data)-off {
			return off, fmt.Errorf("chunk of %d bytes past the object's end", raw)
		}
		dst := data[off : off+raw]
		if msg.Compressed {
			n, err := lz4.UncompressBlock(msg.Data, dst)
			if err != nil {
				return off, fmt.Errorf("decompress: %w", err)
			}
			if n != raw {
				return off, fmt.Errorf("chunk decompressed to %d bytes, want %d", n, raw)
			}
		} else {
			if len(msg.Data) != raw {
				return off, fmt.Errorf("raw chunk of %d bytes, want %d", len(msg.Data), raw)
			}
			copy(dst, msg.Data)
		}
		off += raw
		var err error
		if msg, err = stream.Recv(); err == io.EOF {
			break
		} else if err != nil {
			return off, err
		}
	}
	if off != len(data) {
		return off, fmt.Errorf("stream ended early")
	}
	return off, nil
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
