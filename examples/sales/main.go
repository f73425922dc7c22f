// Command sales is `make demo`: it reads a 300,000-row sales CSV (written
// from data generated in code on the first run, into the temporary
// directory, or the directory given as the first argument), runs a filter /
// join / group-by / sort pipeline on the single-node path (goroutines, no
// runtime services), and prints the plan and the result as pandas would.
//
// The pandas equivalent:
//
//	big = orders[(orders.quantity > 0) & (orders.price >= 5)]
//	big = big.assign(revenue=big.quantity * big.price)
//	m = big.merge(customers, on="customer_id")
//	out = (m.groupby(["region", "segment"])
//	        .agg(revenue=("revenue", "sum"), orders=("order_id", "count"),
//	             avg_price=("price", "mean"))
//	        .sort_values("revenue", ascending=False).head(8))
package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"

	"github.com/shoaldata/shoal/dataframe"
	"github.com/shoaldata/shoal/io/csv"
)

const (
	orders    = 300_000
	customers = 5_000
)

func main() {
	dir := filepath.Join(os.TempDir(), "shoal-demo")
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := run(context.Background(), os.Stdout, dir); err != nil {
		fmt.Fprintln(os.Stderr, "sales:", err)
		os.Exit(1)
	}
}

// data builds the two frames from a fixed seed, so every run prints the
// same numbers.
func data() (ord, cust *dataframe.DataFrame) {
	rng := rand.New(rand.NewPCG(7, 42))
	regions := []string{"north", "south", "east", "west"}
	segments := []string{"retail", "wholesale", "online"}
	ids := make([]int64, orders)
	cid := make([]int64, orders)
	qty := make([]int64, orders)
	price := make([]float64, orders)
	region := make([]string, orders)
	for i := range orders {
		ids[i] = int64(i + 1)
		cid[i] = rng.Int64N(customers) + 1
		qty[i] = rng.Int64N(12) - 1 // -1 and 0 are returns and cancellations
		price[i] = float64(rng.IntN(10_000)) / 100
		region[i] = regions[rng.IntN(len(regions))]
	}
	ord = dataframe.FromColumns(
		dataframe.NewColumn("order_id", ids),
		dataframe.NewColumn("customer_id", cid),
		dataframe.NewColumn("quantity", qty),
		dataframe.NewColumn("price", price),
		dataframe.NewCategorical("region", region),
	)
	cids := make([]int64, customers)
	seg := make([]string, customers)
	for i := range customers {
		cids[i] = int64(i + 1)
		seg[i] = segments[rng.IntN(len(segments))]
	}
	cust = dataframe.FromColumns(dataframe.NewColumn("customer_id", cids), dataframe.NewCategorical("segment", seg))
	return ord, cust
}

// query is the pipeline: top regions and segments by revenue.
func query(ord, cust *dataframe.DataFrame) *dataframe.DataFrame {
	big := ord.Filter(dataframe.Col("quantity").Gt(0).And(dataframe.Col("price").Ge(5.0))).
		WithColumn("revenue", dataframe.Col("quantity").Mul(dataframe.Col("price")))
	return big.Merge(cust, dataframe.MergeOptions{On: []string{"customer_id"}}).
		GroupBy("region", "segment").
		Agg(dataframe.Sum("revenue"), dataframe.Count("order_id").As("orders"), dataframe.Mean("price").As("avg_price")).
		SortValues(dataframe.Desc("revenue")).
		Head(8)
}

// load reads the orders and customers CSV files from dir, writing them
// first if they are missing.
func load(ctx context.Context, w io.Writer, dir string) (ord, cust *dataframe.DataFrame, err error) {
	orders, customers := filepath.Join(dir, "orders.csv"), filepath.Join(dir, "customers.csv")
	if _, err := os.Stat(orders); err != nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, nil, err
		}
		o, c := data()
		wo := csv.WriteOptions{Delimiter: ',', Header: true}
		if err := o.ToCSV(ctx, orders, wo); err != nil {
			return nil, nil, err
		}
		if err := c.ToCSV(ctx, customers, wo); err != nil {
			return nil, nil, err
		}
		fmt.Fprintf(w, "wrote %s and %s\n", orders, customers)
	}
	ordOpt, custOpt := csv.DefaultOptions(), csv.DefaultOptions()
	ordOpt.Categorical = []string{"region"}
	custOpt.Categorical = []string{"segment"}
	start := time.Now()
	if ord, err = dataframe.ReadCSV(ctx, orders, ordOpt); err != nil {
		return nil, nil, err
	}
	if cust, err = dataframe.ReadCSV(ctx, customers, custOpt); err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(w, "read %s and %s in %v\n", orders, customers, time.Since(start).Round(time.Millisecond))
	return ord, cust, nil
}

func run(ctx context.Context, w io.Writer, dir string) error {
	ord, cust, err := load(ctx, w, dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "orders: %d rows x %d columns, customers: %d rows\n\n", orders, len(ord.Columns()), customers)
	fmt.Fprintln(w, ord.Head(5))
	fmt.Fprintln(w)

	report := query(ord, cust)
	fmt.Fprintln(w, report.Explain())

	start := time.Now()
	out, err := report.Collect(ctx)
	if err != nil {
		return err
	}
	took := time.Since(start)
	s, err := out.Format(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, s)
	fmt.Fprintf(w, "\nfilter + join + group-by + sort of %d rows: %v\n", orders, took.Round(time.Millisecond))
	return nil
}
