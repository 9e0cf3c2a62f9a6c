package chat

import (
	"context"
	"errors"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Feature is one of the admin's switches for the bot (T2).
type Feature string

// The bot's features.
const (
	FeatureMeetings   Feature = "meetings"
	FeaturePhone      Feature = "phone"
	FeatureWhiteboard Feature = "whiteboard"
)

var featureNames = map[Feature]string{FeatureMeetings: "Meetings", FeaturePhone: "Phone", FeatureWhiteboard: "Whiteboard"}

// On reports whether settings have f switched on.
func On(s store.ChatSettings, f Feature) bool {
	switch f {
	case FeatureMeetings:
		return s.Meetings
	case FeaturePhone:
		return s.Phone
	case FeatureWhiteboard:
		return s.Whiteboard
	}
	return false
}

// zoomAccess is a person with the Zoom connection that covers them.
type zoomAccess struct {
	person store.Person
	zu     store.ZoomUser
	conn   store.Connection
	api    *zoom.Conn
}

// userRef names the Zoom user in paths: a user-level token must say "me".
func (a *zoomAccess) userRef() string {
	if a.conn.Kind == store.KindUserOAuth {
		return "me"
	}
	return a.zu.ZoomUserID
}

// access finds who sent a command and how to reach Zoom for them, or the
// card that explains why not. The feature switch is checked first, so a
// switched-off feature never touches the directory or Zoom.
func (c *Core) access(ctx context.Context, orgID int64, email string, f Feature) (*zoomAccess, *Card) {
	settings, err := c.cfg.Store.ChatSettings(ctx, orgID)
	if err != nil {
		return nil, c.failed(err)
	}
	if !On(settings, f) {
		return nil, problem(CodeFeatureOff, featureNames[f]+" is not offered here",
			"Your organization's admin has switched off "+featureNames[f]+" for the Zoom bot.")
	}
	person, err := c.cfg.Store.PersonByEmail(ctx, orgID, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !person.Active) || email == "" {
		return nil, problem(CodeNotMatched, "I don't know you yet",
			"No one in your organization's zoombridge directory has the email of your chat account ("+orDash(email)+"). "+
				"Ask an admin to add you, with the email you use in Zoom.")
	} else if err != nil {
		return nil, c.failed(err)
	}
	a, card := c.connection(ctx, orgID, person)
	if card != nil {
		return nil, card
	}
	if f == FeaturePhone && !a.zu.PhoneLicensed {
		return nil, problem(CodeNoPhoneLicence, "No Zoom Phone licence",
			"Your Zoom user has no Zoom Phone licence, so there are no calls, voicemails or texts to show. Ask your Zoom admin for one.")
	}
	return a, nil
}

// connection picks the person's own active connection, else an account-level one that covers them.
func (c *Core) connection(ctx context.Context, orgID int64, p store.Person) (*zoomAccess, *Card) {
	notConnected := &Card{Code: CodeNotConnected, Title: "Connect Zoom first",
		Text:    []string{"zoombridge has no working Zoom connection for you. Connect your Zoom account, then ask again."},
		Actions: []Action{{Title: "Connect Zoom", URL: c.cfg.PublicURL + "/services"}}}
	if !p.ZoomEnabled {
		return nil, problem(CodeFeatureOff, "Zoom is switched off for you", "An admin has switched off the Zoom service for you in zoombridge.")
	}
	zus, err := c.cfg.Store.ZoomUsersOfPerson(ctx, orgID, p.ID)
	if err != nil {
		return nil, c.failed(err)
	}
	var best *zoomAccess
	for _, zu := range zus {
		conn, err := c.cfg.Store.ConnectionByID(ctx, zu.ConnectionID)
		if err != nil || conn.Status != store.StatusActive {
			continue
		}
		own := conn.Kind == store.KindUserOAuth && conn.PersonID == p.ID
		if conn.Kind == store.KindUserOAuth && !own {
			continue
		}
		if best == nil || own {
			best = &zoomAccess{person: p, zu: zu, conn: conn}
		}
	}
	if best == nil {
		return nil, notConnected
	}
	best.api = c.cfg.Zoom(best.conn)
	return best, nil
}

// zoomFailed explains a failed Zoom call.
func (c *Core) zoomFailed(err error) *Card {
	if p, ok := connect.AsProblem(err); ok {
		if p.Code == connect.CodeNotPreApproved {
			return problem(CodeNotApproved, "Zoom admin approval needed", p.Message)
		}
		if p.Code == connect.CodeNeedsReconnect {
			return &Card{Code: CodeNotConnected, Title: "Reconnect Zoom", Text: []string{p.Message},
				Actions: []Action{{Title: "Reconnect Zoom", URL: c.cfg.PublicURL + "/services"}}}
		}
	}
	if zoom.IsNotFound(err) {
		return problem(CodeNotFound, "Zoom did not find that", "Check the number and try again.")
	}
	c.cfg.Log.Warn("chat: zoom call failed", "err", err)
	return problem(CodeZoomError, "Zoom did not answer", "Zoom could not be reached or refused the request. Try again in a minute.")
}

func (c *Core) failed(err error) *Card {
	c.cfg.Log.Error("chat: command failed", "err", err)
	return problem(CodeZoomError, "Something went wrong", "zoombridge could not answer just now. Try again in a minute.")
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
