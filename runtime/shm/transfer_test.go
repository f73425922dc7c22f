package shm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/shoaldata/shoal/runtime/shm/shmpb"
)

// startTransfer serves src's ObjectTransfer on loopback TCP, as a node
// daemon does, and returns a connection to it.
func startTransfer(t testing.TB, src *Store, opts ...grpc.ServerOption) *grpc.ClientConn {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer(opts...)
	RegisterTransfer(srv, src)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func randomBytes(n int, seed uint64) []byte {
	b := make([]byte, n)
	rand.NewChaCha8([32]byte{byte(seed)}).Read(b)
	return b
}

func TestPull(t *testing.T) {
	ctx := context.Background()
	src := newStore(t, Options{Node: "src"})
	dst := newStore(t, Options{Node: "dst"})
	conn := startTransfer(t, src)
	sc, dc := newClient(t, src), newClient(t, dst)
	sizes := []int{0, 1, ChunkSize - 1, ChunkSize, ChunkSize + 1, 3*ChunkSize + 17}
	for _, kind := range []string{"compressible", "random"} {
		for i, size := range sizes {
			data := pattern(size, byte(i))
			if kind == "random" {
				data = randomBytes(size, uint64(i))
			}
			id := NewID()
			if err := sc.Put(ctx, id, data); err != nil {
				t.Fatal(err)
			}
			if err := dst.Pull(ctx, conn, id); err != nil {
				t.Fatalf("%s %d bytes: %v", kind, size, err)
			}
			got, release, err := dc.Get(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("%s %d bytes: pulled copy differs", kind, size)
			}
			release()
			if info := stat(t, dst, id); info != (ObjectInfo{Size: int64(size), Refs: 1, Sealed: true}) {
				t.Errorf("%s %d bytes: copy %+v", kind, size, info)
			}
			if info := stat(t, src, id); info.Pins != 0 || info.Refs != 1 {
				t.Errorf("%s %d bytes: source left %+v", kind, size, info)
			}
		}
	}
	total := int64(0)
	for _, size := range sizes {
		total += 2 * int64(size)
	}
	if st := dst.Stats(); st.Pins != 0 || st.PulledBytes != total {
		t.Errorf("receiver: %+v, want no pins and %d bytes pulled", st, total)
	}
	if st := src.Stats(); st.SentBytes != total || st.SentWireBytes > total || st.SentWireBytes < total/2 {
		t.Errorf("sender: %+v, want %d bytes sent, fewer on the wire (random data is half)", st, total)
	}
}

// TestPullChunks: with compress_all, chunks are compressed when that
// shrinks them and raw otherwise.
func TestPullChunks(t *testing.T) {
	ctx := context.Background()
	src := newStore(t, Options{Node: "src"})
	conn := startTransfer(t, src)
	sc := newClient(t, src)
	for _, tc := range []struct {
		name       string
		data       []byte
		compressed string // per chunk
	}{
		// A 10-byte tail does not compress.
		{"compressible", pattern(2*ChunkSize+10, 1), "[true true false]"},
		{"random", randomBytes(2*ChunkSize+10, 1), "[false false false]"},
	} {
		id := NewID()
		if err := sc.Put(ctx, id, tc.data); err != nil {
			t.Fatal(err)
		}
		stream, err := shmpb.NewObjectTransferClient(conn).Pull(ctx, &shmpb.PullRequest{Id: id[:], CompressAll: true})
		if err != nil {
			t.Fatal(err)
		}
		var raws []uint32
		var sizes []int64
		var compressed []bool
		wire := 0
		for {
			m, err := stream.Recv()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			compressed = append(compressed, m.Compressed)
			raws = append(raws, m.RawLen)
			sizes = append(sizes, m.Size)
			wire += len(m.Data)
		}
		if fmt.Sprint(raws) != fmt.Sprint([]uint32{ChunkSize, ChunkSize, 10}) || fmt.Sprint(sizes) != fmt.Sprint([]int64{2*ChunkSize + 10, 0, 0}) {
			t.Errorf("%s: chunks of %v bytes, sizes %v", tc.name, raws, sizes)
		}
		if fmt.Sprint(compressed) != tc.compressed {
			t.Errorf("%s: chunks compressed %v, want %s", tc.name, compressed, tc.compressed)
		}
		if tc.name == "compressible" && wire > len(tc.data)/10 {
			t.Errorf("%s: %d bytes on the wire for %d", tc.name, wire, len(tc.data))
		}
		if tc.name == "random" && wire != len(tc.data) {
			t.Errorf("%s: %d bytes on the wire for %d", tc.name, wire, len(tc.data))
		}
	}
}

// TestPullCompressorsBehind: with the compressors stuck, every chunk goes
// raw and the pull does not wait for them.
func TestPullCompressorsBehind(t *testing.T) {
	ctx := context.Background()
	src := newStore(t, Options{Node: "src"})
	conn := startTransfer(t, src)
	unblock := make(chan struct{})
	hook := func() { <-unblock }
	compressorHook.Store(&hook)
	defer func() {
		close(unblock)
		compressorHook.Store(nil)
	}()
	id := NewID()
	if err := newClient(t, src).Put(ctx, id, pattern(3*ChunkSize, 1)); err != nil {
		t.Fatal(err)
	}
	stream, err := shmpb.NewObjectTransferClient(conn).Pull(ctx, &shmpb.PullRequest{Id: id[:]})
	if err != nil {
		t.Fatal(err)
	}
	var compressed []bool
	for {
		m, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		compressed = append(compressed, m.Compressed)
	}
	if fmt.Sprint(compressed) != "[false false false]" {
		t.Errorf("chunks compressed %v, want all raw", compressed)
	}
}

func TestPullErrors(t *testing.T) {
	ctx := context.Background()
	src := newStore(t, Options{Node: "src"})
	dst := newStore(t, Options{Node: "dst"})
	conn := startTransfer(t, src)
	err := dst.Pull(ctx, conn, testID(5))
	wantErr(t, err, ErrNotFound, "shm: node src: object 00000000000000000000000000000005: shm: object not found")
	if st := dst.Stats(); st.Objects != 0 || st.UsedBytes != 0 {
		t.Errorf("a failed pull left %+v", st)
	}

	// Pulling what is here already does nothing.
	sc, dc := newClient(t, src), newClient(t, dst)
	if err := sc.Put(ctx, testID(1), []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if err := dc.Put(ctx, testID(1), []byte("abc")); err != nil {
		t.Fatal(err)
	}
	if err := dst.Pull(ctx, conn, testID(1)); err != nil {
		t.Fatal(err)
	}
	if info := stat(t, dst, testID(1)); info.Refs != 1 {
		t.Errorf("refs %d after a pull of a present object", info.Refs)
	}

	// A receiver too small for the object fails cleanly.
	small := newStore(t, Options{Node: "small", Capacity: 2, DisableSpill: true})
	err = small.Pull(ctx, conn, testID(1))
	wantErr(t, err, ErrStoreFull, "shm: node small: object 00000000000000000000000000000001: 3 bytes do not fit, 0 of 2 bytes in use: shm: store full")
}

// truncatingServer claims a 100-byte object and sends 10 bytes of it.
type truncatingServer struct {
	shmpb.UnimplementedObjectTransferServer
}

func (truncatingServer) Pull(_ *shmpb.PullRequest, stream grpc.ServerStreamingServer[shmpb.Chunk]) error {
	return stream.Send(&shmpb.Chunk{Size: 100, RawLen: 10, Data: make([]byte, 10)})
}

// TestPullTruncated: a stream that ends early leaves nothing behind.
func TestPullTruncated(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	shmpb.RegisterObjectTransferServer(srv, truncatingServer{})
	go srv.Serve(lis)
	defer srv.Stop()
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	dst := newStore(t, Options{Node: "dst"})
	err = dst.Pull(context.Background(), conn, testID(1))
	want := "shm: node dst: object 00000000000000000000000000000001: pull at byte 10 of 100: stream ended early"
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	if st := dst.Stats(); st.Objects != 0 || st.UsedBytes != 0 {
		t.Errorf("a failed pull left %+v", st)
	}
}

// TestPullSpilled: a spilled object is restored to be sent.
func TestPullSpilled(t *testing.T) {
	ctx := context.Background()
	src := newStore(t, Options{Node: "src", Capacity: 1 << 20})
	dst := newStore(t, Options{Node: "dst"})
	conn := startTransfer(t, src)
	sc, dc := newClient(t, src), newClient(t, dst)
	a, b := pattern(1<<20, 1), pattern(1<<20, 2)
	if err := sc.Put(ctx, testID(1), a); err != nil {
		t.Fatal(err)
	}
	if err := sc.Put(ctx, testID(2), b); err != nil {
		t.Fatal(err)
	}
	if !stat(t, src, testID(1)).Spilled {
		t.Fatal("object 1 not spilled")
	}
	if err := dst.Pull(ctx, conn, testID(1)); err != nil {
		t.Fatal(err)
	}
	got, release, err := dc.Get(ctx, testID(1))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if !bytes.Equal(got, a) {
		t.Error("pulled copy of a spilled object differs")
	}
}

// TestRemoteRefs: other nodes borrow and free objects through the transfer
// service.
func TestRemoteRefs(t *testing.T) {
	ctx := context.Background()
	src := newStore(t, Options{Node: "src"})
	conn := startTransfer(t, src)
	if err := newClient(t, src).Put(ctx, testID(1), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if err := AddRefRemote(ctx, conn, testID(1)); err != nil {
		t.Fatal(err)
	}
	if info := stat(t, src, testID(1)); info.Refs != 2 {
		t.Errorf("refs %d after a remote borrow, want 2", info.Refs)
	}
	if err := ReleaseRemote(ctx, conn, testID(1)); err != nil {
		t.Fatal(err)
	}
	if info := stat(t, src, testID(1)); info.Refs != 1 {
		t.Errorf("refs %d after a remote release, want 1", info.Refs)
	}
	if err := DeleteRemote(ctx, conn, testID(1)); err != nil {
		t.Fatal(err)
	}
	err := DeleteRemote(ctx, conn, testID(1))
	wantErr(t, err, ErrNotFound, "shm: node src: object 00000000000000000000000000000001: shm: object not found")
}

// TestPullToken: the caller's options carry the cluster token.
func TestPullToken(t *testing.T) {
	ctx := context.Background()
	src := newStore(t, Options{Node: "src"})
	dst := newStore(t, Options{Node: "dst"})
	conn := startTransfer(t, src, authServerOptions()...)
	if err := newClient(t, src).Put(ctx, testID(1), []byte("x")); err != nil {
		t.Fatal(err)
	}
	err := dst.Pull(ctx, conn, testID(1))
	want := fmt.Sprintf("shm: node %s: pull object 00000000000000000000000000000001: rpc error: code = Unauthenticated desc = missing or wrong token", conn.Target())
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("code %v, want Unauthenticated", status.Code(err))
	}
	if err := dst.Pull(ctx, conn, testID(1), grpc.PerRPCCredentials(tokenCreds(testToken))); err != nil {
		t.Fatal(err)
	}
	if !dst.Contains(testID(1)) {
		t.Error("not pulled with the token")
	}
}
