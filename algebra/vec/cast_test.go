package vec

import (
	"testing"

	"github.com/apache/arrow/go/v15/arrow"
	"github.com/apache/arrow/go/v15/arrow/array"
)

func TestCast(t *testing.T) {
	layouts(t, func(e *tenv) {
		cases := []struct {
			name     string
			from     arrow.DataType
			in       string
			to       arrow.DataType
			want     string
			wantDict bool
		}{
			{"int32 to int64", i32, `[1, null, -3]`, i64, `[1, null, -3]`, false},
			{"int64 to int8 wraps", i64, `[300, -1]`, i8, `[44, -1]`, false},
			{"int8 to uint16", i8, `[-1, 5]`, u16, `[65535, 5]`, false},
			{"uint64 to float64", u64, `[18446744073709551615]`, f64, `[18446744073709551615]`, false},
			{"int to float32", i16, `[3, null]`, f32, `[3, null]`, false},
			{"float to int truncates", f64, `[1.9, -1.9, null]`, i64, `[1, -1, null]`, false},
			{"float to uint8", f32, `[255.5, 0]`, u8, `[255, 0]`, false},
			{"float64 to float32", f64, `[0.5]`, f32, `[0.5]`, false},
			{"int to bool", i32, `[0, 2, null]`, boolT, `[false, true, null]`, false},
			{"bool to int", boolT, `[true, false, null]`, i64, `[1, 0, null]`, false},
			{"bool to float", boolT, `[true]`, f64, `[1]`, false},
			{"int to string", i64, `[-12, null, 0]`, str, `["-12", null, "0"]`, false},
			{"uint to large string", u32, `[7]`, lstr, `["7"]`, false},
			{"float to string", f64, `[1, 2.5, 1e16, 1e-5, 123456.789, null]`, str, `["1.0", "2.5", "1e+16", "1e-05", "123456.789", null]`, false},
			{"float32 to string", f32, `[0.1]`, str, `["0.1"]`, false},
			{"bool to string", boolT, `[true, false]`, str, `["True", "False"]`, false},
			{"string to int", str, `["1", " -2 ", null]`, i64, `[1, -2, null]`, false},
			{"string to uint8", lstr, `["255"]`, u8, `[255]`, false},
			{"string to float", str, `["1.5", "-0", null, "1e3"]`, f64, `[1.5, -0, null, 1000]`, false},
			{"string to bool", str, `["true", "False", "1"]`, boolT, `[true, false, true]`, false},
			{"string to large string", str, `["a", null, "bc"]`, lstr, `["a", null, "bc"]`, false},
			{"large string to string", lstr, `["a", null, "bc"]`, str, `["a", null, "bc"]`, false},
			{"string to binary", str, `["a"]`, bin, `["YQ=="]`, false},
			{"string to timestamp", str, `["2021-01-02", "2021-01-02 03:04:05.5", "2021-01-02T03:04:05Z", "2021-01-02T04:04:05+01:00", null]`, tsMs,
				`[1609545600000, 1609556645500, 1609556645000, 1609556645000, null]`, false},
			{"string to date32", str, `["1970-01-03", "1969-12-31 23:00:00"]`, d32, `[2, -1]`, false},
			{"timestamp to string", tsMs, `[1609556645500, 0, null]`, str, `["2021-01-02 03:04:05.5", "1970-01-01 00:00:00", null]`, false},
			{"date32 to string", d32, `[2, -1]`, str, `["1970-01-03", "1969-12-31"]`, false},
			{"timestamp to int64", tsMs, `[5, null]`, i64, `[5, null]`, false},
			{"timestamp to int32", tsS, `[5]`, i32, `[5]`, false},
			{"int64 to timestamp", i64, `[5, null]`, tsS, `[5, null]`, false},
			{"int32 to timestamp", i32, `[5]`, tsNs, `[5]`, false},
			{"timestamp s to ms", tsS, `[2, null]`, tsMs, `[2000, null]`, false},
			{"timestamp ms to s floors", tsMs, `[2500, -1]`, tsS, `[2, -1]`, false},
			{"timestamp to date32", tsS, `[86399, 86400, -1]`, d32, `[0, 1, -1]`, false},
			{"date32 to timestamp", d32, `[1, -1]`, tsMs, `[86400000, -86400000]`, false},
			{"date32 to date64", d32, `[1]`, d64, `[86400000]`, false},
			{"duration s to ms", durS, `[3]`, durMs, `[3000]`, false},
			{"null to int", arrow.Null, `[null, null]`, i64, `[null, null]`, false},
			{"string to dictionary", str, `["b", "a", "b", null, "c"]`, dictOf(i32), ``, true},
			{"dictionary to string", dictOf(i8), ``, str, `["y", "x", null, "y"]`, false},
		}
		for _, c := range cases {
			var in arrow.Array
			if c.from.ID() == arrow.DICTIONARY {
				in = e.dict(i8, `["x", "y"]`, `[1, 0, null, 1]`)
			} else {
				in = e.in(c.from, c.in)
			}
			got, err := Cast(in, c.to, e.mem)
			if err != nil {
				e.t.Fatalf("%s: %v", c.name, err)
			}
			keep(e, got)
			if c.wantDict {
				d := got.(*array.Dictionary)
				if !arrow.TypeEqual(d.DataType(), c.to) || d.Dictionary().String() != `["b" "a" "c"]` || d.Indices().String() != `[0 1 0 (null) 2]` {
					e.t.Fatalf("%s: got %s dictionary %v indices %v", c.name, d.DataType(), d.Dictionary(), d.Indices())
				}
				continue
			}
			want := e.fromJSON(c.to, c.want)
			e.t.Run(c.name, func(t *testing.T) { (&tenv{t: t}).same(got, nil, want) })
		}
		// Same type: the input itself, retained.
		in := e.in(i64, `[1]`)
		got, err := Cast(in, i64, e.mem)
		if err != nil || got != in {
			e.t.Fatalf("cast to own type: %v, %v", got, err)
		}
		got.Release()
		// Dictionary to dictionary with another index type re-encodes.
		got, err = Cast(e.dict(i8, `["x", "y"]`, `[1, 1, 0]`), dictOf(u16), e.mem)
		if err != nil {
			e.t.Fatal(err)
		}
		keep(e, got)
		if d := got.(*array.Dictionary); d.Dictionary().String() != `["y" "x"]` || d.Indices().String() != `[0 0 1]` {
			e.t.Fatalf("dict to dict: %v / %v", d.Dictionary(), d.Indices())
		}
		got, err = Cast(e.in(str, `["nan", "-inf"]`), f64, e.mem)
		e.same(got, err, e.floats([]float64{nan, -1 / zero()}))
		// float to string with NaN and Inf.
		got, err = Cast(e.floats([]float64{nan, -1 / zero()}), str, e.mem)
		e.sameJSON(got, err, str, `["nan", "-inf"]`)
	})
}

