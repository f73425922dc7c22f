package cluster

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/protobuf/proto"
)

// store is the head's global control store: the node table, the actor
// directory, the KV store and the job table, all in memory (a restarted head
// starts empty and the nodes register again).
//
// It reads no clock and does no I/O: every call whose outcome depends on time
// takes now from the caller, so tests drive heartbeats and expiry without
// sleeping. It is safe for concurrent use. Records it returns are copies.
type store struct {
	nodeTimeout time.Duration // a node silent this long is dead
	jobTimeout  time.Duration // a driver silent this long has failed its job

	mu        sync.Mutex
	nodes     map[string]*pb.NodeRecord
	nodeOrder []string // registration order, for listing
	actors    map[string]*pb.ActorRecord
	actorIDs  []string          // registration order
	names     map[string]string // namespace + "\x00" + name -> ID, of actors not dead
	kv        map[string]map[string][]byte
	jobs      map[string]*jobEntry
	jobOrder  []string
	nextJob   uint64
	nextActor uint64
	// changed is closed, and replaced, on every change, so watchers wait on
	// it without polling.
	changed chan struct{}
}

type jobEntry struct {
	rec           *pb.JobRecord
	lastHeartbeat time.Time
}

func newStore(nodeTimeout, jobTimeout time.Duration) *store {
	return &store{
		nodeTimeout: nodeTimeout,
		jobTimeout:  jobTimeout,
		nodes:       map[string]*pb.NodeRecord{},
		actors:      map[string]*pb.ActorRecord{},
		names:       map[string]string{},
		kv:          map[string]map[string][]byte{},
		jobs:        map[string]*jobEntry{},
		changed:     make(chan struct{}),
	}
}

// touch wakes the watchers. Called with mu held.
func (s *store) touch() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// watch returns a channel closed at the next change.
func (s *store) watch() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// newNodeID returns 16 random hex digits: a node that comes back after being
// declared dead must never get its old ID again.
func newNodeID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func ms(t time.Time) int64 { return t.UnixMilli() }

func (s *store) registerNode(now time.Time, req *pb.RegisterNodeRequest) (string, error) {
	if req.GetAddress() == "" {
		return "", fmt.Errorf("%w: RegisterNode: empty node address", ErrInvalidArgument)
	}
	res := req.GetResources()
	if res == nil {
		res = &pb.Resources{}
	}
	stats := req.GetStats()
	if stats == nil {
		stats = &pb.NodeStats{Available: res}
	}
	id := newNodeID()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nodes[id] = &pb.NodeRecord{
		NodeId:              id,
		Address:             req.GetAddress(),
		Hostname:            req.GetHostname(),
		IsHead:              req.GetIsHead(),
		State:               pb.NodeRecord_ALIVE,
		Resources:           proto.CloneOf(res),
		Stats:               proto.CloneOf(stats),
		RegisteredUnixMs:    ms(now),
		LastHeartbeatUnixMs: ms(now),
		Pid:                 req.GetPid(),
	}
	s.nodeOrder = append(s.nodeOrder, id)
	s.touch()
	return id, nil
}

// heartbeat records a node's stats. A node whose last heartbeat is older
// than the timeout is declared dead here too, not only by expire: otherwise
// a late heartbeat racing the expiry tick would revive it.
func (s *store) heartbeat(now time.Time, id string, stats *pb.NodeStats) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.nodes[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownNode, id)
	}
	if n.State == pb.NodeRecord_ALIVE && now.Sub(time.UnixMilli(n.LastHeartbeatUnixMs)) > s.nodeTimeout {
		s.killNode(now, n, "missed heartbeats")
		s.touch()
	}
	if n.State == pb.NodeRecord_DEAD {
		return fmt.Errorf("%w: %s (%s)", ErrNodeDead, id, n.DeathReason)
	}
	n.LastHeartbeatUnixMs = ms(now)
	if stats != nil {
		n.Stats = proto.CloneOf(stats)
	}
	s.touch()
	return nil
}

func (s *store) unregisterNode(now time.Time, id, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.nodes[id]
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownNode, id)
	}
	if n.State == pb.NodeRecord_DEAD {
		return nil
	}
	s.killNode(now, n, "unregistered: "+reason)
	s.touch()
	return nil
}

