package chat

import (
	"context"
	"fmt"

	"github.com/zoombridge/zoombridge/internal/zoom"
)

// Zoom Whiteboards in chat (T4): list the sender's, share one as a link.

func (c *Core) whiteboardURL(id string) string { return c.cfg.ZoomWeb + "/wb/doc/" + id }

// whiteboards lists the sender's latest whiteboards, numbered for "whiteboard share N".
func (c *Core) whiteboards(ctx context.Context, in Incoming) *Card {
	wbs, card := c.listWhiteboards(ctx, in)
	if card != nil {
		return card
	}
	loc := c.orgZone(ctx, in.OrgID)
	out := &Card{Code: CodeWhiteboards, Title: "Your Zoom Whiteboards"}
	for i, w := range wbs {
		out.Items = append(out.Items, Item{Title: fmt.Sprintf("%d. %s", i+1, w.Name), Detail: "changed " + showTime(w.ModifiedAt.Time, loc), URL: c.whiteboardURL(w.ID)})
	}
	if len(out.Items) == 0 {
		out.Text = []string{"No whiteboards."}
	} else {
		out.Text = []string{"Say **whiteboard share 1** to share one here as a link."}
	}
	return out
}

// shareWhiteboard posts a link to one of the sender's whiteboards.
func (c *Core) shareWhiteboard(ctx context.Context, in Incoming, cmd Command) *Card {
	wbs, card := c.listWhiteboards(ctx, in)
	if card != nil {
		return card
	}
	w, ok := pickOne(wbs, cmd.Args[0], func(w zoom.Whiteboard) string { return w.ID })
	if !ok {
		return problem(CodeNotFound, "No such whiteboard", "**whiteboards** lists yours with their numbers.")
	}
	return &Card{Code: CodeWhiteboard, Title: w.Name, Text: []string{in.From.Name + " shared a Zoom Whiteboard."},
		Actions: []Action{{Title: "Open whiteboard", URL: c.whiteboardURL(w.ID)}}}
}

func (c *Core) listWhiteboards(ctx context.Context, in Incoming) ([]zoom.Whiteboard, *Card) {
	a, card := c.access(ctx, in.OrgID, in.From.Email, FeatureWhiteboard)
	if card != nil {
		return nil, card
	}
	owner := a.zu.ZoomUserID
	if a.userRef() == "me" {
		owner = ""
	}
	wbs, err := a.api.Whiteboards(ctx, owner, listSize)
	if err != nil {
		return nil, c.zoomFailed(err)
	}
	return wbs, nil
}
