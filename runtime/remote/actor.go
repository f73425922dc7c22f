package remote

import (
	"fmt"
	goruntime "runtime"
	"sync/atomic"
	"weak"

	"github.com/shoaldata/shoal/runtime/sched"
)

// actorType is a registered actor type.
type actorType struct {
	name string
	zero any // a typed nil *S, to check GetActor's type parameter
}

// actor is one live (or dead) actor instance and its bookkeeping.
type actor struct {
	st       sched.Actor
	rt       *Runtime
	typ      *actorType
	name     string
	detached bool
	creation *task
	// instance is written by the constructor and read by calls; the
	// scheduler's steps order the two (a call runs only once the actor is
	// alive, never during a restart).
	instance any
	cause    error // the constructor's error or the last crash, set before stepping
	// node is the worker running the actor in cluster mode; its constructor sets it.
	node atomic.Pointer[clWorker]
	// headID is its ID in the head's actor directory, once registered.
	headID atomic.Pointer[string]
}

func (a *actor) String() string {
	if a.name != "" {
		return fmt.Sprintf("actor %s %q (%d)", a.typ.name, a.name, a.st.ID)
	}
	return fmt.Sprintf("actor %s (%d)", a.typ.name, a.st.ID)
}

// actorRef is the shared part of every copy of one ActorHandle. When the
// last copy becomes unreachable, a non-detached actor is released: it dies
// once its queued calls are done.
type actorRef struct{ a *actor }

func releaseActor(a *actor) { a.rt.step(sched.Event{Kind: sched.ReleaseActor, Actor: &a.st}) }

// ActorHandle refers to a live actor of type S. Copies are cheap; handles can
// be passed to tasks and to other actors with Val. The zero handle refers to
// nothing.
type ActorHandle[S any] struct{ ref *actorRef }

// ID is the actor's ID, unique within its runtime; 0 for the zero handle.
func (h ActorHandle[S]) ID() uint64 {
	if h.ref == nil {
		return 0
	}
	return h.ref.a.st.ID
}

func (h ActorHandle[S]) String() string {
	if h.ref == nil {
		return "ActorHandle(nil)"
	}
	return h.ref.a.String()
}

// namedActor is an entry of the runtime's name directory. A detached actor
// is held strongly (it outlives its handles); any other only weakly, so the
// directory never keeps it alive.
type namedActor struct {
	strong *actorRef
	weak   weak.Pointer[actorRef]
}

func (n *namedActor) get() *actorRef {
	if n.strong != nil {
		return n.strong
	}
	return n.weak.Value()
}

// newActor creates an actor of typ whose constructor is t (already bound)
// and places it. It fails at once for a taken name, bad options or a bad
// argument; a failing constructor shows later, in the calls.
func newActor[S any](r *Runtime, typ *actorType, sp *spec, t *task) (ActorHandle[S], error) {
	if sp.err != nil {
		return ActorHandle[S]{}, fmt.Errorf("remote: actor %s: %w", typ.name, sp.err)
	}
	if t.bindErr != nil {
		return ActorHandle[S]{}, fmt.Errorf("remote: actor %s: %w", typ.name, t.bindErr)
	}
	a := &actor{rt: r, typ: typ, name: sp.name, detached: sp.detached, creation: t}
	t.actor = a
	t.out = t.outBuf[:1] // the constructor's one output is the instance
	ref := &actorRef{a}
	a.st = sched.Actor{MaxRestarts: sp.maxRestarts, Creation: &t.st, Data: a}

	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ActorHandle[S]{}, fmt.Errorf("remote: actor %s: %w", typ.name, ErrShutdown)
	}
	if a.name != "" {
		if n, ok := r.named[a.name]; ok && n.get() != nil {
			r.mu.Unlock()
			return ActorHandle[S]{}, fmt.Errorf("remote: actor name %q is taken by %v", a.name, n.get().a)
		}
		n := &namedActor{weak: weak.Make(ref)}
		if a.detached {
			n.strong = ref
		}
		r.named[a.name] = n
	}
	r.nextActor++
	a.st.ID = r.nextActor
	t.st.ID = r.taskIDs.Add(1)
	a.st.Class = r.classFor(sp.demand)
	acts := r.sched.Step(sched.Event{Kind: sched.CreateActor, Actor: &a.st}, nil)
	r.mu.Unlock()
	r.perform(acts, false)

	if !a.detached {
		goruntime.AddCleanup(ref, releaseActor, a)
	}
	return ActorHandle[S]{ref}, nil
}

