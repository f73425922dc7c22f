package cluster

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
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

const testToken = "test-token-0123456789"

// Generous: the machine is shared and loaded.
const waitLimit = 20 * time.Second

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func startHead(t *testing.T, cfg HeadConfig) *Head {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	if cfg.HeartbeatPeriod == 0 {
		cfg.HeartbeatPeriod = 50 * time.Millisecond
	}
	if cfg.NodeTimeout == 0 {
		cfg.NodeTimeout = time.Second
	}
	h, err := StartHead(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Stop(context.Background()) })
	return h
}

func startNode(t *testing.T, cfg NodeConfig) *Node {
	t.Helper()
	if cfg.Token == "" {
		cfg.Token = testToken
	}
	n, err := StartNode(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Stop(context.Background()) })
	return n
}

func dialT(t *testing.T, addr string, opts ...DialOption) *Client {
	t.Helper()
	c, err := Dial(context.Background(), addr, testToken, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// waitFor polls cond until it holds, failing with its last description
// after waitLimit.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for {
		ok, desc := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s; last: %s", what, desc)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func findNode(st *pb.ClusterStatus, id string) *pb.NodeRecord {
	for _, n := range st.Nodes {
		if n.NodeId == id {
			return n
		}
	}
	return nil
}

// rawConn is a connection that sends whatever metadata the test gives it,
// or none.
func rawConn(t *testing.T, addr string) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient("passthrough:///"+addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func TestAuthRefusesMissingAndWrongToken(t *testing.T) {
	ctx := ctxT(t)
	h := startHead(t, HeadConfig{})
	n := startNode(t, NodeConfig{HeadAddress: h.Addr(), CPUs: 1})
	if err := n.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	conn := rawConn(t, h.Addr())
	head := pb.NewHeadClient(conn)
	nodeConn := rawConn(t, n.Addr())
	for _, tc := range []struct {
		name, md, msg string
	}{
		{"no token", "", "cluster: unauthenticated: no authorization metadata"},
		{"wrong token", "Bearer wrong", "cluster: unauthenticated: wrong token"},
		{"bare token", testToken, "cluster: unauthenticated: wrong token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cctx := ctx
			if tc.md != "" {
				cctx = metadata.AppendToOutgoingContext(ctx, "authorization", tc.md)
			}
			check := func(call string, err error) {
				t.Helper()
				if st, _ := status.FromError(err); st.Code() != codes.Unauthenticated || st.Message() != tc.msg {
					t.Errorf("%s: %v, want Unauthenticated %q", call, err, tc.msg)
				}
			}
			_, err := head.KVPut(cctx, &pb.KVPutRequest{Key: "k", Value: []byte("v")})
			check("KVPut", err)
			_, err = head.RegisterNode(cctx, &pb.RegisterNodeRequest{Address: "evil:1"})
			check("RegisterNode", err)
			_, err = head.RegisterJob(cctx, &pb.RegisterJobRequest{})
			check("RegisterJob", err)
			_, err = head.GetClusterStatus(cctx, &pb.GetClusterStatusRequest{})
			check("GetClusterStatus", err)
			stream, err := head.WatchClusterStatus(cctx, &pb.WatchClusterStatusRequest{})
			if err == nil {
				_, err = stream.Recv()
			}
			check("WatchClusterStatus", err)
			_, err = pb.NewNodeClient(nodeConn).Shutdown(cctx, &pb.ShutdownRequest{})
			check("Node.Shutdown", err)
		})
	}
	// Nothing ran: no key, no extra node, no job, and the node still serves.
	c := dialT(t, h.Addr())
	if _, err := c.KVGet(ctx, "", "k"); !errors.Is(err, ErrKeyNotFound) || status.Code(err) != codes.NotFound ||
		err.Error() != `cluster: KVGet "k": cluster: key not found: "k" in namespace ""` {
		t.Errorf("KVGet: %v", err)
	}
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Nodes) != 1 || st.Nodes[0].Address != n.Addr() || len(st.Jobs) != 0 {
		t.Errorf("status after refused calls: nodes %v jobs %v", st.Nodes, st.Jobs)
	}
	nc, err := DialNode(ctx, n.Addr(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if info, err := nc.Info(ctx); err != nil || info.NodeId != n.ID() {
		t.Errorf("node info after refused shutdown: %v, %v", info, err)
	}
	// Through the client API, a wrong token is ErrUnauthenticated.
	bad, err := Dial(ctx, h.Addr(), "wrong")
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := bad.KVPut(ctx, "", "k", nil, true); !errors.Is(err, ErrUnauthenticated) || status.Code(err) != codes.Unauthenticated {
		t.Errorf("client with a wrong token: %v", err)
	}
	if _, err := Dial(ctx, h.Addr(), ""); !errors.Is(err, ErrNoToken) {
		t.Errorf("dial with no token: %v", err)
	}
}

func TestHeadTokenFile(t *testing.T) {
	t.Setenv(TokenEnv, "")
	file := filepath.Join(t.TempDir(), "session", "token")
	tok, err := HeadToken(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != 64 {
		t.Fatalf("token %q: want 64 hex digits", tok)
	}
	fi, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", fi.Mode().Perm())
	}
	if di, _ := os.Stat(filepath.Dir(file)); di.Mode().Perm() != 0o700 {
		t.Errorf("token dir mode %v, want 0700", di.Mode().Perm())
	}
	// An existing file is reused, by the head and its clients.
	if again, err := HeadToken(file); err != nil || again != tok {
		t.Errorf("second HeadToken = %q, %v; want %q", again, err, tok)
	}
	if ct, err := ClientToken(file); err != nil || ct != tok {
		t.Errorf("ClientToken = %q, %v; want %q", ct, err, tok)
	}
	// The environment wins over the file.
	t.Setenv(TokenEnv, "from-env")
	if got, _ := HeadToken(file); got != "from-env" {
		t.Errorf("HeadToken with %s set = %q", TokenEnv, got)
	}
	if got, _ := ClientToken(file); got != "from-env" {
		t.Errorf("ClientToken with %s set = %q", TokenEnv, got)
	}
	t.Setenv(TokenEnv, "")
	missing := filepath.Join(t.TempDir(), "none")
	_, err = ClientToken(missing)
	if !errors.Is(err, ErrNoToken) || err.Error() != "cluster: no token: set SHOAL_TOKEN or create the token file: open "+missing+": no such file or directory" {
		t.Errorf("ClientToken of a missing file: %v", err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	if _, err := ClientToken(empty); err == nil || err.Error() != "cluster: no token: token file "+empty+" is empty" {
		t.Errorf("ClientToken of an empty file: %v", err)
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
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return certFile, keyFile
}

func TestTLS(t *testing.T) {
	ctx := ctxT(t)
	cert, key := selfSigned(t)
	h := startHead(t, HeadConfig{TLS: TLSConfig{CertFile: cert, KeyFile: key}})
	n := startNode(t, NodeConfig{HeadAddress: h.Addr(), HeadTLSCA: cert, CPUs: 3})
	if err := n.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	c := dialT(t, h.Addr(), WithTLSCA(cert))
	if _, err := c.KVPut(ctx, "ns", "k", []byte("v"), false); err != nil {
		t.Fatal(err)
	}
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Nodes) != 1 || st.Nodes[0].Resources.Cpus != 3 {
		t.Fatalf("nodes %v", st.Nodes)
	}
	// Plaintext against a TLS server does not get through.
	plain := dialT(t, h.Addr())
	short, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if _, err := plain.KVGet(short, "ns", "k"); status.Code(err) != codes.Unavailable && status.Code(err) != codes.DeadlineExceeded {
		t.Errorf("plaintext client on TLS: %v", err)
	}
	// TLS with a wrong token is refused.
	bad, err := Dial(ctx, h.Addr(), "wrong", WithTLSCA(cert))
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	if _, err := bad.KVGet(ctx, "ns", "k"); status.Code(err) != codes.Unauthenticated {
		t.Errorf("TLS with a wrong token: %v", err)
	}
	if _, err := StartHead(ctx, HeadConfig{Token: "x", TLS: TLSConfig{CertFile: cert, KeyFile: filepath.Join(t.TempDir(), "nokey")}}); err == nil {
		t.Error("StartHead with a missing key file succeeded")
	}
	if _, err := Dial(ctx, h.Addr(), testToken, WithTLSCA(key)); err == nil || err.Error() != "cluster: TLS CA "+key+": no PEM certificate in it" {
		t.Errorf("dial with a key as CA: %v", err)
	}
}

func TestNodesHeartbeatAndDie(t *testing.T) {
	ctx := ctxT(t)
	h := startHead(t, HeadConfig{})
	stats := &pb.NodeStats{Available: &pb.Resources{Cpus: 1.5, ObjectStoreBytes: 600}, TasksRunning: 2, TasksPending: 3, ObjectsCount: 7, ObjectsBytes: 400}
	a := startNode(t, NodeConfig{HeadAddress: h.Addr(), CPUs: 2, ObjectStoreBytes: 1000, Stats: func() *pb.NodeStats { return stats }})
	b := startNode(t, NodeConfig{HeadAddress: h.Addr(), CPUs: 4, ObjectStoreBytes: 2000})
	for _, n := range []*Node{a, b} {
		if err := n.WaitRegistered(ctx); err != nil {
			t.Fatal(err)
		}
	}
	c := dialT(t, h.Addr())
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.HeadAddress != h.Addr() || len(st.Nodes) != 2 {
		t.Fatalf("status %v", st)
	}
	tot := st.Totals
	if tot.NodesAlive != 2 || tot.Total.Cpus != 6 || tot.Total.ObjectStoreBytes != 3000 || tot.Available.Cpus != 5.5 ||
		tot.TasksRunning != 2 || tot.TasksPending != 3 || tot.ObjectsCount != 7 || tot.ObjectsBytes != 400 {
		t.Errorf("totals %v", tot)
	}
	ra := findNode(st, a.ID())
	if ra == nil || ra.Address != a.Addr() || ra.State != pb.NodeRecord_ALIVE || ra.Pid != int64(os.Getpid()) {
		t.Fatalf("node a record %v", ra)
	}
	nc, err := DialNode(ctx, b.Addr(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	info, err := nc.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.NodeId != b.ID() || !info.Registered || info.HeadAddress != h.Addr() || info.Resources.Cpus != 4 || info.Stats.Available.Cpus != 4 {
		t.Errorf("info %v", info)
	}
	// b stops the way a crash does: no goodbye, no more heartbeats.
	bid := b.ID()
	b.cancel()
	<-b.loopDone
	b.srv.Stop()
	waitFor(t, "b declared dead", func() (bool, string) {
		st, err := c.Status(ctx)
		if err != nil {
			return false, err.Error()
		}
		r := findNode(st, bid)
		return r.State == pb.NodeRecord_DEAD, r.String()
	})
	st, _ = c.Status(ctx)
	if r := findNode(st, bid); r.DeathReason != "missed heartbeats" || st.Totals.NodesAlive != 1 || st.Totals.NodesDead != 1 {
		t.Errorf("after b died: %v, totals %v", r, st.Totals)
	}
	// a leaves on purpose: dead at once, with the reason.
	aid := a.ID()
	if err := a.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	st, _ = c.Status(ctx)
	if r := findNode(st, aid); r.State != pb.NodeRecord_DEAD || r.DeathReason != "unregistered: stopped" {
		t.Errorf("after a stopped: %v", r)
	}
}

func TestDeadNodeRegistersAgainUnderNewID(t *testing.T) {
	ctx := ctxT(t)
	// The node heartbeats every 1.5s, the head waits only 300ms: each
	// heartbeat finds the node dead, and it registers again.
	h := startHead(t, HeadConfig{NodeTimeout: 300 * time.Millisecond})
	n := startNode(t, NodeConfig{HeadAddress: h.Addr(), HeartbeatPeriod: 1500 * time.Millisecond})
	if err := n.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	first := n.ID()
	c := dialT(t, h.Addr())
	waitFor(t, "a second registration", func() (bool, string) {
		st, err := c.Status(ctx)
		if err != nil {
			return false, err.Error()
		}
		return len(st.Nodes) >= 2, fmt.Sprint(st.Nodes)
	})
	st, _ := c.Status(ctx)
	if st.Nodes[0].NodeId != first || st.Nodes[0].State != pb.NodeRecord_DEAD || st.Nodes[1].NodeId == first || st.Nodes[1].Address != n.Addr() {
		t.Errorf("nodes %v", st.Nodes)
	}
}

func TestNodeRegistersWithRestartedHead(t *testing.T) {
	ctx := ctxT(t)
	h1 := startHead(t, HeadConfig{})
	port := h1.lis.Addr().(*net.TCPAddr).Port
	n := startNode(t, NodeConfig{HeadAddress: h1.Addr()})
	if err := n.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	first := n.ID()
	h1.Stop(ctx)
	h2 := startHead(t, HeadConfig{Port: port})
	c := dialT(t, h2.Addr())
	waitFor(t, "the node on the new head", func() (bool, string) {
		st, err := c.Status(ctx)
		if err != nil {
			return false, err.Error()
		}
		return len(st.Nodes) == 1 && st.Nodes[0].State == pb.NodeRecord_ALIVE, fmt.Sprint(st.Nodes)
	})
	st, _ := c.Status(ctx)
	if got := st.Nodes[0]; got.Address != n.Addr() || got.NodeId == first || got.NodeId != n.ID() {
		t.Errorf("node on the new head %v (first ID %s, now %s)", got, first, n.ID())
	}
}

func TestClientKVJobsActors(t *testing.T) {
	ctx := ctxT(t)
	h := startHead(t, HeadConfig{})
	n := startNode(t, NodeConfig{HeadAddress: h.Addr()})
	if err := n.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	c := dialT(t, h.Addr())
	if added, err := c.KVPut(ctx, "ns", "fn/a", []byte("1"), false); err != nil || !added {
		t.Fatalf("KVPut = %v, %v", added, err)
	}
	if added, err := c.KVPut(ctx, "ns", "fn/a", []byte("2"), false); err != nil || added {
		t.Fatalf("KVPut again = %v, %v", added, err)
	}
	if v, err := c.KVGet(ctx, "ns", "fn/a"); err != nil || string(v) != "1" {
		t.Fatalf("KVGet = %q, %v", v, err)
	}
	c.KVPut(ctx, "ns", "fn/b", nil, true)
	if keys, err := c.KVList(ctx, "ns", "fn/"); err != nil || fmt.Sprint(keys) != "[fn/a fn/b]" {
		t.Fatalf("KVList = %q, %v", keys, err)
	}
	if ok, err := c.KVDelete(ctx, "ns", "fn/a"); err != nil || !ok {
		t.Fatalf("KVDelete = %v, %v", ok, err)
	}

	job, err := c.RegisterJob(ctx, JobSpec{Entrypoint: "test", Namespace: "ns"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.RegisterActor(ctx, ActorSpec{Name: "counter", Namespace: "ns", Class: "Counter", NodeID: n.ID(), JobID: job.ID()})
	if err != nil || a.State != pb.ActorRecord_ALIVE {
		t.Fatalf("RegisterActor = %v, %v", a, err)
	}
	if _, err := c.RegisterActor(ctx, ActorSpec{Name: "counter", Namespace: "ns", Class: "Counter", JobID: job.ID()}); !errors.Is(err, ErrActorExists) || status.Code(err) != codes.AlreadyExists {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := c.RegisterActor(ctx, ActorSpec{Name: "keeper", Namespace: "ns", Class: "Store", JobID: job.ID(), Detached: true}); err != nil {
		t.Fatal(err)
	}
	if got, err := c.LookupActor(ctx, "ns", "counter"); err != nil || got.ActorId != a.ActorId || got.NodeId != n.ID() {
		t.Fatalf("LookupActor = %v, %v", got, err)
	}
	// Heartbeats keep the job running past the timeout (1s).
	time.Sleep(1500 * time.Millisecond)
	st, err := c.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Jobs) != 1 || st.Jobs[0].State != pb.JobRecord_RUNNING || st.Jobs[0].Entrypoint != "test" || st.Totals.ActorsAlive != 1 || st.Totals.JobsRunning != 1 {
		t.Fatalf("jobs %v totals %v", st.Jobs, st.Totals)
	}
	if err := job.Finish(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LookupActor(ctx, "ns", "counter"); !errors.Is(err, ErrActorNotFound) {
		t.Errorf("actor of a finished job: %v", err)
	}
	actors, err := c.ListActors(ctx, "ns")
	if err != nil || len(actors) != 1 || actors[0].Name != "keeper" || actors[0].State != pb.ActorRecord_PENDING {
		t.Errorf("ListActors = %v, %v", actors, err)
	}
	if got, err := c.UpdateActor(ctx, actors[0].ActorId, pb.ActorRecord_ALIVE, n.ID(), ""); err != nil || got.State != pb.ActorRecord_ALIVE {
		t.Errorf("UpdateActor = %v, %v", got, err)
	}

	// A driver that dies stops heartbeating: its job fails.
	dead, err := c.RegisterJob(ctx, JobSpec{Entrypoint: "crashes"})
	if err != nil {
		t.Fatal(err)
	}
	dead.cancel()
	<-dead.done
	waitFor(t, "the job failed", func() (bool, string) {
		st, err := c.Status(ctx)
		if err != nil {
			return false, err.Error()
		}
		j := st.Jobs[1]
		return j.State == pb.JobRecord_FAILED, j.String()
	})
}

func TestShutdownCallsOnShutdown(t *testing.T) {
	ctx := ctxT(t)
	h := startHead(t, HeadConfig{})
	got := make(chan string, 1)
	n := startNode(t, NodeConfig{HeadAddress: h.Addr(), OnShutdown: func(reason string) { got <- reason }})
	nc, err := DialNode(ctx, n.Addr(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if err := nc.Shutdown(ctx, "shoal stop"); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r != "shoal stop" {
			t.Errorf("reason %q", r)
		}
	case <-ctx.Done():
		t.Fatal("OnShutdown not called")
	}
	// Without OnShutdown the node stops itself and leaves the cluster.
	m := startNode(t, NodeConfig{HeadAddress: h.Addr()})
	if err := m.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	mid := m.ID()
	mc, err := DialNode(ctx, m.Addr(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close()
	if err := mc.Shutdown(ctx, "bye"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the node left", func() (bool, string) {
		r := findNode(h.Status(), mid)
		return r.State == pb.NodeRecord_DEAD, r.String()
	})
}

func TestWatchStatus(t *testing.T) {
	ctx := ctxT(t)
	h := startHead(t, HeadConfig{})
	c := dialT(t, h.Addr())
	var seen []int
	var n *Node
	err := c.WatchStatus(ctx, 10*time.Millisecond, func(st *pb.ClusterStatus) error {
		seen = append(seen, len(st.Nodes))
		if len(seen) == 1 {
			n = startNode(t, NodeConfig{HeadAddress: h.Addr()})
		}
		if len(st.Nodes) == 1 {
			return io.EOF
		}
		return nil
	})
	if err != io.EOF {
		t.Fatalf("WatchStatus = %v", err)
	}
	if seen[0] != 0 || seen[len(seen)-1] != 1 || n == nil {
		t.Errorf("node counts seen %v", seen)
	}
}

func TestDashboardHook(t *testing.T) {
	h := startHead(t, HeadConfig{Dashboard: func(h *Head) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, "%d nodes", len(h.Status().Nodes))
		})
	}})
	resp, err := http.Get("http://" + h.DashboardAddr() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if string(b) != "0 nodes" {
		t.Errorf("dashboard served %q", b)
	}
	if h2 := startHead(t, HeadConfig{}); h2.DashboardAddr() != "" {
		t.Errorf("no dashboard, DashboardAddr %q", h2.DashboardAddr())
	}
}

func TestStartErrors(t *testing.T) {
	ctx := ctxT(t)
	if _, err := StartHead(ctx, HeadConfig{}); !errors.Is(err, ErrNoToken) || err.Error() != "cluster: no token: HeadConfig.Token is empty" {
		t.Errorf("StartHead without token: %v", err)
	}
	h := startHead(t, HeadConfig{})
	port := strconv.Itoa(h.lis.Addr().(*net.TCPAddr).Port)
	if _, err := StartHead(ctx, HeadConfig{Token: "x", Port: h.lis.Addr().(*net.TCPAddr).Port}); err == nil ||
		err.Error() != "cluster: head listening on 127.0.0.1:"+port+": listen tcp 127.0.0.1:"+port+": bind: address already in use" {
		t.Errorf("StartHead on a taken port: %v", err)
	}
	if _, err := StartNode(ctx, NodeConfig{Token: "x"}); err == nil || err.Error() != "cluster: invalid argument: NodeConfig.HeadAddress is empty" {
		t.Errorf("StartNode without head: %v", err)
	}
}

// logSink collects a node's log lines.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logSink) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}

// A node started before its head retries quietly (one log line for the
// failure, not one per period) and registers once the head is up.
func TestNodeWaitsForHead(t *testing.T) {
	ctx := ctxT(t)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := lis.Addr().(*net.TCPAddr).Port
	lis.Close()
	addr := "127.0.0.1:" + strconv.Itoa(port)
	var logs logSink
	n := startNode(t, NodeConfig{HeadAddress: addr, HeartbeatPeriod: 30 * time.Millisecond, Logf: logs.logf})
	waitFor(t, "a failure logged", func() (bool, string) { return len(logs.get()) > 0, "" })
	time.Sleep(300 * time.Millisecond) // ten more attempts, none logged
	if got := logs.get(); len(got) != 1 || !strings.HasPrefix(got[0], "cluster: node "+n.Addr()+": ") {
		t.Fatalf("logs while the head is down: %q", got)
	}
	startHead(t, HeadConfig{Port: port})
	if err := n.WaitRegistered(ctx); err != nil {
		t.Fatal(err)
	}
	want := "cluster: node " + n.Addr() + " registered with head " + addr + " as " + n.ID()
	if got := logs.get(); len(got) != 2 || got[1] != want {
		t.Errorf("logs %q, want the failure then %q", got, want)
	}
}

// Closing the client stops its jobs' heartbeats: the goroutine ends and the
// head fails the job.
func TestClosedClientStopsJobHeartbeats(t *testing.T) {
	ctx := ctxT(t)
	h := startHead(t, HeadConfig{})
	c, err := Dial(ctx, h.Addr(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	job, err := c.RegisterJob(ctx, JobSpec{})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	select {
	case <-job.done:
	case <-ctx.Done():
		t.Fatal("the job's heartbeat goroutine still runs after Close")
	}
	if err := job.Err(); err != nil {
		t.Errorf("Err after Close = %v", err)
	}
	waitFor(t, "the job failed", func() (bool, string) {
		j := h.Status().Jobs[0]
		return j.State == pb.JobRecord_FAILED, j.String()
	})
}

// Heads starting at once with no token file agree on one token.
func TestHeadTokenRace(t *testing.T) {
	t.Setenv(TokenEnv, "")
	file := filepath.Join(t.TempDir(), "token")
	toks := make([]string, 8)
	var wg sync.WaitGroup
	for i := range toks {
		wg.Go(func() {
			tok, err := HeadToken(file)
			if err != nil {
				t.Error(err)
			}
			toks[i] = tok
		})
	}
	wg.Wait()
	for _, tok := range toks {
		if tok != toks[0] || len(tok) != 64 {
			t.Fatalf("tokens %q", toks)
		}
	}
}
