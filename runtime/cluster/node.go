package cluster

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
)

// DefaultObjectStoreBytes is a node's object store capacity when none is
// given, as the embedded runtime's.
const DefaultObjectStoreBytes = 2 << 30

// NodeConfig configures StartNode.
type NodeConfig struct {
	// HeadAddress is the head's host:port.
	HeadAddress string
	// Token is the cluster token (see ClientToken).
	Token string
	// HeadTLSCA, if set, dials the head over TLS trusting this CA file.
	HeadTLSCA string
	// Bind and Port are where the node's own service listens; empty Bind
	// means 127.0.0.1, Port 0 a free port.
	Bind string
	Port int
	// Advertise is the host other processes reach this node at; empty means
	// Bind, or the hostname when Bind is a wildcard (0.0.0.0, ::).
	Advertise string
	// TLS, if set, serves the node's service over TLS.
	TLS TLSConfig
	// CPUs and ObjectStoreBytes are the node's resources; zero means
	// runtime.NumCPU() and DefaultObjectStoreBytes.
	CPUs             float64
	ObjectStoreBytes uint64
	// IsHead marks the node daemon of the head's process.
	IsHead bool
	// HeartbeatPeriod overrides the period the head asks for.
	HeartbeatPeriod time.Duration
	// Stats, if set, reports the node's current stats for each heartbeat
	// (the object store and the scheduler plug in here). nil reports every
	// resource available and no tasks or objects: the daemon alone runs
	// none. It is called from several goroutines; the daemon does not keep
	// the result.
	Stats func() *pb.NodeStats
	// Logf, if set, reports registrations and heartbeat failures (each
	// failure once, until it changes).
	Logf func(format string, args ...any)
	// SessionDir is where the node caches jobs' executables (under bin/,
	// by sha256); empty means shoal-session in the temporary directory.
	SessionDir string
	// OnShutdown, if set, is called (in its own goroutine, after the reply)
	// when a Shutdown call arrives, so the process can stop everything it
	// runs. nil: the node stops itself.
	OnShutdown func(reason string)
}

// Node is a running node daemon: it registers with the head, heartbeats,
// registers again under a new ID when the head has lost it or declared it
// dead, and serves the Node service. Its methods are safe for concurrent use.
type Node struct {
	cfg   NodeConfig
	addr  string // advertised
	lis   net.Listener
	srv   *grpc.Server
	conn  *grpc.ClientConn
	head  pb.HeadClient
	start time.Time

	mu         sync.Mutex
	id         string        // "" while not registered
	registered chan struct{} // closed at the first registration
	regOnce    sync.Once
	period     time.Duration

	cancel   context.CancelFunc
	loopDone chan struct{}
	stopOnce sync.Once
}

// StartNode starts a node daemon. It returns once its service listens; it
// registers with the head in the background, retrying until the head
// answers (WaitRegistered waits for that). ctx bounds the start only.
func StartNode(ctx context.Context, cfg NodeConfig) (*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.HeadAddress == "" {
		return nil, fmt.Errorf("%w: NodeConfig.HeadAddress is empty", ErrInvalidArgument)
	}
	if cfg.Token == "" {
		return nil, fmt.Errorf("%w: NodeConfig.Token is empty", ErrNoToken)
	}
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1"
	}
	if cfg.CPUs <= 0 {
		cfg.CPUs = float64(runtime.NumCPU())
	}
	if cfg.ObjectStoreBytes == 0 {
		cfg.ObjectStoreBytes = DefaultObjectStoreBytes
	}
	var dopts []DialOption
	if cfg.HeadTLSCA != "" {
		dopts = append(dopts, WithTLSCA(cfg.HeadTLSCA))
	}
	conn, err := dial(cfg.HeadAddress, cfg.Token, dopts)
	if err != nil {
		return nil, err
	}
	opts, err := serverOptions(cfg.Token, cfg.TLS)
	if err != nil {
		conn.Close()
		return nil, err
	}
	laddr := net.JoinHostPort(cfg.Bind, strconv.Itoa(cfg.Port))
	lis, err := net.Listen("tcp", laddr)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("cluster: node listening on %s: %w", laddr, err)
	}
	host := cfg.Advertise
	if host == "" {
		host = cfg.Bind
		if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
			if host, err = os.Hostname(); err != nil {
				lis.Close()
				conn.Close()
				return nil, fmt.Errorf("cluster: node bound to %s needs an address to advertise: %w", cfg.Bind, err)
			}
		}
	}
	n := &Node{
		cfg:        cfg,
		addr:       net.JoinHostPort(host, strconv.Itoa(lis.Addr().(*net.TCPAddr).Port)),
		lis:        lis,
		srv:        grpc.NewServer(opts...),
		conn:       conn,
		head:       pb.NewHeadClient(conn),
		start:      time.Now(),
		registered: make(chan struct{}),
		period:     cfg.HeartbeatPeriod,
		loopDone:   make(chan struct{}),
	}
	pb.RegisterNodeServer(n.srv, &nodeService{n: n})
	pb.RegisterExecServer(n.srv, &execService{n: n})
	go n.srv.Serve(lis)
	lctx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	go n.loop(lctx)
	return n, nil
}

// Addr is the address other processes reach the node's service at.
func (n *Node) Addr() string { return n.addr }

// ID is the node's current ID, "" while it is not registered. It changes
// when the node registers again.
func (n *Node) ID() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.id
}

