package web

import (
	"context"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

// basicNotices is what the store alone can say about a connection, used
// until internal/connect's messages are wired.
func basicNotices(c store.Connection) []Notice {
	var out []Notice
	if c.Status == store.StatusNeedsReconnect {
		out = append(out, Notice{Level: "error", Title: "Reconnect Zoom", Action: "reconnect",
			Text: firstNonEmpty(c.StatusReason, "Zoom no longer accepts this connection. Reconnect Zoom to resume.")})
	}
	if c.PlanType == 1 {
		out = append(out, Notice{Level: "warn", Title: "Pro+ required",
			Text: "This Zoom account is on the free Basic plan: cloud recordings, transcripts and AI summaries need Pro or above. Meetings, calls and webinars still show."})
	}
	return out
}

// usersFromStore builds the Users tab from the stored Zoom users and people:
// mapped by normalized email, and for each unmapped user the reason.
func usersFromStore(ctx context.Context, st *store.Store, orgID int64) (UsersListing, error) {
	users, err := st.ZoomUsers(ctx, orgID)
	if err != nil {
		return UsersListing{}, err
	}
	ps, err := st.People(ctx, orgID)
	if err != nil {
		return UsersListing{}, err
	}
	byID, byEmail := map[int64]store.Person{}, map[string]store.Person{}
	for _, p := range ps {
		byID[p.ID], byEmail[store.NormEmail(p.Email)] = p, p
	}
	var out UsersListing
	linked := map[int64]bool{}
	for _, u := range users {
		if p, ok := byID[u.PersonID]; ok && u.PersonID != 0 {
			out.Mapped = append(out.Mapped, MappedUser{User: u, Person: p})
			linked[p.ID] = true
			continue
		}
		out.Unmapped = append(out.Unmapped, UnmappedUser{User: u, Reason: unmappedReason(u, byEmail, ps)})
	}
	for _, p := range ps {
		if p.Active && !linked[p.ID] {
			out.Unlinked = append(out.Unlinked, p)
		}
	}
	return out, nil
}

func unmappedReason(u store.ZoomUser, byEmail map[string]store.Person, ps []store.Person) string {
	if p, ok := byEmail[store.NormEmail(u.Email)]; ok && !p.Active {
		return "The person with this email (" + displayName(p) + ") is deactivated in the directory."
	}
	if p, ok := similarPerson(u, ps); ok {
		return "No person has the email " + u.Email + ". " + displayName(p) + " is in the directory as " + p.Email +
			": the emails differ, so they were not matched. Make the two emails the same in Zoom or in the directory."
	}
	return "No person in the directory has the email " + u.Email + ". Add them to People to map them."
}

// similarPerson finds the person a Zoom user most likely is, when the emails
// differ: the same display name, or the same mailbox name at another domain.
func similarPerson(u store.ZoomUser, ps []store.Person) (store.Person, bool) {
	local := func(e string) string { l, _, _ := strings.Cut(store.NormEmail(e), "@"); return l }
	for _, p := range ps {
		if p.Active && p.Name != "" && strings.EqualFold(strings.TrimSpace(p.Name), strings.TrimSpace(u.DisplayName)) {
			return p, true
		}
	}
	for _, p := range ps {
		if p.Active && local(p.Email) != "" && local(p.Email) == local(u.Email) {
			return p, true
		}
	}
	return store.Person{}, false
}

// similarZoomUser is the other direction: the unmapped Zoom user a person
// most likely is.
func similarZoomUser(p store.Person, users []store.ZoomUser) (store.ZoomUser, bool) {
	for _, u := range users {
		if u.PersonID != 0 {
			continue
		}
		if cand, ok := similarPerson(u, []store.Person{p}); ok && cand.ID == p.ID {
			return u, true
		}
	}
	return store.ZoomUser{}, false
}