// killNode declares n dead. Its actors restart if their budget allows
// (RESTARTING, waiting to be placed again), else they die. Called with mu
// held.
func (s *store) killNode(now time.Time, n *pb.NodeRecord, reason string) {
	n.State = pb.NodeRecord_DEAD
	n.DeadUnixMs = ms(now)
	n.DeathReason = reason
	for _, id := range s.actorIDs {
		a := s.actors[id]
		if a.NodeId != n.NodeId || a.State == pb.ActorRecord_DEAD {
			continue
		}
		a.NodeId = ""
		if a.MaxRestarts < 0 || a.Restarts < a.MaxRestarts {
			a.State = pb.ActorRecord_RESTARTING
			a.Restarts++
			continue
		}
		s.killActor(a, "node "+n.NodeId+" died")
	}
}

// killActor marks a dead and frees its name. Called with mu held.
func (s *store) killActor(a *pb.ActorRecord, reason string) {
	a.State = pb.ActorRecord_DEAD
	a.DeathReason = reason
	if a.Name != "" && s.names[nameKey(a.Namespace, a.Name)] == a.ActorId {
		delete(s.names, nameKey(a.Namespace, a.Name))
	}
}

// expire declares dead the nodes silent for longer than the node timeout and
// fails the jobs whose drivers are silent for longer than the job timeout,
// and returns their IDs.
func (s *store) expire(now time.Time) (deadNodes, failedJobs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range s.nodeOrder {
		n := s.nodes[id]
		if n.State == pb.NodeRecord_ALIVE && now.Sub(time.UnixMilli(n.LastHeartbeatUnixMs)) > s.nodeTimeout {
			s.killNode(now, n, "missed heartbeats")
			deadNodes = append(deadNodes, id)
		}
	}
	for _, id := range s.jobOrder {
		j := s.jobs[id]
		if j.rec.State == pb.JobRecord_RUNNING && now.Sub(j.lastHeartbeat) > s.jobTimeout {
			s.endJob(now, j, pb.JobRecord_FAILED)
			failedJobs = append(failedJobs, id)
		}
	}
	if len(deadNodes)+len(failedJobs) > 0 {
		s.touch()
	}
	return deadNodes, failedJobs
}

func (s *store) registerJob(now time.Time, req *pb.RegisterJobRequest) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextJob++
	id := fmt.Sprintf("%08x", s.nextJob)
	s.jobs[id] = &jobEntry{
		rec: &pb.JobRecord{
			JobId:         id,
			State:         pb.JobRecord_RUNNING,
			Entrypoint:    req.GetEntrypoint(),
			Namespace:     req.GetNamespace(),
			DriverAddress: req.GetDriverAddress(),
			DriverPid:     req.GetDriverPid(),
			StartUnixMs:   ms(now),
		},
		lastHeartbeat: now,
	}
	s.jobOrder = append(s.jobOrder, id)
	s.touch()
	return id
}

// runningJob returns the job if it is running. Called with mu held.
func (s *store) runningJob(id string) (*jobEntry, error) {
	j, ok := s.jobs[id]
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrUnknownJob, id)
	}
	if j.rec.State != pb.JobRecord_RUNNING {
		return nil, fmt.Errorf("%w: %s is %s", ErrJobEnded, id, j.rec.State)
	}
	return j, nil
}

func (s *store) jobHeartbeat(now time.Time, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.runningJob(id)
	if err != nil {
		return err
	}
	if now.Sub(j.lastHeartbeat) > s.jobTimeout {
		s.endJob(now, j, pb.JobRecord_FAILED)
		s.touch()
		return fmt.Errorf("%w: %s is %s", ErrJobEnded, id, j.rec.State)
	}
	j.lastHeartbeat = now
	return nil
}

func (s *store) finishJob(now time.Time, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, err := s.runningJob(id)
	if err != nil {
		return err
	}
	s.endJob(now, j, pb.JobRecord_FINISHED)
	s.touch()
	return nil
}

