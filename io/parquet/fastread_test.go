package parquet

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
	pq "github.com/apache/arrow/go/v15/parquet"
	"github.com/apache/arrow/go/v15/parquet/compress"
	"github.com/apache/arrow/go/v15/parquet/pqarrow"
)

// writeRaw writes rec with pqarrow and the given writer properties (one
// batch per call: see writeRecords for the v15 dictionary bug).
func writeRaw(t *testing.T, path string, rec arrow.Record, props ...pq.WriterProperty) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	props = append(props, pq.WithBatchSize(rec.NumRows()+1), pq.WithAllocator(memory.NewGoAllocator()))
	fw, err := pqarrow.NewFileWriter(rec.Schema(), f, pq.NewWriterProperties(props...),
		pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := fw.Write(rec); err != nil {
		t.Fatal(err)
	}
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
}

// readBoth reads path with the fast path and with pqarrow alone, through
// the same Read, and returns both results' rows, types and how many
// column chunks the fast path decoded.
func readBoth(t *testing.T, path string, mem memory.Allocator) (fast, slow []string, fastTypes, slowTypes string, decoded int64) {
	t.Helper()
	before := fastColumns.Load()
	res := mustRead(t, path, Options{Mem: mem})
	decoded = fastColumns.Load() - before
	fast, fastTypes = rows(res.Records), types(res)
	res.Release()

	// pqarrow v15 never releases the last data page (v2) of a column
	// chunk: an accounting allocator would see it as a leak of the
	// reference read, so that read uses Go's allocator.
	useFastPath = false
	defer func() { useFastPath = true }()
	res = mustRead(t, path, Options{Mem: memory.NewGoAllocator()})
	slow, slowTypes = rows(res.Records), types(res)
	res.Release()
	return
}

func types(res *Result) string {
	var s string
	for _, r := range res.Records {
		s += r.Schema().String()
	}
	return s
}

// The fast path must return exactly what pqarrow returns, for every page
// layout the writers produce: data page v1 and v2, dictionary and plain
// encodings, a dictionary that overflows to plain mid-chunk, many small
// pages, each codec, with and without nulls.
func TestFastPathEqualsPqarrow(t *testing.T) {
	type layout struct {
		name  string
		props []pq.WriterProperty
		// pqarrow reads a column of the fast read (a dictionary column
		// written plain) from v2 pages: it leaks their last page, so the
		// read cannot use an accounting allocator.
		pqarrowV2 bool
	}
	layouts := []layout{
		{"v1-dict", []pq.WriterProperty{pq.WithDataPageVersion(pq.DataPageV1)}, false},
		{"v2-dict", []pq.WriterProperty{pq.WithDataPageVersion(pq.DataPageV2)}, false},
		{"v1-plain", []pq.WriterProperty{pq.WithDataPageVersion(pq.DataPageV1), pq.WithDictionaryDefault(false)}, false},
		{"v2-plain-snappy", []pq.WriterProperty{pq.WithDataPageVersion(pq.DataPageV2), pq.WithDictionaryDefault(false), pq.WithCompression(compress.Codecs.Snappy)}, true},
		{"small-pages-zstd", []pq.WriterProperty{pq.WithDataPageSize(512), pq.WithCompression(compress.Codecs.Zstd)}, false},
		{"dict-overflow", []pq.WriterProperty{pq.WithDictionaryPageSizeLimit(256), pq.WithDataPageSize(1024)}, false},
		{"v2-overflow-gzip", []pq.WriterProperty{pq.WithDataPageVersion(pq.DataPageV2), pq.WithDictionaryPageSizeLimit(300), pq.WithCompression(compress.Codecs.Gzip)}, false},
	}
	for _, nullEvery := range []int{0, 1, 3, 64} {
		for _, l := range layouts {
			name := fmt.Sprintf("%s/nullEvery=%d", l.name, nullEvery)
			t.Run(name, func(t *testing.T) {
				var mem memory.Allocator = memory.NewGoAllocator()
				if !l.pqarrowV2 {
					checked := memory.NewCheckedAllocator(mem)
					defer checked.AssertSize(t, 0)
					mem = checked
				}
				rec := allRecord(mem, 0, 3000, nullEvery)
				defer rec.Release()
				path := filepath.Join(t.TempDir(), "f.parquet")
				writeRaw(t, path, rec, l.props...)
				fast, slow, ft, st, decoded := readBoth(t, path, mem)
				if ft != st {
					t.Fatalf("types differ:\nfast %s\nslow %s", ft, st)
				}
				if !slices.Equal(fast, slow) {
					for i := range fast {
						if fast[i] != slow[i] {
							t.Fatalf("row %d:\nfast %s\nslow %s", i, fast[i], slow[i])
						}
					}
					t.Fatalf("%d rows fast, %d slow", len(fast), len(slow))
				}
				if want := rows([]arrow.Record{rec}); !slices.Equal(fast, want) {
					t.Fatalf("the read differs from what was written")
				}
				// Every column is flat and of a type the fast path knows;
				// only a dictionary column whose pages overflowed to plain
				// goes to pqarrow.
				if decoded < int64(rec.NumCols())-1 {
					t.Fatalf("the fast path decoded %d of %d columns", decoded, rec.NumCols())
				}
			})
		}
	}
}

