# zoombridge — build, run and test. `make setup` once, then `make demo` or `make test`.
GO      ?= go
SKIPLOG := $(CURDIR)/.skipped-tests

.PHONY: setup build demo test test-go fuzz openapi-lint conformance lint fmtcheck bench bench-webhooks

setup: ## install or start what the tests need (scripts/prepare): PostgreSQL, Chromium, python3-icalendar, Go modules, npm packages
	scripts/prepare

build:
	$(GO) build -o bin/zoombridge ./cmd/zoombridge

demo: build
	bin/zoombridge demo

# test: vet, the Go suite with the race detector, a short fuzz run of every
# parser of untrusted input, Redocly's lint of the REST API's OpenAPI document,
# and the conformance suite (the emulator against Zoom's own SDK, a host app against the API).
# Tests that could not run (no PostgreSQL, no Chromium) are listed loudly at
# the end; CI sets ZOOMBRIDGE_TEST_REQUIRE_POSTGRES/BROWSER=1 so they fail instead.
test: setup test-go fuzz openapi-lint conformance

test-go:
	$(GO) vet ./...
	@rm -f $(SKIPLOG)
	@ZOOMBRIDGE_SKIP_LOG=$(SKIPLOG) $(GO) test -race -count=1 ./...; status=$$?; \
	if [ -s $(SKIPLOG) ]; then \
		echo; echo "!!!!!!!! SKIPPED TESTS — these did not run:"; sort -u $(SKIPLOG) | sed 's/^/!!!   /'; echo; \
	fi; exit $$status

# fuzz: every fuzz target of the parsers of untrusted input, FUZZTIME each
# (a short run for CI; `make fuzz FUZZTIME=30m` or scripts/fuzz-cpu for a
# long one). A package with new parsers joins FUZZ_PKGS. The short run is a
# count of executions (a few seconds each), not a duration: with a duration,
# Go 1.26's fuzz coordinator can report "context deadline exceeded" as the
# time runs out (golang/go#75804, fixed in Go 1.27), failing CI on no input.
FUZZTIME ?= 20000x
FUZZ_PKGS ?= ./internal/webhook ./internal/people ./internal/api ./internal/connect \
	./internal/chat ./internal/chat/teams ./internal/booking ./internal/outbound
fuzz:
	@for pkg in $(FUZZ_PKGS); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run='^$$' -fuzz="^$$target$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

# npm ci when node_modules predates a package of package.json (a marker per addition).
NPM_READY := [ -d node_modules/standardwebhooks ] || npm ci --no-audit --no-fund

openapi-lint: ## Redocly's recommended-strict rules (conformance/redocly.yaml) over internal/api/openapi.json
	cd conformance && { $(NPM_READY); } && REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true \
		npx --no-install redocly lint --config redocly.yaml ../internal/api/openapi.json

conformance:
	cd conformance && { $(NPM_READY); } && npm test
	cd conformance/teams && { [ -d node_modules/botframework-connector ] || npm ci --no-audit --no-fund; } && npm test

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

# bench-webhooks: the webhook benchmark with Zoom's own Node receiver
# (@zoom/rivet, in conformance/) under the same load in the same run, so the
# ratios are printed; BENCH_ARGS adds flags (e.g. -database-url ...).
bench-webhooks: build
	cd conformance && { [ -d node_modules ] || npm ci --no-audit --no-fund; } && npm run --silent build
	bin/zoombridge bench webhooks -node-receiver "node conformance/dist/bench-receiver.js" $(BENCH_ARGS)

bench:
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./...