// endJob ends j and removes its actors that are not detached: they live
// only as long as the job that created them. Called with mu held.
func (s *store) endJob(now time.Time, j *jobEntry, st pb.JobRecord_State) {
	j.rec.State = st
	j.rec.EndUnixMs = ms(now)
	s.actorIDs = slices.DeleteFunc(s.actorIDs, func(id string) bool {
		a := s.actors[id]
		if a.JobId != j.rec.JobId || a.Detached {
			return false
		}
		s.killActor(a, "job "+j.rec.JobId+" ended")
		delete(s.actors, id)
		return true
	})
}

func nameKey(namespace, name string) string { return namespace + "\x00" + name }

func (s *store) registerActor(req *pb.RegisterActorRequest) (*pb.ActorRecord, error) {
	if req.GetClassName() == "" {
		return nil, fmt.Errorf("%w: RegisterActor: empty class name", ErrInvalidArgument)
	}
	st := req.GetState()
	switch st {
	case pb.ActorRecord_STATE_UNSPECIFIED:
		st = pb.ActorRecord_PENDING
	case pb.ActorRecord_PENDING, pb.ActorRecord_ALIVE:
	default:
		return nil, fmt.Errorf("%w: RegisterActor %q: state %s (want PENDING or ALIVE)", ErrInvalidArgument, req.GetName(), st)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if req.GetJobId() != "" {
		if _, err := s.runningJob(req.GetJobId()); err != nil {
			return nil, fmt.Errorf("RegisterActor %q: %w", req.GetName(), err)
		}
	} else if !req.GetDetached() {
		return nil, fmt.Errorf("%w: RegisterActor %q: an actor that is not detached needs its job's ID", ErrInvalidArgument, req.GetName())
	}
	if req.GetNodeId() != "" {
		if n, ok := s.nodes[req.GetNodeId()]; !ok || n.State != pb.NodeRecord_ALIVE {
			return nil, fmt.Errorf("RegisterActor %q: %w: %s", req.GetName(), ErrUnknownNode, req.GetNodeId())
		}
	}
	key := nameKey(req.GetNamespace(), req.GetName())
	if req.GetName() != "" {
		if _, taken := s.names[key]; taken {
			return nil, fmt.Errorf("%w: %q in namespace %q", ErrActorExists, req.GetName(), req.GetNamespace())
		}
	}
	s.nextActor++
	a := &pb.ActorRecord{
		ActorId:     fmt.Sprintf("%016x", s.nextActor),
		Name:        req.GetName(),
		Namespace:   req.GetNamespace(),
		ClassName:   req.GetClassName(),
		NodeId:      req.GetNodeId(),
		JobId:       req.GetJobId(),
		State:       st,
		Detached:    req.GetDetached(),
		MaxRestarts: req.GetMaxRestarts(),
	}
	s.actors[a.ActorId] = a
	s.actorIDs = append(s.actorIDs, a.ActorId)
	if a.Name != "" {
		s.names[key] = a.ActorId
	}
	s.touch()
	return proto.CloneOf(a), nil
}

// updateActor moves an actor to a new state (its owner or, later, the head's
// placement reports it). Entering RESTARTING counts a restart; a dead actor
// stays dead.
func (s *store) updateActor(req *pb.UpdateActorRequest) (*pb.ActorRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.actors[req.GetActorId()]
	if !ok {
		return nil, fmt.Errorf("%w: ID %s", ErrActorNotFound, req.GetActorId())
	}
	if a.State == pb.ActorRecord_DEAD {
		return nil, fmt.Errorf("%w: UpdateActor %s: the actor is dead", ErrInvalidArgument, a.ActorId)
	}
	if req.GetNodeId() != "" {
		if n, ok := s.nodes[req.GetNodeId()]; !ok || n.State != pb.NodeRecord_ALIVE {
			return nil, fmt.Errorf("UpdateActor %s: %w: %s", a.ActorId, ErrUnknownNode, req.GetNodeId())
		}
	}
	switch req.GetState() {
	case pb.ActorRecord_ALIVE, pb.ActorRecord_PENDING:
		a.State = req.GetState()
		a.NodeId = req.GetNodeId()
	case pb.ActorRecord_RESTARTING:
		if a.MaxRestarts >= 0 && a.Restarts >= a.MaxRestarts {
			s.killActor(a, fmt.Sprintf("restarted %d times, max_restarts %d", a.Restarts, a.MaxRestarts))
			break
		}
		a.State = pb.ActorRecord_RESTARTING
		a.NodeId = ""
		a.Restarts++
	case pb.ActorRecord_DEAD:
		a.NodeId = ""
		s.killActor(a, req.GetDeathReason())
	default:
		return nil, fmt.Errorf("%w: UpdateActor %s: state %s", ErrInvalidArgument, a.ActorId, req.GetState())
	}
	s.touch()
	return proto.CloneOf(a), nil
}

func (s *store) lookupActor(namespace, name string) (*pb.ActorRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.names[nameKey(namespace, name)]
	if !ok {
		return nil, fmt.Errorf("%w: %q in namespace %q", ErrActorNotFound, name, namespace)
	}
	return proto.CloneOf(s.actors[id]), nil
}

// listActors lists the actors of namespace (every namespace if empty) in
// registration order, dead ones included.
func (s *store) listActors(namespace string) []*pb.ActorRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listActorsLocked(namespace)
}

