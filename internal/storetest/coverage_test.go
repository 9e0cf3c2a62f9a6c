package storetest

import (
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

func TestStoreCoverage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		st := testdb.Open(t, d)
		RunCoverage(t, func(*testing.T) *store.Store { return st })
	})
}
