package shm

import (
	"go/build"
	"strings"
	"testing"
)

// TestImports keeps the store beneath the runtime: it may use its own
// protocol package, Arrow, gRPC and compression, but no other Shoal
// package.
func TestImports(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.HasPrefix(imp, "github.com/shoaldata/shoal/") && imp != "github.com/shoaldata/shoal/runtime/shm/shmpb" {
			t.Errorf("shm imports %s; it must know nothing of the rest of Shoal", imp)
		}
	}
}
