package api

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Page sizes: a host product may ask for fewer or more, never more than max.
const (
	defaultLimit = 100
	maxLimit     = 500
)

// params reads a request's query. Unknown parameters are refused, so a typo
// ("?persn=12") is a 400 naming it, not a silently unfiltered answer.
type params struct {
	q   url.Values
	err *Error
}

func newParams(q url.Values, known ...string) *params {
	p := &params{q: q}
	for name := range q {
		if !contains(known, name) {
			p.fail(badParam(name, "unknown parameter (known: "+strings.Join(known, ", ")+")"))
		}
	}
	return p
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (p *params) fail(e *Error) {
	if p.err == nil {
		p.err = e
	}
}

// one returns a parameter given at most once.
func (p *params) one(name string) string {
	vs := p.q[name]
	if len(vs) > 1 {
		p.fail(badParam(name, "given more than once"))
	}
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

func (p *params) limit() int {
	s := p.one("limit")
	if s == "" {
		return defaultLimit
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > maxLimit {
		p.fail(badParam("limit", "an integer from 1 to "+strconv.Itoa(maxLimit)))
		return defaultLimit
	}
	return n
}

func (p *params) time(name string) time.Time {
	s := p.one(name)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		p.fail(badParam(name, "not an RFC 3339 time, e.g. 2026-11-02T09:00:00Z"))
	}
	return t
}

// list returns a parameter's comma-separated values, repeated or not.
func (p *params) list(name string) []string {
	var out []string
	for _, v := range p.q[name] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// rfc3339 is how the API writes times: UTC, RFC 3339 (milliseconds only when set).
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := rfc3339(t)
	return &s
}
