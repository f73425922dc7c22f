// Package readmem holds the memory tricks the readers share. First-touch
// page faults dominate a large read on the virtual machines Shoal runs on
// (pprof/perf on the 2-core VM: 28% of a Parquet read in the guest's fault
// handler, 17% of a CSV read zeroing fresh pages), so readers advise huge
// pages on large buffers and recycle their scratch buffers within a read.
package readmem
