package dataframe

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/bitutil"
	"github.com/apache/arrow/go/v15/arrow/memory"
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

// strs is a piece of a column of raw text: a []string, a column of
// records or an Arrow utf8 array. A column is a list of pieces (the
// parallel CSV reader returns one record per byte range), processed
// piece by piece so they are never concatenated.
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
// NaNValues. A few short strings, so a length check rejects most values.
type nanSet struct {
	values []string
	maxLen int
}

func newNanSet(values []string) nanSet {
	s := nanSet{values: []string{"NaN"}, maxLen: 3}
	for _, v := range values {
		if v != "NaN" {
			s.values = append(s.values, v)
			s.maxLen = max(s.maxLen, len(v))
		}
	}
	return s
}

func (s nanSet) has(v string) bool {
	if len(v) > s.maxLen {
		return false
	}
	for _, x := range s.values {
		if x == v {
			return true
		}
	}
	return false
}

// atoi is strconv.Atoi for base 10 on 64-bit int ([+-]digits, in range)
// without the error allocation Atoi makes for every non-integer.
func atoi(s string) (int64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	neg := false
	i := 0
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i = 1
		if len(s) == 1 {
			return 0, false
		}
	}
	if len(s)-i < 19 {
		var n int64
		for ; i < len(s); i++ {
			c := s[i] - '0'
			if c > 9 {
				return 0, false
			}
			n = n*10 + int64(c)
		}
		if neg {
			n = -n
		}
		return n, true
	}
	for j := i; j < len(s); j++ {
		if s[j] < '0' || s[j] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	return v, err == nil
}

