package jsonl

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
)

// vkind is the JSON kind of one value as the tokenizer saw it.
type vkind uint8

const (
	vNull   vkind = iota
	vFalse        // false
	vTrue         // true
	vInt          // a number without fraction or exponent
	vFloat        // a number with fraction or exponent
	vString       // raw holds the unescaped content
	vDoc          // a nested object or array; raw holds its JSON text
)

// field is one key/value pair of a line. raw and key alias the line or the
// tokenizer's scratch space and are valid until the next line.
type field struct {
	key  []byte
	raw  []byte
	kind vkind
	// Set by the chunk parser: the plan column (or noColumn/newColumn) and
	// the value converted for it.
	col int32
	i   int64
	u   uint64
	f   float64
}

// maxDepth bounds nesting in nested values, so a hostile line cannot
// exhaust the stack.
const maxDepth = 1000

var errDepth = errors.New("nesting deeper than 1000")

// tokenizer splits one line into fields. It is not safe for concurrent use;
// each chunk parser owns one.
type tokenizer struct {
	line    []byte
	pos     int
	fields  []field
	scratch []byte // unescaped strings of the current line
}

// syntaxError describes a malformed line; pos is a 0-based byte offset.
type syntaxError struct {
	msg string
	pos int
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s at byte %d", e.msg, e.pos+1) }

func (t *tokenizer) fail(msg string) error { return &syntaxError{msg: msg, pos: t.pos} }

func (t *tokenizer) failChar(want string) error {
	if t.pos >= len(t.line) {
		return t.fail("unexpected end of line, want " + want)
	}
	return t.fail(fmt.Sprintf("invalid character %q, want %s", t.line[t.pos], want))
}

func (t *tokenizer) skipSpace() {
	for t.pos < len(t.line) {
		switch t.line[t.pos] {
		case ' ', '\t', '\r', '\n':
			t.pos++
		default:
			return
		}
	}
}

// blank reports whether line holds only whitespace.
func blank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}

// parse tokenizes line, which must hold exactly one JSON object, into
// t.fields. Duplicate keys are left for the caller to find.
func (t *tokenizer) parse(line []byte) error {
	t.line, t.pos, t.fields, t.scratch = line, 0, t.fields[:0], t.scratch[:0]
	t.skipSpace()
	if t.pos >= len(line) || line[t.pos] != '{' {
		if t.pos < len(line) {
			return t.fail("line is not a JSON object")
		}
		return t.fail("empty line")
	}
	t.pos++
	t.skipSpace()
	if t.pos < len(line) && line[t.pos] == '}' {
		t.pos++
		return t.end()
	}
	for {
		t.skipSpace()
		if t.pos >= len(line) || line[t.pos] != '"' {
			return t.failChar("'\"' starting a key")
		}
		key, err := t.str()
		if err != nil {
			return err
		}
		t.skipSpace()
		if t.pos >= len(line) || line[t.pos] != ':' {
			return t.failChar("':' after a key")
		}
		t.pos++
		t.skipSpace()
		f := field{key: key}
		if err := t.value(&f); err != nil {
			return err
		}
		t.fields = append(t.fields, f)
		t.skipSpace()
		if t.pos < len(line) && line[t.pos] == ',' {
			t.pos++
			continue
		}
		if t.pos < len(line) && line[t.pos] == '}' {
			t.pos++
			return t.end()
		}
		return t.failChar("',' or '}'")
	}
}

func (t *tokenizer) end() error {
	t.skipSpace()
	if t.pos != len(t.line) {
		return t.fail("text after the object")
	}
	return nil
}

// value reads one value at t.pos into f.
func (t *tokenizer) value(f *field) error {
	if t.pos >= len(t.line) {
		return t.failChar("a value")
	}
	start := t.pos
	switch c := t.line[t.pos]; {
	case c == '"':
		s, err := t.str()
		if err != nil {
			return err
		}
		f.kind, f.raw = vString, s
		return nil
	case c == '{' || c == '[':
		if err := t.skip(0); err != nil {
			return err
		}
		f.kind, f.raw = vDoc, t.line[start:t.pos]
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		isInt, err := t.number()
		if err != nil {
			return err
		}
		f.kind, f.raw = vFloat, t.line[start:t.pos]
		if isInt {
			f.kind = vInt
		}
		return nil
	case c == 't':
		f.kind = vTrue
		err := t.literal("true")
		f.raw = t.line[start:t.pos]
		return err
	case c == 'f':
		f.kind = vFalse
		err := t.literal("false")
		f.raw = t.line[start:t.pos]
		return err
	case c == 'n':
		f.kind = vNull
		return t.literal("null")
	}
	return t.failChar("a value")
}

func (t *tokenizer) literal(lit string) error {
	if !bytes.HasPrefix(t.line[t.pos:], []byte(lit)) {
		return t.fail("invalid literal, want " + lit)
	}
	t.pos += len(lit)
	return nil
}

