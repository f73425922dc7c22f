package runtimebench

import (
	"context"
	"fmt"
	goruntime "runtime"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/runtime/remote"
)

// Batch sizes of the rounds. Ray's async benchmarks submit 1000 at a time;
// the sync ones repeat a single call, here 100 times per round so that
// reading the clock does not weigh on calls of a microsecond.
const (
	batch     = 1000
	syncRound = 100
	// bigPuts is how many large objects a data round puts before it runs a
	// garbage collection to free them (see the package doc).
	bigPuts = 10
)

// The sizes of the data benchmarks: Ray's np.zeros(10*1024*1024) of int64
// (80 MiB), and a 100 MB Arrow record of one int64 column.
const (
	putInts   = 10 * 1024 * 1024
	arrowRows = 12_500_000
)

// benchmarks is the table Run goes through, in Ray's order of ray_perf.py
// for the ones it has.
var benchmarks = []benchmark{
	{name: "single_client_tasks_sync", unit: "tasks/s", setup: tasksSync},
	{name: "single_client_tasks_async", unit: "tasks/s", setup: tasksAsync},
	{name: "multi_client_tasks_async", unit: "tasks/s", setup: multiClientTasksAsync},
	{name: "1_1_actor_calls_sync", unit: "calls/s", setup: actorCallsSync},
	{name: "1_1_actor_calls_async", unit: "calls/s", setup: actorCallsAsync},
	{name: "n_n_actor_calls_async", unit: "calls/s", setup: nnActorCallsAsync},
	{name: "single_client_put_calls", unit: "puts/s", setup: putCalls},
	{name: "single_client_get_calls", unit: "gets/s", setup: getCalls},
	{name: "single_client_put_gigabytes", unit: "GB/s", bytes: putInts * 8, setup: putGigabytes},
	{name: "arrow_put_get_gigabytes", unit: "GB/s", bytes: arrowRows * 8, setup: arrowPutGet},
}

// The remote functions and actors, as in ray_perf.py: a task returning a
// small value, an Actor with a small_value method and a small_value_batch one
// that submits tasks, and a Client that calls its server Actor.

var smallValue = remote.Register0("runtimebench.small_value", func(ctx context.Context) (int, error) {
	return 0, nil
})

// Actor is ray_perf.py's Actor: a server of small values and a client of
// small_value tasks.
type Actor struct{}

var newActor = remote.RegisterActor0("runtimebench.Actor", func(ctx context.Context) (*Actor, error) {
	return &Actor{}, nil
})

var actorSmallValue = remote.RegisterMethod0("runtimebench.Actor.small_value",
	func(ctx context.Context, a *Actor) (int, error) { return 0, nil })

// actorSmallValueBatch submits n small_value tasks from inside the actor and
// waits for them.
var actorSmallValueBatch = remote.RegisterMethod1("runtimebench.Actor.small_value_batch",
	func(ctx context.Context, a *Actor, n int) (int, error) {
		return submitBatch(ctx, remote.RuntimeFrom(ctx), n)
	})

// Client is ray_perf.py's Client: it calls the small_value method of its
// server.
type Client struct{ server remote.ActorHandle[Actor] }

var newClient = remote.RegisterActor1("runtimebench.Client",
	func(ctx context.Context, server remote.ActorHandle[Actor]) (*Client, error) {
		return &Client{server: server}, nil
	})

var clientSmallValueBatch = remote.RegisterMethod1("runtimebench.Client.small_value_batch",
	func(ctx context.Context, c *Client, n int) (int, error) {
		return callBatch(ctx, c.server, n)
	})

// submitBatch submits n small_value tasks on rt and waits for them all.
func submitBatch(ctx context.Context, rt *remote.Runtime, n int) (int, error) {
	if rt == nil {
		return 0, fmt.Errorf("no runtime in the context")
	}
	refs := make([]remote.ObjectRef[int], n)
	for i := range refs {
		refs[i] = smallValue.Remote(rt)
	}
	_, err := remote.GetAll(ctx, refs)
	return n, err
}

// callBatch calls h's small_value n times and waits for every call.
func callBatch(ctx context.Context, h remote.ActorHandle[Actor], n int) (int, error) {
	refs := make([]remote.ObjectRef[int], n)
	for i := range refs {
		refs[i] = actorSmallValue.Remote(h)
	}
	_, err := remote.GetAll(ctx, refs)
	return n, err
}

// waitBatches waits for the clients' batches and returns their sum.
func waitBatches(ctx context.Context, refs []remote.ObjectRef[int]) (int64, error) {
	counts, err := remote.GetAll(ctx, refs)
	var sum int64
	for _, c := range counts {
		sum += int64(c)
	}
	return sum, err
}

