package progress

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// DefaultInterval is the shortest time between two redraws of a Bar.
	DefaultInterval = 200 * time.Millisecond
	// RateWindow is how far back a Bar looks to measure the current rate.
	RateWindow = 5 * time.Second
)

// Bar draws one line on a terminal:
//
//	label  123.4 MB / 510.3 MB  24%  85.2 MB/s  ETA 4s
//
// or, counting rows (SetUnit(Rows)),
//
//	label  1.2M rows / 10.0M rows  12%  350.0k rows/s  ETA 25s
//
// redrawn in place with \r at most once per interval (DefaultInterval). A
// total of 0 means unknown: the line then has no total, percentage or ETA.
// Finish ends the line with the total bytes, elapsed time and average rate.
//
// A Bar is safe for concurrent use; readers call its Func from worker
// goroutines.
type Bar struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	total    int64
	now      func() time.Time
	interval time.Duration
	unit     Unit

	start    time.Time
	done     int64
	drawn    bool      // a line has been drawn
	lastDraw time.Time // when it was
	width    int       // its length, to blank leftovers of a longer line
	samples  []sample  // (time, done) at draws, oldest first, for the rate
	finished bool
}

type sample struct {
	t    time.Time
	done int64
}

// NewBar returns a Bar drawing to w (usually os.Stderr) for total bytes (0:
// unknown). now is the clock, time.Now outside tests; the bar's elapsed
// time starts at this call. Nothing is drawn until the first Update.
func NewBar(w io.Writer, label string, total int64, now func() time.Time) *Bar {
	if now == nil {
		now = time.Now
	}
	start := now()
	return &Bar{
		w: w, label: label, total: total, now: now, interval: DefaultInterval,
		start: start, samples: []sample{{start, 0}},
	}
}

// Unit is what a Bar counts.
type Unit uint8

const (
	// Bytes are drawn in decimal sizes: "123.4 MB", "10.0 MB/s".
	Bytes Unit = iota
	// Rows are drawn with decimal multipliers: "1.2M rows", "350.0k rows/s".
	// Writers that know the rows to write but not the bytes they will
	// produce (Parquet, JSON lines, Arrow IPC) report rows.
	Rows
)

func (u Unit) format(n int64) string {
	if u == Rows {
		return FormatRows(n)
	}
	return FormatBytes(n)
}

// SetUnit changes what the bar's numbers count (Bytes until then).
func (b *Bar) SetUnit(u Unit) {
	b.mu.Lock()
	b.unit = u
	b.mu.Unlock()
}

// SetInterval changes the shortest time between redraws (DefaultInterval
// until then).
func (b *Bar) SetInterval(d time.Duration) {
	b.mu.Lock()
	b.interval = d
	b.mu.Unlock()
}

// Update records that done bytes are finished and redraws the line if the
// interval has passed since the last draw (the first Update always draws).
// It is cheap when it does not draw: a lock and a clock read. Calls after
// Finish are ignored.
func (b *Bar) Update(done int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.done = done
	now := b.now()
	if b.drawn && now.Sub(b.lastDraw) < b.interval {
		return
	}
	b.sample(now)
	b.draw(now, b.line(now))
}

// Func returns a callback of the shape readers take (Options.Progress): it
// calls Update(done) and, when the reader knows a total (> 0), makes it the
// bar's total, since the reader's count (say, projected column bytes) may
// differ from the size the bar was created with.
func (b *Bar) Func() func(done, total int64) {
	return func(done, total int64) {
		if total > 0 {
			b.mu.Lock()
			b.total = total
			b.mu.Unlock()
		}
		b.Update(done)
	}
}

// Finish draws the final line and ends it with a newline:
//
//	label  510.3 MB in 6.2s  82.3 MB/s
//
// with the bytes of the last Update, the time since NewBar and the average
// rate over it. Later calls do nothing.
func (b *Bar) Finish() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.finished {
		return
	}
	b.finished = true
	now := b.now()
	elapsed := now.Sub(b.start)
	var sb strings.Builder
	sb.WriteString(b.label)
	sb.WriteString("  ")
	sb.WriteString(b.unit.format(b.done))
	sb.WriteString(" in ")
	sb.WriteString(formatElapsed(elapsed))
	sb.WriteString("  ")
	sb.WriteString(formatRate(b.unit, b.done, elapsed))
	b.draw(now, sb.String())
	io.WriteString(b.w, "\n")
}

