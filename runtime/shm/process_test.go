package shm

import (
	"bytes"
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const testToken = "s3cret"

// tokenCreds sends the cluster token as the contract says: metadata
// "authorization: Bearer <token>".
type tokenCreds string

func (c tokenCreds) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + string(c)}, nil
}
func (tokenCreds) RequireTransportSecurity() bool { return false }

func checkToken(ctx context.Context) error {
	md, _ := metadata.FromIncomingContext(ctx)
	got := md.Get("authorization")
	if len(got) != 1 || subtle.ConstantTimeCompare([]byte(got[0]), []byte("Bearer "+testToken)) != 1 {
		return status.Error(codes.Unauthenticated, "missing or wrong token")
	}
	return nil
}

// authServer returns a gRPC server that refuses calls without the test
// token, as the cluster's interceptors do.
func authServer() *grpc.Server { return grpc.NewServer(authServerOptions()...) }

func authServerOptions() []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.UnaryInterceptor(func(ctx context.Context, req any, _ *grpc.UnaryServerInfo, h grpc.UnaryHandler) (any, error) {
			if err := checkToken(ctx); err != nil {
				return nil, err
			}
			return h(ctx, req)
		}),
		grpc.StreamInterceptor(func(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, h grpc.StreamHandler) error {
			if err := checkToken(ss.Context()); err != nil {
				return err
			}
			return h(srv, ss)
		}),
	}
}

// startDaemon serves s's NodeStore on a unix socket, as the node daemon
// does, and returns the socket's path.
func startDaemon(t testing.TB, s *Store) string {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "store.sock")
	lis, err := ListenUnix(sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := authServer()
	RegisterNodeStore(srv, s)
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	return sock
}

