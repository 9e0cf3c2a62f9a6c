package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestUniqueConflictIs409: a write that loses a race for a unique key
// answers 409 with a stable code, never a 500 or the driver's words.
func TestUniqueConflictIs409(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		st := testdb.Open(t, d)
		ctx := context.Background()
		_, err := st.CreateOrganization(ctx, "Org", "org", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.CreateOrganization(ctx, "Org again", "org", time.Now())
		rec := httptest.NewRecorder()
		New(st, nil, nil).fail(rec, httptest.NewRequest(http.MethodPost, "/api/v1/things", nil), err)
		var body struct{ Error Error }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != http.StatusConflict || body.Error.Code != "conflict" {
			t.Fatalf("answered %d %s, want 409 conflict", rec.Code, rec.Body)
		}
		if low := strings.ToLower(rec.Body.String()); strings.Contains(low, "unique") || strings.Contains(low, "duplicate") || strings.Contains(low, "slug") {
			t.Fatalf("the answer shows the database's words: %s", rec.Body)
		}
	})
}
