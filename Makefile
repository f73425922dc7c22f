# Shoal's build. `make test` is what CI runs (.ci/run); `make demo` is the
# newcomer's first command.
GO      ?= go
# Packages outside runtime/ run without the race detector; runtime/ always
# runs with it, so its concurrency is checked on every test run.
PLAIN   = $(shell $(GO) list ./... | grep -v '/runtime/')

.PHONY: build test demo bench lint generate

build:
	$(GO) build ./...

test:
	$(GO) vet ./...
	$(GO) test $(PLAIN)
	$(GO) test -race ./runtime/...

# The main job on the embedded default. Until the dataframe engine lands it
# is examples/pi: Monte Carlo pi, sequential then as parallel tasks.
demo:
	$(GO) run ./examples/pi

# Runtime microbenchmarks (Ray's shapes) and the Go benchmarks beside the code.
bench:
	$(GO) run ./cmd/shoal bench runtime
	$(GO) test -run '^$$' -bench . -benchtime 1s ./runtime/... ./bench/...

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -run TestGeneratedCodeIsCurrent ./runtime/remote/

generate:
	$(GO) generate ./...
