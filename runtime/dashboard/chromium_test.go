//go:build unix

package dashboard

import (
	"bytes"
	"context"
	"errors"
	"html"
	"net/http/httptest"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// chromiumTimeout bounds one browser run. A run takes a few seconds; the
// margin is for a loaded two-core machine.
const chromiumTimeout = 2 * time.Minute

// findChromium returns Debian's chromium (or another distribution's
// chromium-browser), or "" when neither is installed.
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// dumpDOM loads url in headless Chromium with a fresh profile, lets the
// page's script run for ten seconds of virtual time (enough for its fetch
// and a few refreshes, without waiting ten real seconds) and returns the
// DOM as Chromium serialises it. The browser and every process it started
// are killed when it exits or times out.
func dumpDOM(t *testing.T, browser, url string) string {
	t.Helper()
	profile := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), chromiumTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, browser,
		"--headless", "--no-sandbox", "--disable-gpu",
		"--user-data-dir="+profile,
		"--no-first-run", "--no-default-browser-check", "--disable-extensions",
		"--disable-dev-shm-usage", "--disable-background-networking",
		"--virtual-time-budget=10000",
		"--dump-dom", url)
	// Keep the browser's caches and crash reports out of the real home.
	cmd.Env = append(os.Environ(), "HOME="+profile, "XDG_CONFIG_HOME="+profile, "XDG_CACHE_HOME="+profile)
	// Chromium forks renderer and utility processes; a process group lets
	// one kill reach them all.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // stragglers; ESRCH when none
	}
	if ctx.Err() != nil {
		t.Fatalf("chromium did not finish within %v; killed.\nstderr:\n%s", chromiumTimeout, stderr.String())
	}
	if err != nil {
		t.Fatalf("%s %s: %v\nstderr:\n%s", browser, url, err, stderr.String())
	}
	t.Logf("chromium rendered %s in %v", url, time.Since(start).Round(time.Millisecond))
	return stdout.String()
}

var (
	tbodyRE = regexp.MustCompile(`(?s)<tbody>(.*?)</tbody>`)
	rowRE   = regexp.MustCompile(`(?s)<tr[^>]*>(.*?)</tr>`)
	cellRE  = regexp.MustCompile(`(?s)<t[hd][^>]*>(.*?)</t[hd]>`)
	tagRE   = regexp.MustCompile(`<[^>]*>`)
)

// tableRows returns the text of the body cells of the table with the given
// id in a serialised DOM, row by row.
func tableRows(t *testing.T, dom, id string) [][]string {
	t.Helper()
	start := strings.Index(dom, `<table id="`+id+`">`)
	if start < 0 {
		t.Fatalf("rendered page has no table %q", id)
	}
	table := dom[start:]
	table = table[:strings.Index(table, "</table>")]
	body := tbodyRE.FindStringSubmatch(table)
	if body == nil {
		t.Fatalf("table %q has no tbody", id)
	}
	var rows [][]string
	for _, r := range rowRE.FindAllStringSubmatch(body[1], -1) {
		var cells []string
		for _, c := range cellRE.FindAllStringSubmatch(r[1], -1) {
			cells = append(cells, html.UnescapeString(tagRE.ReplaceAllString(c[1], "")))
		}
		rows = append(rows, cells)
	}
	return rows
}

