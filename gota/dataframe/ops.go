package dataframe

import (
	"fmt"
	"io"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	iogota "github.com/shoaldata/shoal/io/gota"
)

// parseIndexes is gota's series.parseIndexes.
func parseIndexes(l int, indexes series.Indexes) ([]int, error) {
	var idx []int
	switch idxs := indexes.(type) {
	case []int:
		idx = idxs
	case int:
		idx = []int{idxs}
	case []bool:
		if len(idxs) != l {
			return nil, fmt.Errorf("indexing error: index dimensions mismatch")
		}
		for i, b := range idxs {
			if b {
				idx = append(idx, i)
			}
		}
	case series.Series:
		if err := idxs.Err; err != nil {
			return nil, fmt.Errorf("indexing error: new values has errors: %v", err)
		}
		if idxs.HasNaN() {
			return nil, fmt.Errorf("indexing error: indexes contain NaN")
		}
		switch idxs.Type() {
		case series.Int:
			return idxs.Int()
		case series.Bool:
			bools, err := idxs.Bool()
			if err != nil {
				return nil, fmt.Errorf("indexing error: %v", err)
			}
			return parseIndexes(l, bools)
		default:
			return nil, fmt.Errorf("indexing error: unknown indexing mode")
		}
	default:
		return nil, fmt.Errorf("indexing error: unknown indexing mode")
	}
	return idx, nil
}

// Subset returns a subset of the rows of the original DataFrame based on the
// Series subsetting indexes. An index out of range is an error (gota
// panics).
func (df DataFrame) Subset(indexes series.Indexes) DataFrame {
	if df.Err != nil {
		return df
	}
	if len(df.columns) == 0 {
		return errFrame("no Series given")
	}
	idx, err := parseIndexes(df.nrows, indexes)
	if err != nil {
		return errFrame("error on series 0: %v", err)
	}
	for _, i := range idx {
		if i < 0 || i >= df.nrows {
			return errFrame("error on series 0: index %d out of range [0, %d)", i, df.nrows)
		}
	}
	return df.take(idx)
}

// take is the frame at rows idx (all in range); columns are gathered
// when first read (see column).
func (df DataFrame) take(idx []int) DataFrame {
	cols := make([]column, len(df.columns))
	for i, c := range df.columns {
		cols[i] = selectRows(c, idx)
	}
	return DataFrame{columns: cols, nrows: len(idx)}
}

// Set will update the values of a DataFrame for the rows selected via
// indexes. As in gota, the frame itself (and every copy sharing its
// columns) is updated, and the same frame is returned.
func (df DataFrame) Set(indexes series.Indexes, newvalues DataFrame) DataFrame {
	if df.Err != nil {
		return df
	}
	if newvalues.Err != nil {
		return errFrame("argument has errors: %v", newvalues.Err)
	}
	if len(df.columns) != len(newvalues.columns) {
		return errFrame("different number of columns")
	}
	for i, c := range df.columns {
		s := toSeries(c.array(), c.name).Set(indexes, toSeries(newvalues.columns[i].array(), ""))
		if s.Err != nil {
			return errFrame("setting error on column %d: %v", i, s.Err)
		}
		df.columns[i] = column{name: c.name, arr: fromSeries(s)}
	}
	return df
}

// SelectIndexes are the supported indexes used for the DataFrame.Select method. Currently supported are:
//
//	int              // Matches the given index number
//	[]int            // Matches all given index numbers
//	[]bool           // Matches all columns marked as true
//	string           // Matches the column with the matching column name
//	[]string         // Matches all columns with the matching column names
//	Series [Int]     // Same as []int
//	Series [Bool]    // Same as []bool
//	Series [String]  // Same as []string
type SelectIndexes interface{}

func parseSelectIndexes(l int, indexes SelectIndexes, colnames []string) ([]int, error) {
	var idx []int
	switch v := indexes.(type) {
	case []int:
		idx = v
	case int:
		idx = []int{v}
	case []bool:
		if len(v) != l {
			return nil, fmt.Errorf("indexing error: index dimensions mismatch")
		}
		for i, b := range v {
			if b {
				idx = append(idx, i)
			}
		}
	case string:
		i := findInStringSlice(v, colnames)
		if i < 0 {
			return nil, fmt.Errorf("can't select columns: column name %q not found", v)
		}
		idx = append(idx, i)
	case []string:
		for _, s := range v {
			i := findInStringSlice(s, colnames)
			if i < 0 {
				return nil, fmt.Errorf("can't select columns: column name %q not found", s)
			}
			idx = append(idx, i)
		}
	case series.Series:
		if err := v.Err; err != nil {
			return nil, fmt.Errorf("indexing error: new values has errors: %v", err)
		}
		if v.HasNaN() {
			return nil, fmt.Errorf("indexing error: indexes contain NaN")
		}
		switch v.Type() {
		case series.Int:
			return v.Int()
		case series.Bool:
			bools, err := v.Bool()
			if err != nil {
				return nil, fmt.Errorf("indexing error: %v", err)
			}
			return parseSelectIndexes(l, bools, colnames)
		case series.String:
			return parseSelectIndexes(l, v.Records(), colnames)
		default:
			return nil, fmt.Errorf("indexing error: unknown indexing mode")
		}
	default:
		return nil, fmt.Errorf("indexing error: unknown indexing mode")
	}
	return idx, nil
}

