//go:build !linux

package suite

// peakRSS is not measured off Linux.
func peakRSS() int64 { return 0 }

func resetPeakRSS() bool { return false }
