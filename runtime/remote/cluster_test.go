package remote_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/shoaldata/shoal/runtime/cluster"
	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"github.com/shoaldata/shoal/runtime/remote"
	"github.com/shoaldata/shoal/runtime/remote/remotetest"
)

// Environment of a test process started as a cluster node.
const (
	envNodeHead    = "REMOTE_TEST_NODE_HEAD"
	envNodeSession = "REMOTE_TEST_NODE_SESSION"
	envExtra       = "REMOTE_TEST_EXTRA"
	envNodeCert    = "REMOTE_TEST_NODE_CERT"
	envNodeKey     = "REMOTE_TEST_NODE_KEY"
)

// TestMain makes the test binary a driver, a node (envNodeHead) and, as the
// nodes start it, a worker.
func TestMain(m *testing.M) {
	if os.Getenv(envExtra) != "" {
		remote.Register0("ctest.extra", func(context.Context) (int, error) { return 0, nil })
	}
	// Workers inherit the node's environment: the worker check comes first.
	if head := os.Getenv(envNodeHead); head != "" && !remote.IsWorker() {
		os.Exit(runNode(head))
	}
	remotetest.Main(m)
}

func runNode(head string) int {
	cert := os.Getenv(envNodeCert)
	n, err := cluster.StartNode(context.Background(), cluster.NodeConfig{
		HeadAddress: head, Token: os.Getenv(cluster.TokenEnv), CPUs: 2,
		HeartbeatPeriod: 100 * time.Millisecond, SessionDir: os.Getenv(envNodeSession),
		HeadTLSCA: cert, TLS: cluster.TLSConfig{CertFile: cert, KeyFile: os.Getenv(envNodeKey)},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n.WaitRegistered(context.Background())
	select {} // until killed
}

var (
	cSquare = remote.Register1("ctest.square", func(_ context.Context, x int) (int, error) { return x * x, nil })
	cWhere  = remote.Register1("ctest.where", func(_ context.Context, _ int) (string, error) {
		return fmt.Sprintf("%d@%s", os.Getpid(), os.Getenv(cluster.EnvWorkerNode)), nil
	})
	cFail = remote.Register1("ctest.fail", func(_ context.Context, x int) (int, error) { return 0, fmt.Errorf("boom %d", x) })
	cMake = remote.Register1("ctest.makeRecord", func(_ context.Context, n int) (arrow.Record, error) {
		b := array.NewInt64Builder(memory.DefaultAllocator)
		defer b.Release()
		for i := range n {
			b.Append(int64(i))
		}
		col := b.NewArray()
		defer col.Release()
		schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
		return array.NewRecord(schema, []arrow.Array{col}, int64(n)), nil
	})
	cSum = remote.Register1("ctest.sumRecord", func(_ context.Context, r arrow.Record) (int64, error) {
		var s int64
		for _, v := range r.Column(0).(*array.Int64).Int64Values() {
			s += v
		}
		return s, nil
	})
	cSumSquares = remote.Register1("ctest.sumSquares", func(ctx context.Context, n int) (int, error) {
		rt := remote.RuntimeFrom(ctx)
		if rt == nil {
			return 0, errors.New("no runtime in the task's context")
		}
		var refs []remote.ObjectRef[int]
		for i := range n {
			refs = append(refs, cSquare.Remote(rt, remote.Val(i)))
		}
		sq, err := remote.GetAll(ctx, refs)
		sum := 0
		for _, v := range sq {
			sum += v
		}
		return sum, err
	})
	cSlow = remote.Register1("ctest.slowWhere", func(_ context.Context, d time.Duration) (string, error) {
		time.Sleep(d)
		return os.Getenv(cluster.EnvWorkerNode), nil
	})
)

type cCounter struct{ n int }

var (
	cCounterType = remote.RegisterActor1("ctest.Counter", func(_ context.Context, start int) (*cCounter, error) {
		return &cCounter{n: start}, nil
	})
	cCounterAdd = remote.RegisterMethod1("ctest.Counter.Add", func(_ context.Context, c *cCounter, d int) (int, error) {
		c.n += d
		return c.n, nil
	})
	cCounterNode = remote.RegisterMethod0("ctest.Counter.Node", func(_ context.Context, c *cCounter) (string, error) {
		return os.Getenv(cluster.EnvWorkerNode), nil
	})
)

// testCluster is a head in this process and nodes as processes of the test
// binary.
type testCluster struct {
	head  *cluster.Head
	token string
	cert  string // with TLS: the certificate every server uses, and the CA
	key   string
	nodes map[int]*exec.Cmd // by pid

	session string // the nodes' session directory
}

func startTestCluster(t *testing.T, nodes int) *testCluster {
	t.Helper()
	return startTestClusterTLS(t, nodes, "", "")
}

// startTestClusterTLS serves the head, the nodes and the workers with TLS
// when cert is set.
func startTestClusterTLS(t *testing.T, nodes int, cert, key string) *testCluster {
	t.Helper()
	if testing.Short() {
		t.Skip("starts processes")
	}
	token := "test-token-" + t.Name()
	head, err := cluster.StartHead(context.Background(), cluster.HeadConfig{
		Token: token, HeartbeatPeriod: 100 * time.Millisecond, NodeTimeout: 2 * time.Second,
		TLS: cluster.TLSConfig{CertFile: cert, KeyFile: key},
	})
	if err != nil {
		t.Fatal(err)
	}
	tc := &testCluster{head: head, token: token, cert: cert, nodes: map[int]*exec.Cmd{}}
	t.Cleanup(func() {
		for _, c := range tc.nodes {
			c.Process.Kill()
			c.Wait()
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		head.Stop(ctx)
	})
	tc.session, tc.key = t.TempDir(), key
	for range nodes {
		tc.addNode(t)
	}
	tc.waitAlive(t, nodes)
	return tc
}

// addNode starts one more node process.
func (tc *testCluster) addNode(t *testing.T) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envNodeHead+"="+tc.head.Addr(), envNodeSession+"="+tc.session, cluster.TokenEnv+"="+tc.token,
		envNodeCert+"="+tc.cert, envNodeKey+"="+tc.key)
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tc.nodes[cmd.Process.Pid] = cmd
}

func (tc *testCluster) waitAlive(t *testing.T, nodes int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for tc.alive() < nodes {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d nodes registered within a minute", tc.alive(), nodes)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (tc *testCluster) alive() int {
	n := 0
	for _, r := range tc.head.Status().GetNodes() {
		if r.GetState() == pb.NodeRecord_ALIVE {
			n++
		}
	}
	return n
}

// kill kills the node process serving at addr.
func (tc *testCluster) kill(t *testing.T, addr string) {
	t.Helper()
	for _, r := range tc.head.Status().GetNodes() {
		if r.GetAddress() == addr {
			if c, ok := tc.nodes[int(r.GetPid())]; ok {
				c.Process.Kill()
				c.Wait()
				delete(tc.nodes, int(r.GetPid()))
				return
			}
		}
	}
	t.Fatalf("no node process serves %s", addr)
}

func (tc *testCluster) join(t *testing.T, cfg remote.Config) *remote.Runtime {
	t.Helper()
	cfg.Address = tc.head.Addr()
	if cfg.Token == "" {
		cfg.Token = tc.token
	}
	if cfg.WorkersPerNode == 0 {
		cfg.WorkersPerNode = 1
	}
	cfg.TLSCA = tc.cert
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rt, err := remote.Start(ctx, cfg)
	if err != nil {
		t.Fatalf("remote.Start(Address: %s): %v", cfg.Address, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), remotetest.Patience)
		defer cancel()
		if err := rt.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return rt
}

// program runs the same work on any runtime and reports what it saw.
func program(t *testing.T, rt *remote.Runtime) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var out []string
	var refs []remote.ObjectRef[int]
	for i := range 20 {
		refs = append(refs, cSquare.Remote(rt, remote.Val(i)))
	}
	sq, err := remote.GetAll(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, fmt.Sprint("squares ", sq))
	nine := cSquare.Remote(rt, remote.Val(3))
	v, err := remote.Get(ctx, cSquare.Remote(rt, nine))
	out = append(out, fmt.Sprint("square(square(3)) ", v, err))
	put, err := remote.Put(rt, 7)
	if err != nil {
		t.Fatal(err)
	}
	v, err = remote.Get(ctx, cSquare.Remote(rt, put))
	out = append(out, fmt.Sprint("square(put 7) ", v, err))
	rec := cMake.Remote(rt, remote.Val(5))
	r, err := remote.Get(ctx, rec)
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, fmt.Sprint("record rows ", r.NumRows(), " cols ", r.NumCols()))
	s, err := remote.Get(ctx, cSum.Remote(rt, rec))
	out = append(out, fmt.Sprint("sum(record) ", s, err))
	// 16 MB each way: past gRPC's default 4 MiB message limit.
	big := cMake.Remote(rt, remote.Val(2_000_000))
	s, err = remote.Get(ctx, cSum.Remote(rt, big))
	out = append(out, fmt.Sprint("sum(big record) ", s, err))
	_, err = remote.Get(ctx, cFail.Remote(rt, remote.Val(4)))
	out = append(out, fmt.Sprint("fail: ", err))
	v, err = remote.Get(ctx, cSumSquares.Remote(rt, remote.Val(30)))
	out = append(out, fmt.Sprint("nested sumSquares(30) ", v, err))
	c, err := cCounterType.New(rt, remote.Val(10))
	if err != nil {
		t.Fatal(err)
	}
	var adds []remote.ObjectRef[int]
	for d := 1; d <= 5; d++ {
		adds = append(adds, cCounterAdd.Remote(c, remote.Val(d)))
	}
	got, err := remote.GetAll(ctx, adds)
	out = append(out, fmt.Sprint("counter ", got, err))
	return out
}

