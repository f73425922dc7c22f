package dataframe

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"
	shoalcsv "github.com/shoaldata/shoal/io/csv"
)

// LoadOption is the type used to configure the load of elements
type LoadOption func(*loadOptions)

type loadOptions struct {
	defaultType series.Type
	detectTypes bool
	hasHeader   bool
	names       []string
	nanValues   []string
	delimiter   rune
	lazyQuotes  bool
	comment     rune
	types       map[string]series.Type
}

func defaultLoadOptions() loadOptions {
	return loadOptions{
		defaultType: series.String,
		detectTypes: true,
		hasHeader:   true,
		nanValues:   []string{"NA", "NaN", "<nil>"},
		delimiter:   ',',
	}
}

// gota turns the options back into gota's, for the loaders that run gota's
// own code (LoadStructs).
func (c loadOptions) gota() []gotadf.LoadOption {
	return []gotadf.LoadOption{
		gotadf.DefaultType(c.defaultType), gotadf.DetectTypes(c.detectTypes),
		gotadf.HasHeader(c.hasHeader), gotadf.Names(c.names...), gotadf.NaNValues(c.nanValues),
		gotadf.WithTypes(c.types), gotadf.WithDelimiter(c.delimiter),
		gotadf.WithLazyQuotes(c.lazyQuotes), gotadf.WithComments(c.comment),
	}
}

// DefaultType sets the defaultType option for loadOptions.
func DefaultType(t series.Type) LoadOption {
	return func(c *loadOptions) { c.defaultType = t }
}

// DetectTypes sets the detectTypes option for loadOptions.
func DetectTypes(b bool) LoadOption {
	return func(c *loadOptions) { c.detectTypes = b }
}

// HasHeader sets the hasHeader option for loadOptions.
func HasHeader(b bool) LoadOption {
	return func(c *loadOptions) { c.hasHeader = b }
}

// Names sets the names option for loadOptions.
func Names(names ...string) LoadOption {
	return func(c *loadOptions) { c.names = names }
}

// NaNValues sets the nanValues option for loadOptions.
func NaNValues(nanValues []string) LoadOption {
	return func(c *loadOptions) { c.nanValues = nanValues }
}

// WithTypes sets the types option for loadOptions.
func WithTypes(coltypes map[string]series.Type) LoadOption {
	return func(c *loadOptions) { c.types = coltypes }
}

// WithDelimiter sets the csv delimiter other than ',', for example '\t'
func WithDelimiter(b rune) LoadOption {
	return func(c *loadOptions) { c.delimiter = b }
}

// WithLazyQuotes sets csv parsing option to LazyQuotes
func WithLazyQuotes(b bool) LoadOption {
	return func(c *loadOptions) { c.lazyQuotes = b }
}

// WithComments sets the csv comment line detect to remove lines
func WithComments(b rune) LoadOption {
	return func(c *loadOptions) { c.comment = b }
}

// LoadStructs creates a new DataFrame from arbitrary struct slices, with
// gota's rules: the `dataframe:"name[,type]"` tag, "-" to skip a field,
// unexported fields ignored, LoadOptions over tags. It runs gota's
// reflection loader and converts the result.
func LoadStructs(i interface{}, options ...LoadOption) DataFrame {
	cfg := defaultLoadOptions()
	for _, o := range options {
		o(&cfg)
	}
	return fromGota(gotadf.LoadStructs(i, cfg.gota()...))
}

// strs is a column of raw text: a []string or an Arrow utf8 array.
type strs interface {
	Len() int
	Value(i int) string
}

type stringSlice []string

func (s stringSlice) Len() int           { return len(s) }
func (s stringSlice) Value(i int) string { return s[i] }

// recordColumn is column c of records, without copying the strings.
type recordColumn struct {
	rows [][]string
	c    int
}

func (r recordColumn) Len() int           { return len(r.rows) }
func (r recordColumn) Value(i int) string { return r.rows[i][r.c] }

