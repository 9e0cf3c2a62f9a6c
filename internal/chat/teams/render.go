package teams

import (
	"github.com/zoombridge/zoombridge/internal/chat"
)

// adaptiveCardType is the attachment content type of an Adaptive Card.
const adaptiveCardType = "application/vnd.microsoft.card.adaptive"

// cardActivity renders a core card as a message with one Adaptive Card. The
// title block's id carries the card's code, so programs can tell answers
// apart without reading the words.
func cardActivity(c chat.Card) Activity {
	body := []any{map[string]any{"type": "TextBlock", "id": "code-" + string(c.Code), "text": c.Title, "size": "Medium", "weight": "Bolder", "wrap": true}}
	for _, t := range c.Text {
		body = append(body, map[string]any{"type": "TextBlock", "text": t, "wrap": true})
	}
	if len(c.Facts) > 0 {
		var facts []any
		for _, f := range c.Facts {
			facts = append(facts, map[string]string{"title": f.Name, "value": f.Value})
		}
		body = append(body, map[string]any{"type": "FactSet", "facts": facts})
	}
	for _, it := range c.Items {
		title := it.Title
		if it.URL != "" {
			title = "[" + it.Title + "](" + it.URL + ")"
		}
		body = append(body, map[string]any{"type": "Container", "separator": true, "items": []any{
			map[string]any{"type": "TextBlock", "text": title, "weight": "Bolder", "wrap": true},
			map[string]any{"type": "TextBlock", "text": it.Detail, "isSubtle": true, "spacing": "None", "wrap": true},
		}})
	}
	card := map[string]any{"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": "1.5", "body": body}
	if len(c.Actions) > 0 {
		var acts []any
		for _, a := range c.Actions {
			acts = append(acts, map[string]string{"type": "Action.OpenUrl", "title": a.Title, "url": a.URL})
		}
		card["actions"] = acts
	}
	return Activity{Type: "message", Attachments: []Attachment{{ContentType: adaptiveCardType, Content: card}}}
}
