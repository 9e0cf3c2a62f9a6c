package people

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzParseCSV feeds the directory import's parser arbitrary files (R12):
// it never panics, and what it accepts is consistent with what it reports:
// a fatal file yields no rows, every row has an email, lines only grow, and
// no email is accepted twice.
func FuzzParseCSV(f *testing.F) {
	f.Add([]byte(ImportTemplate))
	f.Add([]byte("\xef\xbb\xbfEmail,Name,Team,Role\r\nada@example.com,Ada,,admin\r\n"))
	f.Add([]byte("email,name,team,access level\n\"a@b.c\",\"x\"\"y\",t,Member\nA@B.C,,,\n"))
	f.Add([]byte("email,email,team\n"))
	f.Add([]byte("email,name,team,access level\nnot-an-email,\"unterminated\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, bad, fatal := parseCSV(bytes.NewReader(data))
		if fatal && len(rows) > 0 {
			t.Fatalf("fatal, yet %d rows", len(rows))
		}
		if fatal && len(bad) == 0 {
			t.Fatal("fatal without a reason")
		}
		seen := map[string]bool{}
		last := 1
		for _, r := range rows {
			if strings.TrimSpace(r.email) == "" {
				t.Fatalf("line %d accepted without an email", r.line)
			}
			if r.line <= last {
				t.Fatalf("line %d after line %d", r.line, last)
			}
			last = r.line
			key := strings.ToLower(strings.TrimSpace(r.email))
			if seen[key] {
				t.Fatalf("email %q accepted twice", r.email)
			}
			seen[key] = true
		}
		if len(rows) > MaxImportRows {
			t.Fatalf("%d rows accepted, more than %d", len(rows), MaxImportRows)
		}
		for _, b := range bad {
			if b.Reason == "" {
				t.Fatalf("line %d refused without a reason", b.Line)
			}
		}
	})
}
