package partition

import (
	"fmt"
	goruntime "runtime"

	"github.com/apache/arrow/go/v15/arrow"
)

// Frame is a table held as row partitions, each with every column of
// Schema, in row order.
type Frame struct {
	Schema *arrow.Schema
	Blocks []Block
}

// Sizing decides how many partitions a frame gets: enough that each holds
// about TargetBytes, never more than MaxPerCore per core (more tasks than
// that only add scheduling), never fewer than one.
type Sizing struct {
	TargetBytes int64 // default 32 MiB
	MaxPerCore  int   // default 4
	Cores       int   // default GOMAXPROCS
	// WideColumns is the column count above which a frame is also split by
	// columns (see Grid), into groups of at most GroupColumns columns.
	// Defaults 1024 and 256: ordinary frames stay row partitions holding
	// every column.
	WideColumns, GroupColumns int
}

// DefaultSizing is what the engine uses unless a test or a plan says
// otherwise.
var DefaultSizing = Sizing{TargetBytes: 32 << 20, MaxPerCore: 4, WideColumns: 1024, GroupColumns: 256}

// Count returns the number of partitions for a frame of totalBytes.
func (s Sizing) Count(totalBytes int64) int {
	target, perCore, cores := s.TargetBytes, s.MaxPerCore, s.Cores
	if target <= 0 {
		target = DefaultSizing.TargetBytes
	}
	if perCore <= 0 {
		perCore = DefaultSizing.MaxPerCore
	}
	if cores <= 0 {
		cores = goruntime.GOMAXPROCS(0)
	}
	n := int((totalBytes + target - 1) / target)
	return min(max(n, 1), perCore*cores)
}

// ColumnGroups returns the column groups of a frame of n columns: one
// group of all of them unless n exceeds WideColumns, else consecutive
// groups of at most GroupColumns.
func (s Sizing) ColumnGroups(n int) [][]int {
	wide, per := s.WideColumns, s.GroupColumns
	if wide <= 0 {
		wide = DefaultSizing.WideColumns
	}
	if per <= 0 {
		per = DefaultSizing.GroupColumns
	}
	if n <= wide {
		per = max(n, 1)
	}
	var out [][]int
	for lo := 0; lo < n; lo += per {
		g := make([]int, 0, min(per, n-lo))
		for c := lo; c < min(lo+per, n); c++ {
			g = append(g, c)
		}
		out = append(out, g)
	}
	if out == nil {
		out = [][]int{{}}
	}
	return out
}

func (s Sizing) String() string {
	return fmt.Sprintf("{target %d bytes, at most %d per core}", s.TargetBytes, s.MaxPerCore)
}
