package main

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/shoaldata/shoal/bench/runtimebench"
)

func runArgs(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBenchRuntimeTable(t *testing.T) {
	code, out, errs := runArgs(t, "bench", "runtime", "--duration", "10ms",
		"--only", "single_client_tasks_sync, single_client_put_gigabytes")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("want a header and 2 rows, got:\n%s", out)
	}
	if got := strings.Fields(lines[0]); !slices.Equal(got, []string{"NAME", "VALUE", "UNIT", "OPS", "SECONDS"}) {
		t.Errorf("header %q", got)
	}
	for i, want := range []struct{ name, unit string }{
		{"single_client_tasks_sync", "tasks/s"},
		{"single_client_put_gigabytes", "GB/s"},
	} {
		f := strings.Fields(lines[i+1])
		if len(f) != 5 || f[0] != want.name || f[2] != want.unit {
			t.Errorf("row %d = %q, want name %s and unit %s", i+1, f, want.name, want.unit)
		}
	}
	// Aligned: every column starts at the same offset on every line.
	for _, col := range []string{"VALUE", "UNIT", "OPS", "SECONDS"} {
		at := strings.Index(lines[0], col)
		for _, l := range lines[1:] {
			if at >= len(l) || l[at-1] != ' ' || l[at] == ' ' {
				t.Errorf("column %s (offset %d) not aligned in:\n%s", col, at, out)
				break
			}
		}
	}
}

func TestBenchRuntimeJSON(t *testing.T) {
	code, out, errs := runArgs(t, "bench", "runtime", "--json", "--duration", "10ms")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	var results []struct {
		Name    string  `json:"name"`
		Value   float64 `json:"value"`
		Unit    string  `json:"unit"`
		Ops     int64   `json:"ops"`
		Seconds float64 `json:"seconds"`
	}
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("output is not a JSON array of results: %v\n%s", err, out)
	}
	var names []string
	for _, r := range results {
		names = append(names, r.Name)
		if r.Value <= 0 || r.Ops <= 0 || r.Seconds <= 0 || r.Unit == "" {
			t.Errorf("%+v: want positive value, ops and seconds, and a unit", r)
		}
	}
	if !slices.Equal(names, runtimebench.Names()) {
		t.Errorf("names %q, want %q", names, runtimebench.Names())
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"frobnicate"},
		{"bench"},
		{"bench", "nosuchsuite"},
		{"bench", "runtime", "--nosuchflag"},
		{"bench", "runtime", "extra"},
		{"bench", "runtime", "--duration", "0s"},
		{"bench", "runtime", "--only", "nosuchbenchmark"},
		{"version", "extra"},
	} {
		code, out, errs := runArgs(t, args...)
		if code != exitUsage {
			t.Errorf("%q: exit %d, want %d", args, code, exitUsage)
		}
		if out != "" {
			t.Errorf("%q: printed on stdout:\n%s", args, out)
		}
		if errs == "" {
			t.Errorf("%q: nothing on stderr", args)
		}
	}
	// The top-level usage lists every command.
	_, _, errs := runArgs(t, "frobnicate")
	for _, want := range []string{`unknown command "frobnicate"`, "Usage: shoal", "bench", "help", "version"} {
		if !strings.Contains(errs, want) {
			t.Errorf("usage lacks %q:\n%s", want, errs)
		}
	}
}

func TestHelp(t *testing.T) {
	code, out, errs := runArgs(t, "help")
	if code != exitOK || errs != "" {
		t.Fatalf("help: exit %d, stderr %q; want 0 and nothing", code, errs)
	}
	for _, want := range []string{"Usage: shoal", "bench SUITE", "version"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := runArgs(t, "version")
	if code != 0 || !strings.HasPrefix(out, "shoal ") {
		t.Errorf("version: exit %d, %q", code, out)
	}
}