// nanSet answers gota's "is this text NaN": the text "NaN" or one of the
// NaNValues.
type nanSet map[string]struct{}

func newNanSet(values []string) nanSet {
	s := nanSet{"NaN": {}}
	for _, v := range values {
		s[v] = struct{}{}
	}
	return s
}

func (s nanSet) has(v string) bool {
	if len(s) == 1 {
		return v == "NaN"
	}
	_, ok := s[v]
	return ok
}

// findType is gota's type detection: String if any value is text, then
// Bool, Float, Int; ok false when every value is empty or NaN.
func findType(col strs, nan nanSet) (t series.Type, ok bool) {
	var hasFloats, hasInts, hasBools bool
	for i, n := 0, col.Len(); i < n; i++ {
		str := col.Value(i)
		if str == "" || nan.has(str) {
			continue
		}
		if _, err := strconv.Atoi(str); err == nil {
			hasInts = true
			continue
		}
		if _, err := strconv.ParseFloat(str, 64); err == nil {
			hasFloats = true
			continue
		}
		if str == "true" || str == "false" {
			hasBools = true
			continue
		}
		return series.String, true
	}
	switch {
	case hasBools:
		return series.Bool, true
	case hasFloats:
		return series.Float, true
	case hasInts:
		return series.Int, true
	}
	return series.String, false
}

// parseColumn converts text to a column of type t as gota's elements'
// Set(string) does; text that does not parse is NA.
func parseColumn(col strs, t series.Type, nan nanSet) arrow.Array {
	n := col.Len()
	switch t {
	case series.Int:
		return buildInts(n, func(i int) (int64, bool) {
			s := col.Value(i)
			if nan.has(s) {
				return 0, false
			}
			v, err := strconv.Atoi(s)
			return int64(v), err == nil
		})
	case series.Float:
		return buildFloats(n, func(i int) (float64, bool) {
			s := col.Value(i)
			if nan.has(s) {
				return 0, false
			}
			v, err := strconv.ParseFloat(s, 64)
			return v, err == nil
		})
	case series.Bool:
		return buildBools(n, func(i int) (bool, bool) {
			s := col.Value(i)
			if nan.has(s) {
				return false, false
			}
			switch strings.ToLower(s) {
			case "true", "t", "1":
				return true, true
			case "false", "f", "0":
				return false, true
			}
			return false, false
		})
	}
	if a, ok := col.(*array.String); ok && a.NullN() == 0 {
		hasNaN := false
		for i := 0; i < n && !hasNaN; i++ {
			hasNaN = nan.has(a.Value(i))
		}
		if !hasNaN {
			return a // already the column, shared
		}
	}
	return buildStrings(n, func(i int) (string, bool) {
		s := col.Value(i)
		return s, !nan.has(s)
	})
}

// loadColumns is gota's LoadRecords after the header: each column's type
// from WithTypes, detection or DefaultType, then parsed (in parallel over
// columns).
func loadColumns(headers []string, raw []strs, nrows int, cfg loadOptions) DataFrame {
	nan := newNanSet(cfg.nanValues)
	for _, t := range cfg.types {
		if _, err := arrowType(t); err != nil {
			return errFrame("unknown type %v", t) // gota panics
		}
	}
	if _, err := arrowType(cfg.defaultType); err != nil {
		return errFrame("unknown type %v", cfg.defaultType)
	}
	cols := make([]column, len(headers))
	parallel(len(headers), func(i int) {
		t, ok := cfg.types[headers[i]]
		if !ok {
			t = cfg.defaultType
			if cfg.detectTypes {
				if l, ok := findType(raw[i], nan); ok {
					t = l
				}
			}
		}
		cols[i] = column{headers[i], parseColumn(raw[i], t, nan)}
	})
	if len(cols) == 0 {
		return errFrame("no Series given")
	}
	return build(cols, nrows)
}

