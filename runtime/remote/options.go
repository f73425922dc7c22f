package remote

import (
	"fmt"
	"maps"
	"sort"
	"sync"

	"github.com/shoaldata/shoal/runtime/sched"
)

// Option sets how a function runs or an actor lives. Options are given at
// registration and can be overridden per call with Options(...). Which options
// apply to what is said on each.
type Option func(*spec)

// NumCPUs sets the CPUs a task holds while it runs (default 1) or an actor
// holds for its lifetime (default 0). Fractions are allowed.
func NumCPUs(n float64) Option { return func(s *spec) { s.cpu = n } }

// Resources sets custom named resources ("GPU": 1, "disk": 0.5) held like CPUs.
func Resources(r map[string]float64) Option {
	return func(s *spec) { s.custom = maps.Clone(r) }
}

// MaxRetries sets how many times a task is retried after a system failure (a
// panic, standing in for a crashed worker); -1 retries forever. Default 3.
func MaxRetries(n int) Option { return func(s *spec) { s.maxRetries = n } }

// RetryExceptions makes returned (application) errors count for MaxRetries
// too. Off by default, as in Ray.
func RetryExceptions(on bool) Option { return func(s *spec) { s.retryErrors = on } }

// Name makes an actor findable with GetActor. Names are unique among live
// actors.
func Name(name string) Option { return func(s *spec) { s.name = name } }

// Detached makes an actor outlive its handles: it runs until Kill or Shutdown.
func Detached() Option { return func(s *spec) { s.detached = true } }

// MaxRestarts sets how many times an actor is restarted (its constructor run
// again) after a method panics; -1 restarts forever. Default 0.
func MaxRestarts(n int) Option { return func(s *spec) { s.maxRestarts = n } }

// spec is the resolved options of a function, method or actor type. It is
// immutable once built; Options(...) makes a new one.
type spec struct {
	name        string // actor name (Name option)
	cpu         float64
	custom      map[string]float64
	maxRetries  int
	retryErrors bool
	detached    bool
	maxRestarts int

	demand sched.Demand
	err    error // an invalid option: work submitted with this spec fails with it
}

func newSpec(defaultCPU float64, opts []Option) *spec {
	s := &spec{cpu: defaultCPU, maxRetries: 3}
	return s.with(opts)
}

// with returns a copy of s with opts applied. An invalid option is kept in
// err, so that Options(...) can chain and the submitted work reports it.
func (s *spec) with(opts []Option) *spec {
	n := *s
	n.name = "" // a name is per actor, never inherited
	for _, o := range opts {
		o(&n)
	}
	n.demand, n.err = sched.NewDemand(n.cpu, n.custom)
	if n.err == nil && (n.maxRetries < -1 || n.maxRestarts < -1) {
		n.err = fmt.Errorf("remote: MaxRetries %d / MaxRestarts %d: must be >= -1", n.maxRetries, n.maxRestarts)
	}
	return &n
}

// kind of a registered entry, for error messages and listing.
type kind string

const (
	kindFunc   kind = "function"
	kindActor  kind = "actor type"
	kindMethod kind = "actor method"
)

var registry = struct {
	sync.Mutex
	names   map[string]kind
	entries map[string]*entry
}{names: map[string]kind{}, entries: map[string]*entry{}}

// register claims name for one registered entry. Registration happens at
// package initialisation, so a clash is a programming error and panics, as
// http.Handle and gob.Register do. The caller fills in the entry, which a
// worker process uses to run it.
func register(name string, k kind) *entry {
	if name == "" {
		panic(fmt.Sprintf("remote: %s registered with an empty name", k))
	}
	registry.Lock()
	defer registry.Unlock()
	if prev, ok := registry.names[name]; ok {
		panic(fmt.Sprintf("remote: %s %q registered twice (already a %s)", k, name, prev))
	}
	registry.names[name] = k
	e := &entry{kind: k}
	registry.entries[name] = e
	return e
}

// Registered lists every registered name with what it is ("function", "actor
// type", "actor method"), sorted by name. Processes of one cluster must agree
// on it.
func Registered() []string {
	registry.Lock()
	defer registry.Unlock()
	out := make([]string, 0, len(registry.names))
	for n, k := range registry.names {
		out = append(out, fmt.Sprintf("%s %s", k, n))
	}
	sort.Strings(out)
	return out
}

// mustSpec resolves registration options; a bad one is a programming error.
func mustSpec(name string, defaultCPU float64, opts []Option) *spec {
	s := newSpec(defaultCPU, opts)
	if s.err != nil {
		panic(fmt.Sprintf("remote: %s: %v", name, s.err))
	}
	return s
}
