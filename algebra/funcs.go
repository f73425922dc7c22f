package algebra

import (
	"fmt"
	"sync"

	"github.com/apache/arrow/go/v15/arrow"
)

// A UDF maps a record to a record: MapBatches runs one per partition,
// GroupMap one per group. It borrows its input and returns a record the
// caller owns.
type UDF = func(arrow.Record) (arrow.Record, error)

// Go cannot ship a closure to another process, so a plan that runs on a
// cluster names its UDFs, and every process of the job (the same binary)
// finds them in this registry. On the single-node path and the embedded
// runtime any closure works.
var funcs sync.Map // name -> UDF

// RegisterFunc registers fn under name, once, at package level (in a var
// declaration or init). It returns fn. Registering a name twice panics: two
// functions under one name would make a cluster run the wrong one.
func RegisterFunc(name string, fn UDF) UDF {
	if name == "" || fn == nil {
		panic("algebra: RegisterFunc needs a name and a function")
	}
	if _, dup := funcs.LoadOrStore(name, fn); dup {
		panic(fmt.Sprintf("algebra: function %q registered twice", name))
	}
	return fn
}

// LookupFunc returns the function registered under name.
func LookupFunc(name string) (UDF, bool) {
	fn, ok := funcs.Load(name)
	if !ok {
		return nil, false
	}
	return fn.(UDF), true
}
