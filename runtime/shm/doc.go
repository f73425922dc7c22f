// Package shm is a node's shared-memory object store and the transfer of
// objects between nodes.
//
// # Place in Shoal
//
// The pipeline runs dataframe → algebra → partition → runtime. In a
// cluster every node runs one daemon (runtime/cluster) that owns the node's
// Store; the processes of the node (workers, drivers) reach it through a
// Client. Where runtime/objstore keeps Go values inside one process, shm
// keeps bytes — sealed Arrow IPC streams or any other encoding — that
// every process on the node maps and reads without a copy. It imports no
// other Shoal package and knows nothing of tasks: the cluster runtime
// decides which objects exist, where, and when they are freed.
//
// # Objects
//
// An object is a file in the store's directory (under /dev/shm, or
// os.TempDir where /dev/shm is absent) named by its ID in hex. A writer
// creates it (Client.Create reserves its size and makes "<id>.tmp"), fills
// it with write calls or through a writable shared mapping, and seals it;
// sealing renames the file to "<id>", atomically, so readers only ever
// open sealed, immutable objects. Client.Get maps the sealed file
// read-only and returns its bytes; GetRecord returns an arrow.Record whose
// buffers point into that mapping (PutRecord writes one).
//
// # Protocol between the processes of a node
//
// The daemon serves the NodeStore gRPC service (shmpb) on a unix socket
// (ListenUnix, RegisterNodeStore; Dial on the client side). Everything
// that changes the store's accounting goes through it; the bytes never do:
//
//   - Connect opens a session and keeps its stream open. The session owns
//     the process's pins and unsealed objects; when the stream ends — Close,
//     or the process died and the kernel closed the socket — the pins are
//     dropped and the unsealed objects aborted, so nothing leaks.
//   - Create(session, id, size) reserves size bytes (spilling if need be)
//     and returns the path of the new "<id>.tmp" file, allocated in full
//     (fallocate), which the client maps writable and fills.
//   - Seal(session, id) renames it to "<id>"; Abort removes it.
//   - Pin(session, id) waits until id is sealed, restores it from disk if
//     it was spilled, counts a pin and returns the file's path and size;
//     the client maps it read-only. Unpin drops the pin once the client has
//     unmapped it. A pinned object is never spilled.
//   - AddRef, Release and Delete move the object's reference count, Stat
//     describes it.
//
// The daemon's own process uses Store.Client, which calls the same code
// without RPC. The processes of a node trust each other: they run as the
// same user (object files and the socket are mode 0600), present the
// cluster token, and could name each other's sessions.
//
// # References and deletion
//
// An object starts with one reference, its creator's (the submitter owns
// what it creates). Borrowers — processes here or nodes elsewhere that
// hold its ID — add references with AddRef (AddRefRemote from another
// node) and drop them with Release; at zero the object is deleted. Delete
// frees it at once whatever the count: the owner calls it on every node
// holding a copy (DeleteRemote) to free it cluster-wide. A deleted object's
// files go at once; processes that still have it mapped keep reading it
// (the kernel keeps an unlinked file's pages while mapped), and its bytes
// stay charged until the last pin is dropped. Pins are counted apart from
// references: a reference keeps an object alive, a pin keeps it in memory.
//
// # Capacity and spilling
//
// Options.Capacity bounds the bytes in shared memory, objects being
// written included. When a Create or a restore does not fit, the least
// recently used sealed, unpinned objects are written to the spill
// directory as LZ4 frames and their shared-memory files removed; the next
// Pin reads the spill file back. A spill file is kept until its object is
// freed, so an object spilled twice is written once. With spilling
// disabled, or when nothing can be spilled, Create fails with an error
// wrapping ErrStoreFull that names the object and the sizes.
//
// # Transfer between nodes
//
// Each daemon serves ObjectTransfer (RegisterTransfer) on its TCP port.
// Store.Pull asks another node for a sealed object: the object comes in
// chunks of ChunkSize bytes over a server stream. The sender reads chunks
// ahead (pread: on tmpfs that beats faulting in a mapping's 4 KiB pages)
// and hands them to LZ4 compressors; each chunk goes as one LZ4 block if
// that saves at least an eighth, and raw otherwise (random data is not
// worth decompressing) or when no compressor has started on it by the time
// the stream is ready for it (a link faster than the compressors would
// only wait for them; PullRequest.compress_all turns that off). The
// receiver creates the object in its own store, decodes chunks into pooled
// buffers (a gRPC codec of its own, "shm-chunk", same bytes on the wire),
// and a writer goroutine decompresses and writes each into the object's
// file while the next is received; the object is sealed at the end, and a
// failed pull leaves nothing behind. Authentication (the cluster token) is
// the gRPC server's and client's interceptors', passed in as options.
//
// # Concurrency
//
// Store and Client are safe for concurrent use; a Writer is for one
// goroutine. The store's metadata is under one mutex; file I/O for
// spilling and restoring happens outside it.
package shm
