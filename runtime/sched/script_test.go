package sched_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/runtime/sched"
)

var update = flag.Bool("update", false, "rewrite the outputs in testdata/*.txt")

// A script drives one State with named tasks and actors and checks the
// actions each event returns. Expected actions are written one per action,
// joined by "; ":
//
//	run a            Run of task a (an actor's constructor prints as A.ctor)
//	fail a cancelled Fail of a with a reason
//	interrupt a shutdown
//	died A killed    ActorDied of actor A
//
// and "" for no action. After every step the script also checks that Counts
// agrees with the states of the tasks it knows.
type script struct {
	t      testing.TB
	s      *sched.State
	tasks  map[string]*sched.Task
	order  []string // task names in creation order, for stable messages
	actors map[string]*sched.Actor
	nextID uint64
	out    []sched.Action
}

func newScript(t testing.TB, cpu float64, custom map[string]float64) *script {
	t.Helper()
	p, err := sched.NewPool(cpu, custom)
	if err != nil {
		t.Fatal(err)
	}
	return &script{t: t, s: sched.New(p), tasks: map[string]*sched.Task{}, actors: map[string]*sched.Actor{}}
}

var reasonNames = map[sched.Reason]string{
	sched.NoReason:         "",
	sched.ReasonCancelled:  "cancelled",
	sched.ReasonInfeasible: "infeasible",
	sched.ReasonActorDead:  "actor-dead",
	sched.ReasonKilled:     "killed",
	sched.ReasonCrashed:    "crashed",
	sched.ReasonCtorFailed: "ctor-failed",
	sched.ReasonShutdown:   "shutdown",
	sched.ReasonOutOfScope: "out-of-scope",
}

func taskName(t *sched.Task) string {
	if t == nil {
		return "<nil task>"
	}
	if n, ok := t.Data.(string); ok {
		return n
	}
	return fmt.Sprintf("task#%d", t.ID)
}

func actorName(a *sched.Actor) string {
	if a == nil {
		return "<nil actor>"
	}
	if n, ok := a.Data.(string); ok {
		return n
	}
	return fmt.Sprintf("actor#%d", a.ID)
}

func formatAction(a sched.Action) string {
	var s string
	switch a.Kind {
	case sched.Run:
		s = "run " + taskName(a.Task)
	case sched.Fail:
		s = "fail " + taskName(a.Task)
	case sched.Interrupt:
		s = "interrupt " + taskName(a.Task)
	case sched.ActorDied:
		s = "died " + actorName(a.Actor)
	default:
		s = fmt.Sprintf("action(%d)", a.Kind)
	}
	if r := reasonNames[a.Reason]; r != "" {
		s += " " + r
	} else if a.Reason != sched.NoReason {
		s += fmt.Sprintf(" reason(%d)", a.Reason)
	}
	return s
}

func formatActions(as []sched.Action) string {
	parts := make([]string, len(as))
	for i, a := range as {
		parts[i] = formatAction(a)
	}
	return strings.Join(parts, "; ")
}

// demand builds a demand or fails the test.
func (sc *script) demand(cpu float64, custom map[string]float64) sched.Demand {
	sc.t.Helper()
	d, err := sched.NewDemand(cpu, custom)
	if err != nil {
		sc.t.Fatal(err)
	}
	return d
}

func (sc *script) newTask(name string, class *sched.Class, actor *sched.Actor, deps int) *sched.Task {
	sc.t.Helper()
	if _, dup := sc.tasks[name]; dup {
		sc.t.Fatalf("task %s defined twice", name)
	}
	sc.nextID++
	t := &sched.Task{ID: sc.nextID, Class: class, Actor: actor, Deps: deps, Data: name}
	sc.tasks[name] = t
	sc.order = append(sc.order, name)
	return t
}

