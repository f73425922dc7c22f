package shm

import (
	"encoding/binary"
	"errors"
)

// A minimal reader of the flatbuffers in Arrow IPC record batch messages,
// enough to find a batch's field nodes and buffers (arrow/go v15 keeps its
// generated flatbuffer code internal). Every read is bounds-checked: a
// corrupt message gives errBadMessage, never a panic.

var errBadMessage = errors.New("malformed Arrow IPC message")

type fbTable struct {
	buf []byte
	pos int
}

func le32(b []byte, at int) (uint32, bool) {
	if at < 0 || at+4 > len(b) {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b[at:]), true
}

func le16(b []byte, at int) (uint16, bool) {
	if at < 0 || at+2 > len(b) {
		return 0, false
	}
	return binary.LittleEndian.Uint16(b[at:]), true
}

func le64(b []byte, at int) (uint64, bool) {
	if at < 0 || at+8 > len(b) {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b[at:]), true
}

// fbRoot returns the root table of a flatbuffer.
func fbRoot(buf []byte) (fbTable, error) {
	off, ok := le32(buf, 0)
	if !ok || int(off) >= len(buf) {
		return fbTable{}, errBadMessage
	}
	return fbTable{buf, int(off)}, nil
}

// field returns the absolute position of field i, or 0 if it is absent.
func (t fbTable) field(i int) (int, error) {
	soff, ok := le32(t.buf, t.pos)
	if !ok {
		return 0, errBadMessage
	}
	vt := t.pos - int(int32(soff))
	vtSize, ok := le16(t.buf, vt)
	if !ok {
		return 0, errBadMessage
	}
	slot := 4 + 2*i
	if slot >= int(vtSize) { // as flatbuffers decides, even for an odd size
		return 0, nil
	}
	fo, ok := le16(t.buf, vt+slot)
	if !ok {
		return 0, errBadMessage
	}
	if fo == 0 {
		return 0, nil
	}
	return t.pos + int(fo), nil
}

func (t fbTable) int64(i int) (int64, error) {
	at, err := t.field(i)
	if err != nil || at == 0 {
		return 0, err
	}
	v, ok := le64(t.buf, at)
	if !ok {
		return 0, errBadMessage
	}
	return int64(v), nil
}

func (t fbTable) uint8(i int) (uint8, error) {
	at, err := t.field(i)
	if err != nil || at == 0 {
		return 0, err
	}
	if at >= len(t.buf) {
		return 0, errBadMessage
	}
	return t.buf[at], nil
}

// indirect follows the offset stored at field i.
func (t fbTable) indirect(i int) (int, error) {
	at, err := t.field(i)
	if err != nil || at == 0 {
		return 0, err
	}
	off, ok := le32(t.buf, at)
	if !ok || at+int(off) >= len(t.buf) {
		return 0, errBadMessage
	}
	return at + int(off), nil
}

// table returns the table at field i; ok is false if it is absent.
func (t fbTable) table(i int) (fbTable, bool, error) {
	at, err := t.indirect(i)
	if err != nil || at == 0 {
		return fbTable{}, false, err
	}
	return fbTable{t.buf, at}, true, nil
}

// structs returns the elements of a vector of structs of elemSize bytes at
// field i, each as its bytes.
func (t fbTable) structs(i, elemSize int) ([][]byte, error) {
	at, err := t.indirect(i)
	if err != nil || at == 0 {
		return nil, err
	}
	n, ok := le32(t.buf, at)
	if !ok || uint64(n)*uint64(elemSize) > uint64(len(t.buf)-at-4) {
		return nil, errBadMessage
	}
	out := make([][]byte, n)
	for k := range out {
		s := at + 4 + k*elemSize
		out[k] = t.buf[s : s+elemSize]
	}
	return out, nil
}

// tables returns the tables of a vector of tables at field i.
func (t fbTable) tables(i int) ([]fbTable, error) {
	at, err := t.indirect(i)
	if err != nil || at == 0 {
		return nil, err
	}
	n, ok := le32(t.buf, at)
	if !ok || uint64(n)*4 > uint64(len(t.buf)-at-4) {
		return nil, errBadMessage
	}
	out := make([]fbTable, n)
	for k := range out {
		el := at + 4 + 4*k
		off, _ := le32(t.buf, el)
		if uint64(el)+uint64(off) >= uint64(len(t.buf)) {
			return nil, errBadMessage
		}
		out[k] = fbTable{t.buf, el + int(off)}
	}
	return out, nil
}

// vectorFits checks that the vector at field i, of elements of elemSize
// bytes, lies within the buffer.
func (t fbTable) vectorFits(i, elemSize int) error {
	at, err := t.indirect(i)
	if err != nil || at == 0 {
		return err
	}
	n, ok := le32(t.buf, at)
	if !ok || uint64(n)*uint64(elemSize) > uint64(len(t.buf)-at-4) {
		return errBadMessage
	}
	return nil
}

// Field numbers of the Arrow schema flatbuffers.
const (
	headerSchema        = 1
	schemaFields        = 1
	schemaCustomMeta    = 2
	fieldChildren       = 5
	fieldCustomMetadata = 6
)

// checkSchema checks the vectors of the schema message at the start of an
// IPC stream before arrow's reader sees it: arrow sizes its slices by the
// counts they declare, and a corrupt count would ask for terabytes.
func checkSchema(data []byte) error {
	meta, _, _, eos, err := readMessage(data, 0)
	if err != nil || eos {
		return err // arrow's reader reports a missing schema itself
	}
	msg, _ := fbRoot(meta)
	typ, err := msg.uint8(1)
	if err != nil || typ != headerSchema {
		return err
	}
	schema, ok, err := msg.table(2)
	if err != nil || !ok {
		return err
	}
	if err := schema.vectorFits(schemaCustomMeta, 4); err != nil {
		return err
	}
	fields, err := schema.tables(schemaFields)
	if err != nil {
		return err
	}
	return checkFields(fields, 0)
}

func checkFields(fields []fbTable, depth int) error {
	if depth > maxNesting {
		return errBadMessage
	}
	for _, f := range fields {
		if err := f.vectorFits(fieldCustomMetadata, 4); err != nil {
			return err
		}
		children, err := f.tables(fieldChildren)
		if err != nil {
			return err
		}
		if err := checkFields(children, depth+1); err != nil {
			return err
		}
	}
	return nil
}
