package remote

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shoaldata/shoal/runtime/cluster"
	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
)

// ErrNodeDied is the cause of work lost with its node (or the node's
// connection). Like a panic it is a system failure: a task is retried on
// another node up to MaxRetries, an actor restarts if MaxRestarts allows.
var ErrNodeDied = errors.New("remote: node died")

// inFlightPerCPU is how many tasks the driver keeps in flight per CPU of the
// cluster: the driver's scheduler admits tasks, the nodes' worker pools run
// them, and the window hides the round trip.
const inFlightPerCPU = 64

// clusterBackend runs a driver's tasks and actors on the worker processes of
// a cluster's nodes. The embedded scheduler still orders the work
// (dependencies, actor call order, retries); the backend replaces only the
// call of the user's code.
type clusterBackend struct {
	// up, in a worker process, is the stream to the driver: the tasks that
	// tasks submit go there, and the driver places them.
	up *clWorker

	head *cluster.Client
	job  *cluster.Job
	cpus float64 // at Start, for the admission window
	m    atomic.Pointer[members]

	mu     sync.Mutex      // serializes membership changes
	known  map[string]bool // node addresses opened or being opened
	closed bool
	watch  context.CancelFunc
}

// members is the nodes and workers the job runs on, replaced whole when a
// node joins, so that pick reads it without a lock.
type members struct {
	nodes   []*clNode
	workers []*clWorker
}

// add adds node n to the members, unless the backend is closed.
func (b *clusterBackend) add(n *clNode) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return false
	}
	old := b.m.Load()
	m := &members{nodes: append(slices.Clip(old.nodes), n), workers: append(slices.Clip(old.workers), n.workers...)}
	b.m.Store(m)
	return true
}

// watchNodes starts the job on nodes that join the cluster after Start.
func (b *clusterBackend) watchNodes(token string, dopts []cluster.DialOption, path, sum string, start *pb.StartJob) {
	ctx, cancel := context.WithCancel(context.Background())
	b.watch = cancel
	go b.head.WatchStatus(ctx, 200*time.Millisecond, func(st *pb.ClusterStatus) error {
		for _, rec := range st.GetNodes() {
			if rec.GetState() != pb.NodeRecord_ALIVE {
				continue
			}
			b.mu.Lock()
			fresh := !b.known[rec.GetAddress()] && !b.closed
			b.known[rec.GetAddress()] = true
			b.mu.Unlock()
			if !fresh {
				continue
			}
			go func() {
				octx, ocancel := context.WithTimeout(ctx, 2*cluster.WorkerStartTimeout)
				defer ocancel()
				n, err := openNode(octx, b, rec.GetNodeId(), rec.GetAddress(), token, dopts, path, sum, start)
				if err != nil {
					n = &clNode{id: rec.GetNodeId(), addr: rec.GetAddress(), err: err}
				}
				if !b.add(n) && err == nil {
					for _, w := range n.workers {
						w.lose(ErrShutdown)
					}
					n.close()
				}
			}()
		}
		return nil
	})
}

// wireIDs numbers the tasks sent to workers, unique in the process.
var wireIDs atomic.Uint64

// clNode is the driver's session with one node: it started the job's
// workers there, and ends (losing them) when the node dies.
type clNode struct {
	id      string // the head's ID of the node
	addr    string
	conn    *cluster.ExecConn
	stream  pb.Exec_RunClient
	cancel  context.CancelFunc
	workers []*clWorker
	err     error // set when the node refused the job

	ended  chan struct{} // closed when the session ends, after endErr is set
	endErr error
}

// clWorker is the driver's task stream to one worker process.
type clWorker struct {
	b        *clusterBackend // places the tasks this worker's tasks submit
	session  *clNode         // nil for a worker's stream to its driver
	answers  chan *pb.TaskResult
	nodeID   string
	node     string // the node's address, for errors
	addr     string
	conn     *cluster.WorkerConn
	stream   pb.Worker_TasksClient
	cancel   context.CancelFunc
	out      chan *pb.TaskSpec
	inflight atomic.Int64
	done     chan struct{} // closed when the worker is lost

	mu      sync.Mutex
	pending map[uint64]chan *pb.TaskResult
	err     error // why the worker is lost
}

// executable is the running program and its sha256, computed once.
var executable = sync.OnceValues(func() (string, error) {
	path, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return path + "\x00" + hex.EncodeToString(h.Sum(nil)), nil
})

