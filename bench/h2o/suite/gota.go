package suite

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/apache/arrow/go/v15/arrow/memory"
	gotadf "github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/shoaldata/shoal/io/gota"
)

// GotaResult is one question run through gota v0.12.0's own API, beside
// Shoal's time for it.
type GotaResult struct {
	Task     string `json:"task"`
	Question string `json:"question"`
	// Expressible is false when gota's API has no way to ask the question;
	// Why says what is missing.
	Expressible bool    `json:"expressible"`
	Why         string  `json:"why,omitempty"`
	Seconds     float64 `json:"gota_s,omitempty"`
	Rows        int     `json:"gota_rows,omitempty"`
	// ExtrapolatedFrom is set when gota ran on only the first rows of x
	// (its joins are nested loops, |x|·|y| comparisons: the full question
	// would take hours); Seconds is then the measured time scaled by
	// |x|/ExtrapolatedFrom, which is exact for a nested loop's cost up to
	// the rows it appends.
	ExtrapolatedFrom int     `json:"extrapolated_from_rows,omitempty"`
	ShoalMode        string  `json:"shoal_mode,omitempty"`
	ShoalSeconds     float64 `json:"shoal_s,omitempty"`
	ShoalRows        int64   `json:"shoal_rows,omitempty"`
	// Ratio is Seconds/ShoalSeconds: how many times faster Shoal is.
	Ratio float64 `json:"ratio,omitempty"`
}

// gotaQuestion is one question in gota: run answers it on the tables.
type gotaQuestion struct {
	name string
	why  string // not expressible: what gota lacks
	run  func(t gotaTables) gotadf.DataFrame
	// right is the join's right table, whose size bounds how many rows
	// of x the nested loop can afford.
	right func(t gotaTables) gotadf.DataFrame
}

type gotaTables struct{ x, small, medium, big gotadf.DataFrame }

func agg(df gotadf.DataFrame, keys []string, typs []gotadf.AggregationType, cols []string) gotadf.DataFrame {
	return df.GroupBy(keys...).Aggregation(typs, cols)
}

var gotaGroupBy = []gotaQuestion{
	{name: "q1", run: func(t gotaTables) gotadf.DataFrame {
		return agg(t.x, []string{"id1"}, []gotadf.AggregationType{gotadf.Aggregation_SUM}, []string{"v1"})
	}},
	{name: "q2", run: func(t gotaTables) gotadf.DataFrame {
		return agg(t.x, []string{"id1", "id2"}, []gotadf.AggregationType{gotadf.Aggregation_SUM}, []string{"v1"})
	}},
	{name: "q3", run: func(t gotaTables) gotadf.DataFrame {
		return agg(t.x, []string{"id3"}, []gotadf.AggregationType{gotadf.Aggregation_SUM, gotadf.Aggregation_MEAN}, []string{"v1", "v3"})
	}},
	{name: "q4", run: func(t gotaTables) gotadf.DataFrame {
		m := gotadf.Aggregation_MEAN
		return agg(t.x, []string{"id4"}, []gotadf.AggregationType{m, m, m}, []string{"v1", "v2", "v3"})
	}},
	{name: "q5", run: func(t gotaTables) gotadf.DataFrame {
		s := gotadf.Aggregation_SUM
		return agg(t.x, []string{"id6"}, []gotadf.AggregationType{s, s, s}, []string{"v1", "v2", "v3"})
	}},
	{name: "q6", run: func(t gotaTables) gotadf.DataFrame {
		return agg(t.x, []string{"id4", "id5"}, []gotadf.AggregationType{gotadf.Aggregation_MEDIAN, gotadf.Aggregation_STD}, []string{"v3", "v3"})
	}},
	{name: "q7", run: func(t gotaTables) gotadf.DataFrame {
		a := agg(t.x, []string{"id3"}, []gotadf.AggregationType{gotadf.Aggregation_MAX, gotadf.Aggregation_MIN}, []string{"v1", "v2"})
		// Rapply is gota's way to derive a column from several: one
		// series per row.
		r := a.Select([]string{"v1_MAX", "v2_MIN"}).Rapply(func(s series.Series) series.Series {
			f := s.Float()
			return series.Floats([]float64{f[0] - f[1]})
		})
		return a.Select([]string{"id3"}).Mutate(r.Col("X0").Copy()).Rename("range_v1_v2", "X0")
	}},
	{name: "q8", why: "no per-group head (or window rank): GroupBy only feeds Aggregation"},
	{name: "q9", why: "no correlation aggregate: Aggregation offers max, min, mean, median, std, sum, count"},
	{name: "q10", run: func(t gotaTables) gotadf.DataFrame {
		return agg(t.x, []string{"id1", "id2", "id3", "id4", "id5", "id6"},
			[]gotadf.AggregationType{gotadf.Aggregation_SUM, gotadf.Aggregation_COUNT}, []string{"v3", "v1"})
	}},
}

var gotaJoin = []gotaQuestion{
	{name: "q1", run: func(t gotaTables) gotadf.DataFrame { return t.x.InnerJoin(t.small, "id1") },
		right: func(t gotaTables) gotadf.DataFrame { return t.small }},
	{name: "q2", run: func(t gotaTables) gotadf.DataFrame { return t.x.InnerJoin(t.medium, "id2") },
		right: func(t gotaTables) gotadf.DataFrame { return t.medium }},
	{name: "q3", run: func(t gotaTables) gotadf.DataFrame { return t.x.LeftJoin(t.medium, "id2") },
		right: func(t gotaTables) gotadf.DataFrame { return t.medium }},
	{name: "q4", run: func(t gotaTables) gotadf.DataFrame { return t.x.InnerJoin(t.medium, "id5") },
		right: func(t gotaTables) gotadf.DataFrame { return t.medium }},
	{name: "q5", run: func(t gotaTables) gotadf.DataFrame { return t.x.InnerJoin(t.big, "id3") },
		right: func(t gotaTables) gotadf.DataFrame { return t.big }},
}

