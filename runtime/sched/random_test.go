package sched_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shoaldata/shoal/runtime/sched"
)

var seedFlag = flag.Uint64("seed", 0, "seed for TestRandomScripts; 0 takes one from the clock")

// TestRandomScripts feeds random scripts of submits, dependencies, finishes,
// blocks, cancels, actors and a shutdown to State, on pools of 1, 2, 3 and 16
// CPUs, and checks after every step:
//
//   - resources: FreeCPU == TotalCPU - CPU of running tasks not blocked -
//     CPU of actors starting or alive, exactly, oversubscribed windows
//     included (a woken task counts again, so FreeCPU may be negative); the
//     same for the GPU, which blocked tasks keep; after a step that ran
//     something FreeCPU >= 0 (admission never oversubscribes);
//   - every change of a task's state is explained by the event or an action:
//     it runs only with a Run action, only once per Submit, only with all its
//     dependencies ready, never after Shutdown; it fails only with a Fail
//     action whose reason matches the event; Interrupt only for running tasks;
//   - work conservation: no queued task's demand fits the free pool, and an
//     idle live actor's first pending call is not ready;
//   - FIFO within a class; an actor's calls run one at a time in submission
//     order, only while it is alive;
//   - Counts agrees with the task and actor states; a dead actor stays dead
//     with the reason its ActorDied action gave; a released actor dies once
//     it has no call left;
//
// and at the end, after all dependencies come, all tasks finish and the
// actors are killed: every task is done and the pool is whole again.
func TestRandomScripts(t *testing.T) {
	seed := *seedFlag
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -seed=%d)", seed, seed)
	scripts, steps := 50, 300
	if testing.Short() {
		scripts = 10
	}
	for _, cpus := range []float64{1, 2, 3, 16} {
		t.Run(fmt.Sprintf("cpu=%g", cpus), func(t *testing.T) {
			for i := range scripts {
				m := newRandModel(t, rand.New(rand.NewPCG(seed, uint64(i))), cpus)
				m.where = fmt.Sprintf("seed=%d cpu=%g script=%d", seed, cpus, i)
				m.run(steps)
			}
		})
	}
}

type rtask struct {
	t        *sched.Task
	name     string
	cpu, gpu sched.Quantity
	call     *ractor // set for an actor method call
	ctorOf   *ractor // set for an actor's creation task
	deps     int     // DepReady events still to come before it may run
	blocked  int     // nested Blocked events the model sent while it ran
	ran      bool    // Run since its last Submit
	queued   int     // sequence number of when it last became ready, for FIFO
}

func (rt *rtask) plain() bool { return rt.call == nil && rt.ctorOf == nil }

type ractor struct {
	a        *sched.Actor
	name     string
	cpu, gpu sched.Quantity
	ctor     *rtask
	calls    []*rtask // in submission order
	released bool     // ReleaseActor was sent
	died     bool     // ActorDied was returned, with reason
	reason   sched.Reason
}

type randModel struct {
	t        *testing.T
	r        *rand.Rand
	s        *sched.State
	totalGPU sched.Quantity
	tasks    []*rtask
	byTask   map[*sched.Task]*rtask
	actors   []*ractor
	closed   bool
	seq      int
	nextID   uint64
	out      []sched.Action
	where    string
	history  []string
}

func newRandModel(t *testing.T, r *rand.Rand, cpus float64) *randModel {
	p, err := sched.NewPool(cpus, map[string]float64{"GPU": 1})
	if err != nil {
		t.Fatal(err)
	}
	return &randModel{t: t, r: r, s: sched.New(p), totalGPU: sched.Unit, byTask: map[*sched.Task]*rtask{}}
}

func (m *randModel) fatalf(format string, args ...any) {
	m.t.Helper()
	h := m.history
	if len(h) > 40 {
		h = h[len(h)-40:]
	}
	m.t.Fatalf("%s: %s\nlast steps:\n\t%s", m.where, fmt.Sprintf(format, args...), strings.Join(h, "\n\t"))
}

func (m *randModel) pick(list []*rtask) *rtask {
	if len(list) == 0 {
		return nil
	}
	return list[m.r.IntN(len(list))]
}

func (m *randModel) inState(st sched.TaskState, keep func(*rtask) bool) []*rtask {
	var out []*rtask
	for _, rt := range m.tasks {
		if rt.t.State() == st && (keep == nil || keep(rt)) {
			out = append(out, rt)
		}
	}
	return out
}

