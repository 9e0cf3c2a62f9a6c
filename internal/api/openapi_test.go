package api

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

type openAPIDocument struct {
	OpenAPI string                                `json:"openapi"`
	Paths   map[string]map[string]json.RawMessage `json:"paths"`
	Comps   struct {
		Schemas map[string]struct {
			Required   []string                   `json:"required"`
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

func loadDoc(t *testing.T) openAPIDocument {
	t.Helper()
	var doc openAPIDocument
	if err := json.Unmarshal(openAPIDoc, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi version %q", doc.OpenAPI)
	}
	return doc
}

// Every route the API mounts is in the document, and the document describes
// nothing the API does not serve.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	served := map[string]bool{}
	for _, rt := range New(nil, nil, nil).routes() {
		key := strings.ToLower(rt.method) + " " + rt.path
		served[key] = true
		op, ok := doc.Paths[rt.path][strings.ToLower(rt.method)]
		if !ok {
			t.Errorf("route %s %s is not in openapi.json", rt.method, rt.path)
			continue
		}
		var o struct {
			Security  *[]any                     `json:"security"`
			Responses map[string]json.RawMessage `json:"responses"`
		}
		json.Unmarshal(op, &o)
		if _, ok := o.Responses["401"]; !rt.public && !ok {
			t.Errorf("%s %s needs a key but documents no 401", rt.method, rt.path)
		}
		if rt.public && (o.Security == nil || len(*o.Security) != 0) {
			t.Errorf("%s %s needs no key but the document does not say so (security: [])", rt.method, rt.path)
		}
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !served[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which is not served", method, path)
			}
		}
	}
}

// The schemas name exactly the JSON fields the API writes, and require exactly
// the ones always written.
func TestOpenAPISchemasMatchJSONTypes(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	for name, v := range map[string]any{"Person": Person{}, "Activity": Activity{}} {
		schema, ok := doc.Comps.Schemas[name]
		if !ok {
			t.Errorf("schema %s missing", name)
			continue
		}
		var fields, always []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag := rt.Field(i).Tag.Get("json")
			field, opts, _ := strings.Cut(tag, ",")
			fields = append(fields, field)
			if !strings.Contains(opts, "omitempty") {
				always = append(always, field)
			}
		}
		var props []string
		for p := range schema.Properties {
			props = append(props, p)
		}
		sort.Strings(fields)
		sort.Strings(props)
		sort.Strings(always)
		required := slices.Sorted(slices.Values(schema.Required))
		if !slices.Equal(fields, props) {
			t.Errorf("%s: JSON fields %v, schema properties %v", name, fields, props)
		}
		if !slices.Equal(always, required) {
			t.Errorf("%s: always written %v, schema requires %v", name, always, required)
		}
	}
}
