package sched

import "slices"

// State is one node's scheduler. Build it with New; feed it events with Step.
type State struct {
	pool    *Pool
	classes map[string]*Class
	active  []*Class // classes with queued tasks, in order of first arrival
	running []*Task
	actors  map[uint64]*Actor // placed or pending, not dead
	count   [TaskDone + 1]int // live tasks per state: waiting, queued, running
	blocked int
	dead    int // actors that died
	closed  bool
}

// New returns a scheduler over pool.
func New(pool *Pool) *State {
	return &State{pool: pool, classes: map[string]*Class{}, actors: map[uint64]*Actor{}}
}

// Pool returns the node's resources. The caller must not change them.
func (s *State) Pool() *Pool { return s.pool }

// Class returns the scheduling class for d, creating it on first use. Callers
// cache the result: it is the same pointer for equal demands.
func (s *State) Class(d Demand) *Class {
	k := d.key()
	c, ok := s.classes[k]
	if !ok {
		c = &Class{Demand: d}
		s.classes[k] = c
	}
	return c
}

// Counts summarises tasks and actors now.
func (s *State) Counts() Counts {
	c := Counts{Waiting: s.count[TaskWaiting], Queued: s.count[TaskQueued], Running: s.count[TaskRunning], Blocked: s.blocked, ActorsDead: s.dead}
	for _, a := range s.actors {
		if a.state == ActorAlive {
			c.ActorsAlive++
		}
	}
	return c
}

// Step applies one event and appends the actions it causes to out, which it
// returns. Events about tasks or actors the scheduler has finished with are
// ignored, so callers need not guard against races such as a cancel arriving
// just after a task finished.
func (s *State) Step(ev Event, out []Action) []Action {
	switch ev.Kind {
	case Submit:
		out = s.submit(ev.Task, out)
	case DepReady:
		out = s.depReady(ev.Task, out)
	case Finished:
		out = s.finished(ev.Task, out)
	case Blocked:
		out = s.block(ev.Task, out)
	case Unblocked:
		s.unblock(ev.Task)
	case Cancel:
		out = s.cancel(ev.Task, out)
	case CreateActor:
		out = s.createActor(ev.Actor, out)
	case ActorStarted:
		out = s.actorStarted(ev.Actor, out)
	case ActorFailed:
		out = s.actorFailed(ev.Actor, out)
	case ActorCrashed:
		out = s.actorCrashed(ev.Actor, out)
	case KillActor:
		out = s.die(ev.Actor, ReasonKilled, out)
	case ReleaseActor:
		ev.Actor.released = true
		out = s.dispatchActor(ev.Actor, out)
	case Shutdown:
		out = s.shutdown(out)
	}
	return out
}

// setState moves t and keeps the per-state counts of live tasks.
func (s *State) setState(t *Task, st TaskState) {
	if t.state != TaskNew && t.state != TaskDone {
		s.count[t.state]--
	}
	if st != TaskNew && st != TaskDone {
		s.count[st]++
	}
	t.state = st
}

func (s *State) submit(t *Task, out []Action) []Action {
	// A retry resubmits a finished task; a brand-new one starts from TaskNew.
	if t.state != TaskNew && t.state != TaskDone {
		return out
	}
	if s.closed {
		return s.fail(t, ReasonShutdown, out)
	}
	if a := t.Actor; a != nil {
		if a.state == ActorDead {
			return s.fail(t, ReasonActorDead, out)
		}
		a.mailbox = append(a.mailbox, t)
		if t.Deps > 0 {
			s.setState(t, TaskWaiting)
			return out
		}
		s.setState(t, TaskQueued)
		return s.dispatchActor(a, out)
	}
	if !s.pool.Feasible(t.Class.Demand) {
		return s.fail(t, ReasonInfeasible, out)
	}
	if t.Deps > 0 {
		s.setState(t, TaskWaiting)
		return out
	}
	s.enqueue(t)
	return s.admit(out)
}

func (s *State) fail(t *Task, r Reason, out []Action) []Action {
	s.setState(t, TaskDone)
	return append(out, Action{Kind: Fail, Task: t, Reason: r})
}

