package zoomsim

import (
	"hash/fnv"
)

// Wire types mirror Rivet 0.4.0's UsersListUsersResponse and
// UsersGetUserResponse: no field Rivet does not declare.

type userListItem struct {
	ID                string `json:"id"`
	Email             string `json:"email"`
	FirstName         string `json:"first_name"`
	LastName          string `json:"last_name"`
	DisplayName       string `json:"display_name"`
	Type              int    `json:"type"`
	Status            string `json:"status"`
	Verified          int    `json:"verified"`
	PMI               int64  `json:"pmi"`
	Timezone          string `json:"timezone"`
	Dept              string `json:"dept"`
	RoleID            string `json:"role_id"`
	CreatedAt         string `json:"created_at"`
	UserCreatedAt     string `json:"user_created_at"`
	LastLoginTime     string `json:"last_login_time,omitempty"`
	LastClientVersion string `json:"last_client_version,omitempty"`
}

type userListResponse struct {
	NextPageToken string         `json:"next_page_token"`
	PageCount     int            `json:"page_count"`
	PageNumber    int            `json:"page_number"`
	PageSize      int            `json:"page_size"`
	TotalRecords  int            `json:"total_records"`
	Users         []userListItem `json:"users"`
}

type userResponse struct {
	ID                 string `json:"id"`
	AccountID          string `json:"account_id"`
	AccountNumber      int64  `json:"account_number"`
	Email              string `json:"email"`
	FirstName          string `json:"first_name"`
	LastName           string `json:"last_name"`
	DisplayName        string `json:"display_name"`
	Type               int    `json:"type"`
	Status             string `json:"status"`
	Verified           int    `json:"verified"`
	RoleName           string `json:"role_name"`
	RoleID             string `json:"role_id"`
	PMI                int64  `json:"pmi"`
	UsePMI             bool   `json:"use_pmi"`
	PersonalMeetingURL string `json:"personal_meeting_url"`
	Timezone           string `json:"timezone"`
	Language           string `json:"language"`
	Dept               string `json:"dept"`
	Cluster            string `json:"cluster"`
	LoginTypes         []int  `json:"login_types"`
	CreatedAt          string `json:"created_at"`
	UserCreatedAt      string `json:"user_created_at"`
	LastLoginTime      string `json:"last_login_time,omitempty"`
	LastClientVersion  string `json:"last_client_version,omitempty"`
	Jid                string `json:"jid"`
}

func (s *Server) listUsers(c *reqCtx) (int, any, *apiErr) {
	status := c.query("status")
	if status == "" {
		status = "active"
	}
	if status != "active" && status != "inactive" && status != "pending" {
		return 0, nil, errValidation("Invalid field: status.")
	}
	p, err := c.page(2000)
	if err != nil {
		return 0, nil, err
	}
	var users []*userRec
	for _, u := range s.acct.users {
		if !u.Deleted && u.Status == status && !u.CreatedAt.After(c.now) {
			users = append(users, u)
		}
	}
	// Users are listed in creation order; the creation counter keys the cursor.
	pg, info := paginate(c, p, users, func(u *userRec) string { return timeKey(u.CreatedAt, u.ID, false) })
	resp := userListResponse{
		NextPageToken: info.next, PageCount: info.count, PageNumber: info.number,
		PageSize: info.size, TotalRecords: info.total, Users: []userListItem{},
	}
	for _, u := range pg {
		resp.Users = append(resp.Users, userListItem{
			ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, DisplayName: u.displayName(),
			Type: u.Type, Status: u.Status, Verified: 1, PMI: u.pmi, Timezone: u.Timezone, Dept: u.Dept,
			RoleID: u.roleID(), CreatedAt: ztime(u.CreatedAt), UserCreatedAt: ztime(u.CreatedAt),
			LastLoginTime: ztime(u.lastLogin), LastClientVersion: u.clientVersion,
		})
	}
	return 200, resp, nil
}

func (s *Server) getUser(c *reqCtx) (int, any, *apiErr) {
	u, err := c.resolveUser(pathValue(c.r, "userId"))
	if err != nil {
		return 0, nil, err
	}
	return 200, userResponse{
		ID: u.ID, AccountID: s.opts.AccountID, AccountNumber: s.accountNumber(), Email: u.Email,
		FirstName: u.FirstName, LastName: u.LastName, DisplayName: u.displayName(), Type: u.Type,
		Status: u.Status, Verified: 1, RoleName: u.roleName(), RoleID: u.roleID(), PMI: u.pmi,
		PersonalMeetingURL: c.baseURL() + "/j/" + itoa(u.pmi), Timezone: u.Timezone, Language: "en-US",
		Dept: u.Dept, Cluster: "us05", LoginTypes: []int{100}, CreatedAt: ztime(u.CreatedAt),
		UserCreatedAt: ztime(u.CreatedAt), LastLoginTime: ztime(u.lastLogin),
		LastClientVersion: u.clientVersion, Jid: u.Email,
	}, nil
}

// accountNumber is a stable 8-digit number for the account.
func (s *Server) accountNumber() int64 {
	h := fnv.New32a()
	h.Write([]byte(s.opts.AccountID))
	return 10_000_000 + int64(h.Sum32()%90_000_000)
}
