package outbound

import "regexp"

// EventTypes are the events zoombridge publishes, for filters and the
// admin app's choices. Features that add events add their types here.
var EventTypes = []string{
	"person.created", "person.updated", "person.deactivated",
	"activity.created", "activity.updated", "activity.deleted",
	"connection.connected", "connection.needs_reconnect", "connection.disconnected",
	"sync.completed",
	"artifact.created", "artifact.linked", "artifact.moved", "artifact.detached", // internal/recordings
	"booking.created", "booking.rescheduled", "booking.cancelled", // internal/booking
}

// TestEventType is the type of "send test event"; it goes to the chosen
// endpoint whatever its filter.
const TestEventType = "webhook.test"

// typeName is what a filter may hold: dotted lower-case words, so a filter
// can name a type a newer version will add.
var typeName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
