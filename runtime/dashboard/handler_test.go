package dashboard

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// serve sends one request to a dashboard built from token and source.
func serve(h http.Handler, method, target string, edit func(*http.Request)) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	if edit != nil {
		edit(req)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func bearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func indent(t *testing.T, body []byte) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "\t"); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, body)
	}
	return strings.TrimSpace(b.String())
}

// The JSON API, exactly: totals recomputed from the nodes (the dead node's
// resources, objects, store and running tasks left out, its finished and
// failed tasks kept), markup in names escaped.
const wantStatusJSON = `
{
	"cluster": {
		"name": "shoal-test",
		"started": "2026-11-23T18:00:00Z"
	},
	"totals": {
		"nodes_alive": 2,
		"nodes_dead": 1,
		"resources": {
			"CPU": {
				"total": 12,
				"available": 9.5
			},
			"GPU": {
				"total": 2,
				"available": 1
			},
			"memory": {
				"total": 25769803776,
				"available": 23622320128
			},
			"object_store_memory": {
				"total": 6442450944,
				"available": 5905580032
			}
		},
		"tasks": {
			"pending": 2,
			"running": 4,
			"finished": 170,
			"failed": 3
		},
		"objects": {
			"count": 22,
			"bytes": 537919488
		},
		"store": {
			"used_bytes": 537919488,
			"capacity_bytes": 6442450944,
			"spilled_bytes": 268435456
		}
	},
	"nodes": [
		{
			"id": "node-head-7f3a",
			"address": "10.0.0.1:6380",
			"state": "ALIVE",
			"is_head": true,
			"resources": {
				"CPU": {
					"total": 4,
					"available": 1.5
				},
				"memory": {
					"total": 8589934592,
					"available": 6442450944
				},
				"object_store_memory": {
					"total": 2147483648,
					"available": 1610612736
				}
			},
			"tasks": {
				"pending": 2,
				"running": 3,
				"finished": 120,
				"failed": 1
			},
			"objects": {
				"count": 17,
				"bytes": 536870912
			},
			"store": {
				"used_bytes": 536870912,
				"capacity_bytes": 2147483648,
				"spilled_bytes": 0
			},
			"last_heartbeat": "2026-11-23T18:59:58Z"
		},
		{
			"id": "node-worker-b21c",
			"address": "10.0.0.2:41234",
			"state": "ALIVE",
			"is_head": false,
			"resources": {
				"CPU": {
					"total": 8,
					"available": 8
				},
				"GPU": {
					"total": 2,
					"available": 1
				},
				"memory": {
					"total": 17179869184,
					"available": 17179869184
				},
				"object_store_memory": {
					"total": 4294967296,
					"available": 4294967296
				}
			},
			"tasks": {
				"pending": 0,
				"running": 1,
				"finished": 40,
				"failed": 0
			},
			"objects": {
				"count": 5,
				"bytes": 1048576
			},
			"store": {
				"used_bytes": 1048576,
				"capacity_bytes": 4294967296,
				"spilled_bytes": 268435456
			},
			"last_heartbeat": "2026-11-23T18:59:59Z"
		},
		{
			"id": "node-worker-dead-9e01",
			"address": "10.0.0.3:41235",
			"state": "DEAD",
			"is_head": false,
			"resources": {
				"CPU": {
					"total": 8,
					"available": 0
				}
			},
			"tasks": {
				"pending": 0,
				"running": 4,
				"finished": 10,
				"failed": 2
			},
			"objects": {
				"count": 3,
				"bytes": 1000
			},
			"store": {
				"used_bytes": 1000,
				"capacity_bytes": 1073741824,
				"spilled_bytes": 0
			},
			"last_heartbeat": "2026-11-23T18:40:00Z"
		}
	],
	"actors": [
		{
			"id": "actor-01",
			"name": "counter",
			"namespace": "default",
			"class": "Counter",
			"node": "node-head-7f3a",
			"state": "ALIVE",
			"restarts": 0
		},
		{
			"id": "actor-02",
			"name": "\u003cimg src=x onerror=alert(1)\u003e",
			"namespace": "ns\u003cb\u003e",
			"class": "Evil",
			"node": "node-worker-b21c",
			"state": "RESTARTING",
			"restarts": 2
		}
	],
	"jobs": [
		{
			"id": "job-0001",
			"state": "RUNNING",
			"driver": "10.0.0.9:50000",
			"started": "2026-11-23T18:30:00Z"
		}
	]
}

`