func (sc *script) newActor(name string, d sched.Demand, maxRestarts int) *sched.Actor {
	sc.t.Helper()
	if _, dup := sc.actors[name]; dup {
		sc.t.Fatalf("actor %s defined twice", name)
	}
	sc.nextID++
	a := &sched.Actor{ID: sc.nextID, Class: sc.s.Class(d), MaxRestarts: maxRestarts, Data: name}
	a.Creation = sc.newTask(name+".ctor", nil, nil, 0)
	sc.actors[name] = a
	return a
}

// task returns the named task.
func (sc *script) task(name string) *sched.Task {
	sc.t.Helper()
	t, ok := sc.tasks[name]
	if !ok {
		sc.t.Fatalf("no task %s", name)
	}
	return t
}

// actor returns the named actor.
func (sc *script) actor(name string) *sched.Actor {
	sc.t.Helper()
	a, ok := sc.actors[name]
	if !ok {
		sc.t.Fatalf("no actor %s", name)
	}
	return a
}

// step applies ev and returns its actions formatted.
func (sc *script) step(ev sched.Event) string {
	sc.t.Helper()
	sc.out = sc.s.Step(ev, sc.out[:0])
	sc.checkActions()
	return formatActions(sc.out)
}

// checkActions checks what holds after every step: Counts agrees with the
// task states, and a reported death is recorded on the actor.
func (sc *script) checkActions() {
	sc.t.Helper()
	sc.checkCounts()
	for _, a := range sc.out {
		if a.Kind == sched.ActorDied {
			if st, r := a.Actor.State(), a.Actor.DeathReason(); st != sched.ActorDead || r != a.Reason {
				sc.t.Errorf("%s: actor is %v with DeathReason %q", formatAction(a), st, reasonNames[r])
			}
		}
	}
}

// checkCounts compares Counts with the states of the known tasks.
func (sc *script) checkCounts() {
	sc.t.Helper()
	var want sched.Counts
	for _, t := range sc.tasks {
		switch t.State() {
		case sched.TaskWaiting:
			want.Waiting++
		case sched.TaskQueued:
			want.Queued++
		case sched.TaskRunning:
			want.Running++
		}
	}
	for _, a := range sc.actors {
		if a.State() == sched.ActorAlive {
			want.ActorsAlive++
		}
	}
	got := sc.s.Counts()
	got.Blocked, got.ActorsDead = 0, 0 // checked where a test says so
	if got != want {
		sc.t.Errorf("Counts() = %+v, task states say %+v", got, want)
	}
}

func (sc *script) expect(what, got, want string) {
	sc.t.Helper()
	if got != want {
		sc.t.Errorf("%s:\n got: %q\nwant: %q", what, got, want)
	}
}

// submit submits a new task needing cpu CPUs and deps dependencies.
func (sc *script) submit(name string, cpu float64, deps int, want string) {
	sc.t.Helper()
	sc.submitDemand(name, sc.demand(cpu, nil), deps, want)
}

// submitDemand submits a new task with demand d.
func (sc *script) submitDemand(name string, d sched.Demand, deps int, want string) {
	sc.t.Helper()
	t := sc.newTask(name, sc.s.Class(d), nil, deps)
	sc.expect("submit "+name, sc.step(sched.Event{Kind: sched.Submit, Task: t}), want)
}

// resubmit submits a task that ran before again (a retry).
func (sc *script) resubmit(name string, deps int, want string) {
	sc.t.Helper()
	t := sc.task(name)
	t.Deps = deps
	sc.expect("resubmit "+name, sc.step(sched.Event{Kind: sched.Submit, Task: t}), want)
}

// call submits a new method call to actor.
func (sc *script) call(actor, name string, deps int, want string) {
	sc.t.Helper()
	t := sc.newTask(name, nil, sc.actor(actor), deps)
	sc.expect("call "+actor+"."+name, sc.step(sched.Event{Kind: sched.Submit, Task: t}), want)
}

