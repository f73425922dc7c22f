package shm_test

import (
	"context"
	"fmt"
	"log"
	"net"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/shoaldata/shoal/runtime/shm"
)

// A process puts bytes into the node's store and reads them back through
// a read-only shared mapping.
func Example() {
	ctx := context.Background()
	s, err := shm.Open(shm.Options{Node: "n1"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	c := s.Client() // other processes: shm.Dial(ctx, socket)
	defer c.Close()

	id := shm.NewID()
	if err := c.Put(ctx, id, []byte("hello")); err != nil {
		log.Fatal(err)
	}
	b, release, err := c.Get(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	release()
	info, _ := c.Stat(ctx, id)
	fmt.Printf("size %d, refs %d, pins %d\n", info.Size, info.Refs, info.Pins)
	// Output:
	// hello
	// size 5, refs 1, pins 0
}

// A record put as Arrow IPC comes back as a record whose buffers point
// into the shared mapping.
func ExampleClient_GetRecord() {
	ctx := context.Background()
	s, err := shm.Open(shm.Options{Node: "n1"})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	c := s.Client()
	defer c.Close()

	schema := arrow.NewSchema([]arrow.Field{{Name: "x", Type: arrow.PrimitiveTypes.Int64}}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 3}, nil)
	rec := b.NewRecord()
	b.Release()
	id := shm.NewID()
	if err := c.PutRecord(ctx, id, rec); err != nil {
		log.Fatal(err)
	}
	rec.Release()

	got, err := c.GetRecord(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(got.Column(0))
	got.Release() // unmaps and unpins
	// Output: [1 2 3]
}

// One node pulls an object from another over gRPC.
func ExampleStore_Pull() {
	ctx := context.Background()
	src, err := shm.Open(shm.Options{Node: "a"})
	if err != nil {
		log.Fatal(err)
	}
	defer src.Close()
	dst, err := shm.Open(shm.Options{Node: "b"})
	if err != nil {
		log.Fatal(err)
	}
	defer dst.Close()

	// Node a serves ObjectTransfer (with the cluster's interceptors).
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := grpc.NewServer()
	shm.RegisterTransfer(srv, src)
	go srv.Serve(lis)
	defer srv.Stop()

	id := shm.NewID()
	sc := src.Client()
	defer sc.Close()
	if err := sc.Put(ctx, id, []byte("partition bytes")); err != nil {
		log.Fatal(err)
	}

	// Node b pulls it into its own store.
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	if err := dst.Pull(ctx, conn, id); err != nil {
		log.Fatal(err)
	}
	dc := dst.Client()
	defer dc.Close()
	data, release, err := dc.Get(ctx, id)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(data))
	release()
	// Output: partition bytes
}
