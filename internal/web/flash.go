package web

import (
	"encoding/base64"
	"net/http"
)

// A flash is a one-line message shown on the next page after a form, carried
// in a short-lived cookie so the redirect URL stays clean.
const flashCookie = "zb_flash"

func (a *App) flash(w http.ResponseWriter, msg string) {
	if len(msg) > 300 {
		msg = msg[:300]
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/",
		MaxAge: 60, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
}

// takeFlash reads and clears the flash. It is shown as text: html/template
// escapes it, so a crafted cookie cannot inject markup.
func (a *App) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || len(b) > 300 {
		return ""
	}
	return string(b)
}

// done flashes msg and sends the browser to path (POST, redirect, GET).
func (a *App) done(w http.ResponseWriter, r *http.Request, path, msg string) error {
	if msg != "" {
		a.flash(w, msg)
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}
