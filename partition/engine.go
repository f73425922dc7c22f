package partition

import (
	"context"

	"github.com/apache/arrow/go/v15/arrow"
)

// Block is one partition as an engine holds it: possibly not computed yet.
// Blocks are immutable and may be used as inputs to any number of Deploys.
type Block interface {
	// Meta waits until the block is computed and returns its rows and
	// bytes, without fetching its data.
	Meta(ctx context.Context) (Meta, error)
}

// Engine runs kernels over blocks: Modin's four verbs. Implementations are
// safe for concurrent use.
type Engine interface {
	// Name is "local" or "runtime", for plans and errors.
	Name() string
	// Deploy runs k once over in, as one unit of work, and returns its nout
	// outputs at once. It does not wait: a failure (of k or of an input)
	// shows when an output is waited for, as an error naming k.
	Deploy(ctx context.Context, k Kernel, in []Block, nout int) []Block
	// Put makes a block of rec, taking over the caller's reference.
	Put(ctx context.Context, rec arrow.Record) (Block, error)
	// Materialize waits for bs and returns their records in order, each with
	// a reference the caller must Release.
	Materialize(ctx context.Context, bs []Block) ([]arrow.Record, error)
	// Wait waits until every block of bs is computed, without fetching
	// data, and returns the first error in block order.
	Wait(ctx context.Context, bs []Block) error
}

// materializeEach is Materialize for an engine that fetches one block at a
// time with one: all the records in order, or none (those already fetched
// are released) and the first error.
func materializeEach(ctx context.Context, bs []Block, one func(context.Context, int, Block) (arrow.Record, error)) ([]arrow.Record, error) {
	out := make([]arrow.Record, 0, len(bs))
	for i, b := range bs {
		rec, err := one(ctx, i, b)
		if err != nil {
			for _, r := range out {
				r.Release()
			}
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// Shipper is implemented by engines that run kernels in other processes
// (a cluster), where a closure cannot follow: they find user functions by
// their registered names. Engines that run kernels in this process (Local,
// and Runtime on an embedded runtime) do not implement it.
type Shipper interface {
	// ShipsKernels reports whether kernels run in other processes.
	ShipsKernels() bool
}

// ShipsKernels reports whether e runs kernels in other processes.
func ShipsKernels(e Engine) bool {
	s, ok := e.(Shipper)
	return ok && s.ShipsKernels()
}
