package progress

import (
	"bytes"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock, safe for concurrent reads.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)}
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// step updates the bar after advancing the clock and returns what it drew.
func step(b *Bar, out *bytes.Buffer, clk *fakeClock, d time.Duration, done int64) string {
	clk.advance(d)
	out.Reset()
	b.Update(done)
	return out.String()
}

func redraw(line string, prevLen int) string {
	pad := prevLen - len(line)
	if pad < 0 {
		pad = 0
	}
	return "\r" + line + strings.Repeat(" ", pad)
}

func TestBarKnownTotal(t *testing.T) {
	var out bytes.Buffer
	clk := newClock()
	b := NewBar(&out, "read", 100_000_000, clk.now)
	if out.Len() != 0 {
		t.Fatalf("NewBar drew %q", out.String())
	}
	steps := []struct {
		d    time.Duration
		done int64
		want string // "" when throttled
	}{
		{0, 0, "read  0 B / 100.0 MB  0%  -- B/s  ETA --"},
		{time.Second, 10_000_000, "read  10.0 MB / 100.0 MB  10%  10.0 MB/s  ETA 9s"},
		{100 * time.Millisecond, 11_000_000, ""}, // within the interval
		{99 * time.Millisecond, 11_500_000, ""},
		// 1.2 s in: 12 MB over 1.2 s; 88 MB left at 10 MB/s is 8.8 s, shown as 9s.
		{time.Millisecond, 12_000_000, "read  12.0 MB / 100.0 MB  12%  10.0 MB/s  ETA 9s"},
		// 7 s in: the window now starts at the 1.2 s sample: 8 MB in 5.8 s.
		{5800 * time.Millisecond, 20_000_000, "read  20.0 MB / 100.0 MB  20%  1.4 MB/s  ETA 58s"},
		// 10 s in: the 1.2 s sample is still the newest one 5 s back.
		{3 * time.Second, 100_000_000, "read  100.0 MB / 100.0 MB  100%  10.0 MB/s  ETA 0s"},
	}
	prev := 0
	for i, s := range steps {
		got := step(b, &out, clk, s.d, s.done)
		want := ""
		if s.want != "" {
			want = redraw(s.want, prev)
			prev = len(s.want)
		}
		if got != want {
			t.Errorf("step %d: got %q, want %q", i, got, want)
		}
	}
	out.Reset()
	b.Finish()
	if want := redraw("read  100.0 MB in 10.0s  10.0 MB/s", prev) + "\n"; out.String() != want {
		t.Errorf("Finish: got %q, want %q", out.String(), want)
	}
	// Once finished, the bar is silent.
	out.Reset()
	clk.advance(time.Second)
	b.Update(5)
	b.Finish()
	if out.Len() != 0 {
		t.Errorf("after Finish: drew %q", out.String())
	}
}

