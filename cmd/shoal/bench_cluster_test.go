//go:build linux

package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/shoaldata/shoal/bench/runtimebench"
)

// TestBenchRuntimeOnCluster starts a head and a node as processes of the
// built binary and runs `shoal bench runtime --address` against them: the
// shoal binary is the driver, and the nodes start its workers from the
// copy it uploads.
func TestBenchRuntimeOnCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts processes")
	}
	setSubreaper(t)
	session, shoal := shoalSession(t)
	var pids []int
	t.Cleanup(func() {
		shoal("stop")
		for _, pid := range pids {
			if processAlive(pid) {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			reap(pid)
		}
	})
	out, err := shoal("start", "--head", "--port", "0", "--dashboard-port", "0", "--heartbeat-period", "100ms", "--node-timeout", "2s", "--num-cpus", "1")
	if err != nil {
		t.Fatal(err)
	}
	var head string
	var pid int
	if _, err := fmt.Sscanf(out, "Started the Shoal head at %s (pid %d,", &head, &pid); err != nil {
		t.Fatalf("start --head printed %q: %v", out, err)
	}
	pids = append(pids, pid)
	out, err = shoal("start", "--address", head, "--num-cpus", "1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Sscanf(out, "Started a Shoal node at %s joining "+head+" (pid %d,", new(string), &pid); err != nil {
		t.Fatalf("start --address printed %q: %v", out, err)
	}
	pids = append(pids, pid)

	out, err = shoal("bench", "runtime", "--address", head, "--token-file", filepath.Join(session, "token"),
		"--duration", "200ms", "--json", "--only", "single_client_tasks_async,1_1_actor_calls_sync")
	if err != nil {
		t.Fatal(err)
	}
	var results []runtimebench.Result
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("bench --json printed %q: %v", out, err)
	}
	if len(results) != 2 || results[0].Name != "single_client_tasks_async" || results[1].Name != "1_1_actor_calls_sync" {
		t.Fatalf("results %+v, want single_client_tasks_async and 1_1_actor_calls_sync", results)
	}
	for _, r := range results {
		if r.Ops <= 0 || r.Value <= 0 {
			t.Errorf("%s measured %d ops (%g %s)", r.Name, r.Ops, r.Value, r.Unit)
		}
	}
	// The nodes cached the driver's executable in the session directory,
	// under its sha256.
	exe, err := os.ReadFile(shoalBin.path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(exe)
	if _, err := os.Stat(filepath.Join(session, "bin", hex.EncodeToString(sum[:]))); err != nil {
		t.Errorf("the uploaded executable is not cached: %v", err)
	}
}
