package cluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/backoff"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

// A DialOption configures Dial and DialNode.
type DialOption func(*dialConfig)

type dialConfig struct {
	caFile string
	// bigMessages lifts gRPC's 4 MiB limit on received messages, for task
	// streams that carry objects.
	bigMessages bool
}

// WithTLSCA makes the connection use TLS, trusting the CA certificates (PEM)
// in file. For a self-signed server certificate, that is the certificate.
func WithTLSCA(file string) DialOption {
	return func(c *dialConfig) { c.caFile = file }
}

// dial opens a connection that carries token on every call. Reconnection
// backs off to at most a second, not gRPC's default two minutes: a node must
// find a restarted head within a heartbeat or two.
func dial(addr, token string, opts []DialOption) (*grpc.ClientConn, error) {
	var cfg dialConfig
	for _, o := range opts {
		o(&cfg)
	}
	if addr == "" {
		return nil, fmt.Errorf("%w: empty address", ErrInvalidArgument)
	}
	if token == "" {
		return nil, fmt.Errorf("%w: dialing %s with an empty token", ErrNoToken, addr)
	}
	creds := bearer{token: token}
	dopts := []grpc.DialOption{
		grpc.WithConnectParams(grpc.ConnectParams{
			Backoff:           backoff.Config{BaseDelay: 50 * time.Millisecond, Multiplier: 1.6, Jitter: 0.2, MaxDelay: time.Second},
			MinConnectTimeout: 5 * time.Second,
		}),
	}
	if cfg.caFile != "" {
		tc, err := clientTLS(cfg.caFile)
		if err != nil {
			return nil, err
		}
		creds.secure = true
		dopts = append(dopts, grpc.WithTransportCredentials(tc))
	} else {
		dopts = append(dopts, grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	dopts = append(dopts, grpc.WithPerRPCCredentials(creds))
	if cfg.bigMessages {
		dopts = append(dopts, grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessage), grpc.MaxCallSendMsgSize(maxMessage)))
	}
	conn, err := grpc.NewClient("passthrough:///"+addr, dopts...)
	if err != nil {
		return nil, fmt.Errorf("cluster: dialing %s: %w", addr, err)
	}
	return conn, nil
}

// Client talks to the head's control store. It is safe for concurrent use;
// Close it when done.
type Client struct {
	addr string
	conn *grpc.ClientConn
	head pb.HeadClient
}

// Dial returns a client of the head at addr (host:port) presenting token on
// every call. It does not wait for the head: the first call does, until its
// context ends. ctx is reserved for dial-time work and not retained.
func Dial(ctx context.Context, addr, token string, opts ...DialOption) (*Client, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := dial(addr, token, opts)
	if err != nil {
		return nil, err
	}
	return &Client{addr: addr, conn: conn, head: pb.NewHeadClient(conn)}, nil
}

// Addr is the head's address.
func (c *Client) Addr() string { return c.addr }

// Close closes the connection.
func (c *Client) Close() error { return c.conn.Close() }

// Status returns the head's whole view: nodes, actors, jobs and totals.
func (c *Client) Status(ctx context.Context) (*pb.ClusterStatus, error) {
	st, err := c.head.GetClusterStatus(ctx, &pb.GetClusterStatusRequest{})
	if err != nil {
		return nil, fmt.Errorf("cluster: status from %s: %w", c.addr, fromStatus(err))
	}
	return st, nil
}

// WatchStatus calls fn with the status now and after every change, at most
// once per minInterval, until ctx ends or fn returns an error. It returns
// fn's error, or the stream's; ctx's end is not an error.
func (c *Client) WatchStatus(ctx context.Context, minInterval time.Duration, fn func(*pb.ClusterStatus) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := c.head.WatchClusterStatus(ctx, &pb.WatchClusterStatusRequest{MinIntervalMs: minInterval.Milliseconds()})
	if err != nil {
		return fmt.Errorf("cluster: watching %s: %w", c.addr, fromStatus(err))
	}
	for {
		st, err := stream.Recv()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("cluster: watching %s: %w", c.addr, fromStatus(err))
		}
		if err := fn(st); err != nil {
			return err
		}
	}
}

