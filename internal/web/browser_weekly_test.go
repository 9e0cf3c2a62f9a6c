package web_test

import (
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
)

// TestBrowserWeeklyChartFillsCard: at 1280 × 800 the per-day chart spans its
// card (no third left empty), drawn one unit to one pixel so its labels keep
// their size; on a phone the page stays within the screen.
func TestBrowserWeeklyChartFillsCard(t *testing.T) {
	requireBrowser(t)
	srv := startServer(t)
	g := newOrg(t, srv, "Chart Co")
	b := newTab(t, srv.URL())
	b.signIn(g.people[store.RoleOwner].Email, testPassword)
	b.viewport(1280, 800, false)
	b.open("/reports/weekly?date=" + t0.Format("2006-01-02"))
	type geometry struct {
		Inner, SVG, ViewBox, LastRight, CardLeft float64
	}
	g1 := eval[geometry](b, `(() => {
		const svg = document.querySelector("svg.daychart"), card = svg.closest(".card-box");
		const cs = getComputedStyle(card), cr = card.getBoundingClientRect();
		const labels = svg.querySelectorAll("text.axis[text-anchor=middle]");
		return {Inner: card.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
			SVG: svg.getBoundingClientRect().width, ViewBox: svg.viewBox.baseVal.width,
			LastRight: labels[labels.length-1].getBoundingClientRect().right - cr.left, CardLeft: cr.left};
	})()`)
	if g1.SVG < g1.Inner-1 {
		t.Fatalf("the chart is %.0f px wide in a card of %.0f px", g1.SVG, g1.Inner)
	}
	if g1.LastRight < 0.85*g1.Inner {
		t.Fatalf("the last day ends at %.0f px of a %.0f px card: the right of the card is empty", g1.LastRight, g1.Inner)
	}
	if r := g1.SVG / g1.ViewBox; r < 0.95 || r > 1.05 {
		t.Fatalf("viewBox %.0f drawn at %.0f px: labels are scaled by %.2f", g1.ViewBox, g1.SVG, r)
	}
	b.screenshot("weekly-chart-1280")
	b.viewport(390, 844, true)
	b.open("/reports/weekly?date=" + t0.Format("2006-01-02"))
	if w := eval[float64](b, "document.documentElement.scrollWidth"); w > 390 {
		t.Fatalf("on a phone the weekly page is %.0f px wide", w)
	}
}
