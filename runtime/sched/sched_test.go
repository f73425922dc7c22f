package sched_test

import (
	"testing"

	"github.com/shoaldata/shoal/runtime/sched"
)

func TestStepAppendsToOut(t *testing.T) {
	p, err := sched.NewPool(1, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := sched.New(p)
	d, _ := sched.NewDemand(1, nil)
	task := &sched.Task{ID: 1, Class: s.Class(d)}
	prev := sched.Action{Kind: sched.ActorDied, Reason: sched.ReasonKilled}
	out := s.Step(sched.Event{Kind: sched.Submit, Task: task}, []sched.Action{prev})
	if len(out) != 2 || out[0] != prev || out[1] != (sched.Action{Kind: sched.Run, Task: task}) {
		t.Errorf("Step appended %+v, want the earlier action then Run", out)
	}
}

func TestFractionalCPUAddsExactly(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.submit("a", 0.5, 0, "run a")
	sc.submit("b", 0.5, 0, "run b")
	sc.submit("c", 0.5, 0, "")
	sc.wantFree(0)
	sc.finish("a", "run c")

	// Ten tenths fill one CPU exactly: the eleventh waits.
	sc = newScript(t, 1, nil)
	for _, n := range []string{"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9"} {
		sc.submit(n, 0.1, 0, "run "+n)
	}
	sc.submit("t10", 0.1, 0, "")
	sc.wantFree(0)
	sc.wantCounts(sched.Counts{Queued: 1, Running: 10})
	sc.finish("t3", "run t10")
}

func TestInfeasibleFailsAtOnce(t *testing.T) {
	sc := newScript(t, 2, map[string]float64{"GPU": 1})
	sc.submit("big", 2.5, 0, "fail big infeasible")
	sc.submitDemand("gpus", sc.demand(1, map[string]float64{"GPU": 2}), 0, "fail gpus infeasible")
	sc.submitDemand("tpu", sc.demand(0, map[string]float64{"TPU": 1}), 0, "fail tpu infeasible")
	// Not even parked until its dependencies are ready.
	sc.submit("later", 3, 2, "fail later infeasible")
	sc.wantCounts(sched.Counts{})
	sc.wantState("later", sched.TaskDone)
	sc.ready("later", "")
	// A demand equal to the node's total is feasible.
	sc.submit("whole", 2, 0, "run whole")
	sc.submit("next", 1, 0, "")
	sc.finish("whole", "run next")
	sc.wantFree(1)
}

func TestCustomResources(t *testing.T) {
	sc := newScript(t, 4, map[string]float64{"GPU": 1})
	half := sc.demand(1, map[string]float64{"GPU": 0.5})
	sc.submitDemand("g1", half, 0, "run g1")
	sc.submitDemand("g2", half, 0, "run g2")
	sc.submitDemand("g3", half, 0, "") // CPUs are free, GPUs are not
	sc.wantFreeRes("GPU", 0)
	sc.wantFree(2)
	sc.submit("c1", 1, 0, "run c1") // another class goes past g3
	sc.finish("g1", "run g3")
	sc.finish("g2", "")
	sc.wantFreeRes("GPU", 0.5)
	sc.finish("g3", "")
	sc.finish("c1", "")
	sc.wantFreeRes("GPU", 1)
	sc.wantFree(4)
}

func TestFIFOPerClass(t *testing.T) {
	sc := newScript(t, 2, nil)
	sc.submit("a", 1, 0, "run a")
	sc.submit("big", 2, 0, "")
	sc.submit("b", 1, 0, "run b") // big does not fit and does not hold b back
	sc.submit("c", 1, 0, "")
	sc.submit("d", 1, 0, "")
	sc.wantCounts(sched.Counts{Queued: 3, Running: 2})
	sc.finish("a", "run c") // c before d: first come, first served
	sc.finish("b", "run d")
	sc.finish("c", "") // one CPU free, big needs two
	sc.wantState("big", sched.TaskQueued)
	sc.finish("d", "run big")
	sc.submit("e", 1, 0, "")
	sc.finish("big", "run e")
}

func TestClassesAdmittedInArrivalOrder(t *testing.T) {
	// When room opens for both of two queued classes, the class that queued
	// first goes first.
	sc := newScript(t, 2, nil)
	sc.submit("x", 2, 0, "run x")
	sc.submit("half", 0.5, 0, "")
	sc.submit("one", 1, 0, "")
	sc.submit("half2", 0.5, 0, "")
	sc.submit("one2", 1, 0, "")
	sc.finish("x", "run half; run half2; run one")
	sc.wantFree(0)
}

func TestDependencies(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.submit("a", 1, 2, "")
	sc.wantState("a", sched.TaskWaiting)
	sc.wantCounts(sched.Counts{Waiting: 1})
	sc.ready("a", "")
	sc.wantState("a", sched.TaskWaiting)
	sc.ready("a", "run a")
	sc.ready("a", "") // not waiting: ignored
	sc.wantCounts(sched.Counts{Running: 1})

	// Ready while the pool is full: queued, then run in turn.
	sc.submit("b", 1, 1, "")
	sc.submit("c", 1, 0, "")
	sc.ready("b", "")
	sc.wantCounts(sched.Counts{Queued: 2, Running: 1})
	sc.finish("a", "run c") // c was queued before b's dependency came
	sc.finish("c", "run b")
	sc.finish("b", "")
	sc.ready("b", "") // done: ignored
	sc.wantCounts(sched.Counts{})

	// DepReady for a task never submitted does nothing.
	sc.tasks["ghost"] = &sched.Task{ID: 99, Class: sc.s.Class(sc.demand(1, nil)), Deps: 1, Data: "ghost"}
	sc.ready("ghost", "")
	sc.wantState("ghost", sched.TaskNew)
	sc.wantCounts(sched.Counts{})
	sc.wantFree(1)
}

func TestBlockedGivesCPUBack(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.submit("a", 1, 0, "run a")
	sc.submit("b", 1, 0, "")
	sc.block("a", "run b")
	sc.wantCounts(sched.Counts{Running: 2, Blocked: 1})
	sc.wantFree(0)

	// a wakes while b runs: the node is oversubscribed for a while.
	sc.unblock("a", "")
	sc.wantFree(-1)
	sc.wantCounts(sched.Counts{Running: 2})
	sc.submit("c", 1, 0, "")
	sc.finish("b", "") // free is back to 0, not to 1: c waits
	sc.wantFree(0)
	sc.finish("a", "run c")
	sc.wantFree(0)
}

func TestZeroCPUTaskWaitsOutOversubscription(t *testing.T) {
	// "Nothing new is admitted until FreeCPU is back" holds for a task that
	// needs no CPU at all.
	sc := newScript(t, 1, map[string]float64{"GPU": 1})
	sc.submit("a", 1, 0, "run a")
	sc.block("a", "")
	sc.submit("b", 1, 0, "run b")
	sc.unblock("a", "")
	sc.wantFree(-1)
	sc.submitDemand("g", sc.demand(0, map[string]float64{"GPU": 1}), 0, "")
	sc.finish("b", "run g")
}

func TestNestedBlockedCounts(t *testing.T) {
	sc := newScript(t, 2, nil)
	sc.submit("a", 1, 0, "run a")
	sc.block("a", "")
	sc.block("a", "") // a second Get while the first waits: no more CPU back
	sc.wantFree(2)
	sc.wantCounts(sched.Counts{Running: 1, Blocked: 1})
	sc.unblock("a", "")
	sc.wantFree(2) // still blocked once
	sc.wantCounts(sched.Counts{Running: 1, Blocked: 1})
	sc.unblock("a", "")
	sc.wantFree(1)
	sc.wantCounts(sched.Counts{Running: 1})
	sc.unblock("a", "") // not blocked: ignored
	sc.wantFree(1)
	sc.finish("a", "")
	sc.wantFree(2)
	sc.block("a", "") // done: ignored
	sc.unblock("a", "")
	sc.wantFree(2)
	sc.wantCounts(sched.Counts{})
}

func TestFinishWhileBlockedReleasesOnce(t *testing.T) {
	sc := newScript(t, 2, map[string]float64{"GPU": 1})
	sc.submitDemand("a", sc.demand(1, map[string]float64{"GPU": 1}), 0, "run a")
	sc.block("a", "")
	sc.wantFree(2)
	sc.wantFreeRes("GPU", 0) // only CPU goes back while blocked
	sc.block("a", "")
	sc.finish("a", "")
	sc.wantFree(2)
	sc.wantFreeRes("GPU", 1)
	sc.wantCounts(sched.Counts{})
	sc.unblock("a", "") // late wake-up of a done task: ignored
	sc.wantFree(2)
}

func TestNestedTasksThreeDeepOnOneCPU(t *testing.T) {
	// a calls Get on b, which calls Get on c. Without giving the CPU back
	// while blocked this deadlocks on one CPU.
	sc := newScript(t, 1, nil)
	sc.submit("a", 1, 0, "run a")
	sc.submit("b", 1, 0, "")
	sc.block("a", "run b")
	sc.submit("c", 1, 0, "")
	sc.block("b", "run c")
	sc.wantCounts(sched.Counts{Running: 3, Blocked: 2})
	sc.wantFree(0)
	sc.finish("c", "")
	sc.wantFree(1)
	sc.unblock("b", "")
	sc.finish("b", "")
	sc.unblock("a", "")
	sc.wantFree(0)
	sc.finish("a", "")
	sc.wantFree(1)
	sc.wantCounts(sched.Counts{})
	for _, n := range []string{"a", "b", "c"} {
		sc.wantState(n, sched.TaskDone)
	}
}

func TestFinishedReleasesAndIgnoresRepeats(t *testing.T) {
	sc := newScript(t, 1, nil)
	sc.submit("a", 1, 0, "run a")
	sc.submit("b", 1, 0, "")
	sc.resubmit("b", 0, "") // already queued: ignored, not queued twice
	sc.resubmit("a", 0, "") // running: ignored
	sc.finish("a", "run b")
	sc.finish("a", "") // done: no second release
	sc.cancel("a", "")
	sc.wantFree(0)
	sc.wantCounts(sched.Counts{Running: 1})
	// A retry resubmits a done task; it runs once more.
	sc.resubmit("a", 0, "")
	sc.finish("b", "run a")
	sc.finish("b", "")
	sc.finish("a", "")
	sc.wantFree(1)
	sc.wantCounts(sched.Counts{})
}

func TestCancel(t *testing.T) {
	t.Run("waiting", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.submit("a", 1, 1, "")
		sc.cancel("a", "fail a cancelled")
		sc.ready("a", "") // its dependency comes after all: still never runs
		sc.wantState("a", sched.TaskDone)
		sc.cancel("a", "")
		sc.wantCounts(sched.Counts{})
		sc.wantFree(1)
	})
	t.Run("queued", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.submit("x", 1, 0, "run x")
		sc.submit("a", 1, 0, "")
		sc.submit("b", 1, 0, "")
		sc.submit("c", 1, 0, "")
		sc.cancel("b", "fail b cancelled")
		sc.wantCounts(sched.Counts{Queued: 2, Running: 1})
		sc.finish("x", "run a")
		sc.finish("a", "run c") // b is gone from the queue
		sc.finish("c", "")
		sc.wantFree(1)
	})
	t.Run("queued alone", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.submit("x", 1, 0, "run x")
		sc.submit("a", 1, 0, "")
		sc.cancel("a", "fail a cancelled")
		sc.finish("x", "")
		sc.submit("b", 1, 0, "run b") // the emptied class still admits
		sc.wantFree(0)
	})
	t.Run("running", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.submit("x", 1, 0, "run x")
		sc.submit("y", 1, 0, "")
		sc.cancel("x", "interrupt x cancelled")
		// x holds its CPU until its worker says it finished.
		sc.wantState("x", sched.TaskRunning)
		sc.wantFree(0)
		sc.finish("x", "run y")
		sc.cancel("x", "") // after Finished: nothing
		sc.wantFree(0)
	})
	t.Run("running blocked", func(t *testing.T) {
		sc := newScript(t, 1, nil)
		sc.submit("x", 1, 0, "run x")
		sc.block("x", "")
		sc.cancel("x", "interrupt x cancelled")
		sc.finish("x", "")
		sc.wantFree(1)
		sc.wantCounts(sched.Counts{})
	})
}

func TestCancelledTaskStaysOutOfItsClass(t *testing.T) {
	// A cancelled queued task stays out even when its class is drained and
	// refilled around it.
	sc := newScript(t, 2, nil)
	sc.submit("a", 2, 0, "run a")
	sc.submit("b", 1, 0, "")
	sc.submit("c", 1, 0, "")
	sc.cancel("c", "fail c cancelled")
	sc.submit("d", 1, 0, "")
	sc.finish("a", "run b; run d")
	sc.wantState("c", sched.TaskDone)
}