// KVPut stores value under key in namespace. An existing key keeps its
// value unless overwrite. added reports whether the key is new.
func (c *Client) KVPut(ctx context.Context, namespace, key string, value []byte, overwrite bool) (added bool, err error) {
	r, err := c.head.KVPut(ctx, &pb.KVPutRequest{Namespace: namespace, Key: key, Value: value, Overwrite: overwrite})
	if err != nil {
		return false, fmt.Errorf("cluster: KVPut %q: %w", key, fromStatus(err))
	}
	return r.Added, nil
}

// KVGet returns the value of key in namespace, or an error wrapping
// ErrKeyNotFound.
func (c *Client) KVGet(ctx context.Context, namespace, key string) ([]byte, error) {
	r, err := c.head.KVGet(ctx, &pb.KVGetRequest{Namespace: namespace, Key: key})
	if err != nil {
		return nil, fmt.Errorf("cluster: KVGet %q: %w", key, fromStatus(err))
	}
	return r.Value, nil
}

// KVDelete deletes key from namespace and reports whether it was there.
func (c *Client) KVDelete(ctx context.Context, namespace, key string) (bool, error) {
	r, err := c.head.KVDelete(ctx, &pb.KVDeleteRequest{Namespace: namespace, Key: key})
	if err != nil {
		return false, fmt.Errorf("cluster: KVDelete %q: %w", key, fromStatus(err))
	}
	return r.Deleted, nil
}

// KVList returns the keys of namespace that start with prefix, sorted.
func (c *Client) KVList(ctx context.Context, namespace, prefix string) ([]string, error) {
	r, err := c.head.KVList(ctx, &pb.KVListRequest{Namespace: namespace, Prefix: prefix})
	if err != nil {
		return nil, fmt.Errorf("cluster: KVList %q: %w", prefix, fromStatus(err))
	}
	return r.Keys, nil
}

// ActorSpec describes an actor to register in the head's directory.
type ActorSpec struct {
	Name      string // empty: an anonymous actor, listed but not looked up
	Namespace string
	Class     string // the registered actor type's name
	NodeID    string // where it runs; empty while it is not placed
	JobID     string // the owning job; may be empty only if Detached
	// Detached actors outlive their job; the others are removed when it ends.
	Detached    bool
	MaxRestarts int32 // -1: no limit
}

