package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/riverqueue/river"

	"github.com/zoombridge/zoombridge/internal/connect"
	"github.com/zoombridge/zoombridge/internal/store"
	"github.com/zoombridge/zoombridge/internal/testdb"
	"github.com/zoombridge/zoombridge/internal/zoomsim"
)

// teamsSide stands in for the Teams channel: it sends activities to the
// bot's endpoint and is the Bot Connector service the bot answers through.
// It only records; the bot's logic is all production code.
type teamsSide struct {
	t       testing.TB
	srv     *httptest.Server
	mu      sync.Mutex
	users   map[string]teamsUser        // by Teams user id
	members map[string][]string         // conversation → user ids
	posted  map[string][]map[string]any // conversation → activities the bot sent
	dms     map[string]string           // personal conversation id → user id
}

type teamsUser struct{ ID, Name, Email string }

func newTeamsSide(t testing.TB) *teamsSide {
	ts := &teamsSide{t: t, users: map[string]teamsUser{}, members: map[string][]string{}, posted: map[string][]map[string]any{}, dms: map[string]string{}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v3/conversations/{conv}/activities", func(w http.ResponseWriter, r *http.Request) {
		var a map[string]any
		json.NewDecoder(r.Body).Decode(&a)
		ts.mu.Lock()
		conv := r.PathValue("conv")
		ts.posted[conv] = append(ts.posted[conv], a)
		ts.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"id": "act-" + conv})
	})
	mux.HandleFunc("PUT /v3/conversations/{conv}/activities/{id}", func(w http.ResponseWriter, r *http.Request) {
		var a map[string]any
		json.NewDecoder(r.Body).Decode(&a)
		ts.mu.Lock()
		ts.posted[r.PathValue("conv")] = append(ts.posted[r.PathValue("conv")], a)
		ts.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"id": r.PathValue("id")})
	})
	mux.HandleFunc("POST /v3/conversations", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Members []struct{ ID string } `json:"members"`
		}
		json.NewDecoder(r.Body).Decode(&body)
		id := "dm-" + body.Members[0].ID
		ts.mu.Lock()
		ts.dms[id] = body.Members[0].ID
		ts.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]string{"id": id})
	})
	mux.HandleFunc("GET /v3/conversations/{conv}/members/{user}", func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		u, ok := ts.users[r.PathValue("user")]
		ts.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"id": u.ID, "name": u.Name, "email": u.Email, "userPrincipalName": u.Email})
	})
	mux.HandleFunc("GET /v3/conversations/{conv}/pagedmembers", func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		var ms []map[string]string
		for _, id := range ts.members[r.PathValue("conv")] {
			u := ts.users[id]
			ms = append(ms, map[string]string{"id": u.ID, "name": u.Name, "email": u.Email})
		}
		ts.mu.Unlock()
		json.NewEncoder(w).Encode(map[string]any{"members": ms})
	})
	ts.srv = httptest.NewServer(mux)
	t.Cleanup(ts.srv.Close)
	return ts
}

func (ts *teamsSide) addUser(id, name, email string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.users[id] = teamsUser{id, name, email}
}

// say sends a message from user to the bot and returns the cards the bot
// posted to that conversation in answer.
func (ts *teamsSide) say(bot, from, conv, convType, text string, mention bool) []teamsCard {
	ts.mu.Lock()
	before := len(ts.posted[conv])
	u := ts.users[from]
	ts.mu.Unlock()
	a := map[string]any{"type": "message", "id": "in-1", "channelId": "msteams", "serviceUrl": ts.srv.URL,
		"from": map[string]string{"id": u.ID, "name": u.Name}, "recipient": map[string]string{"id": "28:bot", "name": "Zoom"},
		"conversation": map[string]any{"id": conv, "conversationType": convType, "tenantId": "tenant-1"},
		"channelData":  map[string]any{"tenant": map[string]string{"id": "tenant-1"}}, "text": text}
	if mention {
		a["text"] = "<at>Zoom</at> " + text
		a["entities"] = []any{map[string]any{"type": "mention", "text": "<at>Zoom</at>", "mentioned": map[string]string{"id": "28:bot", "name": "Zoom"}}}
	}
	body, _ := json.Marshal(a)
	resp, err := http.Post(bot+"/chat/teams/messages", "application/json", bytes.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		ts.t.Fatalf("bot answered %d to %q", resp.StatusCode, text)
	}
	return ts.cards(conv, before)
}

// cards returns the cards posted to conv after the first skip activities.
func (ts *teamsSide) cards(conv string, skip int) []teamsCard {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	var out []teamsCard
	for _, a := range ts.posted[conv][skip:] {
		out = append(out, cardOf(a))
	}
	return out
}

// teamsCard is a posted Adaptive Card: its code and all its text.
type teamsCard struct {
	Code string
	Text string
}

func cardOf(a map[string]any) teamsCard {
	atts, _ := a["attachments"].([]any)
	if len(atts) == 0 {
		return teamsCard{}
	}
	content := atts[0].(map[string]any)["content"].(map[string]any)
	body := content["body"].([]any)
	code := strings.TrimPrefix(body[0].(map[string]any)["id"].(string), "code-")
	raw, _ := json.Marshal(content)
	return teamsCard{Code: code, Text: string(raw)}
}

// chatWorld is a running zoombridge with the Teams bot on (authentication
// skipped: teamsSide signs nothing), an organization whose people are the
// emulator's users, connected through a Server-to-Server app and backfilled.
type chatWorld struct {
	sim   *zoomsim.Server
	srv   *Server
	org   store.Organization
	teams *teamsSide
}

func startChatWorld(t testing.TB, d store.Dialect) *chatWorld {
	sim, err := zoomsim.Start(zoomsim.Options{Seed: 5, Users: 10, Plan: "business"}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	url := ""
	if d == store.Postgres {
		url = testdb.NewPostgresURL(t)
	}
	cfg := testConfig(t, url)
	cfg.ZoomAPIURL, cfg.ZoomOAuthURL = sim.URL()+"/v2", sim.URL()
	cfg.TeamsAppID, cfg.TeamsInsecureSkipAuth = "bot", true
	srv, err := Open(context.Background(), cfg, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: sim.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	ctx := context.Background()
	org, err := srv.Store.CreateOrganization(ctx, "Acme", "acme", sim.Now())
	if err != nil {
		t.Fatal(err)
	}
	ts := newTeamsSide(t)
	for _, u := range sim.Users() {
		if _, err := srv.Store.CreatePerson(ctx, store.Person{OrgID: org.ID, Email: u.Email, Name: u.FirstName + " " + u.LastName, ZoomEnabled: true, Active: true, Role: store.RoleMember}, sim.Now()); err != nil {
			t.Fatal(err)
		}
		ts.addUser("29:"+u.ID, u.FirstName+" "+u.LastName, u.Email)
	}
	events, cancel := srv.Jobs.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	defer cancel()
	o := sim.Options()
	conn, err := srv.Connect.ConnectS2S(ctx, org.ID, 0, connect.S2SCredentials{AccountID: o.AccountID, ClientID: o.S2SClientID, ClientSecret: o.S2SClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	if p := waitPass(t, srv, events, conn.ID); p.Status != store.PassSucceeded {
		t.Fatalf("backfill %+v", p)
	}
	if err := srv.Store.LinkChatTenant(ctx, org.ID, "teams", "tenant-1", sim.Now()); err != nil {
		t.Fatal(err)
	}
	return &chatWorld{sim: sim, srv: srv, org: org, teams: ts}
}
