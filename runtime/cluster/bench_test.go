package cluster

import (
	"context"
	"strconv"
	"testing"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
)

// The control plane's round trips over loopback gRPC with the token check:
// what a node pays per heartbeat and a driver per KV access.

func benchHead(b *testing.B) (*Head, *Client) {
	b.Helper()
	h, err := StartHead(context.Background(), HeadConfig{Token: testToken})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { h.Stop(context.Background()) })
	c, err := Dial(context.Background(), h.Addr(), testToken)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return h, c
}

func BenchmarkKVPut(b *testing.B) {
	_, c := benchHead(b)
	ctx := context.Background()
	val := make([]byte, 100)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := c.KVPut(ctx, "bench", strconv.Itoa(i%1000), val, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKVGet(b *testing.B) {
	_, c := benchHead(b)
	ctx := context.Background()
	c.KVPut(ctx, "bench", "k", make([]byte, 100), true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.KVGet(ctx, "bench", "k"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHeartbeat(b *testing.B) {
	_, c := benchHead(b)
	ctx := context.Background()
	r, err := c.head.RegisterNode(ctx, &pb.RegisterNodeRequest{Address: "bench:1", Resources: &pb.Resources{Cpus: 8}})
	if err != nil {
		b.Fatal(err)
	}
	stats := &pb.NodeStats{Available: &pb.Resources{Cpus: 4}, TasksRunning: 4, ObjectsCount: 100}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.head.Heartbeat(ctx, &pb.HeartbeatRequest{NodeId: r.NodeId, Stats: stats}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatus100Nodes: GetClusterStatus of a 100-node cluster, what the
// dashboard polls.
func BenchmarkStatus100Nodes(b *testing.B) {
	h, c := benchHead(b)
	for i := range 100 {
		h.store.registerNode(time.Now(), &pb.RegisterNodeRequest{Address: "n:" + strconv.Itoa(i), Resources: &pb.Resources{Cpus: 8, ObjectStoreBytes: 1 << 30}})
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Status(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
