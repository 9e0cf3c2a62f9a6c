package demo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// The demo's sales team: deals and CRM activities as a CRM would register
// them, and sales calls in the emulator whose recordings, transcripts and AI
// summaries land on the deals as the calls end (features R1-R5).

var dealNames = []string{"Northwind renewal", "Contoso expansion", "Fabrikam pilot", "Litware platform deal",
	"Adventure Works upsell", "Tailspin multi-year", "Woodgrove onboarding", "Proseware migration"}

var dealStages = []string{"discovery", "demo", "proposal", "negotiation"}

// seedSales gives the Sales team deals, plans each rep's calls for the next
// working hours with a CRM activity for each (most registered with the Zoom
// meeting, some only by time, one not at all: it shows as unlinked), and
// keeps summary text so the deals show overviews and next steps.
func (d *Demo) seedSales(ctx context.Context, orgID int64) error {
	st := d.Server.Store
	now := d.Sim.Now()
	if err := st.SetKeepSummaryText(ctx, orgID, true, now); err != nil {
		return err
	}
	reps, err := d.salesReps(ctx, orgID)
	if err != nil || len(reps) == 0 {
		return err
	}
	start := now
	if next, skip := nextWorkingHour(now); skip {
		start = next
	}
	for i, name := range dealNames {
		rep := reps[i%len(reps)]
		deal, err := st.UpsertDeal(ctx, store.Deal{OrgID: orgID, ExternalID: fmt.Sprintf("CRM-%03d", 101+i), Name: name,
			Stage: dealStages[i%len(dealStages)], OwnerPersonID: rep.person.ID}, now)
		if err != nil {
			return err
		}
		for k := range 3 {
			at := start.Add(time.Duration(15+i*7+k*150) * time.Minute)
			if err := d.salesCall(ctx, orgID, deal, rep, at, i*3+k); err != nil {
				return err
			}
		}
	}
	return nil
}

type salesRep struct {
	user   zoomsim.User
	person store.Person
}

// salesReps are the sales team: up to four people whose Zoom users have
// cloud recording (Basic users have none), moved to the Sales team.
func (d *Demo) salesReps(ctx context.Context, orgID int64) ([]salesRep, error) {
	var out []salesRep
	for i, u := range d.Sim.Users() {
		if i == 0 || u.Type != 2 || u.Status != "active" || len(out) == 4 {
			continue // the owner runs the organization, not deals
		}
		p, err := d.Server.Store.PersonByEmail(ctx, orgID, u.Email)
		if err != nil {
			continue // the person whose directory email differs from Zoom's
		}
		if p.Team != "Sales" {
			p.Team = "Sales"
			if err := d.Server.Store.UpdatePerson(ctx, p, d.Sim.Now()); err != nil {
				return nil, err
			}
		}
		out = append(out, salesRep{user: u, person: p})
	}
	return out, nil
}

// salesCall plans one call and registers its CRM activity: every fourth only
// by time (linked by the rep's overlapping activity), every ninth not at all.
func (d *Demo) salesCall(ctx context.Context, orgID int64, deal store.Deal, rep salesRep, at time.Time, n int) error {
	m, err := d.Sim.RecordMeeting(zoomsim.NewRecordedMeeting{HostID: rep.user.ID, Topic: deal.Name + ": call " + strconv.Itoa(n%3+1),
		Start: at, Minutes: 30, Transcript: true, Summary: true})
	if err != nil || n%9 == 8 {
		return err
	}
	act := store.CRMActivity{OrgID: orgID, ExternalID: fmt.Sprintf("ACT-%04d", n+1), DealID: deal.ID, RepPersonID: rep.person.ID,
		Title: "Call with " + strings.SplitN(deal.Name, " ", 2)[0], StartAt: at, EndAt: at.Add(30 * time.Minute)}
	if n%4 != 3 {
		act.ZoomMeetingID = strconv.FormatInt(m.ID, 10)
	}
	_, err = d.Server.Store.UpsertCRMActivity(ctx, act, d.Sim.Now())
	return err
}
