package algebra

// LimitPushdown moves a head(n) toward the scans: below Projects, into a
// Scan (which stops reading after n rows), into a Sort (which becomes a
// top-k), into every input of a Concat (each needs at most n rows), and
// merges adjacent limits. A tail moves below Projects only.
type LimitPushdown struct{}

func (LimitPushdown) Name() string { return "limit_pushdown" }

func (r LimitPushdown) Apply(n Node) (Node, bool) {
	n, changed := rewriteChildren(n, r.Apply)
	l, ok := n.(*Limit)
	if !ok {
		return n, changed
	}
	if out, ok := pushLimit(l); ok {
		return out, true
	}
	return n, changed
}

func pushLimit(l *Limit) (Node, bool) {
	if l.N < 0 {
		return nil, false // "all but n" needs the input's length
	}
	switch in := l.Input.(type) {
	case *Project:
		return in.WithInputs([]Node{&Limit{Input: in.Input, N: l.N, Tail: l.Tail}}), true
	case *Limit:
		if in.Tail == l.Tail && in.N >= 0 {
			return &Limit{Input: in.Input, N: min(in.N, l.N), Tail: l.Tail}, true
		}
	}
	if l.Tail {
		return nil, false
	}
	switch in := l.Input.(type) {
	case *Scan:
		s := *in
		if s.Limit < 0 || l.N < s.Limit {
			s.Limit = l.N
		}
		return &s, true
	case *Sort:
		s := *in
		if s.Limit < 0 || l.N < s.Limit {
			s.Limit = l.N
		}
		return &s, true
	case *Concat:
		limited := true
		out := make([]Node, len(in.In))
		for i, c := range in.In {
			out[i] = c
			if !hasLimit(c, l.N) {
				out[i] = &Limit{Input: c, N: l.N}
				limited = false
			}
		}
		if limited {
			return nil, false
		}
		return &Limit{Input: &Concat{In: out}, N: l.N}, true
	}
	return nil, false
}

// hasLimit reports whether n already yields at most k rows by a limit of
// its own.
func hasLimit(n Node, k int64) bool {
	switch x := n.(type) {
	case *Limit:
		return !x.Tail && x.N <= k
	case *Scan:
		return x.Limit >= 0 && x.Limit <= k
	case *Sort:
		return x.Limit >= 0 && x.Limit <= k
	case *Project:
		return hasLimit(x.Input, k)
	}
	return false
}
