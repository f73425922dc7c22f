package remote

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"sync"

	"github.com/shoaldata/shoal/runtime/cluster"
	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/grpc"
)

// workerRuntimeKey carries a worker's runtime in its tasks' contexts.
type workerRuntimeKey struct{}

// IsWorker reports whether this process was started by a cluster node as a
// worker of some job. In a worker, Start serves the node and never returns.
func IsWorker() bool { return os.Getenv(cluster.EnvWorkerNode) != "" }

// workerMain serves the node that started this process until the node
// ends the session, then exits the process.
func workerMain() {
	if err := serveWorker(os.Getenv(cluster.EnvWorkerNode), os.Getenv(cluster.EnvWorkerJob), os.Getenv(cluster.TokenEnv)); err != nil {
		fmt.Fprintf(os.Stderr, "shoal worker pid %d: %v\n", os.Getpid(), err)
		os.Exit(1)
	}
	os.Exit(0)
}

// worker runs tasks for its job's driver: each task on its own goroutine,
// actor instances kept by actor ID.
type worker struct {
	pb.UnimplementedWorkerServer

	// rt runs the tasks that this worker's tasks submit (RuntimeFrom), by
	// sending them to the driver over up.
	rt *Runtime
	up *clWorker

	mu        sync.Mutex
	instances map[uint64]any
}

// serveWorker serves the Worker service on the node's host, checks in with
// the node and runs until the node ends the session.
func serveWorker(node, job, token string) error {
	host, _, err := net.SplitHostPort(node)
	if err != nil {
		return fmt.Errorf("node address %q: %w", node, err)
	}
	lis, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	w := &worker{instances: map[uint64]any{}}
	tlsCfg := cluster.TLSConfig{CertFile: os.Getenv(cluster.EnvWorkerTLSCert), KeyFile: os.Getenv(cluster.EnvWorkerTLSKey)}
	stop, err := cluster.ServeWorker(lis, token, tlsCfg, w)
	if err != nil {
		lis.Close()
		return err
	}
	defer stop()
	var dopts []cluster.DialOption
	if ca := os.Getenv(cluster.EnvWorkerTLSCA); ca != "" {
		dopts = append(dopts, cluster.WithTLSCA(ca))
	}
	conn, err := cluster.DialExec(node, token, dopts...)
	if err != nil {
		return err
	}
	defer conn.Close()
	stream, err := conn.Work(context.Background())
	if err != nil {
		return fmt.Errorf("connecting to node %s: %w", node, err)
	}
	hello := &pb.Hello{JobId: job, Registry: Registered(), Pid: int64(os.Getpid()), Address: lis.Addr().String()}
	if err := stream.Send(&pb.WorkerMessage{Hello: hello}); err != nil {
		return fmt.Errorf("connecting to node %s: %w", node, err)
	}
	for {
		if _, err := stream.Recv(); err != nil {
			if err == io.EOF { // the job ended
				return nil
			}
			return fmt.Errorf("node %s: %w", node, err)
		}
	}
}

