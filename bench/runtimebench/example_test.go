package runtimebench_test

import (
	"context"
	"fmt"
	"time"

	"github.com/shoaldata/shoal/bench/runtimebench"
)

func ExampleRun() {
	results, err := runtimebench.Run(context.Background(), runtimebench.Options{
		Duration: 10 * time.Millisecond,
		Only:     []string{"single_client_tasks_async", "1_1_actor_calls_sync"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range results {
		fmt.Println(r.Name, r.Unit, r.Value > 0)
	}
	// Output:
	// single_client_tasks_async tasks/s true
	// 1_1_actor_calls_sync calls/s true
}

func ExampleNames() {
	for _, name := range runtimebench.Names() {
		fmt.Println(name)
	}
	// Output:
	// single_client_tasks_sync
	// single_client_tasks_async
	// multi_client_tasks_async
	// 1_1_actor_calls_sync
	// 1_1_actor_calls_async
	// n_n_actor_calls_async
	// single_client_put_calls
	// single_client_get_calls
	// single_client_put_gigabytes
	// arrow_put_get_gigabytes
}