func TestStatusJSON(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "GET", "/api/status", bearer(testToken))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type %q, want application/json", got)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", got)
	}
	if got, want := indent(t, rec.Body.Bytes()), strings.TrimSpace(wantStatusJSON); got != want {
		t.Errorf("JSON:\n%s\nwant:\n%s", got, want)
	}
}

func TestStatusJSONEmptyCluster(t *testing.T) {
	h := New(testToken, func(context.Context) (Snapshot, error) {
		return Snapshot{Cluster: Cluster{Name: "empty"}, Nodes: []Node{{ID: "n1", State: NodeAlive}}}, nil
	})
	rec := serve(h, "GET", "/api/status", bearer(testToken))
	want := `{"cluster":{"name":"empty","started":"0001-01-01T00:00:00Z"},` +
		`"totals":{"nodes_alive":1,"nodes_dead":0,"resources":{},"tasks":{"pending":0,"running":0,"finished":0,"failed":0},` +
		`"objects":{"count":0,"bytes":0},"store":{"used_bytes":0,"capacity_bytes":0,"spilled_bytes":0}},` +
		`"nodes":[{"id":"n1","address":"","state":"ALIVE","is_head":false,"resources":{},` +
		`"tasks":{"pending":0,"running":0,"finished":0,"failed":0},"objects":{"count":0,"bytes":0},` +
		`"store":{"used_bytes":0,"capacity_bytes":0,"spilled_bytes":0},"last_heartbeat":"0001-01-01T00:00:00Z"}],` +
		`"actors":[],"jobs":[]}` + "\n"
	if rec.Code != http.StatusOK || rec.Body.String() != want {
		t.Errorf("got %d %s\nwant 200 %s", rec.Code, rec.Body, want)
	}
}

// The source's slices are the control store's; normalising must not write
// into them.
func TestStatusLeavesSourceSnapshotAlone(t *testing.T) {
	snap := Snapshot{Nodes: []Node{{ID: "n1", State: NodeAlive}}}
	h := New(testToken, func(context.Context) (Snapshot, error) { return snap, nil })
	if rec := serve(h, "GET", "/api/status", bearer(testToken)); rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if snap.Nodes[0].Resources != nil {
		t.Errorf("source's node Resources = %v, want nil (untouched)", snap.Nodes[0].Resources)
	}
}

func TestTotalsOf(t *testing.T) {
	got := TotalsOf(nil)
	if got.NodesAlive != 0 || got.NodesDead != 0 || got.Resources == nil || len(got.Resources) != 0 {
		t.Errorf("TotalsOf(nil) = %+v, want zero counts and an empty, non-nil Resources", got)
	}
	got = TotalsOf(fixedSnapshot().Nodes)
	if got.NodesAlive != 2 || got.NodesDead != 1 {
		t.Errorf("nodes alive/dead = %d/%d, want 2/1", got.NodesAlive, got.NodesDead)
	}
	if want := (Resource{Total: 12, Available: 9.5}); got.Resources[ResourceCPU] != want {
		t.Errorf("CPU = %+v, want %+v", got.Resources[ResourceCPU], want)
	}
	if want := (TaskCounts{Pending: 2, Running: 4, Finished: 170, Failed: 3}); got.Tasks != want {
		t.Errorf("tasks = %+v, want %+v", got.Tasks, want)
	}
}

const wantUnauthorizedAPI = `{"error":"Unauthorized: the Shoal dashboard requires the cluster token. ` +
	`Open the dashboard URL printed by 'shoal start --head' (http://127.0.0.1:8265/?token=...)."}` + "\n"

