package zoom

import (
	"context"
	"net/url"
	"strconv"
)

// Webinars a user hosts and the instances that ran. Shapes follow Rivet
// 0.4.0's WebinarsListWebinarsResponse and WebinarsListPastWebinarInstancesResponse.

// Webinar is one webinar number in GET /users/{userId}/webinars.
type Webinar struct {
	UUID      string    `json:"uuid"`
	ID        int64     `json:"id"`
	HostID    string    `json:"host_id"`
	Topic     string    `json:"topic"`
	Type      int       `json:"type"` // 5 webinar, 6 recurring without fixed time, 9 recurring with fixed time
	StartTime Timestamp `json:"start_time"`
	Duration  int       `json:"duration"` // scheduled minutes
	Timezone  string    `json:"timezone"`
	Agenda    string    `json:"agenda"`
	CreatedAt Timestamp `json:"created_at"`
	JoinURL   string    `json:"join_url"`
}

// WebinarsPage is one page of a user's webinars.
type WebinarsPage struct {
	PageInfo
	Webinars []Webinar `json:"webinars"`
}

// Webinars lists the webinars userID hosts, 300 a page; typ is "scheduled"
// (default) or "upcoming". Medium; needs the webinar add-on.
func (c *Conn) Webinars(ctx context.Context, userID, typ string, fn func(*WebinarsPage) error) error {
	q := url.Values{"page_size": {"300"}}
	if typ != "" {
		q.Set("type", typ)
	}
	return ListAll[WebinarsPage](ctx, c, "/users/"+url.PathEscape(userID)+"/webinars", q, Medium, fn)
}

// PastWebinarInstances lists the ended instances of a webinar number. Light.
func (c *Conn) PastWebinarInstances(ctx context.Context, webinarID int64) ([]PastInstance, error) {
	var out struct {
		Webinars []PastInstance `json:"webinars"`
	}
	err := c.Get(ctx, "/past_webinars/"+strconv.FormatInt(webinarID, 10)+"/instances", nil, Light, &out)
	return out.Webinars, err
}
