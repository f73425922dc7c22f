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
//   - bench/h2o: the H2O db-benchmark's data (generators, CSV), its ten
//     groupby questions in the DataFrame API (`shoal bench h2o`), and the
//     pandas figures of this machine to compare with.
//
// Go benchmarks (go test -bench) sit beside the code of each package.
package bench
