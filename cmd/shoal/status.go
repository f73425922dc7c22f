package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/shoaldata/shoal/runtime/cluster"
	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/protobuf/encoding/protojson"
)

var statusCommand = command{
	usage:   "status [--address HEAD:PORT] [--json]",
	summary: "show the cluster's nodes, resources, objects, actors and jobs",
	run:     runStatus,
}

// headTarget is the head to talk to: addr if given, else the head started
// on this machine, with the TLS CA its record names unless ca is given.
func headTarget(addr, ca string) (string, string, error) {
	if addr != "" {
		return addr, ca, nil
	}
	recs, err := readRecords()
	if err != nil {
		return "", "", err
	}
	for _, r := range recs {
		if r.Role == "head" && processAlive(r.PID) {
			if ca == "" {
				ca = r.TLSCA
			}
			return r.HeadAddress, ca, nil
		}
	}
	return "", "", fmt.Errorf("no head started on this machine (session dir %s); give --address HEAD:PORT", sessionDir())
}

func runStatus(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shoal status", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("address", "", "the head's `HEAD:PORT` (default: the head started on this machine)")
	asJSON := fs.Bool("json", false, "print the status as JSON")
	tokenFile := fs.String("token-file", defaultTokenFile(), "the cluster token file ($SHOAL_TOKEN wins over it)")
	tlsCA := fs.String("tls-ca", "", "trust this CA (PEM) for the head's TLS")
	timeout := fs.Duration("timeout", 10*time.Second, "give up after this long")
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shoal status: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	st, err := fetchStatus(ctx, *addr, *tokenFile, *tlsCA, *timeout)
	if err != nil {
		fmt.Fprintf(stderr, "shoal status: %v\n", err)
		return exitError
	}
	if *asJSON {
		b, err := protojson.MarshalOptions{Multiline: true, UseProtoNames: true, EmitUnpopulated: true}.Marshal(st)
		if err != nil {
			fmt.Fprintf(stderr, "shoal status: %v\n", err)
			return exitError
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return exitOK
	}
	printStatus(stdout, st)
	return exitOK
}

func fetchStatus(ctx context.Context, addr, tokenFile, ca string, timeout time.Duration) (*pb.ClusterStatus, error) {
	addr, ca, err := headTarget(addr, ca)
	if err != nil {
		return nil, err
	}
	token, err := cluster.ClientToken(tokenFile)
	if err != nil {
		return nil, err
	}
	var opts []cluster.DialOption
	if ca != "" {
		opts = append(opts, cluster.WithTLSCA(ca))
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c, err := cluster.Dial(ctx, addr, token, opts...)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.Status(ctx)
}

func printStatus(w io.Writer, st *pb.ClusterStatus) {
	t := st.GetTotals()
	fmt.Fprintf(w, "Head %s: %d nodes alive, %d dead\n", st.HeadAddress, t.NodesAlive, t.NodesDead)
	fmt.Fprintf(w, "Resources: %s of %s CPUs free; object store %s of %s used, %d objects\n",
		fmtCPUs(t.GetAvailable().GetCpus()), fmtCPUs(t.GetTotal().GetCpus()),
		fmtBytes(t.ObjectsBytes), fmtBytes(t.GetTotal().GetObjectStoreBytes()), t.ObjectsCount)
	fmt.Fprintf(w, "Tasks: %d running, %d pending; actors: %d alive; jobs: %d running\n",
		t.TasksRunning, t.TasksPending, t.ActorsAlive, t.JobsRunning)

	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NODE\tSTATE\tADDRESS\tROLE\tCPUS\tFREE\tSTORE\tOBJECTS\tBYTES\tRUNNING\tPENDING\tHEARTBEAT")
	now := time.UnixMilli(st.NowUnixMs)
	for _, n := range st.Nodes {
		role := "worker"
		if n.IsHead {
			role = "head"
		}
		beat := now.Sub(time.UnixMilli(n.LastHeartbeatUnixMs)).Round(100*time.Millisecond).String() + " ago"
		if n.State == pb.NodeRecord_DEAD {
			beat = "dead: " + n.DeathReason
		}
		s := n.GetStats()
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%d\t%d\t%s\n", n.NodeId, n.State, n.Address, role,
			fmtCPUs(n.GetResources().GetCpus()), fmtCPUs(s.GetAvailable().GetCpus()), fmtBytes(n.GetResources().GetObjectStoreBytes()),
			s.GetObjectsCount(), fmtBytes(s.GetObjectsBytes()), s.GetTasksRunning(), s.GetTasksPending(), beat)
	}
	tw.Flush()

	if len(st.Actors) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ACTOR\tNAME\tNAMESPACE\tCLASS\tSTATE\tNODE\tRESTARTS\tJOB")
		for _, a := range st.Actors {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", a.ActorId, dash(a.Name), dash(a.Namespace), a.ClassName, a.State, dash(a.NodeId), a.Restarts, dash(a.JobId))
		}
		tw.Flush()
	}
	if len(st.Jobs) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "JOB\tSTATE\tENTRYPOINT\tNAMESPACE\tDRIVER PID")
		for _, j := range st.Jobs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\n", j.JobId, j.State, dash(j.Entrypoint), dash(j.Namespace), j.DriverPid)
		}
		tw.Flush()
	}
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func fmtCPUs(c float64) string { return strconv.FormatFloat(c, 'f', -1, 64) }

// fmtBytes prints n in binary units, as the flags take them.
func fmtBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	v, i := float64(n), -1
	for v >= unit && i < 3 {
		v /= unit
		i++
	}
	return fmt.Sprintf("%.1f %ciB", v, "KMGT"[i])
}
