package dashboard

import "time"

// Node states.
const (
	NodeAlive = "ALIVE"
	NodeDead  = "DEAD"
)

// Well-known resource names; any other name is a custom resource.
const (
	ResourceCPU               = "CPU"
	ResourceMemory            = "memory"              // bytes
	ResourceObjectStoreMemory = "object_store_memory" // bytes
)

// A Snapshot is the cluster's state at one moment, as the head's global
// control store sees it. The source given to [New] builds a fresh one per
// request and the dashboard does not keep it; nil slices and maps are sent
// as empty ones. Totals is computed by the dashboard from Nodes (see
// [TotalsOf]); whatever the source puts there is replaced.
type Snapshot struct {
	Cluster Cluster `json:"cluster"`
	Totals  Totals  `json:"totals"`
	Nodes   []Node  `json:"nodes"`
	Actors  []Actor `json:"actors"`
	Jobs    []Job   `json:"jobs"`
}

// Cluster identifies the cluster.
type Cluster struct {
	Name    string    `json:"name"`
	Started time.Time `json:"started"`
}

// A Node is one node of the cluster: the head or a worker node.
type Node struct {
	ID      string `json:"id"`
	Address string `json:"address"` // host:port of the node's gRPC server
	State   string `json:"state"`   // NodeAlive or NodeDead
	IsHead  bool   `json:"is_head"`
	// Resources maps a resource name (ResourceCPU, ResourceMemory,
	// ResourceObjectStoreMemory or a custom name) to its amounts.
	Resources     map[string]Resource `json:"resources"`
	Tasks         TaskCounts          `json:"tasks"`
	Objects       Objects             `json:"objects"`
	Store         Store               `json:"store"`
	LastHeartbeat time.Time           `json:"last_heartbeat"`
}

// A Resource is the amount of one resource a node has and how much of it is
// not claimed by running tasks and actors.
type Resource struct {
	Total     float64 `json:"total"`
	Available float64 `json:"available"`
}

// TaskCounts counts tasks by state.
type TaskCounts struct {
	Pending  int64 `json:"pending"`
	Running  int64 `json:"running"`
	Finished int64 `json:"finished"`
	Failed   int64 `json:"failed"`
}

// Objects counts the objects held in a node's store and their bytes.
type Objects struct {
	Count int64 `json:"count"`
	Bytes int64 `json:"bytes"`
}

// Store is the usage of a node's shared-memory object store.
type Store struct {
	UsedBytes     int64 `json:"used_bytes"`
	CapacityBytes int64 `json:"capacity_bytes"`
	SpilledBytes  int64 `json:"spilled_bytes"` // on local disk, not counted in UsedBytes
}

// An Actor is one actor of the cluster.
type Actor struct {
	ID        string `json:"id"`
	Name      string `json:"name"` // empty for an unnamed actor
	Namespace string `json:"namespace"`
	Class     string `json:"class"` // the registered actor type
	Node      string `json:"node"`  // ID of the node it runs on; empty while pending
	State     string `json:"state"` // e.g. PENDING, ALIVE, RESTARTING, DEAD
	Restarts  int    `json:"restarts"`
}

// A Job is one driver's session with the cluster.
type Job struct {
	ID      string    `json:"id"`
	State   string    `json:"state"`  // e.g. RUNNING, SUCCEEDED, FAILED
	Driver  string    `json:"driver"` // the driver's address
	Started time.Time `json:"started"`
}

// Totals sums the nodes of a cluster; see [TotalsOf].
type Totals struct {
	NodesAlive int                 `json:"nodes_alive"`
	NodesDead  int                 `json:"nodes_dead"`
	Resources  map[string]Resource `json:"resources"`
	Tasks      TaskCounts          `json:"tasks"`
	Objects    Objects             `json:"objects"`
	Store      Store               `json:"store"`
}

// TotalsOf sums nodes. Resources, pending and running tasks, objects and
// store usage count only ALIVE nodes: they are what the cluster has now, and
// a dead node's are gone. Finished and failed tasks count every node: they
// are what the cluster has done, and a node's death does not undo them.
func TotalsOf(nodes []Node) Totals {
	t := Totals{Resources: map[string]Resource{}}
	for _, n := range nodes {
		t.Tasks.Finished += n.Tasks.Finished
		t.Tasks.Failed += n.Tasks.Failed
		if n.State != NodeAlive {
			t.NodesDead++
			continue
		}
		t.NodesAlive++
		for name, r := range n.Resources {
			sum := t.Resources[name]
			sum.Total += r.Total
			sum.Available += r.Available
			t.Resources[name] = sum
		}
		t.Tasks.Pending += n.Tasks.Pending
		t.Tasks.Running += n.Tasks.Running
		t.Objects.Count += n.Objects.Count
		t.Objects.Bytes += n.Objects.Bytes
		t.Store.UsedBytes += n.Store.UsedBytes
		t.Store.CapacityBytes += n.Store.CapacityBytes
		t.Store.SpilledBytes += n.Store.SpilledBytes
	}
	return t
}

// normalized returns s with Totals computed and nil slices and maps made
// empty, so the JSON has [] and {} rather than null. It copies what it
// changes and leaves the source's slices alone.
func (s Snapshot) normalized() Snapshot {
	nodes := make([]Node, len(s.Nodes))
	copy(nodes, s.Nodes)
	for i := range nodes {
		if nodes[i].Resources == nil {
			nodes[i].Resources = map[string]Resource{}
		}
	}
	s.Nodes = nodes
	if s.Actors == nil {
		s.Actors = []Actor{}
	}
	if s.Jobs == nil {
		s.Jobs = []Job{}
	}
	s.Totals = TotalsOf(s.Nodes)
	return s
}
