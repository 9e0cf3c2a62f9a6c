package zoomsim

import (
	"errors"
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
	u, ev, err := s.createUser(nu, "autoCreate")
	s.mu.Unlock()
	if err != nil {
		return User{}, err
	}
	s.deliverNow([]*outEvent{ev})
	return u.User, nil
}

// createUser adds a user; action "create" leaves them pending (invited), as
// Zoom does, the other actions make them active. Callers hold s.mu.
func (s *Server) createUser(nu NewUser, action string) (*userRec, *outEvent, error) {
	if nu.FirstName == "" && nu.LastName == "" && nu.Email == "" {
		return nil, nil, errors.New("zoomsim: a name or an email is required")
	}
	a := s.acct
	u := &userRec{User: User{
		ID: zoomUserID(s.apiRand), FirstName: nu.FirstName, LastName: nu.LastName, Email: nu.Email,
		Type: 2, Status: "active", Role: "member", Timezone: "America/New_York", Dept: "Operations",
		CreatedAt: s.clk.now,
	}}
	if action == "create" {
		u.Status = "pending"
	}
	if u.Email == "" {
		u.Email = a.uniqueEmail(nu.FirstName, nu.LastName)
	} else if a.userByEmail(u.Email) != nil && !a.userByEmail(u.Email).Deleted {
		return nil, nil, errEmailTaken
	}
	if nu.Type == 1 || s.opts.Plan == "basic" {
		u.Type = 1
	}
	if nu.PhoneLicence && s.opts.Plan != "basic" {
		a.givePhone(s.apiRand, u)
	}
	u.pmi = pmiNumber(s.apiRand)
	a.addUser(u)
	ev := s.userEvent("user.created", userPayload{CreationType: action, Object: userEventObject{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, DisplayName: u.displayName(), Email: u.Email, Type: u.Type}})
	return u, ev, nil
}

var errEmailTaken = errors.New("zoomsim: email already exists")

// UpdateUser changes a user's profile and sends user.updated with the
// changed fields in object and their old values in old_object.
func (s *Server) UpdateUser(id string, ch UserChanges) error {
	s.mu.Lock()
	u := s.acct.lookupUser(id)
	if u == nil || u.Deleted {
		s.mu.Unlock()
		return ErrNoUser
	}
	ev := s.updateUser(u, ch)
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// updateUser applies changes; callers hold s.mu.
func (s *Server) updateUser(u *userRec, ch UserChanges) *outEvent {
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
	return s.userEvent("user.updated", userPayload{TimeStamp: s.clk.now.UnixMilli(), Object: obj, OldObject: old})
}

// ActivateUser makes a user active and sends user.activated.
func (s *Server) ActivateUser(id string) error {
	return s.changeUser(id, func(u *userRec) *outEvent { return s.setStatus(u, "activate") })
}

// DeactivateUser makes a user inactive and sends user.deactivated.
func (s *Server) DeactivateUser(id string) error {
	return s.changeUser(id, func(u *userRec) *outEvent { return s.setStatus(u, "deactivate") })
}

// DeleteUser deletes a user (mid-sync, say) and sends user.deleted: the
// user's meetings, recordings and calls go with them, their tokens stop working.
func (s *Server) DeleteUser(id string) error {
	return s.changeUser(id, func(u *userRec) *outEvent { return s.removeUser(u, "delete") })
}

func (s *Server) changeUser(id string, change func(*userRec) *outEvent) error {
	s.mu.Lock()
	u := s.acct.lookupUser(id)
	switch {
	case u == nil || u.Deleted:
		s.mu.Unlock()
		return ErrNoUser
	case u.Role == "owner":
		s.mu.Unlock()
		return errors.New("zoomsim: the account owner cannot be deactivated or removed")
	}
	ev := change(u)
	s.mu.Unlock()
	s.deliverNow([]*outEvent{ev})
	return nil
}

// setStatus activates or deactivates; callers hold s.mu.
func (s *Server) setStatus(u *userRec, action string) *outEvent {
	name := "user.deactivated"
	u.Status = "inactive"
	if action == "activate" {
		name, u.Status = "user.activated", "active"
	}
	return s.userEvent(name, userPayload{Object: s.userObject(u)})
}

// removeUser deletes ("delete") or disassociates ("disassociate") a user;
// either way the user leaves the account. Callers hold s.mu.
func (s *Server) removeUser(u *userRec, action string) *outEvent {
	u.Deleted = true
	s.acct.dropFuture(u.ID, s.clk.now)
	name := "user.deleted"
	if action == "disassociate" {
		name = "user.disassociated"
	}
	return s.userEvent(name, userPayload{Object: s.userObject(u)})
}

func (s *Server) userObject(u *userRec) userEventObject {
	return userEventObject{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Type: u.Type}
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
