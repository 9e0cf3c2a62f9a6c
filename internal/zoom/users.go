package zoom

import (
	"context"
	"net/url"
)

// User mirrors the fields of Zoom's user object that zoombridge reads.
type User struct {
	ID          string `json:"id"`
	AccountID   string `json:"account_id"` // only on GET /users/{id}, not in lists
	Email       string `json:"email"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	DisplayName string `json:"display_name"`
	Type        int    `json:"type"` // 1 Basic, 2 Licensed, ...
	Status      string `json:"status"`
	Timezone    string `json:"timezone"`
	Dept        string `json:"dept"`
	RoleName    string `json:"role_name"`
}

// Name is the display name, or first and last name when Zoom has none.
func (u User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	if u.LastName == "" {
		return u.FirstName
	}
	return u.FirstName + " " + u.LastName
}

// Me returns the user the token acts for (GET /users/me, Light).
func (c *Conn) Me(ctx context.Context) (User, error) {
	var u User
	err := c.Get(ctx, "/users/me", nil, Light, &u)
	return u, err
}

// User returns one user by id or email (GET /users/{userId}, Light).
func (c *Conn) User(ctx context.Context, id string) (User, error) {
	var u User
	err := c.Get(ctx, "/users/"+url.PathEscape(id), nil, Light, &u)
	return u, err
}

// PageInfo is what Zoom's list answers share.
type PageInfo struct {
	NextPageToken string `json:"next_page_token"`
	PageSize      int    `json:"page_size"`
	TotalRecords  int    `json:"total_records"`
}

// Next is the token of the following page, "" on the last.
func (p *PageInfo) Next() string { return p.NextPageToken }

// ListAll fetches path page by page (next_page_token), handing each decoded
// page to fn. Zoom's page tokens expire after 15 minutes, so callers that may
// wait longer between pages restart the listing instead.
func ListAll[T any, PT interface {
	*T
	Next() string
}](ctx context.Context, c *Conn, path string, q url.Values, cat Category, fn func(PT) error) error {
	q2 := url.Values{}
	for k, v := range q {
		q2[k] = v
	}
	for {
		page := PT(new(T))
		if err := c.Get(ctx, path, q2, cat, page); err != nil {
			return err
		}
		if err := fn(page); err != nil {
			return err
		}
		next := page.Next()
		if next == "" {
			return nil
		}
		q2.Set("next_page_token", next)
	}
}

// UsersPage is one page of GET /users.
type UsersPage struct {
	PageInfo
	Users []User `json:"users"`
}
