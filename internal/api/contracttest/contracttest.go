// Package contracttest holds what tests see of the REST API to its OpenAPI
// document (internal/api/openapi.json), with kin-openapi: every answer under
// /api/ a test's client gets, and every outbound event a test's receiver
// gets. Tests only: the binary does not link kin-openapi
// (TestTheBinaryLeavesKinOpenAPIOut).
package contracttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/zoombridge/zoombridge/internal/api"
)

// host stands in for whatever host a test server listens on: the router
// matches operations on it.
const host = "zoombridge.test"

var loaded = sync.OnceValues(func() (*openapi3.T, routers.Router) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		panic("openapi.json does not load: " + err.Error())
	}
	doc.Servers = openapi3.Servers{{URL: "http://" + host}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		panic("openapi.json has no router: " + err.Error())
	}
	return doc, router
})

// Document is the loaded document; callers must not change it.
func Document() *openapi3.T {
	doc, _ := loaded()
	return doc
}

// Check validates one answer against the document: its status is documented
// for the operation, and its headers and body match the schemas (which allow
// no undescribed field). Answers for paths that are no operation (the API's
// JSON 404 and 405) must still be ErrorResponses.
func Check(req *http.Request, status int, header http.Header, body []byte) error {
	doc, router := loaded()
	r := req.Clone(context.Background())
	r.URL.Scheme, r.URL.Host, r.Host = "http", host, host
	route, params, err := router.FindRoute(r)
	if err != nil {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return fmt.Errorf("no operation for %s %s answered %d: %v", req.Method, req.URL.Path, status, err)
		}
		return visit(doc.Components.Schemas["ErrorResponse"], body)
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	})
}

// CheckEvent validates an outbound event's body against the webhooks
// section's payload for its type.
func CheckEvent(body []byte) error {
	var env struct{ Type string }
	if err := json.Unmarshal(body, &env); err != nil {
		return err
	}
	item := Document().Webhooks[env.Type]
	if item == nil || item.Post == nil || item.Post.RequestBody == nil {
		return fmt.Errorf("event type %q is not in the webhooks section", env.Type)
	}
	return visit(item.Post.RequestBody.Value.Content.Get("application/json").Schema, body)
}

// Event fails the test, going on, when an event's body does not match the
// webhooks section.
func Event(t testing.TB, body []byte) {
	t.Helper()
	if err := CheckEvent(body); err != nil {
		t.Errorf("%s does not match openapi.json's webhooks: %v", body, err)
	}
}

func visit(schema *openapi3.SchemaRef, body []byte) error {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err
	}
	return schema.Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
}

// Client is an HTTP client whose answers under /api/ are checked against the
// document: a mismatch fails the test (later, so the caller still sees the
// answer). Other paths pass unchecked.
func Client(t testing.TB) *http.Client {
	return &http.Client{Transport: Transport(t, http.DefaultTransport)}
}

// Transport checks the answers base gets, as Client does.
func Transport(t testing.TB, base http.RoundTripper) http.RoundTripper {
	return checked{t, base}
}

type checked struct {
	t    testing.TB
	base http.RoundTripper
}

func (c checked) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := c.base.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/api/") {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err := Check(req, res.StatusCode, res.Header, body); err != nil {
		c.t.Errorf("%s %s: the answer (%d) does not match openapi.json: %v\n%s", req.Method, req.URL.RequestURI(), res.StatusCode, err, body)
	}
	return res, nil
}
