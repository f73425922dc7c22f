package cluster

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Environment of a worker process: the node it connects to and the job it
// serves. The token travels in TokenEnv. A program that finds these set is
// a worker (runtime/remote checks them in Start).
const (
	EnvWorkerNode = "SHOAL_WORKER_NODE"
	EnvWorkerJob  = "SHOAL_WORKER_JOB"
	// The node's TLS certificate and key, when it serves TLS: a worker
	// serves its drivers with them too (it listens on the node's host).
	EnvWorkerTLSCert = "SHOAL_WORKER_TLS_CERT"
	EnvWorkerTLSKey  = "SHOAL_WORKER_TLS_KEY"
	// The CA a worker trusts to reach its node over TLS.
	EnvWorkerTLSCA = "SHOAL_WORKER_TLS_CA"
)

// WorkerStartTimeout bounds how long a Run waits for its workers to connect.
var WorkerStartTimeout = 60 * time.Second

// maxMessage bounds one message of a task stream: a batch of tasks or
// results carries their arguments and values inline.
const maxMessage = 1<<31 - 1

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// execService runs jobs' workers on the node.
type execService struct {
	pb.UnimplementedExecServer
	n *Node

	mu   sync.Mutex
	jobs map[string]*execJob
}

// execJob is one driver's job on this node.
type execJob struct {
	id       string
	registry []string
	ctx      context.Context
	fatal    chan string // first fatal error, for the driver
	hello    chan *pb.Hello
}

func (s *execService) binPath(sum string) string {
	return filepath.Join(s.n.sessionDir(), "bin", sum)
}

func (s *execService) HasBinary(_ context.Context, req *pb.HasBinaryRequest) (*pb.HasBinaryResponse, error) {
	if !shaPattern.MatchString(req.GetSha256()) {
		return nil, status.Errorf(codes.InvalidArgument, "cluster: binary sha256 %q is not 64 lowercase hex digits", req.GetSha256())
	}
	_, err := os.Stat(s.binPath(req.GetSha256()))
	return &pb.HasBinaryResponse{Present: err == nil}, nil
}

func (s *execService) UploadBinary(stream grpc.ClientStreamingServer[pb.BinaryChunk, pb.UploadBinaryResponse]) error {
	dir := filepath.Join(s.n.sessionDir(), "bin")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return status.Errorf(codes.Internal, "cluster: binary cache %s: %v", dir, err)
	}
	tmp, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return status.Errorf(codes.Internal, "cluster: binary cache %s: %v", dir, err)
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	defer tmp.Close()
	h := sha256.New()
	var want string
	var size int64
	for {
		c, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if want == "" {
			want = c.GetSha256()
			if !shaPattern.MatchString(want) {
				return status.Errorf(codes.InvalidArgument, "cluster: binary sha256 %q is not 64 lowercase hex digits", want)
			}
		}
		h.Write(c.GetData())
		if _, err := tmp.Write(c.GetData()); err != nil {
			return status.Errorf(codes.Internal, "cluster: writing %s: %v", tmp.Name(), err)
		}
		size += int64(len(c.GetData()))
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return status.Errorf(codes.InvalidArgument, "cluster: uploaded binary has sha256 %s, the upload named %s", got, want)
	}
	if err := tmp.Chmod(0o755); err != nil {
		return status.Errorf(codes.Internal, "cluster: %v", err)
	}
	if err := tmp.Close(); err != nil {
		return status.Errorf(codes.Internal, "cluster: %v", err)
	}
	// Renaming a complete file into place: a racing upload of the same
	// binary replaces it with identical content, and nobody runs a half file.
	if err := os.Rename(tmp.Name(), s.binPath(want)); err != nil {
		return status.Errorf(codes.Internal, "cluster: %v", err)
	}
	return stream.SendAndClose(&pb.UploadBinaryResponse{Size: size})
}

