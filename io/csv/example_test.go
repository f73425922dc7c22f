package csv_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shoaldata/shoal/io/csv"
)

func ExampleRead() {
	data := "city,temp,day\nOslo,-3.5,2024-01-02\n\"Rio, BR\",31,2024-01-02\n"
	opt := csv.DefaultOptions()
	opt.Categorical = []string{"city"}
	opt.ParseDates = []string{"day"}
	res, err := csv.Read(context.Background(), strings.NewReader(data), "weather.csv", opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	for _, f := range res.Schema.Fields() {
		fmt.Println(f.Name, f.Type)
	}
	fmt.Println(res.Records[0].Column(1))
	// Output:
	// city dictionary<values=utf8, indices=int32, ordered=false>
	// temp float64
	// day date32
	// [-3.5 31]
}

func ExampleReadFile() {
	dir, _ := os.MkdirTemp("", "csvexample")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "a.csv")
	os.WriteFile(path, []byte("a,b,c\n1,x,2.5\n2,y,3\n"), 0o644)
	opt := csv.DefaultOptions()
	opt.Columns = []string{"c", "a"} // returned in this order
	res, err := csv.ReadFile(context.Background(), path, opt)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Release()
	fmt.Println(res.Schema.Field(0).Name, res.Records[0].Column(0))
	fmt.Println(res.Schema.Field(1).Name, res.Records[0].Column(1))
	// Output:
	// c [2.5 3]
	// a [1 2]
}

func ExampleWriteFile() {
	dir, _ := os.MkdirTemp("", "csvexample")
	defer os.RemoveAll(dir)
	res, _ := csv.Read(context.Background(), strings.NewReader("s,n\n\"a,b\",1\n\"\",\n"), "in.csv", csv.DefaultOptions())
	defer res.Release()
	path := filepath.Join(dir, "out.csv")
	if err := csv.WriteFile(context.Background(), path, res.Records, csv.DefaultWriteOptions()); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(path)
	fmt.Print(string(b))
	// Output:
	// s,n
	// "a,b",1
	// "",
}
