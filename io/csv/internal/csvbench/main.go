// Command csvbench times csv.ReadFile on one file, for /usr/bin/time -v:
//
//	go build -o /tmp/csvbench ./io/csv/internal/csvbench
//	/usr/bin/time -v /tmp/csvbench -cat id1,id2,id3 /tmp/h2o/G1_1e7_1e2.csv
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/shoaldata/shoal/io/csv"
)

func main() {
	cat := flag.String("cat", "", "comma-separated categorical columns")
	chunk := flag.Int64("chunk", 0, "ChunkBytes (0: as dataframe.ReadCSV sizes it)")
	par := flag.Int("p", 0, "Parallelism")
	prof := flag.String("cpuprofile", "", "write a CPU profile")
	flag.Parse()
	opt := csv.DefaultOptions()
	if *cat != "" {
		opt.Categorical = strings.Split(*cat, ",")
	}
	opt.ChunkBytes, opt.Parallelism = *chunk, *par
	if *chunk == 0 {
		// What dataframe.ReadCSV picks: one range per partition, at most
		// 4 per core (partition.DefaultSizing), at least 32 MiB.
		if st, err := os.Stat(flag.Arg(0)); err == nil {
			n := int64(4 * runtime.GOMAXPROCS(0))
			opt.ChunkBytes = max(32<<20, (st.Size()+n-1)/n)
		}
	}
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			log.Fatal(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	start := time.Now()
	res, err := csv.ReadFile(context.Background(), flag.Arg(0), opt)
	if err != nil {
		log.Fatal(err)
	}
	var rows int64
	for _, r := range res.Records {
		rows += r.NumRows()
	}
	el := time.Since(start)
	fmt.Printf("rows=%d records=%d bytes=%d wall=%.3fs %.0f MB/s\n%s\n", rows, len(res.Records), res.Bytes,
		el.Seconds(), float64(res.Bytes)/el.Seconds()/1e6, res.Schema)
	if b, err := os.ReadFile("/proc/self/smaps_rollup"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "Rss") || strings.HasPrefix(l, "AnonHuge") {
				fmt.Println(l)
			}
		}
	}
	res.Release()
}
