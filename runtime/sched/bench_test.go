package sched_test

import (
	"testing"

	"github.com/shoaldata/shoal/runtime/sched"
)

// BenchmarkSubmitFinish is the scheduler's cost per task: a Submit that runs
// a 1-CPU task on a 2-CPU node and the Finished that frees it, with the
// action slice reused as a caller would.
func BenchmarkSubmitFinish(b *testing.B) {
	p, err := sched.NewPool(2, nil)
	if err != nil {
		b.Fatal(err)
	}
	s := sched.New(p)
	d, _ := sched.NewDemand(1, nil)
	task := &sched.Task{ID: 1, Class: s.Class(d)}
	submit := sched.Event{Kind: sched.Submit, Task: task}
	finish := sched.Event{Kind: sched.Finished, Task: task}
	out := make([]sched.Action, 0, 4)
	b.ReportAllocs()
	for b.Loop() {
		out = s.Step(submit, out[:0])
		if len(out) != 1 || out[0].Kind != sched.Run {
			b.Fatalf("submit: %v", formatActions(out))
		}
		out = s.Step(finish, out[:0])
	}
}

// BenchmarkSubmitFinishBusyClasses is BenchmarkSubmitFinish with 100 other
// classes queued that do not fit: admission walks every queued class on
// each step.
func BenchmarkSubmitFinishBusyClasses(b *testing.B) {
	p, err := sched.NewPool(2, nil)
	if err != nil {
		b.Fatal(err)
	}
	s := sched.New(p)
	one, _ := sched.NewDemand(1, nil)
	var out []sched.Action
	out = s.Step(sched.Event{Kind: sched.Submit, Task: &sched.Task{ID: 1, Class: s.Class(one)}}, out)
	for i := range 100 {
		d := sched.Demand{CPU: sched.Units(1.5) + sched.Quantity(i)}
		out = s.Step(sched.Event{Kind: sched.Submit, Task: &sched.Task{ID: uint64(2 + i), Class: s.Class(d)}}, out)
	}
	if c := s.Counts(); c.Running != 1 || c.Queued != 100 {
		b.Fatalf("setup: %+v", c)
	}
	task := &sched.Task{ID: 1000, Class: s.Class(one)}
	submit := sched.Event{Kind: sched.Submit, Task: task}
	finish := sched.Event{Kind: sched.Finished, Task: task}
	b.ReportAllocs()
	for b.Loop() {
		out = s.Step(submit, out[:0])
		if len(out) != 1 || out[0].Kind != sched.Run {
			b.Fatalf("submit: %v", formatActions(out))
		}
		out = s.Step(finish, out[:0])
	}
}
