package sched

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Quantity is an amount of a resource in thousandths of a unit, so that
// fractional demands such as 0.5 CPU add and subtract exactly.
type Quantity int64

// Unit is one whole resource unit (one CPU, one GPU).
const Unit Quantity = 1000

// Units converts a float amount (as users write it: 0.5, 2) to a Quantity,
// rounding to the nearest thousandth.
func Units(f float64) Quantity { return Quantity(math.Round(f * float64(Unit))) }

// Float returns q in whole units.
func (q Quantity) Float() float64 { return float64(q) / float64(Unit) }

// Amount is a quantity of one named custom resource.
type Amount struct {
	Name string
	Qty  Quantity
}

// Demand is what a task needs while it runs, or an actor for its lifetime.
// Custom is sorted by name and holds no zero amounts; build it with NewDemand.
type Demand struct {
	CPU    Quantity
	Custom []Amount
}

// NewDemand builds a Demand from a CPU amount and custom resources, dropping
// zero amounts. It fails on negative or non-finite amounts and on the reserved
// name "CPU" among the custom ones.
func NewDemand(cpu float64, custom map[string]float64) (Demand, error) {
	if cpu < 0 || math.IsNaN(cpu) || math.IsInf(cpu, 0) {
		return Demand{}, fmt.Errorf("sched: num_cpus %v: must be a finite amount >= 0", cpu)
	}
	d := Demand{CPU: Units(cpu)}
	for name, f := range custom {
		if name == "" || name == "CPU" {
			return Demand{}, fmt.Errorf("sched: custom resource name %q is reserved or empty", name)
		}
		if f < 0 || math.IsNaN(f) || math.IsInf(f, 0) {
			return Demand{}, fmt.Errorf("sched: resource %q amount %v: must be a finite amount >= 0", name, f)
		}
		if q := Units(f); q > 0 {
			d.Custom = append(d.Custom, Amount{name, q})
		}
	}
	slices.SortFunc(d.Custom, func(a, b Amount) int { return strings.Compare(a.Name, b.Name) })
	return d, nil
}

// key is a canonical string for interning scheduling classes.
func (d Demand) key() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CPU=%d", d.CPU)
	for _, a := range d.Custom {
		fmt.Fprintf(&b, ",%s=%d", a.Name, a.Qty)
	}
	return b.String()
}

// String prints the demand the way users write it: {CPU: 1, GPU: 0.5}.
func (d Demand) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{CPU: %g", d.CPU.Float())
	for _, a := range d.Custom {
		fmt.Fprintf(&b, ", %s: %g", a.Name, a.Qty.Float())
	}
	b.WriteString("}")
	return b.String()
}

// Pool is a node's resources: totals and what is free now. Free CPU may go
// negative while woken tasks oversubscribe the node; nothing new is admitted
// until it is back.
type Pool struct {
	TotalCPU  Quantity
	FreeCPU   Quantity
	total     map[string]Quantity
	free      map[string]Quantity
	customIdx []string // names in sorted order, for Snapshot
}

// NewPool returns a pool with the given totals, all free.
func NewPool(cpu float64, custom map[string]float64) (*Pool, error) {
	d, err := NewDemand(cpu, custom)
	if err != nil {
		return nil, err
	}
	p := &Pool{TotalCPU: d.CPU, FreeCPU: d.CPU, total: map[string]Quantity{}, free: map[string]Quantity{}}
	for _, a := range d.Custom {
		p.total[a.Name] = a.Qty
		p.free[a.Name] = a.Qty
		p.customIdx = append(p.customIdx, a.Name)
	}
	return p, nil
}

// Feasible reports whether d could ever fit this pool.
func (p *Pool) Feasible(d Demand) bool {
	if d.CPU > p.TotalCPU {
		return false
	}
	for _, a := range d.Custom {
		if a.Qty > p.total[a.Name] {
			return false
		}
	}
	return true
}

// Fits reports whether d fits what is free now.
func (p *Pool) Fits(d Demand) bool {
	if d.CPU > p.FreeCPU {
		return false
	}
	for _, a := range d.Custom {
		if a.Qty > p.free[a.Name] {
			return false
		}
	}
	return true
}

func (p *Pool) acquire(d Demand) {
	p.FreeCPU -= d.CPU
	for _, a := range d.Custom {
		p.free[a.Name] -= a.Qty
	}
}

func (p *Pool) release(d Demand) {
	p.FreeCPU += d.CPU
	for _, a := range d.Custom {
		p.free[a.Name] += a.Qty
	}
}

// ResourceUse is one resource's total and free amount, in units.
type ResourceUse struct {
	Name        string
	Total, Free float64
}

// Snapshot lists CPU then the custom resources by name.
func (p *Pool) Snapshot() []ResourceUse {
	out := []ResourceUse{{"CPU", p.TotalCPU.Float(), p.FreeCPU.Float()}}
	for _, n := range p.customIdx {
		out = append(out, ResourceUse{n, p.total[n].Float(), p.free[n].Float()})
	}
	return out
}
