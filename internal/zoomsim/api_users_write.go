package zoomsim

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// Zoom's user-management calls (Rivet's users.createUsers, updateUser,
// updateUserStatus, deleteUser); each sends its user.* webhook before the
// call answers.

type createUsersBody struct {
	Action   string `json:"action"`
	UserInfo *struct {
		Email     string `json:"email"`
		Type      int    `json:"type"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
		Feature   *struct {
			ZoomPhone bool `json:"zoom_phone"`
		} `json:"feature"`
	} `json:"user_info"`
}

type createUsersResponse struct {
	ID        string `json:"id"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Email     string `json:"email"`
	Type      int    `json:"type"`
}

func readJSON(c *reqCtx, v any) *apiErr {
	raw, _ := io.ReadAll(io.LimitReader(c.r.Body, 1<<20))
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil
	}
	if json.Unmarshal(raw, v) != nil {
		return errValidation("Request Body should be a valid JSON object.")
	}
	return nil
}

func (s *Server) createUsers(c *reqCtx) (int, any, *apiErr) {
	var b createUsersBody
	if err := readJSON(c, &b); err != nil {
		return 0, nil, err
	}
	switch {
	case b.Action != "create" && b.Action != "autoCreate" && b.Action != "custCreate" && b.Action != "ssoCreate":
		return 0, nil, errValidation("Invalid field: action.")
	case b.UserInfo == nil || !strings.Contains(b.UserInfo.Email, "@"):
		return 0, nil, errValidation("Invalid field: user_info.email.")
	case b.UserInfo.Type != 1 && b.UserInfo.Type != 2 && b.UserInfo.Type != 4 && b.UserInfo.Type != 99:
		return 0, nil, errValidation("Invalid field: user_info.type.")
	}
	nu := NewUser{FirstName: b.UserInfo.FirstName, LastName: b.UserInfo.LastName, Email: b.UserInfo.Email,
		Type: b.UserInfo.Type, PhoneLicence: b.UserInfo.Feature != nil && b.UserInfo.Feature.ZoomPhone}
	if nu.Type != 2 {
		nu.Type = 1 // the emulator models Basic and Licensed only
	}
	u, ev, err := s.createUser(nu, b.Action)
	if errors.Is(err, errEmailTaken) {
		return 0, nil, newAPIErr(409, 1005, "User already in the account: %s", nu.Email)
	}
	if err != nil {
		return 0, nil, errValidation(err.Error())
	}
	c.after = append(c.after, ev)
	return 201, createUsersResponse{ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Type: u.Type}, nil
}

func (s *Server) updateUserAPI(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	var ch UserChanges
	if err := readJSON(c, &ch); err != nil {
		return 0, nil, err
	}
	ch.Email = nil // Zoom changes emails through a separate call
	c.after = append(c.after, s.updateUser(u, ch))
	return 204, nil, nil
}

func (s *Server) updateUserStatus(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	var b struct {
		Action string `json:"action"`
	}
	if err := readJSON(c, &b); err != nil {
		return 0, nil, err
	}
	switch {
	case b.Action == "clock_in" || b.Action == "clock_out":
		return 204, nil, nil
	case b.Action != "activate" && b.Action != "deactivate":
		return 0, nil, errValidation("Invalid field: action.")
	case u.Role == "owner":
		return 0, nil, errValidation("The account owner cannot be deactivated.")
	}
	c.after = append(c.after, s.setStatus(u, b.Action))
	return 204, nil, nil
}

func (s *Server) deleteUserAPI(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	action := c.query("action")
	switch {
	case action == "":
		action = "disassociate" // Zoom's default
	case action != "disassociate" && action != "delete":
		return 0, nil, errValidation("Invalid field: action.")
	}
	if u.Role == "owner" {
		return 0, nil, errValidation("The account owner cannot be removed.")
	}
	c.after = append(c.after, s.removeUser(u, action))
	return 204, nil, nil
}
