package remote

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"math"
	"reflect"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/ipc"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// codec moves values of one registered parameter or result type between
// processes: Arrow records as Arrow IPC, common scalars in a few bytes, the
// rest with encoding/gob of the static type. A value's first byte says
// whether it is the zero value of an interface or pointer (nil), so nil
// records and pointers cross intact.
type codec struct {
	typ reflect.Type
	enc func(v any) ([]byte, error)
	dec func(b []byte) (any, error)
}

const (
	tagNil   = 0
	tagValue = 1
)

var recordType = reflect.TypeFor[arrow.Record]()

// codecOf returns the codec of T.
func codecOf[T any]() codec {
	t := reflect.TypeFor[T]()
	c := codec{typ: t}
	switch {
	case t == recordType:
		c.enc, c.dec = encRecord, decRecord
	case t.Kind() == reflect.Int || t.Kind() == reflect.Int64 || t.Kind() == reflect.Int32:
		c.enc = func(v any) ([]byte, error) {
			return binary.AppendVarint([]byte{tagValue}, reflect.ValueOf(v).Int()), nil
		}
		c.dec = func(b []byte) (any, error) {
			if len(b) == 0 || b[0] != tagValue {
				return nil, fmt.Errorf("decoding %v: bad tag", t)
			}
			x, n := binary.Varint(b[1:])
			if n <= 0 {
				return nil, fmt.Errorf("decoding %v: bad varint", t)
			}
			return reflect.ValueOf(x).Convert(t).Interface(), nil
		}
	case t.Kind() == reflect.Float64:
		c.enc = func(v any) ([]byte, error) {
			return binary.LittleEndian.AppendUint64([]byte{tagValue}, math.Float64bits(reflect.ValueOf(v).Float())), nil
		}
		c.dec = func(b []byte) (any, error) {
			if len(b) != 9 {
				return nil, fmt.Errorf("decoding %v: %d bytes, want 9", t, len(b))
			}
			return reflect.ValueOf(math.Float64frombits(binary.LittleEndian.Uint64(b[1:]))).Convert(t).Interface(), nil
		}
	case t.Kind() == reflect.String:
		c.enc = func(v any) ([]byte, error) {
			return append([]byte{tagValue}, reflect.ValueOf(v).String()...), nil
		}
		c.dec = func(b []byte) (any, error) {
			if len(b) == 0 {
				return nil, fmt.Errorf("decoding %v: empty", t)
			}
			return reflect.ValueOf(string(b[1:])).Convert(t).Interface(), nil
		}
	default:
		c.enc = func(v any) ([]byte, error) {
			if v == nil {
				return []byte{tagNil}, nil
			}
			if rv := reflect.ValueOf(v); (rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface) && rv.IsNil() {
				return []byte{tagNil}, nil
			}
			var buf bytes.Buffer
			buf.WriteByte(tagValue)
			if err := gob.NewEncoder(&buf).EncodeValue(reflect.ValueOf(v)); err != nil {
				return nil, fmt.Errorf("encoding %v with gob: %w", t, err)
			}
			return buf.Bytes(), nil
		}
		c.dec = func(b []byte) (any, error) {
			if len(b) == 0 {
				return nil, fmt.Errorf("decoding %v: empty", t)
			}
			p := reflect.New(t)
			if b[0] == tagNil {
				return p.Elem().Interface(), nil
			}
			if err := gob.NewDecoder(bytes.NewReader(b[1:])).DecodeValue(p); err != nil {
				return nil, fmt.Errorf("decoding %v with gob: %w", t, err)
			}
			return p.Elem().Interface(), nil
		}
	}
	return c
}

func encRecord(v any) ([]byte, error) {
	rec, _ := v.(arrow.Record)
	if rec == nil {
		return []byte{tagNil}, nil
	}
	var buf bytes.Buffer
	buf.WriteByte(tagValue)
	w := ipc.NewWriter(&buf, ipc.WithSchema(rec.Schema()))
	if err := w.Write(rec); err != nil {
		return nil, fmt.Errorf("encoding arrow.Record as IPC: %w", err)
	}
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("encoding arrow.Record as IPC: %w", err)
	}
	return buf.Bytes(), nil
}

func decRecord(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, errors.New("decoding arrow.Record: empty")
	}
	if b[0] == tagNil {
		return arrow.Record(nil), nil
	}
	r, err := ipc.NewReader(bytes.NewReader(b[1:]), ipc.WithAllocator(memory.DefaultAllocator))
	if err != nil {
		return nil, fmt.Errorf("decoding arrow.Record from IPC: %w", err)
	}
	defer r.Release()
	if !r.Next() {
		if err := r.Err(); err != nil {
			return nil, fmt.Errorf("decoding arrow.Record from IPC: %w", err)
		}
		return nil, errors.New("decoding arrow.Record from IPC: no batch")
	}
	rec := r.Record()
	rec.Retain() // the reader releases its own at the next Next or Release
	return rec, nil
}

// signature is how a registered entry's arguments and results cross
// processes. For RegisterN, args[0] is the parameter and more the codec of
// every further argument, outMore of every result.
type signature struct {
	args    []codec
	more    *codec
	outs    []codec
	outMore *codec
}

func (s *signature) arg(i int) (codec, error) {
	if i < len(s.args) {
		return s.args[i], nil
	}
	if s.more != nil {
		return *s.more, nil
	}
	return codec{}, fmt.Errorf("argument %d of %d", i+1, len(s.args))
}

func (s *signature) out(i int) (codec, error) {
	if i < len(s.outs) {
		return s.outs[i], nil
	}
	if s.outMore != nil {
		return *s.outMore, nil
	}
	return codec{}, fmt.Errorf("result %d of %d", i+1, len(s.outs))
}

// entry is a registered function, actor type or method, found by name in a
// worker process.
type entry struct {
	kind   kind
	invoke invokeFunc   // functions and actor constructors
	method invokeMethod // actor methods
	sig    signature
}

func lookup(name string) *entry {
	registry.Lock()
	defer registry.Unlock()
	return registry.entries[name]
}
