package web

import (
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
)

func TestDeviceName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"MAC_Client(6.0.2.33403)", "Zoom desktop (Mac)"},
		{"Windows_Client(6.0.2.33403)", "Zoom desktop (Windows)"},
		{"iOS_Client(6.0.2.20024)", "Zoom mobile (iPhone or iPad)"},
		{"Android_Client(6.0.2.19845)", "Zoom mobile (Android)"},
		{"Polycom_VVX450(6.4.3.5018)", "Desk phone (Polycom VVX 450)"},
		{"Yealink_T54W(96.86.0.70)", "Desk phone (Yealink T54W)"},
		{"Linux_Client(5.17.1)", "Zoom desktop (Linux)"},
		{"Cisco_8851(12.0)", "Desk phone (Cisco 8851)"},
		{"Some_Gadget(1.0)", "Some Gadget"},
		{"softphone", "softphone"},
		{"", ""},
		{"  MAC_Client  ", "Zoom desktop (Mac)"},
	} {
		if got := deviceName(tc.in); got != tc.want {
			t.Errorf("deviceName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCallerName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"GARCIA MARIA", "Garcia Maria"},
		{"O'NEIL-SMITH JO", "O'Neil-Smith Jo"},
		{"UNKNOWN", ""},
		{"unknown", ""},
		{"Anonymous", ""},
		{"", ""},
		{"Maria de la Cruz", "Maria de la Cruz"},
		{"+1 555 0100", "+1 555 0100"},
		{"ÉLODIE DUPONT", "Élodie Dupont"},
	} {
		if got := callerName(tc.in); got != tc.want {
			t.Errorf("callerName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCallBlockSaysWhoCalledWhom: an inbound call names its caller, an
// outbound one whom it reached (in title case, or the number), as Zoom gave it.
func TestCallBlockSaysWhoCalledWhom(t *testing.T) {
	for _, tc := range []struct {
		dir, caller, callee, want string
	}{
		{"outbound", "Hanna Nakamura", "GARCIA MARIA", "Call to Garcia Maria"},
		{"outbound", "", "+1 205 555 0100", "Call to +1 205 555 0100"},
		{"outbound", "", "101229", "Call to 101229"},
		{"outbound", "", "", "Outbound call"},
		{"inbound", "ACME CORP", "Hanna Nakamura", "Call from Acme Corp"},
		{"inbound", "UNKNOWN", "", "Call from Unknown caller"},
	} {
		a := store.Activity{Kind: store.ActivityCall, Direction: tc.dir, CallerName: tc.caller, Callee: tc.callee}
		if got := blockLabel(a); got != tc.want {
			t.Errorf("%s call %q → %q: %q, want %q", tc.dir, tc.caller, tc.callee, got, tc.want)
		}
	}
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	d := activityDetails(store.Activity{Kind: store.ActivityCall, Direction: "outbound", Callee: "GARCIA MARIA", StartAt: at, EndAt: at.Add(time.Minute)}, time.UTC, at.Add(time.Hour), nil)
	found := false
	for _, x := range d {
		found = found || x == detail{"Called", "Garcia Maria"}
	}
	if !found {
		t.Errorf("an outbound call's card %v does not say whom it called", d)
	}
}
