package zoom

import (
	"context"
	"net/url"
)

// Users lists the account's users with status ("active", "inactive" or
// "pending"; "" means active), 2000 a page, the most Zoom allows. Medium;
// account-level tokens only.
func (c *Conn) Users(ctx context.Context, status string, fn func(*UsersPage) error) error {
	q := url.Values{"page_size": {"2000"}}
	if status != "" {
		q.Set("status", status)
	}
	return ListAll[UsersPage](ctx, c, "/users", q, Medium, fn)
}
