package remote_test

import (
	"context"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

// Microbenchmarks in Ray's shapes: many tiny tasks submitted before any is
// awaited, one task at a time, and many calls to one actor. The design's
// target is microseconds per tiny task.

var (
	benchNoop      = remote.Register1("bench.noop", func(_ context.Context, n int) (int, error) { return n, nil })
	benchActorType = remote.RegisterActor0("bench.Actor", func(context.Context) (*benchActor, error) { return &benchActor{}, nil })
	benchActorAdd  = remote.RegisterMethod1("bench.Actor.Add", func(_ context.Context, a *benchActor, n int) (int, error) {
		a.total += n
		return a.total, nil
	})
)

type benchActor struct{ total int }

// benchBatch is how many refs the async benchmarks hold before awaiting them.
const benchBatch = 1000

// drain Gets every ref and empties the batch.
func drain(b *testing.B, ctx context.Context, refs []remote.ObjectRef[int]) []remote.ObjectRef[int] {
	for _, r := range refs {
		if _, err := remote.Get(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	clear(refs)
	return refs[:0]
}

func BenchmarkTasksAsync(b *testing.B) {
	rt := newRuntime(b, remote.Config{})
	ctx := context.Background()
	refs := make([]remote.ObjectRef[int], 0, benchBatch)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		refs = append(refs, benchNoop.Remote(rt, remote.Val(i)))
		if len(refs) == benchBatch {
			refs = drain(b, ctx, refs)
		}
	}
	drain(b, ctx, refs)
}

func BenchmarkTasksSync(b *testing.B) {
	rt := newRuntime(b, remote.Config{})
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := remote.Get(ctx, benchNoop.Remote(rt, remote.Val(i))); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkActorCallsAsync(b *testing.B) {
	rt := newRuntime(b, remote.Config{})
	ctx := context.Background()
	h, err := benchActorType.New(rt)
	if err != nil {
		b.Fatal(err)
	}
	refs := make([]remote.ObjectRef[int], 0, benchBatch)
	b.ReportAllocs()
	for b.Loop() {
		refs = append(refs, benchActorAdd.Remote(h, remote.Val(1)))
		if len(refs) == benchBatch {
			refs = drain(b, ctx, refs)
		}
	}
	drain(b, ctx, refs)
}