// number scans a JSON number and reports whether it has neither fraction
// nor exponent.
func (t *tokenizer) number() (isInt bool, err error) {
	b, i := t.line, t.pos
	if b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		t.pos = i
		return false, t.failChar("a digit")
	}
	isInt = true
	if i < len(b) && b[i] == '.' {
		isInt = false
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			t.pos = i
			return false, t.failChar("a digit after '.'")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		isInt = false
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			t.pos = i
			return false, t.failChar("a digit in the exponent")
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	t.pos = i
	return isInt, nil
}

// str reads a string starting at the quote at t.pos and returns its
// content, unescaped and with invalid UTF-8 replaced.
func (t *tokenizer) str() ([]byte, error) {
	b := t.line
	i := t.pos + 1
	start := i
	escaped, high := false, false
	for {
		if i >= len(b) {
			t.pos = i
			return nil, t.fail("unterminated string")
		}
		c := b[i]
		if c == '"' {
			break
		}
		switch {
		case c == '\\':
			escaped = true
			i++ // the escaped byte is checked by unescape; never a quote end
		case c < 0x20:
			t.pos = i
			return nil, t.fail("control character in string")
		case c >= 0x80:
			high = true
		}
		i++
	}
	raw := b[start:i]
	t.pos = i + 1
	if !escaped {
		if high && !utf8.Valid(raw) {
			n := len(t.scratch)
			t.scratch = append(t.scratch, bytes.ToValidUTF8(raw, []byte("\uFFFD"))...)
			return t.scratch[n:], nil
		}
		return raw, nil
	}
	return t.unescape(raw, start)
}

// unescape appends the content of the escaped string raw (which starts at
// byte off of the line) to the scratch space.
func (t *tokenizer) unescape(raw []byte, off int) ([]byte, error) {
	n := len(t.scratch)
	out := t.scratch
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			j := i + 1
			for j < len(raw) && raw[j] != '\\' {
				j++
			}
			out = append(out, raw[i:j]...)
			i = j
			continue
		}
		if i+1 >= len(raw) {
			t.pos = off + i
			return nil, t.fail("invalid escape")
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			out = append(out, raw[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(raw[i+2:])
			if !ok {
				t.pos = off + i
				return nil, t.fail("invalid \\u escape")
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if i+1 < len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					r2, ok = hex4(raw[i+2:])
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			t.pos = off + i
			return nil, t.fail("invalid escape")
		}
		i += 2
	}
	if !utf8.Valid(out[n:]) {
		fixed := bytes.ToValidUTF8(out[n:], []byte("\uFFFD"))
		out = append(out[:n], fixed...)
	}
	t.scratch = out
	return out[n:], nil
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// skip checks and passes over the value at t.pos; nested values are kept
// as raw text, so only their grammar matters here.
func (t *tokenizer) skip(depth int) error {
	if depth > maxDepth {
		return t.fail(errDepth.Error())
	}
	if t.pos >= len(t.line) {
		return t.failChar("a value")
	}
	switch c := t.line[t.pos]; {
	case c == '{':
		t.pos++
		t.skipSpace()
		if t.pos < len(t.line) && t.line[t.pos] == '}' {
			t.pos++
			return nil
		}
		for {
			t.skipSpace()
			if t.pos >= len(t.line) || t.line[t.pos] != '"' {
				return t.failChar("'\"' starting a key")
			}
			if err := t.skipString(); err != nil {
				return err
			}
			t.skipSpace()
			if t.pos >= len(t.line) || t.line[t.pos] != ':' {
				return t.failChar("':' after a key")
			}
			t.pos++
			t.skipSpace()
			if err := t.skip(depth + 1); err != nil {
				return err
			}
			t.skipSpace()
			if t.pos < len(t.line) && t.line[t.pos] == ',' {
				t.pos++
				continue
			}
			if t.pos < len(t.line) && t.line[t.pos] == '}' {
				t.pos++
				return nil
			}
			return t.failChar("',' or '}'")
		}
	case c == '[':
		t.pos++
		t.skipSpace()
		if t.pos < len(t.line) && t.line[t.pos] == ']' {
			t.pos++
			return nil
		}
		for {
			t.skipSpace()
			if err := t.skip(depth + 1); err != nil {
				return err
			}
			t.skipSpace()
			if t.pos < len(t.line) && t.line[t.pos] == ',' {
				t.pos++
				continue
			}
			if t.pos < len(t.line) && t.line[t.pos] == ']' {
				t.pos++
				return nil
			}
			return t.failChar("',' or ']'")
		}
	case c == '"':
		return t.skipString()
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := t.number()
		return err
	case c == 't':
		return t.literal("true")
	case c == 'f':
		return t.literal("false")
	case c == 'n':
		return t.literal("null")
	}
	return t.failChar("a value")
}

// skipString checks the string at t.pos (escapes included) without
// keeping its content.
func (t *tokenizer) skipString() error {
	n := len(t.scratch)
	_, err := t.str()
	t.scratch = t.scratch[:n]
	return err
}
