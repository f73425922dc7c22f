package parquet_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/shoaldata/shoal/io/parquet"
)

func exampleRecord() arrow.Record {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "city", Type: arrow.BinaryTypes.String},
		{Name: "temp", Type: arrow.PrimitiveTypes.Int64},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sc)
	defer b.Release()
	b.Field(0).(*array.StringBuilder).AppendValues([]string{"Oslo", "Paris", "Rome", "Oslo"}, nil)
	b.Field(1).(*array.Int64Builder).AppendValues([]int64{3, 14, 21, 5}, nil)
	return b.NewRecord()
}

func ExampleRead() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "temps.parquet")
	rec := exampleRecord()
	defer rec.Release()
	ctx := context.Background()
	if err := parquet.Write(ctx, path, []arrow.Record{rec}, parquet.WriteOptions{RowGroupRows: 2}); err != nil {
		log.Fatal(err)
	}

	// Read temp only, skipping row groups whose maximum is below 15.
	res, err := parquet.Read(ctx, path, parquet.Options{
		Columns: []string{"temp"},
		RowGroupFilter: func(rg parquet.RowGroup) bool {
			st, ok := rg.Stats["temp"]
			return !ok || !st.HasMinMax || st.Max.(int64) >= 15
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer res.Release()
	fmt.Println("read", res.RowGroups, "skipped", res.Skipped)
	for _, r := range res.Records {
		fmt.Println(r.Column(0))
	}
	// Output:
	// read 1 skipped 1
	// [21 5]
}

func ExampleWrite_partitioned() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	rec := exampleRecord()
	defer rec.Release()
	ctx := context.Background()
	root := filepath.Join(dir, "temps")
	if err := parquet.Write(ctx, root, []arrow.Record{rec}, parquet.WriteOptions{PartitionBy: []string{"city"}}); err != nil {
		log.Fatal(err)
	}
	sc, err := parquet.Schema(ctx, root)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range sc.Fields() {
		fmt.Println(f.Name, f.Type)
	}
	res, err := parquet.Read(ctx, root, parquet.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer res.Release()
	for _, r := range res.Records {
		fmt.Println(r.Column(0), r.Column(1).(*array.Dictionary).Dictionary())
	}
	// Output:
	// temp int64
	// city dictionary<values=utf8, indices=int32, ordered=false>
	// [3 5] ["Oslo" "Paris" "Rome"]
	// [14] ["Oslo" "Paris" "Rome"]
	// [21] ["Oslo" "Paris" "Rome"]
}
