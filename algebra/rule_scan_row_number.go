package algebra

// ScanRowNumber numbers rows inside the Scan when a RowNumber sits right
// on one that has not filtered or limited yet. The dataframe layer puts a
// RowNumber under every filter and sort of a frame with a RangeIndex (to
// keep pandas' labels), and a predicate cannot move below a RowNumber;
// once the numbering is the scan's, the predicate can join it there.
type ScanRowNumber struct{}

func (ScanRowNumber) Name() string { return "scan_row_number" }

func (r ScanRowNumber) Apply(n Node) (Node, bool) {
	n, changed := rewriteChildren(n, r.Apply)
	rn, ok := n.(*RowNumber)
	if !ok {
		return n, changed
	}
	s, ok := rn.Input.(*Scan)
	if !ok || s.RowNumber != "" || !s.Predicate.IsZero() || s.Limit >= 0 {
		return n, changed
	}
	return s.withRowNumber(rn.Name), true
}