func zero() float64 { return 0 }

func TestCastErrors(t *testing.T) {
	layouts(t, func(e *tenv) {
		_, err := Cast(e.in(str, `["1", "2", null, "abc"]`), i64, e.mem)
		fails(e.t, err, ErrCast, `vec: cast utf8 to int64: row 3: "abc": invalid syntax`)
		_, err = Cast(e.in(str, `["300"]`), i8, e.mem)
		fails(e.t, err, ErrCast, `vec: cast utf8 to int8: row 0: "300": value out of range`)
		_, err = Cast(e.floats([]float64{1, nan}), i64, e.mem)
		fails(e.t, err, ErrCast, `vec: cast float64 to int64: row 1: nan: not representable`)
		_, err = Cast(e.in(f64, `[1, 1e300]`), i32, e.mem)
		fails(e.t, err, ErrCast, `vec: cast float64 to int32: row 1: 1e+300: not representable`)
		_, err = Cast(e.in(f64, `[-1]`), u8, e.mem)
		fails(e.t, err, ErrCast, "")
		_, err = Cast(e.in(str, `["2021-13-01"]`), tsS, e.mem)
		fails(e.t, err, ErrCast, "")
		_, err = Cast(e.in(str, `["x"]`), boolT, e.mem)
		fails(e.t, err, ErrCast, "")
		_, err = Cast(e.in(tsS, `[1]`), f64, e.mem)
		fails(e.t, err, ErrType, "vec: cast timestamp[s] to float64: unsupported: type mismatch")
		_, err = Cast(e.in(durS, `[1]`), tsS, e.mem)
		fails(e.t, err, ErrType, "")
		// A null float row is not an error.
		got, err := Cast(e.floats([]float64{1, nan}, 1), i64, e.mem)
		e.sameJSON(got, err, i64, `[1, null]`)
		// More distinct strings than an int8 index holds.
		vals := make([]string, 200)
		for i := range vals {
			vals[i] = string(rune('a'+i%26)) + string(rune('a'+i/26))
		}
		b := array.NewStringBuilder(e.mem)
		b.AppendValues(vals, nil)
		many := keep(e, b.NewArray())
		b.Release()
		_, err = Cast(many, dictOf(i8), e.mem)
		fails(e.t, err, ErrCast, "")
		got, err = Cast(many, dictOf(u8), e.mem)
		if err != nil {
			e.t.Fatalf("200 values into uint8 codes: %v", err)
		}
		keep(e, got)
	})
}

