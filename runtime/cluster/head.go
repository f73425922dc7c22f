package cluster

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/grpc"
)

// Defaults of the health checks, as Ray's: a heartbeat a second, dead after
// ten seconds of silence.
const (
	DefaultHeartbeatPeriod = time.Second
	DefaultNodeTimeout     = 10 * time.Second
	// DefaultHeadPort is the head's port when none is given.
	DefaultHeadPort = 6380
)

// HeadConfig configures StartHead. The zero value of every field but Token
// is usable.
type HeadConfig struct {
	// Bind is the interface to listen on; empty means 127.0.0.1, so a
	// cluster is reachable from other machines only when asked for.
	Bind string
	// Port is the gRPC port; 0 picks a free one (Addr tells which).
	Port int
	// Token is the cluster token every call must carry (see HeadToken).
	Token string
	// TLS, if set, serves TLS instead of plaintext.
	TLS TLSConfig
	// HeartbeatPeriod is the period nodes and drivers heartbeat at unless
	// they set their own (default DefaultHeartbeatPeriod).
	HeartbeatPeriod time.Duration
	// NodeTimeout: a node silent this long is declared dead (default
	// DefaultNodeTimeout).
	NodeTimeout time.Duration
	// JobTimeout: a driver silent this long has its job failed (default
	// NodeTimeout).
	JobTimeout time.Duration
	// Dashboard, if set, builds the HTTP handler served on
	// Bind:DashboardPort (0: a free port), given the running head (for
	// Status). The handler does its own authentication with the token.
	Dashboard     func(h *Head) http.Handler
	DashboardPort int
}

// Head is a running head: the global control store served over gRPC. Its
// methods are safe for concurrent use.
type Head struct {
	cfg     HeadConfig
	store   *store
	srv     *grpc.Server
	lis     net.Listener
	http    *http.Server
	httpLis net.Listener
	start   time.Time

	stopOnce sync.Once
	stopped  chan struct{} // closed when Stop begins: ends the watch streams and the expiry loop
	done     sync.WaitGroup
}

// StartHead starts a head serving on cfg.Bind:cfg.Port. It returns once the
// listener is bound; ctx bounds the start only. Stop it with Stop.
func StartHead(ctx context.Context, cfg HeadConfig) (*Head, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.Token == "" {
		return nil, fmt.Errorf("%w: HeadConfig.Token is empty", ErrNoToken)
	}
	if cfg.Bind == "" {
		cfg.Bind = "127.0.0.1"
	}
	if cfg.HeartbeatPeriod <= 0 {
		cfg.HeartbeatPeriod = DefaultHeartbeatPeriod
	}
	if cfg.NodeTimeout <= 0 {
		cfg.NodeTimeout = DefaultNodeTimeout
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = cfg.NodeTimeout
	}
	opts, err := serverOptions(cfg.Token, cfg.TLS)
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort(cfg.Bind, strconv.Itoa(cfg.Port))
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cluster: head listening on %s: %w", addr, err)
	}
	h := &Head{
		cfg:     cfg,
		store:   newStore(cfg.NodeTimeout, cfg.JobTimeout),
		srv:     grpc.NewServer(opts...),
		lis:     lis,
		start:   time.Now(),
		stopped: make(chan struct{}),
	}
	if cfg.Dashboard != nil {
		daddr := net.JoinHostPort(cfg.Bind, strconv.Itoa(cfg.DashboardPort))
		h.httpLis, err = net.Listen("tcp", daddr)
		if err != nil {
			lis.Close()
			return nil, fmt.Errorf("cluster: dashboard listening on %s: %w", daddr, err)
		}
		h.http = &http.Server{Handler: cfg.Dashboard(h), ReadHeaderTimeout: 10 * time.Second}
		h.done.Add(1)
		go func() {
			defer h.done.Done()
			h.http.Serve(h.httpLis)
		}()
	}
	pb.RegisterHeadServer(h.srv, &headService{h: h})
	h.done.Add(2)
	go func() {
		defer h.done.Done()
		h.srv.Serve(lis)
	}()
	go func() {
		defer h.done.Done()
		h.expireLoop()
	}()
	return h, nil
}

// Addr is the address the head serves on (host:port).
func (h *Head) Addr() string { return h.lis.Addr().String() }

// Port is the port the head serves on.
func (h *Head) Port() int { return h.lis.Addr().(*net.TCPAddr).Port }

// DashboardAddr is the dashboard's address, or "" without a dashboard.
func (h *Head) DashboardAddr() string {
	if h.httpLis == nil {
		return ""
	}
	return h.httpLis.Addr().String()
}

// Status returns the head's view, as GetClusterStatus does, without a
// round trip.
func (h *Head) Status() *pb.ClusterStatus {
	st := h.store.status(time.Now())
	st.HeadAddress = h.Addr()
	st.HeadStartUnixMs = h.start.UnixMilli()
	return st
}

// Stop stops serving: calls in flight finish unless ctx ends first, then the
// rest are cut. It is safe to call more than once.
func (h *Head) Stop(ctx context.Context) error {
	h.stopOnce.Do(func() {
		close(h.stopped)
		graceful := make(chan struct{})
		go func() {
			h.srv.GracefulStop()
			close(graceful)
		}()
		select {
		case <-graceful:
		case <-ctx.Done():
			h.srv.Stop()
			<-graceful
		}
		if h.http != nil {
			if err := h.http.Shutdown(ctx); err != nil {
				h.http.Close()
			}
		}
		h.done.Wait()
	})
	return nil
}

