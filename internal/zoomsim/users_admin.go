package zoomsim

import (
	"errors"
	"strings"
	"time"
)

// Account changes made as the account's admin would make them in Zoom's web
// portal; each sends its user.* webhook before returning.

// NewUser describes a user to add with CreateUser.
type NewUser struct {
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name"`
	Email        string `json:"email"`
	Type         int    `json:"type"` // 1 Basic, 2 Licensed (default 2 on paid plans)
	PhoneLicence bool   `json:"phone_licence"`
}

// UserChanges are the fields UpdateUser may change; nil leaves a field alone.
type UserChanges struct {
	FirstName *string `json:"first_name"`
	LastName  *string `json:"last_name"`
	Email     *string `json:"email"`
	Dept      *string `json:"dept"`
	Timezone  *string `json:"timezone"`
	Type      *int    `json:"type"`
}

// ErrNoUser is returned for an unknown or deleted user.
var ErrNoUser = errors.New("zoomsim: no such user")

// userEventObject is the object of user.created/deactivated/deleted.
type userEventObject struct {
	ID          string `json:"id"`
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	DisplayName string `json:"display_name,omitempty"`
	Email       string `json:"email"`
	Type        int    `json:"type"`
}

type userPayload struct {
	AccountID    string `json:"account_id"`
	Operator     string `json:"operator"`
	OperatorID   string `json:"operator_id"`
	CreationType string `json:"creation_type,omitempty"`
	TimeStamp    int64  `json:"time_stamp,omitempty"`
	OldObject    any    `json:"old_object,omitempty"`
	Object       any    `json:"object"`
}

// userEvent builds a user.* event operated by the account owner.
func (s *Server) userEvent(name string, p userPayload) *outEvent {
	owner := s.acct.users[0]
	p.AccountID, p.Operator, p.OperatorID = s.opts.AccountID, owner.Email, owner.ID
	now := s.clk.now
	return &outEvent{name: name, at: now, body: compactJSON(envelope{Event: name, EventTS: now.UnixMilli(), Payload: p})}
}

// CreateUser adds an active user and sends user.created.
func (s *Server) CreateUser(nu NewUser) (User, error) {
	s.mu.Lock()
	if nu.FirstName == "" || nu.LastName == "" {
		s.mu.Unlock()
		return User{}, errors.New("zoomsim: first and last name are required")
	}
	a := s.acct
	u := &userRec{User: User{
		ID: zoomUserID(s.apiRand), FirstName: nu.FirstName, LastName: nu.LastName, Email: nu.Email,
		Type: 2, Status: "active", Role: "member", Timezone: "America/New_York", Dept: "Operations",
		CreatedAt: s.clk.now,
	}}
	if u.Email == "" {
		u.Email = a.uniqueEmail(nu.FirstName, nu.LastName)
	} else if a.userByEmail(u.Email) != nil {
		s.mu.Unlock()
		return User{}, errors.New("zoomsim: email already exists")
	}
	if nu.Type == 1 || s.opts.Plan == "basic" {
		u.Type = 1
	}
	if nu.PhoneLicence && s.opts.Plan != "basic" {
		a.givePhone(s.apiRand, u)
	}
	u.pmi = pmiNumber(s.apiRand)
	a.addUser(u)
	ev := s.userEvent("user.created", userPayload{CreationType: "create", Object: userEventObject{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, DisplayName: u.displayName(), Email: u.Email, Type: u.Type}})
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return u.User, nil
}

// UpdateUser changes a user's profile and sends user.updated with the
// changed fields in object and their old values in old_object.
func (s *Server) UpdateUser(id string, ch UserChanges) error {
	s.mu.Lock()
	u := s.acct.lookupUser(id)
	if u == nil || u.Deleted {
		s.mu.Unlock()
		return ErrNoUser
	}
	obj, old := map[string]any{"id": u.ID}, map[string]any{"id": u.ID}
	set := func(key string, field *string, v *string) {
		if v != nil && *v != *field {
			old[key], obj[key] = *field, *v
			*field = *v
		}
	}
	set("first_name", &u.FirstName, ch.FirstName)
	set("last_name", &u.LastName, ch.LastName)
	set("email", &u.Email, ch.Email)
	set("dept", &u.Dept, ch.Dept)
	set("timezone", &u.Timezone, ch.Timezone)
	if ch.Type != nil && (*ch.Type == 1 || *ch.Type == 2) && *ch.Type != u.Type && s.opts.Plan != "basic" {
		old["type"], obj["type"] = u.Type, *ch.Type
		u.Type = *ch.Type
	}
	ev := s.userEvent("user.updated", userPayload{TimeStamp: s.clk.now.UnixMilli(), Object: obj, OldObject: old})
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// DeactivateUser makes a user inactive and sends user.deactivated.
func (s *Server) DeactivateUser(id string) error {
	return s.endUser(id, "user.deactivated", func(u *userRec) { u.Status = "inactive" })
}

// DeleteUser deletes a user mid-whatever and sends user.deleted: the user's
// meetings, recordings and calls go with them, their tokens stop working.
func (s *Server) DeleteUser(id string) error {
	return s.endUser(id, "user.deleted", func(u *userRec) {
		u.Deleted = true
		s.acct.dropFuture(u.ID, s.clk.now)
	})
}

func (s *Server) endUser(id, event string, change func(*userRec)) error {
	s.mu.Lock()
	u := s.acct.lookupUser(id)
	if u == nil || u.Deleted || u.Role == "owner" {
		s.mu.Unlock()
		if u != nil && u.Role == "owner" {
			return errors.New("zoomsim: the account owner cannot be removed")
		}
		return ErrNoUser
	}
	change(u)
	ev := s.userEvent(event, userPayload{Object: userEventObject{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Type: u.Type}})
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// dropFuture removes a departed user's activity that has not happened yet.
func (a *accountState) dropFuture(userID string, now time.Time) {
	for _, m := range a.meetings {
		if m.hostID == userID {
			m.deleted = true
		}
	}
	kept := a.calls[:0]
	for _, c := range a.calls {
		if c.start.After(now) && (c.caller.userID == userID || c.callee.userID == userID) {
			continue
		}
		kept = append(kept, c)
	}
	a.calls = kept
}

func lowerTrim(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
