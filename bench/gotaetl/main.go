// Command gotaetl runs one gota-style ETL program (ReadCSV, Filter,
// Mutate, GroupBy/Aggregation, LeftJoin, Arrange, WriteCSV) on an H2O
// groupby table, against gota itself (-impl gota) or Shoal's drop-in
// packages (-impl shoal), and prints its wall time and the process's peak
// resident memory. The two implementations are the same source with
// different imports (internal/etlgota, internal/etlshoal).
//
//	go run ./bench/gotaetl -rows 1e6 -impl gota
//	go run ./bench/gotaetl -rows 1e6 -impl shoal
//
// The input, G1_{rows}_1e2_0_0 of seed -seed, is written to -data (default
// in the temporary directory) by a child process when missing, so the
// measured process never holds the generator's memory. Run each
// implementation as its own process to compare peak memory.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v15/arrow/memory"
	"github.com/shoaldata/shoal/bench/gotaetl/internal/etlgota"
	"github.com/shoaldata/shoal/bench/gotaetl/internal/etlshoal"
	"github.com/shoaldata/shoal/bench/h2o"
)

func main() {
	rowsFlag := flag.String("rows", "1e6", "rows of the input table (1e6 or 1000000)")
	impl := flag.String("impl", "shoal", "gota or shoal")
	seed := flag.Uint64("seed", 1, "generator seed")
	data := flag.String("data", "", "input CSV (default: gotaetl_G1_{rows}_seed{seed}.csv in the temporary directory)")
	out := flag.String("out", "", "result CSV (default: discarded)")
	genOnly := flag.Bool("gen-only", false, "write the input and exit")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the ETL here")
	memprofile := flag.String("memprofile", "", "write an allocation profile of the ETL here")
	flag.Parse()
	if *cpuprofile != "" {
		pf, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(pf)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "gotaetl:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *memprofile != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			runtime.GC() // the profile reports allocations as of the last collection
			if f, err := os.Create(*memprofile); err == nil {
				pprof.Lookup("allocs").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	if err := run(*rowsFlag, *impl, *seed, *data, *out, *genOnly); err != nil {
		fmt.Fprintln(os.Stderr, "gotaetl:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(rowsFlag, impl string, seed uint64, data, out string, genOnly bool) error {
	f, err := strconv.ParseFloat(rowsFlag, 64)
	if err != nil || f < 1 || f > 1e9 {
		return fmt.Errorf("-rows %q: want a count such as 1e6", rowsFlag)
	}
	rows := int(f)
	if data == "" {
		data = filepath.Join(os.TempDir(), fmt.Sprintf("gotaetl_G1_%d_seed%d.csv", rows, seed))
	}
	if genOnly {
		return generate(data, rows, seed)
	}
	if _, err := os.Stat(data); os.IsNotExist(err) {
		// A child writes the file, so this process's peak RSS is the ETL's.
		cmd := exec.Command(os.Args[0], "-gen-only", "-rows", strconv.Itoa(rows), "-seed", strconv.FormatUint(seed, 10), "-data", data)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("generating %s: %w", data, err)
		}
	}
	var etl func(io.Reader, io.Writer) (stats, error)
	switch impl {
	case "gota":
		etl = func(r io.Reader, w io.Writer) (stats, error) { s, err := etlgota.Run(r, w); return stats(s), err }
	case "shoal":
		etl = func(r io.Reader, w io.Writer) (stats, error) { s, err := etlshoal.Run(r, w); return stats(s), err }
	default:
		return fmt.Errorf("-impl %q: want gota or shoal", impl)
	}
	in, err := os.Open(data)
	if err != nil {
		return err
	}
	defer in.Close()
	var w io.Writer = io.Discard
	if out != "" {
		of, err := os.Create(out)
		if err != nil {
			return err
		}
		defer of.Close()
		w = of
	}
	start := time.Now()
	st, err := etl(in, w)
	wall := time.Since(start)
	if err != nil {
		return fmt.Errorf("%s: %w", impl, err)
	}
	rss, err := peakRSS()
	if err != nil {
		return err
	}
	fmt.Printf("impl=%s rows=%d wall=%.3fs peak_rss=%.1fMiB gomaxprocs=%d read=%d filtered=%d groups=%d joined=%d\n",
		impl, rows, wall.Seconds(), float64(rss)/(1<<20), runtime.GOMAXPROCS(0), st.Read, st.Filtered, st.Groups, st.Joined)
	return nil
}

type stats = etlgota.Stats

func generate(path string, rows int, seed uint64) error {
	rec, err := h2o.GroupBy(rows, 100, 0, false, seed, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	defer rec.Release()
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := h2o.WriteCSV(f, rec); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "gotaetl: wrote %s\n", path)
	return os.Rename(tmp, path)
}

// peakRSS is the process's peak resident set size (VmHWM), in bytes.
func peakRSS() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, fmt.Errorf("peak RSS: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0, fmt.Errorf("peak RSS: %q: %w", rest, err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("peak RSS: no VmHWM in /proc/self/status")
}
