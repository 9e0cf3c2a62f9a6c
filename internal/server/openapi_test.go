package server

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/api/contracttest"
)

// TestAPIRoutesAreDocumented: whichever feature mounts it, every route the
// process serves under /api/ is an operation of openapi.json, and every
// operation is served. (internal/api's TestOpenAPIRoutesAndOperationsMatch
// holds its routes function to the document; this holds the whole process.)
func TestAPIRoutesAreDocumented(t *testing.T) {
	srv, err := Open(context.Background(), testConfig(t, ""), Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	must(t, err)
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	missing, extra := undocumented(srv.mux.patterns)
	for _, op := range missing {
		t.Errorf("openapi.json describes %s, which is not served", op)
	}
	for _, p := range extra {
		t.Errorf("%s is served but not described in openapi.json", p)
	}

	// The check is real: a route mounted beside the API's is caught.
	if _, extra := undocumented(append(slices.Clone(srv.mux.patterns), "GET /api/v1/elsewhere")); !slices.Equal(extra, []string{"GET /api/v1/elsewhere"}) {
		t.Fatalf("an undescribed route reported as %v", extra)
	}
}

// undocumented compares the patterns under /api/ with the document's
// operations: operations not served, and patterns not described. "/api/"
// itself is the API's JSON 404 and 405 for everything else.
func undocumented(patterns []string) (missing, extra []string) {
	served := map[string]bool{}
	for _, p := range patterns {
		_, path, ok := strings.Cut(p, " ")
		if !ok {
			path = p // every method
		}
		if strings.HasPrefix(path, "/api/") && p != "/api/" {
			served[p] = true
		}
	}
	for path, item := range contracttest.Document().Paths.Map() {
		for method := range item.Operations() {
			op := method + " " + path
			if !served[op] {
				missing = append(missing, op)
			}
			delete(served, op)
		}
	}
	for p := range served {
		extra = append(extra, p)
	}
	slices.Sort(missing)
	slices.Sort(extra)
	return missing, extra
}
