# zoombridge — build, run and test. `make setup` once, then `make demo` or `make test`.
GO      ?= go
SKIPLOG := $(CURDIR)/.skipped-tests

.PHONY: setup build demo test test-go fuzz conformance lint bench bench-webhooks

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

# test: vet, the Go suite with the race detector, a short fuzz run of every
# parser of untrusted input, and the emulator's conformance suite against Zoom's own SDK.
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

# fuzz: every fuzz target of the parsers of untrusted input, FUZZTIME each
# (a short run for CI; `make fuzz FUZZTIME=30m` for a long one). A package
# with new parsers joins FUZZ_PKGS.
FUZZTIME ?= 5s
FUZZ_PKGS ?= ./internal/webhook ./internal/people ./internal/api ./internal/connect
fuzz:
	@for pkg in $(FUZZ_PKGS); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

conformance:
	cd conformance && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm test

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	@if command -v golangci-lint >/dev/null; then golangci-lint run ./...; else echo "golangci-lint not installed; ran gofmt and go vet"; fi

# bench-webhooks: the webhook benchmark with Zoom's own Node receiver
# (@zoom/rivet, in conformance/) under the same load in the same run, so the
# ratios are printed; BENCH_ARGS adds flags (e.g. -database-url ...).
bench-webhooks: build
	cd conformance && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npx tsc -p tsconfig.json
	bin/zoombridge bench webhooks -node-receiver "node conformance/dist/bench-receiver.js" $(BENCH_ARGS)

bench:
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./...
