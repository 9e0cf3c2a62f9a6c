package people

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

// Limits on an imported file, so one upload cannot hold the single SQLite
// writer for long or fill the report page.
const (
	MaxImportBytes = 4 << 20
	MaxImportRows  = 20000
)

// ImportColumns are the columns a directory file must have, in the order the
// template shows them. Headers match case-insensitively, with _ or - for the
// space, in any order; "role" is accepted for "access level". Other columns
// are ignored.
var ImportColumns = []string{"email", "name", "team", "access level"}

// ImportTemplate is a file people can download and fill in.
const ImportTemplate = "email,name,team,access level\nada@example.com,Ada Lovelace,Engineering,Admin\ngrace@example.com,Grace Hopper,Engineering,Member\n"

// RowError is one bad line of an imported file.
type RowError struct {
	Line   int    // 1 is the header; 0 for the file as a whole
	Email  string // as written, when the line has one
	Reason string
}

// ImportError reports every bad line of a file, in line order; nothing of
// that file was imported.
type ImportError struct {
	Rows []RowError
}

func (e *ImportError) Error() string {
	if len(e.Rows) == 0 {
		return "import failed"
	}
	first := e.Rows[0]
	return fmt.Sprintf("%d bad line(s), nothing imported; line %d: %s", len(e.Rows), first.Line, first.Reason)
}

// importRow is one good line. A blank name, team or access level keeps what
// is stored for an existing person (a new one gets blank, blank and Member),
// so re-importing a partial export never erases anything.
type importRow struct {
	line                    int
	email, name, team, role string
}

// parseCSV reads a directory file and checks everything that needs no
// database: the header, emails, access levels, duplicates within the file.
// A problem with the file or its header is fatal: no line can be read.
// Otherwise every bad line is reported.
func parseCSV(r io.Reader) (rows []importRow, bad []RowError, fatal bool) {
	data, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, []RowError{{Reason: "cannot read the file"}}, true
	}
	if len(data) > MaxImportBytes {
		return nil, []RowError{{Reason: fmt.Sprintf("the file is larger than %d MiB", MaxImportBytes>>20)}}, true
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // spreadsheets write a BOM
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, []RowError{{Reason: "the file is empty: a header row (" + strings.Join(ImportColumns, ", ") + ") is required"}}, true
		}
		return nil, []RowError{{Line: 1, Reason: csvReason(err)}}, true
	}
	cols, bad := headerColumns(header)
	if len(bad) > 0 {
		return nil, bad, true
	}
	return parseRows(cr, cols, len(header))
}

// headerColumns finds each required column's index.
func headerColumns(header []string) (map[string]int, []RowError) {
	cols := map[string]int{}
	var bad []RowError
	for i, h := range header {
		name := normHeader(h)
		if name == "" {
			continue
		}
		if _, dup := cols[name]; dup {
			bad = append(bad, RowError{Line: 1, Reason: "column " + quote(name) + " appears twice"})
		}
		cols[name] = i
	}
	for _, c := range ImportColumns {
		if _, ok := cols[c]; !ok {
			bad = append(bad, RowError{Line: 1, Reason: "missing required column " + quote(c) + " (the header must name " + strings.Join(ImportColumns, ", ") + ")"})
		}
	}
	return cols, bad
}

func normHeader(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.Join(strings.Fields(strings.NewReplacer("_", " ", "-", " ").Replace(h)), " ")
	switch h {
	case "role", "access", "accesslevel", "access levels":
		return "access level"
	case "e mail", "email address":
		return "email"
	}
	return h
}

func parseRows(cr *csv.Reader, cols map[string]int, width int) (rows []importRow, bad []RowError, fatal bool) {
	firstLine := map[string]int{}
	for n := 0; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if n >= MaxImportRows {
			return nil, []RowError{{Reason: fmt.Sprintf("more than %d rows: split the file", MaxImportRows)}}, true
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			bad = append(bad, RowError{Line: pe.StartLine, Reason: csvReason(err)})
			continue
		} else if err != nil {
			return nil, []RowError{{Reason: "cannot read the file"}}, true
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue // spreadsheets export trailing empty rows
		}
		row, reason := rowOf(rec, cols, width)
		row.line = line
		if reason == "" {
			key := store.NormEmail(row.email)
			if first, dup := firstLine[key]; dup {
				reason = fmt.Sprintf("duplicate email %s (first on line %d)", quote(row.email), first)
			} else {
				firstLine[key] = line
			}
		}
		if reason != "" {
			bad = append(bad, RowError{Line: line, Email: row.email, Reason: reason})
			continue
		}
		rows = append(rows, row)
	}
	return rows, bad, false
}

// rowOf reads one record; reason is why it is bad, or "".
func rowOf(rec []string, cols map[string]int, width int) (importRow, string) {
	cell := func(c string) (string, bool) {
		i := cols[c]
		if i >= len(rec) {
			return "", false
		}
		return strings.TrimSpace(rec[i]), true
	}
	var row importRow
	var missing []string
	vals := make(map[string]string, len(ImportColumns))
	for _, c := range ImportColumns {
		v, ok := cell(c)
		if !ok {
			missing = append(missing, quote(c))
		}
		vals[c] = v
	}
	row.email, row.name, row.team = vals["email"], vals["name"], vals["team"]
	if len(missing) > 0 {
		return row, "missing column " + strings.Join(missing, ", ") + fmt.Sprintf(" (%d fields, the header has %d)", len(rec), width)
	}
	if len(rec) > width && !blank(rec[width:]) {
		return row, fmt.Sprintf("%d fields, the header has %d", len(rec), width)
	}
	email, reason := checkEmail(row.email)
	if reason != "" {
		return row, reason
	}
	row.email = email
	if lvl := vals["access level"]; lvl != "" {
		role, ok := ParseRole(lvl)
		if !ok {
			return row, unknownRole(lvl)
		}
		row.role = role
	}
	if len(row.name) > maxText || len(row.team) > maxText {
		return row, fmt.Sprintf("name or team longer than %d characters", maxText)
	}
	return row, ""
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func csvReason(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return "malformed CSV: " + pe.Err.Error()
	}
	return "malformed CSV"
}

// report puts bad lines in line order.
func report(bad []RowError) *ImportError {
	sort.SliceStable(bad, func(i, j int) bool { return bad[i].Line < bad[j].Line })
	return &ImportError{Rows: bad}
}