// isFloat is "strconv.ParseFloat(s, 64) succeeds", with a quick refusal
// of text that cannot be a number, so a text column does not allocate an
// error per value.
func isFloat(s string) bool {
	if s == "" {
		return false
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.':
	case c == 'i', c == 'I', c == 'n', c == 'N':
	default:
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// findType is gota's type detection: String if any value is text, then
// Bool, Float, Int; ok false when every value is empty or NaN.
func findType(col []strs, nan nanSet) (t series.Type, ok bool) {
	var hasFloats, hasInts, hasBools bool
	for _, piece := range col {
		for i, n := 0, piece.Len(); i < n; i++ {
			str := piece.Value(i)
			if str == "" || nan.has(str) {
				continue
			}
			if _, ok := atoi(str); ok {
				hasInts = true
				continue
			}
			if isFloat(str) {
				hasFloats = true
				continue
			}
			if str == "true" || str == "false" {
				hasBools = true
				continue
			}
			return series.String, true
		}
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

func textLen(col []strs) int {
	n := 0
	for _, p := range col {
		n += p.Len()
	}
	return n
}

// validity is a null bitmap being filled; nil bits until the first null.
type validity struct {
	bits  []byte
	n     int
	nulls int
}

func (v *validity) null(i int) {
	if v.bits == nil {
		v.bits = make([]byte, bitutil.BytesForBits(int64(v.n)))
		for k := range v.bits {
			v.bits[k] = 0xff
		}
	}
	bitutil.ClearBit(v.bits, i)
	v.nulls++
}

func (v *validity) buffer() *memory.Buffer {
	if v.bits == nil {
		return nil
	}
	return memory.NewBufferBytes(v.bits)
}

func int64Array(vals []int64, v *validity) arrow.Array {
	data := array.NewData(arrow.PrimitiveTypes.Int64, len(vals),
		[]*memory.Buffer{v.buffer(), memory.NewBufferBytes(arrow.Int64Traits.CastToBytes(vals))}, nil, v.nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

func float64Array(vals []float64, v *validity) arrow.Array {
	data := array.NewData(arrow.PrimitiveTypes.Float64, len(vals),
		[]*memory.Buffer{v.buffer(), memory.NewBufferBytes(arrow.Float64Traits.CastToBytes(vals))}, nil, v.nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// parseColumn converts text to a column of type t as gota's elements'
// Set(string) does; text that does not parse is NA.
func parseColumn(col []strs, t series.Type, nan nanSet) arrow.Array {
	n := textLen(col)
	switch t {
	case series.Int:
		vals := make([]int64, n)
		v := &validity{n: n}
		k := 0
		for _, p := range col {
			for i, m := 0, p.Len(); i < m; i, k = i+1, k+1 {
				s := p.Value(i)
				x, ok := atoi(s)
				if !ok || nan.has(s) {
					v.null(k)
					continue
				}
				vals[k] = x
			}
		}
		return int64Array(vals, v)
	case series.Float:
		vals := make([]float64, n)
		v := &validity{n: n}
		k := 0
		for _, p := range col {
			for i, m := 0, p.Len(); i < m; i, k = i+1, k+1 {
				s := p.Value(i)
				if nan.has(s) || !isFloat(s) {
					v.null(k)
					continue
				}
				x, _ := strconv.ParseFloat(s, 64)
				if math.IsNaN(x) {
					v.null(k)
					continue
				}
				vals[k] = x
			}
		}
		return float64Array(vals, v)
	case series.Bool:
		b := array.NewBooleanBuilder(mem)
		b.Reserve(n)
		for _, p := range col {
			for i, m := 0, p.Len(); i < m; i++ {
				s := p.Value(i)
				switch {
				case nan.has(s):
					b.UnsafeAppendBoolToBitmap(false)
				case s == "true" || s == "t" || s == "1":
					b.UnsafeAppend(true)
				case s == "false" || s == "f" || s == "0":
					b.UnsafeAppend(false)
				default:
					switch strings.ToLower(s) {
					case "true", "t", "1":
						b.UnsafeAppend(true)
					case "false", "f", "0":
						b.UnsafeAppend(false)
					default:
						b.UnsafeAppendBoolToBitmap(false)
					}
				}
			}
		}
		return b.NewArray()
	}
	if len(col) == 1 {
		if a, ok := col[0].(*array.String); ok && a.NullN() == 0 {
			hasNaN := false
			for i := 0; i < n && !hasNaN; i++ {
				hasNaN = nan.has(a.Value(i))
			}
			if !hasNaN {
				return a // already the column, shared
			}
		}
	}
	b := array.NewStringBuilder(mem)
	b.Reserve(n)
	bytes := 0
	for _, p := range col {
		if a, ok := p.(*array.String); ok {
			bytes += len(a.ValueBytes())
		}
	}
	b.ReserveData(bytes)
	for _, p := range col {
		for i, m := 0, p.Len(); i < m; i++ {
			s := p.Value(i)
			if nan.has(s) {
				b.AppendNull()
			} else {
				b.Append(s)
			}
		}
	}
	return b.NewArray()
}

// loadColumn types one column of text as gota's LoadRecords does: from
// WithTypes, detection or DefaultType, then parsed.
func loadColumn(header string, raw []strs, cfg loadOptions, nan nanSet) arrow.Array {
	t, ok := cfg.types[header]
	if !ok {
		t = cfg.defaultType
		if cfg.detectTypes {
			if l, ok := findType(raw, nan); ok {
				t = l
			}
		}
	}
	return parseColumn(raw, t, nan)
}

// loadColumns is gota's LoadRecords after the header, columns in
// parallel.
func loadColumns(headers []string, raw [][]strs, nrows int, cfg loadOptions) DataFrame {
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
		cols[i] = column{name: headers[i], arr: loadColumn(headers[i], raw[i], cfg, nan)}
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
	raw := make([][]strs, len(headers))
	for i := range raw {
		raw[i] = []strs{recordColumn{records, i}}
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
	// Quotes (encoding/csv's rules differ from the engine's in corner
	// cases), NUL bytes and compressed input (which the engine would
	// decompress and gota would not) go to gota's parser. A file is
	// scanned in blocks; the parse then maps it.
	var head []byte
	if path != "" {
		var plain bool
		var err error
		head, plain, err = scanFile(path)
		if err != nil {
			return DataFrame{Err: err}, true
		}
		if !plain {
			return fallback()
		}
	} else {
		if !plainText(data) {
			return fallback()
		}
		head = data
	}
	first := head
	if nl := bytes.IndexByte(head, '\n'); nl >= 0 {
		first = head[:nl]
	} else if path != "" && len(head) == 1<<16 {
		return fallback() // a first line this long: let encoding/csv have it
	}
	if len(bytes.TrimRight(first, "\r")) == 0 || (cfg.comment != 0 && len(first) > 0 && rune(first[0]) == cfg.comment) {
		return fallback() // a leading blank or comment line: let encoding/csv find the first record
	}
	firstText := strings.TrimSuffix(string(first), "\r")
	fields := strings.Split(firstText, string(cfg.delimiter))
	nf := len(fields)
	if cfg.names != nil && len(cfg.names) != nf {
		if len(cfg.names) > nf {
			return errFrame("load records: too many column names"), true
		}
		return errFrame("load records: not enough column names"), true
	}
	headers := make([]string, nf)
	if cfg.hasHeader {
		copy(headers, fields)
	}
	if cfg.names != nil {
		copy(headers, cfg.names)
	}
	for _, t := range append([]series.Type{cfg.defaultType}, typeValues(cfg.types)...) {
		if _, err := arrowType(t); err != nil {
			return errFrame("unknown type %v", t), true // gota panics
		}
	}
	names := engineNames(nf)
	nan := newNanSet(cfg.nanValues)
	opt := shoalcsv.Options{
		Header:    false,
		Names:     names,
		Delimiter: byte(cfg.delimiter),
		Quote:     '"',
		Comment:   byte(cfg.comment),
		// The strings gota reads as NaN are null in every column type.
		NAValues: append([]string(nil), nan.values...),
	}
	if cfg.hasHeader {
		opt.SkipRows = 1
	}
	opt.ChunkBytes = readChunkBytes.Load()
	read := func(opt shoalcsv.Options) (*shoalcsv.Result, error) {
		if path != "" {
			return shoalcsv.ReadFile(ctx, path, opt)
		}
		return shoalcsv.Read(ctx, bytes.NewReader(data), "csv", opt)
	}
	res, err := read(opt)
	if err != nil {
		return fallback()
	}
	rows := 0
	for _, rec := range res.Records {
		rows += int(rec.NumRows())
	}
	if rows == 0 {
		return errFrame("load records: empty DataFrame"), true
	}
	// The engine inferred each column's type from the text. A column it
	// read as int64 (every value an optionally signed decimal integer in
	// range, or NaN) is an Int column for gota too; float64 likewise
	// (numbers, at least one not an integer). Every other column, and any
	// column whose type WithTypes or DetectTypes(false) decides, is read as
	// text and typed by gota's rules.
	want := make([]series.Type, nf)
	forced := make([]bool, nf)
	for i, h := range headers {
		want[i], forced[i] = cfg.types[h]
		if !forced[i] && !cfg.detectTypes {
			want[i], forced[i] = cfg.defaultType, true
		}
	}
	cols := make([]column, nf)
	var textCols []string
	typed := make([]bool, nf)
	for i := 0; i < nf; i++ {
		switch res.Schema.Field(i).Type.ID() {
		case arrow.INT64:
			typed[i] = !forced[i] || want[i] == series.Int
		case arrow.FLOAT64:
			typed[i] = !forced[i] || want[i] == series.Float
		case arrow.STRING:
			continue
		}
		if !typed[i] {
			textCols = append(textCols, names[i])
		}
	}
	var text *shoalcsv.Result
	if len(textCols) > 0 {
		topt := opt
		topt.Columns = textCols
		topt.Types = map[string]arrow.DataType{}
		for _, c := range textCols {
			topt.Types[c] = arrow.BinaryTypes.String
		}
		if text, err = read(topt); err != nil {
			return fallback()
		}
	}
	var failed atomic.Bool
	parallel(nf, func(i int) {
		var chunks []arrow.Array
		if t := findInStringSlice(names[i], textCols); t >= 0 {
			for _, rec := range text.Records {
				chunks = append(chunks, rec.Column(t))
			}
		} else {
			for _, rec := range res.Records {
				chunks = append(chunks, rec.Column(i))
			}
		}
		if typed[i] {
			nulls, n := 0, 0
			for k, ch := range chunks {
				arr, err := normalize(ch)
				if err != nil || hasInf(arr) {
					failed.Store(true) // gota's ParseFloat refuses out-of-range text
					return
				}
				chunks[k] = arr
				nulls += arr.NullN()
				n += arr.Len()
			}
			if nulls == n {
				t := cfg.defaultType
				if forced[i] {
					t = want[i]
				}
				cols[i] = column{name: headers[i], arr: nullArray(t, n)}
				return
			}
			cols[i] = chunkedColumn(headers[i], chunks)
			return
		}
		raw := make([]strs, len(chunks))
		for k, c := range chunks {
			a, ok := c.(*array.String)
			if !ok {
				failed.Store(true)
				return
			}
			raw[k] = nullAsNaN{a}
		}
		t, ok := cfg.types[headers[i]]
		if !ok {
			t = cfg.defaultType
			if cfg.detectTypes {
				if l, ok := findType(raw, nan); ok {
					t = l
				}
			}
		}
		if t == series.String {
			// Text the engine read with gota's NaN markers as nulls
			// holds no other marker: its pieces are the column.
			cols[i] = chunkedColumn(headers[i], chunks)
			return
		}
		cols[i] = column{name: headers[i], arr: parseColumn(raw, t, nan)}
	})
	if failed.Load() {
		return fallback()
	}
	return build(cols, rows), true
}

func typeValues(m map[string]series.Type) []series.Type {
	var out []series.Type
	for _, t := range m {
		out = append(out, t)
	}
	return out
}

// plainText reports whether b can go to the engine's parser: no quote, no
// NUL byte, no gzip or zstd magic.
func plainText(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0x1f, 0x8b}) || bytes.HasPrefix(b, []byte{0x28, 0xb5, 0x2f, 0xfd}) {
		return false
	}
	return bytes.IndexByte(b, '"') < 0 && bytes.IndexByte(b, 0) < 0
}

// scanFile checks a file with plainText block by block and returns its
// first 64 KiB.
func scanFile(path string) (head []byte, plain bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for first := true; ; first = false {
		n, err := io.ReadFull(f, buf)
		if first {
			head = append([]byte(nil), buf[:min(n, 1<<16)]...)
			if !plainText(buf[:n]) {
				return head, false, nil
			}
		} else if bytes.IndexByte(buf[:n], '"') >= 0 || bytes.IndexByte(buf[:n], 0) >= 0 {
			return head, false, nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return head, true, nil
		}
		if err != nil {
			return nil, false, err
		}
	}
}

// readChunkBytes is the parallel reader's range size (0: its default);
// tests lower it to get columns in many pieces from small inputs.
var readChunkBytes atomic.Int64

// nullAsNaN reads a text column whose nulls are the reader's NaN markers.
type nullAsNaN struct{ a *array.String }

func (n nullAsNaN) Len() int { return n.a.Len() }
func (n nullAsNaN) Value(i int) string {
	if n.a.IsNull(i) {
		return "NaN"
	}
	return n.a.Value(i)
}

func hasInf(arr arrow.Array) bool {
	f, ok := arr.(*array.Float64)
	if !ok {
		return false
	}
	for _, v := range f.Float64Values() {
		if math.IsInf(v, 0) {
			return true
		}
	}
	return false
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
			if s, ok := col.array().(*array.String); ok && s.IsValid(r) {
				offs[c+1] = offs[c]
				continue
			}
			scratch = format(scratch, col.array(), r)
			offs[c+1] = len(scratch)
		}
		text := string(scratch)
		for c, col := range df.columns {
			if s, ok := col.array().(*array.String); ok && s.IsValid(r) {
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
