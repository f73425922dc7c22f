// Package remote is Shoal's user-facing task and actor API, in the style of
// Ray: remote functions and actor types registered by name, ObjectRef futures,
// Get, Wait, Put and Cancel, resource-aware scheduling and an object store that
// spills to disk.
//
// # Layout of the runtime
//
// The design card names a top-level folder runtime/, but "runtime" is also the
// standard library package engine code uses everywhere (GOMAXPROCS, KeepAlive).
// So runtime/ holds focused packages and no package called runtime:
//
//   - runtime/remote (this package): the API users call; it glues the others
//     together and runs tasks on goroutines in embedded mode;
//   - runtime/sched: the deterministic scheduling state machine (no I/O, no clock);
//   - runtime/objstore: the object store (reference counts, capacity, spilling).
//
// The runtime imports nothing from the dataframe engine.
//
// # Registration
//
// Go cannot ship closures to another process, so every remote function, actor
// type and actor method is registered by a unique name, normally in a package
// level var so that every process running the binary registers the same set:
//
//	var add = remote.Register2("add", func(ctx context.Context, a, b int) (int, error) {
//		return a + b, nil
//	})
//
// Calling add.Remote(rt, remote.Val(1), remote.Val(2)) returns an ObjectRef[int]
// at once; remote.Get(ctx, ref) waits for the value. An argument is a plain
// value (Val) or an ObjectRef of the parameter's type: a ref argument is a
// dependency, and the task runs only when it is ready and receives its value.
//
// # Failures
//
// A task's returned error or panic reaches Get as a *TaskError naming the
// function and wrapping the cause, so errors.Is and errors.As see through it,
// also through dependent tasks whose argument failed. A panic is treated like a
// crashed worker in Ray: it is a system failure, retried up to MaxRetries
// (default 3). A returned error is an application error, retried only with
// RetryExceptions. An actor method that panics crashes the actor: the call
// fails and, if MaxRestarts allows, the constructor runs again for later calls.
//
// # Objects and lifetimes
//
// As in Ray, small task results (up to InlineLimit, 100 KiB, and not Arrow)
// live in-process with their ObjectRef and never touch the object store;
// Put objects, large results and Arrow values live in the store, which
// accounts for their memory and spills them to disk past its capacity.
//
// An object lives while some ObjectRef to it is reachable or a pending task
// needs it; Go's garbage collector stands in for Ray's reference counting, so
// a stored object is freed (and its spill file deleted) after the last ref
// becomes unreachable and a collection has run. Free deletes at once. An actor that is not Detached is
// terminated once no handle to it is reachable and its queued calls are done.
//
// # Clusters
//
// Start with Config.Address joins the cluster whose head listens there
// (`shoal start --head`) instead of running tasks in this process; the
// Runtime's API is the same. The driver registers a job with the head,
// uploads its own executable to every live node (content-addressed by
// sha256; a node keeps it in its session directory), and each node starts
// worker processes from it, one per CPU unless Config.WorkersPerNode says
// otherwise. A worker checks its registry (Registered) against the driver's:
// a node whose workers differ refuses the job, and the work sent there fails
// with an error naming the first differing entry. The driver then streams
// batches of tasks straight to the workers and gets results back in batches.
//
// Workers run the driver's binary from the start, so everything main (or a
// test's TestMain) does before Start runs in every worker too, as in
// bigslice. In a worker process Start does not return: it serves the node.
// Call Start early, before work that must happen only once; a test binary
// uses remotetest.Main as its TestMain.
//
// Arguments and results cross processes encoded by their registered type:
// arrow.Record as Arrow IPC, integers, floats and strings in a few bytes,
// anything else with encoding/gob (so a type needs exported fields, and an
// interface type its dynamic types registered with gob.Register). A task's
// error reaches Get as its message only: errors.Is cannot see a worker's
// sentinel errors. Ref arguments are resolved by the driver, which sends
// their values; results come back to the driver.
//
// Nodes that join the cluster after Start get the job too. Scheduling: the
// driver's scheduler orders the work as in embedded mode
// (dependencies, one call at a time per actor, retries) and admits up to 64
// tasks per cluster CPU at once; each goes to the worker with the least work
// in flight, an actor's calls to the worker that constructed it.
//
// Cancel and Shutdown reach a task running in a worker: its context is
// cancelled there.
//
// Recovery: work on a node or worker that dies fails with ErrNodeDied, a
// system failure: a task is retried on another worker (MaxRetries); the
// actor's call fails and the actor is constructed again on another worker
// if MaxRestarts allows, else its calls fail with ErrActorDied.
//
// A task running in a worker can submit tasks (RuntimeFrom gives the
// worker's runtime): they go to the driver, which places them on any worker
// outside its admission window, so a task waiting for its children cannot
// starve them. Not yet on a cluster: creating or calling actors from a task
// in a worker, ActorHandle arguments, large objects kept on the node that
// made them (every result comes back to the driver, so no object is lost with
// a node and lineage reconstruction has nothing to rebuild yet), and nodes
// that restart at an address the driver has used.
package remote

//go:generate go run ./internal/gen api_gen.go
