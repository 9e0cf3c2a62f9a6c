package api

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/zoombridge/zoombridge/internal/booking"
	"github.com/zoombridge/zoombridge/internal/recordings"
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
		switch idem := hasParam(item, op, "header", "Idempotency-Key"); {
		case rt.method != "GET" && !idem:
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
// the ones always written, and allow nothing else; so do the objects nested
// in them.
func TestOpenAPISchemasMatchJSONTypes(t *testing.T) {
	t.Parallel()
	doc := loadContract(t)
	for name, v := range map[string]any{"Person": Person{}, "Activity": Activity{}, "ZoomUser": ZoomUser{}, "Connection": Connection{},
		"Sync": Sync{}, "Error": Error{}, "WebhookEndpoint": WebhookEndpoint{}, "WebhookDelivery": WebhookDelivery{},
		"Deal": Deal{}, "Artifact": recordings.Resource{}, "Booking": booking.View{}, "Meeting": Meeting{}} {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Errorf("schema %s missing", name)
			continue
		}
		matchSchema(t, name, ref.Value, reflect.TypeOf(v))
	}
}

func matchSchema(t *testing.T, name string, schema *openapi3.Schema, rt reflect.Type) {
	t.Helper()
	var fields, always []string
	for i := range rt.NumField() {
		field, opts, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
		fields = append(fields, field)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			always = append(always, field)
		}
		if inner := structOf(rt.Field(i).Type); inner != nil {
			prop := schema.Properties[field]
			if prop != nil && prop.Value.Type.Is("array") {
				prop = prop.Value.Items
			}
			if prop == nil || prop.Value == nil {
				continue // reported below as a field the schema lacks
			}
			matchSchema(t, name+"."+field, prop.Value, inner)
		}
	}
	props := slices.Sorted(maps.Keys(schema.Properties))
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

// structOf is the struct a field holds (through pointers and slices), or
// nil for anything written as a JSON scalar.
func structOf(rt reflect.Type) reflect.Type {
	for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice {
		rt = rt.Elem()
	}
	if rt.Kind() != reflect.Struct || rt == reflect.TypeFor[time.Time]() {
		return nil
	}
	return rt
}
