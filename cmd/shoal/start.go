package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/shoaldata/shoal/runtime/cluster"
)

var startCommand = command{
	usage:   "start (--head | --address HEAD:PORT) [flags]",
	summary: "start a cluster node (the head, or one joining it) in the background, or in the foreground with --block",
	run:     runStart,
}

// sessionEnv overrides the session directory (tests use their own).
const sessionEnv = "SHOAL_SESSION_DIR"

// sessionDir is where this machine's nodes leave their records, logs and the
// head's default token file: $SHOAL_SESSION_DIR, else $TMPDIR/shoal-<uid>.
func sessionDir() string {
	if d := os.Getenv(sessionEnv); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "shoal-"+strconv.Itoa(os.Getuid()))
}

// logEnv tells a node started in the background where its log goes, for
// its record.
const logEnv = "SHOAL_NODE_LOG"

func defaultTokenFile() string { return filepath.Join(sessionDir(), "token") }

// A nodeRecord is what a running node leaves in the session directory, so
// that status finds the head and stop finds every node.
type nodeRecord struct {
	PID         int    `json:"pid"`
	Role        string `json:"role"`         // "head" or "worker"
	HeadAddress string `json:"head_address"` // the head's gRPC address
	NodeAddress string `json:"node_address"` // this node's daemon
	NodeID      string `json:"node_id"`      // at its first registration
	TLSCA       string `json:"tls_ca,omitempty"`
	TokenFile   string `json:"token_file"`
	Dashboard   string `json:"dashboard,omitempty"`
	Log         string `json:"log,omitempty"`
}

func recordsDir() string { return filepath.Join(sessionDir(), "nodes") }

func recordPath(pid int) string { return filepath.Join(recordsDir(), strconv.Itoa(pid)+".json") }

// writeRecord writes r atomically: a reader sees the whole record or none.
func writeRecord(r nodeRecord) error {
	if err := os.MkdirAll(recordsDir(), 0o700); err != nil {
		return fmt.Errorf("session dir: %w", err)
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	tmp := recordPath(r.PID) + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("session dir: %w", err)
	}
	if err := os.Rename(tmp, recordPath(r.PID)); err != nil {
		return fmt.Errorf("session dir: %w", err)
	}
	return nil
}

