package sched_test

import (
	"fmt"
	"testing"

	"github.com/shoaldata/shoal/runtime/sched"
)

func TestShutdown(t *testing.T) {
	sc := newScript(t, 4, nil)
	sc.submit("a", 1, 0, "run a")
	sc.submit("b", 1, 0, "run b")
	sc.block("b", "")
	sc.submit("c", 2, 0, "run c")
	sc.submit("d", 2, 0, "")
	sc.submit("e", 2, 0, "")
	sc.submit("w", 1, 1, "")
	sc.createActor("A", 1, -1, "run A.ctor")
	sc.started("A", "")
	sc.call("A", "m1", 0, "run m1")
	sc.createActor("B", 1, 0, "")           // pending: no room
	sc.createActor("C", 0, 0, "run C.ctor") // starting
	sc.wantCounts(sched.Counts{Waiting: 1, Queued: 3, Running: 5, Blocked: 1, ActorsAlive: 1})
	sc.wantFree(0)

	// The actors die first, then the queues fail, then what runs is
	// interrupted. The actors' order is not checked here: see
	// TestShutdownIsDeterministic.
	sc.out = sc.s.Step(sched.Event{Kind: sched.Shutdown}, sc.out[:0])
	got := formatActions(sc.out)
	if len(sc.out) != 10 {
		t.Fatalf("shutdown: %q, want 10 actions", got)
	}
	actors := map[string]string{}
	for _, a := range sc.out[:5] {
		n := "?"
		if a.Actor != nil {
			n = actorName(a.Actor)
		} else if a.Task.Actor != nil {
			n = actorName(a.Task.Actor)
		}
		if actors[n] != "" {
			actors[n] += "; "
		}
		actors[n] += formatAction(a)
	}
	for n, want := range map[string]string{
		"A": "interrupt m1 shutdown; died A shutdown",
		"B": "died B shutdown",
		"C": "interrupt C.ctor shutdown; died C shutdown",
	} {
		if actors[n] != want {
			t.Errorf("shutdown: actor %s got %q, want %q (all: %q)", n, actors[n], want, got)
		}
	}
	sc.expect("shutdown, after the actors", formatActions(sc.out[5:]),
		"fail d shutdown; fail e shutdown; interrupt a shutdown; interrupt b shutdown; interrupt c shutdown")
	sc.checkActions()
	// A waiting task is in no queue: it stays until its input comes.
	sc.wantCounts(sched.Counts{Waiting: 1, Running: 3, Blocked: 1})

	// After: nothing new runs and everything new fails.
	sc.shutdown("")
	sc.submit("f", 1, 0, "fail f shutdown")
	sc.call("A", "m2", 0, "fail m2 shutdown")
	sc.createActor("D", 1, 0, "died D shutdown")
	sc.ready("w", "fail w shutdown") // its input came after all
	sc.finish("a", "")
	sc.finish("b", "")
	sc.finish("c", "")
	sc.resubmit("a", 0, "fail a shutdown")
	sc.wantCounts(sched.Counts{})
	sc.wantFree(4)
}

// Actor calls queued when the runtime shuts down fail with ReasonActorDead
// (die fails the mailbox with ReasonActorDead whatever killed the actor),
// while the contract is that queued tasks fail with ReasonShutdown, as a call
// submitted a moment later does.
func TestShutdownFailsQueuedActorCallsWithReasonShutdown(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.createActor("A", 1, 0, "run A.ctor")
	sc.call("A", "early", 0, "")
	sc.started("A", "run early")
	sc.call("A", "m1", 0, "")
	sc.call("A", "m2", 1, "")
	sc.shutdown("interrupt early shutdown; fail m1 shutdown; fail m2 shutdown; died A shutdown")
	sc.call("A", "m3", 0, "fail m3 shutdown")
}

// Shutdown walks State.actors, a map, so with several live actors the order
// of its actions changes from run to run, while the package promises that
// every decision can be replayed from a script of events.
func TestShutdownIsDeterministic(t *testing.T) {
	run := func() string {
		sc := newScript(t, 8, nil)
		for i := range 8 {
			sc.createActor(fmt.Sprintf("A%d", i), 1, 0, fmt.Sprintf("run A%d.ctor", i))
		}
		sc.out = sc.s.Step(sched.Event{Kind: sched.Shutdown}, sc.out[:0])
		return formatActions(sc.out)
	}
	first := run()
	for range 20 {
		if got := run(); got != first {
			t.Fatalf("the same script gave two shutdowns:\n%s\n%s", first, got)
		}
	}
}