func (m *randModel) newTask(name string, d sched.Demand, class *sched.Class, call *ractor) *rtask {
	m.nextID++
	rt := &rtask{name: name, cpu: d.CPU, call: call}
	for _, a := range d.Custom {
		if a.Name == "GPU" {
			rt.gpu = a.Qty
		}
	}
	rt.t = &sched.Task{ID: m.nextID, Class: class, Data: name}
	if call != nil {
		rt.t.Actor = call.a
		call.calls = append(call.calls, rt)
	}
	m.tasks = append(m.tasks, rt)
	m.byTask[rt.t] = rt
	return rt
}

func (m *randModel) demand() sched.Demand {
	cpus := []float64{0, 0.25, 0.5, 1, 1, 1, 1.5, 2, m.s.Pool().TotalCPU.Float()}
	cpu := cpus[m.r.IntN(len(cpus))]
	if m.r.IntN(30) == 0 {
		cpu = m.s.Pool().TotalCPU.Float() + 0.5 // infeasible
	}
	var custom map[string]float64
	switch m.r.IntN(10) {
	case 0:
		custom = map[string]float64{"GPU": 0.5}
	case 1:
		custom = map[string]float64{"GPU": 1}
	case 2:
		if m.r.IntN(5) == 0 {
			custom = map[string]float64{"GPU": 2} // infeasible
		}
	}
	d, err := sched.NewDemand(cpu, custom)
	if err != nil {
		m.t.Fatal(err)
	}
	return d
}

func (m *randModel) run(steps int) {
	shutdownAt := -1
	if m.r.IntN(4) == 0 {
		shutdownAt = m.r.IntN(steps)
	}
	for i := range steps {
		if i == shutdownAt {
			m.step(sched.Event{Kind: sched.Shutdown})
			continue
		}
		m.randomStep()
	}
	m.drain()
}

func (m *randModel) randomStep() {
	r := m.r
	anyTask := func() *rtask { // never an actor's creation task: see TestCancelQueuedActorCreation
		var l []*rtask
		for _, rt := range m.tasks {
			if rt.ctorOf == nil {
				l = append(l, rt)
			}
		}
		return m.pick(l)
	}
	taskEv := func(k sched.EventKind, rt *rtask) {
		if rt != nil {
			m.step(sched.Event{Kind: k, Task: rt.t})
		}
	}
	actor := func() *ractor {
		if len(m.actors) == 0 {
			return nil
		}
		return m.actors[r.IntN(len(m.actors))]
	}
	actorEv := func(k sched.EventKind, ra *ractor) {
		if ra != nil {
			m.step(sched.Event{Kind: k, Actor: ra.a})
		}
	}
	switch n := r.IntN(103); {
	case n < 25: // a new task
		d := m.demand()
		rt := m.newTask(fmt.Sprintf("t%d", len(m.tasks)), d, m.s.Class(d), nil)
		rt.t.Deps = []int{0, 0, 0, 1, 2}[r.IntN(5)]
		taskEv(sched.Submit, rt)
	case n < 29: // a retry of a done task
		rt := m.pick(m.inState(sched.TaskDone, (*rtask).plain))
		if rt != nil {
			rt.t.Deps = r.IntN(2)
		}
		taskEv(sched.Submit, rt)
	case n < 42:
		if r.IntN(5) == 0 {
			taskEv(sched.DepReady, anyTask())
		} else {
			taskEv(sched.DepReady, m.pick(m.inState(sched.TaskWaiting, nil)))
		}
	case n < 62:
		if r.IntN(10) == 0 {
			taskEv(sched.Finished, anyTask())
		} else {
			taskEv(sched.Finished, m.pick(m.inState(sched.TaskRunning, func(rt *rtask) bool { return rt.ctorOf == nil })))
		}
	case n < 69:
		taskEv(sched.Blocked, m.pick(m.inState(sched.TaskRunning, func(rt *rtask) bool { return rt.ctorOf == nil })))
	case n < 76:
		if r.IntN(5) == 0 {
			taskEv(sched.Unblocked, anyTask())
		} else {
			taskEv(sched.Unblocked, m.pick(m.inState(sched.TaskRunning, func(rt *rtask) bool { return rt.blocked > 0 })))
		}
	case n < 82:
		taskEv(sched.Cancel, anyTask())
	case n < 85: // a new actor
		cpu := []float64{0, 0.5, 1}[r.IntN(3)]
		var custom map[string]float64
		if r.IntN(6) == 0 {
			custom = map[string]float64{"GPU": 0.5}
		}
		if r.IntN(20) == 0 {
			cpu = m.s.Pool().TotalCPU.Float() + 1 // infeasible
		}
		d, err := sched.NewDemand(cpu, custom)
		if err != nil {
			m.t.Fatal(err)
		}
		m.nextID++
		ra := &ractor{name: fmt.Sprintf("A%d", len(m.actors)), cpu: d.CPU}
		for _, a := range d.Custom {
			ra.gpu = a.Qty
		}
		ra.a = &sched.Actor{ID: m.nextID, Class: m.s.Class(d), MaxRestarts: []int{-1, 0, 1, 2}[r.IntN(4)], Data: ra.name}
		ra.ctor = m.newTask(ra.name+".ctor", d, nil, nil)
		ra.ctor.ctorOf = ra
		ra.a.Creation = ra.ctor.t
		m.actors = append(m.actors, ra)
		actorEv(sched.CreateActor, ra)
	case n < 93: // a method call
		if ra := actor(); ra != nil {
			rt := m.newTask(fmt.Sprintf("%s.c%d", ra.name, len(ra.calls)), sched.Demand{}, nil, ra)
			rt.t.Deps = []int{0, 0, 1}[r.IntN(3)]
			taskEv(sched.Submit, rt)
		}
	case n < 97:
		ra := actor()
		if ra != nil && r.IntN(5) == 0 {
			actorEv(sched.ActorFailed, ra)
		} else {
			actorEv(sched.ActorStarted, ra)
		}
	case n < 99:
		actorEv(sched.ActorCrashed, actor())
	case n < 101:
		actorEv(sched.KillActor, actor())
	default:
		if ra := actor(); ra != nil {
			ra.released = true
			actorEv(sched.ReleaseActor, ra)
		}
	}
}

