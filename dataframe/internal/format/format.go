package format

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
)

// Options are pandas' display options that shape a repr.
type Options struct {
	// MaxRows is display.max_rows: a frame with more rows is truncated to
	// MinRows rows, half from each end. 0 never truncates.
	MaxRows int
	// MinRows is display.min_rows, the rows a truncated frame shows; 0
	// means MaxRows. Fewer than 2 shows 2.
	MinRows int
	// MaxColumns is display.max_columns: a frame with more columns shows
	// MaxColumns/2 from each end around a "..." column. 0 never truncates.
	MaxColumns int
	// MaxColWidth is display.max_colwidth: longer values are cut to this
	// many characters ending in "...". 0 never cuts.
	MaxColWidth int
	// Width is display.width: a frame wider than this is printed in blocks
	// of columns, lines ending in "\" when a block follows. 0 never wraps.
	Width int
}

// DefaultOptions returns pandas' defaults: max_rows 60, min_rows 10,
// max_columns 20, max_colwidth 50, width 80.
func DefaultOptions() Options {
	return Options{MaxRows: 60, MinRows: 10, MaxColumns: 20, MaxColWidth: 50, Width: 80}
}

// Index holds the labels of a labelled row index (SetIndex, group-by keys),
// one array per level, for the same rows as the Table's Head and Tail.
type Index struct {
	// Names are the level names; "" is an unnamed level. When any is
	// non-empty, pandas prints them on a line of their own under the
	// header.
	Names []string
	// Head and Tail hold one array per level; Tail is nil unless the table
	// is truncated.
	Head, Tail []arrow.Array
}

// Table is what Frame and Series print: the shown rows of a frame, fetched
// by the caller as Rows and Cols say, and its shape.
type Table struct {
	// Columns names every column of the frame, shown or not.
	Columns []string
	// Head holds, per column, the first rows: all of them when the frame is
	// not truncated. A column that Cols hides may be nil.
	Head []arrow.Array
	// Tail holds, per column, the last rows of a truncated frame; nil
	// otherwise. A column that Cols hides may be nil.
	Tail []arrow.Array
	// Index labels the rows; nil is a RangeIndex, whose labels are row
	// positions computed from TotalRows.
	Index *Index
	// TotalRows is the frame's row count.
	TotalRows int64
}

// Rows returns how many rows from the start and from the end of a frame of
// totalRows rows the caller must fetch for Frame or Series: every row and
// no tail when the frame is not truncated.
func Rows(totalRows int64, opt Options) (head, tail int64) {
	if opt.MaxRows <= 0 || totalRows <= int64(opt.MaxRows) {
		return totalRows, 0
	}
	shown := opt.MaxRows
	if opt.MinRows > 0 {
		shown = min(opt.MinRows, opt.MaxRows)
	}
	half := int64(max(shown/2, 1))
	return half, half
}

// Cols returns how many columns from the start and from the end of a frame
// of n columns Frame prints: every column and none from the end when the
// frame is not truncated.
func Cols(n int, opt Options) (left, right int) {
	if opt.MaxColumns <= 0 || n <= opt.MaxColumns {
		return n, 0
	}
	half := max(opt.MaxColumns/2, 1)
	return half, half
}

// shape is a table's truncation, worked out once.
type shape struct {
	head, tail int  // shown rows from each end
	truncRows  bool // some rows are hidden
	left       int  // columns shown from the start
	cols       []int
	truncCols  bool
}

func shapeOf(t Table, opt Options) shape {
	var s shape
	if len(t.Head) > 0 {
		s.head = arrayLen(t.Head)
		s.tail = arrayLen(t.Tail)
	}
	s.truncRows = int64(s.head+s.tail) < t.TotalRows
	l, r := Cols(len(t.Columns), opt)
	s.left, s.truncCols = l, l+r < len(t.Columns)
	for i := range l {
		s.cols = append(s.cols, i)
	}
	for i := len(t.Columns) - r; i < len(t.Columns); i++ {
		s.cols = append(s.cols, i)
	}
	return s
}

// arrayLen is the length of the first non-nil array.
func arrayLen(arrs []arrow.Array) int {
	for _, a := range arrs {
		if a != nil {
			return a.Len()
		}
	}
	return 0
}

func at(arrs []arrow.Array, i int) arrow.Array {
	if i < len(arrs) {
		return arrs[i]
	}
	return nil
}

