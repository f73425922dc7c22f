package dataframe_test

import (
	"math"
	"testing"

	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/shoaldata/shoal/gota/dataframe"
	"github.com/shoaldata/shoal/gota/series"
)

// -0 equals 0 in gota's comparisons and joins; the engine's paths agree
// (joins on a -0 key run gota's own join).
func TestDiffNegativeZero(t *testing.T) {
	in := newFrames(series.Floats([]float64{math.Copysign(0, -1), 0, 1}))
	for _, c := range []series.Comparator{series.In, series.Eq, series.LessEq} {
		for _, v := range []interface{}{[]float64{0}, []float64{math.Copysign(0, -1)}} {
			var cv interface{} = v
			if c != series.In {
				cv = v.([]float64)[0]
			}
			sameFrame(t, "Filter -0 "+string(c), in.g.Filter(gotadf.F{Colname: "X0", Comparator: c, Comparando: cv}), in.s.Filter(dataframe.F{Colname: "X0", Comparator: c, Comparando: cv}), false)
		}
	}
	right := newFrames(series.Floats([]float64{0, 2}), series.Strings([]string{"zero", "two"}))
	sameFrame(t, "LeftJoin on -0", in.g.LeftJoin(right.g, "X0"), in.s.LeftJoin(right.s, "X0"), false)
	sameFrame(t, "InnerJoin on -0", right.g.InnerJoin(in.g, "X0"), right.s.InnerJoin(in.s, "X0"), false)
	sameFrame(t, "Arrange with -0", in.g.Arrange(gotadf.RevSort("X0")), in.s.Arrange(dataframe.RevSort("X0")), false)
}