func TestFillNull(t *testing.T) {
	layouts(t, func(e *tenv) {
		got, err := FillNull(e.in(i64, `[1, null, 3]`), ScalarOf(Int64(0)), e.mem)
		e.sameJSON(got, err, i64, `[1, 0, 3]`)
		got, err = FillNull(e.in(i8, `[null, 2]`), ScalarOf(Int64(7)), e.mem)
		e.sameJSON(got, err, i8, `[7, 2]`)
		got, err = FillNull(e.floats([]float64{1, nan, 0}, 2), ScalarOf(Int64(9)), e.mem)
		e.sameJSON(got, err, f64, `[1, 9, 9]`)
		got, err = FillNull(e.in(f32, `[null, 1]`), ScalarOf(Float64(0.5)), e.mem)
		e.sameJSON(got, err, f32, `[0.5, 1]`)
		got, err = FillNull(e.in(str, `["a", null, "c"]`), ScalarOf(String("zz")), e.mem)
		e.sameJSON(got, err, str, `["a", "zz", "c"]`)
		got, err = FillNull(e.in(lstr, `[null]`), ScalarOf(String("q")), e.mem)
		e.sameJSON(got, err, lstr, `["q"]`)
		got, err = FillNull(e.in(boolT, `[true, null, false, null]`), ScalarOf(Bool(true)), e.mem)
		e.sameJSON(got, err, boolT, `[true, true, false, true]`)
		got, err = FillNull(e.in(tsS, `[null, 5]`), ScalarOf(Scalar{Type: tsS, Int: 1}), e.mem)
		e.sameJSON(got, err, tsS, `[1, 5]`)
		got, err = FillNull(e.in(tsMs, `[null]`), ScalarOf(String("1970-01-01 00:00:01")), e.mem)
		e.sameJSON(got, err, tsMs, `[1000]`)
		// Array fill: row by row; a null fill row stays null.
		got, err = FillNull(e.in(i64, `[1, null, null, 4]`), ArrayOf(e.in(i32, `[10, 20, null, 40]`)), e.mem)
		e.sameJSON(got, err, i64, `[1, 20, null, 4]`)
		got, err = FillNull(e.in(str, `[null, null, "c"]`), ArrayOf(e.in(str, `["x", null, "z"]`)), e.mem)
		e.sameJSON(got, err, str, `["x", null, "c"]`)
		got, err = FillNull(e.in(boolT, `[null, null, true]`), ArrayOf(e.in(boolT, `[false, null, false]`)), e.mem)
		e.sameJSON(got, err, boolT, `[false, null, true]`)
		// Null scalar and nothing to fill: the input itself.
		in := e.in(i64, `[null, 1]`)
		got, err = FillNull(in, ScalarOf(NullOf(i64)), e.mem)
		if err != nil || got != in {
			e.t.Fatalf("null fill: %v, %v", got, err)
		}
		got.Release()
		// Dictionary: decoded, filled, re-encoded.
		got, err = FillNull(e.dict(i32, `["x", "y"]`, `[1, null, 0]`), ScalarOf(String("z")), e.mem)
		if err != nil {
			e.t.Fatal(err)
		}
		keep(e, got)
		if d := got.(*array.Dictionary); d.Dictionary().String() != `["y" "z" "x"]` || d.Indices().String() != `[0 1 2]` {
			e.t.Fatalf("dictionary fill: %v / %v", d.Dictionary(), d.Indices())
		}
		// Errors.
		_, err = FillNull(e.in(i64, `[null]`), ScalarOf(String("abc")), e.mem)
		fails(e.t, err, ErrCast, `vec: fillnull: utf8 fill for int64: vec: cast utf8 to int64: row 0: "abc": invalid syntax`)
		_, err = FillNull(e.in(tsS, `[null]`), ScalarOf(Float64(1)), e.mem)
		fails(e.t, err, ErrType, "vec: fillnull: timestamp[s] and float64: type mismatch")
		_, err = FillNull(e.in(i64, `[null]`), ArrayOf(e.in(i64, `[1, 2]`)), e.mem)
		fails(e.t, err, ErrArgument, "")
	})
}