func (s *store) listActorsLocked(namespace string) []*pb.ActorRecord {
	out := []*pb.ActorRecord{}
	for _, id := range s.actorIDs {
		if a := s.actors[id]; namespace == "" || a.Namespace == namespace {
			out = append(out, proto.CloneOf(a))
		}
	}
	return out
}

// kvPut stores value under (namespace, key); an existing key keeps its
// value unless overwrite. It reports whether the key is new.
func (s *store) kvPut(namespace, key string, value []byte, overwrite bool) (bool, error) {
	if key == "" {
		return false, fmt.Errorf("%w: KVPut: empty key", ErrInvalidArgument)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ns := s.kv[namespace]
	if ns == nil {
		ns = map[string][]byte{}
		s.kv[namespace] = ns
	}
	_, exists := ns[key]
	if exists && !overwrite {
		return false, nil
	}
	ns[key] = slices.Clone(value)
	return !exists, nil
}

func (s *store) kvGet(namespace, key string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.kv[namespace][key]
	if !ok {
		return nil, fmt.Errorf("%w: %q in namespace %q", ErrKeyNotFound, key, namespace)
	}
	return slices.Clone(v), nil
}

func (s *store) kvDelete(namespace, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.kv[namespace][key]
	delete(s.kv[namespace], key)
	return ok
}

// kvList returns the keys of namespace starting with prefix, sorted.
func (s *store) kvList(namespace, prefix string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	keys := []string{}
	for k := range s.kv[namespace] {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// status returns a copy of everything, nodes, actors and jobs in
// registration order, with totals over the alive nodes.
func (s *store) status(now time.Time) *pb.ClusterStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := &pb.ClusterStatus{NowUnixMs: ms(now), Actors: s.listActorsLocked("")}
	t := &pb.ClusterTotals{Total: &pb.Resources{}, Available: &pb.Resources{}}
	for _, id := range s.nodeOrder {
		n := s.nodes[id]
		st.Nodes = append(st.Nodes, proto.CloneOf(n))
		if n.State != pb.NodeRecord_ALIVE {
			t.NodesDead++
			continue
		}
		t.NodesAlive++
		addResources(t.Total, n.GetResources())
		addResources(t.Available, n.GetStats().GetAvailable())
		t.TasksPending += n.GetStats().GetTasksPending()
		t.TasksRunning += n.GetStats().GetTasksRunning()
		t.ObjectsCount += n.GetStats().GetObjectsCount()
		t.ObjectsBytes += n.GetStats().GetObjectsBytes()
	}
	for _, a := range st.Actors {
		if a.State == pb.ActorRecord_ALIVE {
			t.ActorsAlive++
		}
	}
	for _, id := range s.jobOrder {
		j := s.jobs[id]
		st.Jobs = append(st.Jobs, proto.CloneOf(j.rec))
		if j.rec.State == pb.JobRecord_RUNNING {
			t.JobsRunning++
		}
	}
	st.Totals = t
	return st
}

func addResources(dst, r *pb.Resources) {
	if r == nil {
		return
	}
	dst.Cpus += r.Cpus
	dst.ObjectStoreBytes += r.ObjectStoreBytes
	for k, v := range r.Custom {
		if dst.Custom == nil {
			dst.Custom = map[string]float64{}
		}
		dst.Custom[k] += v
	}
}
