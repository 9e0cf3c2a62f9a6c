package web

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
)

type peopleRow struct {
	P       store.Person
	Mapped  bool
	ZoomAs  string
	CanEdit bool
}

type peopleData struct {
	Rows      []peopleRow
	Pick      teamChoice
	Query     string
	Total     int // people in the team choice, before the search
	CanAdd    bool
	CanImport bool
	Inactive  int
}

// peopleList is the directory, with each person's Zoom mapping and switch.
func (a *App) peopleList(w http.ResponseWriter, r *http.Request, v *viewer) error {
	ctx := r.Context()
	team := strings.TrimSpace(r.URL.Query().Get("team"))
	all, err := a.st.People(ctx, v.org.ID)
	if err != nil {
		return err
	}
	mapped, err := a.zoomUsersByPerson(ctx, v.org.ID)
	if err != nil {
		return err
	}
	pick := chooseTeam(v, all, team)
	search := strings.TrimSpace(r.URL.Query().Get("q"))
	needle := strings.ToLower(search)
	d := peopleData{Pick: pick, Query: search, CanAdd: v.can(people.ManagePeople), CanImport: v.can(people.ImportPeople)}
	for _, p := range all {
		if !v.canView(p) || !pick.matches(p) {
			continue
		}
		d.Total++
		if needle != "" && !strings.Contains(strings.ToLower(p.Name+" "+p.Email+" "+p.Team), needle) {
			continue
		}
		if !p.Active {
			d.Inactive++
		}
		row := peopleRow{P: p, Mapped: len(mapped[p.ID]) > 0, CanEdit: people.CanManage(v.actor(), p)}
		if row.Mapped {
			row.ZoomAs = mapped[p.ID][0].Email
		}
		d.Rows = append(d.Rows, row)
	}
	a.render(w, r, v, http.StatusOK, "people", page{Title: "People", Section: "people", Data: d})
	return nil
}

type personFormData struct {
	P        store.Person
	New      bool
	Error    string
	Field    string
	Roles    []roleOption
	CanRole  bool
	HasLogin bool
}

type roleOption struct {
	Value, Label string
	Selected     bool
}

// roleOptions are the access levels the viewer may give this person.
func roleOptions(v *viewer, current string) []roleOption {
	var out []roleOption
	for _, r := range store.Roles {
		if r == current || people.CanAssignRole(v.me.Role, current, r) {
			out = append(out, roleOption{Value: r, Label: people.RoleLabel(r), Selected: r == current})
		}
	}
	return out
}

func (a *App) personNew(w http.ResponseWriter, r *http.Request, v *viewer) error {
	d := personFormData{New: true, P: store.Person{Role: store.RoleMember}, Roles: roleOptions(v, store.RoleMember), CanRole: true}
	a.render(w, r, v, http.StatusOK, "person_form", page{Title: "Add a person", Section: "people", Data: d})
	return nil
}

func formInput(r *http.Request) people.Input {
	return people.Input{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"), Team: r.PostFormValue("team"), Role: r.PostFormValue("role")}
}

// formError re-shows a form with the field's problem, or fails for other errors.
func (a *App) formError(w http.ResponseWriter, r *http.Request, v *viewer, d personFormData, err error) error {
	var ie *people.InputError
	if !errors.As(err, &ie) {
		return err
	}
	d.Error, d.Field = ie.Error(), ie.Field
	a.render(w, r, v, http.StatusBadRequest, "person_form", page{Title: "Check the form", Section: "people", Data: d})
	return nil
}

func (a *App) personCreate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	in := formInput(r)
	p, err := a.dir.Add(r.Context(), v.actor(), in)
	if err != nil {
		d := personFormData{New: true, P: store.Person{Email: in.Email, Name: in.Name, Team: in.Team, Role: in.Role}, Roles: roleOptions(v, store.RoleMember), CanRole: true}
		return a.formError(w, r, v, d, err)
	}
	return a.done(w, r, personPath(p.ID), displayName(p)+" added. Any Zoom user with their email is mapped to them.")
}

func (a *App) editable(r *http.Request, v *viewer) (store.Person, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return store.Person{}, err
	}
	p, err := a.st.PersonByID(r.Context(), v.org.ID, id)
	if err != nil {
		return p, err
	}
	if !people.CanManage(v.actor(), p) {
		return p, errForbidden
	}
	return p, nil
}

