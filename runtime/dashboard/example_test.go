package dashboard_test

import (
	"context"
	"fmt"
	"net/http/httptest"

	"github.com/shoaldata/shoal/runtime/dashboard"
)

// The head serves the dashboard with the cluster token and a function that
// reads its control store; here a fixed one-node cluster stands in.
func Example() {
	source := func(context.Context) (dashboard.Snapshot, error) {
		return dashboard.Snapshot{
			Cluster: dashboard.Cluster{Name: "demo"},
			Nodes: []dashboard.Node{{
				ID: "node-1", Address: "127.0.0.1:6380", State: dashboard.NodeAlive, IsHead: true,
				Resources: map[string]dashboard.Resource{dashboard.ResourceCPU: {Total: 2, Available: 2}},
			}},
		}, nil
	}
	h := dashboard.New("s3cret", source)

	// A browser opens the URL `shoal start --head` printed...
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/?token=s3cret", nil))
	fmt.Println(rec.Code, rec.Header().Get("Location"))
	cookie := rec.Result().Cookies()[0]

	// ...and from then on its cookie lets the page read the status.
	req := httptest.NewRequest("GET", "/api/status", nil)
	req.AddCookie(cookie)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Body.String()[:68])

	// A program sends the token as a bearer token; a wrong one is refused.
	req = httptest.NewRequest("GET", "/api/status", nil)
	req.Header.Set("Authorization", "Bearer guess")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	fmt.Println(rec.Code)
	// Output:
	// 303 /
	// 200 {"cluster":{"name":"demo","started":"0001-01-01T00:00:00Z"},"totals"
	// 401
}

func ExampleTotalsOf() {
	t := dashboard.TotalsOf([]dashboard.Node{
		{State: dashboard.NodeAlive, Tasks: dashboard.TaskCounts{Running: 2, Finished: 5}},
		{State: dashboard.NodeDead, Tasks: dashboard.TaskCounts{Running: 1, Finished: 7}},
	})
	fmt.Printf("alive %d, dead %d, running %d, finished %d\n", t.NodesAlive, t.NodesDead, t.Tasks.Running, t.Tasks.Finished)
	// Output:
	// alive 1, dead 1, running 2, finished 12
}
