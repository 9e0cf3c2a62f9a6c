package zoomsim

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// reqCtx is one authenticated /v2 call. Handlers run with s.mu held and return
// a status and body; the pipeline writes them after unlocking.
type reqCtx struct {
	s   *Server
	r   *http.Request
	g   *grant
	now time.Time
	hdr http.Header
	// after holds webhooks the call caused; they are delivered once the lock
	// is released and before the call answers.
	after []*outEvent
}

// handler computes a response; a nil body with status 204 writes no body.
type handler func(c *reqCtx) (int, any, *apiErr)

// route is one /v2 endpoint with its rate-limit label and scopes.
type route struct {
	pattern string
	cat     category
	phone   bool
	scope   scopeReq
	h       handler
}

// apiRoutes lists every REST endpoint the emulator serves (docs/zoomsim.md).
func (s *Server) apiRoutes() []route {
	return append([]route{
		{"GET /v2/users", medium, false, scopeReq{"user:read:list_users", true, []string{"user:read", "user:write"}}, s.listUsers},
		{"GET /v2/users/{userId}", light, false, scopeReq{"user:read:user", false, []string{"user:read", "user:write", "user_info:read"}}, s.getUser},
		{"POST /v2/users", light, false, scopeReq{"user:write:user", true, []string{"user:write"}}, s.createUsers},
		{"PATCH /v2/users/{userId}", light, false, scopeReq{"user:update:user", false, []string{"user:write"}}, s.updateUserAPI},
		{"PUT /v2/users/{userId}/status", light, false, scopeReq{"user:update:status", true, []string{"user:write"}}, s.updateUserStatus},
		{"DELETE /v2/users/{userId}", light, false, scopeReq{"user:delete:user", true, []string{"user:write"}}, s.deleteUserAPI},
		{"GET /v2/users/{userId}/meetings", medium, false, scopeReq{"meeting:read:list_meetings", false, []string{"meeting:read"}}, s.listMeetings},
		{"GET /v2/users/{userId}/upcoming_meetings", medium, false, scopeReq{"meeting:read:list_upcoming_meetings", false, []string{"meeting:read"}}, s.listUpcomingMeetings},
		{"POST /v2/users/{userId}/meetings", medium, false, scopeReq{"meeting:write:meeting", false, []string{"meeting:write"}}, s.createMeeting},
		{"GET /v2/meetings/{meetingId}", light, false, scopeReq{"meeting:read:meeting", false, []string{"meeting:read"}}, s.getMeeting},
		{"PATCH /v2/meetings/{meetingId}", light, false, scopeReq{"meeting:update:meeting", false, []string{"meeting:write"}}, s.updateMeeting},
		{"DELETE /v2/meetings/{meetingId}", light, false, scopeReq{"meeting:delete:meeting", false, []string{"meeting:write"}}, s.deleteMeeting},
		{"GET /v2/past_meetings/{meetingId}", light, false, scopeReq{"meeting:read:past_meeting", false, []string{"meeting:read"}}, s.getPastMeeting},
		{"GET /v2/past_meetings/{meetingId}/instances", medium, false, scopeReq{"meeting:read:list_past_instances", false, []string{"meeting:read"}}, s.listPastInstances},
		{"GET /v2/past_meetings/{meetingId}/participants", medium, false, scopeReq{"meeting:read:list_past_participants", false, []string{"meeting:read"}}, s.listPastParticipants},
		{"GET /v2/report/users/{userId}/meetings", heavy, false, scopeReq{"report:read:user", true, []string{"report:read"}}, s.reportMeetings},
		{"GET /v2/report/webinars/{webinarId}", heavy, false, scopeReq{"report:read:webinar", true, []string{"report:read"}}, s.reportWebinar},
		{"GET /v2/users/{userId}/webinars", medium, false, scopeReq{"webinar:read:list_webinars", false, []string{"webinar:read"}}, s.listWebinars},
		{"GET /v2/webinars/{webinarId}", light, false, scopeReq{"webinar:read:webinar", false, []string{"webinar:read"}}, s.getWebinar},
		{"GET /v2/past_webinars/{webinarId}/instances", light, false, scopeReq{"webinar:read:list_past_instances", false, []string{"webinar:read"}}, s.listPastWebinarInstances},
		{"GET /v2/users/{userId}/recordings", medium, false, scopeReq{"cloud_recording:read:list_user_recordings", false, []string{"recording:read"}}, s.listRecordings},
		{"GET /v2/meetings/{meetingId}/recordings", light, false, scopeReq{"cloud_recording:read:list_recording_files", false, []string{"recording:read"}}, s.getMeetingRecordings},
		{"GET /v2/meetings/{meetingId}/meeting_summary", light, false, scopeReq{"meeting:read:summary", false, []string{"meeting_summary:read"}}, s.getMeetingSummary},
		{"GET /v2/phone/users", medium, true, scopeReq{"phone:read:list_users", true, []string{"phone:read"}}, s.listPhoneUsers},
		{"GET /v2/phone/users/{userId}/call_history", medium, true, scopeReq{"phone:read:list_call_logs", false, []string{"phone:read", "phone_call_log:read"}}, s.callHistory},
		{"GET /v2/phone/users/{userId}/call_logs", medium, true, scopeReq{"phone:read:list_call_logs", false, []string{"phone:read", "phone_call_log:read"}}, s.callLogs},
	}, s.extrasRoutes()...)
}

