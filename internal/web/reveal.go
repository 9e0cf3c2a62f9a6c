package web

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// A reveal carries a secret made by a form (an API key) to the one page view
// that follows the redirect (post/redirect/get). It rides in a short-lived
// cookie sealed with a key derived from the browser's own session token, which
// the server never stores (the sessions table keeps only its hash): the cookie
// is useless to another session and to anyone holding a copy of the database.
// The page that shows it clears it, so a reload shows nothing.
const revealCookie = "zb_reveal"

func (a *App) revealAEAD(r *http.Request) (cipher.AEAD, bool) {
	c, err := r.Cookie(a.cookie)
	if err != nil || c.Value == "" {
		return nil, false
	}
	k := sha256.Sum256([]byte("zoombridge reveal\x00" + c.Value))
	blk, err := aes.NewCipher(k[:])
	if err != nil {
		return nil, false
	}
	g, err := cipher.NewGCM(blk)
	return g, err == nil
}

// reveal seals secret for the next view of path.
func (a *App) reveal(w http.ResponseWriter, r *http.Request, path, secret string) {
	g, ok := a.revealAEAD(r)
	if !ok {
		return
	}
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	v := base64.RawURLEncoding.EncodeToString(g.Seal(nonce, nonce, []byte(secret), []byte(path)))
	http.SetCookie(w, &http.Cookie{Name: revealCookie, Value: v, Path: path, MaxAge: 60, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteStrictMode})
}

// takeReveal returns the secret sealed for path and clears it: it is shown once.
func (a *App) takeReveal(w http.ResponseWriter, r *http.Request, path string) string {
	c, err := r.Cookie(revealCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: revealCookie, Path: path, MaxAge: -1, HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteStrictMode})
	g, ok := a.revealAEAD(r)
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if !ok || err != nil || len(b) < g.NonceSize() {
		return ""
	}
	plain, err := g.Open(nil, b[:g.NonceSize()], b[g.NonceSize():], []byte(path))
	if err != nil {
		return ""
	}
	return string(plain)
}
