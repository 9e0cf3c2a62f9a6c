package web

import (
	"crypto/subtle"
	"net/http"
)

// csrfOK checks a form's token against want in constant time. A browser that
// says the request is cross-site is refused whatever it carries.
func (a *App) csrfOK(r *http.Request, want string) bool {
	if r.Header.Get("Sec-Fetch-Site") == "cross-site" {
		return false
	}
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		got = r.PostFormValue("csrf")
	}
	return want != "" && got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// preCookie names the cookie that protects the sign-in form itself (there is
// no session yet): the form must echo the cookie's random value, which a
// page on another site can neither read nor set.
func (a *App) preCookie() string {
	if a.secure {
		return "__Host-zb_csrf"
	}
	return "zb_csrf"
}

// preToken returns the browser's sign-in form token, setting a new one if it
// has none.
func (a *App) preToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(a.preCookie()); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		return c.Value
	}
	tok := newToken()
	// A browser-session cookie (no Max-Age): it lives as long as the tab does.
	http.SetCookie(w, &http.Cookie{Name: a.preCookie(), Value: tok, Path: "/", HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	return tok
}

// preOK checks the sign-in form's token against its cookie.
func (a *App) preOK(r *http.Request) bool {
	c, err := r.Cookie(a.preCookie())
	if err != nil {
		return false
	}
	return a.csrfOK(r, c.Value)
}