// routes is the one place that lists everything the server answers.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth/authorize", s.handleAuthorize)
	mux.HandleFunc("POST /oauth/authorize", s.handleAuthorize)
	mux.HandleFunc("POST /oauth/token", s.handleToken)
	mux.HandleFunc("POST /oauth/revoke", s.handleRevoke)
	for _, rt := range s.apiRoutes() {
		mux.Handle(rt.pattern, s.api(rt))
	}
	mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-zm-trackingid", s.trackingID())
		writeAPIErr(w, newAPIErr(404, 2300, "This API endpoint is not recognized."))
	})
	mux.HandleFunc("GET /rec/download/{token}", s.handleDownload)
	mux.HandleFunc("GET /rec/file/{token}", s.handleFile)
	mux.HandleFunc("GET /rec/play/{token}", s.handlePlay)
	s.controlRoutes(mux)
	s.extrasControlRoutes(mux)
	return mux
}

// api runs the pipeline Zoom's edge applies: faults on demand, authentication,
// the account's rate limits, scopes, then the handler.
func (s *Server) api(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-zm-trackingid", s.trackingID())
		if s.applyAPIFault(w, r) {
			return
		}
		s.mu.Lock()
		s.countCall(rt.pattern)
		c := &reqCtx{s: s, r: r, now: s.clk.now, hdr: http.Header{}}
		status, body, err := s.runAPI(c, rt)
		s.mu.Unlock()
		s.deliverNow(c.after)
		for k, v := range c.hdr {
			w.Header()[k] = v
		}
		switch {
		case err != nil:
			writeAPIErr(w, err)
		case body == nil:
			w.WriteHeader(status)
		default:
			writeJSON(w, status, body)
		}
	})
}

func (s *Server) runAPI(c *reqCtx, rt route) (int, any, *apiErr) {
	g, err := s.authenticate(c.r)
	if err != nil {
		return 0, nil, err
	}
	c.g = g
	if err := s.lim.take(c.hdr, rt.cat, rt.phone, s.limiterNow(), c.now); err != nil {
		return 0, nil, err
	}
	if !rt.scope.allows(g.scopes) {
		return 0, nil, rt.scope.missing(g)
	}
	return rt.h(c)
}

// trackingID mimics x-zm-trackingid ("v=2.0;clid=us05;rid=WEB_<hex>").
func (s *Server) trackingID() string { return "v=2.0;clid=us05;rid=WEB_" + randomID()[:20] }

// pathValue returns a path parameter decoded until stable: Zoom asks clients
// to double-encode UUIDs that begin with "/" or contain "//".
func pathValue(r *http.Request, name string) string {
	v := r.PathValue(name)
	for range 3 {
		d, err := url.PathUnescape(v)
		if err != nil || d == v {
			break
		}
		v = d
	}
	return v
}

func (c *reqCtx) query(name string) string { return strings.TrimSpace(c.r.URL.Query().Get(name)) }

// baseURL is where the URLs handed out (join, play, download) point.
func (c *reqCtx) baseURL() string { return c.s.baseURL }

func itoa(n int64) string { return fmt.Sprintf("%d", n) }