// startCluster joins the cluster at cfg.Address: registers a job with the
// head, uploads this executable to every live node and starts the job's
// workers there. A node whose workers refuse the job (a registry mismatch)
// or fail to start is kept as lost, with the reason, so that the work it
// would get reports it.
func startCluster(ctx context.Context, cfg Config) (*clusterBackend, error) {
	token := cfg.Token
	if token == "" {
		var err error
		if token, err = cluster.ClientToken(cfg.TokenFile); err != nil {
			return nil, fmt.Errorf("remote: joining %s: %w", cfg.Address, err)
		}
	}
	var dopts []cluster.DialOption
	if cfg.TLSCA != "" {
		dopts = append(dopts, cluster.WithTLSCA(cfg.TLSCA))
	}
	head, err := cluster.Dial(ctx, cfg.Address, token, dopts...)
	if err != nil {
		return nil, fmt.Errorf("remote: joining %s: %w", cfg.Address, err)
	}
	st, err := head.Status(ctx)
	if err != nil {
		head.Close()
		return nil, fmt.Errorf("remote: joining %s: %w", cfg.Address, err)
	}
	exe, err := executable()
	if err != nil {
		head.Close()
		return nil, fmt.Errorf("remote: joining %s: reading this executable: %w", cfg.Address, err)
	}
	path, sum, _ := strings.Cut(exe, "\x00")
	job, err := head.RegisterJob(ctx, cluster.JobSpec{Entrypoint: strings.Join(os.Args, " ")})
	if err != nil {
		head.Close()
		return nil, fmt.Errorf("remote: joining %s: %w", cfg.Address, err)
	}
	b := &clusterBackend{head: head, job: job, known: map[string]bool{}}
	b.m.Store(&members{})
	var addrs, ids []string
	for _, n := range st.GetNodes() {
		if n.GetState() == pb.NodeRecord_ALIVE {
			addrs = append(addrs, n.GetAddress())
			ids = append(ids, n.GetNodeId())
			b.cpus += n.GetResources().GetCpus()
		}
	}
	if len(addrs) == 0 {
		b.close()
		return nil, fmt.Errorf("remote: joining %s: the cluster has no live node", cfg.Address)
	}
	start := &pb.StartJob{JobId: job.ID(), Sha256: sum, Registry: Registered(), NumWorkers: int32(cfg.WorkersPerNode), Env: cfg.WorkerEnv}
	nodes := make([]*clNode, len(addrs))
	errs := make([]error, len(addrs))
	var wg sync.WaitGroup
	for i, addr := range addrs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			nodes[i], errs[i] = openNode(ctx, b, ids[i], addr, token, dopts, path, sum, start)
		}()
	}
	wg.Wait()
	for _, n := range nodes {
		if n != nil {
			b.known[n.addr] = true
			b.add(n)
		}
	}
	for i, err := range errs {
		if err != nil {
			b.close()
			return nil, fmt.Errorf("remote: joining %s: node %s: %w", cfg.Address, addrs[i], err)
		}
	}
	b.watchNodes(token, dopts, path, sum, start)
	return b, nil
}