// LoadRecords creates a new DataFrame based on the given records.
func LoadRecords(records [][]string, options ...LoadOption) DataFrame {
	cfg := defaultLoadOptions()
	for _, option := range options {
		option(&cfg)
	}
	if len(records) == 0 {
		return errFrame("load records: empty DataFrame")
	}
	if cfg.hasHeader && len(records) <= 1 {
		return errFrame("load records: empty DataFrame")
	}
	if cfg.names != nil && len(cfg.names) != len(records[0]) {
		if len(cfg.names) > len(records[0]) {
			return errFrame("load records: too many column names")
		}
		return errFrame("load records: not enough column names")
	}
	headers := make([]string, len(records[0]))
	if cfg.hasHeader {
		headers = records[0]
		records = records[1:]
	}
	if cfg.names != nil {
		headers = cfg.names
	}
	for r, rec := range records {
		if len(rec) < len(headers) {
			// gota panics on a short row.
			return errFrame("load records: row %d has %d fields, want %d", r, len(rec), len(headers))
		}
	}
	raw := make([]strs, len(headers))
	for i := range raw {
		raw[i] = recordColumn{records, i}
	}
	return loadColumns(append([]string(nil), headers...), raw, len(records), cfg)
}

// LoadMaps creates a new DataFrame based on the given maps. This function assumes
// that every map on the array represents a row of observations.
func LoadMaps(maps []map[string]interface{}, options ...LoadOption) DataFrame {
	if len(maps) == 0 {
		return errFrame("load maps: empty array")
	}
	seen := map[string]bool{}
	var colnames []string
	for _, v := range maps {
		for k := range v {
			if !seen[k] {
				seen[k] = true
				colnames = append(colnames, k)
			}
		}
	}
	sort.Strings(colnames)
	records := make([][]string, len(maps)+1)
	records[0] = colnames
	for k, m := range maps {
		row := make([]string, len(colnames))
		for i, colname := range colnames {
			if val, ok := m[colname]; ok {
				row[i] = fmt.Sprint(val)
			}
		}
		records[k+1] = row
	}
	return LoadRecords(records, options...)
}

// ReadCSV reads a CSV file from a io.Reader and builds a DataFrame with the
// resulting records.
//
// Input without quote characters, with a one-byte delimiter and comment,
// is parsed by Shoal's parallel CSV reader (a *os.File positioned at its
// start is memory-mapped, other readers are read into memory first);
// anything else, and any input the parallel reader rejects, goes through
// encoding/csv as in gota, so quoting rules and error messages are gota's.
func ReadCSV(r io.Reader, options ...LoadOption) DataFrame {
	cfg := defaultLoadOptions()
	for _, option := range options {
		option(&cfg)
	}
	if df, ok := readCSVFast(r, cfg); ok {
		return df
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return DataFrame{Err: err}
	}
	return readCSVSlow(bytes.NewReader(data), cfg)
}

func readCSVSlow(r io.Reader, cfg loadOptions) DataFrame {
	csvReader := csv.NewReader(r)
	csvReader.Comma = cfg.delimiter
	csvReader.LazyQuotes = cfg.lazyQuotes
	csvReader.Comment = cfg.comment
	records, err := csvReader.ReadAll()
	if err != nil {
		return DataFrame{Err: err}
	}
	return LoadRecords(records, func(c *loadOptions) { *c = cfg })
}

