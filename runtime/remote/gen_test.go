package remote

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The typed API is generated; CI fails if someone edits api_gen.go by hand or
// changes the generator without regenerating.
func TestGeneratedCodeIsCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "api_gen.go")
	cmd := exec.Command("go", "run", "./internal/gen", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./internal/gen: %v\n%s", err, msg)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("api_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("api_gen.go is stale: run `go generate ./runtime/remote/`")
	}
}
