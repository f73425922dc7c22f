package gota_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps io/gota a leaf beside the pipeline: it depends on
// Arrow and gota only, never on an engine package, so the engine can
// import it (and gota) without a cycle.
func TestLayering(t *testing.T) {
	const mod = "github.com/shoaldata/shoal/"
	out, err := exec.Command("go", "list", "-deps", mod+"io/gota").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, mod) && dep != mod+"io/gota" {
			t.Errorf("io/gota depends on %s", dep)
		}
	}
}
