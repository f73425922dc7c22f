// Package objstore is the task runtime's in-process object store: immutable
// values identified by an ID, reference counted, held in memory up to a
// capacity and spilled to compressed files on local disk past it.
//
// # Place in Shoal
//
// The pipeline runs dataframe → algebra → partition → runtime. Inside
// runtime, the user-facing package is runtime/remote (tasks, actors and
// refs); objstore sits beneath it and is storage only. It knows nothing of
// tasks, schedulers or dataframes and imports no other Shoal package: the
// runtime decides when objects are created, sealed and released, and the
// store keeps the bytes. A test fails if that changes.
//
// # Objects
//
// An object is created either sealed, by [Store.Put], or pending, by
// [Store.NewPending], and later sealed with a value or an error by
// [Store.Seal]. [Store.Get] waits for the seal; [Store.TryGet],
// [Store.Ready] and [Store.OnSealed] observe it without blocking. Every
// object starts with one reference; [Store.AddRef] and [Store.Release] move
// the count, and at zero the object is freed and its ID is dead for good
// (IDs are never reused).
//
// # Values and lifetime
//
// Values are shared, not copied: Get returns the value that was stored, and
// every caller sees the same one. Callers must treat it as immutable.
//
// Arrow values (arrow.Record, arrow.Array, arrow.Table, and anything else with
// Retain and Release methods) are kept zero-copy: the store keeps the very
// pointer it was given and takes a reference of its own with Retain, so the
// caller may Release its reference once Put or Seal returns. The store
// Releases its reference when the object is freed, when it is spilled, and at
// Close. A value returned by Get therefore stays valid while the object is
// live and in memory; a caller that keeps it longer, or that reads it while
// other goroutines may push the object out to disk, uses [Store.GetRetained],
// which hands it a reference of its own.
//
// # Capacity and spilling
//
// Sealed values are charged to the capacity by [SizeOf]. When a new value
// would not fit, the store writes the least recently used sealed values to
// files in the spill directory — Arrow values as an Arrow IPC stream, []byte
// and string raw, anything else with encoding/gob — compressed with LZ4 or
// zstd, and drops them from memory. Get reads a spilled value back
// transparently. Values that cannot be encoded stay in memory, and errors are
// never spilled. A spill file lives until its object is freed.
//
// # Concurrency
//
// A Store is safe for concurrent use by multiple goroutines. The common path
// (NewPending, Seal, Get, Release of values that fit) takes one mutex and
// does one map operation; spilling and restoring do their file I/O outside
// that mutex.
package objstore
