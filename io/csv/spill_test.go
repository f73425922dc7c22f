package csv

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// A compressed input larger than spillBytes is inflated into an unlinked
// temporary file: the result equals the plain file's, and no temporary
// file is left behind.
func TestDecompressSpillsToDisk(t *testing.T) {
	defer func(old int) { spillBytes = old }(spillBytes)
	spillBytes = 4 << 10
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)

	var sb strings.Builder
	sb.WriteString("id,name,x\n")
	for i := range 3000 {
		fmt.Fprintf(&sb, "%d,\"n,%d\nline\",%d.5\n", i, i%7, i)
	}
	plain := sb.String()
	var gz, zs bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte(plain))
	gw.Close()
	zw, _ := zstd.NewWriter(&zs)
	zw.Write([]byte(plain))
	zw.Close()

	dir := t.TempDir()
	files := map[string][]byte{"d.csv": []byte(plain), "d.csv.gz": gz.Bytes(), "d.csv.zst": zs.Bytes()}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opt := DefaultOptions()
	opt.ChunkBytes = 16 << 10
	want, err := ReadFile(context.Background(), filepath.Join(dir, "d.csv"), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer want.Release()
	if rows(want) != 3000 {
		t.Fatalf("plain read: %d rows", rows(want))
	}
	for _, name := range []string{"d.csv.gz", "d.csv.zst"} {
		got, err := ReadFile(context.Background(), filepath.Join(dir, name), opt)
		if err != nil {
			t.Fatal(err)
		}
		if dump(got) != dump(want) || got.Bytes != int64(len(files[name])) {
			t.Fatalf("%s: the spilled read differs (%d bytes counted)", name, got.Bytes)
		}
		got.Release()
		stream, err := Read(context.Background(), bytes.NewReader(files[name]), name, opt)
		if err != nil {
			t.Fatal(err)
		}
		if dump(stream) != dump(want) {
			t.Fatalf("%s as a stream: the spilled read differs", name)
		}
		stream.Release()
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

// A corrupt stream past the spill size names the file and leaves nothing.
func TestDecompressSpillCorrupt(t *testing.T) {
	defer func(old int) { spillBytes = old }(spillBytes)
	spillBytes = 1 << 10
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var gz bytes.Buffer
	gw := gzip.NewWriter(&gz)
	gw.Write([]byte("a,b\n" + strings.Repeat("1,2\n", 20000)))
	gw.Close()
	b := gz.Bytes()
	b = b[:len(b)-12] // cut inside the stream
	_, err := Read(context.Background(), bytes.NewReader(b), "cut.csv.gz", DefaultOptions())
	if err == nil || !strings.Contains(err.Error(), "csv: cut.csv.gz: ") {
		t.Fatalf("got %v, want an error naming cut.csv.gz", err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}
