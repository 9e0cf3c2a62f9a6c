package connect

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// fixedToken is the token source of a connection that is not stored yet:
// the token Zoom just issued, used for the calls that describe it.
type fixedToken string

func (f fixedToken) AccessToken(context.Context) (string, error) { return string(f), nil }
func (fixedToken) TokenRejected(context.Context, string)         {}

// captureProfile fills in what zoombridge records at connect (C1, C2, C6):
// the Zoom user and account, email, display name, plan type and Phone licence.
// OAuth connections describe their own user (GET /users/me); account-level
// ones also read the account's users for its plan; Server-to-Server
// connections have no user of their own.
func (s *Service) captureProfile(ctx context.Context, c *store.Connection, token string, accountLevel bool) error {
	conn := s.api.For(fixedToken(token), c.ZoomAccountID)
	if c.Kind != store.KindS2S {
		me, err := conn.Me(ctx)
		if err != nil {
			return profileProblem(err)
		}
		c.ZoomUserID, c.ZoomAccountID, c.Email, c.DisplayName, c.PlanType = me.ID, me.AccountID, me.Email, me.Name(), me.Type
		conn = s.api.For(fixedToken(token), c.ZoomAccountID)
	}
	if accountLevel {
		plan, err := accountPlan(ctx, conn)
		if err != nil {
			return profileProblem(err)
		}
		c.PlanType = plan
	}
	c.PhoneLicensed = s.phoneLicensed(ctx, conn, accountLevel)
	return nil
}

// accountPlan is Licensed (2) when any active user of the first page holds a
// paid licence, else Basic (1): Zoom's user objects carry the plan per user,
// and a Basic account has only Basic users.
func accountPlan(ctx context.Context, conn *zoom.Conn) (int, error) {
	var page zoom.UsersPage
	if err := conn.Get(ctx, "/users", url.Values{"status": {"active"}, "page_size": {"300"}}, zoom.Medium, &page); err != nil {
		return 0, err
	}
	plan := 0
	for _, u := range page.Users {
		if u.Type == 2 || plan == 0 {
			plan = u.Type
		}
		if plan == 2 {
			break
		}
	}
	return plan, nil
}

// phoneLicensed asks Zoom Phone whether the connection's user (or, account
// level, anyone in the account) is a Phone user. Any refusal means no: Zoom
// answers accounts and users without Phone with 4xx errors, and a missing
// Phone scope leaves Phone features off just the same.
func (s *Service) phoneLicensed(ctx context.Context, conn *zoom.Conn, accountLevel bool) bool {
	var err error
	if accountLevel {
		var page struct {
			TotalRecords int `json:"total_records"`
		}
		err = conn.Get(ctx, "/phone/users", url.Values{"page_size": {"1"}}, zoom.Medium, &page)
		if err == nil {
			return page.TotalRecords > 0
		}
	} else {
		var u struct {
			ID string `json:"id"`
		}
		err = conn.Get(ctx, "/phone/users/me", nil, zoom.Light, &u)
		if err == nil {
			return u.ID != ""
		}
	}
	var ae *zoom.APIError
	if !errors.As(err, &ae) || ae.Status >= 500 {
		s.log.Warn("could not tell whether the zoom user has a Phone licence; assuming not", "err", err)
	}
	return false
}

// profileProblem explains a failed read of the connecting user or account.
func profileProblem(err error) error {
	if p, ok := ScopeProblem(err); ok {
		return p
	}
	var ae *zoom.APIError
	if errors.As(err, &ae) && ae.Status < 500 && ae.Status != 429 {
		return fmt.Errorf("connect: zoom refused to describe the connected user: %w", err)
	}
	return ZoomUnavailable(err)
}
