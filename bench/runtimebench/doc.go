// Package runtimebench ports Ray's microbenchmarks (python/ray/_private/
// ray_perf.py, what `ray microbenchmark` runs) to Shoal's task runtime, so the
// two can be compared name for name, and adds an Arrow put/get that checks
// the object store is zero-copy.
//
// # Place in Shoal
//
// It measures runtime/remote from outside, as a user would, each benchmark on
// a fresh embedded runtime; nothing in the engine imports it. `shoal bench
// runtime` runs it and prints the results; Go benchmarks for some of the
// same loops run with go test -bench.
//
// # What is measured
//
// Each benchmark repeats a round (a batch of operations) for a warm-up and
// then for Options.Duration, and reports operations per second, or GB/s
// (10⁹ bytes) for the two data benchmarks. A round that starts before the
// duration ends is finished, so Seconds may exceed it a little.
//
// The object store shares values instead of copying them: Put of a []int64
// or an Arrow record stores the value itself. So the GB/s figures count the
// bytes handed over per second, not bytes copied, and are not comparable with
// Ray's, which copy into shared memory. An object is freed only when a
// garbage collection finds its last ObjectRef unreachable (Ray frees it at
// once by reference counting), so a tight loop of 80 MB puts would fill the
// store and measure spilling; the data benchmarks therefore end each round
// of 10 puts with runtime.GC(), and their times include it.
package runtimebench
