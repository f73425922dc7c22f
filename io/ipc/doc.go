// Package ipc reads and writes Apache Arrow IPC data: the file format
// (Feather v2, random access through a footer) and the stream format.
//
// It sits beside the pipeline (dataframe → algebra → partition → runtime):
// algebra's scans call ReadFile/ReadStream and turn the records into
// partitions, dataframe's writers call WriteFile/WriteStream with a frame's
// partitions. It imports no engine package.
//
// The package is named ipc, like arrow/ipc which it wraps, rather than io,
// the standard library's name engine code uses everywhere. Files importing
// both alias Arrow's as arrowipc.
//
// Ownership follows Arrow's convention: records passed in are borrowed,
// records returned are owned by the caller, who must Release each one. All
// functions are safe for concurrent use on distinct paths and streams.
package ipc