func TestUnauthorized(t *testing.T) {
	h := New(testToken, fixedSource)
	// A session cookie minted by a dashboard with another token.
	otherCookie := sessionCookie(t, New("another-token", fixedSource), "another-token")
	goodCookie := sessionCookie(t, h, testToken)
	cases := []struct {
		name string
		edit func(*http.Request)
	}{
		{"no credentials", nil},
		{"wrong bearer", bearer("wrong")},
		{"token prefix", bearer(testToken[:len(testToken)-1])},
		{"token plus suffix", bearer(testToken + "0")},
		{"empty bearer", bearer("")},
		{"basic scheme", func(r *http.Request) { r.Header.Set("Authorization", "Basic "+testToken) }},
		{"bare token", func(r *http.Request) { r.Header.Set("Authorization", testToken) }},
		{"cookie holding the raw token", func(r *http.Request) { r.AddCookie(&http.Cookie{Name: CookieName, Value: testToken}) }},
		{"cookie from another cluster", func(r *http.Request) { r.AddCookie(otherCookie) }},
		{"wrong bearer beside a good cookie", func(r *http.Request) {
			r.AddCookie(goodCookie)
			r.Header.Set("Authorization", "Bearer wrong")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := serve(h, "GET", "/api/status", c.edit)
			if rec.Code != http.StatusUnauthorized || rec.Body.String() != wantUnauthorizedAPI {
				t.Errorf("/api/status: got %d %q, want 401 %q", rec.Code, rec.Body, wantUnauthorizedAPI)
			}
			if got, want := rec.Header().Get("WWW-Authenticate"), `Bearer realm="shoal dashboard"`; got != want {
				t.Errorf("WWW-Authenticate %q, want %q", got, want)
			}
			rec = serve(h, "GET", "/", c.edit)
			if rec.Code != http.StatusUnauthorized || rec.Body.String() != string(unauthorizedHTML) {
				t.Errorf("/: got %d %q, want 401 and the unauthorized page", rec.Code, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "node-head-7f3a") {
				t.Error("401 page shows cluster data")
			}
		})
	}
}

func TestUnauthorizedPageText(t *testing.T) {
	rec := serve(New(testToken, fixedSource), "GET", "/", nil)
	const want = `<p id="message">Unauthorized: the Shoal dashboard requires the cluster token. ` +
		`Open the dashboard URL printed by 'shoal start --head' (http://127.0.0.1:8265/?token=...).</p>`
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), want) {
		t.Errorf("got %d %s\nwant 401 containing %s", rec.Code, rec.Body, want)
	}
	if got := rec.Header().Get("Content-Type"); got != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", got)
	}
}

func TestBearerSchemeIsCaseInsensitive(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "GET", "/api/status", func(r *http.Request) { r.Header.Set("Authorization", "bearer "+testToken) })
	if rec.Code != http.StatusOK {
		t.Errorf("status %d, want 200: %s", rec.Code, rec.Body)
	}
}

// sessionCookie runs the /?token= flow on h and returns the cookie it sets.
func sessionCookie(t *testing.T, h http.Handler, token string) *http.Cookie {
	t.Helper()
	rec := serve(h, "GET", "/?token="+token, nil)
	cookies := rec.Result().Cookies()
	if rec.Code != http.StatusSeeOther || len(cookies) != 1 {
		t.Fatalf("/?token=: got %d with %d cookies, want 303 with 1", rec.Code, len(cookies))
	}
	return cookies[0]
}

func TestTokenInURLSetsCookieAndRedirects(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "GET", "/?token="+testToken, nil)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", rec.Code)
	}
	if got := rec.Header().Get("Location"); got != "/" {
		t.Errorf("Location %q, want /", got)
	}
	setCookie := rec.Header().Get("Set-Cookie")
	c := rec.Result().Cookies()[0]
	if c.Name != CookieName || c.Path != "/" || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Secure {
		t.Errorf("cookie %q: want %s, Path=/, HttpOnly, SameSite=Strict, not Secure over plain HTTP", setCookie, CookieName)
	}
	if strings.Contains(setCookie, testToken) || len(c.Value) != 64 {
		t.Errorf("cookie %q must hold a 64-hex-digit HMAC, not the token", setCookie)
	}
	if got := rec.Header().Get("Referrer-Policy"); got != "no-referrer" {
		t.Errorf("Referrer-Policy %q, want no-referrer", got)
	}

	withCookie := func(r *http.Request) { r.AddCookie(c) }
	page := serve(h, "GET", "/", withCookie)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `<table id="nodes">`) {
		t.Errorf("/ with the cookie: %d, want 200 and the page", page.Code)
	}
	api := serve(h, "GET", "/api/status", withCookie)
	if got, want := indent(t, api.Body.Bytes()), strings.TrimSpace(wantStatusJSON); api.Code != http.StatusOK || got != want {
		t.Errorf("/api/status with the cookie: %d %s", api.Code, api.Body)
	}
	// A cookie survives a restart of the head with the same token.
	if rec := serve(New(testToken, fixedSource), "GET", "/api/status", withCookie); rec.Code != http.StatusOK {
		t.Errorf("cookie refused by a new handler with the same token: %d", rec.Code)
	}
}

