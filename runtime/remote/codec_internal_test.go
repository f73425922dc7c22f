package remote

import (
	"reflect"
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
	"github.com/apache/arrow/go/v15/arrow/memory"
)

type codecPoint struct {
	X, Y  int
	Label []string
}

type codecHidden struct{ x int }

type codecID int32

func roundTrip[T any](t *testing.T, v T) T {
	t.Helper()
	c := codecOf[T]()
	b, err := c.enc(v)
	if err != nil {
		t.Fatalf("enc(%#v): %v", v, err)
	}
	got, err := c.dec(b)
	if err != nil {
		t.Fatalf("dec(enc(%#v)): %v", v, err)
	}
	return as[T](got)
}

func TestCodecRoundTrip(t *testing.T) {
	check := func(got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("round trip gave %#v, want %#v", got, want)
		}
	}
	check(roundTrip(t, 42), 42)
	check(roundTrip(t, int64(-7)), int64(-7))
	check(roundTrip(t, codecID(9)), codecID(9))
	check(roundTrip(t, 2.5), 2.5)
	check(roundTrip(t, "héllo"), "héllo")
	check(roundTrip(t, ""), "")
	check(roundTrip(t, []int{1, 2, 3}), []int{1, 2, 3})
	check(roundTrip(t, codecPoint{1, 2, []string{"a"}}), codecPoint{1, 2, []string{"a"}})
	check(roundTrip(t, &codecPoint{X: 3}), &codecPoint{X: 3})
	check(roundTrip[*codecPoint](t, nil), (*codecPoint)(nil))
	check(roundTrip[arrow.Record](t, nil), arrow.Record(nil))
}

func TestCodecRecord(t *testing.T) {
	b := array.NewInt64Builder(memory.DefaultAllocator)
	b.AppendValues([]int64{4, 5, 6}, nil)
	col := b.NewArray()
	b.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{col}, 3)
	col.Release()
	defer rec.Release()
	got := roundTrip[arrow.Record](t, rec)
	defer got.Release()
	if !array.RecordEqual(got, rec) {
		t.Errorf("round trip gave %v, want %v", got, rec)
	}
}

func TestCodecError(t *testing.T) {
	_, err := codecOf[codecHidden]().enc(codecHidden{1})
	want := "encoding remote.codecHidden with gob: gob: type remote.codecHidden has no exported fields"
	if err == nil || err.Error() != want {
		t.Fatalf("enc = %v, want %q", err, want)
	}
	_, err = codecOf[int]().dec([]byte{tagNil})
	if want := "decoding int: bad tag"; err == nil || err.Error() != want {
		t.Fatalf("dec = %v, want %q", err, want)
	}
}

func TestRegisteredSignatures(t *testing.T) {
	e := lookup("test.add")
	if e == nil || e.kind != kindFunc || e.invoke == nil {
		t.Fatalf("lookup(test.add) = %+v, want a function", e)
	}
	if len(e.sig.args) != 2 || e.sig.args[0].typ != reflect.TypeFor[int]() || len(e.sig.outs) != 1 {
		t.Fatalf("test.add's signature = %+v, want (int, int) int", e.sig)
	}
	if _, err := e.sig.arg(2); err == nil || err.Error() != "argument 3 of 2" {
		t.Fatalf("arg(2) = %v, want the error \"argument 3 of 2\"", err)
	}
}
