package web

import (
	"sort"
	"strings"

	"github.com/zoombridge/zoombridge/internal/store"
)

// teamChoice is the team selector of the Team, Weekly and People pages.
// Teams are compared case-insensitively and shown in their first spelling
// (the earliest person's), so "Engineering" and "engineering" are one team.
type teamChoice struct {
	Selected string   // the team shown, as spelled in Teams; "" for everyone the viewer may see
	Teams    []string // the teams the viewer may pick
	AllLabel string   // "Everyone", or "My team (Engineering)" for a Manager
	Note     string   // why what is shown differs from what was asked for
}

// matches reports whether p belongs to the chosen team.
func (c teamChoice) matches(p store.Person) bool {
	return c.Selected == "" || strings.EqualFold(p.Team, c.Selected)
}

// chooseTeam resolves the requested team against the people of the
// organization (all of them, visible or not, to tell "no such team" from
// "not yours to see").
func chooseTeam(v *viewer, all []store.Person, requested string) teamChoice {
	requested = strings.TrimSpace(requested)
	first := map[string]store.Person{} // lower-case team → its earliest person
	visible := map[string]bool{}
	for _, p := range all {
		key := strings.ToLower(strings.TrimSpace(p.Team))
		if key == "" {
			continue
		}
		if f, ok := first[key]; !ok || p.ID < f.ID {
			first[key] = p
		}
		if p.Active && v.canView(p) {
			visible[key] = true
		}
	}
	c := teamChoice{AllLabel: "Everyone"}
	for key := range visible {
		c.Teams = append(c.Teams, strings.TrimSpace(first[key].Team))
	}
	sort.Slice(c.Teams, func(i, j int) bool { return strings.ToLower(c.Teams[i]) < strings.ToLower(c.Teams[j]) })
	own := ""
	if v.me.Role == store.RoleManager {
		if f, ok := first[strings.ToLower(strings.TrimSpace(v.me.Team))]; ok {
			own = strings.TrimSpace(f.Team)
		}
		c.AllLabel = "My team (" + firstNonEmpty(own, "none") + ")"
	}
	if requested == "" {
		return c
	}
	key := strings.ToLower(requested)
	switch f, exists := first[key]; {
	case visible[key]:
		c.Selected = strings.TrimSpace(f.Team)
	case exists && own != "":
		c.Note = "You see your own team only, " + own + ". " + strings.TrimSpace(f.Team) + " is outside it, so " + own + " is shown."
	case exists:
		c.Note = "You cannot see the team " + strings.TrimSpace(f.Team) + ", so everyone you may see is shown."
	default:
		c.Note = "There is no team named \u201c" + requested + "\u201d, so " + strings.ToLower(c.AllLabel[:1]) + c.AllLabel[1:] + " is shown."
	}
	return c
}
