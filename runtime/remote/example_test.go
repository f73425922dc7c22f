package remote_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shoaldata/shoal/runtime/remote"
)

// Remote functions and actor types are registered once, at package level.
var (
	exampleAdd = remote.Register2("example.add", func(_ context.Context, a, b int) (int, error) {
		return a + b, nil
	})
	exampleSquare = remote.Register1("example.square", func(_ context.Context, n int) (int, error) {
		return n * n, nil
	})
	exampleJoin = remote.Register1("example.join", func(_ context.Context, words []string) (string, error) {
		return strings.Join(words, " "), nil
	})
	// exampleUntilCancelled runs until its context is cancelled.
	exampleUntilCancelled = remote.Register0("example.untilCancelled", func(ctx context.Context) (int, error) {
		<-ctx.Done()
		return 0, ctx.Err()
	})
)

// exampleCounter is an actor's state.
type exampleCounter struct{ total int }

var (
	exampleCounterType = remote.RegisterActor0("example.Counter", func(context.Context) (*exampleCounter, error) {
		return &exampleCounter{}, nil
	})
	exampleCounterAdd = remote.RegisterMethod1("example.Counter.Add", func(_ context.Context, c *exampleCounter, n int) (int, error) {
		c.total += n
		return c.total, nil
	})
)

func ExampleRegister2() {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{NumCPUs: 2})
	if err != nil {
		panic(err)
	}
	defer rt.Shutdown(ctx)

	// Remote returns at once; a ref passed on is a dependency.
	sum := exampleAdd.Remote(rt, remote.Val(1), remote.Val(2))
	total := exampleAdd.Remote(rt, sum, remote.Val(10))
	v, err := remote.Get(ctx, total)
	fmt.Println(v, err)
	// Output: 13 <nil>
}

func ExampleWait() {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{NumCPUs: 2})
	if err != nil {
		panic(err)
	}
	defer rt.Shutdown(ctx)

	var refs []remote.ObjectRef[int]
	for i := 1; i <= 4; i++ {
		refs = append(refs, exampleSquare.Remote(rt, remote.Val(i)))
	}
	ready, notReady, err := remote.Wait(ctx, refs, len(refs), 10*time.Second)
	fmt.Println(len(ready), len(notReady), err)
	squares, err := remote.GetAll(ctx, ready)
	fmt.Println(squares, err)
	// Output:
	// 4 0 <nil>
	// [1 4 9 16] <nil>
}

func ExamplePut() {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{NumCPUs: 1})
	if err != nil {
		panic(err)
	}
	defer rt.Shutdown(ctx)

	words, err := remote.Put(rt, []string{"hello", "object", "store"})
	if err != nil {
		panic(err)
	}
	// Put once, read by any number of tasks without a copy.
	joined := exampleJoin.Remote(rt, words)
	fmt.Println(remote.Get(ctx, joined))
	// Output: hello object store <nil>
}

func ExampleRegisterActor0() {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{NumCPUs: 1})
	if err != nil {
		panic(err)
	}
	defer rt.Shutdown(ctx)

	counter, err := exampleCounterType.New(rt)
	if err != nil {
		panic(err)
	}
	// Calls from one caller run one at a time, in order.
	var refs []remote.ObjectRef[int]
	for _, n := range []int{1, 2, 3} {
		refs = append(refs, exampleCounterAdd.Remote(counter, remote.Val(n)))
	}
	totals, err := remote.GetAll(ctx, refs)
	fmt.Println(totals, err)
	// Output: [1 3 6] <nil>
}

func ExampleGetActor() {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{NumCPUs: 1})
	if err != nil {
		panic(err)
	}
	defer rt.Shutdown(ctx)

	if _, err := exampleCounterType.Options(remote.Name("tally"), remote.Detached()).New(rt); err != nil {
		panic(err)
	}
	// Elsewhere, with no handle at hand:
	tally, err := remote.GetActor[exampleCounter](rt, "tally")
	if err != nil {
		panic(err)
	}
	fmt.Println(remote.Get(ctx, exampleCounterAdd.Remote(tally, remote.Val(5))))
	_, err = remote.GetActor[exampleCounter](rt, "nobody")
	fmt.Println(errors.Is(err, remote.ErrActorNotFound))
	// Output:
	// 5 <nil>
	// true
}

func ExampleCancel() {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{NumCPUs: 1})
	if err != nil {
		panic(err)
	}
	defer rt.Shutdown(ctx)

	ref := exampleUntilCancelled.Remote(rt)
	if err := remote.Cancel(ref); err != nil {
		panic(err)
	}
	_, err = remote.Get(ctx, ref)
	fmt.Println(errors.Is(err, remote.ErrCancelled))
	fmt.Println(err)
	// Output:
	// true
	// remote: task example.untilCancelled: remote: task cancelled
}
