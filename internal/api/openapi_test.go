package api

import (
	"context"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

func loadContract(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openAPIDoc)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	return doc
}

// The document is valid OpenAPI 3.1 (kin-openapi's validator, JSON Schema
// 2020-12 for its schemas).
func TestOpenAPIDocumentIsValid(t *testing.T) {
	t.Parallel()
	doc := loadContract(t)
	if doc.OpenAPI != "3.1.0" || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not valid: %v", err)
	}
}

// Every route served is an operation of the document and every operation is
// a route served, with the conventions each kind of route promises.
func TestOpenAPIRoutesAndOperationsMatch(t *testing.T) {
	t.Parallel()
	doc := loadContract(t)
	served := map[string]bool{}
	for _, rt := range New(nil, nil, nil).routes() {
		served[rt.method+" "+rt.path] = true
		item := doc.Paths.Find(rt.path)
		var op *openapi3.Operation
		if item != nil {
			op = item.GetOperation(rt.method)
		}
		if op == nil {
			t.Errorf("route %s %s is not in openapi.json", rt.method, rt.path)
			continue
		}
		if !rt.public && op.Responses.Status(401) == nil {
			t.Errorf("%s %s needs a key but documents no 401", rt.method, rt.path)
		}
		if rt.public && (op.Security == nil || len(*op.Security) != 0) {
			t.Errorf("%s %s needs no key but the document does not say so (security: [])", rt.method, rt.path)
		}
		if op.Responses.Status(429) == nil {
			t.Errorf("%s %s documents no 429", rt.method, rt.path)
		}
		if rt.method != "GET" && !hasParam(item, op, "header", "Idempotency-Key") {
			t.Errorf("%s %s does not document Idempotency-Key", rt.method, rt.path)
		}
		if strings.HasSuffix(rt.path, "}") && rt.method == "GET" && (op.Responses.Status(404) == nil || op.Responses.Status(304) == nil) {
			t.Errorf("GET %s (one resource) documents no 404 or no 304", rt.path)
		}
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which is not served", method, path)
			}
		}
	}
}

func hasParam(item *openapi3.PathItem, op *openapi3.Operation, in, name string) bool {
	for _, p := range append(slices.Clone(item.Parameters), op.Parameters...) {
		if p.Value != nil && p.Value.In == in && p.Value.Name == name {
			return true
		}
	}
	return false
}

// The schemas name exactly the JSON fields the API writes, require exactly
// the ones always written, and allow nothing else.
func TestOpenAPISchemasMatchJSONTypes(t *testing.T) {
	t.Parallel()
	doc := loadContract(t)
	for name, v := range map[string]any{"Person": Person{}, "Activity": Activity{}, "ZoomUser": ZoomUser{}, "Connection": Connection{},
		"Sync": Sync{}, "Error": Error{}} {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Errorf("schema %s missing", name)
			continue
		}
		schema := ref.Value
		var fields, always []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			field, opts, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			fields = append(fields, field)
			if !strings.Contains(opts, "omitempty") {
				always = append(always, field)
			}
		}
		props := slices.Sorted(func(yield func(string) bool) {
			for p := range schema.Properties {
				if !yield(p) {
					return
				}
			}
		})
		slices.Sort(fields)
		slices.Sort(always)
		required := slices.Sorted(slices.Values(schema.Required))
		if !slices.Equal(fields, props) {
			t.Errorf("%s: JSON fields %v, schema properties %v", name, fields, props)
		}
		if !slices.Equal(always, required) {
			t.Errorf("%s: always written %v, schema requires %v", name, always, required)
		}
		if schema.AdditionalProperties.Has == nil || *schema.AdditionalProperties.Has {
			t.Errorf("%s allows properties it does not describe", name)
		}
	}
	raw := map[string]any{}
	json.Unmarshal(openAPIDoc, &raw)
	if _, ok := raw["webhooks"].(map[string]any)["person.created"]; !ok {
		t.Error("the webhooks section lacks person.created")
	}
}
