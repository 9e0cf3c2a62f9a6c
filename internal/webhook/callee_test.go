package webhook_test

import (
	"strings"
	"testing"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
)

// TestOutboundCallKeepsCallee: a call record event of an outbound call keeps
// whom it reached (Zoom's callee name, else the callee's number or
// extension) through the allow-list onto the activity; an inbound call
// keeps none, and the callee's own DID number is never stored.
func TestOutboundCallKeepsCallee(t *testing.T) {
	testdb.Each(t, func(t *testing.T, d store.Dialect) {
		t.Parallel()
		h := newHarness(t, d)
		f := h.fixture("callee")
		const user = "IqoQmDRqS-aIoXqV_FZ88w"
		logged := strings.NewReplacer(`"direction":"inbound"`, `"direction":"outbound"`).Replace(string(example(t, "phone.caller_call_log_completed")))
		history := `{"event":"phone.caller_call_history_completed","event_ts":1623218132900,"payload":{"account_id":"TQTvjT52Tmi_wrhASNNOEw","object":{"user_id":"` + user + `",` +
			`"call_logs":[{"id":"h1","call_id":"7018317023722949162","direction":"outbound","caller_name":"Carol","callee_name":"",` +
			`"callee_did_number":"+12059300920","callee_ext_number":"101229","start_time":"2021-06-09T06:00:00Z","end_time":"2021-06-09T06:02:00Z"},` +
			`{"id":"h2","call_id":"7018317023722949163","direction":"inbound","caller_name":"ACME","callee_name":"Carol C",` +
			`"callee_did_number":"+12059300921","start_time":"2021-06-09T07:00:00Z","end_time":"2021-06-09T07:02:00Z"}]}}}`
		for _, b := range []string{logged, history} {
			if code := h.deliver([]byte(b)); code != 200 {
				t.Fatalf("delivery: %d", code)
			}
		}
		h.processAll()
		for _, ev := range h.inbox() {
			if strings.Contains(string(ev.Body), "+15104381494") || strings.Contains(string(ev.Body), "+12059300920") {
				t.Fatalf("%s keeps a callee's DID number: %s", ev.Event, ev.Body)
			}
		}
		acts := h.activities(f.phone)
		for id, want := range map[string]string{"6971668473388011511": "ZOOM_API Test", "7018317023722949162": "101229", "7018317023722949163": ""} {
			a, ok := acts[store.ActivityCall+"/"+id+"/"+user]
			if !ok {
				t.Fatalf("call %s not stored: %v", id, acts)
			}
			if a.Callee != want {
				t.Errorf("call %s (%s): callee %q, want %q", id, a.Direction, a.Callee, want)
			}
		}
	})
}
