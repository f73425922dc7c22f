package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchH2OJSON(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "h2o.svg")
	code, out, errs := runArgs(t, "bench", "h2o", "--size", "2e4", "--mode", "local,runtime",
		"--questions", "q1,q5", "--json", "--svg", svg)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	var got h2oOutput
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in:\n%s", err, out)
	}
	// groupby and join, each in two modes; load plus q1 and q5 twice.
	if len(got.Reports) != 4 {
		t.Fatalf("%d reports, want 4", len(got.Reports))
	}
	var names []string
	for _, r := range got.Reports {
		names = append(names, r.Task+"/"+r.Mode+"/"+r.Data)
		if len(r.Steps) != 5 || r.Steps[0].Question != "load" || r.Steps[4].Question != "q5" || r.Steps[4].Run != 2 {
			t.Errorf("%s/%s: steps %+v", r.Task, r.Mode, r.Steps)
		}
		if r.Steps[1].Checksum == nil || r.Steps[1].Checksum.Rows != r.Steps[1].Rows {
			t.Errorf("%s/%s: q1 checksum %+v", r.Task, r.Mode, r.Steps[1].Checksum)
		}
	}
	if want := "groupby/local/G1_2e4_1e2_0_0 groupby/runtime/G1_2e4_1e2_0_0 join/local/J1_2e4_NA_0_0 join/runtime/J1_2e4_NA_0_0"; strings.Join(names, " ") != want {
		t.Errorf("reports %s, want %s", strings.Join(names, " "), want)
	}
	if len(got.Agree) != 4 {
		t.Errorf("%d mode comparisons, want 4", len(got.Agree))
	}
	for _, c := range got.Agree {
		if c.Err != "" {
			t.Errorf("%s %s: modes disagree: %s", c.Task, c.Question, c.Err)
		}
	}
	b, err := os.ReadFile(svg)
	if err != nil || !strings.HasPrefix(string(b), "<svg") {
		t.Errorf("SVG file: %v, %.40q", err, b)
	}
}

func TestBenchH2OTable(t *testing.T) {
	code, out, errs := runArgs(t, "bench", "h2o", "--rows", "5000", "--task", "groupby", "--only", "q2", "--runs", "1")
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	for _, want := range []string{
		"TASK     MODE     Q     RUN   SECONDS       ROWS  CHECKSUM\n",
		"groupby  local    load    1 ",
		"      5000  generate\n",
		"groupby  local    q2      1 ",
		"      3890  rows=3890 cols=1 v1=15146\n", // 5000 rows hit 3890 of the 100x100 (id1, id2) pairs
		"PEAK RSS MB",
		"G1_5e3_1e2_0_0",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestBenchH2OCluster(t *testing.T) {
	code, out, errs := runArgs(t, "bench", "h2o", "--size", "1e3", "--mode", "cluster")
	if code != exitError || out != "" || !strings.Contains(errs, "cluster mode is not available yet") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestBenchGen(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runArgs(t, "bench", "gen", "--task", "groupby", "--size", "1e3", "--k", "1e1", "--na", "5", "--sorted", "1", "--dir", dir)
	if code != exitOK {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	want := filepath.Join(dir, "G1_1e3_1e1_5_1.csv")
	if strings.TrimSpace(out) != want {
		t.Errorf("stdout %q, want %q", out, want)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(string(b), "\n"); lines != 1001 {
		t.Errorf("%d lines, want 1001", lines)
	}
}

func TestBenchH2OUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "h2o", "--mode", "gpu"},
		{"bench", "h2o", "--size", "lots"},
		{"bench", "h2o", "--task", "sort"},
		{"bench", "h2o", "--questions", "q11"},
		{"bench", "h2o", "--runs", "0"},
		{"bench", "h2o", "--against", "pandas"},
		{"bench", "h2o", "--sorted", "2"},
		{"bench", "h2o", "extra"},
		{"bench", "gen", "--format", "xlsx", "--size", "1e3"},
		{"bench", "gen", "--task", "join", "--na", "5"},
		{"bench", "gen", "--size", "0"},
		{"bench", "gen", "--sorted", "3"},
	} {
		code, out, errs := runArgs(t, args...)
		if code != exitUsage || out != "" || errs == "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, nothing, a message", args, code, out, errs, exitUsage)
		}
	}
}