// WaitRegistered waits until the node has registered with the head once.
func (n *Node) WaitRegistered(ctx context.Context) error {
	select {
	case <-n.registered:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("cluster: node %s waiting to register with head %s: %w", n.addr, n.cfg.HeadAddress, ctx.Err())
	}
}

// Stop leaves the cluster (the head marks the node dead now rather than
// after the timeout) and stops serving. ctx bounds the goodbye. Safe to call
// more than once.
func (n *Node) Stop(ctx context.Context) error {
	n.stopOnce.Do(func() {
		n.cancel()
		<-n.loopDone
		if id := n.ID(); id != "" {
			// Best effort: an unreachable head finds out by the timeout.
			n.head.UnregisterNode(ctx, &pb.UnregisterNodeRequest{NodeId: id, Reason: "stopped"})
		}
		stopped := make(chan struct{})
		go func() {
			n.srv.GracefulStop()
			close(stopped)
		}()
		select {
		case <-stopped:
		case <-ctx.Done():
			n.srv.Stop()
			<-stopped
		}
		n.conn.Close()
	})
	return nil
}

func (n *Node) resources() *pb.Resources {
	return &pb.Resources{Cpus: n.cfg.CPUs, ObjectStoreBytes: n.cfg.ObjectStoreBytes}
}

func (n *Node) stats() *pb.NodeStats {
	if n.cfg.Stats != nil {
		if s := n.cfg.Stats(); s != nil {
			return s
		}
	}
	return &pb.NodeStats{Available: n.resources()}
}

// loop registers and heartbeats until ctx ends.
func (n *Node) loop(ctx context.Context) {
	defer close(n.loopDone)
	lastErr := ""
	for {
		n.mu.Lock()
		id, period := n.id, n.period
		n.mu.Unlock()
		if period <= 0 {
			period = DefaultHeartbeatPeriod
		}
		var err error
		if id == "" {
			err = n.register(ctx, period)
		} else {
			err = n.heartbeat(ctx, id, period)
		}
		if ctx.Err() != nil {
			return
		}
		// Log a failure once, not every period, and its end.
		if msg := errString(err); msg != lastErr {
			if err != nil {
				n.logf("cluster: node %s: %v", n.addr, err)
			} else if id != "" {
				n.logf("cluster: node %s: head %s answers again", n.addr, n.cfg.HeadAddress)
			}
			lastErr = msg
		}
		if errors.Is(err, ErrUnknownNode) || errors.Is(err, ErrNodeDead) {
			// The head restarted or gave up on us: register again at once,
			// under a new ID.
			n.mu.Lock()
			n.id = ""
			n.mu.Unlock()
			continue
		}
		// Registering may have changed the period: wait the head's.
		n.mu.Lock()
		if n.period > 0 {
			period = n.period
		}
		n.mu.Unlock()
		t := time.NewTimer(period)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (n *Node) register(ctx context.Context, period time.Duration) error {
	cctx, cancel := context.WithTimeout(ctx, 2*period+time.Second)
	defer cancel()
	r, err := n.head.RegisterNode(cctx, &pb.RegisterNodeRequest{
		Address: n.addr, Hostname: hostname(), IsHead: n.cfg.IsHead,
		Resources: n.resources(), Stats: n.stats(), Pid: int64(os.Getpid()),
	})
	if err != nil {
		return fromStatus(err)
	}
	n.mu.Lock()
	n.id = r.NodeId
	if n.cfg.HeartbeatPeriod <= 0 && r.HeartbeatPeriodMs > 0 {
		n.period = time.Duration(r.HeartbeatPeriodMs) * time.Millisecond
	}
	n.mu.Unlock()
	n.logf("cluster: node %s registered with head %s as %s", n.addr, n.cfg.HeadAddress, r.NodeId)
	n.regOnce.Do(func() { close(n.registered) })
	return nil
}

func (n *Node) heartbeat(ctx context.Context, id string, period time.Duration) error {
	cctx, cancel := context.WithTimeout(ctx, 2*period+time.Second)
	defer cancel()
	_, err := n.head.Heartbeat(cctx, &pb.HeartbeatRequest{NodeId: id, Stats: n.stats()})
	return fromStatus(err)
}

// sessionDir is the node's session directory.
func (n *Node) sessionDir() string {
	if n.cfg.SessionDir != "" {
		return n.cfg.SessionDir
	}
	return filepath.Join(os.TempDir(), "shoal-session")
}

func hostname() string {
	h, _ := os.Hostname()
	return h
}

type nodeService struct {
	pb.UnimplementedNodeServer
	n *Node
}

func (s *nodeService) GetNodeInfo(context.Context, *pb.GetNodeInfoRequest) (*pb.NodeInfo, error) {
	n := s.n
	id := n.ID()
	return &pb.NodeInfo{
		NodeId:      id,
		Address:     n.addr,
		HeadAddress: n.cfg.HeadAddress,
		IsHead:      n.cfg.IsHead,
		Resources:   n.resources(),
		Stats:       proto.CloneOf(n.stats()),
		Pid:         int64(os.Getpid()),
		StartUnixMs: n.start.UnixMilli(),
		Registered:  id != "",
	}, nil
}

func (s *nodeService) Shutdown(_ context.Context, req *pb.ShutdownRequest) (*pb.ShutdownResponse, error) {
	n := s.n
	go func() {
		if n.cfg.OnShutdown != nil {
			n.cfg.OnShutdown(req.GetReason())
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n.Stop(ctx)
	}()
	return &pb.ShutdownResponse{}, nil
}

func (n *Node) logf(format string, args ...any) {
	if n.cfg.Logf != nil {
		n.cfg.Logf(format, args...)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
