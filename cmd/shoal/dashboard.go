package main

import (
	"context"
	"net/http"
	"time"

	"github.com/shoaldata/shoal/runtime/cluster"
	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"github.com/shoaldata/shoal/runtime/dashboard"
)

// dashboardFor serves the head's dashboard: the page and /api/status
// behind the cluster token, each request reading the control store anew.
func dashboardFor(token string) func(h *cluster.Head) http.Handler {
	return func(h *cluster.Head) http.Handler {
		return dashboard.New(token, func(context.Context) (dashboard.Snapshot, error) {
			return snapshotOf(h.Status()), nil
		})
	}
}

// snapshotOf turns the control store's status into the dashboard's
// snapshot; the dashboard computes the totals itself.
func snapshotOf(st *pb.ClusterStatus) dashboard.Snapshot {
	s := dashboard.Snapshot{Cluster: dashboard.Cluster{Name: st.GetHeadAddress(), Started: unixMs(st.GetHeadStartUnixMs())}}
	for _, n := range st.GetNodes() {
		state := dashboard.NodeDead
		if n.GetState() == pb.NodeRecord_ALIVE {
			state = dashboard.NodeAlive
		}
		total, avail := n.GetResources(), n.GetStats().GetAvailable()
		res := map[string]dashboard.Resource{
			dashboard.ResourceCPU:               {Total: total.GetCpus(), Available: avail.GetCpus()},
			dashboard.ResourceObjectStoreMemory: {Total: float64(total.GetObjectStoreBytes()), Available: float64(avail.GetObjectStoreBytes())},
		}
		for name, amount := range total.GetCustom() {
			res[name] = dashboard.Resource{Total: amount, Available: avail.GetCustom()[name]}
		}
		stats := n.GetStats()
		used := int64(total.GetObjectStoreBytes()) - int64(avail.GetObjectStoreBytes())
		s.Nodes = append(s.Nodes, dashboard.Node{
			ID: n.GetNodeId(), Address: n.GetAddress(), State: state, IsHead: n.GetIsHead(),
			Resources: res,
			Tasks: dashboard.TaskCounts{
				Pending: stats.GetTasksPending(), Running: stats.GetTasksRunning(),
				Finished: stats.GetTasksFinished(), Failed: stats.GetTasksFailed(),
			},
			Objects:       dashboard.Objects{Count: stats.GetObjectsCount(), Bytes: int64(stats.GetObjectsBytes())},
			Store:         dashboard.Store{UsedBytes: max(used, 0), CapacityBytes: int64(total.GetObjectStoreBytes())},
			LastHeartbeat: unixMs(n.GetLastHeartbeatUnixMs()),
		})
	}
	for _, a := range st.GetActors() {
		s.Actors = append(s.Actors, dashboard.Actor{
			ID: a.GetActorId(), Name: a.GetName(), Namespace: a.GetNamespace(), Class: a.GetClassName(),
			Node: a.GetNodeId(), State: a.GetState().String(), Restarts: int(a.GetRestarts()),
		})
	}
	for _, j := range st.GetJobs() {
		s.Jobs = append(s.Jobs, dashboard.Job{ID: j.GetJobId(), State: j.GetState().String(), Driver: j.GetDriverAddress(), Started: unixMs(j.GetStartUnixMs())})
	}
	return s
}

func unixMs(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}