// drain lets every dependency come and every task finish, killing actors
// when only they hold resources back, until nothing is left.
func (m *randModel) drain() {
	for round := 0; ; round++ {
		if round > 10*len(m.tasks)+100 {
			m.fatalf("drain does not end: %+v", m.s.Counts())
		}
		progress := false
		for _, rt := range m.tasks {
			switch rt.t.State() {
			case sched.TaskWaiting:
				m.step(sched.Event{Kind: sched.DepReady, Task: rt.t})
				progress = true
			case sched.TaskRunning:
				if rt.ctorOf != nil {
					m.step(sched.Event{Kind: sched.ActorStarted, Actor: rt.ctorOf.a})
				} else {
					for rt.blocked > 0 {
						m.step(sched.Event{Kind: sched.Unblocked, Task: rt.t})
					}
					m.step(sched.Event{Kind: sched.Finished, Task: rt.t})
				}
				progress = true
			}
		}
		if progress {
			continue
		}
		killed := false
		for _, ra := range m.actors {
			if ra.a.State() != sched.ActorDead {
				m.step(sched.Event{Kind: sched.KillActor, Actor: ra.a})
				killed = true
				break
			}
		}
		if !killed {
			break
		}
	}
	for _, rt := range m.tasks {
		if st := rt.t.State(); st != sched.TaskDone {
			m.fatalf("after the drain %s is %v", rt.name, st)
		}
	}
	if c := m.s.Counts(); c.Waiting+c.Queued+c.Running+c.Blocked+c.ActorsAlive != 0 {
		m.fatalf("after the drain Counts() = %+v", c)
	}
	p := m.s.Pool()
	if p.FreeCPU != p.TotalCPU || m.freeGPU() != m.totalGPU {
		m.fatalf("after the drain the pool is %v", p.Snapshot())
	}
}

func (m *randModel) freeGPU() sched.Quantity {
	for _, r := range m.s.Pool().Snapshot() {
		if r.Name == "GPU" {
			return sched.Units(r.Free)
		}
	}
	m.t.Fatal("no GPU in the pool")
	return 0
}

var eventNames = map[sched.EventKind]string{
	sched.Submit: "submit", sched.DepReady: "ready", sched.Finished: "finish",
	sched.Blocked: "block", sched.Unblocked: "unblock", sched.Cancel: "cancel",
	sched.CreateActor: "create", sched.ActorStarted: "started", sched.ActorFailed: "ctor-failed",
	sched.ActorCrashed: "crashed", sched.KillActor: "kill", sched.ReleaseActor: "release",
	sched.Shutdown: "shutdown",
}

