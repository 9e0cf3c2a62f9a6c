package zoomsim

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// accountState is everything the account holds. Activity is generated one UTC
// day at a time from a generator seeded with (seed, day), so how the clock is
// stepped never changes what happens; visibility is decided by the clock.
type accountState struct {
	opts      *Options
	domain    string
	histStart time.Time // start of the history window
	genNext   int       // next day index to generate
	nextUser  int       // users created so far, for stable creation order

	users             []*userRec
	userByID          map[string]*userRec
	meetings          []*meetingRec
	meetingByID       map[int64]*meetingRec
	instByUUID        map[string]*instanceRec
	webinars          []*webinarRec
	webinarByID       map[int64]*webinarRec
	webinarInstByUUID map[string]*webinarInstance
	calls             []*callRec
	series            []*meetingRec // recurring meetings, expanded day by day
	fileByToken       map[string]fileRef
}

// fileRef finds a recording file from the token in its URLs.
type fileRef struct {
	f  *recFile
	in *instanceRec
}

func seeded(seed int64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), stream))
}

const (
	streamUsers  = 1
	streamSeries = 2
	streamDay    = 1 << 32 // + day index
)

func generateAccount(o *Options) *accountState {
	r := seeded(o.Seed, streamUsers)
	a := &accountState{
		opts:              o,
		domain:            pick(r, companies) + ".example.com",
		histStart:         o.Start.Add(-time.Duration(o.Days) * 24 * time.Hour),
		userByID:          map[string]*userRec{},
		meetingByID:       map[int64]*meetingRec{},
		instByUUID:        map[string]*instanceRec{},
		webinarByID:       map[int64]*webinarRec{},
		webinarInstByUUID: map[string]*webinarInstance{},
		fileByToken:       map[string]fileRef{},
	}
	for i := 0; i < o.Users; i++ {
		a.addUser(a.seedUser(r, i))
	}
	a.applyGuarantees()
	a.genNext = -o.Days - 1
	a.planSeries(seeded(o.Seed, streamSeries))
	return a
}

// seedUser draws user i: the owner first, then an admin, then members.
func (a *accountState) seedUser(r *rand.Rand, i int) *userRec {
	first, last := pick(r, firstNames), pick(r, lastNames)
	u := &userRec{User: User{
		ID:        zoomUserID(r),
		FirstName: first,
		LastName:  last,
		Email:     a.uniqueEmail(first, last),
		Type:      2,
		Status:    "active",
		Role:      "member",
		Timezone:  pick(r, timezones),
		Dept:      pick(r, depts),
		CreatedAt: a.joinDate(r, i),
	}}
	switch {
	case i == 0:
		u.Role = "owner"
	case i == 1 && a.opts.Users >= 4:
		u.Role = "admin"
	}
	if a.opts.Plan == "basic" || (i > 0 && chance(r, 0.25)) {
		u.Type = 1
	}
	if a.opts.Plan != "basic" && u.Type == 2 && (i == 0 || chance(r, 0.65)) {
		a.givePhone(r, u)
	}
	u.webinars = a.opts.Plan != "basic" && u.Type == 2 && (i == 0 || chance(r, 0.15))
	u.pmi = pmiNumber(r)
	u.lastLogin = a.opts.Start.Add(-time.Duration(1+r.IntN(72*60)) * time.Minute)
	u.clientVersion = pick(r, clientVersions)
	return u
}

// How long before the history window the owner opened the account, and the
// least time before it that the newest seeded user joined.
const (
	accountAge   = 3 * 365 * 24 * time.Hour
	newestJoiner = 14 * 24 * time.Hour
)

// joinDate spreads the seeded users' creation over the years before the
// history window, in creation order (the owner first), so an account of N
// users has all N when the clock starts, whatever N and Days. The newest
// joined two weeks before the window: the meetings and webinars of its first
// days were scheduled (up to a week ahead) after their hosts joined.
func (a *accountState) joinDate(r *rand.Rand, i int) time.Time {
	slot := (accountAge - newestJoiner) / time.Duration(a.opts.Users)
	jitter := time.Duration(r.Int64N(int64(slot / 2)))
	return a.histStart.Add(-accountAge + time.Duration(i)*slot + jitter).Truncate(time.Second)
}

