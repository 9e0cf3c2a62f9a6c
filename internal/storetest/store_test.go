package storetest

import (
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

func TestStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		// One database per dialect; each behaviour uses its own organizations.
		st := testdb.Open(t, d)
		Run(t, func(*testing.T) *store.Store { return st })
	})
}
