// Package sched is the runtime's scheduling core: a deterministic state machine
// that decides which task or actor may run next on one node.
//
// It sits under runtime/remote (the user-facing task and actor API), which feeds
// it events and performs the actions it returns. It does no I/O, reads no clock
// and starts no goroutines, so every decision can be replayed from a script of
// events in a test. Time, when a policy needs it, arrives as an event.
//
// What it tracks:
//   - resources: CPU and named custom resources in thousandths (Quantity), so
//     fractional demands add up exactly;
//   - tasks: waiting for dependencies, queued for resources (one FIFO queue per
//     scheduling class, that is per distinct resource demand, so a task that
//     cannot fit never blocks a task of another class behind it), running, done;
//   - blocked tasks: a running task blocked in Get gives its CPU back, and takes
//     it again when it wakes even if that oversubscribes the node for a while,
//     which is what makes nested tasks deadlock-free;
//   - actors: resources held for the actor's lifetime, a mailbox that runs one
//     call at a time in submission order, restarts and death.
//
// State is not safe for concurrent use: the caller serialises Step calls.
package sched
