package progress_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps io/progress a leaf: readers, writers and the CLI
// import it, so it must import no Shoal package.
func TestLayering(t *testing.T) {
	const mod = "github.com/shoaldata/shoal/"
	out, err := exec.Command("go", "list", "-deps", mod+"io/progress").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, mod) && dep != mod+"io/progress" {
			t.Errorf("io/progress depends on %s", dep)
		}
	}
}
