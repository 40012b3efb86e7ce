# Mindnet build targets. `make demo` runs the whole network locally; `make test` runs the tests.

BUILD_DIR ?= build
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse HEAD 2>/dev/null)
LDFLAGS   := -X github.com/cosmos/cosmos-sdk/version.Name=mindnet \
             -X github.com/cosmos/cosmos-sdk/version.AppName=mindnetd \
             -X github.com/cosmos/cosmos-sdk/version.Version=$(VERSION) \
             -X github.com/cosmos/cosmos-sdk/version.Commit=$(COMMIT) \
             -X main.Version=$(VERSION)
BINARIES  := $(wildcard cmd/*)
GO_TEST_FLAGS ?= -timeout 20m

.PHONY: all build install test lint proto-gen proto-check localnet localnet-stop demo bench e2e sim clean

all: build

build:
	@mkdir -p $(BUILD_DIR)
	go build -ldflags '$(LDFLAGS)' -o $(BUILD_DIR)/ $(addprefix ./,$(BINARIES))
	@echo "built: $(notdir $(BINARIES)) in $(BUILD_DIR)/"

install:
	go install -ldflags '$(LDFLAGS)' $(addprefix ./,$(BINARIES))

# The default suite: unit, keeper, app and in-process network tests. Long soak and load runs live
# behind `make bench` and `make e2e`.
test:
	go test $(GO_TEST_FLAGS) ./...

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	go vet ./...

proto-gen:
	./scripts/protocgen.sh

# Fails when the committed generated code differs from what proto-gen makes now.
proto-check: proto-gen
	@git add -N api x 2>/dev/null || true
	@if ! git diff --quiet -- api x; then \
	  echo "generated protobuf code is stale: run 'make proto-gen' and commit the result"; \
	  git diff --stat -- api x; exit 1; fi
	@echo "generated protobuf code is up to date"

localnet: build
	./scripts/localnet.sh start --validators $(or $(VALIDATORS),1)

localnet-stop:
	./scripts/localnet.sh stop

# The whole network: chain, subnet, three miners on the built-in model, one on another model, the
# subnet validator, and a live metagraph table (package devnet; state and logs in .demo/).
demo: build
	./$(BUILD_DIR)/mindnet-devnet --bin $(BUILD_DIR) --dir .demo

bench:
	go test -run '^$$' -bench . -benchmem ./...

# The SDK simulator over the whole app for many blocks (random genesis and messages of every module).
sim:
	go test ./app -run TestFullAppSimulation -SimFull -NumBlocks=200 -BlockSize=100 -Commit -timeout 60m -v

# Every end-to-end run: the short devnet run that `make test` also does, the 4-validator localnet with a
# validator stopped and restarted, and governance changing a hyperparameter bound.
e2e: build
	go test -tags e2e -count=1 -timeout 60m -v ./tests/e2e/...

clean:
	rm -rf $(BUILD_DIR) .proto-deps .proto-gen