func TestClusterSameAnswersAsEmbedded(t *testing.T) {
	tc := startTestCluster(t, 2)
	want := program(t, newRuntime(t, remote.Config{}))
	rt := tc.join(t, remote.Config{})
	got := program(t, rt)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("cluster:\n%s\nembedded:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if want := "fail: remote: task ctest.fail: boom 4"; got[6] != want {
		t.Errorf("got %q, want %q", got[6], want)
	}

	// The tasks ran in worker processes of both nodes, not in the driver.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var refs []remote.ObjectRef[string]
	for i := range 200 {
		refs = append(refs, cWhere.Remote(rt, remote.Val(i)))
	}
	where, err := remote.GetAll(ctx, refs)
	if err != nil {
		t.Fatal(err)
	}
	nodes := map[string]bool{}
	for _, w := range where {
		pid, node, _ := strings.Cut(w, "@")
		if pid == fmt.Sprint(os.Getpid()) || node == "" {
			t.Fatalf("task ran at %q, want a worker process", w)
		}
		nodes[node] = true
	}
	if len(nodes) != 2 {
		t.Errorf("tasks ran on nodes %v, want both", nodes)
	}
}

func TestClusterRegistryMismatch(t *testing.T) {
	tc := startTestCluster(t, 1)
	rt := tc.join(t, remote.Config{WorkerEnv: []string{envExtra + "=1"}})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := remote.Get(ctx, cSquare.Remote(rt, remote.Val(2)))
	want := `its registry differs from the driver's: the worker has "function ctest.extra", which the driver lacks`
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Get = %v, want an error containing %q", err, want)
	}
}

