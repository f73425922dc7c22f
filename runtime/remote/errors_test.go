package remote_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

var (
	errNotFound  = errors.New("test: not found")
	errTransient = errors.New("test: transient")
)

// codeError is a custom error type tests find with errors.As.
type codeError struct{ Code int }

func (e *codeError) Error() string { return fmt.Sprintf("code %d", e.Code) }

var (
	// failWith fails in the way kind says. No retries, so a panic shows at once.
	failWith = remote.Register1("test.failWith", func(_ context.Context, kind string) (int, error) {
		switch kind {
		case "sentinel":
			return 0, fmt.Errorf("lookup x: %w", errNotFound)
		case "custom":
			return 0, &codeError{Code: 7}
		case "both":
			return 0, fmt.Errorf("%w: %w", errNotFound, &codeError{Code: 9})
		case "panic value":
			panic("kaboom")
		case "panic error":
			panic(fmt.Errorf("bad state: %w", errNotFound))
		}
		return 1, nil
	}, remote.MaxRetries(0))
	// panicky always panics, with the default MaxRetries.
	panicky = remote.Register1("test.panicky", func(_ context.Context, key string) (int, error) {
		counter(key).Add(1)
		panic("always")
	})
	// level1 and level2 pass their argument on, counting runs under key.
	level1 = remote.Register2("test.level1", func(_ context.Context, n int, key string) (int, error) {
		counter(key).Add(1)
		return n, nil
	})
	level2 = remote.Register2("test.level2", func(_ context.Context, n int, key string) (int, error) {
		counter(key).Add(1)
		return n, nil
	})

	// flaky panics on its first failures attempts, then returns the attempt.
	flaky = remote.Register2("test.flaky", func(_ context.Context, key string, failures int) (int, error) {
		n := int(counter(key).Add(1))
		if n <= failures {
			panic(fmt.Sprintf("attempt %d", n))
		}
		return n, nil
	}, remote.MaxRetries(3))
	// flakyErr returns an error on its first failures attempts.
	flakyErr = remote.Register2("test.flakyErr", func(_ context.Context, key string, failures int) (int, error) {
		n := int(counter(key).Add(1))
		if n <= failures {
			return 0, fmt.Errorf("attempt %d: %w", n, errTransient)
		}
		return n, nil
	})
)

func TestTaskErrorWrapsCause(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	_, err := remote.Get(ctx, failWith.Remote(rt, remote.Val("sentinel")))
	var te *remote.TaskError
	if !errors.As(err, &te) || te.Func != "test.failWith" || te.Attempts != 1 || te.Task == 0 {
		t.Fatalf("Get: %v (%+v), want a TaskError of test.failWith after 1 attempt", err, te)
	}
	if !errors.Is(err, errNotFound) {
		t.Errorf("errors.Is(%v, errNotFound) = false", err)
	}
	if want := "remote: task test.failWith: lookup x: test: not found"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}

	_, err = remote.Get(ctx, failWith.Remote(rt, remote.Val("custom")))
	var ce *codeError
	if !errors.As(err, &ce) || ce.Code != 7 {
		t.Errorf("errors.As(%v, *codeError) = %v, want code 7", err, ce)
	}
	if errors.Is(err, errNotFound) {
		t.Errorf("errors.Is(%v, errNotFound) = true", err)
	}
}

func TestPanicBecomesPanicError(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	_, err := remote.Get(ctx, failWith.Remote(rt, remote.Val("panic value")))
	var te *remote.TaskError
	var pe *remote.PanicError
	if !errors.As(err, &te) || te.Func != "test.failWith" {
		t.Fatalf("panic: %v, want a TaskError of test.failWith", err)
	}
	if !errors.As(err, &pe) || pe.Value != "kaboom" {
		t.Fatalf("panic: %v, want a PanicError with value kaboom", err)
	}
	if te.Err != error(pe) {
		t.Errorf("TaskError.Err = %v, want the PanicError itself", te.Err)
	}
	if !strings.Contains(pe.Stack, "panic") || !strings.Contains(pe.Stack, "remote_test") {
		t.Errorf("PanicError.Stack does not show the panicking test function:\n%s", pe.Stack)
	}
	if want := "remote: task test.failWith: panic: kaboom"; err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	if errors.Is(err, errNotFound) {
		t.Errorf("a string panic unwraps to errNotFound")
	}

	_, err = remote.Get(ctx, failWith.Remote(rt, remote.Val("panic error")))
	if !errors.As(err, &pe) || !errors.Is(err, errNotFound) {
		t.Errorf("panic with an error: %v, want a PanicError unwrapping to errNotFound", err)
	}
	if _, ok := pe.Value.(error); !ok {
		t.Errorf("PanicError.Value = %T, want the error panicked with", pe.Value)
	}
}