func readRecord(path string) (nodeRecord, error) {
	var r nodeRecord
	b, err := os.ReadFile(path)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return r, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// readRecords returns the records in the session directory, heads last (stop
// stops the workers before the head they report to).
func readRecords() ([]nodeRecord, error) {
	paths, err := filepath.Glob(filepath.Join(recordsDir(), "*.json"))
	if err != nil {
		return nil, err
	}
	var heads, workers []nodeRecord
	for _, p := range paths {
		r, err := readRecord(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue // its node just stopped
		}
		if err != nil {
			return nil, err
		}
		if r.Role == "head" {
			heads = append(heads, r)
		} else {
			workers = append(workers, r)
		}
	}
	return append(workers, heads...), nil
}

type startFlags struct {
	head              bool
	address           string
	port              int
	dashboardPort     int
	objectStoreMemory string
	numCPUs           float64
	bind              string
	advertise         string
	tokenFile         string
	block             bool
	tlsCert, tlsKey   string
	tlsCA             string
	heartbeatPeriod   time.Duration
	nodeTimeout       time.Duration
	readyTimeout      time.Duration
}

func parseStart(args []string, stderr io.Writer) (*startFlags, error) {
	var f startFlags
	set := flag.NewFlagSet("shoal start", flag.ContinueOnError)
	set.SetOutput(stderr)
	set.BoolVar(&f.head, "head", false, "start the head: the control store and a node")
	set.StringVar(&f.address, "address", "", "start a node joining the head at `HEAD:PORT`")
	set.IntVar(&f.port, "port", -1, "the gRPC port (default 6380 for the head, any free port for a node)")
	set.IntVar(&f.dashboardPort, "dashboard-port", 8265, "the head's dashboard port")
	set.StringVar(&f.objectStoreMemory, "object-store-memory", "2GiB", "the node's object store capacity (e.g. 512MiB, 2GiB, 1GB)")
	set.Float64Var(&f.numCPUs, "num-cpus", float64(runtime.NumCPU()), "the CPUs the node offers")
	set.StringVar(&f.bind, "bind", "127.0.0.1", "the interface to listen on (0.0.0.0 for every one)")
	set.StringVar(&f.advertise, "advertise", "", "the host other machines reach this node at (default: --bind, or the hostname when binding every interface)")
	set.StringVar(&f.tokenFile, "token-file", defaultTokenFile(), "the cluster token file ($SHOAL_TOKEN wins over it); the head creates it if missing")
	set.BoolVar(&f.block, "block", false, "run in the foreground until interrupted or stopped")
	set.StringVar(&f.tlsCert, "tls-cert", "", "serve TLS with this PEM certificate")
	set.StringVar(&f.tlsKey, "tls-key", "", "and this PEM key")
	set.StringVar(&f.tlsCA, "tls-ca", "", "a node: trust this CA (PEM) for the head's TLS")
	set.DurationVar(&f.heartbeatPeriod, "heartbeat-period", 0, "the head: the heartbeat period it asks for (default 1s); a node: its own period")
	set.DurationVar(&f.nodeTimeout, "node-timeout", 0, "the head: declare a node dead after this long without heartbeats (default 10s)")
	set.DurationVar(&f.readyTimeout, "ready-timeout", 30*time.Second, "without --block: how long to wait for the node to be ready")
	if err := set.Parse(args); err != nil {
		return nil, err
	}
	if set.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q", set.Args())
	}
	if f.head == (f.address != "") {
		return nil, errors.New("give either --head or --address HEAD:PORT")
	}
	if (f.tlsCert == "") != (f.tlsKey == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if f.port == -1 {
		f.port = 0
		if f.head {
			f.port = cluster.DefaultHeadPort
		}
	}
	if f.port < 0 || f.port > 65535 {
		return nil, fmt.Errorf("--port %d: not a port", f.port)
	}
	if f.dashboardPort < 0 || f.dashboardPort > 65535 {
		return nil, fmt.Errorf("--dashboard-port %d: not a port", f.dashboardPort)
	}
	if f.numCPUs <= 0 {
		return nil, fmt.Errorf("--num-cpus %v: must be positive", f.numCPUs)
	}
	if _, err := parseBytes(f.objectStoreMemory); err != nil {
		return nil, fmt.Errorf("--object-store-memory: %w", err)
	}
	return &f, nil
}

// parseBytes reads a size: a number with an optional unit, decimal (KB, MB,
// GB, TB) or binary (KiB, MiB, GiB, TiB); no unit or B means bytes.
func parseBytes(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	i := strings.IndexFunc(t, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	num, unit := t, ""
	if i >= 0 {
		num, unit = t[:i], strings.TrimSpace(t[i:])
	}
	mult := map[string]float64{
		"": 1, "B": 1,
		"K": 1 << 10, "KB": 1e3, "KIB": 1 << 10,
		"M": 1 << 20, "MB": 1e6, "MIB": 1 << 20,
		"G": 1 << 30, "GB": 1e9, "GIB": 1 << 30,
		"T": 1 << 40, "TB": 1e12, "TIB": 1 << 40,
	}[strings.ToUpper(unit)]
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || mult == 0 || v <= 0 || v*mult >= math.MaxUint64 {
		return 0, fmt.Errorf("%q is not a size like 512MiB, 2GiB or 1GB", s)
	}
	return uint64(v * mult), nil
}

func runStart(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	f, err := parseStart(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "shoal start: %v\n", err)
		return exitUsage
	}
	if !f.block {
		return startBackground(ctx, args, f, stdout, stderr)
	}
	if err := runNode(ctx, f, stdout); err != nil {
		fmt.Fprintf(stderr, "shoal start: %v\n", err)
		return exitError
	}
	return exitOK
}

// startBackground re-runs this command with --block as a process of its
// own, waits until its record says it is ready and prints where it is. The
// child ignores SIGHUP (runNode), so it outlives the terminal.
func startBackground(ctx context.Context, args []string, f *startFlags, stdout, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "shoal start: finding this program to run it in the background: %v\n", err)
		return exitError
	}
	logs := filepath.Join(sessionDir(), "logs")
	if err := os.MkdirAll(logs, 0o700); err != nil {
		fmt.Fprintf(stderr, "shoal start: session dir: %v\n", err)
		return exitError
	}
	role := "worker"
	if f.head {
		role = "head"
	}
	logPath := filepath.Join(logs, fmt.Sprintf("%s-%d.log", role, time.Now().UnixNano()))
	logf, err := os.OpenFile(logPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintf(stderr, "shoal start: %v\n", err)
		return exitError
	}
	defer logf.Close()
	cmd := exec.Command(exe, append(append([]string{"start"}, args...), "--block")...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Env = append(os.Environ(), logEnv+"="+logPath)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "shoal start: starting %s: %v\n", exe, err)
		return exitError
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.NewTimer(f.readyTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if r, err := readRecord(recordPath(cmd.Process.Pid)); err == nil {
			printStarted(stdout, r)
			return exitOK
		}
		select {
		case err := <-exited:
			fmt.Fprintf(stderr, "shoal start: the node exited before it was ready (%v); its log %s:\n%s", err, logPath, tail(logPath))
			return exitError
		case <-deadline.C:
			cmd.Process.Kill()
			fmt.Fprintf(stderr, "shoal start: the node was not ready after %v, killed it; its log %s:\n%s", f.readyTimeout, logPath, tail(logPath))
			return exitError
		case <-ctx.Done():
			cmd.Process.Kill()
			fmt.Fprintf(stderr, "shoal start: interrupted while waiting for the node\n")
			return exitError
		case <-tick.C:
		}
	}
}

// tail returns the last lines of a log, for an error message.
func tail(path string) string {
	b, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(b), "\n")
	return strings.Join(lines[max(0, len(lines)-20):], "")
}