func (a *App) personEdit(w http.ResponseWriter, r *http.Request, v *viewer) error {
	p, err := a.editable(r, v)
	if err != nil {
		return err
	}
	d := personFormData{P: p, Roles: roleOptions(v, p.Role), CanRole: p.ID != v.me.ID, HasLogin: p.AccountID != 0}
	a.render(w, r, v, http.StatusOK, "person_form", page{Title: "Edit " + displayName(p), Section: "people", Data: d})
	return nil
}

func (a *App) personUpdate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	p, err := a.editable(r, v)
	if err != nil {
		return err
	}
	in := formInput(r)
	if p.ID == v.me.ID {
		in.Role = "" // nobody changes their own access level: ask another Owner or Admin
	}
	if _, err := a.dir.Edit(r.Context(), v.actor(), p.ID, in); err != nil {
		q := p
		q.Email, q.Name, q.Team = in.Email, in.Name, in.Team
		return a.formError(w, r, v, personFormData{P: q, Roles: roleOptions(v, p.Role), CanRole: p.ID != v.me.ID, HasLogin: p.AccountID != 0}, err)
	}
	return a.done(w, r, personPath(p.ID), "Saved.")
}

// personActive deactivates or reactivates a person.
func (a *App) personActive(w http.ResponseWriter, r *http.Request, v *viewer) error {
	p, err := a.editable(r, v)
	if err != nil {
		return err
	}
	on := r.PostFormValue("active") == "1"
	if !on && p.ID == v.me.ID {
		return badRequest("You cannot deactivate yourself; ask another Owner or Admin.")
	}
	if _, err := a.dir.SetActive(r.Context(), v.actor(), p.ID, on); err != nil {
		return err
	}
	if on {
		return a.done(w, r, "/people", displayName(p)+" reactivated.")
	}
	return a.done(w, r, "/people", displayName(p)+" deactivated: their history stays, nothing new is synced.")
}

// personSignin lets a person sign in: it creates their account with the
// password typed, or links an existing account (whose password it never
// changes, as that account may belong to other organizations too).
func (a *App) personSignin(w http.ResponseWriter, r *http.Request, v *viewer) error {
	p, err := a.editable(r, v)
	if err != nil {
		return err
	}
	var linked bool
	err = a.st.InTx(r.Context(), func(tx *store.Store, _ *sql.Tx) error {
		var err error
		if linked, err = EnableSignIn(r.Context(), tx, v.org.ID, p.ID, r.PostFormValue("password"), a.now()); err != nil {
			return err
		}
		return tx.Audit(r.Context(), store.AuditEntry{OrgID: v.org.ID, Actor: v.auditName(), Action: "person.signin_enabled", Target: "person:" + itoa(p.ID), Detail: p.Email, At: a.now()})
	})
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			return a.done(w, r, personPath(p.ID)+"/edit", he.msg)
		}
		return err
	}
	if linked {
		return a.done(w, r, personPath(p.ID)+"/edit", displayName(p)+" already had an account: they sign in with their existing password.")
	}
	return a.done(w, r, personPath(p.ID)+"/edit", displayName(p)+" can now sign in with that password. Ask them to keep it private.")
}

type importData struct {
	Columns  []string
	Result   *people.ImportResult
	Bad      []people.RowError
	Error    string
	Filename string
}

func (a *App) importPage(w http.ResponseWriter, r *http.Request, v *viewer) error {
	a.render(w, r, v, http.StatusOK, "people_import", page{Title: "Import people", Section: "people", Data: importData{Columns: people.ImportColumns}})
	return nil
}

func (a *App) importTemplate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="people.csv"`)
	_, err := w.Write([]byte(people.ImportTemplate))
	return err
}

// importPost imports a directory file, all or nothing; a bad file is shown
// back with every bad line and its reason.
func (a *App) importPost(w http.ResponseWriter, r *http.Request, v *viewer) error {
	d := importData{Columns: people.ImportColumns}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		d.Error = "Choose a CSV file to import."
		a.render(w, r, v, http.StatusBadRequest, "people_import", page{Title: "Import people", Section: "people", Data: d})
		return nil
	}
	defer f.Close()
	d.Filename = hdr.Filename
	res, err := a.dir.Import(r.Context(), v.actor(), f)
	var ie *people.ImportError
	switch {
	case errors.As(err, &ie):
		d.Bad, d.Error = ie.Rows, ie.Error()
		a.render(w, r, v, http.StatusBadRequest, "people_import", page{Title: "Import people", Section: "people", Data: d})
		return nil
	case err != nil:
		return err
	}
	d.Result = &res
	a.render(w, r, v, http.StatusOK, "people_import", page{Title: "Import people", Section: "people", Data: d})
	return nil
}
