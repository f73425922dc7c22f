// Package bench is the root of Shoal's benchmarks; it holds no code itself.
//
// # Place in Shoal
//
// The benchmarks stand beside the pipeline (dataframe → algebra → partition →
// runtime), measuring its layers from outside through their public APIs, and
// nothing in the engine imports them. Each family is a package of its own
// here, which `shoal bench` runs and reports:
//
//   - bench/runtimebench: Ray's runtime microbenchmarks (tasks, actor calls,
//     puts and gets) on an embedded runtime, plus an Arrow put/get;
//   - later, the dataframe benchmarks: data generators, the H2O db-benchmark
//     queries and their reports.
//
// Go benchmarks (go test -bench) sit beside the code of each package.
package bench
