// Package remotetest starts runtimes for tests, as httptest starts
// servers: every package whose tests run on the runtime (remote's own,
// partition's engine, the dataframe suite) shares this one helper.
package remotetest

import (
	"context"
	"os"
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

// Main is a TestMain for test binaries that are also cluster workers: a
// cluster node starts workers from the driver's executable, here the test
// binary, so in a worker process Main serves the node (remote.Start never
// returns there) instead of running the tests.
//
//	func TestMain(m *testing.M) { remotetest.Main(m) }
func Main(m *testing.M) {
	if remote.IsWorker() {
		remote.Start(context.Background(), remote.Config{})
	}
	os.Exit(m.Run())
}
