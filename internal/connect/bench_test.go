package connect_test

import (
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// BenchmarkAccessTokenCached is the cost every Zoom API call pays for its
// token when none is due: the connection's gate and the cached token.
func BenchmarkAccessTokenCached(b *testing.B) {
	sim := startSim(b, startOpts(store.SQLite))
	e := newEnv(b, testdb.Open(b, store.SQLite), sim, "bench")
	member := e.member()
	c := e.connectUser(e.person(member), member)
	ts := e.svc.TokenSource(c.ID)
	if _, err := ts.AccessToken(e.ctx); err != nil {
		b.Fatal(err)
	}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := ts.AccessToken(e.ctx); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
