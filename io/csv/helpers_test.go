package csv

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// cell formats one value for dumps.
func cell(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "<null>"
	}
	switch a := a.(type) {
	case *array.Int64:
		return strconv.FormatInt(a.Value(i), 10)
	case *array.Int32:
		return strconv.FormatInt(int64(a.Value(i)), 10)
	case *array.Float64:
		return strconv.FormatFloat(a.Value(i), 'g', -1, 64)
	case *array.Float32:
		return strconv.FormatFloat(float64(a.Value(i)), 'g', -1, 32)
	case *array.Boolean:
		return strconv.FormatBool(a.Value(i))
	case *array.String:
		return strconv.Quote(a.Value(i))
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Timestamp:
		return a.Value(i).ToTime(arrow.Nanosecond).Format("2006-01-02T15:04:05.999999999")
	case *array.Dictionary:
		return "cat:" + cell(a.Dictionary(), a.GetValueIndex(i))
	}
	return fmt.Sprintf("?%T", a)
}

// dump renders a result as "name:type|..." then one line per row.
func dump(res *Result) string {
	var sb strings.Builder
	for i, f := range res.Schema.Fields() {
		if i > 0 {
			sb.WriteByte('|')
		}
		sb.WriteString(f.Name + ":" + f.Type.String())
	}
	sb.WriteByte('\n')
	for _, rec := range res.Records {
		for r := 0; r < int(rec.NumRows()); r++ {
			for c := 0; c < int(rec.NumCols()); c++ {
				if c > 0 {
					sb.WriteByte('|')
				}
				sb.WriteString(cell(rec.Column(c), r))
			}
			sb.WriteByte('\n')
		}
	}
	return sb.String()
}

// readString reads data with opt (Mem set to a checked allocator) and
// returns the dump; the allocator is checked at the end of the test.
func readString(t *testing.T, data string, opt Options) (string, *Result) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	opt.Mem = mem
	res, err := Read(context.Background(), strings.NewReader(data), "data.csv", opt)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	t.Cleanup(res.Release)
	return dump(res), res
}

func readErr(t *testing.T, data string, opt Options) error {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt.Mem = mem
	res, err := Read(context.Background(), strings.NewReader(data), "data.csv", opt)
	if err == nil {
		res.Release()
		t.Fatalf("Read succeeded, want an error")
	}
	return err
}

func rows(res *Result) int64 {
	var n int64
	for _, r := range res.Records {
		n += r.NumRows()
	}
	return n
}
