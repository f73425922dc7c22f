package suite

import (
	"github.com/shoaldata/shoal/dataframe"
)

// Tables are the frames a question reads: X alone for the groupby task
// (the G1 table), X and the three right tables for the join task (J1).
type Tables struct {
	X, Small, Medium, Big *dataframe.DataFrame
}

// Question is one H2O question, written with Shoal's DataFrame API as
// groupby_pandas.py and join_pandas.py write it with pandas. Run builds
// the lazy answer; the runner collects it inside the timer.
type Question struct {
	Name string
	Text string
	Run  func(t Tables) *dataframe.DataFrame
}

// by groups x as the benchmark does: groupby(..., observed=True,
// dropna=False) with pandas' other defaults (sort=True, keys as the
// index, so the keys are not part of an answer's checksum).
func by(x *dataframe.DataFrame, keys ...string) *dataframe.GroupBy {
	return x.GroupBy(keys...).Dropna(false)
}

// GroupByQuestions are the ten groupby questions, in order.
var GroupByQuestions = []Question{
	{"q1", "sum v1 by id1", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id1").Agg(dataframe.Sum("v1"))
	}},
	{"q2", "sum v1 by id1:id2", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id1", "id2").Agg(dataframe.Sum("v1"))
	}},
	{"q3", "sum v1 mean v3 by id3", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id3").Agg(dataframe.Sum("v1"), dataframe.Mean("v3"))
	}},
	{"q4", "mean v1:v3 by id4", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id4").Agg(dataframe.Mean("v1"), dataframe.Mean("v2"), dataframe.Mean("v3"))
	}},
	{"q5", "sum v1:v3 by id6", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id6").Agg(dataframe.Sum("v1"), dataframe.Sum("v2"), dataframe.Sum("v3"))
	}},
	{"q6", "median v3 sd v3 by id4 id5", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id4", "id5").Agg(dataframe.Median("v3").As("v3_median"), dataframe.Std("v3").As("v3_std"))
	}},
	{"q7", "max v1 - min v2 by id3", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id3").Agg(dataframe.Max("v1"), dataframe.Min("v2")).
			WithColumn("range_v1_v2", dataframe.Col("v1").Sub(dataframe.Col("v2"))).
			Select("range_v1_v2")
	}},
	{"q8", "largest two v3 by id6", func(t Tables) *dataframe.DataFrame {
		return by(t.X.Select("id6", "v3").SortValues(dataframe.Desc("v3")), "id6").Head(2)
	}},
	{"q9", "regression v1 v2 by id2 id4", func(t Tables) *dataframe.DataFrame {
		r := by(t.X, "id2", "id4").Agg(dataframe.Corr("v1", "v2").As("r"))
		return r.WithColumn("r2", dataframe.Col("r").Mul(dataframe.Col("r"))).Select("r2")
	}},
	{"q10", "sum v3 count by id1:id6", func(t Tables) *dataframe.DataFrame {
		return by(t.X, "id1", "id2", "id3", "id4", "id5", "id6").Agg(dataframe.Sum("v3"), dataframe.Size().As("v1"))
	}},
}

// merge is pandas' x.merge(y, how=how, on=key): key once, other shared
// names suffixed _x and _y, a fresh RangeIndex.
func merge(x, y *dataframe.DataFrame, how, key string) *dataframe.DataFrame {
	return x.Merge(y, dataframe.MergeOptions{How: how, On: []string{key}})
}

// JoinQuestions are the five join questions, in order.
var JoinQuestions = []Question{
	{"q1", "small inner on int", func(t Tables) *dataframe.DataFrame {
		return merge(t.X, t.Small, "inner", "id1")
	}},
	{"q2", "medium inner on int", func(t Tables) *dataframe.DataFrame {
		return merge(t.X, t.Medium, "inner", "id2")
	}},
	{"q3", "medium outer on int", func(t Tables) *dataframe.DataFrame {
		return merge(t.X, t.Medium, "left", "id2")
	}},
	{"q4", "medium inner on factor", func(t Tables) *dataframe.DataFrame {
		return merge(t.X, t.Medium, "inner", "id5")
	}},
	{"q5", "big inner on int", func(t Tables) *dataframe.DataFrame {
		return merge(t.X, t.Big, "inner", "id3")
	}},
}

// Questions returns the questions of task ("groupby" or "join"), nil for
// another task.
func Questions(task string) []Question {
	switch task {
	case TaskGroupBy:
		return GroupByQuestions
	case TaskJoin:
		return JoinQuestions
	}
	return nil
}
