package algebra_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps imports flowing dataframe → algebra → partition →
// runtime, with io used by algebra/source only: algebra and its kernels
// never import the API above them, the
// kernels (vec, groupby, order, join) do no I/O and start no engines, and
// planning (package algebra itself) runs nothing.
func TestLayering(t *testing.T) {
	const mod = "github.com/shoaldata/shoal/"
	for pkg, forbidden := range map[string][]string{
		"algebra/...":     {mod + "dataframe", mod + "bench", mod + "cmd"},
		"algebra":         {mod + "algebra/exec", mod + "partition", mod + "runtime", mod + "io"},
		"algebra/exec":    {mod + "io"}, // files are read by Reader sources (algebra/source)
		"algebra/vec":     {mod + "partition", mod + "runtime"},
		"algebra/groupby": {mod + "partition", mod + "runtime"},
		"algebra/order":   {mod + "partition", mod + "runtime"},
		"algebra/join":    {mod + "partition", mod + "runtime"},
	} {
		out, err := exec.Command("go", "list", "-deps", mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range forbidden {
				if dep == f || strings.HasPrefix(dep, f+"/") {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
	// Planning and kernels touch no files, network or processes themselves
	// (Arrow's fmt may, below them).
	for _, pkg := range []string{"algebra", "algebra/vec", "algebra/groupby", "algebra/order", "algebra/join"} {
		out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, mod+pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list %s: %v\n%s", pkg, err, out)
		}
		for _, imp := range strings.Fields(string(out)) {
			switch imp {
			case "os", "os/exec", "net", "net/http", "io/ioutil":
				t.Errorf("%s imports %s", pkg, imp)
			}
		}
	}
}