// readCSVFast parses with io/csv when the input's semantics are the same
// as encoding/csv's; ok false means nothing was consumed from r that the
// caller cannot get back (r was left unread, or fully read into the
// returned fallback).
func readCSVFast(r io.Reader, cfg loadOptions) (df DataFrame, ok bool) {
	if cfg.delimiter <= 0 || cfg.delimiter >= 0x80 || cfg.delimiter == '"' || cfg.delimiter == '\r' || cfg.delimiter == '\n' ||
		cfg.comment < 0 || cfg.comment >= 0x80 || cfg.comment == cfg.delimiter || cfg.comment == '"' || cfg.comment == '\r' || cfg.comment == '\n' {
		return DataFrame{}, false
	}
	ctx := context.Background()
	var data []byte
	path := ""
	if f, isFile := r.(*os.File); isFile {
		if pos, err := f.Seek(0, io.SeekCurrent); err == nil && pos == 0 {
			if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
				path = f.Name()
			}
		}
	}
	if path == "" {
		var err error
		data, err = io.ReadAll(r)
		if err != nil {
			return DataFrame{Err: err}, true
		}
	}
	// fallback parses data (or the file) the way gota does.
	fallback := func() (DataFrame, bool) {
		if path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return DataFrame{Err: err}, true
			}
			data = b
		}
		return readCSVSlow(bytes.NewReader(data), cfg), true
	}
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return DataFrame{Err: err}, true
		}
		// The quote check reads the bytes; the parse then maps the
		// file rather than copying it again.
		data = b
	}
	if bytes.IndexByte(data, '"') >= 0 || bytes.IndexByte(data, 0) >= 0 {
		return fallback()
	}
	// The first record gives the field count; names are positional, the
	// header is handled as gota does below.
	nl := bytes.IndexByte(data, '\n')
	first := data
	if nl >= 0 {
		first = data[:nl]
	}
	if len(bytes.TrimRight(first, "\r")) == 0 || (cfg.comment != 0 && len(first) > 0 && rune(first[0]) == cfg.comment) {
		return fallback() // a leading blank or comment line: let encoding/csv find the first record
	}
	nf := bytes.Count(first, []byte{byte(cfg.delimiter)}) + 1
	names := make([]string, nf)
	types := make(map[string]arrow.DataType, nf)
	for i := range names {
		names[i] = engineName(i)
		types[names[i]] = arrow.BinaryTypes.String
	}
	opt := shoalcsv.Options{
		Header:    false,
		Names:     names,
		Delimiter: byte(cfg.delimiter),
		Quote:     '"',
		Comment:   byte(cfg.comment),
		Types:     types,
		NAValues:  []string{},
	}
	var res *shoalcsv.Result
	var err error
	if path != "" {
		data = nil
		res, err = shoalcsv.ReadFile(ctx, path, opt)
	} else {
		res, err = shoalcsv.Read(ctx, bytes.NewReader(data), "csv", opt)
	}
	if err != nil {
		return fallback()
	}
	rows := 0
	for _, rec := range res.Records {
		rows += int(rec.NumRows())
	}
	raw := make([]strs, nf)
	for c := 0; c < nf; c++ {
		chunks := make([]arrow.Array, len(res.Records))
		for i, rec := range res.Records {
			chunks[i] = rec.Column(c)
		}
		var arr arrow.Array
		switch len(chunks) {
		case 0:
			arr = array.MakeArrayOfNull(mem, arrow.BinaryTypes.String, 0)
		case 1:
			arr = chunks[0]
		default:
			arr, err = array.Concatenate(chunks, mem)
			if err != nil {
				return fallback()
			}
		}
		s, isStr := arr.(*array.String)
		if !isStr || s.NullN() > 0 {
			return fallback()
		}
		raw[c] = s
	}
	data = nil
	return loadText(raw, rows, cfg), true
}

// loadText is LoadRecords over columns of text whose first row may be the
// header.
func loadText(raw []strs, rows int, cfg loadOptions) DataFrame {
	if rows == 0 {
		return errFrame("load records: empty DataFrame")
	}
	if cfg.hasHeader && rows <= 1 {
		return errFrame("load records: empty DataFrame")
	}
	if cfg.names != nil && len(cfg.names) != len(raw) {
		if len(cfg.names) > len(raw) {
			return errFrame("load records: too many column names")
		}
		return errFrame("load records: not enough column names")
	}
	headers := make([]string, len(raw))
	if cfg.hasHeader {
		for i, c := range raw {
			headers[i] = strings.Clone(c.Value(0))
			raw[i] = sliceFrom(c.(*array.String), 1)
		}
		rows--
	}
	if cfg.names != nil {
		headers = append([]string(nil), cfg.names...)
	}
	return loadColumns(headers, raw, rows, cfg)
}

