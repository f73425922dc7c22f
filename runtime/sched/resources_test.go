package sched_test

import (
	"math"
	"slices"
	"testing"

	"github.com/shoaldata/shoal/runtime/sched"
)

func TestUnitsAddExactly(t *testing.T) {
	// Ten tenths are one CPU in Quantity, though not in float64.
	var sum sched.Quantity
	var fsum float64
	for range 10 {
		sum += sched.Units(0.1)
		fsum += 0.1
	}
	if fsum == 1 {
		t.Fatal("float64 tenths add to 1 exactly; the test shows nothing")
	}
	if sum != sched.Unit {
		t.Errorf("10 x Units(0.1) = %d, want %d", sum, sched.Unit)
	}
	if got := sched.Units(0.5) + sched.Units(0.5); got != sched.Units(1) {
		t.Errorf("0.5 + 0.5 = %d, want %d", got, sched.Units(1))
	}
	if got := sched.Units(0.0004); got != 0 {
		t.Errorf("Units(0.0004) = %d, want 0 (rounded to thousandths)", got)
	}
	if got := sched.Units(1.5).Float(); got != 1.5 {
		t.Errorf("Units(1.5).Float() = %v", got)
	}
}

func TestNewDemand(t *testing.T) {
	for _, c := range []struct {
		name   string
		cpu    float64
		custom map[string]float64
		want   sched.Demand
		str    string
		err    bool
	}{
		{name: "cpu only", cpu: 2, want: sched.Demand{CPU: 2000}, str: "{CPU: 2}"},
		{name: "zero", want: sched.Demand{}, str: "{CPU: 0}"},
		{
			name: "custom sorted, zeros dropped", cpu: 0.5,
			custom: map[string]float64{"TPU": 1, "GPU": 0.25, "disk": 0},
			want:   sched.Demand{CPU: 500, Custom: []sched.Amount{{"GPU", 250}, {"TPU", 1000}}},
			str:    "{CPU: 0.5, GPU: 0.25, TPU: 1}",
		},
		{name: "negative cpu", cpu: -1, err: true},
		{name: "NaN cpu", cpu: math.NaN(), err: true},
		{name: "infinite cpu", cpu: math.Inf(1), err: true},
		{name: "reserved name", custom: map[string]float64{"CPU": 1}, err: true},
		{name: "empty name", custom: map[string]float64{"": 1}, err: true},
		{name: "negative custom", custom: map[string]float64{"GPU": -1}, err: true},
		{name: "NaN custom", custom: map[string]float64{"GPU": math.NaN()}, err: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			d, err := sched.NewDemand(c.cpu, c.custom)
			if c.err {
				if err == nil {
					t.Fatalf("NewDemand = %v, want an error", d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.CPU != c.want.CPU || !slices.Equal(d.Custom, c.want.Custom) {
				t.Errorf("NewDemand = %+v, want %+v", d, c.want)
			}
			if got := d.String(); got != c.str {
				t.Errorf("String() = %q, want %q", got, c.str)
			}
		})
	}
}

func TestClassInternsEqualDemands(t *testing.T) {
	p, err := sched.NewPool(4, map[string]float64{"GPU": 2})
	if err != nil {
		t.Fatal(err)
	}
	s := sched.New(p)
	must := func(cpu float64, custom map[string]float64) sched.Demand {
		d, err := sched.NewDemand(cpu, custom)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	a := s.Class(must(1, map[string]float64{"GPU": 0.5, "TPU": 1}))
	b := s.Class(must(1, map[string]float64{"TPU": 1, "GPU": 0.5})) // same demand, other map order
	if a != b {
		t.Error("equal demands got different classes")
	}
	if c := s.Class(must(1, map[string]float64{"GPU": 0.5})); c == a {
		t.Error("different demands share a class")
	}
	if s.Class(must(1, nil)) != s.Class(must(1, map[string]float64{"GPU": 0})) {
		t.Error("a zero custom amount makes a different class")
	}
	if s.Class(must(0.5, nil)) != s.Class(must(0.5004, nil)) {
		t.Error("demands equal after rounding to thousandths got different classes")
	}
}

func TestPoolFeasibleAndFits(t *testing.T) {
	p, err := sched.NewPool(2, map[string]float64{"GPU": 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		cpu      float64
		custom   map[string]float64
		feasible bool
	}{
		{2, nil, true},
		{2.001, nil, false},
		{0, map[string]float64{"GPU": 1}, true},
		{0, map[string]float64{"GPU": 1.5}, false},
		{0, map[string]float64{"TPU": 0.001}, false}, // the node has none
	} {
		d, err := sched.NewDemand(c.cpu, c.custom)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Feasible(d); got != c.feasible {
			t.Errorf("Feasible(%v) = %v, want %v", d, got, c.feasible)
		}
		if got := p.Fits(d); got != c.feasible { // all of it is free
			t.Errorf("Fits(%v) on an empty pool = %v, want %v", d, got, c.feasible)
		}
	}
	want := []sched.ResourceUse{{"CPU", 2, 2}, {"GPU", 1, 1}}
	if got := p.Snapshot(); !slices.Equal(got, want) {
		t.Errorf("Snapshot() = %v, want %v", got, want)
	}
	if _, err := sched.NewPool(-1, nil); err == nil {
		t.Error("NewPool(-1) did not fail")
	}
}