// sample records (now, done) for the rate and drops samples that the
// window no longer needs: it keeps the newest one at or before
// now-RateWindow as the base.
func (b *Bar) sample(now time.Time) {
	b.samples = append(b.samples, sample{now, b.done})
	cut := now.Add(-RateWindow)
	i := 0
	for i+1 < len(b.samples)-1 && !b.samples[i+1].t.After(cut) {
		i++
	}
	if i > 0 {
		b.samples = append(b.samples[:0], b.samples[i:]...)
	}
}

// line renders the in-progress line.
func (b *Bar) line(now time.Time) string {
	base := b.samples[0]
	window := now.Sub(base.t)
	var sb strings.Builder
	sb.WriteString(b.label)
	sb.WriteString("  ")
	sb.WriteString(b.unit.format(b.done))
	if b.total > 0 {
		sb.WriteString(" / ")
		sb.WriteString(b.unit.format(b.total))
		pct := b.done * 100 / b.total
		if b.done > b.total {
			pct = 100
		}
		sb.WriteString("  ")
		sb.WriteString(strconv.FormatInt(pct, 10))
		sb.WriteString("%")
	}
	sb.WriteString("  ")
	sb.WriteString(formatRate(b.unit, b.done-base.done, window))
	if b.total > 0 {
		sb.WriteString("  ETA ")
		sb.WriteString(eta(b.total-b.done, b.done-base.done, window))
	}
	return sb.String()
}

// draw writes line over the previous one; write errors are ignored, since
// a broken terminal must not fail the read being reported on.
func (b *Bar) draw(now time.Time, line string) {
	pad := b.width - len(line)
	if pad < 0 {
		pad = 0
	}
	fmt.Fprintf(b.w, "\r%s%s", line, strings.Repeat(" ", pad))
	b.width = len(line)
	b.drawn = true
	b.lastDraw = now
}

var units = []string{"B", "kB", "MB", "GB", "TB", "PB", "EB"}

// FormatBytes renders n bytes in decimal units: "512 B", "1.0 kB",
// "123.4 MB".
func FormatBytes(n int64) string {
	if n < 1000 && n > -1000 {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, u := float64(n), 0
	// 999.95 would round up to "1000.0": move to the next unit instead.
	for math.Abs(v) >= 999.95 && u < len(units)-1 {
		v /= 1000
		u++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[u]
}

// FormatRows renders n rows with decimal multipliers: "1 row", "512 rows",
// "1.0k rows", "123.5M rows".
func FormatRows(n int64) string {
	switch {
	case n == 1:
		return "1 row"
	case n < 1000 && n > -1000:
		return strconv.FormatInt(n, 10) + " rows"
	}
	v, u := float64(n), 0
	for math.Abs(v) >= 999.95 && u < len(rowUnits)-1 { // as in FormatBytes
		v /= 1000
		u++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + rowUnits[u] + " rows"
}

var rowUnits = []string{"", "k", "M", "G", "T", "P", "E"}

// formatRate renders n units over d as a rate, "-- B/s" ("-- rows/s")
// when d is zero.
func formatRate(u Unit, n int64, d time.Duration) string {
	if d <= 0 {
		if u == Rows {
			return "-- rows/s"
		}
		return "-- B/s"
	}
	return u.format(int64(math.Round(float64(n)/d.Seconds()))) + "/s"
}

// eta renders the time left for remaining units at windowBytes per window,
// rounded up to whole seconds; "--" when the rate is unknown or zero.
func eta(remaining, windowBytes int64, window time.Duration) string {
	if remaining <= 0 {
		return "0s"
	}
	if windowBytes <= 0 || window <= 0 {
		return "--"
	}
	secs := math.Ceil(float64(remaining) * window.Seconds() / float64(windowBytes))
	if secs > 100*3600 {
		return "--"
	}
	return formatDuration(time.Duration(secs) * time.Second)
}

// formatDuration renders whole seconds: "4s", "1m05s", "2h03m".
func formatDuration(d time.Duration) string {
	s := int64(d / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	default:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	}
}

// formatElapsed renders elapsed time with tenths under a minute ("6.2s"),
// whole seconds above ("1m05s").
func formatElapsed(d time.Duration) string {
	if d < time.Minute {
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + "s"
	}
	return formatDuration(d)
}

// IsTerminal reports whether w is a terminal: an *os.File whose mode is a
// character device. (/dev/null is one too; drawing to it is harmless.)
// The CLI draws bars only when IsTerminal(os.Stderr).
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
