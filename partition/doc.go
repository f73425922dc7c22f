// Package partition holds a frame's data as Arrow record batches and the
// primitives the engine runs over them.
//
// It sits between algebra (above, which plans) and runtime (below, which
// runs tasks): dataframe → algebra → partition → runtime. It imports no
// engine package above it.
//
// A partition is an arrow.Record with its Meta (rows, bytes). A Frame is a
// list of row partitions, each holding every column, sized by bytes (tens of
// MB; see Sizing) and never more than a small multiple of the cores in
// count: Modin splits both axes by CPU count, which turns a square frame
// into N² tiny blocks, and Shoal does not.
//
// An Engine runs Kernels over partitions with Modin's four verbs: Deploy (run
// a kernel as one unit of work), Put, Materialize and Wait. Two engines
// exist: Local, the single-node path (goroutines, no runtime services, no
// copies), and Runtime, which runs each kernel as a task on runtime/remote
// with partitions as ObjectRefs. The primitives on top (Map, Axis,
// Broadcast, HashShuffle, RangeShuffle, Concat, Rebalance) are written once
// against the Engine interface, so every query gives the same answer on
// both.
//
// Ownership of Arrow values follows Arrow's convention: a kernel borrows its
// inputs (Retain to keep one) and returns outputs it owns, whose reference
// passes to the engine; Materialize hands the caller a reference of its own.
// Engines that can free blocks before the garbage collector does implement
// Releaser (both do); Release(e, blocks...) uses it. A block released early
// stays alive until the kernels already reading it have run.
package partition
