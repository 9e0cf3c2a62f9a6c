package zoomsim

import (
	"math/rand/v2"
	"time"
)

// Zoom Phone voicemails: GET /phone/users/{userId}/voice_mails and
// GET /phone/voice_mails/{voicemailId}, shaped as Rivet 0.4.0's
// VoicemailsGetUsersVoicemailsResponse and VoicemailsGetVoicemailDetailsResponse,
// and the phone.voicemail_received event (PhoneVoicemailReceivedEvent).

type voicemailRec struct {
	id, ownerID   string
	caller        party
	at            time.Time
	duration      int // seconds
	read          bool
	callHistoryID string
	transcript    string
}

var transcripts = []string{
	"Hi, it's about the quarterly numbers. Call me back when you can.",
	"Hello, just confirming tomorrow's appointment at ten. Thanks.",
	"Quick question on the contract draft, please return my call.",
	"This is a reminder that your order has shipped.",
}

func (s *Server) newVoicemail(r *rand.Rand, u *userRec, at time.Time) *voicemailRec {
	return &voicemailRec{id: hexID(r, 16), ownerID: u.ID, caller: externalParty(r), at: at.Truncate(time.Second),
		duration: 5 + r.IntN(90), read: chance(r, 0.5), callHistoryID: callHistoryID(r, at), transcript: pick(r, transcripts)}
}

type voicemailWire struct {
	CallHistoryID    string `json:"call_history_id"`
	CalleeName       string `json:"callee_name"`
	CalleeNumber     string `json:"callee_number"`
	CalleeNumberType int    `json:"callee_number_type"`
	CallerName       string `json:"caller_name"`
	CallerNumber     string `json:"caller_number"`
	CallerNumberType int    `json:"caller_number_type"`
	DateTime         string `json:"date_time"`
	DownloadURL      string `json:"download_url"`
	Duration         int    `json:"duration"`
	ID               string `json:"id"`
	Status           string `json:"status"`
}

type voicemailDetailWire struct {
	voicemailWire
	Transcription struct {
		Content string `json:"content"`
		Status  int    `json:"status"`
		Engine  string `json:"engine"`
	} `json:"transcription"`
}

type voicemailsResponse struct {
	From          string          `json:"from"`
	To            string          `json:"to"`
	NextPageToken string          `json:"next_page_token"`
	PageCount     int             `json:"page_count"`
	PageSize      int             `json:"page_size"`
	TotalRecords  int             `json:"total_records"`
	VoiceMails    []voicemailWire `json:"voice_mails"`
}

func (s *Server) voicemailWire(v *voicemailRec) voicemailWire {
	u := s.acct.userByID[v.ownerID]
	status := "unread"
	if v.read {
		status = "read"
	}
	return voicemailWire{CallHistoryID: v.callHistoryID, CalleeName: u.displayName(), CalleeNumber: u.PhoneNumber, CalleeNumberType: 1,
		CallerName: v.caller.name, CallerNumber: v.caller.number, CallerNumberType: 2, DateTime: ztime(v.at),
		DownloadURL: s.baseURL + "/v2/phone/voice_mails/download/" + v.id, Duration: v.duration, ID: v.id, Status: status}
}

func (s *Server) listVoicemails(c *reqCtx) (int, any, *apiErr) {
	u, err := c.phoneUser()
	if err != nil {
		return 0, nil, err
	}
	s.seedExtras()
	from, to, derr := dateRange(c, c.now.AddDate(0, 0, -30), c.now, 31)
	if derr != nil {
		return 0, nil, newAPIErr(400, 300, "Invalid request param: %s", derr.body.Message)
	}
	var mine []*voicemailRec
	for _, v := range s.extras.voicemails {
		if v.ownerID == u.ID && !v.at.After(c.now) && inDates(v.at, from, to) {
			mine = append(mine, v)
		}
	}
	key := func(v *voicemailRec) string { return timeKey(v.at, v.id, true) }
	sortBy(mine, key)
	p, perr := c.page(300)
	if perr != nil {
		return 0, nil, perr
	}
	pg, info := paginate(c, p, mine, key)
	resp := voicemailsResponse{From: from.Format(zoomDate), To: to.Format(zoomDate), NextPageToken: info.next, PageCount: info.count,
		PageSize: info.size, TotalRecords: info.total, VoiceMails: []voicemailWire{}}
	for _, v := range pg {
		resp.VoiceMails = append(resp.VoiceMails, s.voicemailWire(v))
	}
	return 200, resp, nil
}

func (s *Server) getVoicemail(c *reqCtx) (int, any, *apiErr) {
	s.seedExtras()
	id := pathValue(c.r, "voicemailId")
	for _, v := range s.extras.voicemails {
		if v.id != id || v.at.After(c.now) {
			continue
		}
		if err := c.mayAccess(v.ownerID); err != nil {
			return 0, nil, err
		}
		d := voicemailDetailWire{voicemailWire: s.voicemailWire(v)}
		d.Transcription.Content, d.Transcription.Status, d.Transcription.Engine = v.transcript, 1, "zoom"
		return 200, d, nil
	}
	return 0, nil, newAPIErr(404, 404, "Voicemail does not exist.")
}

// voicemailObject is PhoneVoicemailReceivedEvent's object.
type voicemailObject struct {
	ID                  string `json:"id"`
	DateTime            string `json:"date_time"`
	DownloadURL         string `json:"download_url"`
	Duration            int    `json:"duration"`
	CallerNumber        string `json:"caller_number"`
	CallerNumberType    int    `json:"caller_number_type"`
	CallerName          string `json:"caller_name"`
	CalleeUserID        string `json:"callee_user_id"`
	CalleeNumber        string `json:"callee_number"`
	CalleeNumberType    int    `json:"callee_number_type"`
	CalleeName          string `json:"callee_name"`
	CalleeExtensionType string `json:"callee_extension_type"`
	CalleeID            string `json:"callee_id"`
	CallHistoryID       string `json:"call_history_id"`
}

func (s *Server) voicemailEvent(v *voicemailRec) *outEvent {
	w := s.voicemailWire(v)
	u := s.acct.userByID[v.ownerID]
	return s.newEvent("phone.voicemail_received", v.at, voicemailObject{ID: v.id, DateTime: w.DateTime, DownloadURL: w.DownloadURL,
		Duration: v.duration, CallerNumber: v.caller.number, CallerNumberType: 2, CallerName: v.caller.name,
		CalleeUserID: u.ID, CalleeNumber: u.PhoneNumber, CalleeNumberType: 1, CalleeName: u.displayName(),
		CalleeExtensionType: "user", CalleeID: u.extID, CallHistoryID: v.callHistoryID})
}