// RegisterActor adds an actor to the directory: ALIVE if NodeID is set, else
// PENDING. A live actor holding the name fails it with ErrActorExists.
func (c *Client) RegisterActor(ctx context.Context, spec ActorSpec) (*pb.ActorRecord, error) {
	st := pb.ActorRecord_PENDING
	if spec.NodeID != "" {
		st = pb.ActorRecord_ALIVE
	}
	r, err := c.head.RegisterActor(ctx, &pb.RegisterActorRequest{
		Name: spec.Name, Namespace: spec.Namespace, ClassName: spec.Class, NodeId: spec.NodeID,
		JobId: spec.JobID, Detached: spec.Detached, MaxRestarts: spec.MaxRestarts, State: st,
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: registering actor %q: %w", spec.Name, fromStatus(err))
	}
	return r.Actor, nil
}

// UpdateActor moves actor id to state (on nodeID for ALIVE); reason says why
// for DEAD.
func (c *Client) UpdateActor(ctx context.Context, id string, state pb.ActorRecord_State, nodeID, reason string) (*pb.ActorRecord, error) {
	r, err := c.head.UpdateActor(ctx, &pb.UpdateActorRequest{ActorId: id, State: state, NodeId: nodeID, DeathReason: reason})
	if err != nil {
		return nil, fmt.Errorf("cluster: updating actor %s: %w", id, fromStatus(err))
	}
	return r.Actor, nil
}

// LookupActor finds the live actor named name in namespace, or fails with
// ErrActorNotFound.
func (c *Client) LookupActor(ctx context.Context, namespace, name string) (*pb.ActorRecord, error) {
	r, err := c.head.LookupActor(ctx, &pb.LookupActorRequest{Namespace: namespace, Name: name})
	if err != nil {
		return nil, fmt.Errorf("cluster: looking up actor %q: %w", name, fromStatus(err))
	}
	return r.Actor, nil
}

// ListActors lists the actors of namespace (all if empty), dead ones too.
func (c *Client) ListActors(ctx context.Context, namespace string) ([]*pb.ActorRecord, error) {
	r, err := c.head.ListActors(ctx, &pb.ListActorsRequest{Namespace: namespace})
	if err != nil {
		return nil, fmt.Errorf("cluster: listing actors: %w", fromStatus(err))
	}
	return r.Actors, nil
}

// JobSpec describes a driver's job.
type JobSpec struct {
	Entrypoint    string // what the driver runs, for status
	Namespace     string
	DriverAddress string // where the driver serves, once drivers serve
}

// Job is a registered job. While it is open, a goroutine heartbeats for it
// at the period the head asked for, until Finish, or until its Client is
// closed (then the head fails the job after the timeout). Safe for
// concurrent use.
type Job struct {
	id     string
	c      *Client
	cancel context.CancelFunc
	done   chan struct{}
	mu     sync.Mutex
	err    error // why heartbeating stopped, if the head ended the job
}

// RegisterJob registers a job and starts heartbeating for it. The job ends
// when Finish is called, or, if this process dies, when the head misses its
// heartbeats.
func (c *Client) RegisterJob(ctx context.Context, spec JobSpec) (*Job, error) {
	r, err := c.head.RegisterJob(ctx, &pb.RegisterJobRequest{
		Entrypoint: spec.Entrypoint, Namespace: spec.Namespace, DriverAddress: spec.DriverAddress, DriverPid: int64(os.Getpid()),
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: registering job: %w", fromStatus(err))
	}
	hctx, cancel := context.WithCancel(context.Background())
	j := &Job{id: r.JobId, c: c, cancel: cancel, done: make(chan struct{})}
	go j.heartbeat(hctx, time.Duration(r.HeartbeatPeriodMs)*time.Millisecond)
	return j, nil
}

// ID is the job's ID.
func (j *Job) ID() string { return j.id }

// Err returns why heartbeating stopped if the head ended the job (it missed
// heartbeats: ErrJobEnded) or does not know it (it restarted:
// ErrUnknownJob), else nil.
func (j *Job) Err() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.err
}

func (j *Job) heartbeat(ctx context.Context, period time.Duration) {
	defer close(j.done)
	if period <= 0 {
		period = DefaultHeartbeatPeriod
	}
	t := time.NewTicker(period)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cctx, cancel := context.WithTimeout(ctx, 2*period+time.Second)
		_, err := j.c.head.JobHeartbeat(cctx, &pb.JobHeartbeatRequest{JobId: j.id})
		cancel()
		if status.Code(err) == codes.Canceled && ctx.Err() == nil {
			return // the client was closed
		}
		if err = fromStatus(err); isTerminal(err) {
			j.mu.Lock()
			j.err = fmt.Errorf("cluster: job %s: %w", j.id, err)
			j.mu.Unlock()
			return
		}
		// Other errors (head unreachable) are retried at the next tick.
	}
}

func isTerminal(err error) bool {
	return err != nil && (errors.Is(err, ErrJobEnded) || errors.Is(err, ErrUnknownJob))
}

// Finish ends the job: its actors that are not detached are removed.
func (j *Job) Finish(ctx context.Context) error {
	j.cancel()
	<-j.done
	if _, err := j.c.head.FinishJob(ctx, &pb.FinishJobRequest{JobId: j.id}); err != nil {
		return fmt.Errorf("cluster: finishing job %s: %w", j.id, fromStatus(err))
	}
	return nil
}

// NodeClient talks to one node's daemon. Close it when done.
type NodeClient struct {
	addr string
	conn *grpc.ClientConn
	node pb.NodeClient
}

// DialNode returns a client of the node daemon at addr.
func DialNode(ctx context.Context, addr, token string, opts ...DialOption) (*NodeClient, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	conn, err := dial(addr, token, opts)
	if err != nil {
		return nil, err
	}
	return &NodeClient{addr: addr, conn: conn, node: pb.NewNodeClient(conn)}, nil
}

// Info returns the node's ID, resources and current stats.
func (n *NodeClient) Info(ctx context.Context) (*pb.NodeInfo, error) {
	info, err := n.node.GetNodeInfo(ctx, &pb.GetNodeInfoRequest{})
	if err != nil {
		return nil, fmt.Errorf("cluster: node %s: %w", n.addr, fromStatus(err))
	}
	return info, nil
}

// Shutdown asks the node's process to stop; it answers before stopping.
func (n *NodeClient) Shutdown(ctx context.Context, reason string) error {
	if _, err := n.node.Shutdown(ctx, &pb.ShutdownRequest{Reason: reason}); err != nil {
		return fmt.Errorf("cluster: shutting down node %s: %w", n.addr, fromStatus(err))
	}
	return nil
}

// Close closes the connection.
func (n *NodeClient) Close() error { return n.conn.Close() }