// GetActor returns a handle to the live actor called name. It fails with
// ErrActorNotFound if there is none, and if the actor is not of type S.
func GetActor[S any](r *Runtime, name string) (ActorHandle[S], error) {
	r.mu.Lock()
	var ref *actorRef
	if n, ok := r.named[name]; ok {
		ref = n.get()
	}
	dead := ref == nil || ref.a.st.State() == sched.ActorDead // state is guarded by r.mu
	r.mu.Unlock()
	if dead {
		return ActorHandle[S]{}, fmt.Errorf("%w: %q", ErrActorNotFound, name)
	}
	if _, ok := ref.a.typ.zero.(*S); !ok {
		var s *S
		return ActorHandle[S]{}, fmt.Errorf("remote: actor %q is a %s, not a %T", name, ref.a.typ.name, s)
	}
	return ActorHandle[S]{ref}, nil
}

// Kill kills the actor at once, whatever its options: queued calls fail with
// ErrActorDied, a running call sees its context cancelled, and it is not
// restarted. Killing a dead actor does nothing.
func Kill[S any](h ActorHandle[S]) error {
	if h.ref == nil {
		return ErrNilRef
	}
	a := h.ref.a
	a.rt.step(sched.Event{Kind: sched.KillActor, Actor: &a.st})
	return nil
}

// call builds a method call task on h's actor.
func call[S any](h ActorHandle[S], name string, m invokeMethod, nargs int) (*task, error) {
	if h.ref == nil {
		return nil, ErrNilRef
	}
	a := h.ref.a
	if a.rt.closing.Load() {
		return nil, ErrShutdown
	}
	t := a.rt.newTask(name, methodSpec, nargs, 1)
	t.method, t.actor = m, a
	t.st.Actor = &a.st
	return t, nil
}

// methodSpec: calls run on the actor's resources and are never retried.
var methodSpec = &spec{maxRetries: 0}

// died runs once the scheduler declared the actor dead: its name is free.
func (a *actor) died(sched.Reason) {
	r := a.rt
	if r.cl != nil {
		r.cl.dropActor(a)
	}
	r.mu.Lock()
	if n, ok := r.named[a.name]; ok && a.name != "" {
		if ref := n.get(); ref == nil || ref.a == a {
			delete(r.named, a.name)
		}
	}
	r.mu.Unlock()
}

// deathErr says why the actor is dead, for its failed calls.
func (a *actor) deathErr() error {
	switch a.st.DeathReason() {
	case sched.ReasonKilled:
		return fmt.Errorf("%w: %v was killed", ErrActorDied, a)
	case sched.ReasonCtorFailed:
		return fmt.Errorf("%w: %v: constructor failed: %w", ErrActorDied, a, a.cause)
	case sched.ReasonCrashed:
		return fmt.Errorf("%w: %v crashed with no restarts left: %w", ErrActorDied, a, a.cause)
	case sched.ReasonOutOfScope:
		return fmt.Errorf("%w: %v went out of scope", ErrActorDied, a)
	case sched.ReasonInfeasible:
		return fmt.Errorf("%w: %v: %w: needs %v, the node has %v in all", ErrActorDied, a, ErrInfeasible, a.st.Class.Demand, a.rt.totals())
	case sched.ReasonShutdown:
		return fmt.Errorf("%w: %v: %w", ErrActorDied, a, ErrShutdown)
	}
	return fmt.Errorf("%w: %v", ErrActorDied, a)
}

// afterCreation reports the constructor's outcome to the scheduler.
func (t *task) afterCreation(err error) *task {
	a := t.actor
	ev := sched.Event{Kind: sched.ActorStarted, Actor: &a.st}
	if err != nil {
		a.cause = err
		ev.Kind = sched.ActorFailed
	} else {
		a.instance = t.out[0]
	}
	t.out[0] = nil
	t.resetContext() // a restart runs the constructor again
	return t.rt.handOff(ev)
}

// afterCall seals a call's result and lets the actor take its next call. A
// panic crashes the actor: it restarts if MaxRestarts allows.
func (t *task) afterCall(err error) *task {
	a := t.actor
	ev := sched.Event{Kind: sched.Finished, Task: &t.st}
	if systemFailure(err) && !t.depFailed && t.interruptReason() == sched.NoReason {
		a.cause = err
		ev = sched.Event{Kind: sched.ActorCrashed, Actor: &a.st}
	}
	t.finish(t.outcome(err))
	return t.rt.handOff(ev)
}
