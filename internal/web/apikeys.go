package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

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

// apiKeysPath is the list page; a new key's secret is revealed there once.
const apiKeysPath = "/services/api"

func (a *App) apiKeys(w http.ResponseWriter, r *http.Request, v *viewer) error {
	return a.renderKeys(w, r, v, http.StatusOK, apiKeysData{}, a.takeReveal(w, r, apiKeysPath))
}

// renderKeys shows the list; secret, when it is the plaintext of one of the
// organization's live keys, is shown above it.
func (a *App) renderKeys(w http.ResponseWriter, r *http.Request, v *viewer, status int, d apiKeysData, secret string) error {
	keys, err := api.NewKeys(a.st, a.now).List(r.Context(), v.actor())
	if err != nil {
		return err
	}
	d.Keys = keys
	for _, k := range keys {
		if secret != "" && k.RevokedAt.IsZero() && strings.HasPrefix(secret, strings.TrimSuffix(k.Hint, "…")) {
			d.New = &api.NewKey{Key: k, Plaintext: secret}
		}
	}
	a.render(w, r, v, status, "apikeys", page{Title: "API keys", Section: "services", Data: d})
	return nil
}

// apiKeyCreate makes a key and redirects to the list, which shows its secret
// once (reveal.go); a reload neither shows it again nor makes another key.
func (a *App) apiKeyCreate(w http.ResponseWriter, r *http.Request, v *viewer) error {
	name := r.PostFormValue("name")
	k, err := api.NewKeys(a.st, a.now).Create(r.Context(), v.actor(), name, r.PostForm["scope"]...)
	var ie *people.InputError
	if errors.As(err, &ie) {
		return a.renderKeys(w, r, v, http.StatusBadRequest, apiKeysData{Error: ie.Reason, Name: name, Write: slices.Contains(r.PostForm["scope"], api.ScopeWrite)}, "")
	}
	if err != nil {
		return err
	}
	a.reveal(w, r, apiKeysPath, k.Plaintext)
	return a.done(w, r, apiKeysPath, "")
}

func (a *App) apiKeyRevoke(w http.ResponseWriter, r *http.Request, v *viewer) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := api.NewKeys(a.st, a.now).Revoke(r.Context(), v.actor(), id); err != nil {
		return err
	}
	return a.done(w, r, apiKeysPath, "Key revoked: requests with it are refused from now on.")
}