// Select the given DataFrame columns
func (df DataFrame) Select(indexes SelectIndexes) DataFrame {
	if df.Err != nil {
		return df
	}
	idx, err := parseSelectIndexes(len(df.columns), indexes, df.Names())
	if err != nil {
		return errFrame("can't select columns: %v", err)
	}
	cols := make([]column, len(idx))
	for k, i := range idx {
		if i < 0 || i >= len(df.columns) {
			return errFrame("can't select columns: index out of range")
		}
		cols[k] = df.columns[i]
	}
	if len(cols) == 0 {
		return errFrame("no Series given")
	}
	return build(cols, df.nrows)
}

// Drop the given DataFrame columns
func (df DataFrame) Drop(indexes SelectIndexes) DataFrame {
	if df.Err != nil {
		return df
	}
	idx, err := parseSelectIndexes(len(df.columns), indexes, df.Names())
	if err != nil {
		return errFrame("can't select columns: %v", err)
	}
	drop := make(map[int]bool, len(idx))
	for _, i := range idx {
		drop[i] = true
	}
	var cols []column
	for k, c := range df.columns {
		if !drop[k] {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		return errFrame("no Series given")
	}
	return build(cols, df.nrows)
}

// Rename changes the name of one of the columns of a DataFrame
func (df DataFrame) Rename(newname, oldname string) DataFrame {
	if df.Err != nil {
		return df
	}
	idx := df.colIndex(oldname)
	if idx == -1 {
		return errFrame("rename: can't find column name")
	}
	c := df.Copy()
	c.columns[idx].name = newname
	return c
}

// fromCols is gota's New over columns that already are columns.
func fromCols(cols []column) DataFrame {
	if len(cols) == 0 {
		return errFrame("empty DataFrame")
	}
	n := cols[0].array().Len()
	for _, c := range cols {
		if c.array().Len() != n {
			return errFrame("arguments have different dimensions")
		}
	}
	return build(cols, n)
}

// CBind combines the columns of this DataFrame and dfb DataFrame.
func (df DataFrame) CBind(dfb DataFrame) DataFrame {
	if df.Err != nil {
		return df
	}
	if dfb.Err != nil {
		return dfb
	}
	cols := append(append([]column(nil), df.columns...), dfb.columns...)
	return fromCols(cols)
}

// concatColumn is gota's Series.Concat: b's values converted to a's type.
func concatColumn(a, b column) (column, error) {
	if typeOf(a.array0()) == typeOf(b.array0()) {
		arr, err := array.Concatenate([]arrow.Array{a.array(), b.array()}, mem)
		if err != nil {
			return column{}, err
		}
		return column{name: a.name, arr: arr}, nil
	}
	s := toSeries(a.array(), a.name).Concat(toSeries(b.array(), b.name))
	if s.Err != nil {
		return column{}, s.Err
	}
	return column{name: a.name, arr: fromSeries(s)}, nil
}

// RBind matches the column names of two DataFrames and returns combined
// rows from both of them.
func (df DataFrame) RBind(dfb DataFrame) DataFrame {
	if df.Err != nil {
		return df
	}
	if dfb.Err != nil {
		return dfb
	}
	cols := make([]column, len(df.columns))
	names := dfb.Names()
	for k, c := range df.columns {
		idx := findInStringSlice(c.name, names)
		if idx == -1 {
			return errFrame("rbind: column names are not compatible")
		}
		nc, err := concatColumn(c, dfb.columns[idx])
		if err != nil {
			return errFrame("rbind: %v", err)
		}
		cols[k] = nc
	}
	return fromCols(cols)
}

// Concat concatenates rows of two DataFrames like RBind, but also including
// unmatched columns.
func (df DataFrame) Concat(dfb DataFrame) DataFrame {
	if df.Err != nil {
		return df
	}
	if dfb.Err != nil {
		return dfb
	}
	uniques := make(map[string]struct{})
	var names []string
	for _, t := range []DataFrame{df, dfb} {
		for _, u := range t.Names() {
			if _, ok := uniques[u]; !ok {
				uniques[u] = struct{}{}
				names = append(names, u)
			}
		}
	}
	aNames, bNames := df.Names(), dfb.Names()
	cols := make([]column, len(names))
	for k, v := range names {
		aidx := findInStringSlice(v, aNames)
		bidx := findInStringSlice(v, bNames)
		var a, b column
		if aidx != -1 {
			a = df.columns[aidx]
		} else {
			bb := dfb.columns[bidx]
			a = column{name: bb.name, arr: nullArray(typeOf(bb.array0()), df.nrows)}
		}
		if bidx != -1 {
			b = dfb.columns[bidx]
		} else {
			b = column{name: a.name, arr: nullArray(typeOf(a.array0()), dfb.nrows)}
		}
		nc, err := concatColumn(a, b)
		if err != nil {
			return errFrame("concat: %v", err)
		}
		cols[k] = nc
	}
	return fromCols(cols)
}

// Mutate changes a column of the DataFrame with the given Series or adds it as
// a new column if the column name does not exist.
func (df DataFrame) Mutate(s series.Series) DataFrame {
	if df.Err != nil {
		return df
	}
	if s.Err != nil {
		// gota panics here (the series has no elements to count).
		return errFrame("mutate: series has errors: %v", s.Err)
	}
	if s.Len() != df.nrows {
		return errFrame("mutate: wrong dimensions")
	}
	df = df.Copy()
	if df.Err != nil {
		return df
	}
	c := column{name: s.Name, arr: fromSeries(s)}
	if idx := df.colIndex(s.Name); idx != -1 {
		df.columns[idx] = c
	} else {
		df.columns = append(df.columns, c)
	}
	return build(df.columns, df.nrows)
}

// Capply applies the given function to the columns of a DataFrame
func (df DataFrame) Capply(f func(series.Series) series.Series) DataFrame {
	if df.Err != nil {
		return df
	}
	out := make([]series.Series, len(df.columns))
	for i, c := range df.columns {
		applied := f(toSeries(c.array(), c.name))
		applied.Name = c.name
		out[i] = applied
	}
	return New(out...)
}

// Rapply applies the given function to the rows of a DataFrame. Prior to applying
// the function the elements of each row are cast to a Series of a specific
// type. In order of priority: String -> Float -> Int -> Bool. This casting also
// takes place after the function application to equalize the type of the columns.
//
// Rows are handed to f one by one, in order, as gota does: this runs gota's
// own Rapply on the frame's values.
func (df DataFrame) Rapply(f func(series.Series) series.Series) DataFrame {
	if df.Err != nil {
		return df
	}
	if len(df.columns) == 0 {
		return errFrame("rapply: no columns")
	}
	return fromGota(df.toGota().Rapply(f))
}

// toGota converts the frame to gota's, names and all.
func (df DataFrame) toGota() gotadf.DataFrame {
	ss := make([]series.Series, len(df.columns))
	parallel(len(ss), func(i int) { ss[i] = toSeries(df.columns[i].array(), "") })
	g := gotadf.New(ss...)
	if g.Err == nil {
		g.SetNames(df.Names()...)
	}
	return g
}

// fromGota converts a gota frame, names and all.
func fromGota(g gotadf.DataFrame) DataFrame {
	if g.Err != nil {
		return DataFrame{Err: g.Err}
	}
	rec, err := iogota.FromGota(g, mem)
	if err != nil {
		return DataFrame{Err: err}
	}
	names := g.Names()
	cols := make([]column, len(names))
	for i := range cols {
		cols[i] = column{name: names[i], arr: rec.Column(i)}
	}
	return DataFrame{columns: cols, nrows: int(rec.NumRows())}
}

// Describe prints the summary statistics for each column of the dataframe
func (df DataFrame) Describe() DataFrame {
	labels := series.Strings([]string{"mean", "median", "stddev", "min", "25%", "50%", "75%", "max"})
	labels.Name = "column"
	ss := make([]series.Series, len(df.columns)+1)
	ss[0] = labels
	parallel(len(df.columns), func(i int) {
		c := df.columns[i]
		col := toSeries(c.array(), c.name)
		if col.Type() == series.String {
			ss[i+1] = series.New([]string{"-", "-", "-", col.MinStr(), "-", "-", "-", col.MaxStr()}, col.Type(), col.Name)
			return
		}
		ss[i+1] = series.New([]float64{
			col.Mean(), col.Median(), col.StdDev(), col.Min(),
			col.Quantile(0.25), col.Quantile(0.50), col.Quantile(0.75), col.Max(),
		}, series.Float, col.Name)
	})
	return New(ss...)
}

// Matrix is an interface which is compatible with gonum's mat.Matrix interface
type Matrix interface {
	Dims() (r, c int)
	At(i, j int) float64
}

// LoadMatrix loads the given Matrix as a DataFrame
func LoadMatrix(mat Matrix) DataFrame {
	nrows, ncols := mat.Dims()
	cols := make([]column, ncols)
	for i := 0; i < ncols; i++ {
		cols[i] = column{name: "", arr: buildFloats(nrows, func(j int) (float64, bool) { return mat.At(j, i), true })}
	}
	if ncols == 0 {
		return errFrame("no Series given")
	}
	return build(cols, nrows)
}

// ReadHTML reads the tables of an HTML document, one DataFrame per table
// that loads without error, with gota's parser (golang.org/x/net/html) and
// LoadOptions.
func ReadHTML(r io.Reader, options ...LoadOption) []DataFrame {
	cfg := defaultLoadOptions()
	for _, o := range options {
		o(&cfg)
	}
	gs := gotadf.ReadHTML(r, cfg.gota()...)
	out := make([]DataFrame, len(gs))
	for i, g := range gs {
		out[i] = fromGota(g)
	}
	return out
}