func TestIsIn(t *testing.T) {
	layouts(t, func(e *tenv) {
		check := func(a, values arrow.Array, want string) {
			e.t.Helper()
			got, err := IsIn(a, values, e.mem)
			e.sameJSON(got, err, boolT, want)
		}
		check(e.in(i64, `[1, 2, null, 4]`), e.fromJSON(i64, `[4, 1, null]`), `[true, false, false, true]`)
		check(e.in(i8, `[-1, 1]`), e.fromJSON(u64, `[18446744073709551615, 1]`), `[false, true]`)
		check(e.in(u64, `[18446744073709551615, 3]`), e.fromJSON(u64, `[18446744073709551615]`), `[true, false]`)
		check(e.in(i32, `[1, 2]`), e.fromJSON(f64, `[2.0, 1.5]`), `[false, true]`)
		check(e.floats([]float64{nan, 1, 2}, 2), e.floats([]float64{nan, 1}), `[true, true, false]`)
		check(e.in(str, `["a", "b", null, ""]`), e.fromJSON(lstr, `["b", ""]`), `[false, true, false, true]`)
		check(e.dict(i16, `["x", "y", "z"]`, `[0, 1, 2, null]`), e.fromJSON(str, `["z", "x"]`), `[true, false, true, false]`)
		check(e.in(str, `["x", "q"]`), e.dict(i32, `["x"]`, `[0]`), `[true, false]`)
		check(e.in(boolT, `[true, false, null]`), e.fromJSON(boolT, `[false]`), `[false, true, false]`)
		check(e.in(d32, `[1, 2]`), e.fromJSON(d32, `[2]`), `[false, true]`)
		check(e.in(i64, `[]`), e.fromJSON(i64, `[1]`), `[]`)
		_, err := IsIn(e.in(i64, `[1]`), e.fromJSON(str, `["1"]`), e.mem)
		fails(e.t, err, ErrType, "vec: isin: int64 and utf8: type mismatch")
	})
}
