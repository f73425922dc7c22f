package objstore_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/runtime/objstore"
)

// A task's result: the runtime makes a pending object, a worker seals it,
// and dependents read it once it is ready.
func Example() {
	s, err := objstore.New(objstore.Options{})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	id := s.NewPending()
	ready := make(chan struct{})
	s.OnSealed(id, func() { close(ready) }) // e.g. schedule a dependent task
	go func() {
		if err := s.Seal(id, []float64{1.5, 2.5}, nil); err != nil {
			panic(err)
		}
	}()

	<-ready
	fmt.Println("dependent may run")
	v, err := s.Get(context.Background(), id)
	fmt.Println(v, err)
	s.Release(id)
	_, err = s.Get(context.Background(), id)
	fmt.Println(errors.Is(err, objstore.ErrObjectFreed))
	// Output:
	// dependent may run
	// [1.5 2.5] <nil>
	// true
}

// Values past the capacity go to disk and come back on Get.
func ExampleStore_Get_spilled() {
	s, err := objstore.New(objstore.Options{Capacity: 1 << 10})
	if err != nil {
		panic(err)
	}
	defer s.Close()

	a, _ := s.Put(make([]byte, 800))
	b, _ := s.Put(make([]byte, 800)) // a is spilled to make room
	st := s.Stats()
	fmt.Println("in memory:", st.MemoryBytes, "spilled:", st.SpilledObjects)

	v, _ := s.Get(context.Background(), a) // a is read back; b is spilled
	st = s.Stats()
	fmt.Println(len(v.([]byte)), "restores:", st.Restores, "spill files:", st.SpillFiles)
	s.Release(a)
	s.Release(b)
	fmt.Println("spill files:", s.Stats().SpillFiles)
	// Output:
	// in memory: 800 spilled: 1
	// 800 restores: 1 spill files: 2
	// spill files: 0
}

// A task's failure is stored as its result and returned as is.
func ExampleStore_Seal_error() {
	s, _ := objstore.New(objstore.Options{})
	defer s.Close()

	errBoom := errors.New("boom")
	id := s.NewPending()
	s.Seal(id, nil, errBoom)
	_, err := s.Get(context.Background(), id)
	fmt.Println(err == errBoom)
	// Output: true
}

// Arrow records are stored without copying.
func ExampleStore_Put_arrow() {
	s, _ := objstore.New(objstore.Options{})
	defer s.Close()

	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.AppendValues([]int64{1, 2, 3}, nil)
	col := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "n", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 3)
	col.Release()

	id, _ := s.Put(rec)
	rec.Release() // the store holds its own reference
	v, _ := s.Get(context.Background(), id)
	fmt.Println(v == rec, v.(arrow.Record).NumRows())
	// Output: true 3
}

func ExampleStore_TryGet() {
	s, _ := objstore.New(objstore.Options{})
	defer s.Close()

	id := s.NewPending()
	_, _, ok := s.TryGet(id)
	fmt.Println(ok, s.Ready(id))
	s.Seal(id, "done", nil)
	v, err, ok := s.TryGet(id)
	fmt.Println(v, err, ok, s.Ready(id))
	// Output:
	// false false
	// done <nil> true true
}

func ExampleStore_Put_full() {
	s, _ := objstore.New(objstore.Options{Capacity: 100, DisableSpill: true})
	defer s.Close()

	s.Put(make([]byte, 60))
	_, err := s.Put(make([]byte, 50))
	fmt.Println(err)
	fmt.Println(errors.Is(err, objstore.ErrStoreFull))
	// Output:
	// objstore: object 2: 50 bytes do not fit, 60 of 100 bytes in use: objstore: store full
	// true
}

func ExampleSizeOf() {
	type row struct {
		Name string
		Vals []float64
	}
	fmt.Println(objstore.SizeOf(42))
	fmt.Println(objstore.SizeOf("hello"))
	fmt.Println(objstore.SizeOf(make([]int32, 10)))
	fmt.Println(objstore.SizeOf(errors.New("boom")))
	fmt.Println(objstore.SizeOf(row{Name: "abc", Vals: make([]float64, 4)}))
	// Output:
	// 8
	// 5
	// 40
	// 4
	// 75
}
