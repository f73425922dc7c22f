// Package suite runs the H2O db-benchmark (h2o.md) on Shoal: the ten
// groupby and five join questions written with the DataFrame API, the
// runner that loads the data and times each question in a mode (the
// single-node path or the embedded runtime), the answers' checksums, the
// side-by-side run of the questions gota can express, and the reports
// (JSON, an SVG chart) that `shoal bench h2o` prints.
//
// # Place in Shoal
//
// It stands beside the pipeline, above the dataframe package, and nothing
// in the engine imports it. Its data comes from package h2o, which builds
// the tables as Arrow records and knows nothing of the engine, so a
// profile of a question shows the engine and not the generator.
//
// # What is measured
//
// As the benchmark does: the data is loaded first (timed as its own step,
// "load"), each question runs twice, its answer is collected into memory
// inside the timer (Collect: every partition computed and gathered), and
// a checksum of the answer — its rows, columns and the sum of each
// numeric column — is computed after the timer stops. A groupby's keys
// are the answer's index, as in pandas, so they are not summed. Peak
// memory is the process's resident high-water mark over one Run.
//
// The checksums of every question agree between the modes and with
// pandas 1.5.3 on the 1e6 data (TestPandasChecksums, testdata/).
package suite