// openNode uploads the executable to the node at addr, starts the job there
// and connects to its workers. A refusal by the node (its workers' registry
// differs, they did not start) gives a node with err set, not an error.
func openNode(ctx context.Context, b *clusterBackend, id, addr, token string, dopts []cluster.DialOption, path, sum string, start *pb.StartJob) (*clNode, error) {
	conn, err := cluster.DialExec(addr, token, dopts...)
	if err != nil {
		return nil, err
	}
	if err := conn.UploadBinary(ctx, path, sum); err != nil {
		conn.Close()
		return nil, err
	}
	sctx, cancel := context.WithCancel(context.Background())
	n := &clNode{id: id, addr: addr, conn: conn, cancel: cancel, ended: make(chan struct{})}
	fail := func(err error) (*clNode, error) {
		for _, w := range n.workers {
			w.lose(ErrShutdown)
		}
		n.close()
		return nil, err
	}
	if n.stream, err = conn.Run(sctx); err != nil {
		return fail(err)
	}
	if err := n.stream.Send(&pb.DriverMessage{Start: start}); err != nil {
		return fail(err)
	}
	// The first answer says whether the workers are up; ctx bounds the wait.
	type answer struct {
		m   *pb.NodeMessage
		err error
	}
	first := make(chan answer, 1)
	go func() { m, err := n.stream.Recv(); first <- answer{m, err} }()
	var ready *pb.Ready
	select {
	case a := <-first:
		if a.err != nil {
			return fail(a.err)
		}
		if ready = a.m.GetReady(); ready == nil {
			n.err = errors.New(a.m.GetFatal())
			n.close()
			return n, nil
		}
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	for _, wi := range ready.GetWorkers() {
		w, err := openWorker(b, n, wi.GetAddress(), token, dopts)
		if err != nil {
			return fail(fmt.Errorf("worker pid %d at %s: %w", wi.GetPid(), wi.GetAddress(), err))
		}
		n.workers = append(n.workers, w)
	}
	// The session ends with the node (or a worker's death): its workers'
	// work is lost with it.
	go func() {
		err := errors.New("the node ended the session")
		for {
			m, rerr := n.stream.Recv()
			if rerr != nil {
				if rerr != io.EOF {
					err = rerr
				}
				break
			}
			if f := m.GetFatal(); f != "" {
				err = errors.New(f)
				break
			}
		}
		n.endErr = err
		close(n.ended)
		for _, w := range n.workers {
			w.lose(err)
		}
		n.close()
		b.forget(n)
	}()
	return n, nil
}

// forget drops node n, whose session ended, so that the job starts again
// there (fresh workers) if the head still lists it alive, or lists it again
// after a restart at the same address.
func (b *clusterBackend) forget(n *clNode) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	old := b.m.Load()
	m := &members{}
	for _, o := range old.nodes {
		if o != n {
			m.nodes = append(m.nodes, o)
		}
	}
	for _, w := range old.workers {
		if !slices.Contains(n.workers, w) {
			m.workers = append(m.workers, w)
		}
	}
	b.m.Store(m)
	delete(b.known, n.addr)
}

func (n *clNode) close() {
	n.cancel()
	n.conn.Close()
}

// openWorker opens the task stream to the worker at addr.
func openWorker(b *clusterBackend, n *clNode, addr, token string, dopts []cluster.DialOption) (*clWorker, error) {
	conn, err := cluster.DialWorker(addr, token, dopts...)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := conn.Tasks(ctx)
	if err != nil {
		cancel()
		conn.Close()
		return nil, err
	}
	w := &clWorker{b: b, session: n, answers: make(chan *pb.TaskResult, 1024), nodeID: n.id, node: n.addr, addr: addr, conn: conn, stream: stream, cancel: cancel, out: make(chan *pb.TaskSpec, 4096),
		done: make(chan struct{}), pending: map[uint64]chan *pb.TaskResult{}}
	go w.sendLoop()
	go w.recvLoop()
	return w, nil
}

// lose marks the worker lost for err and fails its pending work.
func (n *clWorker) lose(err error) {
	n.mu.Lock()
	if n.err != nil {
		n.mu.Unlock()
		return
	}
	n.err = err
	pending := n.pending
	n.pending = nil
	close(n.done)
	n.mu.Unlock()
	if n.conn != nil {
		n.cancel()
		n.conn.Close()
	}
	for id, ch := range pending {
		ch <- &pb.TaskResult{Id: id, Error: "\x00"} // "\x00": see nodeErr
	}
}

// nodeErr is the error of work lost with the worker.
func (n *clWorker) nodeErr() error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if errors.Is(n.err, ErrShutdown) {
		return ErrShutdown
	}
	return fmt.Errorf("%w: %s (worker %s): %v", ErrNodeDied, n.node, n.addr, n.err)
}

func (n *clWorker) sendLoop() {
	batch := &pb.TaskBatch{}
	for {
		batch.Tasks, batch.Answers = batch.Tasks[:0], batch.Answers[:0]
		select {
		case t := <-n.out:
			batch.Tasks = append(batch.Tasks, t)
		case r := <-n.answers:
			batch.Answers = append(batch.Answers, r)
		case <-n.done:
			return
		}
	drain:
		for len(batch.Tasks)+len(batch.Answers) < 512 {
			select {
			case t := <-n.out:
				batch.Tasks = append(batch.Tasks, t)
			case r := <-n.answers:
				batch.Answers = append(batch.Answers, r)
			default:
				break drain
			}
		}
		if err := n.stream.Send(batch); err != nil {
			n.lose(n.verdict(err))
			return
		}
	}
}

func (n *clWorker) recvLoop() {
	for {
		m, err := n.stream.Recv()
		if err != nil {
			if err == io.EOF {
				err = errors.New("the worker ended the session")
			}
			n.lose(n.verdict(err))
			return
		}
		n.deliver(m.GetResults())
		for _, t := range m.GetSubmits() {
			go n.relay(t)
		}
	}
}

