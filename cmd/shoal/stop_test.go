//go:build linux

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/shoaldata/shoal/runtime/cluster"
	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/protobuf/encoding/protojson"
)

// ignoreTermEnv makes the test binary, run as `TESTBIN start --block`, a
// stand-in for a node that ignores SIGTERM: stop must kill it.
const ignoreTermEnv = "SHOAL_TEST_IGNORE_TERM"

func TestMain(m *testing.M) {
	if os.Getenv(ignoreTermEnv) == "1" {
		signal.Ignore(syscall.SIGTERM)
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	code := m.Run()
	if shoalBin.dir != "" {
		os.RemoveAll(shoalBin.dir)
	}
	os.Exit(code)
}

// shoalBin is the shoal binary the process tests share, built once.
var shoalBin struct {
	once      sync.Once
	dir, path string
	err       error
}

// shoalSession builds shoal (once per test binary) and returns a fresh
// session directory and a runner of shoal commands in it: stdout, or an
// error carrying stderr.
func shoalSession(t *testing.T) (session string, shoal func(args ...string) (string, error)) {
	t.Helper()
	shoalBin.once.Do(func() {
		if shoalBin.dir, shoalBin.err = os.MkdirTemp("", "shoal-bin-*"); shoalBin.err != nil {
			return
		}
		shoalBin.path = filepath.Join(shoalBin.dir, "shoal")
		build := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", shoalBin.path, ".")
		if out, err := build.CombinedOutput(); err != nil {
			shoalBin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if shoalBin.err != nil {
		t.Fatal(shoalBin.err)
	}
	session = t.TempDir()
	env := append(os.Environ(), sessionEnv+"="+session, cluster.TokenEnv+"=")
	return session, func(args ...string) (string, error) {
		t.Helper()
		cmd := exec.Command(shoalBin.path, args...)
		cmd.Env = env
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if err != nil {
			err = fmt.Errorf("shoal %s: %w\n%s", strings.Join(args, " "), err, errb.String())
		}
		return out.String(), err
	}
}

func TestStopKillsANodeThatIgnoresTerm(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	t.Setenv(sessionEnv, t.TempDir())
	cmd := exec.Command(os.Args[0], "start", "--block")
	cmd.Env = append(os.Environ(), ignoreTermEnv+"=1")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-exited
	})
	// Wait until it runs as itself and ignores SIGTERM: its cmdline shows
	// once it is exec'd, and the signal is ignored soon after; poll for
	// both through /proc.
	deadline := time.Now().Add(20 * time.Second)
	for !processAlive(cmd.Process.Pid) || !ignoresTerm(cmd.Process.Pid) {
		if time.Now().After(deadline) {
			t.Fatal("the stand-in node did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// No node address: the Shutdown call fails at once, SIGTERM is
	// ignored, and stop kills it after the timeout.
	if err := writeRecord(nodeRecord{PID: cmd.Process.Pid, Role: "worker", NodeAddress: "", TokenFile: filepath.Join(t.TempDir(), "none")}); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runArgs(t, "stop", "--timeout", "300ms")
	want := fmt.Sprintf("Stopped worker  (pid %d, killed after 300ms).\n", cmd.Process.Pid)
	if code != exitOK || out != want || errs != "" {
		t.Errorf("exit %d, stdout %q, stderr %q; want %q", code, out, errs, want)
	}
	select {
	case <-exited:
	case <-time.After(20 * time.Second):
		t.Fatal("the stand-in node still runs")
	}
}

// ignoresTerm reads whether pid ignores SIGTERM (SigIgn in its status).
func ignoresTerm(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "SigIgn:\t"); ok {
			mask, err := strconv.ParseUint(v, 16, 64)
			return err == nil && mask&(1<<(uint(syscall.SIGTERM)-1)) != 0
		}
	}
	return false
}

func TestStopNothingRunning(t *testing.T) {
	t.Setenv(sessionEnv, t.TempDir())
	code, out, errs := runArgs(t, "stop")
	if code != exitOK || out != "No Shoal node is running on this machine.\n" || errs != "" {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

// A record left by a node that was killed is removed, and its pid (here
// this test's, which is not a shoal node) is not touched.
func TestStopRemovesStaleRecords(t *testing.T) {
	t.Setenv(sessionEnv, t.TempDir())
	for _, pid := range []int{os.Getpid(), 1 << 30} {
		if err := writeRecord(nodeRecord{PID: pid, Role: "worker"}); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := runArgs(t, "stop")
	if code != exitOK || out != "No Shoal node is running on this machine.\n" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if left, _ := filepath.Glob(filepath.Join(recordsDir(), "*")); len(left) != 0 {
		t.Errorf("records left: %v", left)
	}
}

func TestProcessAlive(t *testing.T) {
	if processAlive(os.Getpid()) {
		t.Error("the test process counts as a shoal node")
	}
	if processAlive(0) || processAlive(1<<30) {
		t.Error("a pid that is not running counts as alive")
	}
}

// setSubreaper makes this process adopt the daemons that `shoal start`
// leaves behind, so that it can reap them: this machine's init does not.
func setSubreaper(t *testing.T) {
	const prSetChildSubreaper = 36
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		t.Logf("PR_SET_CHILD_SUBREAPER: %v (zombies may stay)", errno)
	}
}

// reap waits for pid if it is this process's child.
func reap(pid int) {
	var ws syscall.WaitStatus
	syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
}

// TestClusterProcesses runs a head and two nodes as processes of the built
// binary, kills a node and checks the head declares it dead, then stops the
// rest.
func TestClusterProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts processes")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc")
	}
	setSubreaper(t)
	session, shoal := shoalSession(t)
	var pids []int
	t.Cleanup(func() {
		for _, pid := range pids {
			if processAlive(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			reap(pid)
		}
	})
	startAt := time.Now()
	out, err := shoal("start", "--head", "--port", "0", "--dashboard-port", "0", "--heartbeat-period", "100ms", "--node-timeout", "1s", "--num-cpus", "2", "--object-store-memory", "1GiB")
	if err != nil {
		t.Fatal(err)
	}
	out0 := out
	var head string
	var headPID int
	if _, err := fmt.Sscanf(out, "Started the Shoal head at %s (pid %d,", &head, &headPID); err != nil {
		t.Fatalf("start --head printed %q: %v", out, err)
	}
	pids = append(pids, headPID)
	if fi, err := os.Stat(filepath.Join(session, "token")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, %v; want mode 0600", fi, err)
	}
	workers := map[int]struct {
		cpus  float64
		bytes uint64
	}{}
	for _, w := range []struct{ cpus, mem string }{{"1", "256MiB"}, {"3", "512MiB"}} {
		out, err := shoal("start", "--address", head, "--num-cpus", w.cpus, "--object-store-memory", w.mem)
		if err != nil {
			t.Fatal(err)
		}
		var addr string
		var pid int
		if _, err := fmt.Sscanf(out, "Started a Shoal node at %s joining "+head+" (pid %d,", &addr, &pid); err != nil {
			t.Fatalf("start --address printed %q: %v", out, err)
		}
		pids = append(pids, pid)
		mem, _ := parseBytes(w.mem)
		cpus := map[string]float64{"1": 1, "3": 3}[w.cpus]
		workers[pid] = struct {
			cpus  float64
			bytes uint64
		}{cpus, mem}
	}
	t.Logf("head and 2 nodes started in %v", time.Since(startAt).Round(time.Millisecond))

	status := func() *pb.ClusterStatus {
		t.Helper()
		js, err := shoal("status", "--json")
		if err != nil {
			t.Fatal(err)
		}
		var st pb.ClusterStatus
		if err := protojson.Unmarshal([]byte(js), &st); err != nil {
			t.Fatalf("status --json: %v\n%s", err, js)
		}
		return &st
	}
	st := status()
	if st.HeadAddress != head || len(st.Nodes) != 3 || st.Totals.NodesAlive != 3 || st.Totals.Total.Cpus != 6 || st.Totals.Total.ObjectStoreBytes != 1<<30+768<<20 {
		t.Fatalf("status: head %s, %d nodes, totals %v", st.HeadAddress, len(st.Nodes), st.Totals)
	}
	checkDashboard(t, out0, filepath.Join(session, "token"))
	var victim *pb.NodeRecord
	for _, n := range st.Nodes {
		if n.State != pb.NodeRecord_ALIVE {
			t.Errorf("node %s (pid %d) is %s", n.NodeId, n.Pid, n.State)
		}
		if n.IsHead {
			if n.Pid != int64(headPID) || n.Resources.Cpus != 2 || n.Resources.ObjectStoreBytes != 1<<30 {
				t.Errorf("head node %v", n)
			}
			continue
		}
		w, ok := workers[int(n.Pid)]
		if !ok || n.Resources.Cpus != w.cpus || n.Resources.ObjectStoreBytes != w.bytes {
			t.Errorf("worker node %v, want %+v", n, w)
		}
		if n.Resources.Cpus == 1 {
			victim = n
		}
	}
	if victim == nil {
		t.Fatal("no worker with 1 CPU")
	}

	// SIGKILL: no goodbye, the head must notice the silence.
	if err := syscall.Kill(int(victim.Pid), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killedAt := time.Now()
	var dead *pb.NodeRecord
	for dead == nil {
		if time.Since(killedAt) > 15*time.Second {
			t.Fatalf("node %s not declared dead 15s after SIGKILL", victim.NodeId)
		}
		for _, n := range status().Nodes {
			if n.NodeId == victim.NodeId && n.State == pb.NodeRecord_DEAD {
				dead = n
			}
		}
	}
	t.Logf("declared dead %v after SIGKILL", time.Since(killedAt).Round(time.Millisecond))
	// Dead once 1s passed without a heartbeat, and soon after (the head
	// checks every 250ms; slack for a loaded machine).
	if silent := time.Duration(dead.DeadUnixMs-dead.LastHeartbeatUnixMs) * time.Millisecond; silent <= time.Second || silent > 5*time.Second || dead.DeathReason != "missed heartbeats" {
		t.Errorf("dead after %v of silence (%q), want just over the 1s timeout", silent, dead.DeathReason)
	}
	st = status()
	if st.Totals.NodesAlive != 2 || st.Totals.NodesDead != 1 || len(st.Nodes) != 3 {
		t.Errorf("after the kill: totals %v", st.Totals)
	}

	out, err = shoal("stop")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "Stopped worker ") || !strings.HasPrefix(lines[1], "Stopped head ") ||
		!strings.HasSuffix(lines[1], fmt.Sprintf("(pid %d, shut down).", headPID)) {
		t.Errorf("stop printed:\n%s", out)
	}
	for _, pid := range pids {
		reap(pid)
		if processAlive(pid) {
			t.Errorf("pid %d still running after stop", pid)
		}
		if err := syscall.Kill(pid, 0); err == nil || !errors.Is(err, syscall.ESRCH) {
			// Reaped by us, or a zombie of an init that does not reap.
			if stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); !bytes.Contains(stat, []byte(") Z")) {
				t.Errorf("pid %d: kill 0 = %v, stat %q", pid, err, stat)
			}
		}
	}
	if left, _ := filepath.Glob(filepath.Join(session, "nodes", "*")); len(left) != 0 {
		t.Errorf("records left: %v", left)
	}
	if out, err := shoal("stop"); err != nil || out != "No Shoal node is running on this machine.\n" {
		t.Errorf("second stop: %q, %v", out, err)
	}
}

// checkDashboard reads the dashboard address that start --head printed and
// checks that its JSON API, given the token, shows the three live nodes,
// and that without the token it refuses.
func checkDashboard(t *testing.T, startOut, tokenFile string) {
	t.Helper()
	token, err := os.ReadFile(tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	var page string
	for _, line := range strings.Split(startOut, "\n") {
		if u, ok := strings.CutPrefix(line, "Dashboard: "); ok {
			page = u
		}
	}
	base, tok, ok := strings.Cut(page, "/?token=")
	if !ok || tok != strings.TrimSpace(string(token)) || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("start --head printed dashboard %q, want http://127.0.0.1:PORT/?token=<the token file's>", page)
	}
	get := func(auth string) (*http.Response, []byte) {
		req, _ := http.NewRequest("GET", base+"/api/status", nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	if resp, _ := get(""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("dashboard without the token: %s, want 401", resp.Status)
	}
	resp, body := get(tok)
	var snap struct {
		Totals struct {
			NodesAlive int `json:"nodes_alive"`
			Resources  map[string]struct {
				Total float64 `json:"total"`
			} `json:"resources"`
		} `json:"totals"`
	}
	if err := json.Unmarshal(body, &snap); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("dashboard /api/status: %s %v\n%s", resp.Status, err, body)
	}
	if snap.Totals.NodesAlive != 3 || snap.Totals.Resources["CPU"].Total != 6 {
		t.Errorf("dashboard totals: %d nodes alive, %v CPUs; want 3 and 6\n%s", snap.Totals.NodesAlive, snap.Totals.Resources["CPU"].Total, body)
	}
}