// Tasks runs the driver's tasks and streams their results back in batches.
func (w *worker) Tasks(stream grpc.BidiStreamingServer[pb.TaskBatch, pb.ResultBatch]) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	results := make(chan *pb.TaskResult, 1024)
	var running sync.Map // task ID -> context.CancelFunc
	sendErr := make(chan error, 1)
	w.mu.Lock()
	if w.rt == nil {
		// The first driver stream carries the nested tasks.
		w.up = &clWorker{node: "driver", addr: "driver", out: make(chan *pb.TaskSpec, 1024), done: make(chan struct{}),
			pending: map[uint64]chan *pb.TaskResult{}}
		rt, err := newRuntime(Config{}, float64(inFlightPerCPU*goruntime.NumCPU()), &clusterBackend{up: w.up})
		if err != nil {
			w.mu.Unlock()
			return err
		}
		w.rt = rt
	}
	up := w.up
	w.mu.Unlock()
	defer up.lose(errors.New("the driver's stream ended"))
	go func() {
		batch := &pb.ResultBatch{}
		for {
			batch.Results, batch.Submits = batch.Results[:0], batch.Submits[:0]
			select {
			case r := <-results:
				batch.Results = append(batch.Results, r)
			case t := <-up.out:
				batch.Submits = append(batch.Submits, t)
			case <-ctx.Done():
				return
			}
		drain:
			for len(batch.Results)+len(batch.Submits) < 512 {
				select {
				case r := <-results:
					batch.Results = append(batch.Results, r)
				case t := <-up.out:
					batch.Submits = append(batch.Submits, t)
				default:
					break drain
				}
			}
			if err := stream.Send(batch); err != nil {
				sendErr <- err
				cancel()
				return
			}
		}
	}()
	for {
		b, err := stream.Recv()
		if err != nil {
			select {
			case err = <-sendErr:
			default:
			}
			if err == io.EOF {
				return nil
			}
			return err
		}
		up.deliver(b.GetAnswers())
		for _, t := range b.GetTasks() {
			if t.GetKind() == pb.TaskSpec_CANCEL {
				// Its target came first on this stream, so it is known
				// here, unless it is done already.
				if c, ok := running.Load(t.GetTarget()); ok {
					c.(context.CancelFunc)()
				}
				continue
			}
			tctx, tcancel := context.WithCancel(context.WithValue(ctx, workerRuntimeKey{}, w.rt))
			running.Store(t.GetId(), tcancel)
			go func() {
				r := w.exec(tctx, t)
				running.Delete(t.GetId())
				tcancel()
				select {
				case results <- r:
				case <-ctx.Done():
				}
			}()
		}
	}
}

// exec runs one task and encodes its outcome.
func (w *worker) exec(ctx context.Context, t *pb.TaskSpec) (res *pb.TaskResult) {
	res = &pb.TaskResult{Id: t.GetId()}
	if t.GetKind() == pb.TaskSpec_ACTOR_DROP {
		w.mu.Lock()
		delete(w.instances, t.GetActorId())
		w.mu.Unlock()
		return res
	}
	fail := func(err error) *pb.TaskResult {
		_, res.Panicked = err.(*PanicError)
		res.Error = err.Error()
		res.Outs = nil
		return res
	}
	e := lookup(t.GetName())
	if e == nil {
		return fail(fmt.Errorf("worker pid %d has no registered %q", os.Getpid(), t.GetName()))
	}
	args := make([]any, len(t.GetArgs()))
	defer func() {
		for _, a := range args {
			if rc, ok := a.(refCounted); ok {
				rc.Release()
			}
		}
	}()
	for i, raw := range t.GetArgs() {
		c, err := e.sig.arg(i)
		if err == nil {
			args[i], err = c.dec(raw)
		}
		if err != nil {
			return fail(fmt.Errorf("argument %d: %w", i+1, err))
		}
	}
	nout := int(t.GetNumReturns())
	if t.GetKind() == pb.TaskSpec_ACTOR_NEW {
		nout = 1
	}
	out := make([]any, nout)
	defer func() {
		for _, o := range out {
			if rc, ok := o.(refCounted); ok {
				rc.Release()
			}
		}
	}()
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = &PanicError{Value: p, Stack: string(debug.Stack())}
			}
		}()
		switch t.GetKind() {
		case pb.TaskSpec_ACTOR_CALL:
			w.mu.Lock()
			self, ok := w.instances[t.GetActorId()]
			w.mu.Unlock()
			if !ok {
				// A crash of this process lost it: a system failure.
				return &PanicError{Value: fmt.Sprintf("actor %d has no instance in worker pid %d", t.GetActorId(), os.Getpid())}
			}
			return e.method(ctx, self, args, out)
		default:
			return e.invoke(ctx, args, out)
		}
	}()
	if err != nil {
		return fail(err)
	}
	if t.GetKind() == pb.TaskSpec_ACTOR_NEW {
		w.mu.Lock()
		w.instances[t.GetActorId()] = out[0]
		w.mu.Unlock()
		out[0] = nil
		return res
	}
	res.Outs = make([][]byte, len(out))
	for i, o := range out {
		c, err := e.sig.out(i)
		if err == nil {
			res.Outs[i], err = c.enc(o)
		}
		if err != nil {
			return fail(fmt.Errorf("result %d: %w", i+1, err))
		}
	}
	return res
}
