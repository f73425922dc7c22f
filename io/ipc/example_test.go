package ipc_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"

	"github.com/shoaldata/shoal/io/ipc"
)

func Example() {
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "name", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	b.Field(0).(*array.Int64Builder).AppendValues([]int64{1, 2, 3}, nil)
	b.Field(1).(*array.StringBuilder).AppendValues([]string{"ann", "", "cy"}, []bool{true, false, true})
	rec := b.NewRecord()
	b.Release()
	defer rec.Release()

	dir, _ := os.MkdirTemp("", "ipc")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "people.arrow")
	ctx := context.Background()
	if err := ipc.WriteFile(ctx, path, []arrow.Record{rec}, ipc.WriteOptions{Compression: "zstd"}); err != nil {
		fmt.Println(err)
		return
	}
	res, err := ipc.ReadFile(ctx, path, ipc.Options{Columns: []string{"name"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	fmt.Println(res.Schema.Field(0).Name, res.Records[0].Column(0))
	// Output: name ["ann" (null) "cy"]
}