func dial(t testing.TB, sock string) *Client {
	t.Helper()
	c, err := Dial(context.Background(), sock, grpc.WithPerRPCCredentials(tokenCreds(testToken)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// TestHelperProcess is the child process of the cross-process tests: it
// does nothing unless SHM_HELPER says what to do.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv("SHM_HELPER")
	if mode == "" {
		t.Skip("child process only")
	}
	if err := helper(mode); err != nil {
		fmt.Println("ERROR", err)
		os.Exit(2)
	}
	os.Exit(0)
}

func helper(mode string) error {
	ctx := context.Background()
	c, err := Dial(ctx, os.Getenv("SHM_SOCKET"), grpc.WithPerRPCCredentials(tokenCreds(testToken)))
	if err != nil {
		return err
	}
	defer c.Close()
	id, err := ParseID(os.Getenv("SHM_ID"))
	if err != nil {
		return err
	}
	switch mode {
	case "putrecord":
		rows, _ := strconv.Atoi(os.Getenv("SHM_ROWS"))
		rec := testRecord(memory.DefaultAllocator, rows)
		defer rec.Release()
		if err := c.PutRecord(ctx, id, rec); err != nil {
			return err
		}
		fmt.Println("RESULT ok")
	case "putbench":
		rec := benchRecord(benchRows)
		defer rec.Release()
		if err := c.PutRecord(ctx, id, rec); err != nil {
			return err
		}
		fmt.Println("RESULT ok")
	case "get":
		b, release, err := c.Get(ctx, id)
		if err != nil {
			return err
		}
		sum := 0
		for _, x := range b {
			sum += int(x)
		}
		release()
		fmt.Printf("RESULT %d %d\n", len(b), sum)
	case "die":
		// Pin an object and start another, then die without releasing
		// either: the daemon must notice.
		if _, _, err := c.Get(ctx, id); err != nil {
			return err
		}
		if _, err := c.Create(ctx, NewID(), 4096); err != nil {
			return err
		}
		fmt.Println("RESULT ready")
		os.Exit(3)
	default:
		return fmt.Errorf("unknown mode %q", mode)
	}
	return nil
}

// child runs the test binary as a helper process and returns what it
// printed after RESULT.
func child(t testing.TB, sock, mode string, id ID, env ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHelperProcess$")
	cmd.Env = append(os.Environ(), append([]string{"SHM_HELPER=" + mode, "SHM_SOCKET=" + sock, "SHM_ID=" + id.String()}, env...)...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	for _, line := range strings.Split(out.String(), "\n") {
		if r, ok := strings.CutPrefix(line, "RESULT "); ok {
			return r, err
		}
	}
	return "", fmt.Errorf("child %s: %v: %s", mode, err, out.String())
}

// TestCrossProcess: objects made by one process are read by others, zero
// copy, through the daemon's socket.
func TestCrossProcess(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	sock := startDaemon(t, s)
	c := dial(t, sock)

	// A child writes a record; this process reads it.
	recID := NewID()
	if out, err := child(t, sock, "putrecord", recID, "SHM_ROWS=1000"); err != nil || out != "ok" {
		t.Fatalf("putrecord child: %q, %v", out, err)
	}
	want := testRecord(memory.DefaultAllocator, 1000)
	defer want.Release()
	got, err := c.GetRecord(ctx, recID)
	if err != nil {
		t.Fatal(err)
	}
	if !array.RecordEqual(got, want) {
		t.Error("record written by another process differs")
	}
	if buf := got.Column(0).Data().Buffers()[1]; buf.Parent() == nil || int64(buf.Parent().Len()) != stat(t, s, recID).Size {
		t.Error("record read across processes is not a view of the mapping")
	}
	if info := stat(t, s, recID); info.Pins != 1 || info.Refs != 1 {
		t.Errorf("while held: %+v", info)
	}
	got.Release()
	if info := stat(t, s, recID); info.Pins != 0 {
		t.Errorf("after release: %+v", info)
	}

	// This process writes bytes; a child reads them.
	bytesID := NewID()
	data := pattern(3<<20+5, 7)
	if err := c.Put(ctx, bytesID, data); err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, x := range data {
		sum += int(x)
	}
	if out, err := child(t, sock, "get", bytesID); err != nil || out != fmt.Sprintf("%d %d", len(data), sum) {
		t.Fatalf("get child: %q, %v; want %d %d", out, err, len(data), sum)
	}

	// Errors cross the socket intact.
	missing := testID(9)
	_, _, err = c.Get(ctx, missing)
	wantErr(t, err, ErrNotFound, "shm: node n1: object 00000000000000000000000000000009: shm: object not found")
	err = c.Put(ctx, bytesID, data)
	wantErr(t, err, ErrExists, fmt.Sprintf("shm: node n1: object %s: shm: object exists", bytesID))
}

// TestChildDies: a process that dies holding pins and an unsealed object
// leaks neither.
func TestChildDies(t *testing.T) {
	ctx := context.Background()
	s := newStore(t, Options{})
	sock := startDaemon(t, s)
	id := NewID()
	c := newClient(t, s)
	if err := c.Put(ctx, id, pattern(1000, 1)); err != nil {
		t.Fatal(err)
	}
	out, err := child(t, sock, "die", id)
	if out != "ready" {
		t.Fatalf("die child: %q, %v", out, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := s.Stats()
		if st.Pins == 0 && st.Objects == 1 && st.UsedBytes == 1000 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the dead process's pin and object remain: %+v", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	entries, err := os.ReadDir(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != id.String() {
		t.Errorf("store directory holds %v, want only %s", entries, id)
	}
}

// TestListenUnix: a live daemon's socket is not taken over; a dead one's
// is.
func TestListenUnix(t *testing.T) {
	s := newStore(t, Options{})
	sock := startDaemon(t, s)
	_, err := ListenUnix(sock)
	if want := "shm: listen " + sock + ": a daemon is listening there already"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	stale := filepath.Join(t.TempDir(), "stale.sock")
	lis, err := ListenUnix(stale)
	if err != nil {
		t.Fatal(err)
	}
	lis.(*net.UnixListener).SetUnlinkOnClose(false)
	lis.Close() // the socket file stays, as after a crash
	lis, err = ListenUnix(stale)
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	lis.Close()
}

// TestDialNoDaemon: dialing a socket nobody serves fails at once.
func TestDialNoDaemon(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "none.sock")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := Dial(ctx, sock)
	if status.Code(err) != codes.Unavailable || !strings.HasPrefix(err.Error(), "shm: node "+sock+": connect: rpc error: code = Unavailable") {
		t.Errorf("got %v, want Unavailable naming the socket", err)
	}
	if ctx.Err() != nil {
		t.Error("Dial waited for its context instead of failing")
	}
}

// TestDialToken: the socket refuses a client without the cluster token.
func TestDialToken(t *testing.T) {
	s := newStore(t, Options{})
	sock := startDaemon(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := Dial(ctx, sock)
	want := fmt.Sprintf("shm: node %s: connect: rpc error: code = Unauthenticated desc = missing or wrong token", sock)
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
	if status.Code(err) != codes.Unauthenticated {
		t.Errorf("code %v, want Unauthenticated", status.Code(err))
	}
}

// TestGracefulStop: closing the store ends the clients' sessions, so that
// the daemon's server can stop gracefully while clients are connected.
func TestGracefulStop(t *testing.T) {
	s, err := Open(Options{Node: "n1", Root: t.TempDir(), SpillRoot: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "store.sock")
	lis, err := ListenUnix(sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	RegisterNodeStore(srv, s)
	go srv.Serve(lis)
	c, err := Dial(context.Background(), sock)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() {
		srv.GracefulStop()
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(30 * time.Second):
		srv.Stop()
		t.Fatal("GracefulStop waited on a connected client after the store closed")
	}
}
