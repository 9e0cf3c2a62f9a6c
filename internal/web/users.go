package web

import (
	"context"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/syncer"
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
			Text: "The Zoom user " + firstNonEmpty(c.Email, "who connected") + " is on the free Basic plan: cloud recordings, transcripts and AI summaries need Pro or above. Meetings, calls and webinars still show."})
	}
	return out
}

// usersFromStore builds the Users tab from the store's listings (the
// mapping and its reasons are the store's, written with the sync), adding,
// where a person looks like the same human under another email, which
// emails differ.
func usersFromStore(ctx context.Context, st *store.Store, orgID int64) (UsersListing, error) {
	users, err := st.ZoomUsers(ctx, orgID)
	if err != nil {
		return UsersListing{}, err
	}
	ps, err := st.People(ctx, orgID)
	if err != nil {
		return UsersListing{}, err
	}
	unmapped, err := st.UnmappedZoomUsers(ctx, orgID)
	if err != nil {
		return UsersListing{}, err
	}
	unlinked, err := st.PeopleWithoutZoomUser(ctx, orgID)
	if err != nil {
		return UsersListing{}, err
	}
	byID := map[int64]store.Person{}
	for _, p := range ps {
		byID[p.ID] = p
	}
	var out UsersListing
	for _, u := range users {
		if p, ok := byID[u.PersonID]; ok && u.PersonID != 0 {
			out.Mapped = append(out.Mapped, MappedUser{User: u, Person: p})
		}
	}
	for _, u := range unmapped {
		out.Unmapped = append(out.Unmapped, UnmappedUser{User: u.ZoomUser, Reason: unmappedReason(u, ps)})
	}
	for _, p := range unlinked {
		reason := sentence(p.Reason)
		if u, ok := similarZoomUser(p.Person, users); ok && p.Reason == store.ReasonNoZoomUser {
			reason = "Zoom has " + firstNonEmpty(u.DisplayName, "this person") + " as " + u.Email + ", the directory has " + p.Email +
				": the emails differ. Make them the same, in Zoom or here, and they are mapped on the next sync."
		}
		out.Unlinked = append(out.Unlinked, UnlinkedPerson{Person: p.Person, Reason: reason})
	}
	return out, nil
}

// sentence capitalizes a reason and ends it with a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

func unmappedReason(u store.UnmappedZoomUser, ps []store.Person) string {
	if u.Reason == store.ReasonNoPerson {
		if p, ok := similarPerson(u.ZoomUser, ps); ok {
			return "No person has the email " + u.Email + ". " + displayName(p) + " is in the directory as " + p.Email +
				": the emails differ, so they were not matched. Make the two emails the same in Zoom or in People."
		}
		return sentence(u.Reason) + " Add them to People to map them."
	}
	return sentence(u.Reason)
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

// statusFromStore reads a connection's sync status (D4) as the syncer
// records it.
func statusFromStore(ctx context.Context, st *store.Store, c store.Connection, now time.Time) (SyncStatus, error) {
	ss, err := st.SyncStatusOf(ctx, c.OrgID, c.ID, now)
	if err != nil {
		return SyncStatus{}, err
	}
	out := SyncStatus{LastSuccess: ss.State.LastSuccessAt, NextRun: ss.State.NextRunAt, Running: ss.Running, NeverSynced: ss.NeverSynced,
		RecentErrors: ss.RecentErrors, APICalls: ss.State.APICalls, RateLimited: ss.State.RateLimited, Every: syncer.DefaultEvery}
	if ss.Running {
		out.RunningKind = ss.LastPass.Kind
	}
	if ss.State.LastError != "" && ss.State.LastErrorAt.After(ss.State.LastSuccessAt) {
		out.LastError, out.LastWords = ss.State.LastError, syncErrorWords(ss.State.LastErrorCode)
	}
	for _, k := range kinds {
		out.Counts = append(out.Counts, KindCount{Kind: k, Count: ss.Records[k]})
	}
	return out, nil
}