func TestBarETAAndOverrun(t *testing.T) {
	var out bytes.Buffer
	clk := newClock()
	b := NewBar(&out, "x", 10_000_000, clk.now)
	// 1 kB/s leaves 9 999 s: shown as hours and minutes.
	if got, want := step(b, &out, clk, time.Second, 1000), "\rx  1.0 kB / 10.0 MB  0%  1.0 kB/s  ETA 2h46m"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	prev := len(out.String()) - 1
	// 5 s in, the window still starts at NewBar: 501 kB in 5 s, and
	// 9.499 MB left takes 94.8 s.
	got := step(b, &out, clk, 4*time.Second, 501_000)
	if want := redraw("x  501.0 kB / 10.0 MB  5%  100.2 kB/s  ETA 1m35s", prev); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	prev = len(got) - 1
	// More than the total (the total was an estimate): capped at 100%. The
	// window starts at the 1 s sample: 11.999 MB in 5 s.
	got = step(b, &out, clk, time.Second, 12_000_000)
	if want := redraw("x  12.0 MB / 10.0 MB  100%  2.4 MB/s  ETA 0s", prev); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBarStalledRate(t *testing.T) {
	var out bytes.Buffer
	clk := newClock()
	b := NewBar(&out, "s", 1000, clk.now)
	step(b, &out, clk, time.Second, 500)
	// Nothing new for a long time: the rate over the window falls to zero.
	step(b, &out, clk, 10*time.Second, 500)
	got := step(b, &out, clk, 10*time.Second, 500)
	if !strings.HasPrefix(got, "\rs  500 B / 1.0 kB  50%  0 B/s  ETA --") {
		t.Errorf("got %q", got)
	}
}

func TestBarUnknownTotal(t *testing.T) {
	var out bytes.Buffer
	clk := newClock()
	b := NewBar(&out, "write out.csv", 0, clk.now)
	got := step(b, &out, clk, 2*time.Second, 5_000_000)
	if want := "\rwrite out.csv  5.0 MB  2.5 MB/s"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	got = step(b, &out, clk, 2*time.Second, 6_000_000_000)
	if want := "\rwrite out.csv  6.0 GB  1.5 GB/s"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	clk.advance(time.Minute)
	out.Reset()
	b.Finish()
	if want := "\rwrite out.csv  6.0 GB in 1m04s  93.8 MB/s\n"; out.String() != want {
		t.Errorf("Finish: got %q, want %q", out.String(), want)
	}
}

func TestBarZeroLength(t *testing.T) {
	t.Run("finish only", func(t *testing.T) {
		var out bytes.Buffer
		clk := newClock()
		b := NewBar(&out, "read empty.csv", 0, clk.now)
		clk.advance(500 * time.Millisecond)
		b.Finish()
		if want := "\rread empty.csv  0 B in 0.5s  0 B/s\n"; out.String() != want {
			t.Errorf("got %q, want %q", out.String(), want)
		}
	})
	t.Run("no time passed", func(t *testing.T) {
		var out bytes.Buffer
		clk := newClock()
		b := NewBar(&out, "r", 0, clk.now)
		b.Update(0)
		b.Finish()
		if want := "\rr  0 B  -- B/s\rr  0 B in 0.0s  -- B/s\n"; out.String() != want {
			t.Errorf("got %q, want %q", out.String(), want)
		}
	})
}

func TestBarFuncTakesReaderTotal(t *testing.T) {
	var out bytes.Buffer
	clk := newClock()
	b := NewBar(&out, "read", 0, clk.now)
	b.SetInterval(time.Second)
	f := b.Func()
	clk.advance(time.Second)
	f(250, 1000)
	first := "read  250 B / 1.0 kB  25%  250 B/s  ETA 3s"
	if want := "\r" + first; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	// Throttled at the longer interval; a zero total keeps the known one.
	out.Reset()
	clk.advance(999 * time.Millisecond)
	f(500, 0)
	if out.Len() != 0 {
		t.Errorf("throttled call drew %q", out.String())
	}
	clk.advance(time.Millisecond)
	f(600, 0)
	if want := redraw("read  600 B / 1.0 kB  60%  300 B/s  ETA 2s", len(first)); out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}

func TestBarConcurrent(t *testing.T) {
	var out bytes.Buffer
	clk := newClock()
	b := NewBar(&out, "par", 8*1000, clk.now)
	b.SetInterval(0)
	var c Counter
	f := b.Func()
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				c.Add(1)
				clk.advance(time.Millisecond)
				f(c.Done(), 8000)
			}
		}()
	}
	wg.Wait()
	b.Update(c.Done())
	b.Finish()
	if c.Done() != 8000 {
		t.Fatalf("counter: got %d, want 8000", c.Done())
	}
	s := out.String()
	if !strings.HasSuffix(s, "\n") || strings.Count(s, "\n") != 1 {
		t.Fatalf("output does not end in exactly one newline: %q", s[max(0, len(s)-80):])
	}
	last := s[strings.LastIndexByte(s, '\r')+1:]
	if want := "par  8.0 kB in 8.0s  1.0 kB/s"; strings.TrimRight(last, " \n") != want {
		t.Errorf("final line: got %q, want %q", last, want)
	}
}

