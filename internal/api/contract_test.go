package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
)

// contractHost stands in for whatever host a test server listens on: the
// router matches operations on it.
const contractHost = "http://zoombridge.test"

var contract = sync.OnceValues(func() (*openapi3.T, routers.Router) {
	data, err := os.ReadFile("openapi.json")
	if err != nil {
		panic(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		panic(err)
	}
	doc.Servers = openapi3.Servers{{URL: contractHost}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		panic(err)
	}
	return doc, router
})

// checkAnswer validates one answer against openapi.json: its status is
// documented for the operation, and its headers and body match the schemas
// (which allow no undescribed field). Answers for paths that are no
// operation (the API's JSON 404 and 405) must still be ErrorResponses.
func checkAnswer(req *http.Request, status int, header http.Header, body []byte) error {
	doc, router := contract()
	r := req.Clone(context.Background())
	r.URL.Scheme, r.URL.Host, r.Host = "http", "zoombridge.test", "zoombridge.test"
	route, params, err := router.FindRoute(r)
	if err != nil {
		if status != http.StatusNotFound && status != http.StatusMethodNotAllowed {
			return fmt.Errorf("no operation for %s %s answered %d: %v", req.Method, req.URL.Path, status, err)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return err
		}
		return doc.Components.Schemas["ErrorResponse"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
	}
	in := &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route}
	return openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header, Body: io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	})
}

// checked is the API tests' HTTP transport: every answer a test sees is
// validated against the document, and a mismatch fails the test.
type checked struct{ t testing.TB }

func (c checked) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if err := checkAnswer(req, res.StatusCode, res.Header, body); err != nil {
		c.t.Errorf("%s %s: the answer (%d) does not match openapi.json: %v\n%s", req.Method, req.URL.RequestURI(), res.StatusCode, err, body)
	}
	return res, nil
}

// client is an HTTP client whose answers are checked against the contract.
func client(t testing.TB) *http.Client { return &http.Client{Transport: checked{t}} }

// The check is real: a person with one field the document does not describe
// fails it, while the same answer without the field passes.
func TestContractRefusesAnUndescribedField(t *testing.T) {
	t.Parallel()
	person := map[string]any{"id": 1, "email": "ada@example.com", "name": "Ada", "team": "Eng", "access_level": "admin",
		"zoom_enabled": true, "active": true, "zoom_user_ids": []string{"zu-1"}, "created_at": "2026-11-02T09:00:00Z", "updated_at": "2026-11-02T09:00:00Z"}
	header := http.Header{"Content-Type": {"application/json; charset=utf-8"}, "Etag": {`"abc"`},
		"Ratelimit-Limit": {"600"}, "Ratelimit-Remaining": {"599"}, "Ratelimit-Reset": {"1"}}
	req, _ := http.NewRequest("GET", "http://127.0.0.1:1/api/v1/people/1", nil)
	good, _ := json.Marshal(person)
	if err := checkAnswer(req, 200, header, good); err != nil {
		t.Fatalf("a described person fails the check: %v", err)
	}
	person["password_hash"] = "x"
	bad, _ := json.Marshal(person)
	if err := checkAnswer(req, 200, header, bad); err == nil {
		t.Fatal("a person with an undescribed field passes the check")
	}
	if err := checkAnswer(req, 418, header, good); err == nil {
		t.Fatal("an undocumented status passes the check")
	}
	header.Del("Ratelimit-Remaining")
	if err := checkAnswer(req, 200, header, good); err == nil {
		t.Fatal("an answer without RateLimit-Remaining passes the check")
	}
}
