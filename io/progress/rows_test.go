package progress

import (
	"bytes"
	"testing"
	"time"
)

func TestFormatRows(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 rows", 1: "1 row", 999: "999 rows", 1000: "1.0k rows", 999_949: "999.9k rows",
		999_950: "1.0M rows", 123_456_789: "123.5M rows", 2_000_000_000: "2.0G rows", -5: "-5 rows",
	} {
		if got := FormatRows(n); got != want {
			t.Errorf("FormatRows(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestBarRows draws a rows bar with its total set through Func, as the
// writers' callbacks set it.
func TestBarRows(t *testing.T) {
	var out bytes.Buffer
	clk := newClock()
	b := NewBar(&out, "write x.parquet", 0, clk.now)
	b.SetUnit(Rows)
	f := b.Func()
	clk.advance(time.Second)
	f(0, 10_000_000)
	if want := redraw("write x.parquet  0 rows / 10.0M rows  0%  0 rows/s  ETA --", 0); out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	prev := out.Len() - 1
	out.Reset()
	clk.advance(time.Second)
	f(1_200_000, 10_000_000)
	want := "write x.parquet  1.2M rows / 10.0M rows  12%  600.0k rows/s  ETA 15s"
	if got := out.String(); got != redraw(want, prev) {
		t.Errorf("got %q, want %q", got, redraw(want, prev))
	}
	prev = len(want)
	out.Reset()
	clk.advance(2 * time.Second)
	f(10_000_000, 10_000_000)
	want = "write x.parquet  10.0M rows / 10.0M rows  100%  2.5M rows/s  ETA 0s"
	if got := out.String(); got != redraw(want, prev) {
		t.Errorf("got %q, want %q", got, redraw(want, prev))
	}
	prev = len(want)
	out.Reset()
	b.Finish()
	if want := redraw("write x.parquet  10.0M rows in 4.0s  2.5M rows/s", prev) + "\n"; out.String() != want {
		t.Errorf("Finish: got %q, want %q", out.String(), want)
	}
}
