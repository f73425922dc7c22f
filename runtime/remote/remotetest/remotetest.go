// Package remotetest starts runtimes for tests, as httptest starts
// servers: every package whose tests run on the runtime (remote's own,
// partition's engine, the dataframe suite) shares this one helper.
package remotetest

import (
	"context"
	"testing"
	"time"

	"github.com/shoaldata/shoal/runtime/remote"
)

// Patience bounds how long a test waits for the runtime to shut down.
const Patience = 30 * time.Second

// Start starts a runtime with cfg and shuts it down when the test ends,
// failing the test if either step fails.
func Start(t testing.TB, cfg remote.Config) *remote.Runtime {
	t.Helper()
	rt, err := remote.Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("remote.Start(%+v): %v", cfg, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), Patience)
		defer cancel()
		if err := rt.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return rt
}
