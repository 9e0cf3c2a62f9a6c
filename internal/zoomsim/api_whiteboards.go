package zoomsim

import (
	"math/rand/v2"
	"time"
)

// Zoom Whiteboards: GET /whiteboards and GET /whiteboards/{whiteboardId} as
// Zoom's published Whiteboard API documents them (Rivet 0.4.0 has no
// Whiteboard types to check against; see docs/zoomsim.md).

type whiteboardRec struct {
	id, ownerID, name string
	created, modified time.Time
}

var whiteboardNames = []string{"Roadmap brainstorm", "Sprint retro", "Customer journey", "Architecture sketch", "Launch plan"}

func newWhiteboard(r *rand.Rand, u *userRec, at time.Time, k int) *whiteboardRec {
	at = at.Truncate(time.Second)
	return &whiteboardRec{id: hexID(r, 11), ownerID: u.ID, name: whiteboardNames[(r.IntN(len(whiteboardNames))+k)%len(whiteboardNames)],
		created: at, modified: at.Add(time.Duration(r.IntN(48)) * time.Hour)}
}

type whiteboardWire struct {
	WhiteboardID string `json:"whiteboard_id"`
	Name         string `json:"name"`
	OwnerID      string `json:"owner_id"`
	CreatedAt    string `json:"created_at"`
	ModifiedAt   string `json:"modified_at"`
}

type whiteboardsResponse struct {
	NextPageToken string           `json:"next_page_token"`
	PageSize      int              `json:"page_size"`
	TotalRecords  int              `json:"total_records"`
	Whiteboards   []whiteboardWire `json:"whiteboards"`
}

func (s *Server) whiteboardWire(w *whiteboardRec) whiteboardWire {
	return whiteboardWire{WhiteboardID: w.id, Name: w.name, OwnerID: w.ownerID, CreatedAt: ztime(w.created),
		ModifiedAt: ztime(w.modified)}
}

// listWhiteboards lists the caller's whiteboards (a user-level grant), or
// user_id's (an account-level grant).
func (s *Server) listWhiteboards(c *reqCtx) (int, any, *apiErr) {
	owner := c.g.userID
	if c.g.kind != kindUser && c.query("user_id") != "" {
		u, err := c.resolveUser(c.query("user_id"))
		if err != nil {
			return 0, nil, err
		}
		owner = u.ID
	}
	s.seedExtras()
	var mine []*whiteboardRec
	for _, w := range s.extras.whiteboards {
		if (owner == "" || w.ownerID == owner) && !w.created.After(c.now) {
			mine = append(mine, w)
		}
	}
	key := func(w *whiteboardRec) string { return timeKey(w.modified, w.id, true) }
	sortBy(mine, key)
	p, err := c.page(300)
	if err != nil {
		return 0, nil, err
	}
	pg, info := paginate(c, p, mine, key)
	resp := whiteboardsResponse{NextPageToken: info.next, PageSize: info.size, TotalRecords: info.total, Whiteboards: []whiteboardWire{}}
	for _, w := range pg {
		resp.Whiteboards = append(resp.Whiteboards, s.whiteboardWire(w))
	}
	return 200, resp, nil
}

func (s *Server) getWhiteboard(c *reqCtx) (int, any, *apiErr) {
	s.seedExtras()
	id := pathValue(c.r, "whiteboardId")
	for _, w := range s.extras.whiteboards {
		if w.id == id && !w.created.After(c.now) {
			if err := c.mayAccess(w.ownerID); err != nil {
				return 0, nil, err
			}
			return 200, s.whiteboardWire(w), nil
		}
	}
	return 0, nil, newAPIErr(404, 404, "Whiteboard not found.")
}
