package web

import (
	"strings"
	"unicode"
)

// Zoom reports a phone's device as a code with a version, such as
// "MAC_Client(6.0.2.33403)" or "Polycom_VVX450(6.4.3.5018)". People read a
// name: the app's platform, or the desk phone's make and model.

var clientPlatforms = map[string]string{
	"mac": "Mac", "windows": "Windows", "win": "Windows", "linux": "Linux",
	"ios": "iPhone or iPad", "android": "Android", "ipad": "iPad", "iphone": "iPhone",
	"web": "web browser",
}

var phoneMakers = map[string]string{
	"polycom": "Polycom", "poly": "Poly", "yealink": "Yealink", "cisco": "Cisco",
	"grandstream": "Grandstream", "avaya": "Avaya", "audiocodes": "AudioCodes",
}

// deviceName turns Zoom's device code into words; unknown codes are shown
// without their version, never dropped.
func deviceName(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return ""
	}
	base := code
	if i := strings.IndexByte(base, '('); i > 0 {
		base = strings.TrimSpace(base[:i])
	}
	parts := strings.FieldsFunc(base, func(r rune) bool { return r == '_' || r == ' ' || r == '-' })
	if len(parts) == 0 {
		return code
	}
	first := strings.ToLower(parts[0])
	if len(parts) == 2 && strings.EqualFold(parts[1], "client") {
		switch p, ok := clientPlatforms[first]; {
		case first == "ios" || first == "android" || first == "ipad" || first == "iphone":
			return "Zoom mobile (" + p + ")"
		case ok:
			return "Zoom desktop (" + p + ")"
		}
	}
	if maker, ok := phoneMakers[first]; ok {
		model := strings.Join(parts[1:], " ")
		return strings.TrimSpace("Desk phone (" + maker + " " + splitModel(model) + ")")
	}
	return strings.Join(parts, " ")
}

// splitModel spaces a series name from its number: "VVX450" → "VVX 450";
// a one-letter series stays as the maker writes it ("T54W").
func splitModel(m string) string {
	i := strings.IndexFunc(m, unicode.IsDigit)
	if i < 2 || strings.IndexFunc(m[:i], func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
		return m
	}
	return m[:i] + " " + m[i:]
}

// callerName reads Zoom's caller ID: all-caps carrier names become title case
// ("GARCIA MARIA" → "Garcia Maria"); "UNKNOWN" and empty mean no name.
func callerName(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "unknown") || strings.EqualFold(s, "anonymous") {
		return ""
	}
	if strings.ToUpper(s) != s || strings.IndexFunc(s, unicode.IsLetter) < 0 {
		return s // mixed case is how the person spelled it
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		words[i] = titleWord(w)
	}
	return strings.Join(words, " ")
}

// titleWord capitalises after each hyphen or apostrophe too: "o'neil-smith" → "O'Neil-Smith".
func titleWord(w string) string {
	rs := []rune(w)
	up := true
	for i, r := range rs {
		if up && unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
		}
		up = r == '-' || r == '\''
	}
	return string(rs)
}
