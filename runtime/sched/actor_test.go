package sched_test

import (
	"testing"

	"github.com/shoaldata/shoal/runtime/sched"
)

func TestActorLifecycle(t *testing.T) {
	sc := newScript(t, 2, nil)
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.wantActor("A", sched.ActorStarting)
	sc.wantFree(1)
	sc.call("A", "m1", 0, "") // not alive yet: the calls wait
	sc.call("A", "m2", 0, "")
	sc.wantCounts(sched.Counts{Queued: 2, Running: 1})
	sc.started("A", "run m1")
	sc.wantActor("A", sched.ActorAlive)
	sc.wantState("A.ctor", sched.TaskDone)
	sc.wantCounts(sched.Counts{Queued: 1, Running: 1, ActorsAlive: 1})
	sc.call("A", "m3", 0, "") // one at a time
	sc.finish("m1", "run m2")
	sc.finish("m2", "run m3")
	sc.finish("m3", "")
	sc.finish("m3", "") // repeated: ignored
	sc.wantFree(1)      // calls take nothing; the actor holds its CPU while idle
	sc.wantCounts(sched.Counts{ActorsAlive: 1})

	sc.submit("x", 1, 0, "run x")
	sc.submit("y", 1, 0, "")
	sc.kill("A", "died A killed; run y")
	sc.wantActor("A", sched.ActorDead)
	sc.wantFree(0)
	sc.wantCounts(sched.Counts{Running: 2})
	sc.call("A", "m4", 0, "fail m4 actor-dead")
	sc.kill("A", "")
	sc.started("A", "")
}

func TestActorWaitsForResources(t *testing.T) {
	sc := newScript(t, 1, map[string]float64{"GPU": 1})
	sc.submit("x", 1, 0, "run x")
	sc.createActor("A", 1, 0, "")
	sc.wantActor("A", sched.ActorPending)
	sc.wantCounts(sched.Counts{Queued: 1, Running: 1})
	sc.call("A", "m1", 0, "")
	sc.started("A", "") // not starting: ignored
	sc.finish("x", "run A.ctor")
	sc.started("A", "run m1")

	// Custom resources are held for the actor's life, too.
	sc.createActorDemand("G", sc.demand(0, map[string]float64{"GPU": 1}), 0, "run G.ctor")
	sc.wantFreeRes("GPU", 0)
	sc.started("G", "")
	sc.submitDemand("g", sc.demand(0, map[string]float64{"GPU": 0.5}), 0, "")
	sc.kill("G", "died G killed; run g")
	sc.wantFreeRes("GPU", 0.5)
}

func TestActorInfeasible(t *testing.T) {
	sc := newScript(t, 1, nil)
	a := sc.newActor("A", sc.demand(2, nil), -1)
	sc.call("A", "early", 0, "") // submitted before CreateActor
	sc.expect("create A", sc.step(sched.Event{Kind: sched.CreateActor, Actor: a}),
		"fail early actor-dead; died A infeasible")
	sc.wantActor("A", sched.ActorDead)
	sc.wantCounts(sched.Counts{})
	sc.wantFree(1)
	sc.call("A", "m1", 0, "fail m1 actor-dead")
	sc.createActorDemand("G", sc.demand(0, map[string]float64{"GPU": 1}), 0, "died G infeasible")
}

func TestActorCallsRunInSubmissionOrder(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 0, 0, "run A.ctor")
	sc.started("A", "")
	sc.call("A", "m1", 1, "")
	sc.call("A", "m2", 0, "") // ready, but m1 is first and waits for its input
	sc.wantCounts(sched.Counts{Waiting: 1, Queued: 1, ActorsAlive: 1})
	sc.ready("m1", "run m1")
	sc.call("A", "m3", 1, "")
	sc.ready("m3", "") // m2 is ahead and m1 still runs
	sc.finish("m1", "run m2")
	sc.finish("m2", "run m3")
	sc.finish("m3", "")
	sc.wantCounts(sched.Counts{ActorsAlive: 1})
}

func TestActorCallsCancel(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.started("A", "")
	sc.call("A", "m1", 0, "run m1")
	sc.call("A", "m2", 1, "")
	sc.call("A", "m3", 0, "")
	sc.call("A", "m4", 0, "")
	sc.cancel("m3", "fail m3 cancelled")
	sc.cancel("m1", "interrupt m1 cancelled")
	sc.wantState("m1", sched.TaskRunning)
	sc.finish("m1", "") // the head, m2, waits for its input
	sc.cancel("m2", "fail m2 cancelled; run m4")
	sc.ready("m2", "")
	sc.finish("m4", "")
	sc.wantCounts(sched.Counts{ActorsAlive: 1})
}

func TestActorCallBlockedIsIgnored(t *testing.T) {
	// A call holds no resources of its own, so it has no CPU to give back.
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.block("A.ctor", "")
	sc.started("A", "")
	sc.call("A", "m1", 0, "run m1")
	sc.submit("x", 1, 0, "")
	sc.block("m1", "")
	sc.wantFree(0)
	sc.wantCounts(sched.Counts{Queued: 1, Running: 1, ActorsAlive: 1})
	sc.unblock("m1", "")
	sc.wantFree(0)
}