// A failure seen through two dependent tasks keeps its identity and names
// every function on the way; the dependents never run.
func TestErrorThroughTwoDependents(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	ran := newKey(t)

	a := failWith.Remote(rt, remote.Val("both"))
	b := level1.Remote(rt, a, remote.Val(ran))
	c := level2.Remote(rt, b, remote.Val(ran))
	_, err := remote.Get(ctx, c)
	if !errors.Is(err, errNotFound) {
		t.Errorf("errors.Is(%v, errNotFound) = false", err)
	}
	var ce *codeError
	if !errors.As(err, &ce) || ce.Code != 9 {
		t.Errorf("errors.As(%v, *codeError) = %v, want code 9", err, ce)
	}
	var te *remote.TaskError
	if !errors.As(err, &te) || te.Func != "test.level2" || te.Attempts != 0 {
		t.Errorf("outermost TaskError %+v, want test.level2 with 0 attempts", te)
	}
	for _, name := range []string{"test.failWith", "test.level1", "test.level2"} {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("message %q does not name %s", err.Error(), name)
		}
	}
	if n := counter(ran).Load(); n != 0 {
		t.Errorf("dependents of a failed task ran %d times", n)
	}
	// The middle ref fails the same way.
	if _, err := remote.Get(ctx, b); !errors.Is(err, errNotFound) || !strings.Contains(err.Error(), "test.level1") {
		t.Errorf("middle: %v", err)
	}
}

func TestRetries(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)

	t.Run("panics retried until success", func(t *testing.T) {
		key := newKey(t)
		v, err := remote.Get(ctx, flaky.Remote(rt, remote.Val(key), remote.Val(2)))
		if err != nil || v != 3 {
			t.Errorf("flaky(2 failures) with MaxRetries(3) = %d, %v, want 3, nil", v, err)
		}
		if n := counter(key).Load(); n != 3 {
			t.Errorf("attempts %d, want 3", n)
		}
	})
	t.Run("panics out of retries", func(t *testing.T) {
		key := newKey(t)
		_, err := remote.Get(ctx, flaky.Options(remote.MaxRetries(1)).Remote(rt, remote.Val(key), remote.Val(2)))
		var te *remote.TaskError
		var pe *remote.PanicError
		if !errors.As(err, &te) || te.Attempts != 2 || te.Func != "test.flaky" {
			t.Errorf("flaky with MaxRetries(1): %v (%+v), want a TaskError after 2 attempts", err, te)
		}
		if !errors.As(err, &pe) || pe.Value != "attempt 2" {
			t.Errorf("flaky with MaxRetries(1): %v, want the last attempt's panic", err)
		}
		if n := counter(key).Load(); n != 2 {
			t.Errorf("attempts %d, want 2", n)
		}
	})
	t.Run("no retries", func(t *testing.T) {
		key := newKey(t)
		_, err := remote.Get(ctx, flaky.Options(remote.MaxRetries(0)).Remote(rt, remote.Val(key), remote.Val(1)))
		var te *remote.TaskError
		if !errors.As(err, &te) || te.Attempts != 1 {
			t.Errorf("MaxRetries(0): %v, want 1 attempt", err)
		}
	})
	t.Run("default MaxRetries is 3", func(t *testing.T) {
		key := newKey(t)
		_, err := remote.Get(ctx, panicky.Remote(rt, remote.Val(key)))
		var te *remote.TaskError
		if !errors.As(err, &te) || te.Attempts != 4 {
			t.Errorf("always panicking: %v (%+v), want 4 attempts", err, te)
		}
		if n := counter(key).Load(); n != 4 {
			t.Errorf("ran %d times, want 4", n)
		}
	})
	t.Run("errors not retried by default", func(t *testing.T) {
		key := newKey(t)
		_, err := remote.Get(ctx, flakyErr.Remote(rt, remote.Val(key), remote.Val(2)))
		var te *remote.TaskError
		if !errors.Is(err, errTransient) || !errors.As(err, &te) || te.Attempts != 1 {
			t.Errorf("flakyErr: %v, want errTransient after 1 attempt", err)
		}
		if n := counter(key).Load(); n != 1 {
			t.Errorf("ran %d times, want 1", n)
		}
	})
	t.Run("RetryExceptions", func(t *testing.T) {
		key := newKey(t)
		v, err := remote.Get(ctx, flakyErr.Options(remote.RetryExceptions(true)).Remote(rt, remote.Val(key), remote.Val(2)))
		if err != nil || v != 3 {
			t.Errorf("flakyErr with RetryExceptions = %d, %v, want 3, nil", v, err)
		}
		if n := counter(key).Load(); n != 3 {
			t.Errorf("ran %d times, want 3", n)
		}
		key = newKey(t)
		_, err = remote.Get(ctx, flakyErr.Options(remote.RetryExceptions(true), remote.MaxRetries(2)).Remote(rt, remote.Val(key), remote.Val(10)))
		var te *remote.TaskError
		if !errors.Is(err, errTransient) || !errors.As(err, &te) || te.Attempts != 3 || !strings.Contains(err.Error(), "attempt 3") {
			t.Errorf("always failing with RetryExceptions, MaxRetries(2): %v, want the third attempt's error", err)
		}
	})
	waitIdle(t, rt)
	if free := freeOf(rt, "CPU"); free != 2 {
		t.Errorf("free CPU after retries = %g, want 2", free)
	}
}
