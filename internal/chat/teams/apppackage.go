package teams

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/url"
)

// AppPackage is the Teams app an admin uploads (Teams admin center, or
// "Upload a custom app"): manifest.json and the two icons, zipped. The
// manifest names the bot by its Microsoft app id.
func AppPackage(appID, publicURL string) ([]byte, error) {
	manifest, err := json.MarshalIndent(appManifest(appID, publicURL), "", "  ")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := []struct {
		name string
		data func() ([]byte, error)
	}{
		{"manifest.json", func() ([]byte, error) { return manifest, nil }},
		{"color.png", func() ([]byte, error) { return icon(192, color.RGBA{0x0B, 0x5C, 0xFF, 0xFF}, color.White) }},
		{"outline.png", func() ([]byte, error) { return icon(32, color.Transparent, color.White) }},
	}
	for _, f := range files {
		data, err := f.data()
		if err != nil {
			return nil, err
		}
		w, err := zw.Create(f.name)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var botCommands = []map[string]string{
	{"title": "schedule", "description": "Schedule a Zoom meeting with everyone here invited (schedule Design review at 15:00 for 45m)"},
	{"title": "share", "description": "Share one of your Zoom meetings here (share 81234567890)"},
	{"title": "upcoming", "description": "Your upcoming Zoom meetings"},
	{"title": "calls", "description": "Your recent Zoom Phone calls"},
	{"title": "voicemails", "description": "Your Zoom Phone voicemails"},
	{"title": "sms", "description": "Your Zoom Phone SMS conversations"},
	{"title": "whiteboards", "description": "Your Zoom Whiteboards; whiteboard share 1 shares one here"},
	{"title": "help", "description": "What the bot can do"},
}

func appManifest(appID, publicURL string) map[string]any {
	host := publicURL
	if u, err := url.Parse(publicURL); err == nil && u.Host != "" {
		host = u.Hostname()
	}
	scopes := []string{"personal", "groupChat", "team"}
	return map[string]any{
		"$schema":         "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json",
		"manifestVersion": "1.17",
		"version":         "1.0.0",
		"id":              appID,
		"developer": map[string]string{"name": "zoombridge", "websiteUrl": publicURL, "privacyUrl": publicURL + "/privacy",
			"termsOfUseUrl": publicURL + "/terms"},
		"name": map[string]string{"short": "Zoom", "full": "Zoom for Teams (zoombridge)"},
		"description": map[string]string{"short": "Schedule and share Zoom meetings from a chat.",
			"full": "Schedule a Zoom meeting from a chat with everyone invited, share meetings, see upcoming meetings, " +
				"your Zoom Phone calls, voicemails and texts, and share Zoom Whiteboards. Served by your organization's zoombridge."},
		"icons":       map[string]string{"color": "color.png", "outline": "outline.png"},
		"accentColor": "#0B5CFF",
		"bots": []any{map[string]any{"botId": appID, "scopes": scopes, "supportsFiles": false, "isNotificationOnly": false,
			"commandLists": []any{map[string]any{"scopes": scopes, "commands": botCommands}}}},
		"permissions":  []string{"identity", "messageTeamMembers"},
		"validDomains": []string{host},
	}
}

// icon draws a filled square of bg with a camera-like mark in fg.
func icon(size int, bg, fg color.Color) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := range size {
		for x := range size {
			c := bg
			bodyX, bodyY := x > size/6 && x < size*5/8, y > size/3 && y < size*2/3
			lens := x >= size*5/8 && x < size*5/6 && y > size*3/8+(size*5/6-x)/4 && y < size*5/8-(size*5/6-x)/4
			if bodyX && bodyY || lens {
				c = fg
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	err := png.Encode(&buf, img)
	return buf.Bytes(), err
}
