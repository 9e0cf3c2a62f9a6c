# zoombridge — build, run and test. `make setup` once, then `make demo` or `make test`.
GO      ?= go
SKIPLOG := $(CURDIR)/.skipped-tests

.PHONY: setup build demo test test-go fuzz conformance lint fmtcheck bench

setup: ## install what the tests need: Go modules, Chromium, the conformance suite's npm packages
	$(GO) mod download
	$(GO) build -o bin/zoombridge ./cmd/zoombridge   # also warms the build cache for the tests
	command -v chromium >/dev/null || command -v chromium-browser >/dev/null || \
		{ if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
		  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; }
	cd conformance && npm ci --no-audit --no-fund

build:
	$(GO) build -o bin/zoombridge ./cmd/zoombridge

demo: build
	bin/zoombridge demo

# test: vet, the Go suite with the race detector, a short fuzz run of the
# webhook parser, and the emulator's conformance suite against Zoom's own SDK.
# Tests that could not run (no PostgreSQL, no Chromium) are listed loudly at
# the end; CI sets ZOOMBRIDGE_TEST_REQUIRE_POSTGRES/BROWSER=1 so they fail instead.
test: test-go fuzz conformance

test-go:
	$(GO) vet ./...
	@rm -f $(SKIPLOG)
	@ZOOMBRIDGE_SKIP_LOG=$(SKIPLOG) $(GO) test -race -count=1 ./...; status=$$?; \
	if [ -s $(SKIPLOG) ]; then \
		echo; echo "!!!!!!!! SKIPPED TESTS — these did not run:"; sort -u $(SKIPLOG) | sed 's/^/!!!   /'; echo; \
	fi; exit $$status

fuzz:
	@for target in $$($(GO) test -list '^Fuzz' ./internal/webhook | grep '^Fuzz'); do \
		echo "fuzz $$target (10s)"; \
		$(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=10s ./internal/webhook || exit 1; \
	done

conformance:
	cd conformance && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test

# lint: gofmt, go vet and golangci-lint (.golangci.yml) at a pinned version,
# installed with `go install` into GOPATH/bin when missing.
GOLANGCI_LINT_VERSION ?= v2.15.0
GOLANGCI_LINT := $(shell $(GO) env GOPATH)/bin/golangci-lint

lint: fmtcheck
	$(GO) vet ./...
	@$(GOLANGCI_LINT) version 2>/dev/null | grep -q "$(GOLANGCI_LINT_VERSION:v%=%)" || \
		$(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	$(GOLANGCI_LINT) run ./...

# fmtcheck fails, naming them, when Go files are not gofmt-formatted.
fmtcheck:
	@out=$$(gofmt -l cmd internal); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

bench:
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./...
