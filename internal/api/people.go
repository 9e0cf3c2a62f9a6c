package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

// Person is a person of the organization's directory as the API shows them.
type Person struct {
	ID          int64    `json:"id"`
	Email       string   `json:"email"`
	Name        string   `json:"name"`
	Team        string   `json:"team"`
	AccessLevel string   `json:"access_level"`
	ZoomEnabled bool     `json:"zoom_enabled"`
	Active      bool     `json:"active"`
	ZoomUserIDs []string `json:"zoom_user_ids"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

// listPeople answers GET /api/v1/people: the directory by id, in pages.
func (a *API) listPeople(w http.ResponseWriter, r *http.Request, c *call) error {
	p := newParams(r.URL.Query(), "limit", "cursor")
	limit := p.limit()
	after, bad := parseCursor(p.one("cursor"), "people", 1)
	if bad != nil {
		p.fail(bad)
	}
	if p.err != nil {
		return p.err
	}
	var afterID int64
	if after != nil {
		afterID = after[0]
	}
	rows, err := c.st.PeopleAfter(r.Context(), c.org, afterID, limit+1)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(rows))
	for _, p := range rows[:min(len(rows), limit)] {
		ids = append(ids, p.ID)
	}
	zoomIDs, err := c.st.ZoomUserIDsOfPeople(r.Context(), c.org, ids)
	if err != nil {
		return err
	}
	out := page[Person]{Data: []Person{}}
	for i, sp := range rows {
		if i == limit {
			out.NextCursor = nextCursor(cursor{list: "people", keys: []int64{rows[i-1].ID}})
			break
		}
		out.Data = append(out.Data, personJSON(sp, zoomIDs[sp.ID]))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func personJSON(p store.Person, zoomIDs []string) Person {
	if zoomIDs == nil {
		zoomIDs = []string{}
	}
	return Person{ID: p.ID, Email: p.Email, Name: p.Name, Team: p.Team, AccessLevel: p.Role, ZoomEnabled: p.ZoomEnabled,
		Active: p.Active, ZoomUserIDs: zoomIDs, CreatedAt: rfc3339(p.CreatedAt), UpdatedAt: rfc3339(p.UpdatedAt)}
}

// findPerson resolves a person id or email within the organization; another
// organization's person is as unknown as one that never existed.
func findPerson(r *http.Request, c *call, v string) (store.Person, error) {
	var p store.Person
	var err error
	if strings.Contains(v, "@") {
		p, err = c.st.PersonByEmail(r.Context(), c.org, v)
	} else if id, perr := strconv.ParseInt(v, 10, 64); perr != nil || id <= 0 {
		return p, notFound("person")
	} else {
		p, err = c.st.PersonByID(r.Context(), c.org, id)
	}
	if errors.Is(err, store.ErrNotFound) {
		return p, notFound("person")
	}
	return p, err
}

// sendPerson answers with one person, their Zoom users included.
func sendPerson(w http.ResponseWriter, r *http.Request, c *call, status int, p store.Person) error {
	zoomIDs, err := c.st.ZoomUserIDsOfPeople(r.Context(), c.org, []int64{p.ID})
	if err != nil {
		return err
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/people/"+strconv.FormatInt(p.ID, 10))
	}
	writeResource(w, r, status, personJSON(p, zoomIDs[p.ID]))
	return nil
}

// getPerson answers GET /api/v1/people/{person}, by id or email.
func (a *API) getPerson(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := findPerson(r, c, r.PathValue("person"))
	if err != nil {
		return err
	}
	return sendPerson(w, r, c, http.StatusOK, p)
}

func (c *call) directory() *people.Directory {
	return people.New(c.st, func() time.Time { return c.now })
}

var personFields = []string{"email", "name", "team", "access_level"}

// createPerson answers POST /api/v1/people through the directory's rules, as
// the admin app adds people: the email is new, the level no more than Admin.
func (a *API) createPerson(w http.ResponseWriter, r *http.Request, c *call) error {
	o, err := readObject(r, personFields...)
	if err != nil {
		return err
	}
	var in people.Input
	if err := readInput(o, &in); err != nil {
		return err
	}
	if _, ok := o["email"]; !ok {
		return badParam("email", "required")
	}
	p, err := c.directory().Add(r.Context(), c.actor(), in)
	if err != nil {
		return err
	}
	return sendPerson(w, r, c, http.StatusCreated, p)
}

// updatePerson answers PATCH /api/v1/people/{person}: the fields given
// change, the others stay.
func (a *API) updatePerson(w http.ResponseWriter, r *http.Request, c *call) error {
	p, err := findPerson(r, c, r.PathValue("person"))
	if err != nil {
		return err
	}
	o, err := readObject(r, append(personFields, "zoom_enabled")...)
	if err != nil {
		return err
	}
	in := people.Input{Email: p.Email, Name: p.Name, Team: p.Team}
	if err := readInput(o, &in); err != nil {
		return err
	}
	var zoom bool
	zoomGiven, err := o.boolean("zoom_enabled", &zoom)
	if err != nil {
		return err
	}
	dir := c.directory()
	if len(o) > 0 && !(len(o) == 1 && zoomGiven) {
		if p, err = dir.Edit(r.Context(), c.actor(), p.ID, in); err != nil {
			return err
		}
	}
	if zoomGiven {
		if p, err = dir.SetService(r.Context(), c.actor(), p.ID, zoom); err != nil {
			return err
		}
	}
	return sendPerson(w, r, c, http.StatusOK, p)
}

func (a *API) deactivatePerson(w http.ResponseWriter, r *http.Request, c *call) error {
	return a.setActive(w, r, c, false)
}

func (a *API) reactivatePerson(w http.ResponseWriter, r *http.Request, c *call) error {
	return a.setActive(w, r, c, true)
}

// setActive deactivates (history kept, unmapped from Zoom) or reactivates a
// person; doing it twice is not an error.
func (a *API) setActive(w http.ResponseWriter, r *http.Request, c *call, active bool) error {
	p, err := findPerson(r, c, r.PathValue("person"))
	if err != nil {
		return err
	}
	if p, err = c.directory().SetActive(r.Context(), c.actor(), p.ID, active); err != nil {
		return err
	}
	return sendPerson(w, r, c, http.StatusOK, p)
}

// readInput sets the fields of in that the body gives.
func readInput(o object, in *people.Input) error {
	for i, dst := range []*string{&in.Email, &in.Name, &in.Team, &in.Role} {
		if _, err := o.str(personFields[i], dst); err != nil {
			return err
		}
	}
	return nil
}
