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
	probe := "me"
	if c.Kind != store.KindS2S {
		me, err := conn.Me(ctx)
		if err != nil {
			return profileProblem(err)
		}
		c.ZoomUserID, c.ZoomAccountID, c.Email, c.DisplayName, c.PlanType = me.ID, me.AccountID, me.Email, me.Name(), me.Type
		conn = s.api.For(fixedToken(token), c.ZoomAccountID)
	}
	if accountLevel {
		plan, first, err := accountPlan(ctx, conn)
		if err != nil {
			return profileProblem(err)
		}
		c.PlanType = plan
		if c.Kind == store.KindS2S {
			probe = first
		}
	}
	c.PhoneLicensed = s.phoneLicensed(ctx, conn, probe, accountLevel)
	return nil
}

// accountPlan is Licensed (2) when any active user of the first page holds a
// paid licence, else Basic (1): Zoom's user objects carry the plan per user,
// and a Basic account has only Basic users. first is a user to probe Phone
// with (a licensed one when there is one).
func accountPlan(ctx context.Context, conn *zoom.Conn) (plan int, first string, err error) {
	var page zoom.UsersPage
	if err := conn.Get(ctx, "/users", url.Values{"status": {"active"}, "page_size": {"300"}}, zoom.Medium, &page); err != nil {
		return 0, "", err
	}
	for _, u := range page.Users {
		if plan == 0 || u.Type == 2 {
			plan, first = u.Type, u.ID
		}
		if plan == 2 {
			break
		}
	}
	return plan, first, nil
}

// phoneLicensed probes Zoom Phone with the cheapest read every connection
// may make, one item of a user's call history: 200 means the user holds a
// Phone licence; 404 ("User does not exist") means the account has Zoom
// Phone but not for this user; 403 (code 2031, "Zoom Phone has not been
// enabled for this account") or any other refusal means no Phone. A
// per-person connection records the person's licence; an account-level one
// records whether the account has Zoom Phone at all (per-user licences are
// the users sync's to record).
func (s *Service) phoneLicensed(ctx context.Context, conn *zoom.Conn, userID string, accountLevel bool) bool {
	if userID == "" {
		return false
	}
	var page struct {
		TotalRecords int `json:"total_records"`
	}
	err := conn.Get(ctx, "/phone/users/"+url.PathEscape(userID)+"/call_history", url.Values{"page_size": {"1"}}, zoom.Medium, &page)
	if err == nil {
		return true
	}
	var ae *zoom.APIError
	if !errors.As(err, &ae) || ae.Status >= 500 || ae.Status == 429 {
		s.log.Warn("could not tell whether the zoom account has Phone; assuming not", "err", err)
		return false
	}
	return accountLevel && ae.Status == 404
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