func TestTokenInURLKeepsOtherParameters(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "GET", "/api/status?b=2&token="+testToken+"&a=1", nil)
	if got, want := rec.Header().Get("Location"), "/api/status?a=1&b=2"; rec.Code != http.StatusSeeOther || got != want {
		t.Errorf("got %d Location %q, want 303 %q", rec.Code, got, want)
	}
}

func TestCookieIsSecureOverTLS(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "GET", "https://dash.example/?token="+testToken, func(r *http.Request) { r.TLS = &tls.ConnectionState{} })
	if c := rec.Result().Cookies(); len(c) != 1 || !c[0].Secure {
		t.Errorf("cookies %v: want one Secure cookie over TLS", c)
	}
}

func TestWrongTokenInURL(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "GET", "/?token=wrong", nil)
	if rec.Code != http.StatusUnauthorized || len(rec.Result().Cookies()) != 0 {
		t.Errorf("got %d with cookies %v, want 401 and no cookie", rec.Code, rec.Result().Cookies())
	}
}

func TestEmptyTokenRefusesEverything(t *testing.T) {
	h := New("", fixedSource)
	const want = `{"error":"dashboard: no cluster token configured; refusing every request"}` + "\n"
	for _, edit := range []func(*http.Request){nil, bearer(""), func(r *http.Request) { r.Header.Set("Authorization", "Bearer") }} {
		rec := serve(h, "GET", "/api/status", edit)
		if rec.Code != http.StatusInternalServerError || rec.Body.String() != want {
			t.Errorf("got %d %q, want 500 %q", rec.Code, rec.Body, want)
		}
	}
	if rec := serve(h, "GET", "/?token=", nil); rec.Code != http.StatusInternalServerError {
		t.Errorf("/?token= with no token configured: %d, want 500", rec.Code)
	}
}

func TestSourceError(t *testing.T) {
	h := New(testToken, func(context.Context) (Snapshot, error) {
		return Snapshot{}, errors.New("gcs: head 10.0.0.1:6380 unreachable")
	})
	rec := serve(h, "GET", "/api/status", bearer(testToken))
	const want = `{"error":"dashboard: cluster status: gcs: head 10.0.0.1:6380 unreachable"}` + "\n"
	if rec.Code != http.StatusServiceUnavailable || rec.Body.String() != want {
		t.Errorf("got %d %q, want 503 %q", rec.Code, rec.Body, want)
	}
	// The page itself does not depend on the source.
	if rec := serve(h, "GET", "/", bearer(testToken)); rec.Code != http.StatusOK {
		t.Errorf("/ with a failing source: %d, want 200", rec.Code)
	}
}

func TestNilSource(t *testing.T) {
	rec := serve(New(testToken, nil), "GET", "/api/status", bearer(testToken))
	const want = `{"error":"dashboard: no status source configured"}` + "\n"
	if rec.Code != http.StatusServiceUnavailable || rec.Body.String() != want {
		t.Errorf("got %d %q, want 503 %q", rec.Code, rec.Body, want)
	}
}

