// Command paramserver runs a parameter server: an actor holds a parameter
// vector, and worker tasks read it and push gradients to it through an actor
// handle they receive as an argument. It is the Go version of the parameter
// server example in Ray's introduction, with deterministic gradients so that
// the final parameters can be checked exactly: worker i pushes a vector of
// all (i+1) on each of its iterations, so every parameter ends at
// iterations · workers·(workers+1)/2.
//
//	go run ./examples/paramserver [-dim 10] [-workers 4] [-iterations 100]
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"

	"github.com/shoaldata/shoal/runtime/remote"
)

// ParameterServer is the actor's state. Its methods run one at a time, so it
// needs no lock.
type ParameterServer struct {
	params  []float64
	updates int
}

var parameterServer = remote.RegisterActor1("paramserver.ParameterServer",
	func(ctx context.Context, dim int) (*ParameterServer, error) {
		if dim <= 0 {
			return nil, fmt.Errorf("paramserver: dimension %d must be positive", dim)
		}
		return &ParameterServer{params: make([]float64, dim)}, nil
	})

// getParams returns a copy of the parameters: a result is shared with every
// reader and must not change, while the actor keeps updating its own vector.
var getParams = remote.RegisterMethod0("paramserver.ParameterServer.get_params",
	func(ctx context.Context, ps *ParameterServer) ([]float64, error) {
		return slices.Clone(ps.params), nil
	})

// applyGradients adds grad to the parameters and returns how many updates
// have been applied.
var applyGradients = remote.RegisterMethod1("paramserver.ParameterServer.apply_gradients",
	func(ctx context.Context, ps *ParameterServer, grad []float64) (int, error) {
		if len(grad) != len(ps.params) {
			return 0, fmt.Errorf("paramserver: gradient of length %d for %d parameters", len(grad), len(ps.params))
		}
		for j, g := range grad {
			ps.params[j] += g
		}
		ps.updates++
		return ps.updates, nil
	})

// worker reads the parameters and pushes a gradient, iterations times. Its
// gradient is all (index+1), standing for one computed from the parameters.
// It returns once the server has applied its last update.
var worker = remote.Register3("paramserver.worker",
	func(ctx context.Context, ps remote.ActorHandle[ParameterServer], index, iterations int) (int, error) {
		var last remote.ObjectRef[int]
		for range iterations {
			params, err := remote.Get(ctx, getParams.Remote(ps))
			if err != nil {
				return 0, err
			}
			grad := make([]float64, len(params))
			for j := range grad {
				grad[j] = float64(index + 1)
			}
			// Like Ray's worker, do not wait for the update: the server
			// applies calls in submission order.
			last = applyGradients.Remote(ps, remote.Val(grad))
		}
		if iterations == 0 {
			return 0, nil
		}
		if _, err := remote.Get(ctx, last); err != nil {
			return 0, err
		}
		return iterations, nil
	})

// run trains dim parameters with workers workers of iterations each on a new
// embedded runtime, prints the final parameters on w and returns them.
func run(ctx context.Context, w io.Writer, dim, workers, iterations int) ([]float64, error) {
	if workers < 0 || iterations < 0 {
		return nil, fmt.Errorf("paramserver: workers %d and iterations %d must not be negative", workers, iterations)
	}
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		return nil, err
	}
	defer rt.Shutdown(context.WithoutCancel(ctx))

	ps, err := parameterServer.New(rt, remote.Val(dim))
	if err != nil {
		return nil, err
	}
	refs := make([]remote.ObjectRef[int], workers)
	for i := range refs {
		refs[i] = worker.Remote(rt, remote.Val(ps), remote.Val(i), remote.Val(iterations))
	}
	if _, err := remote.GetAll(ctx, refs); err != nil {
		return nil, err
	}
	params, err := remote.Get(ctx, getParams.Remote(ps))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(w, "%d workers × %d iterations, final parameters: %v\n", workers, iterations, params)
	return params, nil
}

// expected is every parameter's value after run: the sum over workers i of
// iterations·(i+1).
func expected(workers, iterations int) float64 {
	return float64(iterations) * float64(workers) * float64(workers+1) / 2
}

func main() {
	dim := flag.Int("dim", 10, "number of parameters")
	workers := flag.Int("workers", 4, "number of worker tasks")
	iterations := flag.Int("iterations", 100, "gradients each worker pushes")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	params, err := run(ctx, os.Stdout, *dim, *workers, *iterations)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	want := expected(*workers, *iterations)
	for j, p := range params {
		if p != want {
			fmt.Fprintf(os.Stderr, "parameter %d is %v, want %v\n", j, p, want)
			os.Exit(1)
		}
	}
	fmt.Printf("every parameter equals %d·%d·%d/2 = %v\n", *iterations, *workers, *workers+1, want)
	fmt.Println("ok")
}
