package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shoaldata/shoal/runtime/cluster"
	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/protobuf/encoding/protojson"
)

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]uint64{
		"2GiB": 2 << 30, "512MiB": 512 << 20, "1GB": 1e9, "1.5GiB": 3 << 29, "100": 100, "64K": 64 << 10, "3mb": 3e6, "1 TiB": 1 << 40,
	} {
		if got, err := parseBytes(in); err != nil || got != want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "GiB", "2XB", "-1GiB", "0", "1e30TiB"} {
		if _, err := parseBytes(in); err == nil || err.Error() != `"`+in+`" is not a size like 512MiB, 2GiB or 1GB` {
			t.Errorf("parseBytes(%q) error %v", in, err)
		}
	}
}

func TestStartUsageErrors(t *testing.T) {
	t.Setenv(sessionEnv, t.TempDir())
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{}, "shoal start: give either --head or --address HEAD:PORT\n"},
		{[]string{"--head", "--address", "h:1"}, "shoal start: give either --head or --address HEAD:PORT\n"},
		{[]string{"--head", "--tls-cert", "c.pem"}, "shoal start: --tls-cert and --tls-key go together\n"},
		{[]string{"--head", "--port", "70000"}, "shoal start: --port 70000: not a port\n"},
		{[]string{"--head", "--num-cpus", "0"}, "shoal start: --num-cpus 0: must be positive\n"},
		{[]string{"--head", "--object-store-memory", "lots"}, "shoal start: --object-store-memory: \"lots\" is not a size like 512MiB, 2GiB or 1GB\n"},
		{[]string{"--head", "extra"}, "shoal start: unexpected arguments [\"extra\"]\n"},
	} {
		code, out, errs := runArgs(t, append([]string{"start"}, tc.args...)...)
		if code != exitUsage || out != "" || errs != tc.msg {
			t.Errorf("start %q: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.args, code, out, errs, tc.msg)
		}
	}
}

func TestStartParseDefaults(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(sessionEnv, dir)
	f, err := parseStart([]string{"--head"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if f.port != 6380 || f.dashboardPort != 8265 || f.bind != "127.0.0.1" || f.objectStoreMemory != "2GiB" || f.tokenFile != filepath.Join(dir, "token") || f.block {
		t.Errorf("head defaults %+v", f)
	}
	f, err = parseStart([]string{"--address", "h:1"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if f.port != 0 || f.address != "h:1" {
		t.Errorf("node defaults %+v", f)
	}
}

// waitRecord polls the session directory until a node of role has left its
// record.
func waitRecord(t *testing.T, role string) nodeRecord {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		recs, err := readRecords()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if r.Role == role {
				return r
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no %s record in %s", role, sessionDir())
	return nodeRecord{}
}

// The foreground head in this process: it writes its token file (0600) and
// record, answers status, and removes the record when stopped.
func TestStartBlockHeadInProcess(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(sessionEnv, dir)
	t.Setenv(cluster.TokenEnv, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errb bytes.Buffer
	done := make(chan int)
	go func() {
		done <- run(ctx, []string{"start", "--head", "--block", "--port", "0", "--dashboard-port", "0", "--num-cpus", "3", "--object-store-memory", "1GiB"}, &out, &errb)
	}()
	rec := waitRecord(t, "head")
	if rec.PID != os.Getpid() || rec.TokenFile != filepath.Join(dir, "token") || rec.NodeID == "" {
		t.Errorf("record %+v", rec)
	}
	fi, err := os.Stat(filepath.Join(dir, "token"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("token file: %v, %v; want mode 0600", fi, err)
	}
	code, js, errs := runArgs(t, "status", "--address", rec.HeadAddress, "--json")
	if code != exitOK {
		t.Fatalf("status --json: exit %d: %s", code, errs)
	}
	var st pb.ClusterStatus
	if err := protojson.Unmarshal([]byte(js), &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Nodes) != 1 || !st.Nodes[0].IsHead || st.Nodes[0].Resources.Cpus != 3 || st.Nodes[0].Resources.ObjectStoreBytes != 1<<30 || st.Nodes[0].NodeId != rec.NodeID {
		t.Errorf("nodes %v", st.Nodes)
	}
	code, table, errs := runArgs(t, "status", "--address", rec.HeadAddress)
	if code != exitOK {
		t.Fatalf("status: exit %d: %s", code, errs)
	}
	lines := strings.Split(table, "\n")
	if lines[0] != "Head "+rec.HeadAddress+": 1 nodes alive, 0 dead" ||
		lines[1] != "Resources: 3 of 3 CPUs free; object store 0 B of 1.0 GiB used, 0 objects" ||
		lines[2] != "Tasks: 0 running, 0 pending; actors: 0 alive; jobs: 0 running" {
		t.Errorf("status header:\n%s", table)
	}
	if f := strings.Fields(lines[5]); len(f) < 12 || f[0] != rec.NodeID || f[1] != "ALIVE" || f[2] != rec.NodeAddress || f[3] != "head" || f[4] != "3" || f[6] != "1.0" || f[7] != "GiB" {
		t.Errorf("node row %q", f)
	}
	// A wrong token is refused.
	t.Setenv(cluster.TokenEnv, "wrong")
	code, _, errs = runArgs(t, "status", "--address", rec.HeadAddress)
	if code != exitError || errs != "shoal status: cluster: status from "+rec.HeadAddress+": cluster: unauthenticated: wrong token\n" {
		t.Errorf("status with a wrong token: exit %d, %q", code, errs)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("start --block exit %d: %s", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("start --block did not return after its context ended")
	}
	if _, err := os.Stat(recordPath(os.Getpid())); !os.IsNotExist(err) {
		t.Errorf("record left behind: %v", err)
	}
	if !strings.Contains(out.String(), "\nStarted the Shoal head at "+rec.HeadAddress+" (pid ") ||
		!strings.Contains(out.String(), "registered with head 127.0.0.1:") || !strings.HasSuffix(out.String(), "Stopping.\n") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestStatusWithoutHead(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(sessionEnv, dir)
	code, _, errs := runArgs(t, "status")
	if code != exitError || errs != "shoal status: no head started on this machine (session dir "+dir+"); give --address HEAD:PORT\n" {
		t.Errorf("exit %d, %q", code, errs)
	}
}

func TestStartNodeWithoutToken(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(sessionEnv, dir)
	t.Setenv(cluster.TokenEnv, "")
	code, _, errs := runArgs(t, "start", "--address", "127.0.0.1:1", "--block")
	want := "shoal start: cluster: no token: set SHOAL_TOKEN or create the token file: open " + filepath.Join(dir, "token") + ": no such file or directory\n"
	if code != exitError || errs != want {
		t.Errorf("exit %d, stderr %q; want %q", code, errs, want)
	}
}
