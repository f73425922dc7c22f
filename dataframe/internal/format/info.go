package format

import (
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
)

// ColumnInfo describes one column for Info.
type ColumnInfo struct {
	Name    string
	NonNull int64 // rows that are not null
	Type    arrow.DataType
}

// IndexInfo describes a labelled row index for Info.
type IndexInfo struct {
	// Ends holds, per level, the first and the last label of the index: an
	// array of two rows (one for a single-row frame, none for an empty one).
	Ends []arrow.Array
}

// pandas' display.max_info_columns and display.max_info_rows: beyond them
// info() lists no columns, or no non-null counts.
const (
	maxInfoColumns = 100
	maxInfoRows    = 1690785
)

// Info returns pandas' DataFrame.info() text for a frame of rows rows with
// the given columns and index (nil: a RangeIndex), whose memory use is
// memoryBytes. Like pandas without memory_usage="deep", it marks the size
// a lower bound ("+") when a column or index level is of object dtype.
func Info(cols []ColumnInfo, rows int64, index *IndexInfo, memoryBytes int64) string {
	lines := []string{"<class 'pandas.core.frame.DataFrame'>", indexSummary(rows, index)}
	if len(cols) == 0 {
		return strings.Join(append(lines, "Empty DataFrame\n"), "\n")
	}
	if len(cols) > maxInfoColumns {
		lines = append(lines, "Columns: "+strconv.Itoa(len(cols))+" entries, "+cols[0].Name+" to "+cols[len(cols)-1].Name)
	} else {
		lines = append(lines, "Data columns (total "+strconv.Itoa(len(cols))+" columns):")
		lines = append(lines, infoTable(cols, rows <= maxInfoRows)...)
	}
	counts := map[string]int{}
	for _, c := range cols {
		counts[Dtype(c.Type)]++
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		names[i] = n + "(" + strconv.Itoa(counts[n]) + ")"
	}
	lines = append(lines, "dtypes: "+strings.Join(names, ", "))
	qualifier := ""
	if counts["object"] > 0 || (index != nil && slices.ContainsFunc(index.Ends, func(a arrow.Array) bool { return object(a.DataType()) })) {
		qualifier = "+"
	}
	lines = append(lines, "memory usage: "+sizeOf(float64(memoryBytes), qualifier)+"\n")
	return strings.Join(lines, "\n")
}

// infoTable is the verbose column table: " #", Column, Non-Null Count (when
// counts) and Dtype, each as wide as its widest cell, two spaces apart.
func infoTable(cols []ColumnInfo, counts bool) []string {
	headers := []string{" # ", "Column", "Non-Null Count", "Dtype"}
	if !counts {
		headers = []string{" # ", "Column", "Dtype"}
	}
	rows := make([][]string, len(cols))
	for i, c := range cols {
		row := []string{" " + strconv.Itoa(i), c.Name}
		if counts {
			row = append(row, strconv.FormatInt(c.NonNull, 10)+" non-null")
		}
		rows[i] = append(row, Dtype(c.Type))
	}
	widths := make([]int, len(headers))
	for j, h := range headers {
		widths[j] = width(h)
		for _, r := range rows {
			widths[j] = max(widths[j], width(r[j]))
		}
	}
	line := func(cells []string) string {
		return strings.Join(justifyEach(cells, widths), "  ")
	}
	out := []string{line(headers)}
	sep := make([]string, len(headers))
	for j, h := range headers {
		sep[j] = strings.Repeat("-", width(h))
	}
	out = append(out, line(sep))
	for _, r := range rows {
		out = append(out, line(r))
	}
	return out
}

func justifyEach(cells []string, widths []int) []string {
	out := make([]string, len(cells))
	for j, c := range cells {
		out[j] = justify([]string{c}, widths[j], alignLeft)[0]
	}
	return out
}

// indexSummary is pandas' Index._summary: the index class, the entries and
// the first and last labels.
func indexSummary(rows int64, index *IndexInfo) string {
	if index == nil || len(index.Ends) == 0 {
		s := "RangeIndex: " + strconv.FormatInt(rows, 10) + " entries"
		if rows > 0 {
			s += ", 0 to " + strconv.FormatInt(rows-1, 10)
		}
		return s
	}
	kind := "MultiIndex"
	if len(index.Ends) == 1 {
		kind = indexClass(index.Ends[0].DataType())
	}
	s := kind + ": " + strconv.FormatInt(rows, 10) + " entries"
	if rows == 0 || index.Ends[0].Len() == 0 {
		return s
	}
	first, last := make([]string, len(index.Ends)), make([]string, len(index.Ends))
	for l, a := range index.Ends {
		labels := formatValues([]arrow.Array{a}, false)
		if len(index.Ends) > 1 && a.DataType().ID() != arrow.DICTIONARY && object(a.DataType()) {
			for i, v := range labels {
				labels[i] = "'" + v + "'" // a tuple shows its strings' repr
			}
		}
		first[l], last[l] = labels[0], labels[len(labels)-1]
	}
	if len(index.Ends) == 1 {
		return s + ", " + first[0] + " to " + last[0]
	}
	return s + ", (" + strings.Join(first, ", ") + ") to (" + strings.Join(last, ", ") + ")"
}

// indexClass is the pandas 1.5 class of a one-level index of type t.
func indexClass(t arrow.DataType) string {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		return "Int64Index"
	case arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return "UInt64Index"
	case arrow.FLOAT16, arrow.FLOAT32, arrow.FLOAT64:
		return "Float64Index"
	case arrow.TIMESTAMP:
		return "DatetimeIndex"
	case arrow.DURATION:
		return "TimedeltaIndex"
	case arrow.DICTIONARY:
		return "CategoricalIndex"
	}
	return "Index"
}

// sizeOf is pandas' _sizeof_fmt: one decimal in the largest unit below 1024.
func sizeOf(num float64, qualifier string) string {
	for _, unit := range []string{"bytes", "KB", "MB", "GB", "TB"} {
		if num < 1024 {
			return strconv.FormatFloat(num, 'f', 1, 64) + qualifier + " " + unit
		}
		num /= 1024
	}
	return strconv.FormatFloat(num, 'f', 1, 64) + qualifier + " PB"
}