// Run serves one driver's job: it starts the workers, tells the driver
// where they listen, and reports the first worker that dies.
func (s *execService) Run(stream grpc.BidiStreamingServer[pb.DriverMessage, pb.NodeMessage]) error {
	first, err := stream.Recv()
	if err != nil {
		return err
	}
	start := first.GetStart()
	if start == nil || start.GetJobId() == "" {
		return status.Error(codes.InvalidArgument, "cluster: Run: the first message must be a StartJob with a job ID")
	}
	if !shaPattern.MatchString(start.GetSha256()) {
		return status.Errorf(codes.InvalidArgument, "cluster: Run: binary sha256 %q is not 64 lowercase hex digits", start.GetSha256())
	}
	bin := s.binPath(start.GetSha256())
	if _, err := os.Stat(bin); err != nil {
		return status.Errorf(codes.FailedPrecondition, "cluster: Run: node %s has no binary %s: upload it first", s.n.addr, start.GetSha256())
	}
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	j := &execJob{
		id:       start.GetJobId(),
		registry: start.GetRegistry(),
		ctx:      ctx,
		fatal:    make(chan string, 1),
		hello:    make(chan *pb.Hello, 64),
	}
	s.mu.Lock()
	if s.jobs == nil {
		s.jobs = map[string]*execJob{}
	}
	if _, dup := s.jobs[j.id]; dup {
		s.mu.Unlock()
		return status.Errorf(codes.AlreadyExists, "cluster: Run: job %s already runs on node %s", j.id, s.n.addr)
	}
	s.jobs[j.id] = j
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.jobs, j.id)
		s.mu.Unlock()
	}()

	// The node's CA is the cluster's (the head's); a node with a
	// self-signed certificate and a plaintext head is its own.
	ca := s.n.cfg.HeadTLSCA
	if ca == "" && s.n.cfg.TLS.CertFile != "" {
		ca = s.n.cfg.TLS.CertFile
	}
	nw := int(start.GetNumWorkers())
	if nw <= 0 {
		nw = max(1, int(s.n.cfg.CPUs))
	}
	var procs sync.WaitGroup
	defer procs.Wait()
	defer cancel() // kills the workers before waiting for them
	for i := 0; i < nw; i++ {
		cmd := exec.CommandContext(ctx, bin)
		// One worker per CPU, so one thread each unless the job says
		// otherwise (a later entry wins).
		cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
		cmd.Env = append(cmd.Env, start.GetEnv()...)
		cmd.Env = append(cmd.Env, EnvWorkerNode+"="+s.n.addr, EnvWorkerJob+"="+j.id, TokenEnv+"="+s.n.cfg.Token,
			EnvWorkerTLSCert+"="+s.n.cfg.TLS.CertFile, EnvWorkerTLSKey+"="+s.n.cfg.TLS.KeyFile, EnvWorkerTLSCA+"="+ca)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		cmd.WaitDelay = 5 * time.Second
		if err := cmd.Start(); err != nil {
			return status.Errorf(codes.Internal, "cluster: node %s starting worker %s: %v", s.n.addr, bin, err)
		}
		procs.Add(1)
		go func() {
			defer procs.Done()
			err := cmd.Wait()
			if ctx.Err() == nil {
				j.fail(fmt.Sprintf("worker pid %d of job %s on node %s exited: %v", cmd.Process.Pid, j.id, s.n.addr, err))
			}
		}()
	}
	timer := time.NewTimer(WorkerStartTimeout)
	defer timer.Stop()
	ready := &pb.Ready{}
	for len(ready.Workers) < nw {
		select {
		case h := <-j.hello:
			ready.Workers = append(ready.Workers, &pb.WorkerInfo{Pid: h.GetPid(), Address: h.GetAddress()})
		case msg := <-j.fatal:
			return stream.Send(&pb.NodeMessage{Msg: &pb.NodeMessage_Fatal{Fatal: msg}})
		case <-timer.C:
			msg := fmt.Sprintf("node %s: %d of %d workers connected within %v", s.n.addr, len(ready.Workers), nw, WorkerStartTimeout)
			return stream.Send(&pb.NodeMessage{Msg: &pb.NodeMessage_Fatal{Fatal: msg}})
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := stream.Send(&pb.NodeMessage{Msg: &pb.NodeMessage_Ready{Ready: ready}}); err != nil {
		return err
	}
	recvErr := make(chan error, 1)
	go func() {
		for {
			if _, err := stream.Recv(); err != nil {
				recvErr <- err
				return
			}
		}
	}()
	select {
	case msg := <-j.fatal:
		return stream.Send(&pb.NodeMessage{Msg: &pb.NodeMessage_Fatal{Fatal: msg}})
	case err := <-recvErr:
		if err == io.EOF {
			return nil
		}
		return err
	}
}

// fail reports a fatal error once.
func (j *execJob) fail(msg string) {
	select {
	case j.fatal <- msg:
	default:
	}
}

// Work checks a worker process in and holds it until its job ends.
func (s *execService) Work(req grpc.BidiStreamingServer[pb.WorkerMessage, pb.WorkerControl]) error {
	first, err := req.Recv()
	if err != nil {
		return err
	}
	hello := first.GetHello()
	if hello == nil {
		return status.Error(codes.InvalidArgument, "cluster: Work: the first message must be a Hello")
	}
	s.mu.Lock()
	j := s.jobs[hello.GetJobId()]
	s.mu.Unlock()
	if j == nil {
		return status.Errorf(codes.NotFound, "cluster: Work: node %s runs no job %q", s.n.addr, hello.GetJobId())
	}
	if diff := RegistryDiff(j.registry, hello.GetRegistry()); diff != "" {
		msg := fmt.Sprintf("worker pid %d on node %s refuses job %s: its registry differs from the driver's: %s", hello.GetPid(), s.n.addr, j.id, diff)
		j.fail(msg)
		return status.Error(codes.FailedPrecondition, msg)
	}
	select {
	case j.hello <- hello:
	case <-j.ctx.Done():
		return nil
	}
	select {
	case <-j.ctx.Done():
		return nil
	case <-req.Context().Done():
		return req.Context().Err()
	}
}

// RegistryDiff describes the first difference between two sorted registries
// (remote.Registered()), "" when they are equal.
func RegistryDiff(want, got []string) string {
	i, k := 0, 0
	for i < len(want) && k < len(got) {
		switch {
		case want[i] == got[k]:
			i++
			k++
		case want[i] < got[k]:
			return fmt.Sprintf("the worker lacks %q", want[i])
		default:
			return fmt.Sprintf("the worker has %q, which the driver lacks", got[k])
		}
	}
	if i < len(want) {
		return fmt.Sprintf("the worker lacks %q", want[i])
	}
	if k < len(got) {
		return fmt.Sprintf("the worker has %q, which the driver lacks", got[k])
	}
	return ""
}

// ServeWorker serves the Worker service on lis with the cluster's token
// check (and TLS, if tlsCfg has a certificate) until stop is called.
func ServeWorker(lis net.Listener, token string, tlsCfg TLSConfig, srv pb.WorkerServer) (stop func(), err error) {
	opts, err := serverOptions(token, tlsCfg)
	if err != nil {
		return nil, err
	}
	opts = append(opts, grpc.MaxRecvMsgSize(maxMessage), grpc.MaxSendMsgSize(maxMessage))
	g := grpc.NewServer(opts...)
	pb.RegisterWorkerServer(g, srv)
	go g.Serve(lis)
	return g.Stop, nil
}

// WorkerConn is a driver's connection to a worker process.
type WorkerConn struct {
	pb.WorkerClient
	conn *grpc.ClientConn
}

// DialWorker connects to the worker process serving at addr.
func DialWorker(addr, token string, opts ...DialOption) (*WorkerConn, error) {
	opts = append(opts, func(c *dialConfig) { c.bigMessages = true })
	conn, err := dial(addr, token, opts)
	if err != nil {
		return nil, err
	}
	return &WorkerConn{WorkerClient: pb.NewWorkerClient(conn), conn: conn}, nil
}

// Close closes the connection.
func (c *WorkerConn) Close() error { return c.conn.Close() }

// ExecConn is a connection to a node's Exec service.
type ExecConn struct {
	pb.ExecClient
	conn *grpc.ClientConn
}

// DialExec connects to the Exec service of the node at addr.
func DialExec(addr, token string, opts ...DialOption) (*ExecConn, error) {
	conn, err := dial(addr, token, opts)
	if err != nil {
		return nil, err
	}
	return &ExecConn{ExecClient: pb.NewExecClient(conn), conn: conn}, nil
}

// Close closes the connection.
func (c *ExecConn) Close() error { return c.conn.Close() }

// UploadBinary makes sure the node has the executable at path, whose sha256
// is sum, uploading it in chunks if it does not.
func (c *ExecConn) UploadBinary(ctx context.Context, path, sum string) error {
	has, err := c.HasBinary(ctx, &pb.HasBinaryRequest{Sha256: sum})
	if err != nil {
		return fmt.Errorf("cluster: asking for binary %s: %w", sum, err)
	}
	if has.GetPresent() {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cluster: uploading binary: %w", err)
	}
	defer f.Close()
	up, err := c.ExecClient.UploadBinary(ctx)
	if err != nil {
		return fmt.Errorf("cluster: uploading binary %s: %w", path, err)
	}
	buf := make([]byte, 1<<20)
	for {
		n, rerr := f.Read(buf)
		if n > 0 {
			if err := up.Send(&pb.BinaryChunk{Sha256: sum, Data: buf[:n]}); err != nil {
				_, err = up.CloseAndRecv()
				return fmt.Errorf("cluster: uploading binary %s: %w", path, err)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fmt.Errorf("cluster: uploading binary %s: %w", path, rerr)
		}
	}
	if _, err := up.CloseAndRecv(); err != nil {
		return fmt.Errorf("cluster: uploading binary %s: %w", path, err)
	}
	return nil
}
