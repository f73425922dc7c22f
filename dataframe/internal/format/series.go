package format

import (
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

// Series returns pandas' repr of a Series named name ("" for an unnamed
// one) whose values are t's single column: labels and values separated by
// three spaces, ".." where rows are hidden, then the footer "Name: x,
// Length: N, dtype: int64" (Length only when truncated) and, for a
// category, its categories.
func Series(name string, t Table, opt Options) string {
	var typ arrow.DataType
	var head, tail arrow.Array
	if len(t.Head) > 0 {
		head, tail = t.Head[0], at(t.Tail, 0)
		typ = head.DataType()
	}
	s := shapeOf(t, opt)
	var footer []string
	if name != "" {
		footer = append(footer, "Name: "+name)
	}
	if s.truncRows {
		footer = append(footer, "Length: "+strconv.FormatInt(t.TotalRows, 10))
	}
	if typ != nil {
		footer = append(footer, "dtype: "+Dtype(typ))
	}
	foot := strings.Join(footer, ", ")
	if d, ok := head.(*array.Dictionary); ok {
		foot += "\n" + categoriesInfo(d.Dictionary(), opt)
	}
	if t.TotalRows == 0 || typ == nil {
		return "Series([], " + foot + ")"
	}

	haveHeader := t.Index != nil && anyName(t.Index.Names)
	levels := indexLevels(t, s, true, opt)
	var index []string
	if len(levels) == 1 {
		index = levels[0]
		if t.Index == nil {
			index = justify(index, maxWidth(index[1:]), alignLeft)
		}
	} else {
		// MultiIndex.format joins levels with two spaces.
		index = strings.Split(adjoin(2, levels...), "\n")
	}
	vals := fixedWidth(formatValues([]arrow.Array{head, tail}, true), alignRight, 0, opt.MaxColWidth)
	if s.truncRows {
		row := s.head
		w := width(vals[row-1])
		dots := ".."
		if w > 3 {
			dots = "..."
		}
		vals = append(vals[:row], append(justify([]string{dots}, w, alignCenter), vals[row:]...)...)
		index = append(index[:row+1], append([]string{""}, index[row+1:]...)...)
	}
	text := adjoin(3, index[1:], vals)
	if haveHeader {
		text = index[0] + "\n" + text
	}
	if foot != "" {
		text += "\n" + foot
	}
	return text
}

// maxCategories is pandas' display.max_categories.
const maxCategories = 8

// categoriesInfo is pandas' Categorical._repr_categories_info, including
// its line-length count, which adds each value but not the separator.
func categoriesInfo(dict arrow.Array, opt Options) string {
	cats := formatValues([]arrow.Array{dict}, false)
	quote := object(dict.DataType())
	for i, c := range cats {
		if quote {
			cats[i] = "'" + c + "'"
		}
	}
	if len(cats) > maxCategories {
		n := maxCategories / 2
		cats = append(append(cats[:n:n], "..."), cats[len(cats)-n:]...)
	}
	header := "Categories (" + strconv.Itoa(dict.Len()) + ", " + Dtype(dict.DataType()) + "): "
	var b strings.Builder
	cur := width(header)
	for i, v := range cats {
		if opt.Width != 0 && cur+2+width(v) > opt.Width {
			b.WriteString(",\n" + strings.Repeat(" ", width(header)+1))
			cur = width(header) + 1
		} else if i > 0 {
			b.WriteString(", ")
			cur += width(v)
		}
		b.WriteString(v)
	}
	return header + "[" + b.String() + "]"
}
