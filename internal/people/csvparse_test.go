package people

import (
	"strings"
	"testing"
)

func TestParseCSVReportsEveryBadLine(t *testing.T) {
	t.Parallel()
	file := "\xef\xbb\xbfEmail,Name,Team,Access_Level\n" + // 1: BOM, other case, underscore
		"ada@example.com,Ada,Eng,Admin\n" + // 2 good
		"bob@,Bob,Eng,Member\n" + // 3 bad email
		"carol@example.com,Carol,Eng,Boss\n" + // 4 unknown level
		" ADA@example.com ,Ada again,Eng,member\n" + // 5 duplicate of line 2
		"dave@example.com,Dave\n" + // 6 missing team and access level
		",,,\n" + // 7 blank: skipped
		"\"Eve <eve@example.com>\",Eve,Ops,\n" + // 8 a display name is not an email
		"\"frank@example.com\",\"Frank\nSecond line\",Ops,manager\n" + // 9-10 good, quoted newline
		"gus@example.com,Gus,Ops,member,extra\n" + // 11 too many fields
		",NoEmail,Ops,member\n" + // 12 email required
		"hal@example.com,Hal,Ops\"x,member\n" + // 13 malformed quote
		"ivy@example.com,Ivy,Ops,member\n" // 14 good: reading goes on after a malformed line
	rows, bad, fatal := parseCSV(strings.NewReader(file))
	if fatal {
		t.Fatalf("fatal: %+v", bad)
	}
	want := map[int]string{
		3:  "not an email address",
		4:  "unknown access level",
		5:  "duplicate email",
		6:  `missing column "team", "access level"`,
		8:  "not an email address",
		11: "5 fields, the header has 4",
		12: "email is required",
		13: "malformed CSV",
	}
	got := map[int]string{}
	for _, b := range bad {
		got[b.Line] = b.Reason
	}
	for line, reason := range want {
		if !strings.Contains(got[line], reason) {
			t.Errorf("line %d: reason %q, want it to contain %q", line, got[line], reason)
		}
	}
	if len(bad) != len(want) {
		t.Errorf("got %d bad lines, want %d: %+v", len(bad), len(want), bad)
	}
	if !strings.Contains(got[5], "first on line 2") {
		t.Errorf("duplicate does not name the first line: %q", got[5])
	}
	if len(rows) != 3 || rows[0].line != 2 || rows[1].line != 9 || rows[2].line != 14 || rows[1].role != "manager" || rows[0].role != "admin" {
		t.Fatalf("good rows %+v", rows)
	}
}

func TestParseCSVHeaderProblemsAreFatal(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"":                             "header row",
		"email,name,access level\n":    `missing required column "team"`,
		"mail,name,team,role\nx,y,z,w": `missing required column "email"`,
		"email,Email,name,team,role\n": `appears twice`,
	}
	for file, reason := range cases {
		_, bad, fatal := parseCSV(strings.NewReader(file))
		if !fatal || len(bad) == 0 || !strings.Contains(bad[0].Reason, reason) {
			t.Errorf("file %q: fatal=%v bad=%+v, want %q", file, fatal, bad, reason)
		}
	}
}

func TestParseCSVAcceptsRoleHeaderAndAnyColumnOrder(t *testing.T) {
	t.Parallel()
	rows, bad, fatal := parseCSV(strings.NewReader("team,Role,E-mail,name,notes\nSales,EXECUTIVE,x@example.org,X,ignored\n"))
	if fatal || len(bad) != 0 || len(rows) != 1 {
		t.Fatalf("rows %+v bad %+v", rows, bad)
	}
	if r := rows[0]; r.email != "x@example.org" || r.team != "Sales" || r.role != "executive" || r.name != "X" {
		t.Fatalf("row %+v", r)
	}
}

func TestParseCSVRefusesOversizedFile(t *testing.T) {
	t.Parallel()
	big := "email,name,team,access level\n" + strings.Repeat("a", MaxImportBytes)
	_, bad, fatal := parseCSV(strings.NewReader(big))
	if !fatal || !strings.Contains(bad[0].Reason, "larger than") {
		t.Fatalf("fatal=%v %+v", fatal, bad)
	}
}

func TestCheckEmail(t *testing.T) {
	t.Parallel()
	good := []string{"a@example.com", " A.B+c@Sub.Example.co.uk "}
	bad := []string{"", "a", "a@", "@example.com", "a@localhost", "a b@example.com", "Bob <bob@example.com>", "a@example.com.", "a@@example.com"}
	for _, e := range good {
		if _, reason := checkEmail(e); reason != "" {
			t.Errorf("%q refused: %s", e, reason)
		}
	}
	for _, e := range bad {
		if _, reason := checkEmail(e); reason == "" {
			t.Errorf("%q accepted", e)
		}
	}
}
