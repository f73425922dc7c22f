package algebra

import (
	"fmt"
	"strings"
)

// A Rule rewrites a plan and reports whether it changed anything. Rules
// are pure: they build new nodes and never edit the ones they are given.
type Rule interface {
	Name() string
	Apply(n Node) (Node, bool)
}

// Rules are the optimizer's rules in the order Optimize applies them.
var Rules = []Rule{MapFusion{}, ScanRowNumber{}, PredicatePushdown{}, LimitPushdown{}, ProjectionPushdown{}}

// maxPasses bounds the fixpoint loop; every rule moves operators one way
// (down, or into fewer nodes), so real plans settle in a few passes.
const maxPasses = 32

// Optimize applies rules (nil: Rules) until none changes the plan. A test
// switches a rule off by passing the others.
func Optimize(n Node, rules []Rule) Node {
	if rules == nil {
		rules = Rules
	}
	for range maxPasses {
		changed := false
		for _, r := range rules {
			var c bool
			n, c = r.Apply(n)
			changed = changed || c
		}
		if !changed {
			break
		}
	}
	return n
}

// Explain prints n as written, then as the optimizer rewrites it.
func Explain(n Node) string {
	var b strings.Builder
	b.WriteString("== Logical plan ==\n")
	writeTree(&b, n, 0)
	b.WriteString("== Optimized plan ==\n")
	writeTree(&b, Optimize(n, nil), 0)
	return b.String()
}

// Format prints one plan as an indented tree, a node per line.
func Format(n Node) string {
	var b strings.Builder
	writeTree(&b, n, 0)
	return b.String()
}

func writeTree(b *strings.Builder, n Node, depth int) {
	fmt.Fprintf(b, "%s%s\n", strings.Repeat("  ", depth), n.Label())
	for _, c := range n.Inputs() {
		writeTree(b, c, depth+1)
	}
}

// rewriteChildren applies f to each input of n and rebuilds n if any
// changed.
func rewriteChildren(n Node, f func(Node) (Node, bool)) (Node, bool) {
	in := n.Inputs()
	if len(in) == 0 {
		return n, false
	}
	out := make([]Node, len(in))
	changed := false
	for i, c := range in {
		var ch bool
		out[i], ch = f(c)
		changed = changed || ch
	}
	if !changed {
		return n, false
	}
	return n.WithInputs(out), true
}
