package sched_test

import (
	"fmt"

	"github.com/shoaldata/shoal/runtime/sched"
)

// A caller feeds events to Step and performs the actions it returns. Here
// two 1-CPU tasks share a 1-CPU node: the second runs when the first
// finishes.
func ExampleState_Step() {
	pool, err := sched.NewPool(1, nil)
	if err != nil {
		panic(err)
	}
	s := sched.New(pool)
	oneCPU, _ := sched.NewDemand(1, nil)
	class := s.Class(oneCPU)
	a := &sched.Task{ID: 1, Class: class}
	b := &sched.Task{ID: 2, Class: class}

	var out []sched.Action
	for _, ev := range []sched.Event{
		{Kind: sched.Submit, Task: a},
		{Kind: sched.Submit, Task: b},
		{Kind: sched.Finished, Task: a},
		{Kind: sched.Finished, Task: b},
	} {
		out = s.Step(ev, out[:0])
		for _, act := range out {
			if act.Kind == sched.Run {
				fmt.Printf("run task %d\n", act.Task.ID)
			}
		}
		fmt.Printf("free CPU %g, %+v\n", s.Pool().FreeCPU.Float(), s.Counts())
	}
	// Output:
	// run task 1
	// free CPU 0, {Waiting:0 Queued:0 Running:1 Blocked:0 ActorsAlive:0 ActorsDead:0}
	// free CPU 0, {Waiting:0 Queued:1 Running:1 Blocked:0 ActorsAlive:0 ActorsDead:0}
	// run task 2
	// free CPU 0, {Waiting:0 Queued:0 Running:1 Blocked:0 ActorsAlive:0 ActorsDead:0}
	// free CPU 1, {Waiting:0 Queued:0 Running:0 Blocked:0 ActorsAlive:0 ActorsDead:0}
}