// verdict is why the worker's stream broke with err: the node's account
// (the worker exited with some status, the node died) if it comes within a
// second, as it does when the worker process died, else err.
func (n *clWorker) verdict(err error) error {
	if n.session == nil {
		return err
	}
	t := time.NewTimer(time.Second)
	defer t.Stop()
	select {
	case <-n.session.ended:
		return n.session.endErr
	case <-n.done:
		return err
	case <-t.C:
		return err
	}
}

// deliver hands results to the calls waiting for them.
func (n *clWorker) deliver(results []*pb.TaskResult) {
	n.mu.Lock()
	for _, r := range results {
		if ch, ok := n.pending[r.GetId()]; ok {
			delete(n.pending, r.GetId())
			ch <- r
		}
	}
	n.mu.Unlock()
}

// relay places a task that a task on worker n submitted, and answers n with
// its result. The driver's scheduler does not admit it: the task waiting for
// it holds its CPU already, and a nested task must never wait for that.
func (n *clWorker) relay(t *pb.TaskSpec) {
	if t.GetKind() != pb.TaskSpec_FUNC {
		// Cancelling a nested task is not relayed: its result comes
		// anyway, and the worker's scheduler turns it into the
		// cancellation.
		return
	}
	id := t.GetId() // the worker's
	t.Id = wireIDs.Add(1)
	r, err := func() (*pb.TaskResult, error) {
		w, err := n.b.pick()
		if err != nil {
			return nil, err
		}
		return w.run(t, nil)
	}()
	if err != nil {
		r = &pb.TaskResult{Error: err.Error(), Panicked: errors.Is(err, ErrNodeDied)}
	}
	r.Id = id
	select {
	case n.answers <- r:
	case <-n.done:
	}
}

// pick returns the live worker with the least work in flight.
func (b *clusterBackend) pick() (*clWorker, error) {
	var best *clWorker
	var lost []string
	m := b.m.Load()
	for _, n := range m.nodes {
		if n.err != nil {
			lost = append(lost, fmt.Sprintf("node %s: %v", n.addr, n.err))
		}
	}
	for _, n := range m.workers {
		select {
		case <-n.done:
			lost = append(lost, n.nodeErr().Error())
			continue
		default:
		}
		if best == nil || n.inflight.Load() < best.inflight.Load() {
			best = n
		}
	}
	if best == nil {
		return nil, fmt.Errorf("remote: no live worker left: %s", strings.Join(lost, "; "))
	}
	return best, nil
}

// run sends t to the worker and waits for its result.
func (n *clWorker) run(t *pb.TaskSpec, cancelled <-chan struct{}) (*pb.TaskResult, error) {
	ch := make(chan *pb.TaskResult, 1)
	n.mu.Lock()
	if n.err != nil {
		n.mu.Unlock()
		return nil, n.nodeErr()
	}
	n.pending[t.Id] = ch
	n.mu.Unlock()
	n.inflight.Add(1)
	defer n.inflight.Add(-1)
	select {
	case n.out <- t:
	case <-n.done:
	}
	var r *pb.TaskResult
	select {
	case r = <-ch:
	case <-cancelled:
		// Cancel or Shutdown interrupted the task: the worker cancels its
		// context, and the result still comes (the scheduler turns it into
		// the interruption's error).
		c := &pb.TaskSpec{Id: wireIDs.Add(1), Kind: pb.TaskSpec_CANCEL, Name: t.Name, Target: t.Id}
		select {
		case n.out <- c:
		case <-n.done:
		}
		r = <-ch
	}
	if r.GetError() == "\x00" {
		return nil, n.nodeErr()
	}
	return r, nil
}

