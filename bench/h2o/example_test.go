package h2o_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/bench/h2o"
)

func ExampleGroupBy() {
	rec, err := h2o.GroupBy(4, 2, 0, true, 42, memory.NewGoAllocator())
	if err != nil {
		panic(err)
	}
	defer rec.Release()
	if err := h2o.WriteCSV(os.Stdout, rec); err != nil {
		panic(err)
	}
	// Output:
	// id1,id2,id3,id4,id5,id6,v1,v2,v3
	// id001,id001,id0000000002,1,1,1,4,10,96.592933
	// id002,id001,id0000000001,2,2,2,3,13,4.784366
	// id002,id002,id0000000002,2,1,1,3,14,74.074996
	// id002,id002,id0000000002,2,2,2,5,8,1.869952
}

func ExampleJoin() {
	x, small, medium, big, err := h2o.Join(100, 1, memory.NewGoAllocator())
	if err != nil {
		panic(err)
	}
	defer x.Release()
	defer small.Release()
	defer medium.Release()
	defer big.Release()
	fmt.Println(x.NumRows(), small.NumRows(), medium.NumRows(), big.NumRows())
	fmt.Println(small.Schema().Field(1).Type)
	// Output:
	// 100 10 10 100
	// dictionary<values=utf8, indices=int32, ordered=false>
}

func ExampleReadGroupByCSV() {
	mem := memory.NewGoAllocator()
	dir, err := os.MkdirTemp("", "h2o")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "G1_1e3_1e1_5_0.csv")
	rec, err := h2o.GroupBy(1000, 10, 5, false, 1, mem)
	if err != nil {
		panic(err)
	}
	defer rec.Release()
	f, err := os.Create(path)
	if err != nil {
		panic(err)
	}
	if err := h2o.WriteCSV(f, rec); err != nil {
		panic(err)
	}
	if err := f.Close(); err != nil {
		panic(err)
	}

	back, err := h2o.ReadGroupByCSV(path, mem)
	if err != nil {
		panic(err)
	}
	defer back.Release()
	fmt.Println(back.NumRows(), back.Column(6).NullN(), back.Schema().Field(0).Type)
	// Output:
	// 1000 50 dictionary<values=utf8, indices=int32, ordered=false>
}
