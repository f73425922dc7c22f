// Package cluster is the multi-process runtime's control plane: the head's
// global control store, the daemon every node runs, their authentication,
// and the client the CLI and drivers use.
//
// # Place in Shoal
//
// cluster sits in runtime/ beside the embedded runtime (runtime/remote,
// runtime/sched, runtime/objstore) and imports none of them, nor any engine
// package: it knows nodes, jobs, actors and keys, not dataframes. The
// per-node shared-memory store and transfers live in runtime/shm, the web
// page in runtime/dashboard; both plug into it (NodeConfig.Stats,
// HeadConfig.Dashboard).
//
// # Pieces
//
//   - StartHead serves the Head service (clusterpb): a node table with
//     heartbeat health checks (a node silent for NodeTimeout is declared
//     DEAD, stays listed, and must register again under a new ID), an actor
//     directory (named actors per namespace; an actor that is not detached is
//     removed when its job ends), a namespaced KV store, a job table (a job
//     ends when its driver calls Finish or stops heartbeating) and
//     GetClusterStatus over all of it. State is in memory: a restarted head
//     starts empty and the node daemons register again by themselves.
//   - StartNode runs a node daemon: it registers, heartbeats its stats and
//     serves the Node service (GetNodeInfo, Shutdown). The head's process
//     runs one too.
//   - Dial and DialNode return clients.
//
// The state machine (store) reads no clock and does no I/O; the gRPC
// services around it pass it the time, so tests drive expiry without
// sleeping.
//
// # Security
//
// Every call carries `authorization: Bearer <token>` metadata; the servers'
// unary and stream interceptors refuse a missing or wrong token with
// codes.Unauthenticated before any handler runs, comparing in constant time.
// HeadToken and ClientToken resolve the token ($SHOAL_TOKEN, then the token
// file; the head generates one, mode 0600, if there is none). Servers bind to
// 127.0.0.1 unless told otherwise and serve TLS when given a certificate.
package cluster
