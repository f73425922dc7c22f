package dataframe

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/go-gota/gota/series"
	shoal "github.com/shoaldata/shoal/dataframe"
)

// DataFrame is gota's DataFrame: named, typed columns (String, Int, Float,
// Bool) with NA values. Its data are Arrow columns; the heavy methods run on
// Shoal's engine. As in gota it is a value: copies share columns, every
// method returns a new DataFrame, and a failed operation returns a
// DataFrame whose Err is set (later methods pass it on).
type DataFrame struct {
	columns []column
	nrows   int

	// deprecated: Use Error() instead
	Err error
}

func errFrame(format string, args ...interface{}) DataFrame {
	return DataFrame{Err: fmt.Errorf(format, args...)}
}

// build makes a frame of cols (which must have equal lengths), fixing
// empty and repeated names as gota's constructor does.
func build(cols []column, nrows int) DataFrame {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	fixColnames(names)
	for i := range cols {
		cols[i].name = names[i]
	}
	return DataFrame{columns: cols, nrows: nrows}
}

// New is the generic DataFrame constructor
func New(se ...series.Series) DataFrame {
	if len(se) == 0 {
		return errFrame("empty DataFrame")
	}
	nrows := -1
	for i, s := range se {
		if s.Err != nil {
			return errFrame("error on series %d: %v", i, s.Err)
		}
		if nrows == -1 {
			nrows = s.Len()
		}
		if nrows != s.Len() {
			return errFrame("arguments have different dimensions")
		}
	}
	cols := make([]column, len(se))
	parallel(len(se), func(i int) { cols[i] = column{name: se[i].Name, arr: fromSeries(se[i])} })
	return build(cols, nrows)
}

// Copy returns a copy of the DataFrame
func (df DataFrame) Copy() DataFrame {
	if len(df.columns) == 0 {
		// gota's New with no series.
		return DataFrame{Err: df.errOr(fmt.Errorf("empty DataFrame"))}
	}
	c := build(append([]column(nil), df.columns...), df.nrows)
	if df.Err != nil {
		c.Err = df.Err
	}
	return c
}

func (df DataFrame) errOr(err error) error {
	if df.Err != nil {
		return df.Err
	}
	return err
}

// Error returns error or nil if no error occured
func (df *DataFrame) Error() error {
	return df.Err
}

// Names returns the name of the columns on a DataFrame.
func (df DataFrame) Names() []string {
	names := make([]string, len(df.columns))
	for i, c := range df.columns {
		names[i] = c.name
	}
	return names
}

// Types returns the types of the columns on a DataFrame.
func (df DataFrame) Types() []series.Type {
	types := make([]series.Type, len(df.columns))
	for i, c := range df.columns {
		types[i] = typeOf(c.array0())
	}
	return types
}

// SetNames changes the column names of a DataFrame to the ones passed as an
// argument.
func (df DataFrame) SetNames(colnames ...string) error {
	if df.Err != nil {
		return df.Err
	}
	if len(colnames) != len(df.columns) {
		return fmt.Errorf("setting names: wrong dimensions")
	}
	for k, s := range colnames {
		df.columns[k].name = s
	}
	return nil
}

// Dims retrieves the dimensions of a DataFrame.
func (df DataFrame) Dims() (int, int) {
	return df.Nrow(), df.Ncol()
}

// Nrow returns the number of rows on a DataFrame.
func (df DataFrame) Nrow() int {
	return df.nrows
}

// Ncol returns the number of columns on a DataFrame.
func (df DataFrame) Ncol() int {
	return len(df.columns)
}

func (df DataFrame) colIndex(s string) int {
	for k, c := range df.columns {
		if c.name == s {
			return k
		}
	}
	return -1
}

// Col returns a copy of the Series with the given column name contained in the DataFrame.
func (df DataFrame) Col(colname string) series.Series {
	if df.Err != nil {
		return series.Series{Err: df.Err}
	}
	idx := df.colIndex(colname)
	if idx < 0 {
		return series.Series{Err: fmt.Errorf("unknown column name")}
	}
	return columnSeries(df.columns[idx], colname)
}

// Elem returns the element on row `r` and column `c`. Will panic if the index is
// out of bounds, as gota's does. Unlike gota's, the element is a copy:
// setting it does not change the frame (use Set).
func (df DataFrame) Elem(r, c int) series.Element {
	arr := df.columns[c].array()
	if r < 0 || r >= arr.Len() {
		panic(fmt.Sprintf("runtime error: index out of range [%d] with length %d", r, arr.Len()))
	}
	v := value(arr, r)
	if v == nil {
		return series.New([]interface{}{nil}, typeOf(arr), "").Elem(0)
	}
	return series.New([]interface{}{v}, typeOf(arr), "").Elem(0)
}

