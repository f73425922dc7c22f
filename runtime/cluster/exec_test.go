package cluster

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	pb "github.com/shoaldata/shoal/runtime/cluster/clusterpb"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestRegistryDiff(t *testing.T) {
	for _, c := range []struct {
		want, got []string
		diff      string
	}{
		{[]string{"function a", "function b"}, []string{"function a", "function b"}, ""},
		{nil, nil, ""},
		{[]string{"function a", "function b"}, []string{"function a"}, `the worker lacks "function b"`},
		{[]string{"function a"}, []string{"function a", "function c"}, `the worker has "function c", which the driver lacks`},
		{[]string{"function b"}, []string{"function a", "function b"}, `the worker has "function a", which the driver lacks`},
		{[]string{"function a", "function c"}, []string{"function b", "function c"}, `the worker lacks "function a"`},
	} {
		if got := RegistryDiff(c.want, c.got); got != c.diff {
			t.Errorf("RegistryDiff(%q, %q) = %q, want %q", c.want, c.got, got, c.diff)
		}
	}
}

func startExecNode(t *testing.T) (*Node, string) {
	h := startHead(t, HeadConfig{})
	dir := t.TempDir()
	n := startNode(t, NodeConfig{HeadAddress: h.Addr(), CPUs: 1, SessionDir: dir})
	return n, dir
}

func TestUploadBinary(t *testing.T) {
	n, dir := startExecNode(t)
	ctx := ctxT(t)
	content := []byte(strings.Repeat("#!/bin/sh\necho hi\n", 100_000)) // over one chunk
	src := filepath.Join(t.TempDir(), "prog")
	if err := os.WriteFile(src, content, 0o755); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(content)
	sum := hex.EncodeToString(h[:])

	c, err := DialExec(n.Addr(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.UploadBinary(ctx, src, sum); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "bin", sum))
	if err != nil || string(got) != string(content) {
		t.Fatalf("cached binary: %d bytes, %v; want the %d uploaded", len(got), err, len(content))
	}
	has, err := c.HasBinary(ctx, &pb.HasBinaryRequest{Sha256: sum})
	if err != nil || !has.GetPresent() {
		t.Fatalf("HasBinary = %v, %v; want present", has, err)
	}

	// A wrong checksum is refused and nothing is kept.
	wrong := strings.Repeat("0", 64)
	err = c.UploadBinary(ctx, src, wrong)
	if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "cluster: uploaded binary has sha256 "+sum+", the upload named "+wrong) {
		t.Fatalf("upload with a wrong sha256 = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", wrong)); !os.IsNotExist(err) {
		t.Fatalf("a binary with the wrong sha256 was kept: %v", err)
	}
	_, err = c.HasBinary(ctx, &pb.HasBinaryRequest{Sha256: "../etc"})
	if want := `cluster: binary sha256 "../etc" is not 64 lowercase hex digits`; status.Convert(err).Message() != want {
		t.Fatalf("HasBinary(../etc) = %v, want %q", err, want)
	}
}

func TestExecNeedsToken(t *testing.T) {
	n, _ := startExecNode(t)
	c, err := DialExec(n.Addr(), "wrong-token")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.HasBinary(ctxT(t), &pb.HasBinaryRequest{Sha256: strings.Repeat("0", 64)})
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("HasBinary with a wrong token = %v, want Unauthenticated", err)
	}
	stream, err := c.Run(ctxT(t))
	if err == nil {
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.Unauthenticated {
		t.Fatalf("Run with a wrong token = %v, want Unauthenticated", err)
	}
}

func TestRunWithoutBinary(t *testing.T) {
	n, _ := startExecNode(t)
	c, err := DialExec(n.Addr(), testToken)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	stream, err := c.Run(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	sum := strings.Repeat("a", 64)
	if err := stream.Send(&pb.DriverMessage{Start: &pb.StartJob{JobId: "j1", Sha256: sum}}); err != nil {
		t.Fatal(err)
	}
	_, err = stream.Recv()
	want := "cluster: Run: node " + n.Addr() + " has no binary " + sum + ": upload it first"
	if status.Code(err) != codes.FailedPrecondition || status.Convert(err).Message() != want {
		t.Fatalf("Run without the binary = %v, want %q", err, want)
	}
}