// single_client_tasks_sync: one task at a time, waiting for each.
func tasksSync(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	return func(ctx context.Context) (int64, error) {
		for range syncRound {
			if _, err := remote.Get(ctx, smallValue.Remote(rt)); err != nil {
				return 0, err
			}
		}
		return syncRound, nil
	}, nil, nil
}

// single_client_tasks_async: batches of tasks, then wait for the batch.
func tasksAsync(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	return func(ctx context.Context) (int64, error) {
		n, err := submitBatch(ctx, rt, batch)
		return int64(n), err
	}, nil, nil
}

// multi_client_tasks_async: n client actors each submit a batch of tasks at
// the same time.
func multiClientTasksAsync(ctx context.Context, rt *remote.Runtime, n int) (round, func(), error) {
	clients := make([]remote.ActorHandle[Actor], n)
	for i := range clients {
		var err error
		if clients[i], err = newActor.New(rt); err != nil {
			return nil, nil, err
		}
	}
	refs := make([]remote.ObjectRef[int], n)
	return func(ctx context.Context) (int64, error) {
		for i, c := range clients {
			refs[i] = actorSmallValueBatch.Remote(c, remote.Val(batch))
		}
		return waitBatches(ctx, refs)
	}, nil, nil
}

// 1_1_actor_calls_sync: one call at a time to one actor.
func actorCallsSync(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	a, err := newActor.New(rt)
	if err != nil {
		return nil, nil, err
	}
	return func(ctx context.Context) (int64, error) {
		for range syncRound {
			if _, err := remote.Get(ctx, actorSmallValue.Remote(a)); err != nil {
				return 0, err
			}
		}
		return syncRound, nil
	}, nil, nil
}

// 1_1_actor_calls_async: batches of calls to one actor.
func actorCallsAsync(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	a, err := newActor.New(rt)
	if err != nil {
		return nil, nil, err
	}
	return func(ctx context.Context) (int64, error) {
		n, err := callBatch(ctx, a, batch)
		return int64(n), err
	}, nil, nil
}

// n_n_actor_calls_async: n client actors, each calling its own server actor
// in batches, all at the same time.
func nnActorCallsAsync(ctx context.Context, rt *remote.Runtime, n int) (round, func(), error) {
	clients := make([]remote.ActorHandle[Client], n)
	for i := range clients {
		server, err := newActor.New(rt)
		if err != nil {
			return nil, nil, err
		}
		if clients[i], err = newClient.New(rt, remote.Val(server)); err != nil {
			return nil, nil, err
		}
	}
	refs := make([]remote.ObjectRef[int], n)
	return func(ctx context.Context) (int64, error) {
		for i, c := range clients {
			refs[i] = clientSmallValueBatch.Remote(c, remote.Val(batch))
		}
		return waitBatches(ctx, refs)
	}, nil, nil
}

// single_client_put_calls: Put of a small value, the ref dropped at once.
func putCalls(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	return func(ctx context.Context) (int64, error) {
		for range batch {
			if _, err := remote.Put(rt, 0); err != nil {
				return 0, err
			}
		}
		return batch, nil
	}, nil, nil
}

// single_client_get_calls: Get of one small Put value, again and again.
func getCalls(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	ref, err := remote.Put(rt, 0)
	if err != nil {
		return nil, nil, err
	}
	return func(ctx context.Context) (int64, error) {
		for range batch {
			if _, err := remote.Get(ctx, ref); err != nil {
				return 0, err
			}
		}
		return batch, nil
	}, nil, nil
}

// single_client_put_gigabytes: Put of an 80 MiB []int64, the ref dropped at
// once.
func putGigabytes(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	arr := make([]int64, putInts)
	return func(ctx context.Context) (int64, error) {
		for range bigPuts {
			if _, err := remote.Put(rt, arr); err != nil {
				return 0, err
			}
		}
		goruntime.GC() // free them: see the package doc
		return bigPuts, nil
	}, nil, nil
}

// arrow_put_get_gigabytes: Put of a 100 MB Arrow record and Get of it, which
// must return the very record put.
func arrowPutGet(ctx context.Context, rt *remote.Runtime, _ int) (round, func(), error) {
	rec := newInt64Record(memory.DefaultAllocator, arrowRows)
	rd := arrowRound(rt, rec)
	return rd, rec.Release, nil
}

// arrowRound is arrow_put_get_gigabytes' round on rec.
func arrowRound(rt *remote.Runtime, rec arrow.Record) round {
	return func(ctx context.Context) (int64, error) {
		for range bigPuts {
			ref, err := remote.Put(rt, rec)
			if err != nil {
				return 0, err
			}
			got, err := remote.Get(ctx, ref)
			if err != nil {
				return 0, err
			}
			if got != rec {
				return 0, fmt.Errorf("Get returned a different record (%p) from the one put (%p): not zero-copy", got, rec)
			}
		}
		goruntime.GC() // free them: see the package doc
		return bigPuts, nil
	}
}