func (s *State) depReady(t *Task, out []Action) []Action {
	if t.state != TaskWaiting {
		return out
	}
	if t.Deps--; t.Deps > 0 {
		return out
	}
	if s.closed {
		return s.fail(t, ReasonShutdown, out)
	}
	if a := t.Actor; a != nil {
		s.setState(t, TaskQueued)
		return s.dispatchActor(a, out)
	}
	s.enqueue(t)
	return s.admit(out)
}

func (s *State) enqueue(t *Task) {
	s.setState(t, TaskQueued)
	c := t.Class
	c.push(t)
	if !c.active {
		c.active = true
		s.active = append(s.active, c)
	}
}

// admit starts queued tasks, class by class, while their demand fits.
func (s *State) admit(out []Action) []Action {
	if s.closed {
		return out
	}
	kept := s.active[:0]
	for _, c := range s.active {
		for c.len() > 0 && s.pool.Fits(c.Demand) {
			out = s.start(c.pop(), out)
		}
		if c.len() > 0 {
			kept = append(kept, c)
		} else {
			c.active = false
		}
	}
	clear(s.active[len(kept):])
	s.active = kept
	return out
}

func (s *State) start(t *Task, out []Action) []Action {
	if t.Class != nil {
		s.pool.acquire(t.Class.Demand)
	}
	if a := t.Actor; a != nil && a.Creation == t {
		a.state = ActorStarting
	}
	s.setState(t, TaskRunning)
	t.runIndex = len(s.running)
	s.running = append(s.running, t)
	return append(out, Action{Kind: Run, Task: t})
}

// stop takes a running task off the running list and marks it done. It does
// not touch resources.
func (s *State) stop(t *Task) {
	if t.state != TaskRunning {
		return
	}
	last := s.running[len(s.running)-1]
	s.running[t.runIndex] = last
	last.runIndex = t.runIndex
	s.running[len(s.running)-1] = nil
	s.running = s.running[:len(s.running)-1]
	if t.blocked > 0 {
		s.blocked--
	}
	s.setState(t, TaskDone)
}

func (s *State) finished(t *Task, out []Action) []Action {
	if t.state != TaskRunning {
		return out
	}
	if a := t.Actor; a != nil && a.Creation == t {
		return out // a constructor ends with ActorStarted or ActorFailed
	}
	wasBlocked := t.blocked > 0
	s.stop(t)
	t.blocked = 0
	if a := t.Actor; a != nil {
		if a.busy == t {
			a.busy = nil
		}
		return s.dispatchActor(a, out)
	}
	s.pool.release(t.Class.Demand)
	if wasBlocked { // its CPU went back when it blocked
		s.pool.FreeCPU -= t.Class.Demand.CPU
	}
	return s.admit(out)
}

func (s *State) block(t *Task, out []Action) []Action {
	if t.state != TaskRunning || t.Class == nil || t.Actor != nil {
		return out
	}
	t.blocked++
	if t.blocked > 1 {
		return out
	}
	s.blocked++
	s.pool.FreeCPU += t.Class.Demand.CPU
	return s.admit(out)
}

func (s *State) unblock(t *Task) {
	if t.state != TaskRunning || t.blocked == 0 {
		return
	}
	t.blocked--
	if t.blocked == 0 {
		s.blocked--
		s.pool.FreeCPU -= t.Class.Demand.CPU
	}
}

func (s *State) cancel(t *Task, out []Action) []Action {
	if a := t.Actor; a != nil && a.Creation == t {
		return out // an actor's construction is ended by KillActor, not Cancel
	}
	switch t.state {
	case TaskWaiting, TaskQueued:
		if a := t.Actor; a != nil {
			removeTask(&a.mailbox, t)
			out = s.fail(t, ReasonCancelled, out)
			return s.dispatchActor(a, out)
		}
		if t.state == TaskQueued {
			t.Class.remove(t)
		}
		return s.fail(t, ReasonCancelled, out)
	case TaskRunning:
		return append(out, Action{Kind: Interrupt, Task: t, Reason: ReasonCancelled})
	}
	return out
}

func removeTask(list *[]*Task, t *Task) {
	for i, x := range *list {
		if x == t {
			*list = append((*list)[:i], (*list)[i+1:]...)
			return
		}
	}
}

