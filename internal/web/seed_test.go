package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/zoombridge/zoombridge/internal/people"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/web"
)

// team is a seeded organization that looks like a real one, for the
// browser tests and their screenshots.
type team struct {
	org    store.Organization
	conn   store.Connection
	people map[string]store.Person // by first name, and by role for the sign-in accounts
}

var teamPeople = []struct{ name, team, role string }{
	{"Ada Lovelace", "Engineering", store.RoleOwner},
	{"Grace Hopper", "Engineering", store.RoleAdmin},
	{"Katherine Johnson", "Sales", store.RoleExecutive},
	{"Alan Turing", "Sales", store.RoleManager},
	{"Margaret Hamilton", "Sales", store.RoleMember},
	{"Linus Pauling", "Support", store.RoleMember},
	{"Radia Perlman", "Support", store.RoleMember},
	{"Dennis Ritchie", "Engineering", store.RoleMember},
}

var topics = []string{"Weekly sync", "Design review", "Pipeline review", "Customer demo", "Sprint planning", "1:1", "Onboarding session", "Renewal call"}
var callers = []string{"Acme Corp", "Blue Harbor", "Granite Bank", "", "Helios Energy", "Cobalt Labs"}
var devices = []string{"Zoom Phone mobile app", "Windows client", "VOIP client", "Mac client"}

func seedTeam(t testing.TB, st *store.Store) *team {
	t.Helper()
	ctx := context.Background()
	email := func(name string) string { return strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com" }
	o, owner, err := web.Bootstrap(ctx, st, "Northwind Traders", email(teamPeople[0].name), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	tm := &team{org: o, people: map[string]store.Person{}}
	if _, err := people.New(st, nil).Edit(ctx, people.System(o.ID), owner.ID, people.Input{Email: owner.Email, Name: teamPeople[0].name, Team: teamPeople[0].team}); err != nil {
		t.Fatal(err)
	}
	owner, _ = st.PersonByID(ctx, o.ID, owner.ID)
	tm.people["Ada"], tm.people[store.RoleOwner] = owner, owner
	for _, p := range teamPeople[1:] {
		pw := ""
		if _, taken := tm.people[p.role]; !taken {
			pw = testPassword
		}
		got, err := web.AddMember(ctx, st, o.ID, people.Input{Email: email(p.name), Name: p.name, Team: p.team, Role: p.role}, pw)
		if err != nil {
			t.Fatal(err)
		}
		tm.people[strings.Fields(p.name)[0]] = got
		if pw != "" {
			tm.people[p.role] = got
		}
	}
	tm.conn = addConnection(t, st, o.ID, "northwind")
	r := rand.New(rand.NewPCG(7, 7))
	for _, tp := range teamPeople {
		first := strings.Fields(tp.name)[0]
		p := tm.people[first]
		zu := "zu-" + strings.ToLower(first)
		addZoomUser(t, st, tm.conn, zu, p.Email, first != "Dennis")
		for d := range 5 {
			seedDay(t, st, tm.conn, p, zu, time.Date(2026, 11, 2+d, 0, 0, 0, 0, time.UTC), r, first != "Dennis")
		}
	}
	// A Zoom user whose email differs from the directory's, for the Users tab.
	addZoomUser(t, st, tm.conn, "zu-joan", "joan.clarke@northwind.example", true)
	return tm
}

func seedDay(t testing.TB, st *store.Store, c store.Connection, p store.Person, zu string, day time.Time, r *rand.Rand, phone bool) {
	t.Helper()
	at := day.Add(time.Duration(8*60+r.IntN(60)) * time.Minute)
	for i := 0; at.Hour() < 17; i++ {
		a := store.Activity{OrgID: c.OrgID, ConnectionID: c.ID, PersonID: p.ID, ZoomUserID: zu, Source: "sync", StartAt: at}
		var d time.Duration
		switch k := r.IntN(10); {
		case k < 5:
			d = time.Duration([]int{15, 30, 30, 45, 60}[r.IntN(5)]) * time.Minute
			a.Kind, a.Title, a.ParticipantsCount = store.ActivityMeeting, topics[r.IntN(len(topics))], 2+r.IntN(7)
			a.ZoomID, a.ZoomNumber = fmt.Sprintf("m-%s-%d-%d", zu, day.Day(), i), fmt.Sprint(81000000000+r.IntN(999999999))
		case k < 9 && phone:
			d = time.Duration(2+r.IntN(20)) * time.Minute
			a.Kind, a.Direction, a.Device = store.ActivityCall, []string{"inbound", "outbound"}[r.IntN(2)], devices[r.IntN(len(devices))]
			a.CallerName, a.ZoomID = callers[r.IntN(len(callers))], fmt.Sprintf("c-%s-%d-%d", zu, day.Day(), i)
		case k == 9 && r.IntN(3) == 0:
			d = time.Hour
			a.Kind, a.Title, a.ZoomID = store.ActivityWebinar, "Product webinar: what's new", fmt.Sprintf("w-%s-%d-%d", zu, day.Day(), i)
		default:
			at = at.Add(30 * time.Minute)
			continue
		}
		a.EndAt, a.DurationSeconds = at.Add(d), int(d.Seconds())
		if _, err := st.UpsertActivity(context.Background(), a, t0); err != nil {
			t.Fatal(err)
		}
		at = at.Add(d + time.Duration(10+r.IntN(60))*time.Minute)
	}
}
