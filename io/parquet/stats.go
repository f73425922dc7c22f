package parquet

import (
	"math"
	"time"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/parquet/metadata"
)

// ColumnStats are one column chunk's statistics as the footer gives them.
//
// Min and Max hold, by the column's Arrow type: int64 for signed and
// unsigned integers (an unsigned 64-bit maximum above math.MaxInt64 makes
// HasMinMax false), float64 for floats, string for strings and binaries,
// bool for booleans, and time.Time (UTC) for timestamps and dates. They are
// nil when HasMinMax is false. Nulls is the null count, meaningful only
// when HasNulls reports that the writer recorded it.
type ColumnStats struct {
	HasMinMax bool
	Min, Max  any
	Nulls     int64
	HasNulls  bool
}

// rowGroupStats returns the statistics of the single-leaf fields of the
// row group, by field name. A column whose chunk has no usable statistics
// (none written, or written by a version known to get them wrong) is left
// out.
func (s *source) rowGroupStats(rg *metadata.RowGroupMetaData) map[string]ColumnStats {
	out := make(map[string]ColumnStats, len(s.leaves))
	for i, leaves := range s.leaves {
		if len(leaves) != 1 {
			continue
		}
		cc, err := rg.ColumnChunk(leaves[0])
		if err != nil {
			continue
		}
		st, err := cc.Statistics()
		if err != nil || st == nil {
			continue
		}
		fld := s.stored.Field(i)
		cs := ColumnStats{HasNulls: st.HasNullCount()}
		if cs.HasNulls {
			cs.Nulls = st.NullCount()
		}
		if st.HasMinMax() {
			cs.Min, cs.Max, cs.HasMinMax = minMax(st, fld.Type)
		}
		out[fld.Name] = cs
	}
	return out
}

// minMax converts the physical min and max to the Go value of the Arrow
// type; ok is false for types ColumnStats does not describe.
func minMax(st metadata.TypedStatistics, dt arrow.DataType) (lo, hi any, ok bool) {
	if d, isDict := dt.(*arrow.DictionaryType); isDict {
		dt = d.ValueType
	}
	switch st := st.(type) {
	case *metadata.BooleanStatistics:
		return st.Min(), st.Max(), true
	case *metadata.Int32Statistics:
		a, b := st.Min(), st.Max()
		switch dt.ID() {
		case arrow.DATE32:
			return dayTime(int64(a)), dayTime(int64(b)), true
		case arrow.UINT8, arrow.UINT16, arrow.UINT32:
			return int64(uint32(a)), int64(uint32(b)), true
		}
		return int64(a), int64(b), true
	case *metadata.Int64Statistics:
		a, b := st.Min(), st.Max()
		switch dt := dt.(type) {
		case *arrow.TimestampType:
			return unitTime(a, dt.Unit), unitTime(b, dt.Unit), true
		case *arrow.Date64Type:
			return time.UnixMilli(a).UTC(), time.UnixMilli(b).UTC(), true
		case *arrow.Uint64Type:
			if uint64(b) > math.MaxInt64 {
				return nil, nil, false
			}
		}
		return a, b, true
	case *metadata.Float32Statistics:
		return float64(st.Min()), float64(st.Max()), true
	case *metadata.Float64Statistics:
		return st.Min(), st.Max(), true
	case *metadata.ByteArrayStatistics:
		return string(st.Min()), string(st.Max()), true
	}
	return nil, nil, false
}

func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }

func unitTime(v int64, u arrow.TimeUnit) time.Time {
	switch u {
	case arrow.Second:
		return time.Unix(v, 0).UTC()
	case arrow.Millisecond:
		return time.UnixMilli(v).UTC()
	case arrow.Microsecond:
		return time.UnixMicro(v).UTC()
	}
	return time.Unix(0, v).UTC()
}
