package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/shoaldata/shoal/runtime/cluster"
)

var stopCommand = command{
	usage:   "stop [--timeout 10s]",
	summary: "stop every Shoal node started on this machine",
	run:     runStop,
}

func runStop(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shoal stop", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeout := fs.Duration("timeout", 10*time.Second, "wait this long for a node to stop before killing it")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shoal stop: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	recs, err := readRecords()
	if err != nil {
		fmt.Fprintf(stderr, "shoal stop: %v\n", err)
		return exitError
	}
	stopped, failed := 0, 0
	for _, r := range recs {
		if !processAlive(r.PID) {
			os.Remove(recordPath(r.PID)) // left by a node that was killed
			continue
		}
		how, err := stopNode(ctx, r, *timeout)
		if err != nil {
			fmt.Fprintf(stderr, "shoal stop: %s pid %d: %v\n", r.Role, r.PID, err)
			failed++
			continue
		}
		os.Remove(recordPath(r.PID))
		fmt.Fprintf(stdout, "Stopped %s %s (pid %d, %s).\n", r.Role, r.NodeAddress, r.PID, how)
		stopped++
	}
	if stopped+failed == 0 {
		fmt.Fprintln(stdout, "No Shoal node is running on this machine.")
	}
	if failed > 0 {
		return exitError
	}
	return exitOK
}

// stopNode asks the node to shut down (its Shutdown call, else SIGTERM),
// waits up to timeout for the process to go, then kills it. It says which
// way it went.
func stopNode(ctx context.Context, r nodeRecord, timeout time.Duration) (string, error) {
	how := "shut down"
	if err := shutdownRPC(ctx, r, min(timeout, 3*time.Second)); err != nil {
		how = "terminated"
		if err := signalPID(r.PID, syscall.SIGTERM); err != nil && !isGone(err) {
			return "", fmt.Errorf("SIGTERM: %w", err)
		}
	}
	if waitGone(ctx, r.PID, timeout) {
		return how, nil
	}
	if err := signalPID(r.PID, os.Kill); err != nil && !isGone(err) {
		return "", fmt.Errorf("SIGKILL: %w", err)
	}
	if waitGone(ctx, r.PID, 5*time.Second) {
		return "killed after " + timeout.String(), nil
	}
	return "", errors.New("still running after SIGKILL")
}

func shutdownRPC(ctx context.Context, r nodeRecord, timeout time.Duration) error {
	token, err := cluster.ClientToken(r.TokenFile)
	if err != nil {
		return err
	}
	var opts []cluster.DialOption
	if r.TLSCA != "" && r.Role == "head" {
		opts = append(opts, cluster.WithTLSCA(r.TLSCA))
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	nc, err := cluster.DialNode(ctx, r.NodeAddress, token, opts...)
	if err != nil {
		return err
	}
	defer nc.Close()
	return nc.Shutdown(ctx, "shoal stop")
}

// waitGone polls until pid is gone or timeout passes.
func waitGone(ctx context.Context, pid int, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for processAlive(pid) {
		if time.Now().After(deadline) || ctx.Err() != nil {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}

// processAlive reports whether pid is a running shoal node. A zombie counts
// as gone (the machine's init may be slow to reap it), and so does a process
// that reuses the pid but is not a `shoal start --block`.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := signalPID(pid, syscall.Signal(0)); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return !errors.Is(err, os.ErrNotExist) // no /proc: trust kill
	}
	// The state follows the parenthesized command name, which may hold
	// spaces.
	if i := strings.LastIndexByte(string(stat), ')'); i >= 0 && i+2 < len(stat) && (stat[i+2] == 'Z' || stat[i+2] == 'X') {
		return false
	}
	cmdline, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/cmdline")
	if err != nil {
		return false
	}
	args := strings.Split(string(cmdline), "\x00")
	return len(args) > 1 && args[1] == "start" && strings.Contains(string(cmdline), "\x00--block")
}

// signalPID sends sig to pid, through os.Process so the command builds
// everywhere.
func signalPID(pid int, sig os.Signal) error {
	p, err := os.FindProcess(pid)
	if err != nil {
		return err
	}
	defer p.Release()
	return p.Signal(sig)
}

func isGone(err error) bool {
	return errors.Is(err, os.ErrProcessDone) || errors.Is(err, syscall.ESRCH)
}
