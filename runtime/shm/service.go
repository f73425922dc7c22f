package shm

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/shoaldata/shoal/runtime/shm/shmpb"
)

// sentinels maps the package's errors to gRPC codes and back, so that
// errors.Is works on both sides of the wire.
var sentinels = []struct {
	err  error
	code codes.Code
}{
	{ErrNotFound, codes.NotFound},
	{ErrStoreFull, codes.ResourceExhausted},
	{ErrExists, codes.AlreadyExists},
	{ErrSealed, codes.FailedPrecondition},
	{ErrNotPinned, codes.FailedPrecondition},
	{ErrObjectLost, codes.DataLoss},
	{ErrClosed, codes.Unavailable},
	{context.Canceled, codes.Canceled},
	{context.DeadlineExceeded, codes.DeadlineExceeded},
}

// toStatus turns a store error into a gRPC status carrying its message.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			return status.Error(s.code, err.Error())
		}
	}
	return status.Error(codes.Internal, err.Error())
}

// remoteError is a store error that came over the wire: the server's
// message, and the sentinel its code stands for.
type remoteError struct {
	msg      string
	sentinel error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.sentinel }

// fromStatus turns a gRPC error back into a store error. The store's own
// errors end with their sentinel's text; errors that did not come from the
// store (transport, authentication) are wrapped with what was being done
// and on which node.
func fromStatus(err error, node, what string) error {
	if err == nil {
		return nil
	}
	if st, ok := status.FromError(err); ok && strings.HasPrefix(st.Message(), "shm: ") {
		for _, s := range sentinels {
			if st.Code() == s.code && strings.HasSuffix(st.Message(), s.err.Error()) {
				return &remoteError{st.Message(), s.err}
			}
		}
	}
	return fmt.Errorf("shm: node %s: %s: %w", node, what, err)
}

// RegisterNodeStore serves s's NodeStore service on srv, for the processes
// of the node. Serve it on a unix socket (see ListenUnix): the paths it
// hands out are local files. Authentication is the server's interceptors'.
func RegisterNodeStore(srv grpc.ServiceRegistrar, s *Store) {
	shmpb.RegisterNodeStoreServer(srv, &nodeStoreServer{s: s})
}

// ListenUnix listens on a unix socket at path, readable and writable by
// the owner only. A socket file left by a daemon that died is replaced; one
// that a live daemon answers on is not.
func ListenUnix(path string) (net.Listener, error) {
	if fi, err := os.Lstat(path); err == nil && fi.Mode()&os.ModeSocket != 0 {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return nil, fmt.Errorf("shm: listen %s: a daemon is listening there already", path)
		}
		os.Remove(path)
	}
	lis, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("shm: listen %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		lis.Close()
		return nil, fmt.Errorf("shm: listen %s: %w", path, err)
	}
	return lis, nil
}

type nodeStoreServer struct {
	shmpb.UnimplementedNodeStoreServer
	s *Store
}

func (n *nodeStoreServer) Connect(_ *shmpb.ConnectRequest, stream grpc.ServerStreamingServer[shmpb.Session]) error {
	sid := n.s.openSession()
	if sid == 0 {
		return toStatus(fmt.Errorf("shm: node %s: %w", n.s.node, ErrClosed))
	}
	defer n.s.closeSession(sid)
	if err := stream.Send(&shmpb.Session{Session: sid, Node: n.s.node, Dir: n.s.dir}); err != nil {
		return err
	}
	// Closing the store ends the sessions too, so that a graceful stop of
	// the server does not wait for every client to hang up.
	select {
	case <-stream.Context().Done():
	case <-n.s.done:
	}
	return nil
}

func (n *nodeStoreServer) Create(_ context.Context, r *shmpb.CreateRequest) (*shmpb.CreateReply, error) {
	id, err := idFromBytes(r.Id)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	path, err := n.s.create(id, r.Session, r.Size, true)
	if err != nil {
		return nil, toStatus(err)
	}
	return &shmpb.CreateReply{Path: path}, nil
}

// objectCall decodes r's ID and runs fn on it.
func objectCall(r *shmpb.ObjectRequest, fn func(ID) error) (*shmpb.Empty, error) {
	id, err := idFromBytes(r.Id)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	if err := fn(id); err != nil {
		return nil, toStatus(err)
	}
	return &shmpb.Empty{}, nil
}

func (n *nodeStoreServer) Seal(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, func(id ID) error { return n.s.seal(id, r.Session) })
}

func (n *nodeStoreServer) Abort(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, func(id ID) error { return n.s.abort(id, r.Session) })
}

func (n *nodeStoreServer) Pin(ctx context.Context, r *shmpb.ObjectRequest) (*shmpb.PinReply, error) {
	id, err := idFromBytes(r.Id)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	path, size, err := n.s.pin(ctx, id, r.Session)
	if err != nil {
		return nil, toStatus(err)
	}
	return &shmpb.PinReply{Path: path, Size: size}, nil
}

func (n *nodeStoreServer) Unpin(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, func(id ID) error { return n.s.unpin(id, r.Session) })
}

func (n *nodeStoreServer) AddRef(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, n.s.AddRef)
}

func (n *nodeStoreServer) Release(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, n.s.Release)
}

func (n *nodeStoreServer) Delete(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.Empty, error) {
	return objectCall(r, n.s.Delete)
}

