package main

// etlshoal is etlgota with gota's import paths replaced by Shoal's: the
// benchmark runs one program against both packages.
//go:generate sh -c "sed -e 's#github.com/go-gota/gota/#github.com/shoaldata/shoal/gota/#' -e 's#^package etlgota#package etlshoal#' -e 's#^// Package etlgota is the#// Package etlshoal is the#' internal/etlgota/etl.go > internal/etlshoal/etl.go"
