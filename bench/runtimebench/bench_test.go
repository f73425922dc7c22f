package runtimebench

import (
	"context"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

// benchmarkRounds runs the named benchmark's rounds under go test -bench: one
// round per iteration, with the benchmark's own unit reported beside ns/op.
func benchmarkRounds(b *testing.B, name string) {
	bm := lookup(name)
	if bm == nil {
		b.Fatalf("no benchmark %q", name)
	}
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Shutdown(ctx)
	n := int(rt.Stats().Resources[0].Total)
	rd, release, err := bm.setup(ctx, rt, n)
	if err != nil {
		b.Fatal(err)
	}
	if release != nil {
		defer release()
	}
	b.ReportAllocs()
	var ops int64
	for b.Loop() {
		k, err := rd(ctx)
		if err != nil {
			b.Fatal(err)
		}
		ops += k
	}
	if bm.bytes > 0 {
		b.ReportMetric(float64(ops)*float64(bm.bytes)/b.Elapsed().Seconds()/1e9, bm.unit)
		return
	}
	b.ReportMetric(float64(ops)/b.Elapsed().Seconds(), bm.unit)
	// "tasks/s" → ns/task
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(ops), "ns/"+strings.TrimSuffix(bm.unit, "s/s"))
}

func BenchmarkSingleClientTasksSync(b *testing.B)  { benchmarkRounds(b, "single_client_tasks_sync") }
func BenchmarkSingleClientTasksAsync(b *testing.B) { benchmarkRounds(b, "single_client_tasks_async") }
func BenchmarkMultiClientTasksAsync(b *testing.B)  { benchmarkRounds(b, "multi_client_tasks_async") }
func BenchmarkActorCallsSync(b *testing.B)         { benchmarkRounds(b, "1_1_actor_calls_sync") }
func BenchmarkActorCallsAsync(b *testing.B)        { benchmarkRounds(b, "1_1_actor_calls_async") }
func BenchmarkNNActorCallsAsync(b *testing.B)      { benchmarkRounds(b, "n_n_actor_calls_async") }
func BenchmarkPutCalls(b *testing.B)               { benchmarkRounds(b, "single_client_put_calls") }
func BenchmarkGetCalls(b *testing.B)               { benchmarkRounds(b, "single_client_get_calls") }
func BenchmarkArrowPutGet(b *testing.B)            { benchmarkRounds(b, "arrow_put_get_gigabytes") }
