package cluster

import (
	"errors"
	"slices"
	"testing"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func at(d time.Duration) time.Time { return t0.Add(d) }

func mustRegister(t *testing.T, s *store, now time.Time, addr string, cpus float64) string {
	t.Helper()
	id, err := s.registerNode(now, &pb.RegisterNodeRequest{Address: addr, Resources: &pb.Resources{Cpus: cpus, ObjectStoreBytes: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func nodeStates(st *pb.ClusterStatus) map[string]pb.NodeRecord_State {
	m := map[string]pb.NodeRecord_State{}
	for _, n := range st.Nodes {
		m[n.NodeId] = n.State
	}
	return m
}

func TestStoreNodeDiesAfterTimeoutAndComesBackUnderNewID(t *testing.T) {
	s := newStore(10*time.Second, 10*time.Second)
	a := mustRegister(t, s, at(0), "a:1", 2)
	b := mustRegister(t, s, at(0), "b:1", 4)
	if a == b || len(a) != 16 {
		t.Fatalf("IDs %q %q: want two distinct 16-digit IDs", a, b)
	}
	// b heartbeats, a does not.
	for sec := 1; sec <= 10; sec++ {
		if err := s.heartbeat(at(time.Duration(sec)*time.Second), b, &pb.NodeStats{TasksRunning: int64(sec)}); err != nil {
			t.Fatal(err)
		}
	}
	if dead, _ := s.expire(at(10 * time.Second)); len(dead) != 0 {
		t.Fatalf("dead at exactly the timeout: %v", dead)
	}
	dead, _ := s.expire(at(10*time.Second + time.Millisecond))
	if !slices.Equal(dead, []string{a}) {
		t.Fatalf("dead = %v, want [%s]", dead, a)
	}
	st := s.status(at(11 * time.Second))
	if got := nodeStates(st); got[a] != pb.NodeRecord_DEAD || got[b] != pb.NodeRecord_ALIVE {
		t.Fatalf("states %v", got)
	}
	if n := st.Nodes[0]; n.DeathReason != "missed heartbeats" || n.DeadUnixMs != at(10*time.Second+time.Millisecond).UnixMilli() {
		t.Errorf("dead node record %v", n)
	}
	if tot := st.Totals; tot.NodesAlive != 1 || tot.NodesDead != 1 || tot.Total.Cpus != 4 || tot.TasksRunning != 10 || tot.Total.ObjectStoreBytes != 1000 {
		t.Errorf("totals %v", tot)
	}
	// The dead node comes back: its heartbeat is refused, it registers
	// under a new ID and the old one stays listed as dead.
	err := s.heartbeat(at(12*time.Second), a, nil)
	if !errors.Is(err, ErrNodeDead) || err.Error() != "cluster: node declared dead: "+a+" (missed heartbeats)" {
		t.Fatalf("heartbeat of a dead node: %v", err)
	}
	a2 := mustRegister(t, s, at(12*time.Second), "a:1", 2)
	if a2 == a {
		t.Fatal("a node that came back got its old ID")
	}
	got := nodeStates(s.status(at(12 * time.Second)))
	if len(got) != 3 || got[a] != pb.NodeRecord_DEAD || got[a2] != pb.NodeRecord_ALIVE {
		t.Fatalf("states %v", got)
	}
	if err := s.heartbeat(at(13*time.Second), "nope", nil); !errors.Is(err, ErrUnknownNode) || err.Error() != "cluster: unknown node: nope" {
		t.Fatalf("heartbeat of an unknown node: %v", err)
	}
}

// A heartbeat arriving after the timeout but before the expiry tick must not
// revive the node.
func TestStoreLateHeartbeatDoesNotRevive(t *testing.T) {
	s := newStore(time.Second, time.Second)
	a := mustRegister(t, s, at(0), "a:1", 1)
	if err := s.heartbeat(at(2*time.Second), a, nil); !errors.Is(err, ErrNodeDead) {
		t.Fatalf("late heartbeat: %v", err)
	}
	if got := nodeStates(s.status(at(2 * time.Second)))[a]; got != pb.NodeRecord_DEAD {
		t.Fatalf("state %v", got)
	}
}

func TestStoreUnregister(t *testing.T) {
	s := newStore(time.Second, time.Second)
	a := mustRegister(t, s, at(0), "a:1", 1)
	if err := s.unregisterNode(at(time.Millisecond), a, "stopped"); err != nil {
		t.Fatal(err)
	}
	st := s.status(at(time.Millisecond))
	if n := st.Nodes[0]; n.State != pb.NodeRecord_DEAD || n.DeathReason != "unregistered: stopped" {
		t.Fatalf("record %v", n)
	}
	if _, err := s.registerNode(at(0), &pb.RegisterNodeRequest{}); err == nil || err.Error() != "cluster: invalid argument: RegisterNode: empty node address" {
		t.Fatalf("register without address: %v", err)
	}
}

func TestStoreKV(t *testing.T) {
	s := newStore(time.Second, time.Second)
	put := func(ns, k, v string, overwrite bool) bool {
		t.Helper()
		added, err := s.kvPut(ns, k, []byte(v), overwrite)
		if err != nil {
			t.Fatal(err)
		}
		return added
	}
	get := func(ns, k string) string {
		t.Helper()
		v, err := s.kvGet(ns, k)
		if err != nil {
			t.Fatal(err)
		}
		return string(v)
	}
	if !put("ns1", "a/x", "1", false) || !put("ns1", "a/y", "2", false) || !put("ns1", "b", "3", false) || !put("ns2", "a/x", "other", false) {
		t.Fatal("new keys not reported added")
	}
	if put("ns1", "a/x", "changed", false) || get("ns1", "a/x") != "1" {
		t.Fatal("put without overwrite changed an existing key")
	}
	if put("ns1", "a/x", "changed", true) || get("ns1", "a/x") != "changed" {
		t.Fatal("put with overwrite did not change the key")
	}
	if got := s.kvList("ns1", "a/"); !slices.Equal(got, []string{"a/x", "a/y"}) {
		t.Errorf("list a/ = %q", got)
	}
	if got := s.kvList("ns1", ""); !slices.Equal(got, []string{"a/x", "a/y", "b"}) {
		t.Errorf("list all = %q", got)
	}
	if got := get("ns2", "a/x"); got != "other" {
		t.Errorf("ns2 a/x = %q", got)
	}
	if !s.kvDelete("ns1", "a/x") || s.kvDelete("ns1", "a/x") {
		t.Error("delete did not report presence")
	}
	if _, err := s.kvGet("ns1", "a/x"); !errors.Is(err, ErrKeyNotFound) || err.Error() != `cluster: key not found: "a/x" in namespace "ns1"` {
		t.Errorf("get deleted: %v", err)
	}
	if _, err := s.kvPut("ns1", "", nil, true); err == nil || err.Error() != "cluster: invalid argument: KVPut: empty key" {
		t.Errorf("empty key: %v", err)
	}
}

func TestStoreJobsAndActors(t *testing.T) {
	s := newStore(10*time.Second, 3*time.Second)
	node := mustRegister(t, s, at(0), "n:1", 1)
	j1 := s.registerJob(at(0), &pb.RegisterJobRequest{Entrypoint: "one"})
	j2 := s.registerJob(at(0), &pb.RegisterJobRequest{Entrypoint: "two"})
	if j1 != "00000001" || j2 != "00000002" {
		t.Fatalf("job IDs %q %q", j1, j2)
	}
	reg := func(name, job string, detached bool) *pb.ActorRecord {
		t.Helper()
		a, err := s.registerActor(&pb.RegisterActorRequest{Name: name, Namespace: "ns", ClassName: "Counter", NodeId: node, JobId: job, Detached: detached, State: pb.ActorRecord_ALIVE})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	owned := reg("owned", j1, false)
	detached := reg("detached", j1, true)
	other := reg("other", j2, false)
	if _, err := s.registerActor(&pb.RegisterActorRequest{Name: "owned", Namespace: "ns", ClassName: "C", JobId: j2}); !errors.Is(err, ErrActorExists) ||
		err.Error() != `cluster: actor name taken: "owned" in namespace "ns"` {
		t.Fatalf("duplicate name: %v", err)
	}
	// The same name in another namespace is another actor.
	if _, err := s.registerActor(&pb.RegisterActorRequest{Name: "owned", Namespace: "ns2", ClassName: "C", JobId: j2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.registerActor(&pb.RegisterActorRequest{Name: "x", ClassName: "C"}); err == nil ||
		err.Error() != `cluster: invalid argument: RegisterActor "x": an actor that is not detached needs its job's ID` {
		t.Fatalf("no job: %v", err)
	}
	got, err := s.lookupActor("ns", "owned")
	if err != nil || got.ActorId != owned.ActorId || got.State != pb.ActorRecord_ALIVE || got.NodeId != node || got.ClassName != "Counter" {
		t.Fatalf("lookup = %v, %v", got, err)
	}
	if err := s.finishJob(at(time.Second), j1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.lookupActor("ns", "owned"); !errors.Is(err, ErrActorNotFound) || err.Error() != `cluster: actor not found: "owned" in namespace "ns"` {
		t.Fatalf("owned actor after its job finished: %v", err)
	}
	if a, err := s.lookupActor("ns", "detached"); err != nil || a.ActorId != detached.ActorId {
		t.Fatalf("detached actor after its job finished: %v, %v", a, err)
	}
	if err := s.finishJob(at(time.Second), j1); !errors.Is(err, ErrJobEnded) || err.Error() != "cluster: job ended: 00000001 is FINISHED" {
		t.Fatalf("finish twice: %v", err)
	}
	if _, err := s.registerActor(&pb.RegisterActorRequest{Name: "late", ClassName: "C", JobId: j1}); !errors.Is(err, ErrJobEnded) {
		t.Fatalf("actor of an ended job: %v", err)
	}
	// j2's driver stops heartbeating: the job fails and its actor goes.
	if err := s.jobHeartbeat(at(2*time.Second), j2); err != nil {
		t.Fatal(err)
	}
	if _, failed := s.expire(at(5 * time.Second)); len(failed) != 0 {
		t.Fatalf("failed at exactly the timeout: %v", failed)
	}
	if _, failed := s.expire(at(5*time.Second + time.Millisecond)); !slices.Equal(failed, []string{j2}) {
		t.Fatalf("failed = %v", failed)
	}
	if _, err := s.lookupActor("ns", "other"); !errors.Is(err, ErrActorNotFound) {
		t.Fatalf("actor %s of a failed job: %v", other.ActorId, err)
	}
	st := s.status(at(6 * time.Second))
	var jobStates []string
	for _, j := range st.Jobs {
		jobStates = append(jobStates, j.JobId+"="+j.State.String())
	}
	if !slices.Equal(jobStates, []string{"00000001=FINISHED", "00000002=FAILED"}) {
		t.Errorf("jobs %v", jobStates)
	}
	var names []string
	for _, a := range st.Actors {
		names = append(names, a.Namespace+"/"+a.Name)
	}
	// ns2/owned was j2's too.
	if !slices.Equal(names, []string{"ns/detached"}) {
		t.Errorf("actors %v", names)
	}
	if err := s.jobHeartbeat(at(6*time.Second), "ffffffff"); !errors.Is(err, ErrUnknownJob) || err.Error() != "cluster: unknown job: ffffffff" {
		t.Errorf("unknown job: %v", err)
	}
}

func TestStoreActorsOnDeadNode(t *testing.T) {
	s := newStore(time.Second, time.Hour)
	node := mustRegister(t, s, at(0), "n:1", 1)
	job := s.registerJob(at(0), &pb.RegisterJobRequest{})
	reg := func(name string, maxRestarts int32) {
		t.Helper()
		if _, err := s.registerActor(&pb.RegisterActorRequest{Name: name, ClassName: "C", NodeId: node, JobId: job, MaxRestarts: maxRestarts, State: pb.ActorRecord_ALIVE}); err != nil {
			t.Fatal(err)
		}
	}
	reg("once", 0)
	reg("twice", 1)
	reg("forever", -1)
	s.expire(at(2 * time.Second))
	want := map[string]struct {
		state    pb.ActorRecord_State
		restarts int32
	}{"once": {pb.ActorRecord_DEAD, 0}, "twice": {pb.ActorRecord_RESTARTING, 1}, "forever": {pb.ActorRecord_RESTARTING, 1}}
	for _, a := range s.listActors("") {
		if w := want[a.Name]; a.State != w.state || a.Restarts != w.restarts || a.NodeId != "" {
			t.Errorf("%s: %v restarts %d node %q, want %v restarts %d", a.Name, a.State, a.Restarts, a.NodeId, w.state, w.restarts)
		}
	}
	if a, _ := s.lookupActor("", "once"); a != nil {
		t.Error("a dead actor's name is still taken")
	}
	// A name freed by death can be registered again.
	node2 := mustRegister(t, s, at(2*time.Second), "n:2", 1)
	if _, err := s.registerActor(&pb.RegisterActorRequest{Name: "once", ClassName: "C", NodeId: node2, JobId: job, State: pb.ActorRecord_ALIVE}); err != nil {
		t.Fatal(err)
	}
	// twice is placed again, then restarts past its budget: dead.
	tw, _ := s.lookupActor("", "twice")
	if a, err := s.updateActor(&pb.UpdateActorRequest{ActorId: tw.ActorId, State: pb.ActorRecord_ALIVE, NodeId: node2}); err != nil || a.State != pb.ActorRecord_ALIVE || a.NodeId != node2 {
		t.Fatalf("update to ALIVE: %v, %v", a, err)
	}
	a, err := s.updateActor(&pb.UpdateActorRequest{ActorId: tw.ActorId, State: pb.ActorRecord_RESTARTING})
	if err != nil || a.State != pb.ActorRecord_DEAD || a.DeathReason != "restarted 1 times, max_restarts 1" {
		t.Fatalf("restart past budget: %v, %v", a, err)
	}
	if _, err := s.updateActor(&pb.UpdateActorRequest{ActorId: tw.ActorId, State: pb.ActorRecord_ALIVE}); err == nil ||
		err.Error() != "cluster: invalid argument: UpdateActor "+tw.ActorId+": the actor is dead" {
		t.Fatalf("revive a dead actor: %v", err)
	}
}

func TestStoreTotalsCustomResources(t *testing.T) {
	s := newStore(time.Second, time.Second)
	for _, gpus := range []float64{1, 2} {
		res := &pb.Resources{Cpus: 2, Custom: map[string]float64{"gpu": gpus}}
		if _, err := s.registerNode(at(0), &pb.RegisterNodeRequest{Address: "n", Resources: res, Stats: &pb.NodeStats{Available: &pb.Resources{Cpus: 1, Custom: map[string]float64{"gpu": gpus - 1}}}}); err != nil {
			t.Fatal(err)
		}
	}
	tot := s.status(at(0)).Totals
	if tot.Total.Cpus != 4 || tot.Total.Custom["gpu"] != 3 || tot.Available.Cpus != 2 || tot.Available.Custom["gpu"] != 1 {
		t.Errorf("totals %v", tot)
	}
}
