// Command h2opq writes the H2O groupby table as Parquet and times reading
// it back, for io/parquet's benchmark figures. It lives apart from the
// package's tests because bench/h2o pulls in the whole engine.
//
//	go run ./io/parquet/internal/h2opq -csv /tmp/h2o/G1_1e7_1e2.csv -out /tmp/h2o/G1_1e7_1e2.parquet
//	go build -o /tmp/h2opq ./io/parquet/internal/h2opq
//	/usr/bin/time -v /tmp/h2opq -read /tmp/h2o/G1_1e7_1e2.parquet
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/shoaldata/shoal/bench/h2o"
	"github.com/shoaldata/shoal/io/parquet"
)

func main() {
	csv := flag.String("csv", "", "H2O groupby CSV to convert")
	out := flag.String("out", "", "Parquet file to write from -csv")
	read := flag.String("read", "", "Parquet file to time reading")
	runs := flag.Int("n", 3, "read runs")
	cols := flag.Int("par", 0, "Options.Parallelism")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the reads")
	memprof := flag.String("memprofile", "", "write an allocation profile of the reads")
	flag.Parse()
	ctx := context.Background()

	if *csv != "" {
		start := time.Now()
		rec, err := h2o.ReadGroupByCSV(*csv, memory.DefaultAllocator)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("csv: %d rows in %v\n", rec.NumRows(), time.Since(start))
		start = time.Now()
		err = parquet.Write(ctx, *out, []arrow.Record{rec}, parquet.WriteOptions{Compression: "zstd", RowGroupRows: 1_000_000})
		if err != nil {
			log.Fatal(err)
		}
		st, _ := os.Stat(*out)
		fmt.Printf("parquet write: %d bytes in %v\n", st.Size(), time.Since(start))
		rec.Release()
	}
	if *read == "" {
		return
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	if *memprof != "" {
		defer func() {
			f, err := os.Create(*memprof)
			if err != nil {
				log.Fatal(err)
			}
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}()
	}
	for i := range *runs {
		runtime.GC()
		cpu0 := cpuTime()
		start := time.Now()
		res, err := parquet.Read(ctx, *read, parquet.Options{Parallelism: *cols})
		if err != nil {
			log.Fatal(err)
		}
		took := time.Since(start)
		cpu := cpuTime() - cpu0
		var rows int64
		for _, r := range res.Records {
			rows += r.NumRows()
		}
		fmt.Printf("read %d: %d rows, %d row groups, %d bytes, wall %v, cpu (user+sys) %v\n", i, rows, res.RowGroups, res.Bytes, took.Round(time.Millisecond), cpu.Round(time.Millisecond))
		if i == 0 {
			for _, f := range res.Schema.Fields() {
				fmt.Printf("  %s: %s\n", f.Name, f.Type)
			}
		}
		res.Release()
	}
}

// cpuTime is the process's user plus system CPU time so far: on a shared
// machine it measures the read better than the wall clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
