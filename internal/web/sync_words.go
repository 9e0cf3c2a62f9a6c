package web

// syncErrorWords explains why a connection's last sync failed, from the
// problem code the syncer recorded (internal/connect's codes; Zoom's own
// text is never read). Unknown codes get a general sentence; Admins see the
// raw text under it.
func syncErrorWords(code string) string {
	switch code {
	case "needs_reconnect":
		return "Zoom no longer accepts this connection (revoked, or the app was removed from Zoom). Reconnect Zoom to resume syncing."
	case CodeMissingScope:
		return "Zoom did not grant a permission the sync needs. Reconnect Zoom and allow every permission it asks for."
	case "zoom_unavailable":
		return "Zoom could not be reached or failed on its side. Nothing is lost; the next sync tries again."
	case "bad_credentials":
		return "Zoom did not accept this app's credentials. Enter the current ones to reconnect."
	case "plan_required":
		return "This needs a paid Zoom plan; the rest keeps syncing."
	}
	return "The last sync stopped on an error. Nothing is lost; the next sync tries again."
}
