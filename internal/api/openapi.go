package api

import (
	"bytes"
	_ "embed"
	"net/http"
)

// openAPIDoc describes every route (X1). Tests hold it to routes() and to the
// JSON types, so it cannot drift from the code.
//
//go:embed openapi.json
var openAPIDoc []byte

// openAPI answers GET /api/v1/openapi.json; it needs no key, so a developer
// can point a generator at it before they have one.
func (a *API) openAPI(w http.ResponseWriter, r *http.Request, _ *call) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPIDoc)
	return nil
}

// OpenAPI is the document (a copy): the admin app renders its reference from
// it, and tests hold answers to it (internal/api/contracttest).
func OpenAPI() []byte { return bytes.Clone(openAPIDoc) }
