package cluster

import (
	"errors"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Errors the head reports. A client gets them back through gRPC: errors.Is
// works on them, and so does status.Code for the gRPC code.
var (
	// ErrUnknownNode: the head has no node with that ID (it restarted, or
	// the ID is wrong). The node must register again.
	ErrUnknownNode = errors.New("cluster: unknown node")
	// ErrNodeDead: the head declared the node dead. It stays listed as dead;
	// the node must register again and gets a new ID.
	ErrNodeDead = errors.New("cluster: node declared dead")
	// ErrUnknownJob: the head has no job with that ID.
	ErrUnknownJob = errors.New("cluster: unknown job")
	// ErrJobEnded: the job finished or its driver's heartbeats stopped.
	ErrJobEnded = errors.New("cluster: job ended")
	// ErrActorExists: a live actor already holds that name in the namespace.
	ErrActorExists = errors.New("cluster: actor name taken")
	// ErrActorNotFound: no actor with that name (or ID).
	ErrActorNotFound = errors.New("cluster: actor not found")
	// ErrKeyNotFound: the KV store has no such key.
	ErrKeyNotFound = errors.New("cluster: key not found")
	// ErrInvalidArgument: a request is malformed (its message says how).
	ErrInvalidArgument = errors.New("cluster: invalid argument")
	// ErrUnauthenticated: the call carried no token or a wrong one.
	ErrUnauthenticated = errors.New("cluster: unauthenticated")
	// ErrNoToken: neither SHOAL_TOKEN nor the token file gave a token.
	ErrNoToken = errors.New("cluster: no token")
)

// codeOf maps the head's errors to gRPC codes.
var codeOf = []struct {
	err  error
	code codes.Code
}{
	{ErrUnknownNode, codes.NotFound},
	{ErrNodeDead, codes.FailedPrecondition},
	{ErrUnknownJob, codes.NotFound},
	{ErrJobEnded, codes.FailedPrecondition},
	{ErrActorExists, codes.AlreadyExists},
	{ErrActorNotFound, codes.NotFound},
	{ErrKeyNotFound, codes.NotFound},
	{ErrInvalidArgument, codes.InvalidArgument},
	{ErrUnauthenticated, codes.Unauthenticated},
}

// toStatus turns an error of the store into a gRPC status error; the message
// keeps the text, so the client can give the sentinel back.
func toStatus(err error) error {
	if err == nil {
		return nil
	}
	for _, c := range codeOf {
		if errors.Is(err, c.err) {
			return status.Error(c.code, err.Error())
		}
	}
	return status.Error(codes.Internal, err.Error())
}

// remoteError is an error that came back over gRPC: it is both the status
// (for status.Code) and, when the message names one, the package's sentinel
// (for errors.Is).
type remoteError struct {
	sentinel error
	st       error
	msg      string
}

func (e *remoteError) Error() string   { return e.msg }
func (e *remoteError) Unwrap() []error { return []error{e.sentinel, e.st} }

// fromStatus gives the sentinel back for an error the head sent; other
// errors (transport, deadline) are returned as they are.
func fromStatus(err error) error {
	st, ok := status.FromError(err)
	if err == nil || !ok {
		return err
	}
	for _, c := range codeOf {
		if c.code == st.Code() && strings.HasPrefix(st.Message(), c.err.Error()) {
			return &remoteError{sentinel: c.err, st: err, msg: st.Message()}
		}
	}
	return err
}
