package shm

import (
	"errors"
	"fmt"
	"sync"

	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
)

// chunkCodec is the gRPC codec Pull asks for (content subtype
// "shm-chunk"): protobuf, the same bytes on the wire, except that a
// received Chunk is decoded into a pooled buffer instead of a fresh
// allocation per megabyte, which would keep the garbage collector busy for
// nothing. It is registered globally, so a server in this binary answers
// with it without being told.
type chunkCodec struct{}

const chunkCodecName = "shm-chunk"

func init() { encoding.RegisterCodecV2(chunkCodec{}) }

func (chunkCodec) Name() string { return chunkCodecName }

func (chunkCodec) Marshal(v any) (mem.BufferSlice, error) {
	return encoding.GetCodecV2("proto").Marshal(v)
}

func (chunkCodec) Unmarshal(data mem.BufferSlice, v any) error {
	if c, ok := v.(*recvChunk); ok {
		return c.decode(data)
	}
	m, ok := v.(proto.Message)
	if !ok {
		return fmt.Errorf("shm: codec: cannot decode into %T", v)
	}
	return proto.Unmarshal(data.Materialize(), m)
}

// recvChunk is a received Chunk whose data lies in a pooled buffer; free
// returns it.
type recvChunk struct {
	buf        *[]byte
	size       int64
	rawLen     uint32
	compressed bool
	data       []byte
}

// msgBufs hold received messages: a raw chunk and its few bytes of
// framing.
var msgBufs = sync.Pool{New: func() any {
	b := make([]byte, ChunkSize+64)
	return &b
}}

var errBadChunk = errors.New("shm: malformed chunk")

func (c *recvChunk) decode(data mem.BufferSlice) error {
	c.free()
	n := data.Len()
	c.buf = msgBufs.Get().(*[]byte)
	if cap(*c.buf) < n {
		*c.buf = make([]byte, n)
	}
	b := (*c.buf)[:n]
	data.CopyTo(b)
	*c = recvChunk{buf: c.buf}
	// The fields of message Chunk, as shm.proto numbers them.
	for len(b) > 0 {
		num, typ, k := protowire.ConsumeTag(b)
		if k < 0 {
			return errBadChunk
		}
		b = b[k:]
		switch {
		case num == 1 && typ == protowire.VarintType:
			v, k := protowire.ConsumeVarint(b)
			if k < 0 {
				return errBadChunk
			}
			c.size, b = int64(v), b[k:]
		case num == 2 && typ == protowire.VarintType:
			v, k := protowire.ConsumeVarint(b)
			if k < 0 {
				return errBadChunk
			}
			c.rawLen, b = uint32(v), b[k:]
		case num == 3 && typ == protowire.VarintType:
			v, k := protowire.ConsumeVarint(b)
			if k < 0 {
				return errBadChunk
			}
			c.compressed, b = v != 0, b[k:]
		case num == 4 && typ == protowire.BytesType:
			v, k := protowire.ConsumeBytes(b)
			if k < 0 {
				return errBadChunk
			}
			c.data, b = v, b[k:]
		default:
			k := protowire.ConsumeFieldValue(num, typ, b)
			if k < 0 {
				return errBadChunk
			}
			b = b[k:]
		}
	}
	return nil
}

func (c *recvChunk) free() {
	if c.buf != nil {
		msgBufs.Put(c.buf)
		c.buf, c.data = nil, nil
	}
}