func (sc *script) taskEvent(k sched.EventKind, verb, name, want string) {
	sc.t.Helper()
	sc.expect(verb+" "+name, sc.step(sched.Event{Kind: k, Task: sc.task(name)}), want)
}

func (sc *script) ready(name, want string) {
	sc.t.Helper()
	sc.taskEvent(sched.DepReady, "ready", name, want)
}

func (sc *script) finish(name, want string) {
	sc.t.Helper()
	sc.taskEvent(sched.Finished, "finish", name, want)
}

func (sc *script) block(name, want string) {
	sc.t.Helper()
	sc.taskEvent(sched.Blocked, "block", name, want)
}

func (sc *script) unblock(name, want string) {
	sc.t.Helper()
	sc.taskEvent(sched.Unblocked, "unblock", name, want)
}

func (sc *script) cancel(name, want string) {
	sc.t.Helper()
	sc.taskEvent(sched.Cancel, "cancel", name, want)
}

// createActor defines actor name with a CPU demand and sends CreateActor.
func (sc *script) createActor(name string, cpu float64, maxRestarts int, want string) {
	sc.t.Helper()
	sc.createActorDemand(name, sc.demand(cpu, nil), maxRestarts, want)
}

func (sc *script) createActorDemand(name string, d sched.Demand, maxRestarts int, want string) {
	sc.t.Helper()
	a := sc.newActor(name, d, maxRestarts)
	sc.expect("create "+name, sc.step(sched.Event{Kind: sched.CreateActor, Actor: a}), want)
}

func (sc *script) actorEvent(k sched.EventKind, verb, name, want string) {
	sc.t.Helper()
	sc.expect(verb+" "+name, sc.step(sched.Event{Kind: k, Actor: sc.actor(name)}), want)
}

func (sc *script) started(name, want string) {
	sc.t.Helper()
	sc.actorEvent(sched.ActorStarted, "started", name, want)
}

func (sc *script) ctorFailed(name, want string) {
	sc.t.Helper()
	sc.actorEvent(sched.ActorFailed, "ctor-failed", name, want)
}

func (sc *script) crashed(name, want string) {
	sc.t.Helper()
	sc.actorEvent(sched.ActorCrashed, "crashed", name, want)
}

func (sc *script) kill(name, want string) {
	sc.t.Helper()
	sc.actorEvent(sched.KillActor, "kill", name, want)
}

func (sc *script) release(name, want string) {
	sc.t.Helper()
	sc.actorEvent(sched.ReleaseActor, "release", name, want)
}

func (sc *script) shutdown(want string) {
	sc.t.Helper()
	sc.expect("shutdown", sc.step(sched.Event{Kind: sched.Shutdown}), want)
}

// wantCounts checks every field of Counts but ActorsDead.
func (sc *script) wantCounts(want sched.Counts) {
	sc.t.Helper()
	got := sc.s.Counts()
	got.ActorsDead = 0
	if got != want {
		sc.t.Errorf("Counts() = %+v, want %+v", got, want)
	}
}

// wantFree checks the free CPU, in units.
func (sc *script) wantFree(cpu float64) {
	sc.t.Helper()
	if got, want := sc.s.Pool().FreeCPU, sched.Units(cpu); got != want {
		sc.t.Errorf("FreeCPU = %v, want %v", got.Float(), want.Float())
	}
}

// wantFreeRes checks the free amount of a custom resource, in units.
func (sc *script) wantFreeRes(name string, want float64) {
	sc.t.Helper()
	for _, r := range sc.s.Pool().Snapshot() {
		if r.Name == name {
			if r.Free != want {
				sc.t.Errorf("free %s = %v, want %v", name, r.Free, want)
			}
			return
		}
	}
	sc.t.Errorf("no resource %s in the pool", name)
}

func (sc *script) wantState(name string, want sched.TaskState) {
	sc.t.Helper()
	if got := sc.task(name).State(); got != want {
		sc.t.Errorf("task %s is %v, want %v", name, got, want)
	}
}

