package jsonl

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unsafe"

	"github.com/apache/arrow/go/v15/arrow"
)

// kind is an inferred column's place in the promotion order; the join of
// two kinds is the larger.
type kind uint8

const (
	kNull kind = iota // no non-null value yet
	kBool
	kInt
	kFloat
	kString
)

func (k kind) arrowType() arrow.DataType {
	switch k {
	case kBool:
		return arrow.FixedWidthTypes.Boolean
	case kInt:
		return arrow.PrimitiveTypes.Int64
	case kFloat:
		return arrow.PrimitiveTypes.Float64
	}
	return arrow.BinaryTypes.String // kString, and kNull: a column of nulls
}

// colPlan is one output column.
type colPlan struct {
	name  string
	given arrow.DataType // from Options.Types; nil when inferred
	kind  kind           // inferred columns only
	loc   *time.Location // given timestamps: the zone of naive strings
}

func (c *colPlan) arrowType() arrow.DataType {
	if c.given != nil {
		return c.given
	}
	return c.kind.arrowType()
}

// plan is the schema a parse builds, shared read-only by the chunk parsers
// of one pass.
type plan struct {
	cols    []colPlan
	index   map[string]int
	project bool               // Options.Columns given: keys outside the plan are ignored
	given   map[string]colPlan // Options.Types, checked
}

func newPlan(project bool, given map[string]colPlan) *plan {
	return &plan{index: make(map[string]int), project: project, given: given}
}

func (p *plan) add(c colPlan) {
	p.index[c.name] = len(p.cols)
	p.cols = append(p.cols, c)
}

func (p *plan) clone() *plan {
	q := &plan{cols: append([]colPlan(nil), p.cols...), index: make(map[string]int, len(p.index)), project: p.project, given: p.given}
	for k, v := range p.index {
		q.index[k] = v
	}
	return q
}

