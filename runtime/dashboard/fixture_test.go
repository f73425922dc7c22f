package dashboard

import (
	"context"
	"time"
)

const testToken = "3c1f0d9a6b5e4f7a8c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	kib = 1024
	mib = 1024 * kib
	gib = 1024 * mib
)

// fixedSnapshot is a three-node cluster (head, worker, dead worker) with a
// custom resource, two actors (one with a name that is markup) and a job.
func fixedSnapshot() Snapshot {
	return Snapshot{
		Cluster: Cluster{Name: "shoal-test", Started: at("2026-11-23T18:00:00Z")},
		// Wrong on purpose: the dashboard must replace it.
		Totals: Totals{NodesAlive: 99},
		Nodes: []Node{
			{
				ID: "node-head-7f3a", Address: "10.0.0.1:6380", State: NodeAlive, IsHead: true,
				Resources: map[string]Resource{
					ResourceCPU:               {Total: 4, Available: 1.5},
					ResourceMemory:            {Total: 8 * gib, Available: 6 * gib},
					ResourceObjectStoreMemory: {Total: 2 * gib, Available: 1.5 * gib},
				},
				Tasks:         TaskCounts{Pending: 2, Running: 3, Finished: 120, Failed: 1},
				Objects:       Objects{Count: 17, Bytes: 512 * mib},
				Store:         Store{UsedBytes: 512 * mib, CapacityBytes: 2 * gib},
				LastHeartbeat: at("2026-11-23T18:59:58Z"),
			},
			{
				ID: "node-worker-b21c", Address: "10.0.0.2:41234", State: NodeAlive,
				Resources: map[string]Resource{
					ResourceCPU:               {Total: 8, Available: 8},
					ResourceMemory:            {Total: 16 * gib, Available: 16 * gib},
					ResourceObjectStoreMemory: {Total: 4 * gib, Available: 4 * gib},
					"GPU":                     {Total: 2, Available: 1},
				},
				Tasks:         TaskCounts{Running: 1, Finished: 40},
				Objects:       Objects{Count: 5, Bytes: 1 * mib},
				Store:         Store{UsedBytes: 1 * mib, CapacityBytes: 4 * gib, SpilledBytes: 256 * mib},
				LastHeartbeat: at("2026-11-23T18:59:59Z"),
			},
			{
				ID: "node-worker-dead-9e01", Address: "10.0.0.3:41235", State: NodeDead,
				Resources:     map[string]Resource{ResourceCPU: {Total: 8, Available: 0}},
				Tasks:         TaskCounts{Running: 4, Finished: 10, Failed: 2},
				Objects:       Objects{Count: 3, Bytes: 1000},
				Store:         Store{UsedBytes: 1000, CapacityBytes: 1 * gib},
				LastHeartbeat: at("2026-11-23T18:40:00Z"),
			},
		},
		Actors: []Actor{
			{ID: "actor-01", Name: "counter", Namespace: "default", Class: "Counter", Node: "node-head-7f3a", State: "ALIVE"},
			{ID: "actor-02", Name: "<img src=x onerror=alert(1)>", Namespace: "ns<b>", Class: "Evil", Node: "node-worker-b21c", State: "RESTARTING", Restarts: 2},
		},
		Jobs: []Job{{ID: "job-0001", State: "RUNNING", Driver: "10.0.0.9:50000", Started: at("2026-11-23T18:30:00Z")}},
	}
}

func fixedSource(context.Context) (Snapshot, error) { return fixedSnapshot(), nil }