func TestSourceGetsBoundedContext(t *testing.T) {
	var deadline time.Time
	var ok bool
	h := New(testToken, func(ctx context.Context) (Snapshot, error) {
		deadline, ok = ctx.Deadline()
		return Snapshot{}, nil
	})
	start := time.Now()
	serve(h, "GET", "/api/status", bearer(testToken))
	if !ok || deadline.Before(start) || deadline.After(time.Now().Add(SourceTimeout)) {
		t.Errorf("source context deadline %v (set %v), want within %v of the request", deadline, ok, SourceTimeout)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "POST", "/api/status", bearer(testToken))
	const want = `{"error":"dashboard: method POST not allowed; use GET"}` + "\n"
	if rec.Code != http.StatusMethodNotAllowed || rec.Body.String() != want || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("got %d %q Allow %q, want 405 %q Allow \"GET, HEAD\"", rec.Code, rec.Body, rec.Header().Get("Allow"), want)
	}
	if rec := serve(h, "HEAD", "/", bearer(testToken)); rec.Code != http.StatusOK {
		t.Errorf("HEAD /: %d, want 200", rec.Code)
	}
}

func TestNotFound(t *testing.T) {
	h := New(testToken, fixedSource)
	rec := serve(h, "GET", "/api/nodes", bearer(testToken))
	const want = `{"error":"dashboard: no page \"/api/nodes\""}` + "\n"
	if rec.Code != http.StatusNotFound || rec.Body.String() != want {
		t.Errorf("got %d %q, want 404 %q", rec.Code, rec.Body, want)
	}
	// Without the token, even a missing page is a 401: nothing is revealed.
	if rec := serve(h, "GET", "/secret", nil); rec.Code != http.StatusUnauthorized {
		t.Errorf("GET /secret without token: %d, want 401", rec.Code)
	}
}

var (
	scriptRE = regexp.MustCompile(`(?s)<script>(.*)</script>`)
	styleRE  = regexp.MustCompile(`(?s)<style>(.*)</style>`)
)

func TestPageIsSelfContained(t *testing.T) {
	rec := serve(New(testToken, fixedSource), "GET", "/", bearer(testToken))
	page := rec.Body.String()
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("got %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	for _, bad := range []string{"http:", "https:", "//cdn", "src=", "href=", "<link", "@import", "url(", "{{"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q: it must load nothing from elsewhere and leave no placeholder", bad)
		}
	}
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("page has %d script elements, want 1 inline", n)
	}
	for _, id := range []string{"summary", "nodes", "resources", "tasks", "objects", "actors", "jobs"} {
		if !strings.Contains(page, `<table id="`+id+`">`) {
			t.Errorf("page has no table %q", id)
		}
	}
	// The policy allows exactly the page's own script and style.
	script := scriptRE.FindStringSubmatch(page)
	style := styleRE.FindStringSubmatch(page)
	if script == nil || style == nil {
		t.Fatal("page has no inline script or style")
	}
	want := "default-src 'none'; script-src " + cspHash(script[1]) + "; style-src " + cspHash(style[1]) +
		"; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	if got := rec.Header().Get("Content-Security-Policy"); got != want {
		t.Errorf("Content-Security-Policy:\n%s\nwant\n%s", got, want)
	}
}

func TestConcurrentRequests(t *testing.T) {
	var mu sync.Mutex
	calls := 0
	h := New(testToken, func(ctx context.Context) (Snapshot, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		return fixedSnapshot(), nil
	})
	want := strings.TrimSpace(wantStatusJSON)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 64 {
		wg.Go(func() {
			rec := serve(h, "GET", "/api/status", bearer(testToken))
			var b bytes.Buffer
			if err := json.Indent(&b, rec.Body.Bytes(), "", "\t"); err != nil || strings.TrimSpace(b.String()) != want {
				errs <- fmt.Sprintf("%d %.200s", rec.Code, rec.Body)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent request got %s", e)
	}
	if calls != 64 {
		t.Errorf("source called %d times, want 64", calls)
	}
}

func TestStatusUnencodableSnapshot(t *testing.T) {
	h := New(testToken, func(context.Context) (Snapshot, error) {
		return Snapshot{Nodes: []Node{{ID: "n1", State: NodeAlive, Resources: map[string]Resource{"CPU": {Total: math.NaN()}}}}}, nil
	})
	rec := serve(h, "GET", "/api/status", bearer(testToken))
	const want = `{"error":"dashboard: encoding cluster status: json: unsupported value: NaN"}` + "\n"
	if rec.Code != http.StatusInternalServerError || rec.Body.String() != want {
		t.Errorf("got %d %q, want 500 %q", rec.Code, rec.Body, want)
	}
}