func formatEvent(ev sched.Event) string {
	name, ok := eventNames[ev.Kind]
	if !ok {
		name = fmt.Sprintf("event(%d)", ev.Kind)
	}
	switch {
	case ev.Task != nil:
		return fmt.Sprintf("%s %s (deps %d)", name, taskName(ev.Task), ev.Task.Deps)
	case ev.Actor != nil:
		return name + " " + actorName(ev.Actor)
	}
	return name
}

// step applies ev to the model and the scheduler and checks the result.
func (m *randModel) step(ev sched.Event) {
	m.t.Helper()
	prev := make(map[*rtask]sched.TaskState, len(m.tasks))
	for _, rt := range m.tasks {
		prev[rt] = rt.t.State()
	}
	prevActor := make(map[*ractor]sched.ActorState, len(m.actors))
	for _, ra := range m.actors {
		prevActor[ra] = ra.a.State()
	}
	evTask := m.byTask[ev.Task]
	if ev.Task != nil && evTask == nil {
		m.fatalf("event for an unknown task")
	}
	var evActor *ractor
	for _, ra := range m.actors {
		if ra.a == ev.Actor {
			evActor = ra
		}
	}
	desc := formatEvent(ev)

	// What the model knows before the scheduler does.
	switch ev.Kind {
	case sched.Submit:
		if st := prev[evTask]; st == sched.TaskNew || st == sched.TaskDone {
			evTask.ran, evTask.deps, evTask.blocked = false, ev.Task.Deps, 0
			if evTask.deps == 0 {
				evTask.queued = m.seq
			}
		}
	case sched.DepReady:
		if prev[evTask] == sched.TaskWaiting {
			if evTask.deps--; evTask.deps == 0 {
				evTask.queued = m.seq
			}
		}
	case sched.Finished:
		if prev[evTask] == sched.TaskRunning {
			evTask.blocked = 0
		}
	case sched.Blocked:
		if prev[evTask] == sched.TaskRunning && evTask.plain() {
			evTask.blocked++
		}
	case sched.Unblocked:
		if prev[evTask] == sched.TaskRunning && evTask.blocked > 0 {
			evTask.blocked--
		}
	case sched.CreateActor:
		evActor.ctor.queued = m.seq
	}
	m.seq++
	closedBefore := m.closed
	if ev.Kind == sched.Shutdown {
		m.closed = true
	}

	m.out = m.s.Step(ev, m.out[:0])
	m.history = append(m.history, desc+" -> "+formatActions(m.out))

	// Each action must be allowed.
	ran := map[*rtask]bool{}
	acquired := false // a Run that took resources from the pool
	failed := map[*rtask]bool{}
	died := map[*ractor]sched.Reason{}
	for _, a := range m.out {
		if a.Kind == sched.ActorDied {
			var ra *ractor
			for _, x := range m.actors {
				if x.a == a.Actor {
					ra = x
				}
			}
			if ra == nil || prevActor[ra] == sched.ActorDead || ra.a.State() != sched.ActorDead {
				m.fatalf("%s: %s: not a death", desc, formatAction(a))
			}
			died[ra] = a.Reason
			if r := ra.a.DeathReason(); r != a.Reason {
				m.fatalf("%s: %s: DeathReason() = %d", desc, formatAction(a), r)
			}
			ra.died, ra.reason = true, a.Reason
			continue
		}
		rt := m.byTask[a.Task]
		if rt == nil {
			m.fatalf("%s: %s: unknown task", desc, formatAction(a))
		}
		switch a.Kind {
		case sched.Run:
			m.checkRun(ev, evActor, rt, prev[rt], ran, closedBefore)
			ran[rt] = true
			acquired = acquired || rt.plain() || (rt.ctorOf != nil && prev[rt] != sched.TaskDone) // not a call, not a restart
		case sched.Fail:
			if rt.t.State() != sched.TaskDone || prev[rt] == sched.TaskRunning || failed[rt] {
				m.fatalf("%s: %s: task was %v and is %v", desc, formatAction(a), prev[rt], rt.t.State())
			}
			failed[rt] = true
			ok := false
			switch a.Reason {
			case sched.ReasonCancelled:
				ok = ev.Kind == sched.Cancel && evTask == rt
			case sched.ReasonInfeasible:
				ok = ev.Kind == sched.Submit && evTask == rt && !m.feasible(rt.cpu, rt.gpu)
			case sched.ReasonActorDead:
				ok = rt.call != nil && rt.call.a.State() == sched.ActorDead
			case sched.ReasonShutdown:
				ok = m.closed
			}
			if !ok {
				m.fatalf("%s: %s: wrong reason", desc, formatAction(a))
			}
		case sched.Interrupt:
			if prev[rt] != sched.TaskRunning {
				m.fatalf("%s: %s: task was %v", desc, formatAction(a), prev[rt])
			}
			ok := false
			switch a.Reason {
			case sched.ReasonCancelled:
				ok = ev.Kind == sched.Cancel && evTask == rt
			case sched.ReasonKilled:
				ok = ev.Kind == sched.KillActor && (rt.call == evActor || rt.ctorOf == evActor)
			case sched.ReasonShutdown:
				ok = ev.Kind == sched.Shutdown
			}
			if !ok {
				m.fatalf("%s: %s: wrong reason", desc, formatAction(a))
			}
		}
	}

	// A Submit of a new task that cannot ever fit fails at once.
	if ev.Kind == sched.Submit && evTask.plain() && !closedBefore && !m.feasible(evTask.cpu, evTask.gpu) {
		if st := prev[evTask]; (st == sched.TaskNew || st == sched.TaskDone) && !failed[evTask] {
			m.fatalf("%s: an infeasible task did not fail", desc)
		}
	}

	// Each change of state must be explained.
	for _, rt := range m.tasks {
		from, to := prev[rt], rt.t.State()
		if from == to { // a Run here is checked by checkRun, a Fail above
			continue
		}
		owner := rt.call
		if rt.ctorOf != nil {
			owner = rt.ctorOf
		}
		ok := false
		switch {
		case to == sched.TaskRunning:
			ok = ran[rt]
		case from == sched.TaskRunning && to == sched.TaskDone:
			ok = (ev.Kind == sched.Finished && evTask == rt) ||
				(owner != nil && (owner == evActor || ev.Kind == sched.Shutdown))
		case to == sched.TaskDone:
			ok = failed[rt] || (rt.ctorOf != nil && rt.ctorOf.a.State() == sched.ActorDead)
		case from == sched.TaskNew || from == sched.TaskDone:
			ok = (ev.Kind == sched.Submit && evTask == rt) || (ev.Kind == sched.CreateActor && rt.ctorOf == evActor)
		case from == sched.TaskWaiting && to == sched.TaskQueued:
			ok = ev.Kind == sched.DepReady && evTask == rt
		}
		if !ok {
			m.fatalf("%s: %s went from %v to %v without cause (actions %q)", desc, rt.name, from, to, formatActions(m.out))
		}
	}
	for _, ra := range m.actors {
		if from, to := prevActor[ra], ra.a.State(); from != to && to == sched.ActorDead {
			if _, ok := died[ra]; !ok {
				m.fatalf("%s: %s died without ActorDied", desc, ra.name)
			}
		}
	}

	m.checkInvariants(desc, acquired)
}

