package web

import (
	"errors"
	"net/http"
	"slices"

	"github.com/zoombridge/zoombridge/internal/api"
	"github.com/zoombridge/zoombridge/internal/people"
)

// API keys for host products (X1): each is scoped to the organization it is
// made in; internal/api makes, lists and revokes them and checks the access
// level again.

type apiKeysData struct {
	Keys    []api.Key
	New     *api.NewKey // shown once, right after it is made
	Error   string
	Name    string
	Write   bool // the write scope was asked for (kept when the form is shown again)
	BaseURL string
}

func (a *App) apiKeys(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.renderKeys(w, r, v, http.StatusOK, apiKeysData{})
}

func (a *App) renderKeys(w http.ResponseWriter, r *http.Request, v *viewer, status int, d apiKeysData) error {
	keys, err := api.NewKeys(a.st, a.now).List(r.Context(), v.actor())
	if err != nil {
		return err
	}
	d.Keys = keys
	a.render(w, r, v, status, "apikeys", page{Title: "API keys", Section: "services", Data: d})
	return nil
}

// apiKeyCreate makes a key and shows its secret on this one page; it is
// never shown again (the page is not cached: every page is no-store).
func (a *App) apiKeyCreate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	name := r.PostFormValue("name")
	k, err := api.NewKeys(a.st, a.now).Create(r.Context(), v.actor(), name, r.PostForm["scope"]...)
	var ie *people.InputError
	if errors.As(err, &ie) {
		return a.renderKeys(w, r, v, http.StatusBadRequest, apiKeysData{Error: ie.Reason, Name: name, Write: slices.Contains(r.PostForm["scope"], api.ScopeWrite)})
	}
	if err != nil {
		return err
	}
	return a.renderKeys(w, r, v, http.StatusOK, apiKeysData{New: &k})
}

func (a *App) apiKeyRevoke(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := api.NewKeys(a.st, a.now).Revoke(r.Context(), v.actor(), id); err != nil {
		return err
	}
	return a.done(w, r, "/services/api", "Key revoked: requests with it are refused from now on.")
}
