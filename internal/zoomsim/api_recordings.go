package zoomsim

import (
	"strconv"
	"time"
)

// Wire types follow Rivet 0.4.0's CloudRecordingListAllRecordingsResponse
// and CloudRecordingGetMeetingRecordingsResponse. Note the meeting "type" is a
// string there.

type recordingFileWire struct {
	ID             string `json:"id"`
	MeetingID      string `json:"meeting_id"`
	RecordingStart string `json:"recording_start"`
	RecordingEnd   string `json:"recording_end"`
	FileType       string `json:"file_type"`
	FileExtension  string `json:"file_extension"`
	FileSize       int64  `json:"file_size"`
	PlayURL        string `json:"play_url,omitempty"`
	DownloadURL    string `json:"download_url"`
	Status         string `json:"status"`
	RecordingType  string `json:"recording_type"`
}

type recordingMeeting struct {
	UUID                  string              `json:"uuid"`
	ID                    int64               `json:"id"`
	AccountID             string              `json:"account_id"`
	HostID                string              `json:"host_id"`
	Topic                 string              `json:"topic"`
	Type                  string              `json:"type"`
	StartTime             string              `json:"start_time"`
	Duration              int                 `json:"duration"`
	TotalSize             int64               `json:"total_size"`
	RecordingCount        int                 `json:"recording_count"`
	RecordingPlayPasscode string              `json:"recording_play_passcode"`
	RecordingFiles        []recordingFileWire `json:"recording_files"`
}

type recordingListResponse struct {
	From          string             `json:"from"`
	To            string             `json:"to"`
	NextPageToken string             `json:"next_page_token"`
	PageCount     int                `json:"page_count"`
	PageSize      int                `json:"page_size"`
	TotalRecords  int                `json:"total_records"`
	Meetings      []recordingMeeting `json:"meetings"`
}

type meetingRecordingsResponse struct {
	recordingMeeting
	DownloadAccessToken string `json:"download_access_token,omitempty"`
	Password            string `json:"password"`
}

// cloudRecordingDenied gates cloud recording: Basic plans and Basic users have none.
func (s *Server) cloudRecordingDenied(u *userRec) *apiErr {
	if s.opts.Plan == "basic" || u.Type == 1 {
		return errNoPermission()
	}
	return nil
}

func (s *Server) listRecordings(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	if err := s.cloudRecordingDenied(u); err != nil {
		return 0, nil, err
	}
	today := day(c.now)
	from, to, err := dateRange(c, today, today.Add(24*time.Hour-time.Second), 31)
	if err != nil {
		return 0, nil, err
	}
	p, err := c.page(300)
	if err != nil {
		return 0, nil, err
	}
	var ins []*instanceRec
	trash := c.query("trash") == "true" // the trash lists trashed recordings only
	for _, m := range s.acct.meetings {
		for _, in := range m.instances {
			if m.hostID == u.ID && recordingExists(in, c.now) && (in.recState == "trashed") == trash && inDates(in.start, from, to) {
				ins = append(ins, in)
			}
		}
	}
	key := func(in *instanceRec) string { return timeKey(in.start, in.uuid, true) } // newest first
	sortBy(ins, key)
	pg, info := paginate(c, p, ins, key)
	resp := recordingListResponse{From: from.Format(zoomDate), To: to.Format(zoomDate), NextPageToken: info.next,
		PageCount: info.count, PageSize: info.size, TotalRecords: info.total, Meetings: []recordingMeeting{}}
	for _, in := range pg {
		resp.Meetings = append(resp.Meetings, s.recordingMeeting(in, c.now))
	}
	return 200, resp, nil
}

// recordingReady: finished processing and neither trashed nor deleted.
func recordingReady(in *instanceRec, now time.Time) bool {
	return recordingExists(in, now) && in.recState == ""
}

func recordingExists(in *instanceRec, now time.Time) bool {
	return !in.recAt.IsZero() && !in.recAt.After(now) && in.recState != "deleted"
}

func (s *Server) recordingMeeting(in *instanceRec, now time.Time) recordingMeeting {
	rm := recordingMeeting{
		UUID: in.uuid, ID: in.m.id, AccountID: s.opts.AccountID, HostID: in.m.hostID, Topic: in.m.topic,
		Type: strconv.Itoa(in.m.typ), StartTime: ztime(in.start), Duration: in.minutes(),
		RecordingPlayPasscode: in.m.password + "-" + in.uuid[:8], RecordingFiles: []recordingFileWire{},
	}
	for _, f := range in.files {
		if f.readyAt.After(now) {
			continue
		}
		rm.RecordingFiles = append(rm.RecordingFiles, s.fileWire(in, f))
		rm.TotalSize += f.size
	}
	rm.RecordingCount = len(rm.RecordingFiles)
	return rm
}

func (s *Server) fileWire(in *instanceRec, f *recFile) recordingFileWire {
	return recordingFileWire{
		ID: f.id, MeetingID: in.uuid, RecordingStart: ztime(f.start), RecordingEnd: ztime(f.end),
		FileType: f.fileType, FileExtension: f.ext, FileSize: f.size, Status: "completed", RecordingType: f.recType,
		PlayURL: s.baseURL + "/rec/play/" + f.token, DownloadURL: s.baseURL + "/rec/download/" + f.token,
	}
}

// getMeetingRecordings is GET /meetings/{meetingId}/recordings: an ID means
// the latest instance that has a recording, a UUID that instance.
func (s *Server) getMeetingRecordings(c *reqCtx) (int, any, *apiErr) {
	raw := pathValue(c.r, "meetingId")
	var in *instanceRec
	if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
		if m := s.acct.meetingByID[id]; m != nil {
			for _, x := range m.instances {
				if recordingReady(x, c.now) && (in == nil || x.start.After(in.start)) {
					in = x
				}
			}
		}
	} else if x := s.acct.instByUUID[raw]; x != nil && recordingReady(x, c.now) {
		in = x
	}
	if in == nil || !s.hostPresent(in.m.hostID) {
		return 0, nil, newAPIErr(404, 3301, "This recording does not exist.")
	}
	if err := c.mayAccess(in.m.hostID); err != nil {
		return 0, nil, err
	}
	resp := meetingRecordingsResponse{recordingMeeting: s.recordingMeeting(in, c.now), Password: in.m.password}
	if c.query("include_fields") == "download_access_token" {
		ttl := 24 * time.Hour
		if v, err := strconv.Atoi(c.query("ttl")); err == nil && v > 0 && v <= 604800 {
			ttl = time.Duration(v) * time.Second
		}
		resp.DownloadAccessToken = s.auth.downloadToken(s.opts.AccountID, c.now, ttl)
	}
	return 200, resp, nil
}
