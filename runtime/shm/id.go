package shm

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
)

// ID names an object cluster-wide: the same ID on two nodes is the same
// immutable bytes. IDs are chosen by whoever creates the object (NewID, or
// an ID derived from a task's identity by the runtime); the zero ID is
// invalid.
type ID [16]byte

// NewID returns a random ID.
func NewID() ID {
	var id ID
	// crypto/rand.Read never returns an error on supported platforms.
	_, _ = rand.Read(id[:])
	if id.IsZero() {
		id[0] = 1
	}
	return id
}

// String returns the ID in hex; it is also the object's file name.
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// IsZero reports whether id is the zero (invalid) ID.
func (id ID) IsZero() bool { return id == ID{} }

// ParseID parses the hex form returned by String.
func ParseID(s string) (ID, error) {
	var id ID
	if len(s) != 2*len(id) {
		return ID{}, fmt.Errorf("shm: object id %q: want %d hex digits, got %d", s, 2*len(id), len(s))
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return ID{}, fmt.Errorf("shm: object id %q: %w", s, err)
	}
	if id.IsZero() {
		return ID{}, fmt.Errorf("shm: object id %q: %w", s, errZeroID)
	}
	return id, nil
}

var errZeroID = errors.New("the zero id is invalid")

// idFromBytes reads an ID off the wire.
func idFromBytes(b []byte) (ID, error) {
	var id ID
	if len(b) != len(id) {
		return ID{}, fmt.Errorf("shm: object id %x: want %d bytes, got %d", b, len(id), len(b))
	}
	copy(id[:], b)
	if id.IsZero() {
		return ID{}, fmt.Errorf("shm: object id %x: %w", b, errZeroID)
	}
	return id, nil
}
