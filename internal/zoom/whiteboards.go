package zoom

import (
	"context"
	"net/url"
	"strconv"
)

// Zoom Whiteboards (Zoom's Whiteboard API; Rivet 0.4.0 has no types for it).

// Whiteboard is one whiteboard's metadata.
type Whiteboard struct {
	ID         string    `json:"whiteboard_id"`
	Name       string    `json:"name"`
	OwnerID    string    `json:"owner_id"`
	ModifiedAt Timestamp `json:"modified_at"`
}

// Whiteboards returns userID's latest whiteboards (one page); userID is
// ignored by Zoom for user-level tokens, which see their own. Medium.
func (c *Conn) Whiteboards(ctx context.Context, userID string, pageSize int) ([]Whiteboard, error) {
	var page struct {
		PageInfo
		Whiteboards []Whiteboard `json:"whiteboards"`
	}
	q := url.Values{"page_size": {strconv.Itoa(pageSize)}}
	if userID != "" {
		q.Set("user_id", userID)
	}
	err := c.Get(ctx, "/whiteboards", q, Medium, &page)
	return page.Whiteboards, err
}

// WhiteboardByID returns one whiteboard. Light.
func (c *Conn) WhiteboardByID(ctx context.Context, id string) (Whiteboard, error) {
	var out Whiteboard
	err := c.Get(ctx, "/whiteboards/"+url.PathEscape(id), nil, Light, &out)
	return out, err
}
