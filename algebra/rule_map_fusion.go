package algebra

// MapFusion merges a Project into the Project above it, substituting the
// lower one's expressions, so the pair runs as one pass over each
// partition; and drops a Project that only repeats its input's columns.
// (Adjacent Filters merge in PredicatePushdown; a chain of Projects and
// Filters over one input also runs as one kernel at execution.)
type MapFusion struct{}

func (MapFusion) Name() string { return "map_fusion" }

func (r MapFusion) Apply(n Node) (Node, bool) {
	n, changed := rewriteChildren(n, r.Apply)
	p, ok := n.(*Project)
	if !ok {
		return n, changed
	}
	if identity(p) {
		return p.Input, true
	}
	below, ok := p.Input.(*Project)
	if !ok {
		return n, changed
	}
	sub := make(map[string]Expr, len(below.Exprs))
	for _, e := range below.Exprs {
		sub[e.OutputName()] = e
	}
	exprs := make([]Expr, len(p.Exprs))
	for i, e := range p.Exprs {
		name := e.OutputName()
		exprs[i] = e.replaceColumns(sub)
		if exprs[i].OutputName() != name {
			exprs[i] = exprs[i].Alias(name)
		}
	}
	fused, err := NewProject(below.Input, exprs)
	if err != nil { // cannot happen: both projections typed already
		return n, changed
	}
	return fused, true
}

// identity reports whether p outputs exactly its input's columns, in order.
func identity(p *Project) bool {
	in := p.Input.Schema()
	if len(p.Exprs) != in.NumFields() {
		return false
	}
	for i, e := range p.Exprs {
		c, ok := e.unalias().ColumnName()
		if !ok || c != in.Field(i).Name || e.OutputName() != c {
			return false
		}
	}
	return true
}