func (sc *script) wantActor(name string, want sched.ActorState) {
	sc.t.Helper()
	if got := sc.actor(name).State(); got != want {
		sc.t.Errorf("actor %s is %v, want %v", name, got, want)
	}
}

// The script files in testdata/ are the same interactions written as text,
// as etcd's raft tests do. A file is a list of blocks separated by blank
// lines; a block is optional # comments, one command, a "----" line and the
// expected output, one action per line ("(none)" for no action). Run with
// -update to rewrite the outputs.
//
// Commands (names are words; amounts are units, as users write them):
//
//	pool cpu=2 [R=n...]            start a new State over this pool
//	submit a cpu=1 [R=n...] [deps=n]
//	resubmit a [deps=n]            submit a task that is done again (retry)
//	call A m [deps=n]              submit a method call m to actor A
//	ready a | finish a | block a | unblock a | cancel a
//	actor A cpu=1 [R=n...] [restarts=n]   CreateActor
//	started A | ctor-failed A | crashed A | kill A | release A
//	shutdown
//	counts                         print Counts
//	free                           print the pool: name free/total ...
func TestScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no testdata/*.txt")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) { runScriptFile(t, f) })
	}
}

type scriptBlock struct {
	comments []string
	cmd      string
	line     int
	want     []string
}

func parseScriptFile(t *testing.T, path string) []scriptBlock {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []scriptBlock
	var b scriptBlock
	stage := 0 // 0: comments and command, 1: output
	flush := func() {
		if b.cmd != "" || len(b.comments) > 0 {
			blocks = append(blocks, b)
		}
		b, stage = scriptBlock{}, 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimRight(sc.Text(), " \t")
		switch {
		case line == "":
			flush()
		case stage == 0 && strings.HasPrefix(line, "#"):
			b.comments = append(b.comments, line)
		case stage == 0 && line == "----":
			if b.cmd == "" {
				t.Fatalf("%s:%d: ---- without a command", path, n)
			}
			stage = 1
		case stage == 0:
			if b.cmd != "" {
				t.Fatalf("%s:%d: one command per block", path, n)
			}
			b.cmd, b.line = line, n
		default:
			b.want = append(b.want, line)
		}
	}
	flush()
	return blocks
}

func runScriptFile(t *testing.T, path string) {
	blocks := parseScriptFile(t, path)
	var sc *script
	var buf bytes.Buffer
	for i := range blocks {
		b := &blocks[i]
		for _, c := range b.comments {
			fmt.Fprintln(&buf, c)
		}
		if b.cmd == "" {
			fmt.Fprintln(&buf)
			continue
		}
		got := runScriptCommand(t, &sc, fmt.Sprintf("%s:%d", path, b.line), b.cmd)
		if !*update && strings.Join(got, "\n") != strings.Join(b.want, "\n") {
			t.Errorf("%s:%d: %s\n got:\n\t%s\nwant:\n\t%s", path, b.line, b.cmd,
				strings.Join(got, "\n\t"), strings.Join(b.want, "\n\t"))
		}
		fmt.Fprintf(&buf, "%s\n----\n%s\n\n", b.cmd, strings.Join(got, "\n"))
	}
	if *update {
		if err := os.WriteFile(path, append(bytes.TrimRight(buf.Bytes(), "\n"), '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// parseArgs splits "a b cpu=1 GPU=0.5 deps=2" into the words and the
// key=value pairs.
func parseArgs(fields []string) (words []string, kv map[string]string) {
	kv = map[string]string{}
	for _, f := range fields {
		if k, v, ok := strings.Cut(f, "="); ok {
			kv[k] = v
		} else {
			words = append(words, f)
		}
	}
	return words, kv
}

func runScriptCommand(t *testing.T, scp **script, where, cmd string) []string {
	t.Helper()
	fields := strings.Fields(cmd)
	words, kv := parseArgs(fields[1:])
	num := func(k string, def float64) float64 {
		v, ok := kv[k]
		if !ok {
			return def
		}
		delete(kv, k)
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s: %s=%s: %v", where, k, v, err)
		}
		return f
	}
	word := func(i int) string {
		if i >= len(words) {
			t.Fatalf("%s: %s: missing name", where, cmd)
		}
		return words[i]
	}
	// demand takes cpu= and every remaining key as a custom resource.
	demand := func() (float64, map[string]float64) {
		cpu := num("cpu", 0)
		var custom map[string]float64
		for k := range kv {
			if custom == nil {
				custom = map[string]float64{}
			}
			custom[k] = num(k, 0)
		}
		return cpu, custom
	}
	if fields[0] == "pool" {
		cpu, custom := demand()
		*scp = newScript(t, cpu, custom)
		return snapshotLines((*scp).s.Pool())
	}
	sc := *scp
	if sc == nil {
		t.Fatalf("%s: %s before pool", where, fields[0])
	}
	var ev sched.Event
	switch fields[0] {
	case "submit":
		deps := int(num("deps", 0))
		cpu, custom := demand()
		ev = sched.Event{Kind: sched.Submit, Task: sc.newTask(word(0), sc.s.Class(sc.demand(cpu, custom)), nil, deps)}
	case "resubmit":
		tk := sc.task(word(0))
		tk.Deps = int(num("deps", 0))
		ev = sched.Event{Kind: sched.Submit, Task: tk}
	case "call":
		deps := int(num("deps", 0))
		ev = sched.Event{Kind: sched.Submit, Task: sc.newTask(word(1), nil, sc.actor(word(0)), deps)}
	case "ready", "finish", "block", "unblock", "cancel":
		kind := map[string]sched.EventKind{"ready": sched.DepReady, "finish": sched.Finished,
			"block": sched.Blocked, "unblock": sched.Unblocked, "cancel": sched.Cancel}[fields[0]]
		ev = sched.Event{Kind: kind, Task: sc.task(word(0))}
	case "actor":
		restarts := int(num("restarts", 0))
		cpu, custom := demand()
		ev = sched.Event{Kind: sched.CreateActor, Actor: sc.newActor(word(0), sc.demand(cpu, custom), restarts)}
	case "started", "ctor-failed", "crashed", "kill", "release":
		kind := map[string]sched.EventKind{"started": sched.ActorStarted, "ctor-failed": sched.ActorFailed,
			"crashed": sched.ActorCrashed, "kill": sched.KillActor, "release": sched.ReleaseActor}[fields[0]]
		ev = sched.Event{Kind: kind, Actor: sc.actor(word(0))}
	case "shutdown":
		ev = sched.Event{Kind: sched.Shutdown}
	case "counts":
		c := sc.s.Counts()
		return []string{fmt.Sprintf("waiting=%d queued=%d running=%d blocked=%d actors=%d",
			c.Waiting, c.Queued, c.Running, c.Blocked, c.ActorsAlive)}
	case "free":
		return snapshotLines(sc.s.Pool())
	default:
		t.Fatalf("%s: unknown command %q", where, fields[0])
	}
	if len(kv) > 0 {
		t.Fatalf("%s: unused arguments %v", where, kv)
	}
	sc.out = sc.s.Step(ev, sc.out[:0])
	sc.checkActions()
	if len(sc.out) == 0 {
		return []string{"(none)"}
	}
	lines := make([]string, len(sc.out))
	for i, a := range sc.out {
		lines[i] = formatAction(a)
	}
	return lines
}

func snapshotLines(p *sched.Pool) []string {
	var parts []string
	for _, r := range p.Snapshot() {
		parts = append(parts, fmt.Sprintf("%s %g/%g", r.Name, r.Free, r.Total))
	}
	return []string{strings.Join(parts, " ")}
}
