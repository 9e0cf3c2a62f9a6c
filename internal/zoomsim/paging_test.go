package zoomsim

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// listPage is the generic shape of a Zoom list response.
type listPage struct {
	NextPageToken string `json:"next_page_token"`
	TotalRecords  int    `json:"total_records"`
	items         []map[string]any
}

func decodeList(t *testing.T, b []byte) listPage {
	t.Helper()
	var raw map[string]json.RawMessage
	mustJSON(t, b, &raw)
	var p listPage
	mustJSON(t, b, &p)
	for _, k := range []string{"users", "meetings", "webinars", "call_logs", "participants"} {
		if v, ok := raw[k]; ok {
			mustJSON(t, v, &p.items)
		}
	}
	return p
}

func itemKey(it map[string]any) string {
	for _, k := range []string{"uuid", "id", "user_id"} {
		if v, ok := it[k]; ok {
			return fmt.Sprint(v)
		}
	}
	return ""
}

// pageAll walks a list with page_size=size and returns keys in order and
// the total_records of each page.
func pageAll(t *testing.T, s *Server, token, path string, size int) ([]string, []int) {
	t.Helper()
	var keys []string
	var totals []int
	next := ""
	for range 1000 {
		u := path + sep(path) + "page_size=" + fmt.Sprint(size)
		if next != "" {
			u += "&next_page_token=" + url.QueryEscape(next)
		}
		p := decodeList(t, get(t, s, token, u, nil))
		for _, it := range p.items {
			keys = append(keys, itemKey(it))
		}
		totals = append(totals, p.TotalRecords)
		if next = p.NextPageToken; next == "" {
			return keys, totals
		}
	}
	t.Fatalf("%s: paging did not end", path)
	return nil, nil
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

func TestPagingReturnsEveryRecordOnce(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 7, Users: 14, Plan: "business", NoRateLimits: true})
	tok := s2sToken(t, s)
	host := busiestHost(s)
	phone := userWith(t, s, func(u User) bool { return u.PhoneLicence })
	web := ""
	for _, w := range s.Truth().Webinars {
		web = w.HostID
	}
	now := s.Now()
	from, to := now.AddDate(0, 0, -30).Format("2006-01-02"), now.Format("2006-01-02")
	meeting := s.Truth().Meetings[len(s.Truth().Meetings)-1]
	paths := []string{
		"/v2/users",
		"/v2/phone/users",
		"/v2/users/" + host + "/meetings",
		"/v2/users/" + host + "/meetings?type=previous_meetings",
		"/v2/users/" + host + "/meetings?type=upcoming",
		"/v2/report/users/" + host + "/meetings?from=" + from + "&to=" + to,
		"/v2/report/users/" + host + "/meetings?type=pastJoined&from=" + from + "&to=" + to,
		"/v2/users/" + host + "/recordings?from=" + from + "&to=" + to,
		"/v2/phone/users/" + phone.ID + "/call_history?from=" + from + "&to=" + to,
		"/v2/phone/users/" + phone.ID + "/call_logs?from=" + from + "&to=" + to,
		"/v2/past_meetings/" + url.PathEscape(url.PathEscape(meeting.UUID)) + "/participants",
	}
	if web != "" {
		paths = append(paths, "/v2/users/"+web+"/webinars")
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			all, _ := pageAll(t, s, tok, path, 300)
			keys, totals := pageAll(t, s, tok, path, 5)
			seen := map[string]bool{}
			for _, k := range keys {
				if seen[k] {
					t.Fatalf("%s returned twice", k)
				}
				seen[k] = true
			}
			for _, n := range totals {
				if n != len(keys) {
					t.Fatalf("total_records %d, paged %d records", n, len(keys))
				}
			}
			if strings.Join(keys, ",") != strings.Join(all, ",") {
				t.Fatalf("page_size=5 gave %d records, one page gave %d", len(keys), len(all))
			}
			if len(keys) < 6 && !strings.Contains(path, "webinars") && !strings.Contains(path, "participants") && !strings.Contains(path, "upcoming") && path != "/v2/phone/users" {
				t.Errorf("only %d records: the scenario should be rich enough to need several pages", len(keys))
			}
		})
	}
}

func TestPageTokenExpiresAfterFifteenSimMinutes(t *testing.T) {
	t.Parallel()
	s := startSim(t, Options{Seed: 3})
	tok := s2sToken(t, s)
	p := decodeList(t, get(t, s, tok, "/v2/users?page_size=2", nil))
	if p.NextPageToken == "" {
		t.Fatal("expected a next page")
	}
	next := "/v2/users?page_size=2&next_page_token=" + url.QueryEscape(p.NextPageToken)
	get(t, s, tok, next, nil)
	status, _, b := call(t, s, tok, "GET", "/v2/users?page_size=2&status=inactive&next_page_token="+url.QueryEscape(p.NextPageToken), nil)
	wantZoomError(t, status, b, 400, 300) // a token belongs to its query
	s.Advance(16 * time.Minute)
	status, _, b = call(t, s, tok, "GET", next, nil)
	wantZoomError(t, status, b, 400, 300)
}
