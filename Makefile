# Shoal's build. `make test` is what CI runs (.ci/run); `make demo` is the
# newcomer's first command.
GO      ?= go
# The concurrent packages (the runtime, partition with its engines, the
# executor and the dataframe suite that drives both engines) always run under
# the race detector; the rest without it.
RACE    = ./runtime/... ./partition/... ./algebra/exec/... ./dataframe/...
PLAIN   = $(shell $(GO) list ./... | grep -v -e '/runtime/' -e '/partition' -e '/algebra/exec' -e '/dataframe')

.PHONY: build test demo bench lint generate proto

build:
	$(GO) build ./...

test:
	$(GO) vet ./...
	$(GO) test $(PLAIN)
	$(GO) test -race $(RACE)

# The main job on the embedded default: examples/sales reads a 300,000-row
# sales CSV (written from generated data on the first run, in the temporary
# directory) and runs a filter / join / group-by / sort pipeline on the
# single-node path, printing the plan and the result as pandas would.
demo:
	$(GO) run ./examples/sales

# Runtime microbenchmarks (Ray's shapes), the Go benchmarks beside the code,
# then the short H2O run: every groupby and join question at 1e6 rows on the
# single-node path and the runtime, whose checksums must agree.
bench:
	$(GO) run ./cmd/shoal bench runtime
	$(GO) test -run '^$$' -bench . -benchtime 1s ./runtime/... ./partition/... ./bench/...
	$(GO) run ./cmd/shoal bench h2o --size 1e6 --mode local,runtime

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) test -run TestGeneratedCodeIsCurrent ./runtime/remote/

generate:
	$(GO) generate ./...

# gRPC and protobuf code is generated from the .proto files beside it and
# checked in, so building and CI need no code generator. Regenerating needs
# protoc (Debian's protobuf-compiler) and the two plugins at these versions.
PROTOC_GEN_GO      = google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
PROTOC_GEN_GO_GRPC = google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.5.1
GOBIN_DIR          = $(shell $(GO) env GOPATH)/bin

proto:
	@command -v protoc >/dev/null || { echo "make proto: protoc is missing (apt-get install protobuf-compiler)"; exit 1; }
	GOFLAGS= $(GO) install $(PROTOC_GEN_GO)
	GOFLAGS= $(GO) install $(PROTOC_GEN_GO_GRPC)
	PATH="$(GOBIN_DIR):$$PATH" protoc --proto_path=. \
		--go_out=. --go_opt=paths=source_relative \
		--go-grpc_out=. --go-grpc_opt=paths=source_relative \
		$$(git ls-files '*.proto')