func TestActorConstructorFails(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, 3, "run A.ctor")
	sc.call("A", "m1", 0, "")
	sc.call("A", "m2", 1, "")
	sc.submit("x", 1, 0, "")
	sc.ctorFailed("A", "fail m1 actor-dead; fail m2 actor-dead; died A ctor-failed; run x")
	sc.wantActor("A", sched.ActorDead)
	sc.wantState("A.ctor", sched.TaskDone)
	sc.wantCounts(sched.Counts{Running: 1})
	sc.ready("m2", "")
	sc.call("A", "m3", 0, "fail m3 actor-dead")
	sc.started("A", "")
	sc.ctorFailed("A", "")
}

func TestActorCrashRestarts(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, 1, "run A.ctor")
	sc.crashed("A", "") // no call running: nothing to crash
	sc.started("A", "")
	sc.crashed("A", "") // idle: ignored
	sc.call("A", "m1", 0, "run m1")
	sc.call("A", "m2", 0, "")
	sc.submit("x", 1, 0, "")
	sc.crashed("A", "run A.ctor")
	sc.wantActor("A", sched.ActorStarting)
	if got := sc.actor("A").Restarts(); got != 1 {
		t.Errorf("Restarts() = %d, want 1", got)
	}
	sc.wantState("m1", sched.TaskDone)
	sc.wantFree(0) // kept across the restart: x still waits
	sc.wantCounts(sched.Counts{Queued: 2, Running: 1})
	sc.finish("m1", "") // the worker's late report: ignored
	sc.call("A", "m3", 0, "")
	sc.crashed("A", "") // starting: ignored
	sc.started("A", "run m2")
	sc.finish("m2", "run m3")
	sc.call("A", "m4", 0, "")
	// Out of restarts.
	sc.crashed("A", "fail m4 actor-dead; died A crashed; run x")
	if got := sc.actor("A").Restarts(); got != 1 {
		t.Errorf("Restarts() = %d, want 1", got)
	}
	sc.wantState("m3", sched.TaskDone)
	sc.wantCounts(sched.Counts{Running: 1})
}

func TestActorRestartsForever(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, -1, "run A.ctor")
	sc.started("A", "")
	for i, m := range []string{"m0", "m1", "m2", "m3", "m4", "m5"} {
		sc.call("A", m, 0, "run "+m)
		sc.crashed("A", "run A.ctor")
		if got := sc.actor("A").Restarts(); got != i+1 {
			t.Errorf("Restarts() = %d, want %d", got, i+1)
		}
		sc.wantFree(0)
		sc.started("A", "")
	}
	sc.wantCounts(sched.Counts{ActorsAlive: 1})
}

func TestActorWithoutRestartsDiesOnCrash(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.started("A", "")
	sc.call("A", "m1", 0, "run m1")
	sc.call("A", "m2", 0, "")
	sc.crashed("A", "fail m2 actor-dead; died A crashed")
	sc.wantFree(1)
	sc.wantCounts(sched.Counts{})
	sc.call("A", "m3", 0, "fail m3 actor-dead")
}

func TestKillActor(t *testing.T) {
	t.Run("pending", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.submit("x", 1, 0, "run x")
		sc.createActor("A", 1, 0, "")
		sc.call("A", "m1", 0, "")
		sc.kill("A", "fail m1 actor-dead; died A killed")
		sc.wantFree(0) // it held nothing
		sc.wantCounts(sched.Counts{Running: 1})
		sc.finish("x", "") // the constructor never runs
		sc.wantFree(1)
		sc.wantState("A.ctor", sched.TaskDone)
	})
	t.Run("starting", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.createActor("A", 1, 0, "run A.ctor")
		sc.submit("x", 1, 0, "")
		sc.kill("A", "interrupt A.ctor killed; died A killed; run x")
		sc.started("A", "") // the constructor's late report: ignored
		sc.wantCounts(sched.Counts{Running: 1})
	})
	t.Run("restarting", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.createActor("A", 1, -1, "run A.ctor")
		sc.started("A", "")
		sc.call("A", "m1", 0, "run m1")
		sc.crashed("A", "run A.ctor")
		sc.kill("A", "interrupt A.ctor killed; died A killed")
		sc.wantFree(1)
		sc.wantCounts(sched.Counts{})
	})
	t.Run("alive", func(t *testing.T) {
		sc := newScript(t, 2, nil)
		sc.createActor("A", 1, 5, "run A.ctor")
		sc.started("A", "")
		sc.call("A", "m1", 0, "run m1")
		sc.call("A", "m2", 0, "")
		sc.call("A", "m3", 1, "")
		sc.submit("x", 2, 0, "")
		sc.kill("A", "interrupt m1 killed; fail m2 actor-dead; fail m3 actor-dead; died A killed; run x")
		sc.wantCounts(sched.Counts{Running: 1})
		sc.finish("m1", "") // the interrupted call's late report: ignored
		sc.crashed("A", "") // no restart for a killed actor
		sc.ready("m3", "")
		sc.wantFree(0)
		sc.call("A", "m4", 0, "fail m4 actor-dead")
		sc.kill("A", "")
	})
}

