package web

import "github.com/zoombridge/zoombridge/internal/store"

// legendItem is one colour of the timeline and whether its feature is on.
type legendItem struct {
	Kind, Name string
	On         bool
}

// legend lists meetings (bright blue, as Teams and Google Meet are shown),
// calls and webinars in their colours, marking the ones switched off.
func legend(o store.Organization) []legendItem {
	return []legendItem{
		{store.ActivityMeeting, "Meetings", o.MeetingsEnabled},
		{store.ActivityCall, "Phone calls", o.PhoneEnabled},
		{store.ActivityWebinar, "Webinars", o.WebinarsEnabled},
	}
}
