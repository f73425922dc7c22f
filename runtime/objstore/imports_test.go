package objstore

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps the store below the runtime: it may use the standard
// library and Arrow and compression libraries, but no other Shoal package.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/shoaldata/shoal/") {
			t.Errorf("objstore imports %s; it must know nothing of the rest of Shoal", imp)
		}
	}
}
