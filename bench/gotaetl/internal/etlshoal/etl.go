// Package etlshoal is the benchmark's gota-style ETL. Packages etlgota
// (importing gota) and etlshoal (importing Shoal's gota packages) are one
// source with different imports: go generate ./bench/gotaetl writes
// etlshoal from etlgota, and a test checks that nothing else differs.
package etlshoal

import (
	"fmt"
	"io"

	"github.com/shoaldata/shoal/gota/dataframe"
	"github.com/shoaldata/shoal/gota/series"
)

// Stats are row counts along the way, to check both runs did the same work.
type Stats struct {
	Read, Filtered, Groups, Joined int
}

// Run reads the H2O groupby CSV from in, keeps the rows with v1 >= 2 or
// id4 <= 10, adds v4 = v1 * v3, sums and averages per (id1, id4), joins a
// region per id1, sorts by the sum and writes the result as CSV to out.
func Run(in io.Reader, out io.Writer) (Stats, error) {
	var st Stats
	df := dataframe.ReadCSV(in)
	if df.Err != nil {
		return st, fmt.Errorf("read: %w", df.Err)
	}
	st.Read = df.Nrow()

	// Two filters in one call are OR'ed, as gota does.
	df = df.Filter(
		dataframe.F{Colname: "v1", Comparator: series.GreaterEq, Comparando: 2},
		dataframe.F{Colname: "id4", Comparator: series.LessEq, Comparando: 10},
	)
	if df.Err != nil {
		return st, fmt.Errorf("filter: %w", df.Err)
	}
	st.Filtered = df.Nrow()

	v1 := df.Col("v1").Float()
	v3 := df.Col("v3").Float()
	v4 := make([]float64, len(v1))
	for i := range v4 {
		v4[i] = v1[i] * v3[i]
	}
	df = df.Mutate(series.New(v4, series.Float, "v4"))
	if df.Err != nil {
		return st, fmt.Errorf("mutate: %w", df.Err)
	}

	agg := df.GroupBy("id1", "id4").Aggregation(
		[]dataframe.AggregationType{dataframe.Aggregation_SUM, dataframe.Aggregation_MEAN, dataframe.Aggregation_COUNT},
		[]string{"v4", "v3", "v2"},
	)
	if agg.Err != nil {
		return st, fmt.Errorf("groupby: %w", agg.Err)
	}
	st.Groups = agg.Nrow()

	records := [][]string{{"id1", "region", "weight"}}
	regions := []string{"north", "south", "east", "west"}
	for i := 1; i <= 100; i += 2 { // every other id1: the rest stay NaN
		records = append(records, []string{fmt.Sprintf("id%03d", i), regions[i%4], fmt.Sprint(float64(i) / 10)})
	}
	lookup := dataframe.LoadRecords(records)
	res := agg.LeftJoin(lookup, "id1")
	if res.Err != nil {
		return st, fmt.Errorf("join: %w", res.Err)
	}
	st.Joined = res.Nrow()

	res = res.Arrange(dataframe.RevSort("v4_SUM"), dataframe.Sort("id4"))
	if res.Err != nil {
		return st, fmt.Errorf("arrange: %w", res.Err)
	}
	if err := res.WriteCSV(out); err != nil {
		return st, fmt.Errorf("write: %w", err)
	}
	return st, nil
}