func TestClusterTokenRequired(t *testing.T) {
	tc := startTestCluster(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := remote.Start(ctx, remote.Config{Address: tc.head.Addr(), Token: "wrong"})
	if !errors.Is(err, cluster.ErrUnauthenticated) {
		t.Fatalf("Start with a wrong token = %v, want cluster.ErrUnauthenticated", err)
	}
}

func TestClusterNodeDeath(t *testing.T) {
	tc := startTestCluster(t, 2)
	rt := tc.join(t, remote.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	a, err := cCounterType.Options(remote.Name("survivor"), remote.MaxRestarts(1)).New(rt, remote.Val(10))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := remote.Get(ctx, cCounterAdd.Remote(a, remote.Val(5))); v != 15 || err != nil {
		t.Fatalf("Add(5) = %d, %v; want 15", v, err)
	}
	first, err := remote.Get(ctx, cCounterNode.Remote(a))
	if err != nil {
		t.Fatal(err)
	}
	// Slow tasks on both nodes, then the actor's node dies under them.
	var slow []remote.ObjectRef[string]
	for range 4 {
		slow = append(slow, cSlow.Remote(rt, remote.Val(time.Second)))
	}
	time.Sleep(200 * time.Millisecond)
	tc.kill(t, first)

	where, err := remote.GetAll(ctx, slow)
	if err != nil {
		t.Fatalf("slow tasks after a node died: %v", err)
	}
	for _, w := range where {
		if w == first {
			t.Errorf("a slow task reports the dead node %s", first)
		}
	}
	// The call that meets the dead node fails; the actor restarts elsewhere
	// from its constructor.
	_, err = remote.Get(ctx, cCounterAdd.Remote(a, remote.Val(1)))
	if !errors.Is(err, remote.ErrNodeDied) {
		t.Fatalf("Add after its node died = %v, want ErrNodeDied", err)
	}
	if v, err := remote.Get(ctx, cCounterAdd.Remote(a, remote.Val(1))); v != 11 || err != nil {
		t.Fatalf("Add(1) after the restart = %d, %v; want 11", v, err)
	}
	now, err := remote.Get(ctx, cCounterNode.Remote(a))
	if err != nil || now == first {
		t.Fatalf("actor runs on %q (%v), want a node other than %s", now, err, first)
	}
	h, err := remote.GetActor[cCounter](rt, "survivor")
	if err != nil || h.ID() != a.ID() {
		t.Fatalf("GetActor(survivor) = %v, %v", h, err)
	}
	// The head's directory saw the restart and where the actor lives now.
	var found *pb.ActorRecord
	for _, r := range tc.head.Status().GetActors() {
		if r.GetName() == "survivor" {
			found = r
		}
	}
	if found == nil || found.GetState() != pb.ActorRecord_ALIVE || found.GetRestarts() != 1 || found.GetClassName() != "ctest.Counter" {
		t.Fatalf("head's record of survivor = %v; want ALIVE ctest.Counter with 1 restart", found)
	}
	if got := tc.nodeAddr(found.GetNodeId()); got != now {
		t.Errorf("head places survivor on %q, the actor says %q", got, now)
	}
}

// nodeAddr is the address of the node with ID id.
func (tc *testCluster) nodeAddr(id string) string {
	for _, r := range tc.head.Status().GetNodes() {
		if r.GetNodeId() == id {
			return r.GetAddress()
		}
	}
	return ""
}

func TestClusterActorNameIsClusterWide(t *testing.T) {
	tc := startTestCluster(t, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rt1 := tc.join(t, remote.Config{})
	rt2 := tc.join(t, remote.Config{})
	a1, err := cCounterType.Options(remote.Name("solo")).New(rt1, remote.Val(1))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := remote.Get(ctx, cCounterAdd.Remote(a1, remote.Val(1))); v != 2 || err != nil {
		t.Fatalf("Add on the first solo = %d, %v; want 2", v, err)
	}
	a2, err := cCounterType.Options(remote.Name("solo")).New(rt2, remote.Val(1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = remote.Get(ctx, cCounterAdd.Remote(a2, remote.Val(1)))
	if !errors.Is(err, remote.ErrActorDied) || !errors.Is(err, cluster.ErrActorExists) {
		t.Fatalf("Add on the second solo = %v, want ErrActorDied wrapping cluster.ErrActorExists", err)
	}
}

func TestClusterTLS(t *testing.T) {
	cert, key := selfSigned(t)
	tc := startTestClusterTLS(t, 1, cert, key)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rt := tc.join(t, remote.Config{})
	if v, err := remote.Get(ctx, cSquare.Remote(rt, remote.Val(12))); v != 144 || err != nil {
		t.Fatalf("square(12) over TLS = %d, %v; want 144", v, err)
	}
	c, err := cCounterType.New(rt, remote.Val(1))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := remote.Get(ctx, cCounterAdd.Remote(c, remote.Val(2))); v != 3 || err != nil {
		t.Fatalf("Add(2) over TLS = %d, %v; want 3", v, err)
	}
	// Without the CA, the driver cannot join.
	_, err = remote.Start(ctx, remote.Config{Address: tc.head.Addr(), Token: tc.token})
	if err == nil || !strings.Contains(err.Error(), "remote: joining "+tc.head.Addr()) {
		t.Fatalf("Start without the CA = %v, want a joining error", err)
	}
}

// selfSigned writes a self-signed certificate for 127.0.0.1 and its key.
func selfSigned(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "shoal-test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

var cBlock = remote.Register1("ctest.block", func(ctx context.Context, d time.Duration) (int, error) {
	select {
	case <-ctx.Done():
		return 0, ctx.Err()
	case <-time.After(d):
		return 1, nil
	}
})

func TestClusterCancel(t *testing.T) {
	tc := startTestCluster(t, 1)
	rt := tc.join(t, remote.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	ref := cBlock.Remote(rt, remote.Val(time.Minute))
	if _, notReady, _ := remote.Wait(ctx, []remote.ObjectRef[int]{ref}, 1, 100*time.Millisecond); len(notReady) != 1 {
		t.Fatal("a task blocking for a minute finished")
	}
	if err := remote.Cancel(ref); err != nil {
		t.Fatal(err)
	}
	_, err := remote.Get(ctx, ref)
	if !errors.Is(err, remote.ErrCancelled) {
		t.Fatalf("Get of a cancelled task = %v, want ErrCancelled", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("the cancelled task took %v: the worker did not see the cancellation", d)
	}
	// The worker is free again.
	if v, err := remote.Get(ctx, cBlock.Remote(rt, remote.Val(time.Duration(0)))); v != 1 || err != nil {
		t.Fatalf("block(0) after a cancel = %d, %v; want 1", v, err)
	}
}

func TestClusterNodeJoinsLater(t *testing.T) {
	tc := startTestCluster(t, 1)
	rt := tc.join(t, remote.Config{})
	tc.addNode(t)
	tc.waitAlive(t, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The driver starts the job on the new node once the head lists it;
	// poll until tasks land there.
	for {
		var refs []remote.ObjectRef[string]
		for i := range 20 {
			refs = append(refs, cWhere.Remote(rt, remote.Val(i)))
		}
		where, err := remote.GetAll(ctx, refs)
		if err != nil {
			t.Fatal(err)
		}
		nodes := map[string]bool{}
		for _, w := range where {
			_, node, _ := strings.Cut(w, "@")
			nodes[node] = true
		}
		if len(nodes) == 2 {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("tasks still run on %v only", nodes)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var cExit = remote.Register1("ctest.exit", func(_ context.Context, code int) (int, error) {
	os.Exit(code)
	return 0, nil
})

func TestClusterWorkerCrash(t *testing.T) {
	tc := startTestCluster(t, 1)
	rt := tc.join(t, remote.Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	_, err := remote.Get(ctx, cExit.Options(remote.MaxRetries(0)).Remote(rt, remote.Val(3)))
	if !errors.Is(err, remote.ErrNodeDied) || !strings.Contains(err.Error(), "exited: exit status 3") {
		t.Fatalf("Get of a task that exits its worker = %v, want ErrNodeDied saying the worker exited with status 3", err)
	}
	// The driver starts the job again on the node, with a fresh worker.
	for {
		v, err := remote.Get(ctx, cSquare.Remote(rt, remote.Val(5)))
		if err == nil {
			if v != 25 {
				t.Fatalf("square(5) = %d, want 25", v)
			}
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("no worker again within a minute: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
