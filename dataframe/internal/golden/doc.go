// Package golden reads the pandas golden cases in dataframe/testdata/pandas
// and checks Shoal's results against them.
//
// It sits beside the pipeline (dataframe → algebra → partition → runtime),
// under dataframe because only the DataFrame API's tests use it: a test
// loads the cases with LoadAll, turns each input Table into an Arrow record
// with Table.Record, runs the case's op through Shoal, and checks the
// result with Compare. The package imports Arrow and the standard library
// only, never the rest of Shoal, so a broken engine cannot break the
// checker.
//
// The cases themselves are written by testdata/pandas/make_golden.py, whose
// doc comment describes the JSON format and how pandas built each input;
// regenerate them with
//
//	cd dataframe/testdata/pandas && /usr/bin/python3 make_golden.py
package golden
