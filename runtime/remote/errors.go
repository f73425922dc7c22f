package remote

import (
	"errors"
	"fmt"

	"github.com/shoaldata/shoal/runtime/objstore"
)

var (
	// ErrCancelled is the cause of a task cancelled with Cancel.
	ErrCancelled = errors.New("remote: task cancelled")
	// ErrActorDied is the cause of a call to an actor that was killed, went out
	// of scope, failed in its constructor or crashed with no restarts left.
	ErrActorDied = errors.New("remote: actor died")
	// ErrInfeasible is the cause of work whose resource demand exceeds the
	// node's total resources: it could never run.
	ErrInfeasible = errors.New("remote: resource demand infeasible")
	// ErrShutdown is the cause of work that could not finish because the
	// runtime shut down.
	ErrShutdown = errors.New("remote: runtime shut down")
	// ErrObjectFreed is the object store's: the object was freed (see Free).
	ErrObjectFreed = objstore.ErrObjectFreed
	// ErrNilRef is returned for the zero ObjectRef or ActorHandle.
	ErrNilRef = errors.New("remote: nil reference")
	// ErrActorNotFound is returned by GetActor for a name no live actor has.
	ErrActorNotFound = errors.New("remote: actor not found")

	// ErrStoreFull is the object store's: an object did not fit even after
	// spilling (or spilling is disabled).
	ErrStoreFull = objstore.ErrStoreFull
	// ErrObjectLost is the object store's: a spilled object could not be read
	// back.
	ErrObjectLost = objstore.ErrObjectLost
)

// TaskError is how a failed task reaches Get: it names the registered
// function (or "Type.Method" for an actor call) and wraps the cause.
type TaskError struct {
	Func     string // registered name
	Task     uint64 // task ID
	Attempts int    // how many times it ran (0 if it never ran)
	Err      error  // the cause: the task's error, a *PanicError, ErrCancelled, ...
}

func (e *TaskError) Error() string { return fmt.Sprintf("remote: task %s: %v", e.Func, e.Err) }

func (e *TaskError) Unwrap() error { return e.Err }

// PanicError is the cause of a task that panicked. It unwraps to the panic
// value when that is an error.
type PanicError struct {
	Value any
	Stack string // the goroutine's stack where it panicked
}

func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