// Through the pooled allocator (Options.Mem nil), over several row groups
// read by two workers, with dictionaries larger than a pooled buffer: the
// records must equal pqarrow's, and buffers recycled between row groups
// must not show up in them.
func TestFastPathPooledRowGroups(t *testing.T) {
	mem := memory.NewGoAllocator()
	b := array.NewRecordBuilder(mem, arrow.NewSchema([]arrow.Field{
		{Name: "id", Type: dictType, Nullable: true},
		{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "v", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "x", Type: arrow.PrimitiveTypes.Float64},
	}, nil))
	defer b.Release()
	const n = 200_000
	for i := range n {
		id := b.Field(0).(*array.BinaryDictionaryBuilder)
		if i%97 == 0 {
			id.AppendNull()
			b.Field(1).AppendNull()
		} else {
			id.AppendString(fmt.Sprintf("id%010d", (i*7919)%50_000))
			b.Field(1).(*array.StringBuilder).Append(fmt.Sprintf("row %d", i))
		}
		b.Field(2).(*array.Int64Builder).Append(int64(i % 100))
		b.Field(3).(*array.Float64Builder).Append(float64(i) / 8)
	}
	rec := b.NewRecord()
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "rg.parquet")
	mustWrite(t, path, []arrow.Record{rec}, WriteOptions{RowGroupRows: 40_000})
	fast, slow, ft, st, decoded := readBoth(t, path, nil)
	if ft != st || !slices.Equal(fast, slow) || len(fast) != n {
		t.Fatalf("fast and pqarrow reads differ (%d and %d rows)", len(fast), len(slow))
	}
	if decoded != 4*5 {
		t.Fatalf("the fast path decoded %d column chunks, want 20", decoded)
	}
	if want := rows([]arrow.Record{rec}); !slices.Equal(fast, want) {
		t.Fatal("the read differs from what was written")
	}
}

// referenceHybrid decodes the RLE / bit-packed hybrid one bit at a time.
func referenceHybrid(data []byte, width uint, n int) ([]uint32, bool) {
	var out []uint32
	for len(out) < n {
		var h uint64
		var shift uint
		for {
			if len(data) == 0 || shift > 63 {
				return nil, false
			}
			c := data[0]
			data = data[1:]
			if shift == 63 && c > 1 {
				return nil, false // more than 64 bits
			}
			h |= uint64(c&0x7f) << shift
			shift += 7
			if c < 0x80 {
				break
			}
		}
		if h&1 == 0 {
			bw := int(width+7) / 8
			if len(data) < bw {
				return nil, false
			}
			var v uint32
			for b := range bw {
				v |= uint32(data[b]) << (8 * b)
			}
			data = data[bw:]
			v &= uint32(uint64(1)<<width - 1)
			for k := uint64(0); k < h>>1 && len(out) < n; k++ {
				out = append(out, v)
			}
			continue
		}
		groups := int(min(h>>1, uint64(len(data))+1))
		vals := groups * 8
		bits := uint(0)
		got := 0
		for k := 0; k < vals && len(out) < n; k++ {
			if int((bits+width+7)/8) > len(data) && width > 0 {
				break
			}
			var v uint32
			for bit := uint(0); bit < width; bit++ {
				if data[(bits+bit)/8]>>((bits+bit)%8)&1 != 0 {
					v |= 1 << bit
				}
			}
			bits += width
			out = append(out, v)
			got++
		}
		if got == 0 && width > 0 && vals > 0 {
			return nil, false
		}
		used := min(groups*int(width), len(data))
		data = data[used:]
	}
	return out, true
}

func TestDecodeHybrid(t *testing.T) {
	// 8 values 0..7 bit-packed at width 3 (one group), then an RLE run of
	// five 5s: the example of the Parquet spec plus a run.
	data := []byte{0x03, 0x88, 0xC6, 0xFA, 0x0A, 0x05}
	out := make([]uint32, 13)
	if err := decodeHybrid(data, 3, out); err != nil {
		t.Fatal(err)
	}
	if want := []uint32{0, 1, 2, 3, 4, 5, 6, 7, 5, 5, 5, 5, 5}; !slices.Equal(out, want) {
		t.Fatalf("got %v want %v", out, want)
	}
	if err := decodeHybrid(data[:3], 3, out); err == nil {
		t.Fatal("a truncated run decoded without error")
	}
}

func FuzzDecodeHybrid(f *testing.F) {
	f.Add([]byte{0x03, 0x88, 0xC6, 0xFA, 0x0A, 0x05}, uint8(3), uint16(13))
	f.Add([]byte{0x10, 0x01}, uint8(1), uint16(8))
	f.Add([]byte{0x05, 0xff, 0xff, 0xff, 0xff, 0x01, 0x02, 0x03, 0x04}, uint8(17), uint16(9))
	f.Fuzz(func(t *testing.T, data []byte, width uint8, n uint16) {
		w := uint(width % 33)
		out := make([]uint32, n)
		err := decodeHybrid(data, w, out)
		want, ok := referenceHybrid(data, w, int(n))
		if err == nil && ok && !slices.Equal(out, want) {
			t.Fatalf("width %d: got %v want %v", w, out, want)
		}
		if (err == nil) != ok {
			t.Fatalf("width %d n %d: fast error %v, reference ok %v", w, n, err, ok)
		}
	})
}