func (n *nodeStoreServer) Stat(_ context.Context, r *shmpb.ObjectRequest) (*shmpb.ObjectInfo, error) {
	id, err := idFromBytes(r.Id)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	info, err := n.s.Stat(id)
	if err != nil {
		return nil, toStatus(err)
	}
	return &shmpb.ObjectInfo{Size: info.Size, Refs: info.Refs, Pins: info.Pins, Sealed: info.Sealed, Spilled: info.Spilled}, nil
}

// Dial connects to the NodeStore service of the node daemon at socket (a
// unix socket path) and opens a session. opts are added to the dial
// options (e.g. per-RPC credentials carrying the cluster token); the
// connection is insecure, as a unix socket needs no TLS. The session, and
// so the client's pins, last until Close or until this process exits.
func Dial(ctx context.Context, socket string, opts ...grpc.DialOption) (*Client, error) {
	opts = append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, opts...)
	conn, err := grpc.NewClient("unix://"+socket, opts...)
	if err != nil {
		return nil, fmt.Errorf("shm: dial %s: %w", socket, err)
	}
	rpc := shmpb.NewNodeStoreClient(conn)
	sctx, cancel := context.WithCancel(context.Background())
	// Fail fast: a daemon that is not listening is an error now, not a
	// wait for as long as the session lasts.
	stream, err := rpc.Connect(sctx, &shmpb.ConnectRequest{})
	var sess *shmpb.Session
	if err == nil {
		sess, err = recvWithContext(ctx, stream)
	}
	if err != nil {
		cancel()
		conn.Close()
		return nil, fromStatus(err, socket, "connect")
	}
	r := &remoteBackend{conn: conn, rpc: rpc, sid: sess.Session, nodeName: sess.Node, cancel: cancel, ended: make(chan struct{})}
	go func() {
		// The server sends nothing more: Recv returns when the session
		// ends, from either side.
		stream.Recv()
		close(r.ended)
	}()
	return &Client{b: r}, nil
}

// recvWithContext receives the first message of stream, giving up when ctx
// is done.
func recvWithContext(ctx context.Context, stream grpc.ServerStreamingClient[shmpb.Session]) (*shmpb.Session, error) {
	type result struct {
		s   *shmpb.Session
		err error
	}
	ch := make(chan result, 1)
	go func() {
		s, err := stream.Recv()
		ch <- result{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// remoteBackend calls the NodeStore service.
type remoteBackend struct {
	conn     *grpc.ClientConn
	rpc      shmpb.NodeStoreClient
	sid      uint64
	nodeName string
	cancel   context.CancelFunc
	ended    chan struct{}
	once     sync.Once
}

func (r *remoteBackend) node() string { return r.nodeName }

func (r *remoteBackend) req(id ID) *shmpb.ObjectRequest {
	return &shmpb.ObjectRequest{Session: r.sid, Id: id[:]}
}

func (r *remoteBackend) create(ctx context.Context, id ID, size int64) (string, error) {
	rep, err := r.rpc.Create(ctx, &shmpb.CreateRequest{Session: r.sid, Id: id[:], Size: size})
	if err != nil {
		return "", fromStatus(err, r.nodeName, "create object "+id.String())
	}
	return rep.Path, nil
}

func (r *remoteBackend) seal(ctx context.Context, id ID) error {
	_, err := r.rpc.Seal(ctx, r.req(id))
	return fromStatus(err, r.nodeName, "seal object "+id.String())
}

func (r *remoteBackend) abort(ctx context.Context, id ID) error {
	_, err := r.rpc.Abort(ctx, r.req(id))
	return fromStatus(err, r.nodeName, "abort object "+id.String())
}

func (r *remoteBackend) pin(ctx context.Context, id ID) (string, int64, error) {
	rep, err := r.rpc.Pin(ctx, r.req(id))
	if err != nil {
		return "", 0, fromStatus(err, r.nodeName, "pin object "+id.String())
	}
	return rep.Path, rep.Size, nil
}

func (r *remoteBackend) unpin(ctx context.Context, id ID) error {
	_, err := r.rpc.Unpin(ctx, r.req(id))
	return fromStatus(err, r.nodeName, "unpin object "+id.String())
}

func (r *remoteBackend) addRef(ctx context.Context, id ID) error {
	_, err := r.rpc.AddRef(ctx, r.req(id))
	return fromStatus(err, r.nodeName, "add a reference to object "+id.String())
}

func (r *remoteBackend) release(ctx context.Context, id ID) error {
	_, err := r.rpc.Release(ctx, r.req(id))
	return fromStatus(err, r.nodeName, "release object "+id.String())
}

func (r *remoteBackend) delete(ctx context.Context, id ID) error {
	_, err := r.rpc.Delete(ctx, r.req(id))
	return fromStatus(err, r.nodeName, "delete object "+id.String())
}

func (r *remoteBackend) stat(ctx context.Context, id ID) (ObjectInfo, error) {
	rep, err := r.rpc.Stat(ctx, r.req(id))
	if err != nil {
		return ObjectInfo{}, fromStatus(err, r.nodeName, "stat object "+id.String())
	}
	return ObjectInfo{Size: rep.Size, Refs: rep.Refs, Pins: rep.Pins, Sealed: rep.Sealed, Spilled: rep.Spilled}, nil
}

// close ends the session, waiting until the stream is done so that the
// server has been told, and closes the connection.
func (r *remoteBackend) close() error {
	var err error
	r.once.Do(func() {
		r.cancel()
		<-r.ended
		err = r.conn.Close()
	})
	return err
}
