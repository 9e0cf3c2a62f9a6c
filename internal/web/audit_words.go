package web

import "strings"

// auditWords says what each audit action means, for people reading the log.
// Codes stay in the database (they are data for filters and tests); new
// features add their lines here, and a code without one is shown humanised.
var auditWords = map[string]string{
	"organization.created":       "created the organization",
	"organization.timezone":      "changed the organization's time zone",
	"organization.renamed":       "renamed the organization",
	"person.created":             "added a person",
	"person.updated":             "changed a person",
	"person.deactivated":         "deactivated a person",
	"person.reactivated":         "reactivated a person",
	"person.signin_enabled":      "let a person sign in",
	"person.signin_unlocked":     "unlocked a person's sign-in",
	"person.password_reset":      "reset a person's password",
	"people.imported":            "imported people from a CSV file",
	"password.changed":           "changed their password",
	"signin":                     "signed in",
	"signout":                    "signed out",
	"signin.failed":              "failed to sign in",
	"switch.changed":             "switched a Zoom feature",
	"switch.recordings":          "switched recording sync",
	"connection.created":         "connected Zoom",
	"connection.connected":       "connected Zoom",
	"connection.renewed":         "reconnected Zoom",
	"connection.needs_reconnect": "marked a Zoom connection as needing a reconnect",
	"connection.disconnected":    "disconnected Zoom",
	"connection.deauthorized":    "removed the app in Zoom",
	"connection.purged":          "deleted a connection's Zoom data",
	"connection.sync_requested":  "asked for a Zoom sync",
	"activities.exported":        "exported activities as CSV",
	"apikey.created":             "created an API key",
	"apikey.revoked":             "revoked an API key",
	"artifact.linked":            "linked a recording to a deal",
	"artifact.moved":             "moved a recording to another deal",
	"artifact.detached":          "detached a recording from its deal",
	"artifact.deleted":           "deleted a recording's record",
	"booking.created":            "booked a meeting",
	"booking.rescheduled":        "rescheduled a booking",
	"booking.cancelled":          "cancelled a booking",
}

// auditSentence is the action in words; unknown codes read "endpoint disabled".
func auditSentence(action string) string {
	if w, ok := auditWords[action]; ok {
		return w
	}
	return strings.NewReplacer(".", " ", "_", " ").Replace(action)
}

// auditTargetKind names the kind of thing a target code points at ("connection:3").
var auditTargetKind = map[string]string{
	"connection": "Zoom connection", "apikey": "API key", "feature": "feature", "organization": "organization",
	"endpoint": "webhook endpoint", "deal": "deal", "artifact": "recording", "booking": "booking",
}
