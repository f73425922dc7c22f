package jsonl_test

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"

	"github.com/shoaldata/shoal/io/jsonl"
)

func Example() {
	in := `{"id":1,"name":"ann","score":3}
{"name":"bob","id":2,"score":4.5,"tags":["a","b"]}
{"id":3,"when":"2024-05-01T10:00:00Z"}
`
	res, err := jsonl.Read(context.Background(), strings.NewReader(in), "people.jsonl", jsonl.Options{
		Types: map[string]arrow.DataType{"when": &arrow.TimestampType{Unit: arrow.Second}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	for _, f := range res.Schema.Fields() {
		fmt.Println(f.Name, f.Type)
	}
	if err := jsonl.Write(context.Background(), os.Stdout, res.Records, jsonl.WriteOptions{}); err != nil {
		fmt.Println(err)
	}
	// Output:
	// id int64
	// name utf8
	// score float64
	// tags utf8
	// when timestamp[s]
	// {"id":1,"name":"ann","score":3.0,"tags":null,"when":null}
	// {"id":2,"name":"bob","score":4.5,"tags":"[\"a\",\"b\"]","when":null}
	// {"id":3,"name":null,"score":null,"tags":null,"when":"2024-05-01T10:00:00Z"}
}

func ExampleReadFile_badLines() {
	f, _ := os.CreateTemp("", "*.jsonl")
	defer os.Remove(f.Name())
	f.WriteString("{\"a\":1}\n{\"a\":2,}\n{\"a\":3}\n")
	f.Close()

	_, err := jsonl.ReadFile(context.Background(), f.Name(), jsonl.Options{})
	fmt.Println(strings.Replace(err.Error(), f.Name(), "data.jsonl", 1))

	res, _ := jsonl.ReadFile(context.Background(), f.Name(), jsonl.Options{OnBadLines: jsonl.Skip})
	defer res.Release()
	fmt.Println(res.Records[0].Column(0), "skipped", res.Skipped)
	// Output:
	// jsonl: data.jsonl:2: invalid character '}', want '"' starting a key at byte 8
	// [1 3] skipped 1
}
