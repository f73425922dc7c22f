package sched

import (
	"os/exec"
	"strings"
	"testing"
)

// The scheduler is a pure state machine: no clock, no I/O, no goroutines, no
// locks. Its imports say so.
func TestSchedulerIsPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", `{{join .Imports " "}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := map[string]bool{"fmt": true, "math": true, "slices": true, "strings": true}
	for _, imp := range strings.Fields(string(out)) {
		if !allowed[imp] {
			t.Errorf("sched imports %s; it may only use %v", imp, allowed)
		}
	}
}
