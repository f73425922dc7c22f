package dashboard

import (
	"os/exec"
	"strings"
	"testing"
)

// The dashboard renders what the control store hands it and imports no
// other Shoal package (nor anything outside the standard library), so the head can serve it without a dependency loop
// and it can be tested alone.
func TestDashboardImportsNoShoalPackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if dep != "github.com/shoaldata/shoal/runtime/dashboard" {
			t.Errorf("dashboard depends on %s; it may use only the standard library", dep)
		}
	}
}