func (m *randModel) feasible(cpu, gpu sched.Quantity) bool {
	return cpu <= m.s.Pool().TotalCPU && gpu <= m.totalGPU
}

func (m *randModel) checkRun(ev sched.Event, evActor *ractor, rt *rtask, from sched.TaskState, ran map[*rtask]bool, closed bool) {
	m.t.Helper()
	desc := formatEvent(ev)
	if closed {
		m.fatalf("%s: run %s after Shutdown", desc, rt.name)
	}
	if ran[rt] || rt.t.State() != sched.TaskRunning {
		m.fatalf("%s: run %s twice in a step, or it is %v", desc, rt.name, rt.t.State())
	}
	if ra := rt.ctorOf; ra != nil {
		restart := ev.Kind == sched.ActorCrashed && evActor == ra && from == sched.TaskDone
		admitted := from == sched.TaskQueued || (ev.Kind == sched.CreateActor && evActor == ra)
		if !restart && !admitted || ra.a.State() != sched.ActorStarting {
			m.fatalf("%s: run %s: was %v, actor %v", desc, rt.name, from, ra.a.State())
		}
		return
	}
	if rt.ran {
		m.fatalf("%s: run %s twice for one Submit", desc, rt.name)
	}
	rt.ran = true
	if rt.deps != 0 {
		m.fatalf("%s: run %s with %d dependencies not ready", desc, rt.name, rt.deps)
	}
	self := (ev.Kind == sched.Submit || ev.Kind == sched.DepReady) && ev.Task == rt.t
	if from != sched.TaskQueued && !self {
		m.fatalf("%s: run %s, which was %v", desc, rt.name, from)
	}
	if ra := rt.call; ra != nil {
		if ra.a.State() != sched.ActorAlive {
			m.fatalf("%s: run call %s of a %v actor", desc, rt.name, ra.a.State())
		}
		for _, c := range ra.calls {
			if c == rt {
				break
			}
			if c.t.State() != sched.TaskDone {
				m.fatalf("%s: run call %s while the earlier %s is %v", desc, rt.name, c.name, c.t.State())
			}
		}
		return
	}
	for _, o := range m.tasks {
		if o != rt && o.t.Class == rt.t.Class && o.t.State() == sched.TaskQueued && o.queued < rt.queued {
			m.fatalf("%s: run %s before %s, queued earlier in its class", desc, rt.name, o.name)
		}
	}
}