func TestCountsLiveActors(t *testing.T) {
	sc := newScript(t, 2, nil)
	sc.createActor("A", 1, 1, "run A.ctor")
	sc.createActor("B", 1, 0, "run B.ctor")
	sc.createActor("C", 1, 0, "")
	sc.wantCounts(sched.Counts{Queued: 1, Running: 2})
	sc.started("A", "")
	sc.wantCounts(sched.Counts{Queued: 1, Running: 1, ActorsAlive: 1})
	sc.started("B", "")
	sc.wantCounts(sched.Counts{Queued: 1, ActorsAlive: 2})
	sc.call("A", "m", 0, "run m")
	sc.crashed("A", "run A.ctor") // restarting is not alive
	sc.wantCounts(sched.Counts{Queued: 1, Running: 1, ActorsAlive: 1})
	sc.kill("B", "died B killed; run C.ctor")
	sc.wantCounts(sched.Counts{Running: 2})
	sc.started("A", "")
	sc.started("C", "")
	sc.wantCounts(sched.Counts{ActorsAlive: 2})
}

// Counts has an ActorsDead field, but State.Counts never sets it: die
// deletes the actor from State.actors and nothing counts it.
func TestCountsActorsDead(t *testing.T) {
	sc := newScript(t, 2, nil)
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.createActor("B", 1, 0, "run B.ctor")
	sc.started("A", "")
	sc.kill("A", "died A killed")
	sc.ctorFailed("B", "died B ctor-failed")
	if got := sc.s.Counts().ActorsDead; got != 2 {
		t.Errorf("Counts().ActorsDead = %d after two actors died, want 2", got)
	}
}

// Cancel of an actor's creation task while it is queued for resources fails
// the task but leaves it in its class queue: it runs later anyway, and for a
// killed actor it takes the actor's resources back for good.
func TestCancelQueuedActorCreation(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.submit("x", 1, 0, "run x")
	sc.createActor("A", 1, 0, "")
	var all []string
	all = append(all, sc.step(sched.Event{Kind: sched.Cancel, Task: sc.task("A.ctor")}))
	all = append(all, sc.step(sched.Event{Kind: sched.KillActor, Actor: sc.actor("A")}))
	sc.finish("x", "") // nothing may run: the actor is dead
	all = append(all, formatActions(sc.out))
	t.Logf("cancel, kill, finish x: %q", all)
	sc.wantActor("A", sched.ActorDead)
	sc.wantState("A.ctor", sched.TaskDone)
	sc.wantFree(1)
	sc.wantCounts(sched.Counts{})
	sc.submit("y", 1, 0, "run y")
}

func TestReleaseActor(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.call("A", "m1", 0, "")
	sc.release("A", "") // starting, and m1 is still to run
	sc.started("A", "run m1")
	sc.wantActor("A", sched.ActorAlive)
	sc.submit("x", 1, 0, "")
	sc.finish("m1", "died A out-of-scope; run x")
	sc.wantFree(0)
	sc.release("A", "")
	sc.finish("x", "")

	// Idle: it dies at once.
	sc.createActor("B", 1, 0, "run B.ctor")
	sc.started("B", "")
	sc.release("B", "died B out-of-scope")
	sc.wantFree(1)

	// Its last call waits for an input: it lives until that call is done,
	// or cancelled.
	sc.createActor("C", 1, 0, "run C.ctor")
	sc.started("C", "")
	sc.call("C", "c1", 1, "")
	sc.call("C", "c2", 1, "")
	sc.release("C", "")
	sc.ready("c1", "run c1")
	sc.finish("c1", "")
	sc.wantActor("C", sched.ActorAlive)
	sc.cancel("c2", "fail c2 cancelled; died C out-of-scope")
	sc.wantCounts(sched.Counts{})
	sc.wantFree(1)
}

// A Finished event for an actor's creation task (whose worker should report
// ActorStarted or ActorFailed instead) stops the task; the ActorStarted
// that follows stops it a second time with a stale runIndex, which drops
// another task from State.running, and a later Finished of that task
// panics with an index out of range.
func TestFinishedOnCreationTask(t *testing.T) {
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("Step panicked: %v", r)
		}
	}()
	sc := newScript(t, 3, nil)
	sc.submit("x", 1, 0, "run x")
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.submit("y", 1, 0, "run y")
	sc.finish("A.ctor", "")
	sc.started("A", "")
	sc.wantActor("A", sched.ActorAlive)
	sc.finish("y", "")
	sc.finish("x", "")
	sc.wantFree(2) // the actor holds one
	sc.wantCounts(sched.Counts{ActorsAlive: 1})
}
