package h2o

import (
	"github.com/shoaldata/shoal/dataframe"
)

// Question is one H2O groupby question over the G1 table x, written with
// Shoal's DataFrame API as groupby_pandas.py writes it with pandas:
// groupby(..., observed=True, dropna=False) with pandas' other defaults
// (sort=True, keys as the index).
type Question struct {
	Name string
	Text string
	Run  func(x *dataframe.DataFrame) *dataframe.DataFrame
}

// by groups x as the benchmark does.
func by(x *dataframe.DataFrame, keys ...string) *dataframe.GroupBy {
	return x.GroupBy(keys...).Dropna(false)
}

// GroupByQuestions are the ten questions, in order.
var GroupByQuestions = []Question{
	{"q1", "sum v1 by id1", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id1").Agg(dataframe.Sum("v1"))
	}},
	{"q2", "sum v1 by id1:id2", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id1", "id2").Agg(dataframe.Sum("v1"))
	}},
	{"q3", "sum v1 mean v3 by id3", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id3").Agg(dataframe.Sum("v1"), dataframe.Mean("v3"))
	}},
	{"q4", "mean v1:v3 by id4", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id4").Agg(dataframe.Mean("v1"), dataframe.Mean("v2"), dataframe.Mean("v3"))
	}},
	{"q5", "sum v1:v3 by id6", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id6").Agg(dataframe.Sum("v1"), dataframe.Sum("v2"), dataframe.Sum("v3"))
	}},
	{"q6", "median v3 sd v3 by id4 id5", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id4", "id5").Agg(dataframe.Median("v3").As("v3_median"), dataframe.Std("v3").As("v3_std"))
	}},
	{"q7", "max v1 - min v2 by id3", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id3").Agg(dataframe.Max("v1"), dataframe.Min("v2")).
			WithColumn("range_v1_v2", dataframe.Col("v1").Sub(dataframe.Col("v2"))).
			Select("range_v1_v2")
	}},
	{"q8", "largest two v3 by id6", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x.Select("id6", "v3").SortValues(dataframe.Desc("v3")), "id6").Head(2)
	}},
	{"q9", "regression v1 v2 by id2 id4", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		r := by(x, "id2", "id4").Agg(dataframe.Corr("v1", "v2").As("r"))
		return r.WithColumn("r2", dataframe.Col("r").Mul(dataframe.Col("r"))).Select("r2")
	}},
	{"q10", "sum v3 count by id1:id6", func(x *dataframe.DataFrame) *dataframe.DataFrame {
		return by(x, "id1", "id2", "id3", "id4", "id5", "id6").Agg(dataframe.Sum("v3"), dataframe.Size().As("v1"))
	}},
}
