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
package remote

//go:generate go run ./internal/gen api_gen.go
