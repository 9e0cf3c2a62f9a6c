package demo

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/config"
	"github.com/zoombridge/zoombridge/internal/store"
)

// TestDemoSalesCallsLandOnDeals: as the demo's emulated sales calls end,
// their recordings, transcripts and summaries appear on the deals.
func TestDemoSalesCallsLandOnDeals(t *testing.T) {
	cfg, err := config.Load([]string{"ZOOMBRIDGE_ADDR=127.0.0.1:0", "ZOOMBRIDGE_DATA_DIR=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Start(context.Background(), cfg, Options{Users: 15, Speed: 600, Password: "demo-pass-1", Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close(context.Background())
	ctx, st := context.Background(), d.Server.Store
	orgs, err := st.Organizations(ctx)
	if err != nil || len(orgs) != 1 {
		t.Fatalf("organizations: %v %v", orgs, err)
	}
	deals, err := st.Deals(ctx, orgs[0].ID, "", 100)
	if err != nil || len(deals) != len(dealNames) {
		t.Fatalf("%d deals (%v), want %d", len(deals), err, len(dealNames))
	}
	kinds := map[string]bool{}
	for deadline := time.Now().Add(2 * time.Minute); len(kinds) < 3; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after two minutes the deals hold only %v", kinds)
		}
		arts, err := st.Artifacts(ctx, store.ArtifactFilter{OrgID: orgs[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range arts {
			if a.DealID != 0 {
				kinds[a.Kind] = true
			}
		}
	}
}