// TestChromiumRendersDashboard loads the page in a real browser, as a user
// opening the URL `shoal start --head` prints, and checks what it shows.
// Chromium runs three times in all (with the token, without it, and with a
// failing source); the subtests only read the DOMs.
func TestChromiumRendersDashboard(t *testing.T) {
	browser := findChromium()
	if browser == "" && os.Getenv("SHOAL_REQUIRE_CHROMIUM") != "" {
		t.Fatal("SHOAL_REQUIRE_CHROMIUM is set but neither chromium nor chromium-browser is on PATH")
	}
	if browser == "" {
		t.Skip("neither chromium nor chromium-browser is on PATH; .ci/run installs Debian's chromium package (apt-get install chromium)")
	}
	var calls atomic.Int64
	srv := httptest.NewServer(New(testToken, func(context.Context) (Snapshot, error) {
		calls.Add(1)
		return fixedSnapshot(), nil
	}))
	defer srv.Close()

	dom := dumpDOM(t, browser, srv.URL+"/?token="+testToken)
	defer func(dom string) {
		if t.Failed() {
			t.Logf("rendered DOM with the token:\n%s", dom)
		}
	}(dom)

	t.Run("summary", func(t *testing.T) {
		want := [][]string{
			{"Cluster", "shoal-test"},
			{"Started", "2026-11-23 18:00:00 UTC"},
			{"Nodes", "2 alive, 1 dead"},
			{"CPU", "9.5 available of 12"},
			{"memory", "22.0 GiB available of 24.0 GiB"},
			{"object_store_memory", "5.5 GiB available of 6.0 GiB"},
			{"GPU", "1 available of 2"},
			{"Tasks", "2 pending, 4 running, 170 finished, 3 failed"},
			{"Objects", "22 (513.0 MiB)"},
			{"Object store", "513.0 MiB used of 6.0 GiB (8.3%), 256.0 MiB spilled"},
			{"Actors", "1 ALIVE, 1 RESTARTING"},
		}
		if got := tableRows(t, dom, "summary"); !reflect.DeepEqual(got, want) {
			t.Errorf("summary rows\n got %q\nwant %q", got, want)
		}
	})
	t.Run("nodes", func(t *testing.T) {
		want := [][]string{
			{"node-head-7f3a", "10.0.0.1:6380", "head", "ALIVE", "2026-11-23 18:59:58 UTC"},
			{"node-worker-b21c", "10.0.0.2:41234", "worker", "ALIVE", "2026-11-23 18:59:59 UTC"},
			{"node-worker-dead-9e01", "10.0.0.3:41235", "worker", "DEAD", "2026-11-23 18:40:00 UTC"},
		}
		if got := tableRows(t, dom, "nodes"); !reflect.DeepEqual(got, want) {
			t.Errorf("node rows\n got %q\nwant %q", got, want)
		}
	})
	t.Run("resources", func(t *testing.T) {
		want := [][]string{
			{"node-head-7f3a", "CPU", "1.5", "4"},
			{"node-head-7f3a", "memory", "6.0 GiB", "8.0 GiB"},
			{"node-head-7f3a", "object_store_memory", "1.5 GiB", "2.0 GiB"},
			{"node-worker-b21c", "CPU", "8", "8"},
			{"node-worker-b21c", "memory", "16.0 GiB", "16.0 GiB"},
			{"node-worker-b21c", "object_store_memory", "4.0 GiB", "4.0 GiB"},
			{"node-worker-b21c", "GPU", "1", "2"},
			{"node-worker-dead-9e01", "CPU", "0", "8"},
		}
		if got := tableRows(t, dom, "resources"); !reflect.DeepEqual(got, want) {
			t.Errorf("resource rows\n got %q\nwant %q", got, want)
		}
	})
	t.Run("tasks", func(t *testing.T) {
		want := [][]string{
			{"node-head-7f3a", "2", "3", "120", "1"},
			{"node-worker-b21c", "0", "1", "40", "0"},
			{"node-worker-dead-9e01", "0", "4", "10", "2"},
		}
		if got := tableRows(t, dom, "tasks"); !reflect.DeepEqual(got, want) {
			t.Errorf("task rows\n got %q\nwant %q", got, want)
		}
	})
	t.Run("objects and store", func(t *testing.T) {
		want := [][]string{
			{"node-head-7f3a", "17", "512.0 MiB", "512.0 MiB", "2.0 GiB", "25.0%", "0 B"},
			{"node-worker-b21c", "5", "1.0 MiB", "1.0 MiB", "4.0 GiB", "0.0%", "256.0 MiB"},
			{"node-worker-dead-9e01", "3", "1000 B", "1000 B", "1.0 GiB", "0.0%", "0 B"},
		}
		if got := tableRows(t, dom, "objects"); !reflect.DeepEqual(got, want) {
			t.Errorf("object rows\n got %q\nwant %q", got, want)
		}
	})
	t.Run("actors", func(t *testing.T) {
		want := [][]string{
			{"actor-01", "counter", "default", "Counter", "node-head-7f3a", "ALIVE", "0"},
			{"actor-02", "<img src=x onerror=alert(1)>", "ns<b>", "Evil", "node-worker-b21c", "RESTARTING", "2"},
		}
		if got := tableRows(t, dom, "actors"); !reflect.DeepEqual(got, want) {
			t.Errorf("actor rows\n got %q\nwant %q", got, want)
		}
		// The markup in the names was shown as text, never made elements.
		if strings.Contains(dom, "<img") || strings.Contains(dom, "<b>") {
			t.Error("an actor's name was parsed as markup")
		}
	})
	t.Run("jobs", func(t *testing.T) {
		want := [][]string{{"job-0001", "RUNNING", "10.0.0.9:50000", "2026-11-23 18:30:00 UTC"}}
		if got := tableRows(t, dom, "jobs"); !reflect.DeepEqual(got, want) {
			t.Errorf("job rows\n got %q\nwant %q", got, want)
		}
	})
	t.Run("no error and refreshes", func(t *testing.T) {
		if !strings.Contains(dom, `<p id="status" role="status" class="">Updated `) {
			t.Errorf("status line does not say the page updated without error")
		}
		// Ten virtual seconds at one refresh every three: the first load and
		// at least two refreshes.
		n := calls.Load()
		t.Logf("api/status fetched %d times", n)
		if n < 3 {
			t.Errorf("the page fetched api/status %d times in 10 virtual seconds, want at least 3", n)
		}
	})

	// Without the token: the 401 page and no data.
	before := calls.Load()
	dom = dumpDOM(t, browser, srv.URL+"/")
	t.Run("without token", func(t *testing.T) {
		const want = "Unauthorized: the Shoal dashboard requires the cluster token. " +
			"Open the dashboard URL printed by 'shoal start --head' (http://127.0.0.1:8265/?token=...)."
		if !strings.Contains(dom, `<p id="message">`+want+`</p>`) {
			t.Errorf("page without token does not show %q:\n%s", want, dom)
		}
		for _, data := range []string{"node-head-7f3a", "shoal-test", "counter"} {
			if strings.Contains(dom, data) {
				t.Errorf("page without token shows %q", data)
			}
		}
		if n := calls.Load() - before; n != 0 {
			t.Errorf("status source called %d times without the token, want 0", n)
		}
	})

	// With the token but a failing control store: the page says why.
	failing := httptest.NewServer(New(testToken, func(context.Context) (Snapshot, error) {
		return Snapshot{}, errors.New("gcs: head unreachable")
	}))
	defer failing.Close()
	dom = dumpDOM(t, browser, failing.URL+"/?token="+testToken)
	t.Run("source error", func(t *testing.T) {
		const want = `<p id="status" role="status" class="error">dashboard: cluster status: gcs: head unreachable</p>`
		if !strings.Contains(dom, want) {
			t.Errorf("page with a failing source does not show %s:\n%s", want, dom)
		}
		if got, want := tableRows(t, dom, "nodes"), [][]string(nil); !reflect.DeepEqual(got, want) {
			t.Errorf("node rows %q with a failing source, want none", got)
		}
	})
}
