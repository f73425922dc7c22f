package sched

// TaskState is where a task is in its life.
type TaskState uint8

const (
	TaskNew     TaskState = iota // built, not yet submitted
	TaskWaiting                  // submitted, some dependency not ready
	TaskQueued                   // dependencies ready, waiting for resources (or its actor)
	TaskRunning                  // handed to a worker
	TaskDone                     // finished, failed or cancelled
)

func (s TaskState) String() string {
	return [...]string{"new", "waiting", "queued", "running", "done"}[s]
}

// Task is one unit of work the scheduler places. The caller owns the struct
// and its Data; the scheduler owns the unexported bookkeeping.
type Task struct {
	ID    uint64
	Class *Class // resources held while it runs; nil for actor method calls
	// Actor is set for an actor method call, and for the actor's creation
	// task (Actor.Creation == this task).
	Actor *Actor
	// Deps is the number of dependencies not yet ready when submitted; each
	// DepReady event counts one down.
	Deps int
	Data any // the executor's payload; the scheduler never looks at it

	state    TaskState
	blocked  int // nested Blocked events; the CPU is given back at 0 -> 1
	runIndex int // position in State.running while running
}

// State returns where the task is.
func (t *Task) State() TaskState { return t.state }

// ActorState is where an actor is in its life.
type ActorState uint8

const (
	ActorPending  ActorState = iota // waiting for resources to be placed
	ActorStarting                   // constructor running (first time or restart)
	ActorAlive                      // ready for calls
	ActorDead                       // killed, out of restarts, or its constructor failed
)

func (s ActorState) String() string {
	return [...]string{"pending", "starting", "alive", "dead"}[s]
}

// Actor is a stateful worker: it holds Class's resources from placement to
// death and runs its calls one at a time in submission order.
type Actor struct {
	ID          uint64
	Class       *Class
	Creation    *Task // runs the constructor; re-run on restart
	MaxRestarts int   // -1 restarts forever
	Data        any

	state    ActorState
	restarts int
	mailbox  []*Task // calls in submission order; the head runs first
	busy     *Task   // the call running now
	released bool    // no handles left: die when idle
	reason   Reason  // why it died
}

// DeathReason says why a dead actor died. It is set once, before the actions
// reporting the death are returned, and never changes after.
func (a *Actor) DeathReason() Reason { return a.reason }

// State returns where the actor is.
func (a *Actor) State() ActorState { return a.state }

// Restarts returns how many times the actor has been restarted.
func (a *Actor) Restarts() int { return a.restarts }

// Class is a scheduling class: every task with the same demand shares one
// FIFO queue, so admission is first come, first served within a class.
type Class struct {
	Demand Demand
	queue  []*Task
	head   int
	active bool // listed in State.active
}

func (c *Class) len() int { return len(c.queue) - c.head }

func (c *Class) push(t *Task) { c.queue = append(c.queue, t) }

func (c *Class) pop() *Task {
	t := c.queue[c.head]
	c.queue[c.head] = nil
	c.head++
	switch {
	case c.head == len(c.queue): // drained: reuse the backing array
		c.queue, c.head = c.queue[:0], 0
	case c.head >= 1024 && c.head*2 >= len(c.queue):
		// A queue that never drains would grow forever: slide it down
		// once the dead prefix is half of it (amortised O(1) per pop).
		n := copy(c.queue, c.queue[c.head:])
		clear(c.queue[n:])
		c.queue, c.head = c.queue[:n], 0
	}
	return t
}

func (c *Class) remove(t *Task) bool {
	for i := c.head; i < len(c.queue); i++ {
		if c.queue[i] == t {
			copy(c.queue[i:], c.queue[i+1:])
			c.queue[len(c.queue)-1] = nil
			c.queue = c.queue[:len(c.queue)-1]
			if c.head == len(c.queue) {
				c.queue, c.head = c.queue[:0], 0
			}
			return true
		}
	}
	return false
}

// EventKind names what happened.
type EventKind uint8

const (
	Submit       EventKind = iota // Task: a new task (or a retry of a finished one)
	DepReady                      // Task: one of its dependencies is ready
	Finished                      // Task: it returned (with any outcome)
	Blocked                       // Task: it waits in Get and gives its CPU back
	Unblocked                     // Task: it woke up and takes its CPU again
	Cancel                        // Task: cancel it
	CreateActor                   // Actor: place it and run its constructor
	ActorStarted                  // Actor: its constructor returned successfully
	ActorFailed                   // Actor: its constructor failed; it dies
	ActorCrashed                  // Actor: a call panicked; restart if allowed
	KillActor                     // Actor: kill it, no restart
	ReleaseActor                  // Actor: no handle to it is left; it dies once its queued calls are done
	Shutdown                      // fail everything queued, interrupt everything running
)

// Event is one input to Step.
type Event struct {
	Kind  EventKind
	Task  *Task
	Actor *Actor
}

// ActionKind names what the caller must do.
type ActionKind uint8

const (
	Run       ActionKind = iota // run Task (an actor's creation task means: run its constructor)
	Fail                        // Task will never run: seal its results with Reason
	Interrupt                   // Task is running and was cancelled or its actor killed: cancel its context
	ActorDied                   // Actor is dead (Reason says why); its resources are back
)

// Reason says why a task failed without running, or why an actor died.
type Reason uint8

const (
	NoReason         Reason = iota
	ReasonCancelled         // the task was cancelled
	ReasonInfeasible        // its demand exceeds the node's total resources
	ReasonActorDead         // its actor died before the call could run
	ReasonKilled            // the actor was killed
	ReasonCrashed           // the actor crashed with no restarts left
	ReasonCtorFailed        // the actor's constructor failed
	ReasonShutdown          // the runtime shut down
	ReasonOutOfScope        // every handle to the actor was dropped
)

// Action is one output of Step.
type Action struct {
	Kind   ActionKind
	Task   *Task
	Actor  *Actor
	Reason Reason
}

// Counts is a summary of tasks by state, for status pages and tests.
type Counts struct {
	Waiting, Queued, Running, Blocked int
	ActorsAlive, ActorsDead           int
}
