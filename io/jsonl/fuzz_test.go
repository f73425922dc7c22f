package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

// FuzzRead checks that the reader never panics, that a parallel read with
// tiny chunks gives what a serial one-chunk read gives (schema, rows, error
// or skipped count), and that the tokenizer accepts exactly the lines
// encoding/json finds valid objects. Seeds are in testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	f.Add([]byte(`{"a":1,"b":"x"}` + "\n" + `{"b":2.5,"c":[1,{"d":null}]}`))
	f.Add([]byte("{\"a\":true}\r\n\n{\"a\":\"\\u00e9\\ud83d\\ude00\"}\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, mode := range []BadLines{Error, Skip} {
			types := map[string]arrow.DataType{"t": arrow.FixedWidthTypes.Timestamp_ms, "i": arrow.PrimitiveTypes.Int16}
			serial, serr := fuzzRead(t, in, Options{ChunkBytes: int64(len(in)) + 1, Parallelism: 1, OnBadLines: mode, Types: types, SampleLines: 3})
			par, perr := fuzzRead(t, in, Options{ChunkBytes: 7, Parallelism: 3, OnBadLines: mode, Types: types, SampleLines: 3})
			if (serr == nil) != (perr == nil) || (serr != nil && serr.Error() != perr.Error()) {
				t.Fatalf("serial err %v, parallel err %v", serr, perr)
			}
			if serial != par {
				t.Fatalf("serial:\n%s\nparallel:\n%s", serial, par)
			}
		}
		var tok tokenizer
		for _, line := range bytes.Split(in, []byte{'\n'}) {
			if blank(line) {
				continue
			}
			err := tok.parse(line)
			var obj map[string]json.RawMessage
			valid := json.Valid(line) && json.Unmarshal(line, &obj) == nil && obj != nil
			if err != nil && strings.Contains(err.Error(), errDepth.Error()) {
				continue // encoding/json allows deeper nesting
			}
			if (err == nil) != valid {
				t.Fatalf("line %q: tokenizer err %v, encoding/json valid object %v", line, err, valid)
			}
		}
	})
}

func fuzzRead(t *testing.T, in []byte, opt Options) (string, error) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opt.Mem = mem
	res, err := Read(context.Background(), bytes.NewReader(in), "fuzz", opt)
	if err != nil {
		if !errors.Is(err, ErrBadLine) {
			t.Fatalf("unexpected error kind: %v", err)
		}
		return "", err
	}
	defer res.Release()
	var sb strings.Builder
	sb.WriteString(schemaString(res.Schema))
	sb.WriteString("\n")
	for _, r := range rows(res.Records) {
		sb.WriteString(r)
		sb.WriteString("\n")
	}
	return sb.String() + "skipped " + string(rune('0'+res.Skipped%10)), nil
}