func (m *randModel) checkInvariants(desc string, admitted bool) {
	m.t.Helper()
	p := m.s.Pool()
	cpu, gpu := p.TotalCPU, m.totalGPU
	var want sched.Counts
	for _, rt := range m.tasks {
		switch rt.t.State() {
		case sched.TaskWaiting:
			want.Waiting++
		case sched.TaskQueued:
			want.Queued++
			if rt.plain() && !m.closed && p.Fits(rt.t.Class.Demand) {
				m.fatalf("%s: %s is queued but fits the pool %v", desc, rt.name, p.Snapshot())
			}
		case sched.TaskRunning:
			want.Running++
			if rt.plain() {
				if rt.blocked == 0 {
					cpu -= rt.cpu
				} else {
					want.Blocked++
				}
				gpu -= rt.gpu
			}
		}
	}
	for _, ra := range m.actors {
		st := ra.a.State()
		if ra.died && (st != sched.ActorDead || ra.a.DeathReason() != ra.reason) {
			m.fatalf("%s: %s died (%s) and is now %v (%s)", desc, ra.name,
				reasonNames[ra.reason], st, reasonNames[ra.a.DeathReason()])
		}
		if st == sched.ActorStarting || st == sched.ActorAlive {
			cpu -= ra.cpu
			gpu -= ra.gpu
		}
		if st == sched.ActorAlive {
			want.ActorsAlive++
		}
		if ctorRuns := ra.ctor.t.State() == sched.TaskRunning; ctorRuns != (st == sched.ActorStarting) {
			m.fatalf("%s: %s is %v, its constructor %v", desc, ra.name, st, ra.ctor.t.State())
		}
		if st == sched.ActorPending && ra.ctor.t.State() == sched.TaskQueued && !m.closed && p.Fits(ra.a.Class.Demand) {
			m.fatalf("%s: %s is pending but fits the pool %v", desc, ra.name, p.Snapshot())
		}
		busy := 0
		var first *rtask
		for _, c := range ra.calls {
			if c.t.State() == sched.TaskRunning {
				busy++
			}
			if first == nil && c.t.State() != sched.TaskDone {
				first = c
			}
		}
		if busy > 1 || busy == 1 && st != sched.ActorAlive {
			m.fatalf("%s: %s is %v with %d calls running", desc, ra.name, st, busy)
		}
		if st == sched.ActorAlive && busy == 0 && first != nil && first.t.State() == sched.TaskQueued {
			m.fatalf("%s: %s is idle but its next call %s is ready", desc, ra.name, first.name)
		}
		if st == sched.ActorAlive && ra.released && busy == 0 && first == nil {
			m.fatalf("%s: %s is released and has nothing left to run, but lives", desc, ra.name)
		}
	}
	if p.FreeCPU != cpu {
		m.fatalf("%s: FreeCPU = %v, the running tasks and actors leave %v", desc, p.FreeCPU.Float(), cpu.Float())
	}
	if g := m.freeGPU(); g != gpu || g < 0 {
		m.fatalf("%s: free GPU = %v, the running tasks and actors leave %v", desc, g.Float(), gpu.Float())
	}
	if admitted && p.FreeCPU < 0 {
		m.fatalf("%s: admitted a task into an oversubscribed pool: FreeCPU = %v", desc, p.FreeCPU.Float())
	}
	if got := m.s.Counts(); got.Waiting != want.Waiting || got.Queued != want.Queued ||
		got.Running != want.Running || got.Blocked != want.Blocked || got.ActorsAlive != want.ActorsAlive {
		m.fatalf("%s: Counts() = %+v, the states say %+v", desc, got, want)
	}
}
