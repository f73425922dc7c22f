package cluster

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps the control plane apart from the engine and the
// embedded runtime: of Shoal it may import only its own generated code.
func TestImports(t *testing.T) {
	for _, dir := range []string{".", "clusterpb"} {
		pkg, err := build.ImportDir(dir, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range pkg.Imports {
			if strings.HasPrefix(imp, "github.com/shoaldata/shoal/") && imp != "github.com/shoaldata/shoal/runtime/cluster/clusterpb" {
				t.Errorf("%s imports %s; the control plane knows no other Shoal package", pkg.ImportPath, imp)
			}
		}
	}
}