func (p *plan) schema() *arrow.Schema {
	fields := make([]arrow.Field, len(p.cols))
	for i := range p.cols {
		fields[i] = arrow.Field{Name: p.cols[i].name, Type: p.cols[i].arrowType(), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

// givenColumn checks that t is a type a read can produce.
func givenColumn(name string, t arrow.DataType) (colPlan, error) {
	c := colPlan{name: name, given: t}
	switch t.ID() {
	case arrow.BOOL, arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64,
		arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64,
		arrow.FLOAT32, arrow.FLOAT64, arrow.STRING, arrow.LARGE_STRING, arrow.DATE32:
		return c, nil
	case arrow.TIMESTAMP:
		loc, err := t.(*arrow.TimestampType).GetZone()
		if err != nil {
			return c, fmt.Errorf("%w: column %q: %v", ErrUnsupportedType, name, err)
		}
		c.loc = loc
		return c, nil
	case arrow.DICTIONARY:
		d := t.(*arrow.DictionaryType)
		if d.IndexType.ID() == arrow.INT32 && d.ValueType.ID() == arrow.STRING {
			return c, nil
		}
	}
	return c, fmt.Errorf("%w: column %q: %s", ErrUnsupportedType, name, t)
}

// str views b as a string for the strconv parsers, which copy what they
// keep (into errors) and so never let it escape.
func str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// parseInt parses a JSON integer (already checked by the tokenizer); ok is
// false when it does not fit int64.
func parseInt(b []byte) (v int64, ok bool) {
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) > 18 { // may not fit: let strconv decide
		s := string(b)
		if neg {
			s = "-" + s
		}
		v, err := strconv.ParseInt(s, 10, 64)
		return v, err == nil
	}
	var u int64
	for _, c := range b {
		u = u*10 + int64(c-'0')
	}
	if neg {
		u = -u
	}
	return u, true
}

func parseFloat(b []byte, bits int) float64 {
	// The tokenizer checked the grammar, so the only error is range, where
	// ParseFloat returns ±Inf (overflow) or ±0 (underflow): the nearest.
	f, _ := strconv.ParseFloat(str(b), bits)
	return f
}

// valueKind is the least kind holding f, with f.i or f.f set for numbers.
func valueKind(f *field) kind {
	switch f.kind {
	case vNull:
		return kNull
	case vTrue, vFalse:
		return kBool
	case vInt:
		if v, ok := parseInt(f.raw); ok {
			f.i = v
			return kInt
		}
		return kFloat
	case vFloat:
		return kFloat
	}
	return kString
}

// errNoFit says a value does not fit a given type.
type errNoFit struct {
	key, value string
	typ        arrow.DataType
	why        string
}

func (e *errNoFit) Error() string {
	s := fmt.Sprintf("key %q: value %s does not fit %s", e.key, e.value, e.typ)
	if e.why != "" {
		s += ": " + e.why
	}
	return s
}

func noFit(c *colPlan, f *field, why string) error {
	v := string(f.raw)
	if f.kind == vString {
		v = strconv.Quote(v)
	}
	if len(v) > 80 {
		v = v[:77] + "..."
	}
	return &errNoFit{key: c.name, value: v, typ: c.given, why: why}
}

// convertGiven checks that the non-null value f fits c's given type and
// sets f.i, f.u or f.f.
func convertGiven(c *colPlan, f *field) error {
	switch c.given.ID() {
	case arrow.BOOL:
		if f.kind != vTrue && f.kind != vFalse {
			return noFit(c, f, "")
		}
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64:
		if f.kind != vInt {
			return noFit(c, f, "")
		}
		v, err := strconv.ParseInt(str(f.raw), 10, c.given.(arrow.FixedWidthDataType).BitWidth())
		if err != nil {
			return noFit(c, f, "out of range")
		}
		f.i = v
	case arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		if f.kind != vInt {
			return noFit(c, f, "")
		}
		v, err := strconv.ParseUint(str(f.raw), 10, c.given.(arrow.FixedWidthDataType).BitWidth())
		if err != nil {
			return noFit(c, f, "out of range")
		}
		f.u = v
	case arrow.FLOAT32, arrow.FLOAT64:
		if f.kind != vInt && f.kind != vFloat {
			return noFit(c, f, "")
		}
		f.f = parseFloat(f.raw, c.given.(arrow.FixedWidthDataType).BitWidth())
	case arrow.STRING, arrow.LARGE_STRING, arrow.DICTIONARY:
		// Every value has a text.
	case arrow.TIMESTAMP:
		unit := c.given.(*arrow.TimestampType).Unit
		switch f.kind {
		case vInt:
			v, ok := parseInt(f.raw)
			if !ok {
				return noFit(c, f, "out of range")
			}
			f.i = v
		case vString:
			v, err := parseTimestamp(str(f.raw), unit, c.loc)
			if err != nil {
				return noFit(c, f, err.Error())
			}
			f.i = v
		default:
			return noFit(c, f, "")
		}
	case arrow.DATE32:
		switch f.kind {
		case vInt:
			v, ok := parseInt(f.raw)
			if !ok || v < math.MinInt32 || v > math.MaxInt32 {
				return noFit(c, f, "out of range")
			}
			f.i = v
		case vString:
			t, err := time.Parse(time.DateOnly, str(f.raw))
			if err != nil {
				return noFit(c, f, "want YYYY-MM-DD")
			}
			f.i = int64(arrow.Date32FromTime(t))
		default:
			return noFit(c, f, "")
		}
	}
	return nil
}

// parseTimestamp reads RFC 3339 and the forms arrow.TimestampFromString
// takes ("2006-01-02", a space for the T, no seconds); a string without a
// zone is read in loc.
func parseTimestamp(s string, unit arrow.TimeUnit, loc *time.Location) (int64, error) {
	ts, hasZone, err := arrow.TimestampFromStringInLocation(s, unit, time.UTC)
	if err != nil {
		return 0, err
	}
	if hasZone || loc == time.UTC {
		return int64(ts), nil
	}
	t := ts.ToTime(unit)
	t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
	v, err := arrow.TimestampFromTime(t, unit)
	return int64(v), err
}
