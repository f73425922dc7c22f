package main

import (
	"testing"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"github.com/shoaldata/shoal/runtime/dashboard"
)

// The control store's status becomes the dashboard's snapshot field by
// field: resources total and available, the store's use, tasks, actors
// and jobs.
func TestSnapshotOf(t *testing.T) {
	st := &pb.ClusterStatus{
		HeadAddress: "10.0.0.1:6380", HeadStartUnixMs: 1_700_000_000_000,
		Nodes: []*pb.NodeRecord{{
			NodeId: "n1", Address: "10.0.0.1:7001", IsHead: true, State: pb.NodeRecord_ALIVE,
			Resources:           &pb.Resources{Cpus: 4, ObjectStoreBytes: 1000, Custom: map[string]float64{"GPU": 2}},
			Stats:               &pb.NodeStats{Available: &pb.Resources{Cpus: 1.5, ObjectStoreBytes: 400, Custom: map[string]float64{"GPU": 1}}, TasksPending: 3, TasksRunning: 2, TasksFinished: 10, TasksFailed: 1, ObjectsCount: 7, ObjectsBytes: 600},
			LastHeartbeatUnixMs: 1_700_000_005_000,
		}, {NodeId: "n2", State: pb.NodeRecord_DEAD, Resources: &pb.Resources{Cpus: 2}}},
		Actors: []*pb.ActorRecord{{ActorId: "a1", Name: "counter", Namespace: "ns", ClassName: "Counter", NodeId: "n1", State: pb.ActorRecord_RESTARTING, Restarts: 1}},
		Jobs:   []*pb.JobRecord{{JobId: "j1", State: pb.JobRecord_RUNNING, DriverAddress: "10.0.0.9", StartUnixMs: 1_700_000_001_000}},
	}
	s := snapshotOf(st)
	if s.Cluster.Name != "10.0.0.1:6380" || !s.Cluster.Started.Equal(time.UnixMilli(1_700_000_000_000)) {
		t.Errorf("cluster %+v", s.Cluster)
	}
	if len(s.Nodes) != 2 {
		t.Fatalf("%d nodes, want 2", len(s.Nodes))
	}
	n := s.Nodes[0]
	want := map[string]dashboard.Resource{"CPU": {Total: 4, Available: 1.5}, "object_store_memory": {Total: 1000, Available: 400}, "GPU": {Total: 2, Available: 1}}
	if len(n.Resources) != len(want) {
		t.Errorf("resources %v, want %v", n.Resources, want)
	}
	for k, w := range want {
		if n.Resources[k] != w {
			t.Errorf("resource %s = %+v, want %+v", k, n.Resources[k], w)
		}
	}
	if n.ID != "n1" || n.State != dashboard.NodeAlive || !n.IsHead || n.Address != "10.0.0.1:7001" ||
		n.Tasks != (dashboard.TaskCounts{Pending: 3, Running: 2, Finished: 10, Failed: 1}) ||
		n.Objects != (dashboard.Objects{Count: 7, Bytes: 600}) || n.Store != (dashboard.Store{UsedBytes: 600, CapacityBytes: 1000}) ||
		!n.LastHeartbeat.Equal(time.UnixMilli(1_700_000_005_000)) {
		t.Errorf("node %+v", n)
	}
	if s.Nodes[1].State != dashboard.NodeDead || !s.Nodes[1].LastHeartbeat.IsZero() {
		t.Errorf("dead node %+v", s.Nodes[1])
	}
	if len(s.Actors) != 1 || s.Actors[0] != (dashboard.Actor{ID: "a1", Name: "counter", Namespace: "ns", Class: "Counter", Node: "n1", State: "RESTARTING", Restarts: 1}) {
		t.Errorf("actors %+v", s.Actors)
	}
	if len(s.Jobs) != 1 || s.Jobs[0].ID != "j1" || s.Jobs[0].State != "RUNNING" || s.Jobs[0].Driver != "10.0.0.9" || !s.Jobs[0].Started.Equal(time.UnixMilli(1_700_000_001_000)) {
		t.Errorf("jobs %+v", s.Jobs)
	}
}