// Frame returns pandas' repr of a DataFrame: t's shown rows under a header
// of column names, the row labels first, "..." where rows or columns are
// hidden and "[N rows x M columns]" after a truncated frame.
func Frame(t Table, opt Options) string {
	if len(t.Columns) == 0 || t.TotalRows == 0 {
		return emptyFrame(t)
	}
	s := shapeOf(t, opt)
	showNames := t.Index != nil && anyName(t.Index.Names)
	strcols := [][]string{frameIndex(t, s, showNames, opt)}
	for _, c := range s.cols {
		head, tail := at(t.Head, c), at(t.Tail, c)
		typ := head
		if typ == nil {
			typ = tail
		}
		hdr := t.Columns[c]
		if typ != nil && numeric(typ.DataType()) {
			hdr = " " + hdr
		}
		header := []string{hdr}
		if showNames {
			header = append(header, "")
		}
		hw := 0
		for _, h := range header {
			hw = max(hw, width(h))
		}
		vals := fixedWidth(formatValues([]arrow.Array{head, tail}, true), alignRight, hw, opt.MaxColWidth)
		w := hw
		for _, v := range vals {
			w = max(w, width(v))
		}
		col := justify(header, w, alignRight)
		strcols = append(strcols, append(col, vals...))
	}
	if s.truncCols || s.truncRows {
		strcols = insertDots(strcols, s)
	}
	var text string
	if opt.Width > 0 {
		nrows := s.head + s.tail
		if s.truncRows {
			nrows++
		}
		text = joinMultiline(strcols, opt.Width, nrows)
	} else {
		text = adjoin(1, strcols...)
	}
	if s.truncCols || s.truncRows {
		text += "\n\n[" + strconv.FormatInt(t.TotalRows, 10) + " rows x " + strconv.Itoa(len(t.Columns)) + " columns]"
	}
	return text
}

// emptyFrame is pandas' text for a frame without rows or columns.
func emptyFrame(t Table) string {
	var b strings.Builder
	b.WriteString("Empty DataFrame\nColumns: [")
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		if i == maxSeqItems {
			b.WriteString("...")
			break
		}
		b.WriteString(c)
	}
	b.WriteString("]\nIndex: [")
	var labels []string
	if t.Index != nil && len(t.Index.Head) > 0 {
		labels = formatValues([]arrow.Array{t.Index.Head[0]}, false)
	} else {
		for i := int64(0); i < min(t.TotalRows, maxSeqItems); i++ {
			labels = append(labels, strconv.FormatInt(i, 10))
		}
	}
	for i, l := range labels {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strings.TrimSpace(l))
	}
	if t.TotalRows > maxSeqItems {
		b.WriteString(", ...")
	}
	b.WriteString("]")
	return b.String()
}

// maxSeqItems is pandas' display.max_seq_items.
const maxSeqItems = 100

func anyName(names []string) bool {
	for _, n := range names {
		if n != "" {
			return true
		}
	}
	return false
}

// indexLevels returns the row labels of each index level, each level
// left-aligned to one width, with the level's name first when names is
// set; several levels are sparsified: a label equal to the one above it,
// as are all labels to its left, is blanked.
func indexLevels(t Table, s shape, names bool, opt Options) [][]string {
	if t.Index == nil {
		var labels []string
		if names {
			labels = append(labels, "")
		}
		for i := range int64(s.head) {
			labels = append(labels, strconv.FormatInt(i, 10))
		}
		for i := t.TotalRows - int64(s.tail); i < t.TotalRows; i++ {
			labels = append(labels, strconv.FormatInt(i, 10))
		}
		return [][]string{labels}
	}
	ix := t.Index
	levels := make([][]string, len(ix.Head))
	for l := range ix.Head {
		head, tail := ix.Head[l], at(ix.Tail, l)
		var labels []string
		if object(head.DataType()) {
			labels = formatValues([]arrow.Array{head, tail}, false)
		} else {
			labels = trimFront(fixedWidth(formatValues([]arrow.Array{head, tail}, true), alignLeft, 0, opt.MaxColWidth))
		}
		if names {
			labels = append([]string{at2(ix.Names, l)}, labels...)
		}
		levels[l] = labels
	}
	if len(levels) > 1 {
		start := 0
		if names {
			start = 1
		}
		sparsify(levels, start)
	}
	return levels
}

func at2(names []string, i int) string {
	if i < len(names) {
		return names[i]
	}
	return ""
}

// frameIndex is the index column of a frame: a blank header cell, then the
// labels, levels joined by one space.
func frameIndex(t Table, s shape, names bool, opt Options) []string {
	levels := indexLevels(t, s, names, opt)
	for i, l := range levels {
		levels[i] = fixedWidth(l, alignLeft, 0, opt.MaxColWidth)
	}
	return append([]string{""}, strings.Split(adjoin(1, levels...), "\n")...)
}

// sparsify is pandas' sparsify_labels over rows start+1 onwards.
func sparsify(levels [][]string, start int) {
	k := len(levels)
	for r := len(levels[0]) - 1; r > start; r-- {
		// Compare with the row above before it is blanked: walk upwards.
		for i := 0; i < k-1; i++ {
			if levels[i][r] != levels[i][r-1] {
				break
			}
			levels[i][r] = ""
		}
	}
}

