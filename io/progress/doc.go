// Package progress counts bytes through readers and writers and draws a
// one-line progress bar for long reads and writes.
//
// It sits beside the pipeline (dataframe → algebra → partition → runtime)
// with the io packages and imports none of them: readers and writers report
// progress through plain func(done, total int64) callbacks (io/csv and
// io/parquet Options.Progress; the WriteOptions.Progress of io/csv,
// io/parquet, io/jsonl and io/ipc), Bar.Func adapts a Bar to that shape, and the CLI
// (cmd/shoal) draws bars only when IsTerminal(stderr).
//
// Writers that cannot know their output size ahead (Parquet, JSON lines,
// Arrow IPC) report rows instead, which a Bar draws after SetUnit(Rows).
//
// Sizes use decimal units, as pandas and humanize do: B, kB, MB, GB, TB,
// PB, each 1000 times the last, printed with one decimal ("123.4 MB") and
// whole bytes below 1 kB ("512 B"). Rates are measured over a moving
// window of the last few seconds (RateWindow), so they follow changes in
// speed; the ETA is the remaining bytes over that rate.
package progress
