package dataframe

// SetReadChunkBytes sets the parallel CSV reader's range size and returns
// a function restoring it.
func SetReadChunkBytes(n int64) (restore func()) {
	old := readChunkBytes.Swap(n)
	return func() { readChunkBytes.Store(old) }
}

// Pieces is how many pieces column c of df is held in.
func Pieces(df DataFrame, c int) int { return len(df.columns[c].chunks()) }
