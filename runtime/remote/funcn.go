package remote

import (
	"context"
	"fmt"
)

// FuncN is a registered remote function over any number of arguments of one
// type, with a number of results chosen per call: Ray's *args and
// num_returns=n. A task over many input partitions, or a shuffle step that
// emits one partition per destination, has this shape.
type FuncN[P, A, R any] struct {
	name   string
	spec   *spec
	invoke invokeFunc
}

// RegisterN registers fn under name, which must be unique in the program.
// fn gets the parameter p, the values of the variable arguments in order, and
// nout, the number of results the caller asked for; it must return exactly
// nout results.
func RegisterN[P, A, R any](name string, fn func(ctx context.Context, p P, in []A, nout int) ([]R, error), opts ...Option) *FuncN[P, A, R] {
	e := register(name, kindFunc)
	f := &FuncN[P, A, R]{
		name: name,
		spec: mustSpec(name, 1, opts),
		invoke: func(ctx context.Context, args []any, out []any) error {
			in := make([]A, len(args)-1)
			for i := range in {
				in[i] = as[A](args[i+1])
			}
			res, err := fn(ctx, as[P](args[0]), in, len(out))
			if err != nil {
				return err
			}
			if len(res) != len(out) {
				return fmt.Errorf("returned %d results, the call asked for %d", len(res), len(out))
			}
			for i, r := range res {
				out[i] = r
			}
			return nil
		},
	}
	a, r := codecOf[A](), codecOf[R]()
	e.invoke = f.invoke
	e.sig = signature{args: []codec{codecOf[P]()}, more: &a, outMore: &r}
	return f
}

// Name is the name the function was registered under.
func (f *FuncN[P, A, R]) Name() string { return f.name }

// Options returns the function with opts applied on top of its registered
// options, for the calls made through the result.
func (f *FuncN[P, A, R]) Options(opts ...Option) *FuncN[P, A, R] {
	g := *f
	g.spec = f.spec.with(opts)
	return &g
}

// Remote submits a call on r with parameter p and arguments in, and returns
// nout futures at once, one per result. Every ObjectRef among p and in is a
// dependency. A bad argument or option shows as an error from Get; nout < 1
// returns nil.
func (f *FuncN[P, A, R]) Remote(r *Runtime, p Arg[P], nout int, in ...Arg[A]) []ObjectRef[R] {
	if nout < 1 {
		return nil
	}
	refs := make([]ObjectRef[R], nout)
	if r.closing.Load() {
		for i := range refs {
			refs[i] = failedRef[R](ErrShutdown)
		}
		return refs
	}
	t := r.newTask(f.name, f.spec, 1+len(in), nout)
	t.invoke = f.invoke
	bind(t, 0, p)
	for i, a := range in {
		bind(t, i+1, a)
	}
	for i := range refs {
		refs[i] = ObjectRef[R]{t.ref(i)}
	}
	r.submit(t)
	return refs
}