func printStarted(w io.Writer, r nodeRecord) {
	if r.Role == "head" {
		fmt.Fprintf(w, "Started the Shoal head at %s (pid %d, node %s).\n", r.HeadAddress, r.PID, r.NodeID)
		if r.Dashboard != "" {
			// The dashboard wants the token once; it then moves to a cookie.
			url := "http://" + r.Dashboard + "/"
			if token, err := cluster.ClientToken(r.TokenFile); err == nil {
				url += "?token=" + token
			}
			fmt.Fprintf(w, "Dashboard: %s\n", url)
		}
		fmt.Fprintf(w, "Token file: %s\n", r.TokenFile)
		fmt.Fprintf(w, "Add a node:  shoal start --address %s\n", r.HeadAddress)
	} else {
		fmt.Fprintf(w, "Started a Shoal node at %s joining %s (pid %d, node %s).\n", r.NodeAddress, r.HeadAddress, r.PID, r.NodeID)
	}
	fmt.Fprintf(w, "Status: shoal status; stop: shoal stop\n")
}

// runNode runs a node, and for --head the head, in this process until ctx
// ends or a Shutdown call arrives.
func runNode(ctx context.Context, f *startFlags, stdout io.Writer) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stdout = &lockedWriter{w: stdout} // the node's goroutines log too
	if os.Getenv(logEnv) != "" {
		// Started in the background: the terminal closing is no reason to
		// stop.
		signal.Ignore(syscall.SIGHUP)
	}
	osBytes, _ := parseBytes(f.objectStoreMemory)
	rec := nodeRecord{PID: os.Getpid(), Role: "worker", HeadAddress: f.address, TokenFile: f.tokenFile, TLSCA: f.tlsCA, Log: os.Getenv(logEnv)}
	ncfg := cluster.NodeConfig{
		HeadAddress: f.address, HeadTLSCA: f.tlsCA, Bind: f.bind, Port: f.port, Advertise: f.advertise,
		TLS: cluster.TLSConfig{CertFile: f.tlsCert, KeyFile: f.tlsKey}, CPUs: f.numCPUs, ObjectStoreBytes: osBytes,
		HeartbeatPeriod: f.heartbeatPeriod,
		SessionDir:      sessionDir(), // jobs' executables go under bin/
		OnShutdown:      func(reason string) { fmt.Fprintf(stdout, "Shutdown requested: %s.\n", reason); cancel() },
		Logf: func(format string, args ...any) {
			fmt.Fprintf(stdout, "%s %s\n", time.Now().Format(time.RFC3339), fmt.Sprintf(format, args...))
		},
	}
	var token string
	var err error
	var head *cluster.Head
	if f.head {
		if token, err = cluster.HeadToken(f.tokenFile); err != nil {
			return err
		}
		head, err = cluster.StartHead(ctx, cluster.HeadConfig{
			Bind: f.bind, Port: f.port, Token: token, TLS: cluster.TLSConfig{CertFile: f.tlsCert, KeyFile: f.tlsKey},
			HeartbeatPeriod: f.heartbeatPeriod, NodeTimeout: f.nodeTimeout, DashboardPort: f.dashboardPort,
			Dashboard: dashboardFor(token),
		})
		if err != nil {
			return err
		}
		defer stopWithin(5*time.Second, head.Stop)
		port := strconv.Itoa(head.Port())
		// The head's own node dials it on loopback; others get the
		// advertised address.
		ncfg.HeadAddress = net.JoinHostPort(dialHost(f.bind), port)
		ncfg.IsHead, ncfg.Port, ncfg.HeartbeatPeriod = true, 0, 0
		if f.tlsCert != "" && f.tlsCA == "" {
			ncfg.HeadTLSCA = f.tlsCert // self-signed: the certificate is its CA
		}
		rec.Role, rec.HeadAddress, rec.TLSCA = "head", net.JoinHostPort(advertiseHost(f), port), ncfg.HeadTLSCA
		rec.Dashboard = head.DashboardAddr()
	} else if token, err = cluster.ClientToken(f.tokenFile); err != nil {
		return err
	}
	ncfg.Token = token
	node, err := cluster.StartNode(ctx, ncfg)
	if err != nil {
		return err
	}
	defer stopWithin(5*time.Second, node.Stop)
	if err := node.WaitRegistered(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // stopped before the head answered
		}
		return err
	}
	rec.NodeAddress, rec.NodeID = node.Addr(), node.ID()
	if err := writeRecord(rec); err != nil {
		return err
	}
	defer os.Remove(recordPath(rec.PID))
	printStarted(stdout, rec)
	<-ctx.Done()
	fmt.Fprintf(stdout, "Stopping.\n")
	return nil
}

// dialHost is where a process on this machine reaches a server bound to
// bind.
func dialHost(bind string) string {
	if ip := net.ParseIP(bind); ip != nil && ip.IsUnspecified() {
		return "127.0.0.1"
	}
	return bind
}

func advertiseHost(f *startFlags) string {
	if f.advertise != "" {
		return f.advertise
	}
	if ip := net.ParseIP(f.bind); ip != nil && ip.IsUnspecified() {
		if h, err := os.Hostname(); err == nil {
			return h
		}
	}
	return f.bind
}

func stopWithin(d time.Duration, stop func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	stop(ctx)
}

// lockedWriter serializes writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
