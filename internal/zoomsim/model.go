package zoomsim

import (
	"time"
)

// User is an account member as the emulator holds it.
type User struct {
	ID           string    `json:"id"`
	Email        string    `json:"email"`
	FirstName    string    `json:"first_name"`
	LastName     string    `json:"last_name"`
	Type         int       `json:"type"`   // 1 Basic, 2 Licensed
	Status       string    `json:"status"` // active, inactive, pending
	Role         string    `json:"role"`   // owner, admin, member
	PhoneLicence bool      `json:"phone_licence"`
	PhoneNumber  string    `json:"phone_number,omitempty"` // DID, E.164, phone users only
	Extension    int       `json:"extension,omitempty"`
	Timezone     string    `json:"timezone"`
	Dept         string    `json:"dept"`
	CreatedAt    time.Time `json:"created_at"`
	Deleted      bool      `json:"deleted"`
}

// userRec adds what only the emulator's answers need.
type userRec struct {
	User
	pmi           int64
	extID         string
	devices       []device
	lastLogin     time.Time
	clientVersion string
	webinars      bool // holds a webinar licence
}

type device struct{ typ, id string }

func (u *userRec) displayName() string { return u.FirstName + " " + u.LastName }
func (u *userRec) isAdmin() bool       { return u.Role == "owner" || u.Role == "admin" }
func (u *userRec) roleID() string {
	switch u.Role {
	case "owner":
		return "0"
	case "admin":
		return "1"
	}
	return "2"
}
func (u *userRec) roleName() string {
	switch u.Role {
	case "owner":
		return "Owner"
	case "admin":
		return "Admin"
	}
	return "Member"
}

// meetingRec is a meeting ID: a scheduled, recurring or instant meeting. Each
// time it runs it gets an instance with its own UUID.
type meetingRec struct {
	id            int64
	uuid          string // the first instance's UUID (each recurrence gets its own)
	hostID        string
	topic, agenda string
	typ           int // 1 instant, 2 scheduled, 8 recurring with fixed time
	start         time.Time
	duration      int // minutes
	timezone      string
	createdAt     time.Time
	password      string
	autoRecording string // cloud, local, none
	autoSummary   bool
	invitees      []string  // settings.meeting_invitees emails
	fromAPI       bool      // created through POST /users/{userId}/meetings
	ranUpTo       time.Time // API meetings: occurrences up to here have run
	deleted       bool
	recur         recurrence // type 8 only
	instances     []*instanceRec
}

// recurrence is a type 8 meeting's schedule: every interval days or weeks
// from start, endTimes occurrences (0: no end, as for the seeded series).
type recurrence struct {
	typ      int // 1 daily, 2 weekly
	interval int
	endTimes int
}

func (rc recurrence) step() time.Duration {
	d := 24 * time.Hour
	if rc.typ != 1 {
		d *= 7
	}
	return d * time.Duration(max(rc.interval, 1))
}

// participant is one person in a meeting or webinar instance.
type participant struct {
	id, userID, name, email string
	join, leave             time.Time
	internal                bool
}

// instanceRec is one run of a meeting: what past_meetings, reports,
// recordings and summaries describe.
type instanceRec struct {
	uuid           string
	m              *meetingRec
	start, end     time.Time
	parts          []participant
	hasChat        bool
	hasScreenShare bool
	recAt          time.Time // recording.completed; zero: no cloud recording
	transcriptAt   time.Time // zero: no transcript
	summaryAt      time.Time // zero: no AI Companion summary
	files          []*recFile
	summary        *summaryRec
	recState       string // "" (present), "trashed" or "deleted": the cloud recording (recordings_admin.go)
	sumState       string // likewise for the AI summary
}

func (in *instanceRec) minutes() int {
	return int(in.end.Sub(in.start).Round(time.Minute) / time.Minute)
}

func (in *instanceRec) totalMinutes() int {
	var d time.Duration
	for _, p := range in.parts {
		d += p.leave.Sub(p.join)
	}
	return int(d / time.Minute)
}

type recFile struct {
	id, fileType, ext, recType string
	size                       int64
	start, end                 time.Time
	readyAt                    time.Time
	token                      string // path token of play/download URLs
}

type summaryRec struct {
	title, overview, content string
	details                  [][2]string
	nextSteps                []string
}

// webinarRec is a webinar ID with the instances that have run.
type webinarRec struct {
	id            int64
	hostID        string
	topic, agenda string
	typ           int // 5 webinar
	start         time.Time
	duration      int
	timezone      string
	createdAt     time.Time
	password      string
	attendees     int
	instances     []*webinarInstance
}

type webinarInstance struct {
	uuid       string
	w          *webinarRec
	start, end time.Time
	attendees  int
}

// callRec is one user's leg of a Zoom Phone call: a call_history record.
// Internal calls have two, sharing callID.
type callRec struct {
	id, pathID, callID string
	userID             string
	direction          string // inbound, outbound
	internal           bool
	caller, callee     party
	start, answer, end time.Time
	result             string
	recordingID        string
	voicemailID        string
	holdTime           int
}

// party is one end of a call.
type party struct {
	userID, extID, name, email, number string
	ext                                int
	device                             device
}

func (c *callRec) talkTime() int {
	if c.answer.IsZero() {
		return 0
	}
	return int(c.end.Sub(c.answer) / time.Second)
}

func (c *callRec) waitTime() int {
	if c.answer.IsZero() {
		return int(c.end.Sub(c.start) / time.Second)
	}
	return int(c.answer.Sub(c.start) / time.Second)
}
