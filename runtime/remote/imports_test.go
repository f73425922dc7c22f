package remote

import (
	"os/exec"
	"strings"
	"testing"
)

// The runtime knows nothing about dataframes: imports flow dataframe ->
// algebra -> partition -> runtime, never back.
func TestRuntimeImportsNoEnginePackage(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/shoaldata/shoal/runtime/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, engine := range []string{"dataframe", "algebra", "partition", "io", "bench"} {
			if p := "github.com/shoaldata/shoal/" + engine; dep == p || strings.HasPrefix(dep, p+"/") {
				t.Errorf("runtime depends on engine package %s", dep)
			}
		}
	}
}