func (a *accountState) givePhone(r *rand.Rand, u *userRec) {
	u.PhoneLicence = true
	u.Extension = 1001 + a.nextUser
	u.PhoneNumber = fmt.Sprintf("+1415555%04d", 1000+a.nextUser*7%9000)
	u.extID = zoomUserID(r)
	u.devices = []device{{typ: pick(r, phoneDevices), id: zoomUserID(r)}}
	if chance(r, 0.5) {
		u.devices = append(u.devices, device{typ: pick(r, phoneDevices), id: zoomUserID(r)})
	}
}

// applyGuarantees makes every seed exercise plan and licence gating: with three
// or more users there is a Basic user and a user without a Phone licence.
func (a *accountState) applyGuarantees() {
	if len(a.users) < 3 || a.opts.Plan == "basic" {
		return
	}
	hasBasic := false
	for _, u := range a.users {
		hasBasic = hasBasic || u.Type == 1
	}
	if !hasBasic {
		u := a.users[len(a.users)-1]
		u.Type, u.webinars = 1, false
		u.PhoneLicence, u.PhoneNumber, u.Extension, u.extID, u.devices = false, "", 0, "", nil
	}
}

func (a *accountState) uniqueEmail(first, last string) string {
	base := strings.ToLower(first + "." + last)
	email := base + "@" + a.domain
	for n := 2; a.userByEmail(email) != nil; n++ {
		email = fmt.Sprintf("%s%d@%s", base, n, a.domain)
	}
	return email
}

func (a *accountState) addUser(u *userRec) {
	a.nextUser++
	a.users = append(a.users, u)
	a.userByID[u.ID] = u
}

func (a *accountState) userByEmail(email string) *userRec {
	for _, u := range a.users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

// activeUsers are the users who can take part in activity created at t.
func (a *accountState) activeUsers(t time.Time) []*userRec {
	var out []*userRec
	for _, u := range a.users {
		if !u.Deleted && u.Status == "active" && u.CreatedAt.Before(t) {
			out = append(out, u)
		}
	}
	return out
}

// planSeries creates the recurring meetings: licensed users often hold a
// weekly meeting with a fixed group at a fixed time.
func (a *accountState) planSeries(r *rand.Rand) {
	for _, u := range a.users {
		if u.Type != 2 || !chance(r, 0.5) {
			continue
		}
		weekday := time.Weekday(1 + r.IntN(5))
		hour := 8 + r.IntN(9)
		m := &meetingRec{
			id:            meetingNumber(r),
			hostID:        u.ID,
			topic:         pick(r, recurringTopics),
			typ:           8,
			duration:      pick(r, []int{30, 45, 60}),
			timezone:      u.Timezone,
			createdAt:     a.histStart.Add(-time.Duration(20+r.IntN(60)) * 24 * time.Hour).Truncate(time.Minute),
			password:      password(r),
			autoRecording: pick(r, []string{"none", "cloud"}),
			autoSummary:   chance(r, 0.4),
		}
		if m.createdAt.Before(u.CreatedAt) { // a recent joiner set the series up after joining
			m.createdAt = u.CreatedAt.Add(24 * time.Hour).Truncate(time.Minute)
		}
		m.agenda = "Recurring " + strings.ToLower(m.topic)
		first := a.histStart.Truncate(24 * time.Hour)
		for first.Weekday() != weekday {
			first = first.Add(24 * time.Hour)
		}
		m.start = first.Add(time.Duration(hour) * time.Hour)
		m.uuid = meetingUUID(r)
		m.recur = recurrence{typ: 2, interval: 1}
		a.addMeeting(m)
		a.series = append(a.series, m)
	}
}

func (a *accountState) addMeeting(m *meetingRec) {
	for a.meetingByID[m.id] != nil {
		m.id++
	}
	a.meetings = append(a.meetings, m)
	a.meetingByID[m.id] = m
}

// generateThrough makes sure every day up to and including last exists.
func (a *accountState) generateThrough(last int) {
	for ; a.genNext <= last; a.genNext++ {
		a.genDay(a.genNext)
	}
}
