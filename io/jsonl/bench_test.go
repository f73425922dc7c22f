package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

var (
	benchOnce  sync.Once
	benchInput []byte
)

const benchLines = 1_000_000

// benchData is 1M lines of a flat 8-key object, about 120 bytes each.
func benchData() []byte {
	benchOnce.Do(func() {
		var sb strings.Builder
		for i := 0; i < benchLines; i++ {
			fmt.Fprintf(&sb, `{"id":%d,"name":"user_%d","city":"%s","score":%d.%d,"active":%t,"visits":%d,"tag":null,"ratio":%d}`+"\n",
				i, i%50000, [...]string{"Paris", "Oslo", "Lima", "Pune"}[i%4], i%1000, i%7, i%3 == 0, i%97, i%10)
		}
		benchInput = []byte(sb.String())
	})
	return benchInput
}

func BenchmarkRead(b *testing.B) {
	in := benchData()
	for _, par := range []int{1, 0} {
		b.Run(fmt.Sprintf("par=%d", par), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				res, err := Read(context.Background(), bytes.NewReader(in), "bench", Options{Parallelism: par})
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
			}
			b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

func BenchmarkReadFile(b *testing.B) {
	path := filepath.Join(b.TempDir(), "bench.jsonl")
	if err := os.WriteFile(path, benchData(), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, par := range []int{1, 0} {
		b.Run(fmt.Sprintf("par=%d", par), func(b *testing.B) {
			b.SetBytes(int64(len(benchData())))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				res, err := ReadFile(context.Background(), path, Options{Parallelism: par})
				if err != nil {
					b.Fatal(err)
				}
				res.Release()
			}
			b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkEncodingJSON is the baseline: encoding/json decoding the same
// lines into a struct, serially, without building Arrow columns.
func BenchmarkEncodingJSON(b *testing.B) {
	in := benchData()
	type row struct {
		ID     int64   `json:"id"`
		Name   string  `json:"name"`
		City   string  `json:"city"`
		Score  float64 `json:"score"`
		Active bool    `json:"active"`
		Visits int64   `json:"visits"`
		Tag    *string `json:"tag"`
		Ratio  int64   `json:"ratio"`
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var r row
		for data := in; len(data) > 0; {
			j := bytes.IndexByte(data, '\n')
			if err := json.Unmarshal(data[:j], &r); err != nil {
				b.Fatal(err)
			}
			data = data[j+1:]
		}
	}
	b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkWrite(b *testing.B) {
	res, err := Read(context.Background(), bytes.NewReader(benchData()), "bench", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer res.Release()
	var buf bytes.Buffer
	b.SetBytes(int64(len(benchData())))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := Write(context.Background(), &buf, res.Records, WriteOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