// Records return the string record representation of a DataFrame.
func (df DataFrame) Records() [][]string {
	records := [][]string{df.Names()}
	if len(df.columns) == 0 || df.nrows == 0 {
		return records
	}
	cols := make([][]string, len(df.columns))
	parallel(len(cols), func(i int) { cols[i] = records0(df.columns[i].array()) })
	for r := 0; r < df.nrows; r++ {
		row := make([]string, len(cols))
		for c := range cols {
			row[c] = cols[c][r]
		}
		records = append(records, row)
	}
	return records
}

func records0(arr arrow.Array) []string { return records(arr) }

// Maps return the array of maps representation of a DataFrame.
func (df DataFrame) Maps() []map[string]interface{} {
	maps := make([]map[string]interface{}, df.nrows)
	for i := 0; i < df.nrows; i++ {
		m := make(map[string]interface{}, len(df.columns))
		for _, c := range df.columns {
			m[c.name] = value(c.array(), i)
		}
		maps[i] = m
	}
	return maps
}

// String implements the Stringer interface for DataFrame
func (df DataFrame) String() (str string) {
	return df.print(true, true, true, true, 10, 70, "DataFrame")
}

// print is gota's, to print the same text.
func (df DataFrame) print(shortRows, shortCols, showDims, showTypes bool, maxRows int, maxCharsTotal int, class string) (str string) {
	addRightPadding := func(s string, nchar int) string {
		if utf8.RuneCountInString(s) < nchar {
			return s + strings.Repeat(" ", nchar-utf8.RuneCountInString(s))
		}
		return s
	}
	addLeftPadding := func(s string, nchar int) string {
		if utf8.RuneCountInString(s) < nchar {
			return strings.Repeat(" ", nchar-utf8.RuneCountInString(s)) + s
		}
		return s
	}
	if df.Err != nil {
		return fmt.Sprintf("%s error: %v", class, df.Err)
	}
	nrows, ncols := df.Dims()
	if nrows == 0 || ncols == 0 {
		return fmt.Sprintf("Empty %s", class)
	}
	shortening := false
	if shortRows && nrows > maxRows {
		shortening = true
		idx := make([]int, maxRows)
		for i := range idx {
			idx[i] = i
		}
		df = df.Subset(idx)
	}
	records := df.Records()
	if showDims {
		str += fmt.Sprintf("[%dx%d] %s\n\n", nrows, ncols, class)
	}
	for i := 0; i < df.nrows+1; i++ {
		add := ""
		if i != 0 {
			add = strconv.Itoa(i-1) + ":"
		}
		records[i] = append([]string{add}, records[i]...)
	}
	if shortening {
		dots := make([]string, ncols+1)
		for i := 1; i < ncols+1; i++ {
			dots[i] = "..."
		}
		records = append(records, dots)
	}
	types := df.Types()
	typesrow := make([]string, ncols)
	for i := 0; i < ncols; i++ {
		typesrow[i] = fmt.Sprintf("<%v>", types[i])
	}
	typesrow = append([]string{""}, typesrow...)
	if showTypes {
		records = append(records, typesrow)
	}
	maxChars := make([]int, ncols+1)
	for i := 0; i < len(records); i++ {
		for j := 0; j < ncols+1; j++ {
			records[i][j] = strconv.Quote(records[i][j])
			records[i][j] = records[i][j][1 : len(records[i][j])-1]
			if len(records[i][j]) > maxChars[j] {
				maxChars[j] = utf8.RuneCountInString(records[i][j])
			}
		}
	}
	maxCols := len(records[0])
	var notShowing []string
	if shortCols {
		maxCharsCum := 0
		for colnum, m := range maxChars {
			maxCharsCum += m
			if maxCharsCum > maxCharsTotal {
				maxCols = colnum
				break
			}
		}
		notShowingNames := records[0][maxCols:]
		notShowingTypes := typesrow[maxCols:]
		notShowing = make([]string, len(notShowingNames))
		for i := 0; i < len(notShowingNames); i++ {
			notShowing[i] = fmt.Sprintf("%s %s", notShowingNames[i], notShowingTypes[i])
		}
	}
	for i := 0; i < len(records); i++ {
		records[i][0] = addLeftPadding(records[i][0], maxChars[0]+1)
		for j := 1; j < ncols; j++ {
			records[i][j] = addRightPadding(records[i][j], maxChars[j])
		}
		records[i] = records[i][0:maxCols]
		if shortCols && len(notShowing) != 0 {
			records[i] = append(records[i], "...")
		}
		str += strings.Join(records[i], " ")
		str += "\n"
	}
	if shortCols && len(notShowing) != 0 {
		var notShown string
		var notShownArr [][]string
		cum := 0
		i := 0
		for n, ns := range notShowing {
			cum += len(ns)
			if cum > maxCharsTotal {
				notShownArr = append(notShownArr, notShowing[i:n])
				cum = 0
				i = n
			}
		}
		if i < len(notShowing) {
			notShownArr = append(notShownArr, notShowing[i:])
		}
		for k, ns := range notShownArr {
			notShown += strings.Join(ns, ", ")
			if k != len(notShownArr)-1 {
				notShown += ","
			}
			notShown += "\n"
		}
		str += fmt.Sprintf("\nNot Showing: %s", notShown)
	}
	return str
}