// insertDots adds the "..." column and row of a truncated frame, as
// pandas' StringFormatter does.
func insertDots(strcols [][]string, s shape) [][]string {
	indexLen := len(strcols[0])
	dotCol := s.left + 1
	if s.truncCols {
		col := make([]string, indexLen)
		for i := range col {
			col[i] = " ..."
		}
		strcols = append(strcols[:dotCol], append([][]string{col}, strcols[dotCol:]...)...)
	}
	if s.truncRows {
		nHeader := indexLen - (s.head + s.tail)
		row := s.head
		for ix, col := range strcols {
			w := width(col[row])
			isDot := s.truncCols && ix == dotCol
			dots := ".."
			if w > 3 || isDot {
				dots = "..."
			}
			mode := alignRight
			if ix == 0 {
				mode = alignLeft
			} else if isDot {
				w = 4
			}
			d := justify([]string{dots}, w, mode)[0]
			at := row + nHeader
			col = append(col[:at], append([]string{d}, col[at:]...)...)
			strcols[ix] = col
		}
	}
	return strcols
}

// joinMultiline is pandas' _join_multiline: the index, then as many columns
// as fit in lineWidth, blocks separated by a blank line.
func joinMultiline(strcols [][]string, lineWidth, nrows int) string {
	idx, cols := strcols[0], strcols[1:]
	lineWidth -= maxWidth(idx) + 1
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = maxWidth(c)
	}
	bins := binify(widths, lineWidth)
	blocks := make([]string, 0, len(bins))
	start := 0
	for i, end := range bins {
		row := append([][]string{idx}, cols[start:end]...)
		if len(bins) > 1 {
			cont := make([]string, nrows)
			for j := range cont {
				cont[j] = " "
				if i < len(bins)-1 {
					cont[j] = "  "
				}
			}
			if i < len(bins)-1 {
				cont[0] = ` \`
			}
			row = append(row, cont)
		}
		blocks = append(blocks, adjoin(1, row...))
		start = end
	}
	return strings.Join(blocks, "\n\n")
}

// binify is pandas' _binify: the end of each block of columns.
func binify(widths []int, lineWidth int) []int {
	var bins []int
	cur := 0
	for i, w := range widths {
		cur += w + 1
		limit := 2
		if i == len(widths)-1 {
			limit = 1
		}
		if cur+limit > lineWidth && i > 0 {
			bins = append(bins, i)
			cur = w + 1
		}
	}
	return append(bins, len(widths))
}

type align int

const (
	alignLeft align = iota
	alignRight
	alignCenter
)

// width counts characters as Python's len does.
func width(s string) int { return utf8.RuneCountInString(s) }

func maxWidth(col []string) int {
	w := 0
	for _, s := range col {
		w = max(w, width(s))
	}
	return w
}

// justify pads each string to w with Python's ljust, rjust or center.
func justify(strs []string, w int, mode align) []string {
	out := make([]string, len(strs))
	for i, s := range strs {
		marg := w - width(s)
		if marg <= 0 {
			out[i] = s
			continue
		}
		switch mode {
		case alignLeft:
			out[i] = s + strings.Repeat(" ", marg)
		case alignRight:
			out[i] = strings.Repeat(" ", marg) + s
		default:
			left := marg/2 + (marg & w & 1) // CPython's str.center
			out[i] = strings.Repeat(" ", left) + s + strings.Repeat(" ", marg-left)
		}
	}
	return out
}

// fixedWidth is pandas' _make_fixed_width: strings padded to one width, at
// least minimum; with maxColWidth > 3, longer strings are cut to it ending
// in "...".
func fixedWidth(strs []string, mode align, minimum, maxColWidth int) []string {
	if len(strs) == 0 {
		return strs
	}
	w := max(maxWidth(strs), minimum)
	if maxColWidth > 0 && w > maxColWidth {
		w = maxColWidth
	}
	if maxColWidth > 3 {
		for i, s := range strs {
			if width(s) > w {
				r := []rune(s)
				strs[i] = string(r[:w-3]) + "..."
			}
		}
	}
	return justify(strs, w, mode)
}

// trimFront is pandas' trim_front: drop leading spaces all strings share.
func trimFront(strs []string) []string {
	for len(strs) > 0 {
		for _, s := range strs {
			if !strings.HasPrefix(s, " ") {
				return strs
			}
		}
		for i, s := range strs {
			strs[i] = s[1:]
		}
	}
	return strs
}

// adjoin is pandas' printing.adjoin: the lists side by side, each but the
// last padded to its width plus space, shorter lists padded with blanks.
func adjoin(space int, lists ...[]string) string {
	rows := 0
	for _, l := range lists {
		rows = max(rows, len(l))
	}
	padded := make([][]string, len(lists))
	for i, l := range lists {
		w := maxWidth(l)
		if i < len(lists)-1 {
			w += space
		}
		p := justify(l, w, alignLeft)
		for len(p) < rows {
			p = append(p, strings.Repeat(" ", w))
		}
		padded[i] = p
	}
	var b strings.Builder
	for r := range rows {
		if r > 0 {
			b.WriteByte('\n')
		}
		for _, p := range padded {
			b.WriteString(p[r])
		}
	}
	return b.String()
}