// expireLoop declares silent nodes dead and fails silent jobs. It ticks a
// few times per timeout so a death is seen soon after the timeout passes.
func (h *Head) expireLoop() {
	tick := max(min(h.cfg.NodeTimeout, h.cfg.JobTimeout)/4, time.Millisecond)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-h.stopped:
			return
		case now := <-t.C:
			h.store.expire(now)
		}
	}
}

// headService is the Head gRPC service over the store.
type headService struct {
	pb.UnimplementedHeadServer
	h *Head
}

func (s *headService) RegisterNode(_ context.Context, req *pb.RegisterNodeRequest) (*pb.RegisterNodeResponse, error) {
	id, err := s.h.store.registerNode(time.Now(), req)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.RegisterNodeResponse{
		NodeId:            id,
		HeartbeatPeriodMs: s.h.cfg.HeartbeatPeriod.Milliseconds(),
		NodeTimeoutMs:     s.h.cfg.NodeTimeout.Milliseconds(),
	}, nil
}

func (s *headService) Heartbeat(_ context.Context, req *pb.HeartbeatRequest) (*pb.HeartbeatResponse, error) {
	if err := s.h.store.heartbeat(time.Now(), req.GetNodeId(), req.GetStats()); err != nil {
		return nil, toStatus(err)
	}
	return &pb.HeartbeatResponse{}, nil
}

func (s *headService) UnregisterNode(_ context.Context, req *pb.UnregisterNodeRequest) (*pb.UnregisterNodeResponse, error) {
	if err := s.h.store.unregisterNode(time.Now(), req.GetNodeId(), req.GetReason()); err != nil {
		return nil, toStatus(err)
	}
	return &pb.UnregisterNodeResponse{}, nil
}

func (s *headService) RegisterJob(_ context.Context, req *pb.RegisterJobRequest) (*pb.RegisterJobResponse, error) {
	return &pb.RegisterJobResponse{
		JobId:             s.h.store.registerJob(time.Now(), req),
		HeartbeatPeriodMs: s.h.cfg.HeartbeatPeriod.Milliseconds(),
		JobTimeoutMs:      s.h.cfg.JobTimeout.Milliseconds(),
	}, nil
}

func (s *headService) JobHeartbeat(_ context.Context, req *pb.JobHeartbeatRequest) (*pb.JobHeartbeatResponse, error) {
	if err := s.h.store.jobHeartbeat(time.Now(), req.GetJobId()); err != nil {
		return nil, toStatus(err)
	}
	return &pb.JobHeartbeatResponse{}, nil
}

func (s *headService) FinishJob(_ context.Context, req *pb.FinishJobRequest) (*pb.FinishJobResponse, error) {
	if err := s.h.store.finishJob(time.Now(), req.GetJobId()); err != nil {
		return nil, toStatus(err)
	}
	return &pb.FinishJobResponse{}, nil
}

func (s *headService) RegisterActor(_ context.Context, req *pb.RegisterActorRequest) (*pb.RegisterActorResponse, error) {
	a, err := s.h.store.registerActor(req)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.RegisterActorResponse{Actor: a}, nil
}

func (s *headService) UpdateActor(_ context.Context, req *pb.UpdateActorRequest) (*pb.UpdateActorResponse, error) {
	a, err := s.h.store.updateActor(req)
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.UpdateActorResponse{Actor: a}, nil
}

func (s *headService) LookupActor(_ context.Context, req *pb.LookupActorRequest) (*pb.LookupActorResponse, error) {
	a, err := s.h.store.lookupActor(req.GetNamespace(), req.GetName())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.LookupActorResponse{Actor: a}, nil
}

func (s *headService) ListActors(_ context.Context, req *pb.ListActorsRequest) (*pb.ListActorsResponse, error) {
	return &pb.ListActorsResponse{Actors: s.h.store.listActors(req.GetNamespace())}, nil
}

func (s *headService) KVPut(_ context.Context, req *pb.KVPutRequest) (*pb.KVPutResponse, error) {
	added, err := s.h.store.kvPut(req.GetNamespace(), req.GetKey(), req.GetValue(), req.GetOverwrite())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.KVPutResponse{Added: added}, nil
}

func (s *headService) KVGet(_ context.Context, req *pb.KVGetRequest) (*pb.KVGetResponse, error) {
	v, err := s.h.store.kvGet(req.GetNamespace(), req.GetKey())
	if err != nil {
		return nil, toStatus(err)
	}
	return &pb.KVGetResponse{Value: v}, nil
}

func (s *headService) KVDelete(_ context.Context, req *pb.KVDeleteRequest) (*pb.KVDeleteResponse, error) {
	return &pb.KVDeleteResponse{Deleted: s.h.store.kvDelete(req.GetNamespace(), req.GetKey())}, nil
}

func (s *headService) KVList(_ context.Context, req *pb.KVListRequest) (*pb.KVListResponse, error) {
	return &pb.KVListResponse{Keys: s.h.store.kvList(req.GetNamespace(), req.GetPrefix())}, nil
}

func (s *headService) GetClusterStatus(context.Context, *pb.GetClusterStatusRequest) (*pb.ClusterStatus, error) {
	return s.h.Status(), nil
}

// WatchClusterStatus sends the status, then again after each change, no more
// often than the client asked (at least every 10ms).
func (s *headService) WatchClusterStatus(req *pb.WatchClusterStatusRequest, stream grpc.ServerStreamingServer[pb.ClusterStatus]) error {
	interval := max(time.Duration(req.GetMinIntervalMs())*time.Millisecond, 10*time.Millisecond)
	ctx := stream.Context()
	for {
		changed := s.h.store.watch()
		if err := stream.Send(s.h.Status()); err != nil {
			return err
		}
		t := time.NewTimer(interval)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.h.stopped:
			t.Stop()
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil
		case <-s.h.stopped:
			return nil
		}
	}
}
