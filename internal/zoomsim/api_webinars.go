package zoomsim

import (
	"strconv"
	"time"
)

// Wire types follow Rivet 0.4.0's WebinarsListWebinarsResponse,
// WebinarsGetWebinarResponse and WebinarsListPastWebinarInstancesResponse.

type webinarListItem struct {
	UUID       string `json:"uuid"`
	ID         int64  `json:"id"`
	HostID     string `json:"host_id"`
	Topic      string `json:"topic"`
	Type       int    `json:"type"`
	StartTime  string `json:"start_time"`
	Duration   int    `json:"duration"`
	Timezone   string `json:"timezone"`
	Agenda     string `json:"agenda"`
	CreatedAt  string `json:"created_at"`
	JoinURL    string `json:"join_url"`
	IsSimulive bool   `json:"is_simulive"`
}

type webinarListResponse struct {
	NextPageToken string            `json:"next_page_token"`
	PageCount     int               `json:"page_count"`
	PageNumber    int               `json:"page_number"`
	PageSize      int               `json:"page_size"`
	TotalRecords  int               `json:"total_records"`
	Webinars      []webinarListItem `json:"webinars"`
}

type webinarResponse struct {
	HostEmail      string `json:"host_email"`
	HostID         string `json:"host_id"`
	ID             int64  `json:"id"`
	UUID           string `json:"uuid"`
	Agenda         string `json:"agenda"`
	CreatedAt      string `json:"created_at"`
	Duration       int    `json:"duration"`
	JoinURL        string `json:"join_url"`
	Password       string `json:"password"`
	StartTime      string `json:"start_time"`
	StartURL       string `json:"start_url"`
	Timezone       string `json:"timezone"`
	Topic          string `json:"topic"`
	Type           int    `json:"type"`
	IsSimulive     bool   `json:"is_simulive"`
	CreationSource string `json:"creation_source"`
}

func (w *webinarRec) uuid() string { return w.instances[0].uuid }

func (s *Server) webinarVisible(w *webinarRec, now time.Time) bool {
	return w != nil && !w.createdAt.After(now) && s.hostPresent(w.hostID)
}

func (s *Server) listWebinars(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	typ := c.query("type")
	if typ != "" && typ != "scheduled" && typ != "upcoming" {
		return 0, nil, errValidation("Invalid field: type.")
	}
	p, err := c.page(300)
	if err != nil {
		return 0, nil, err
	}
	var ws []*webinarRec
	for _, w := range s.acct.webinars {
		end := w.start.Add(time.Duration(w.duration) * time.Minute)
		keep := !c.now.After(w.start.Add(expiry))
		if typ == "upcoming" {
			keep = !c.now.After(end)
		}
		if w.hostID == u.ID && s.webinarVisible(w, c.now) && keep {
			ws = append(ws, w)
		}
	}
	key := func(w *webinarRec) string { return timeKey(w.start, itoa(w.id), false) }
	sortBy(ws, key)
	pg, info := paginate(c, p, ws, key)
	resp := webinarListResponse{NextPageToken: info.next, PageCount: info.count, PageNumber: info.number,
		PageSize: info.size, TotalRecords: info.total, Webinars: []webinarListItem{}}
	for _, w := range pg {
		resp.Webinars = append(resp.Webinars, webinarListItem{
			UUID: w.uuid(), ID: w.id, HostID: w.hostID, Topic: w.topic, Type: w.typ, StartTime: ztime(w.start),
			Duration: w.duration, Timezone: w.timezone, Agenda: w.agenda, CreatedAt: ztime(w.createdAt),
			JoinURL: s.baseURL + "/w/" + itoa(w.id),
		})
	}
	return 200, resp, nil
}

func (c *reqCtx) webinarByPath() (*webinarRec, *apiErr) {
	raw := pathValue(c.r, "webinarId")
	id, perr := strconv.ParseInt(raw, 10, 64)
	w := c.s.acct.webinarByID[id]
	if perr != nil || !c.s.webinarVisible(w, c.now) {
		return nil, newAPIErr(404, 3001, "Webinar %s is not found or has expired.", raw)
	}
	if err := c.mayAccess(w.hostID); err != nil {
		return nil, err
	}
	return w, nil
}

func (s *Server) getWebinar(c *reqCtx) (int, any, *apiErr) {
	w, err := c.webinarByPath()
	if err != nil {
		return 0, nil, err
	}
	host := s.acct.userByID[w.hostID]
	return 200, webinarResponse{
		HostEmail: host.Email, HostID: w.hostID, ID: w.id, UUID: w.uuid(), Agenda: w.agenda,
		CreatedAt: ztime(w.createdAt), Duration: w.duration, JoinURL: s.baseURL + "/w/" + itoa(w.id),
		Password: w.password, StartTime: ztime(w.start), StartURL: s.baseURL + "/s/" + itoa(w.id),
		Timezone: w.timezone, Topic: w.topic, Type: w.typ, CreationSource: "other",
	}, nil
}

func (s *Server) listPastWebinarInstances(c *reqCtx) (int, any, *apiErr) {
	w, err := c.webinarByPath()
	if err != nil {
		return 0, nil, err
	}
	out := []instanceItem{}
	for _, in := range w.instances {
		if !in.end.After(c.now) {
			out = append(out, instanceItem{StartTime: ztime(in.start), UUID: in.uuid})
		}
	}
	return 200, map[string][]instanceItem{"webinars": out}, nil
}
