package remote_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/shoaldata/shoal/runtime/remote"
)

// TestWait runs Wait over [a, b, c, d] where b and d are ready and a and c
// are held by probes the test releases.
func TestWait(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 4})
	ctx := testCtx(t)
	keyA, pa := newProbe(t)
	keyC, pc := newProbe(t)

	a := held.Remote(rt, remote.Val(keyA), remote.Val(1))
	b := addFn.Remote(rt, remote.Val(2), remote.Val(0))
	c := held.Remote(rt, remote.Val(keyC), remote.Val(3))
	d, err := remote.Put(rt, 4)
	if err != nil {
		t.Fatal(err)
	}
	mustGet(t, ctx, b)
	pa.waitStarted(t, 1)
	pc.waitStarted(t, 1)
	refs := []remote.ObjectRef[int]{a, b, c, d}

	check := func(name string, ready, notReady []remote.ObjectRef[int], err error, wantReady, wantNot []remote.ObjectRef[int]) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: error %v", name, err)
		}
		if !sameIDs(ready, wantReady...) || !sameIDs(notReady, wantNot...) {
			t.Errorf("%s: ready %v, not ready %v; want %v, %v", name, ids(ready), ids(notReady), ids(wantReady), ids(wantNot))
		}
	}

	t.Run("poll", func(t *testing.T) {
		start := time.Now()
		ready, notReady, err := remote.Wait(ctx, refs, 4, 0)
		check("timeout 0", ready, notReady, err, []remote.ObjectRef[int]{b, d}, []remote.ObjectRef[int]{a, c})
		if el := time.Since(start); el > time.Second {
			t.Errorf("timeout 0 took %v: it must not block", el)
		}
	})
	t.Run("enough ready", func(t *testing.T) {
		ready, notReady, err := remote.Wait(ctx, refs, 2, remote.NoTimeout)
		check("numReturns 2", ready, notReady, err, []remote.ObjectRef[int]{b, d}, []remote.ObjectRef[int]{a, c})
		ready, notReady, err = remote.Wait(ctx, refs, 0, remote.NoTimeout)
		check("numReturns 0", ready, notReady, err, []remote.ObjectRef[int]{b, d}, []remote.ObjectRef[int]{a, c})
	})
	t.Run("timeout", func(t *testing.T) {
		const timeout = 30 * time.Millisecond
		start := time.Now()
		ready, notReady, err := remote.Wait(ctx, refs, 3, timeout)
		check("timeout", ready, notReady, err, []remote.ObjectRef[int]{b, d}, []remote.ObjectRef[int]{a, c})
		if el := time.Since(start); el < timeout {
			t.Errorf("Wait returned after %v, before its timeout %v", el, timeout)
		}
	})
	t.Run("context", func(t *testing.T) {
		dctx, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
		defer cancel()
		ready, notReady, err := remote.Wait(dctx, refs, 3, remote.NoTimeout)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Wait past its context's deadline: %v, want DeadlineExceeded", err)
		}
		check("context", ready, notReady, nil, []remote.ObjectRef[int]{b, d}, []remote.ObjectRef[int]{a, c})
	})
	t.Run("out of range", func(t *testing.T) {
		for _, n := range []int{-1, 5} {
			if _, _, err := remote.Wait(ctx, refs, n, 0); err == nil {
				t.Errorf("Wait numReturns %d of 4: no error", n)
			}
		}
	})
	t.Run("returns after numReturns", func(t *testing.T) {
		type result struct {
			ready, notReady []remote.ObjectRef[int]
			err             error
		}
		done := make(chan result, 1)
		go func() {
			r, n, err := remote.Wait(ctx, refs, 3, remote.NoTimeout)
			done <- result{r, n, err}
		}()
		select {
		case r := <-done:
			t.Fatalf("Wait for 3 returned with 2 ready: %v, %v, %v", ids(r.ready), ids(r.notReady), r.err)
		case <-time.After(20 * time.Millisecond):
		}
		pc.releaseAll() // c becomes ready; a stays held
		res := <-done
		check("numReturns 3", res.ready, res.notReady, res.err, []remote.ObjectRef[int]{b, c, d}, []remote.ObjectRef[int]{a})

		// Input order, whatever it is.
		rev := []remote.ObjectRef[int]{d, c, b, a}
		ready, notReady, err := remote.Wait(ctx, rev, 1, remote.NoTimeout)
		check("reversed", ready, notReady, err, []remote.ObjectRef[int]{d, c, b}, []remote.ObjectRef[int]{a})
	})
	pa.releaseAll()
	ready, notReady, err := remote.Wait(ctx, refs, 4, remote.NoTimeout)
	check("all", ready, notReady, err, refs, nil)
}

// Wait takes refs of different types as []remote.Ref.
func TestWaitMixedTypes(t *testing.T) {
	rt := newRuntime(t, remote.Config{NumCPUs: 2})
	ctx := testCtx(t)
	key, p := newProbe(t)

	n := incFn.Remote(rt, remote.Val(1))
	s := formatFn.Remote(rt, remote.Val("s"), remote.Val(1), remote.Val(1.5), remote.Val(false))
	h := held.Remote(rt, remote.Val(key), remote.Val(0))
	refs := []remote.Ref{h, n, s}
	ready, notReady, err := remote.Wait(ctx, refs, 2, remote.NoTimeout)
	if err != nil || !sameIDs(ready, remote.Ref(n), remote.Ref(s)) || !sameIDs(notReady, remote.Ref(h)) {
		t.Errorf("Wait = %v, %v, %v; want [%d %d], [%d]", ids(ready), ids(notReady), err, n.ID(), s.ID(), h.ID())
	}
	p.releaseAll()
	if got := mustGet(t, ctx, s); got != "s/1/1.5/false" {
		t.Errorf("format = %q", got)
	}
}
