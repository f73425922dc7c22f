//go:build !(linux || darwin || freebsd)

package csv

import "os"

// mapFile does not map on this platform: ranges are read with ReadAt.
func mapFile(*os.File, int64) ([]byte, func(), bool) { return nil, nil, false }

func releaseMapped([]byte) {}
