package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
)

// writeResource answers with one resource and its ETag (a hash of the JSON
// sent). A GET whose If-None-Match names the current ETag gets 304 and no
// body, so a host product polling a resource pays only for changes.
func writeResource(w http.ResponseWriter, r *http.Request, status int, v any) {
	var body bytes.Buffer
	enc := json.NewEncoder(&body)
	enc.SetIndent("", "  ")
	enc.Encode(v)
	sum := sha256.Sum256(body.Bytes())
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	if r.Method == http.MethodGet {
		h.Set("Cache-Control", "private, no-cache")
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body.Bytes())
}

// etagMatch applies If-None-Match's weak comparison: "*" or any listed tag.
func etagMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// object is a JSON request body read field by field, so an unknown or
// mistyped field is a 400 naming it, and an absent one is told from a blank.
type object map[string]json.RawMessage

func readObject(r *http.Request, known ...string) (object, error) {
	var o object
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&o); err != nil || o == nil || dec.More() {
		return nil, &Error{Status: http.StatusBadRequest, Code: "bad_body", Message: "the body must be one JSON object"}
	}
	for name := range o {
		if !contains(known, name) {
			return nil, badParam(name, "unknown field (known: "+strings.Join(known, ", ")+")")
		}
	}
	return o, nil
}

// str sets *dst to the string field name when present, reporting whether it was.
func (o object) str(name string, dst *string) (bool, error) {
	raw, ok := o[name]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil || string(raw) == "null" {
		return false, badParam(name, "must be a string")
	}
	return true, nil
}

// boolean sets *dst to the boolean field name when present, reporting whether it was.
func (o object) boolean(name string, dst *bool) (bool, error) {
	raw, ok := o[name]
	if !ok {
		return false, nil
	}
	if err := json.Unmarshal(raw, dst); err != nil || string(raw) == "null" {
		return false, badParam(name, "must be true or false")
	}
	return true, nil
}
