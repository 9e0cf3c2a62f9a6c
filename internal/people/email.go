package people

import (
	"net/mail"
	"strings"
)

// checkEmail returns the email as it will be stored (trimmed) or why it is
// not one. Mapping compares emails normalized (store.NormEmail), so the case
// people typed is kept for display.
func checkEmail(s string) (string, string) {
	e := strings.TrimSpace(s)
	if e == "" {
		return "", "email is required"
	}
	addr, err := mail.ParseAddress(e)
	// A display name ("Bob <bob@example.com>") or a comment is not an email.
	if err != nil || addr.Address != e || addr.Name != "" {
		return "", "not an email address: " + quote(e)
	}
	local, domain, _ := strings.Cut(e, "@")
	if local == "" || !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", "not an email address: " + quote(e)
	}
	return e, ""
}

// quote shows a value in a message, cut short so a hostile file cannot fill a report.
func quote(s string) string {
	const max = 80
	if len(s) > max {
		s = s[:max] + "…"
	}
	return `"` + s + `"`
}