// call runs t's user code on the cluster: it encodes the arguments, sends
// the task to a node (an actor's calls to its node) and decodes the results
// into t.out.
func (b *clusterBackend) call(t *task) error {
	e := lookup(t.name)
	if e == nil {
		return fmt.Errorf("remote: %q is not registered", t.name)
	}
	spec := &pb.TaskSpec{Id: wireIDs.Add(1), Name: t.name, NumReturns: int32(len(t.out)), Args: make([][]byte, len(t.args))}
	for i, v := range t.args {
		c, err := e.sig.arg(i)
		if err == nil {
			spec.Args[i], err = c.enc(v)
		}
		if err != nil {
			return fmt.Errorf("argument %d: %w", i+1, err)
		}
	}
	var n *clWorker
	var err error
	switch a := t.actor; {
	case a == nil && b.up != nil:
		n = b.up
	case a == nil:
		n, err = b.pick()
	case b.up != nil:
		err = fmt.Errorf("remote: %v: actors cannot be created or called from a task running in a worker", a)
	case a.creation == t:
		spec.Kind, spec.ActorId = pb.TaskSpec_ACTOR_NEW, a.st.ID
		if n, err = b.pick(); err == nil {
			a.node.Store(n)
			err = b.placing(a)
		}
	default:
		spec.Kind, spec.ActorId = pb.TaskSpec_ACTOR_CALL, a.st.ID
		if n = a.node.Load(); n == nil {
			err = fmt.Errorf("%w: %v has no node", ErrActorDied, a)
		}
	}
	if err != nil {
		return err
	}
	r, err := n.run(spec, t.Done())
	if err != nil {
		return err
	}
	if msg := r.GetError(); msg != "" {
		if r.GetPanicked() {
			return &PanicError{Value: msg}
		}
		return errors.New(msg)
	}
	if t.actor != nil && t.actor.creation == t {
		t.out[0] = remoteInstance{}
		b.placed(t.actor, n)
		return nil
	}
	if len(r.GetOuts()) != len(t.out) {
		return fmt.Errorf("remote: worker %s returned %d results, want %d", n.addr, len(r.GetOuts()), len(t.out))
	}
	for i, raw := range r.GetOuts() {
		c, err := e.sig.out(i)
		if err == nil {
			t.out[i], err = c.dec(raw)
		}
		if err != nil {
			return fmt.Errorf("result %d: %w", i+1, err)
		}
	}
	return nil
}

// headTimeout bounds the directory updates of actors.
const headTimeout = 10 * time.Second

// placing records in the head's actor directory that a is being
// constructed: a new entry the first time (which claims its name
// cluster-wide, failing if another live actor holds it), a restart later.
func (b *clusterBackend) placing(a *actor) error {
	ctx, cancel := context.WithTimeout(context.Background(), headTimeout)
	defer cancel()
	if id := a.headID.Load(); id != nil {
		rec, err := b.head.UpdateActor(ctx, *id, pb.ActorRecord_RESTARTING, "", "")
		if err == nil && rec.GetState() != pb.ActorRecord_DEAD {
			return nil
		}
		// The head gave up on it first (it saw the node die and counted
		// the restart itself): the actor takes a new entry.
	}
	rec, err := b.head.RegisterActor(ctx, cluster.ActorSpec{
		Name: a.name, Class: a.typ.name, JobID: b.job.ID(), Detached: a.detached, MaxRestarts: int32(a.st.MaxRestarts),
	})
	if err != nil {
		return err
	}
	id := rec.GetActorId()
	a.headID.Store(&id)
	return nil
}

// placed records that a runs on w's node.
func (b *clusterBackend) placed(a *actor, w *clWorker) {
	if id := a.headID.Load(); id != nil {
		ctx, cancel := context.WithTimeout(context.Background(), headTimeout)
		defer cancel()
		b.head.UpdateActor(ctx, *id, pb.ActorRecord_ALIVE, w.nodeID, "") // best effort: the directory is for status
	}
}

// remoteInstance stands for an actor's instance, which lives in a worker.
type remoteInstance struct{}

// dropActor tells the actor's node to drop its instance and the head that
// it is dead.
func (b *clusterBackend) dropActor(a *actor) {
	if id := a.headID.Load(); id != nil {
		reason := a.deathErr().Error()
		go func() { // best effort, off the scheduler's path
			ctx, cancel := context.WithTimeout(context.Background(), headTimeout)
			defer cancel()
			b.head.UpdateActor(ctx, *id, pb.ActorRecord_DEAD, "", reason)
		}()
	}
	n := a.node.Load()
	if n == nil {
		return
	}
	t := &pb.TaskSpec{Id: wireIDs.Add(1), Kind: pb.TaskSpec_ACTOR_DROP, Name: a.typ.name, ActorId: a.st.ID}
	select {
	case n.out <- t:
	case <-n.done:
	}
}

// close ends the job: the nodes stop its workers.
func (b *clusterBackend) close() {
	b.mu.Lock()
	b.closed = true
	if b.watch != nil {
		b.watch()
	}
	b.mu.Unlock()
	m := b.m.Load()
	for _, w := range m.workers {
		w.lose(ErrShutdown)
	}
	for _, n := range m.nodes {
		if n.err == nil {
			n.close()
		}
	}
	if b.job != nil {
		ctx, cancel := context.WithTimeout(context.Background(), headTimeout)
		b.job.Finish(ctx)
		cancel()
	}
	b.head.Close()
}
