package zoomsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// downloadToken mints a bearer token good only for recording downloads, like
// download_access_token and the webhook's download_token.
func (a *authState) downloadToken(accountID string, now time.Time, ttl time.Duration) string {
	g := &grant{id: randomID(), kind: "download", clientID: a.opts.ClientID}
	tok := a.mint(g, 2, now, now.Add(ttl))
	a.downloads[tok] = now.Add(ttl)
	return tok
}

// handleDownload serves a download_url: authenticated by an access token or a
// download token (header, or the legacy access_token query parameter), it
// redirects to the file host as Zoom does, so clients must follow redirects.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	s.mu.Lock()
	ref, ok := s.acct.fileByToken[tok]
	ready := ok && !ref.f.readyAt.After(s.clk.now) && s.hostPresent(ref.in.m.hostID) && ref.in.recState == ""
	authed := s.downloadAuthed(r)
	s.mu.Unlock()
	switch {
	case !ready:
		writeAPIErr(w, newAPIErr(404, 3301, "This recording does not exist."))
	case !authed:
		writeAPIErr(w, errInvalidToken())
	default:
		http.Redirect(w, r, "/rec/file/"+tok+"?sig="+s.fileSig(tok), http.StatusFound)
	}
}

func (s *Server) downloadAuthed(r *http.Request) bool {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		tok = r.URL.Query().Get("access_token")
	}
	if exp, ok := s.auth.downloads[tok]; ok {
		return s.clk.now.Before(exp)
	}
	at := s.auth.access[tok]
	return at != nil && !at.g.revoked && s.clk.now.Before(at.expires)
}

func (s *Server) fileSig(tok string) string {
	m := hmac.New(sha256.New, s.auth.key)
	m.Write([]byte("file:" + tok))
	return hex.EncodeToString(m.Sum(nil)[:12])
}

// handleFile is the file host the download redirects to; the signed URL is
// the only credential it needs.
func (s *Server) handleFile(w http.ResponseWriter, r *http.Request) {
	tok := r.PathValue("token")
	if !hmac.Equal([]byte(r.URL.Query().Get("sig")), []byte(s.fileSig(tok))) {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	s.mu.Lock()
	ref, ok := s.acct.fileByToken[tok]
	var body []byte
	if ok {
		body = fileContent(ref)
	}
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", contentType(ref.f.ext))
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", ref.f.id+"."+strings.ToLower(ref.f.ext)))
	w.Write(body) //nolint:errcheck // client went away
}

func (s *Server) handlePlay(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ref, ok := s.acct.fileByToken[r.PathValue("token")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	renderPage(w, http.StatusOK, errorPage, map[string]string{"Message": "Recording of " + ref.in.m.topic + " (" + ref.f.fileType + ")"})
}

func contentType(ext string) string {
	switch ext {
	case "MP4":
		return "video/mp4"
	case "M4A":
		return "audio/mp4"
	case "VTT":
		return "text/vtt; charset=utf-8"
	case "JSON":
		return "application/json"
	}
	return "text/plain; charset=utf-8"
}

// fileContent produces a small stand-in for the file: real text for
// transcripts, chats and summaries, a labelled stub for media.
func fileContent(ref fileRef) []byte {
	in := ref.in
	var b strings.Builder
	switch ref.f.fileType {
	case "TRANSCRIPT":
		b.WriteString("WEBVTT\n")
		t := time.Duration(0)
		for i, p := range in.parts {
			fmt.Fprintf(&b, "\n%d\n%s --> %s\n%s: %s\n", i+1, vttTime(t), vttTime(t+7*time.Second), p.name, pick2(i))
			t += 9 * time.Second
		}
	case "CHAT":
		for i, p := range in.parts {
			fmt.Fprintf(&b, "%s\tFrom %s to Everyone:\t%s\n", vttTime(time.Duration(i) * time.Minute)[:8], p.name, pick2(i))
		}
	case "SUMMARY":
		if in.summary != nil {
			b.Write(compactJSON(map[string]any{"summary_title": in.summary.title, "summary_overview": in.summary.overview, "next_steps": in.summary.nextSteps}))
		}
	default:
		fmt.Fprintf(&b, "zoomsim %s recording of meeting %d (%s), %d bytes in Zoom\n", ref.f.fileType, in.m.id, in.uuid, ref.f.size)
	}
	return []byte(b.String())
}

func vttTime(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d:%02d.000", int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60)
}

func pick2(i int) string {
	lines := []string{"Thanks everyone for joining.", "Let's go through the agenda.", "I have an update on that.",
		"Sounds good to me.", "Can we follow up next week?", "I'll share my screen."}
	return lines[i%len(lines)]
}
