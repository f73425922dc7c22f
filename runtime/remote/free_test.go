package remote_test

import (
	"context"
	"errors"
	"testing"

	"github.com/shoaldata/shoal/runtime/remote"
)

var freeEcho = remote.Register1("test.free.echo", func(ctx context.Context, b []byte) (int, error) {
	return len(b), nil
})

func TestFreeDeletesAtOnce(t *testing.T) {
	ctx := context.Background()
	rt, err := remote.Start(ctx, remote.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rt.Shutdown(ctx) })

	ref, err := remote.Put(rt, make([]byte, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	if got := rt.Stats().Store.Objects; got != 1 {
		t.Fatalf("objects before Free = %d, want 1", got)
	}
	copyOfRef := ref
	remote.Free(ref)
	remote.Free(ref) // twice is harmless
	if st := rt.Stats().Store; st.Objects != 0 || st.MemoryBytes != 0 {
		t.Fatalf("after Free: %d objects, %d bytes; want 0, 0", st.Objects, st.MemoryBytes)
	}
	if _, err := remote.Get(ctx, copyOfRef); !errors.Is(err, remote.ErrObjectFreed) {
		t.Fatalf("Get after Free: %v, want ErrObjectFreed", err)
	}
	// A task needing a freed object fails and says which argument.
	_, err = freeEcho.Remote(rt, copyOfRef).Get(ctx)
	var te *remote.TaskError
	if !errors.As(err, &te) || te.Func != "test.free.echo" || !errors.Is(err, remote.ErrObjectFreed) {
		t.Fatalf("task on freed arg: %v", err)
	}
}
