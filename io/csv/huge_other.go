//go:build !linux

package csv

func adviseHugePages([]byte) {}