// fixColnames is gota's: it names empty columns X0, X1... and suffixes
// repeated names _0, _1...
func fixColnames(colnames []string) {
	dupnamesidx := make(map[string][]int)
	var missingnames []int
	for i := 0; i < len(colnames); i++ {
		a := colnames[i]
		if a == "" {
			missingnames = append(missingnames, i)
			continue
		}
		dupnamesidx[a] = append(dupnamesidx[a], i)
	}
	for k, places := range dupnamesidx {
		if len(places) < 2 {
			delete(dupnamesidx, k)
		}
	}
	counter := 0
	for _, i := range missingnames {
		proposedName := fmt.Sprintf("X%d", counter)
		for findInStringSlice(proposedName, colnames) != -1 {
			counter++
			proposedName = fmt.Sprintf("X%d", counter)
		}
		colnames[i] = proposedName
		counter++
	}
	var keys []string
	for k := range dupnamesidx {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range keys {
		idx := dupnamesidx[name]
		counter := 0
		for _, i := range idx {
			proposedName := fmt.Sprintf("%s_%d", name, counter)
			for findInStringSlice(proposedName, colnames) != -1 {
				counter++
				proposedName = fmt.Sprintf("%s_%d", name, counter)
			}
			colnames[i] = proposedName
			counter++
		}
	}
}

func findInStringSlice(str string, s []string) int {
	for i, e := range s {
		if e == str {
			return i
		}
	}
	return -1
}

// engine returns the frame as a Shoal frame whose columns are named c0,
// c1, ... (gota allows names Shoal would refuse, such as repeats). It
// shares the columns' memory: one record over whole columns, which the
// engine partitions itself.
func (df DataFrame) engine() *shoal.DataFrame {
	all := make([]int, len(df.columns))
	for i := range all {
		all[i] = i
	}
	return df.engineOf(all, nil)
}

// engineOf is engine for the columns at idx (named by their position in
// df) followed by extra whole columns named m0, m1, ...
func (df DataFrame) engineOf(idx []int, extra []arrow.Array) *shoal.DataFrame {
	fields := make([]arrow.Field, 0, len(idx)+len(extra))
	for _, i := range idx {
		fields = append(fields, arrow.Field{Name: engineName(i), Type: df.columns[i].array0().DataType(), Nullable: true})
	}
	for k, e := range extra {
		fields = append(fields, arrow.Field{Name: maskName(k), Type: e.DataType(), Nullable: true})
	}
	schema := arrow.NewSchema(fields, nil)
	arrs := make([]arrow.Array, 0, len(fields))
	for _, i := range idx {
		arrs = append(arrs, df.columns[i].array())
	}
	arrs = append(arrs, extra...)
	return shoal.FromArrow(array.NewRecord(schema, arrs, int64(df.nrows)))
}

func engineName(i int) string { return "c" + strconv.Itoa(i) }

// collect runs a Shoal frame and returns its columns under names.
func collect(sdf *shoal.DataFrame, names []string) (DataFrame, error) {
	rec, err := sdf.ToArrow(context.Background())
	if err != nil {
		return DataFrame{}, err
	}
	if int(rec.NumCols()) != len(names) {
		return DataFrame{}, fmt.Errorf("engine returned %d columns, want %d", rec.NumCols(), len(names))
	}
	cols := make([]column, len(names))
	for i := range cols {
		arr, err := normalize(rec.Column(i))
		if err != nil {
			return DataFrame{}, fmt.Errorf("column %q: %w", names[i], err)
		}
		cols[i] = column{name: names[i], arr: arr}
	}
	return DataFrame{columns: cols, nrows: int(rec.NumRows())}, nil
}