func sliceFrom(a *array.String, from int) *array.String {
	return array.NewSlice(a, int64(from), int64(a.Len())).(*array.String)
}

// ReadJSON reads a JSON array from a io.Reader and builds a DataFrame with the
// resulting records.
func ReadJSON(r io.Reader, options ...LoadOption) DataFrame {
	var m []map[string]interface{}
	d := json.NewDecoder(r)
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		return DataFrame{Err: err}
	}
	return LoadMaps(m, options...)
}

// WriteOption is the type used to configure the writing of elements
type WriteOption func(*writeOptions)

type writeOptions struct {
	writeHeader bool
}

// WriteHeader sets the writeHeader option for writeOptions.
func WriteHeader(b bool) WriteOption {
	return func(c *writeOptions) { c.writeHeader = b }
}

// WriteCSV writes the DataFrame to the given io.Writer as a CSV file, the
// bytes gota's writer gives (encoding/csv quoting, floats as %f, NA as
// NaN). Row blocks are formatted in parallel and written in order.
func (df DataFrame) WriteCSV(w io.Writer, options ...WriteOption) error {
	if df.Err != nil {
		return df.Err
	}
	cfg := writeOptions{writeHeader: true}
	for _, option := range options {
		option(&cfg)
	}
	bw := csv.NewWriter(w)
	if cfg.writeHeader {
		if err := bw.Write(df.Names()); err != nil {
			return err
		}
	}
	bw.Flush()
	if err := bw.Error(); err != nil {
		return err
	}
	if len(df.columns) == 0 {
		return nil
	}
	const block = 1 << 14
	nblocks := (df.nrows + block - 1) / block
	// Blocks are formatted by workers a bounded window ahead of the
	// writer, so memory holds a few blocks, not the whole text. Window
	// slots are taken in block order, so the block the writer waits for
	// always holds one.
	window := 4 * runtime.GOMAXPROCS(0)
	bufs := make([]chan []byte, nblocks)
	for i := range bufs {
		bufs[i] = make(chan []byte, 1)
	}
	sem := make(chan struct{}, window)
	work := make(chan int)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(work)
		for b := 0; b < nblocks; b++ {
			select {
			case sem <- struct{}{}:
			case <-done:
				return
			}
			select {
			case work <- b:
			case <-done:
				return
			}
		}
	}()
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		go func() {
			for b := range work {
				bufs[b] <- df.formatBlock(b*block, min(df.nrows, (b+1)*block))
			}
		}()
	}
	for b := 0; b < nblocks; b++ {
		buf := <-bufs[b]
		<-sem
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// formatBlock renders rows [lo, hi) as encoding/csv would.
func (df DataFrame) formatBlock(lo, hi int) []byte {
	var out bytes.Buffer
	cw := csv.NewWriter(&out)
	row := make([]string, len(df.columns))
	var scratch []byte
	for r := lo; r < hi; r++ {
		scratch = scratch[:0]
		offs := make([]int, len(df.columns)+1)
		for c, col := range df.columns {
			if s, ok := col.arr.(*array.String); ok && s.IsValid(r) {
				offs[c+1] = offs[c]
				continue
			}
			scratch = format(scratch, col.arr, r)
			offs[c+1] = len(scratch)
		}
		text := string(scratch)
		for c, col := range df.columns {
			if s, ok := col.arr.(*array.String); ok && s.IsValid(r) {
				row[c] = s.Value(r)
				continue
			}
			row[c] = text[offs[c]:offs[c+1]]
		}
		cw.Write(row)
	}
	cw.Flush()
	return out.Bytes()
}

// WriteJSON writes the DataFrame to the given io.Writer as a JSON array.
func (df DataFrame) WriteJSON(w io.Writer) error {
	if df.Err != nil {
		return df.Err
	}
	return json.NewEncoder(w).Encode(df.Maps())
}
