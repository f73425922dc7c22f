package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/shoaldata/shoal/dataframe"
	"github.com/shoaldata/shoal/io/csv"
	"github.com/shoaldata/shoal/io/ipc"
	"github.com/shoaldata/shoal/io/jsonl"
	"github.com/shoaldata/shoal/io/parquet"
	"github.com/shoaldata/shoal/io/progress"
)

var convertCommand = command{
	usage:   "convert [--progress auto|always|never] [--category a,b] IN OUT",
	summary: "convert between CSV (.csv, .csv.gz, .csv.zst), Parquet, JSON lines and Arrow IPC files",
	run:     runConvert,
}

// format names a file's format by its extension.
func format(path string) (string, error) {
	p := strings.ToLower(path)
	for _, f := range []struct{ ext, name string }{
		{".csv", "csv"}, {".csv.gz", "csv"}, {".csv.zst", "csv"}, {".tsv", "csv"},
		{".parquet", "parquet"}, {".pq", "parquet"},
		{".jsonl", "jsonl"}, {".ndjson", "jsonl"}, {".json", "jsonl"},
		{".arrow", "ipc"}, {".feather", "ipc"}, {".ipc", "ipc"},
	} {
		if strings.HasSuffix(p, f.ext) {
			return f.name, nil
		}
	}
	return "", fmt.Errorf("cannot tell the format of %q from its extension (want .csv[.gz|.zst], .parquet, .jsonl, .arrow/.feather)", path)
}

func runConvert(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("shoal convert", flag.ContinueOnError)
	fs.SetOutput(stderr)
	bar := fs.String("progress", "auto", "progress bar on stderr: auto (when stderr is a terminal), always, never")
	category := fs.String("category", "", "comma-separated CSV columns to read as categories")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: shoal convert [flags] IN OUT")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Reads IN in parallel and writes OUT (through a temporary name); formats by extension.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitUsage
	}
	in, out := fs.Arg(0), fs.Arg(1)
	inFormat, err := format(in)
	if err == nil {
		_, err = format(out)
	}
	if err != nil {
		fmt.Fprintf(stderr, "shoal convert: %v\n", err)
		return exitUsage
	}
	show := *bar == "always" || (*bar == "auto" && progress.IsTerminal(stderr))
	var total int64
	if st, err := os.Stat(in); err == nil {
		total = st.Size()
	}
	var b *progress.Bar
	var onProgress func(done, total int64)
	if show {
		b = progress.NewBar(stderr, "read "+in, total, time.Now)
		onProgress = b.Func()
	}
	start := time.Now()
	var df *dataframe.DataFrame
	switch inFormat {
	case "csv":
		opt := csv.DefaultOptions()
		opt.Progress = onProgress
		if strings.HasSuffix(strings.ToLower(in), ".tsv") {
			opt.Delimiter = '\t'
		}
		if *category != "" {
			opt.Categorical = strings.Split(*category, ",")
		}
		df, err = dataframe.ReadCSV(ctx, in, opt)
	case "parquet":
		df, err = dataframe.ReadParquet(ctx, in, parquet.Options{Progress: onProgress})
	case "jsonl":
		df, err = dataframe.ReadJSON(ctx, in, jsonl.Options{Progress: onProgress})
	case "ipc":
		df, err = dataframe.ReadIPC(ctx, in, ipc.Options{Progress: onProgress})
	}
	if b != nil {
		b.Finish()
	}
	if err != nil {
		fmt.Fprintf(stderr, "shoal convert: %v\n", err)
		return exitError
	}
	read := time.Since(start)
	start = time.Now()
	// Every writer reports progress: CSV its bytes (the total estimated
	// from the rows written), the others their rows, since their output
	// size is known only once written.
	var wb *progress.Bar
	var onWrite func(done, total int64)
	outFormat, _ := format(out)
	if show {
		wb = progress.NewBar(stderr, "write "+out, 0, time.Now)
		if outFormat != "csv" {
			wb.SetUnit(progress.Rows)
		}
		onWrite = wb.Func()
	}
	switch outFormat {
	case "csv":
		wo := csv.WriteOptions{Delimiter: ',', Header: true, Progress: onWrite}
		if strings.HasSuffix(strings.ToLower(out), ".gz") {
			wo.Compression = "gzip"
		} else if strings.HasSuffix(strings.ToLower(out), ".zst") {
			wo.Compression = "zstd"
		}
		err = df.ToCSV(ctx, out, wo)
	case "parquet":
		err = df.ToParquet(ctx, out, parquet.WriteOptions{Progress: onWrite})
	case "jsonl":
		err = df.ToJSON(ctx, out, jsonl.WriteOptions{Progress: onWrite})
	case "ipc":
		err = df.ToIPC(ctx, out, ipc.WriteOptions{Progress: onWrite})
	}
	if wb != nil {
		wb.Finish()
	}
	if err != nil {
		fmt.Fprintf(stderr, "shoal convert: %v\n", err)
		return exitError
	}
	rows, cols, err := df.Shape(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "shoal convert: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%s -> %s: %d rows x %d columns, read %v, written %v\n", in, out, rows, cols, read.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	return exitOK
}