func (s *State) dispatchActor(a *Actor, out []Action) []Action {
	if a.state != ActorAlive || a.busy != nil {
		return out
	}
	if len(a.mailbox) == 0 {
		if a.released {
			return s.die(a, ReasonOutOfScope, out)
		}
		return out
	}
	head := a.mailbox[0]
	if head.state != TaskQueued { // its dependencies are not ready yet
		return out
	}
	a.mailbox[0] = nil
	a.mailbox = a.mailbox[1:]
	a.busy = head
	return s.start(head, out)
}

func (s *State) createActor(a *Actor, out []Action) []Action {
	if a.state != ActorPending || a.Creation == nil || a.Creation.state != TaskNew {
		return out
	}
	t := a.Creation
	t.Actor, t.Class = a, a.Class
	if s.closed {
		s.setState(t, TaskDone)
		return s.die(a, ReasonShutdown, out)
	}
	s.actors[a.ID] = a
	if !s.pool.Feasible(a.Class.Demand) {
		s.setState(t, TaskDone)
		return s.die(a, ReasonInfeasible, out)
	}
	s.enqueue(t)
	return s.admit(out)
}

func (s *State) actorStarted(a *Actor, out []Action) []Action {
	if a.state != ActorStarting {
		return out
	}
	s.stop(a.Creation)
	a.state = ActorAlive
	return s.dispatchActor(a, out)
}

func (s *State) actorFailed(a *Actor, out []Action) []Action {
	if a.state != ActorStarting {
		return out
	}
	s.stop(a.Creation)
	return s.die(a, ReasonCtorFailed, out)
}

func (s *State) actorCrashed(a *Actor, out []Action) []Action {
	if a.state != ActorAlive || a.busy == nil {
		return out
	}
	s.stop(a.busy)
	a.busy = nil
	if a.MaxRestarts >= 0 && a.restarts >= a.MaxRestarts {
		return s.die(a, ReasonCrashed, out)
	}
	a.restarts++
	a.state = ActorStarting
	// The actor keeps its resources across a restart: only the constructor re-runs.
	t := a.Creation
	s.setState(t, TaskRunning)
	t.runIndex = len(s.running)
	s.running = append(s.running, t)
	return append(out, Action{Kind: Run, Task: t})
}

// die marks a dead, gives back its resources, fails its queued calls and
// interrupts whatever of it runs.
func (s *State) die(a *Actor, r Reason, out []Action) []Action {
	prev := a.state
	if prev == ActorDead {
		return out
	}
	a.state, a.reason = ActorDead, r
	s.dead++
	delete(s.actors, a.ID)
	held := prev != ActorPending
	if prev == ActorPending && a.Creation.state == TaskQueued {
		a.Class.remove(a.Creation)
		s.setState(a.Creation, TaskDone)
	}
	if prev == ActorStarting && a.Creation.state == TaskRunning {
		s.stop(a.Creation)
		out = append(out, Action{Kind: Interrupt, Task: a.Creation, Reason: r})
	}
	if t := a.busy; t != nil {
		s.stop(t)
		a.busy = nil
		out = append(out, Action{Kind: Interrupt, Task: t, Reason: r})
	}
	callReason := ReasonActorDead
	if r == ReasonShutdown {
		callReason = ReasonShutdown
	}
	for _, t := range a.mailbox {
		out = s.fail(t, callReason, out)
	}
	a.mailbox = nil
	out = append(out, Action{Kind: ActorDied, Actor: a, Reason: r})
	if held {
		s.pool.release(a.Class.Demand)
		out = s.admit(out)
	}
	return out
}

func (s *State) shutdown(out []Action) []Action {
	if s.closed {
		return out
	}
	s.closed = true
	actors := make([]*Actor, 0, len(s.actors))
	for _, a := range s.actors {
		actors = append(actors, a)
	}
	// By ID, so the actions replay identically.
	slices.SortFunc(actors, func(a, b *Actor) int {
		if a.ID < b.ID {
			return -1
		}
		if a.ID > b.ID {
			return 1
		}
		return 0
	})
	for _, a := range actors {
		out = s.die(a, ReasonShutdown, out)
	}
	for _, c := range s.active {
		for c.len() > 0 {
			out = s.fail(c.pop(), ReasonShutdown, out)
		}
		c.active = false
	}
	s.active = s.active[:0]
	for _, t := range s.running {
		out = append(out, Action{Kind: Interrupt, Task: t, Reason: ReasonShutdown})
	}
	return out
}
