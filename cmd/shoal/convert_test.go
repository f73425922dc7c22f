package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConvertChain converts a CSV through every format and back, and
// requires the same bytes at the end.
func TestConvertChain(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	const data = "id,name,score\n1,ann,1.5\n2,\"b, \"\"quoted\"\"\",\n3,,-2.25\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	chain := []string{in, "a.parquet", "b.jsonl", "c.arrow", "d.csv.gz", "e.csv"}
	for i := 1; i < len(chain); i++ {
		src, dst := chain[i-1], filepath.Join(dir, chain[i])
		if i > 1 {
			src = filepath.Join(dir, chain[i-1])
		}
		code, out, errs := runArgs(t, "convert", "--progress", "always", src, dst)
		if code != exitOK {
			t.Fatalf("convert %s %s: exit %d: %s", src, dst, code, errs)
		}
		if !strings.Contains(out, "3 rows x 3 columns") {
			t.Errorf("convert %s: %q", dst, out)
		}
		if i == 1 && !strings.Contains(errs, "read "+src) {
			t.Errorf("no progress bar on stderr: %q", errs)
		}
		// Every write draws a bar: CSV in bytes, the others in rows, with
		// the total the writer reports.
		if !strings.Contains(errs, "\rwrite "+dst+"  ") {
			t.Errorf("no write progress bar on stderr: %q", errs)
		}
		if rowsBar := "\rwrite " + dst + "  3 rows / 3 rows  100%"; !strings.Contains(dst, ".csv") &&
			(!strings.Contains(errs, rowsBar) || !strings.Contains(errs, "\rwrite "+dst+"  3 rows in ")) {
			t.Errorf("no rows bar %q on stderr: %q", rowsBar, errs)
		}
	}
	got, err := os.ReadFile(filepath.Join(dir, "e.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != data {
		t.Errorf("after the chain:\n%s\nwant:\n%s", got, data)
	}
	if code, _, errs := runArgs(t, "convert", in, filepath.Join(dir, "x.xlsx")); code != exitUsage || !strings.Contains(errs, ".xlsx") {
		t.Errorf("unknown format: exit %d, %q", code, errs)
	}
	if code, _, errs := runArgs(t, "convert", filepath.Join(dir, "missing.csv"), filepath.Join(dir, "y.csv")); code != exitError || !strings.Contains(errs, "missing.csv") {
		t.Errorf("missing input: exit %d, %q", code, errs)
	}
}
