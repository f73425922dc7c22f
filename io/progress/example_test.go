package progress_test

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/shoaldata/shoal/io/progress"
)

func ExampleBar() {
	// A fake clock that moves one second per reading keeps the output fixed.
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { t = t.Add(time.Second); return t }

	var out strings.Builder
	bar := progress.NewBar(&out, "read data.csv", 4_000_000, now)
	var c progress.Counter
	r := progress.NewReader(strings.NewReader(strings.Repeat("x", 4_000_000)), &c)
	buf := make([]byte, 1_000_000)
	for {
		_, err := io.ReadFull(r, buf)
		if err != nil {
			break
		}
		bar.Update(c.Done())
	}
	bar.Finish()
	for _, line := range strings.Split(out.String(), "\r")[1:] {
		fmt.Printf("%q\n", line)
	}
	// Output:
	// "read data.csv  1.0 MB / 4.0 MB  25%  1.0 MB/s  ETA 3s"
	// "read data.csv  2.0 MB / 4.0 MB  50%  1.0 MB/s  ETA 2s"
	// "read data.csv  3.0 MB / 4.0 MB  75%  1.0 MB/s  ETA 1s"
	// "read data.csv  4.0 MB / 4.0 MB  100%  1.0 MB/s  ETA 0s"
	// "read data.csv  4.0 MB in 5.0s  800.0 kB/s             \n"
}

func ExampleFormatBytes() {
	fmt.Println(progress.FormatBytes(512), progress.FormatBytes(123_456_789))
	// Output: 512 B 123.5 MB
}