// gotaJoinBudget bounds a gota join's key comparisons: gota's InnerJoin
// and LeftJoin compare every row of x with every row of the right table,
// so past this x is cut to its first budget/|right| rows and the time
// extrapolated. 3e7 comparisons take some seconds.
const gotaJoinBudget = 30_000_000

// RunGota runs the questions of d (those named, or all) through gota's
// API, once each: the data is generated as Run generates it and converted
// to gota DataFrames before any timer starts. log gets a line per
// question as it ends (gota's questions take seconds to minutes at 1e6).
func RunGota(ctx context.Context, d Data, questions []string, log io.Writer) ([]GotaResult, error) {
	if _, err := selectQuestions(d.Task, questions); err != nil {
		return nil, err
	}
	tabs, err := Generate(d, memory.DefaultAllocator)
	if err != nil {
		return nil, err
	}
	gt := make([]gotadf.DataFrame, len(tabs))
	for i, t := range tabs {
		gt[i], err = gota.ToGota(t.Rec)
		t.Rec.Release()
		if err != nil {
			return nil, fmt.Errorf("suite: %s to gota: %w", t.Name, err)
		}
	}
	var tables gotaTables
	qs := gotaGroupBy
	if d.Task == TaskJoin {
		tables = gotaTables{gt[0], gt[1], gt[2], gt[3]}
		qs = gotaJoin
	} else {
		tables.x = gt[0]
	}
	var out []GotaResult
	for _, q := range qs {
		if len(questions) > 0 && !slices.Contains(questions, q.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
		r := GotaResult{Task: d.Task, Question: q.name, Expressible: q.run != nil, Why: q.why}
		if q.run != nil {
			t := tables
			if q.right != nil {
				if m := q.right(t).Nrow(); m > 0 && t.x.Nrow()*m > gotaJoinBudget {
					r.ExtrapolatedFrom = max(gotaJoinBudget/m, 10)
					idx := make([]int, r.ExtrapolatedFrom)
					for i := range idx {
						idx[i] = i
					}
					t.x = t.x.Subset(idx)
				}
			}
			t0 := time.Now()
			ans := q.run(t)
			r.Seconds = time.Since(t0).Seconds()
			if ans.Err != nil {
				return out, fmt.Errorf("suite: gota %s %s: %w", d.Task, q.name, ans.Err)
			}
			r.Rows = ans.Nrow()
			if r.ExtrapolatedFrom > 0 {
				r.Seconds *= float64(tables.x.Nrow()) / float64(r.ExtrapolatedFrom)
				r.Rows = 0 // the answer of a part of x says nothing of the whole's rows
			}
		}
		out = append(out, r)
		if log != nil {
			fmt.Fprintf(log, "gota %s %s: %s\n", d.Task, q.name, gotaLine(r))
		}
	}
	return out, nil
}

func gotaLine(r GotaResult) string {
	switch {
	case !r.Expressible:
		return "not expressible: " + r.Why
	case r.ExtrapolatedFrom > 0:
		return fmt.Sprintf("%.3f s (extrapolated from %d rows of x)", r.Seconds, r.ExtrapolatedFrom)
	}
	return fmt.Sprintf("%.3f s, %d rows", r.Seconds, r.Rows)
}

// AddShoalSeconds fills in each result's Shoal figures from rep (the
// best run of the same question) and the ratio.
func AddShoalSeconds(res []GotaResult, rep *Report) {
	for i := range res {
		r := &res[i]
		if r.Task != rep.Task {
			continue
		}
		secs := rep.QuestionSeconds(r.Question)
		if len(secs) == 0 {
			continue
		}
		r.ShoalMode, r.ShoalSeconds = rep.Mode, slices.Min(secs)
		for _, s := range rep.Steps {
			if s.Question == r.Question {
				r.ShoalRows = s.Rows
			}
		}
		if r.Expressible && r.ShoalSeconds > 0 {
			r.Ratio = r.Seconds / r.ShoalSeconds
		}
	}
}

// PrintGota prints the comparison as a table.
func PrintGota(w io.Writer, res []GotaResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TASK\tQUESTION\tGOTA S\tSHOAL S\tGOTA/SHOAL\tNOTE")
	for _, r := range res {
		if !r.Expressible {
			fmt.Fprintf(tw, "%s\t%s\t-\t%.3f\t-\tgota cannot express it: %s\n", r.Task, r.Question, r.ShoalSeconds, r.Why)
			continue
		}
		note := fmt.Sprintf("%d rows (shoal %d)", r.Rows, r.ShoalRows)
		if r.ExtrapolatedFrom > 0 {
			note = fmt.Sprintf("extrapolated from the first %d rows of x (nested-loop join)", r.ExtrapolatedFrom)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.3f\t%.3f\t%.0fx\t%s\n", r.Task, r.Question, r.Seconds, r.ShoalSeconds, r.Ratio, note)
	}
	tw.Flush()
}
