package suite

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"syscall"
)

// peakRSS returns the resident set's high-water mark in bytes: VmHWM of
// /proc/self/status, which resetPeakRSS can reset, or else getrusage's
// ru_maxrss (the process's whole life). 0 if neither is readable.
func peakRSS() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			line := sc.Bytes()
			if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
				f := bytes.Fields(rest) // "123456 kB"
				if len(f) == 2 {
					if kb, err := strconv.ParseInt(string(f[0]), 10, 64); err == nil {
						return kb << 10
					}
				}
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		return ru.Maxrss << 10 // kilobytes on Linux
	}
	return 0
}

// resetPeakRSS sets VmHWM to the current RSS (writing 5 to
// /proc/self/clear_refs, Linux 4.0+) and reports whether it could.
func resetPeakRSS() bool {
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}
