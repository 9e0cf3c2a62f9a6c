package connect_test

import (
	"errors"
	"testing"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// TestRevokedGrantNeedsReconnectOnFirstFailingCall: the app removed in Zoom
// (or turned off by the Zoom admin) shows on the very next API call as
// needs_reconnect with a reason a person understands, in the error, on the
// connection and in the audit log; later calls fail fast, without asking Zoom.
func TestRevokedGrantNeedsReconnectOnFirstFailingCall(t *testing.T) {
	cases := []struct {
		name  string
		kill  func(e *env, zoomUser string)
		words []string
	}{
		{"removed in Zoom", func(e *env, u string) { must(e.t, e.sim.RevokeUser(u)) },
			[]string{"Zoom no longer accepts this connection", "revoked", "Reconnect Zoom"}},
		{"turned off by the Zoom admin", func(e *env, _ string) { e.sim.SetPreApproved(false) },
			[]string{"Zoom admin", "turned zoombridge off", "approve", "reconnect Zoom"}},
	}
	eachDB(t, func(t *testing.T, d store.Dialect) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, testdb.Open(t, d), startSim(t, startOpts(d)), "revoked")
				member := e.member()
				c := e.connectUser(e.person(member), member)
				must(t, e.call(e.svc, c))
				tc.kill(e, member.ID)

				err := e.call(e.svc, c) // the first call after the grant died
				if !errors.Is(err, zoom.ErrNeedsReconnect) {
					t.Fatalf("first failing call = %v, want needs reconnect", err)
				}
				p, ok := connect.AsProblem(err)
				if !ok || p.Code != connect.CodeNeedsReconnect || p.Action != connect.ActionReconnect {
					t.Fatalf("error %v is not a needs-reconnect Problem with a Reconnect action", err)
				}
				containsAll(t, "the error", p.Message, tc.words...)
				got := e.reload(c)
				if got.Status != store.StatusNeedsReconnect || got.StatusReason != p.Message {
					t.Fatalf("connection status %q reason %q, want needs_reconnect with %q", got.Status, got.StatusReason, p.Message)
				}
				log, _ := e.st.AuditLog(e.ctx, e.org.ID, 5)
				if len(log) == 0 || log[0].Action != connect.AuditNeedsReconnect || log[0].Detail != p.Message {
					t.Fatalf("audit log %+v lacks the needs_reconnect entry", log)
				}
				refreshes := e.spy.count("refresh_token")
				if err := e.call(e.svc, c); !errors.Is(err, zoom.ErrNeedsReconnect) {
					t.Fatalf("second call = %v", err)
				}
				if e.spy.count("refresh_token") != refreshes {
					t.Fatal("a connection known to need a reconnect asked Zoom for a token again")
				}
				if b := connect.Banners(got); len(b) == 0 || b[0].Code != connect.CodeNeedsReconnect || b[0].Message != p.Message {
					t.Fatalf("banners %+v do not lead with the reconnect reason", b)
				}
			})
		}
	})
}