func TestFormatBytes(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"},
		{999, "999 B"},
		{1000, "1.0 kB"},
		{1234, "1.2 kB"},
		{999_949, "999.9 kB"},
		{999_950, "1.0 MB"},
		{123_456_789, "123.5 MB"},
		{510_300_000, "510.3 MB"},
		{1_000_000_000, "1.0 GB"},
		{2_500_000_000_000, "2.5 TB"},
		{math.MaxInt64, "9.2 EB"},
		{-1500, "-1.5 kB"},
	} {
		if got := FormatBytes(c.n); got != c.want {
			t.Errorf("FormatBytes(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"},
		{59 * time.Second, "59s"},
		{65 * time.Second, "1m05s"},
		{3599 * time.Second, "59m59s"},
		{7380 * time.Second, "2h03m"},
	} {
		if got := formatDuration(c.d); got != c.want {
			t.Errorf("formatDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
	if got := formatElapsed(6250 * time.Millisecond); got != "6.2s" && got != "6.3s" {
		t.Errorf("formatElapsed(6.25s) = %q", got)
	}
	if got := formatElapsed(61500 * time.Millisecond); got != "1m01s" {
		t.Errorf("formatElapsed(61.5s) = %q", got)
	}
}

func TestCounterConcurrentAdd(t *testing.T) {
	var c Counter
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				c.Add(3)
			}
		}()
	}
	wg.Wait()
	if c.Done() != 24000 {
		t.Fatalf("got %d, want 24000", c.Done())
	}
}

func TestReaderWriter(t *testing.T) {
	var c Counter
	src := strings.Repeat("abcdefghij", 1000)
	var dst bytes.Buffer
	// Both sides feed one counter: 10 000 read + 10 000 written.
	n, err := io.Copy(NewWriter(&dst, &c), NewReader(strings.NewReader(src), &c))
	if err != nil || n != 10_000 {
		t.Fatalf("copy: %d, %v", n, err)
	}
	if dst.String() != src {
		t.Fatal("copy changed the bytes")
	}
	if c.Done() != 20_000 {
		t.Fatalf("counted %d, want 20000", c.Done())
	}

	var empty Counter
	if n, err := io.Copy(io.Discard, NewReader(strings.NewReader(""), &empty)); n != 0 || err != nil || empty.Done() != 0 {
		t.Fatalf("empty input: %d, %v, counted %d", n, err, empty.Done())
	}

	// A short write counts the bytes that did get written and passes the error.
	var short Counter
	boom := errors.New("disk full")
	w := NewWriter(shortWriter{limit: 4, err: boom}, &short)
	if n, err := w.Write([]byte("0123456789")); n != 4 || !errors.Is(err, boom) || short.Done() != 4 {
		t.Fatalf("short write: %d, %v, counted %d", n, err, short.Done())
	}
}

type shortWriter struct {
	limit int
	err   error
}

func (s shortWriter) Write(p []byte) (int, error) {
	if len(p) > s.limit {
		return s.limit, s.err
	}
	return len(p), nil
}

func TestIsTerminal(t *testing.T) {
	if IsTerminal(&bytes.Buffer{}) {
		t.Error("bytes.Buffer is a terminal")
	}
	var nilFile *os.File
	if IsTerminal(nilFile) {
		t.Error("nil *os.File is a terminal")
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) {
		t.Error("regular file is a terminal")
	}
	// A character device stands in for a tty.
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skip(err)
	}
	defer null.Close()
	if !IsTerminal(null) {
		t.Error("character device not reported as a terminal")
	}
}

func BenchmarkUpdateThrottled(b *testing.B) {
	bar := NewBar(io.Discard, "bench", int64(b.N)+1, time.Now)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		bar.Update(int64(i))
	}
}
