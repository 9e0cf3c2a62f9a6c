package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// The API reference (/developers/api, Owner and Admin): the OpenAPI document
// (internal/api/openapi.json) rendered on the server, read once when the app
// is built with encoding/json, so the binary carries no OpenAPI library and a
// document the page cannot read stops the start like a broken template.

type reference struct {
	Title, Version string
	Intro          []text // info.description, by paragraph
	Tags           []refTag
	Events         []refEvent
	Schemas        []refSchema
	Operations     int
}

type refTag struct {
	Name        string
	Description text
	Ops         []refOp
}

// refOp is one operation: what a client sends and what it gets back.
type refOp struct {
	Method, Path, ID, Summary string
	Description               text
	Public                    bool // needs no API key
	Params                    []refParam
	Body                      *refType // the request body, its fields shown
	Responses                 []refResponse
}

type refParam struct {
	Name, In    string
	Required    bool
	Type        refType
	Description text
}

type refResponse struct {
	Status      string
	Description text
	Body        *refType // nil without a body
}

// refEvent is a webhooks entry: an event type and its payload.
type refEvent struct {
	Type    string
	Summary string
	Payload refType
}

type refSchema struct {
	Name        string
	Description text
	Type        refType
}

// refType is a schema as the page shows it: a schema of the components is a
// link by name (with its fields when expanded); an inline one is its type,
// its values, and for an object its fields.
type refType struct {
	Ref    string // the component's name, linked
	Name   string // "string", "integer (int64)", "object"...
	Null   bool
	Enum   []string
	Items  *refType // an array's
	Fields []refField
}

type refField struct {
	Name        string
	Required    bool
	Type        refType
	Description text
}

// text is a description with its `code` and **strong** parts marked.
type text []span

type span struct {
	Text         string
	Code, Strong bool
}

var methods = []string{"get", "put", "post", "patch", "delete"}

// readReference builds the reference from the document.
func readReference(doc []byte) (*reference, error) {
	root, err := parseNode(doc)
	if err != nil {
		return nil, fmt.Errorf("web: the OpenAPI document: %w", err)
	}
	d := docReader{root}
	ref := &reference{Title: root.get("info", "title").str(), Version: root.get("info", "version").str()}
	for _, p := range strings.Split(root.get("info", "description").str(), "\n\n") {
		ref.Intro = append(ref.Intro, proseOf(p))
	}
	tags := map[string]int{}
	for _, t := range root.get("tags").items() {
		tags[t.get("name").str()] = len(ref.Tags)
		ref.Tags = append(ref.Tags, refTag{Name: t.get("name").str(), Description: proseOf(t.get("description").str())})
	}
	paths := root.get("paths")
	if paths == nil || len(paths.keys) == 0 {
		return nil, fmt.Errorf("web: the OpenAPI document has no paths")
	}
	for _, path := range paths.keys {
		item := paths.obj[path]
		for _, m := range methods {
			op := item.get(m)
			if op == nil {
				continue
			}
			tag := op.get("tags").strs()
			if len(tag) == 0 {
				tag = []string{"other"}
			}
			i, ok := tags[tag[0]]
			if !ok {
				i, tags[tag[0]] = len(ref.Tags), len(ref.Tags)
				ref.Tags = append(ref.Tags, refTag{Name: tag[0]})
			}
			ref.Tags[i].Ops = append(ref.Tags[i].Ops, d.operation(strings.ToUpper(m), path, item, op))
			ref.Operations++
		}
	}
	if hooks := root.get("webhooks"); hooks != nil {
		for _, name := range hooks.keys {
			post := hooks.obj[name].get("post")
			ref.Events = append(ref.Events, refEvent{Type: name, Summary: post.get("summary").str(),
				Payload: d.typeOf(post.get("requestBody", "content", "application/json", "schema"), 2)})
		}
	}
	if schemas := root.get("components", "schemas"); schemas != nil {
		for _, name := range schemas.keys {
			s := schemas.obj[name]
			ref.Schemas = append(ref.Schemas, refSchema{Name: name, Description: proseOf(s.get("description").str()), Type: d.typeOf(s, 0)})
		}
	}
	return ref, nil
}

// docReader resolves the document's local $refs.
type docReader struct{ root *node }

// resolve follows a "#/..." $ref, or returns n itself.
func (d docReader) resolve(n *node) *node {
	ref := n.get("$ref").str()
	if !strings.HasPrefix(ref, "#/") {
		return n
	}
	return d.root.get(strings.Split(ref[2:], "/")...)
}

func (d docReader) operation(method, path string, item, op *node) refOp {
	o := refOp{Method: method, Path: path, ID: op.get("operationId").str(), Summary: op.get("summary").str(),
		Description: proseOf(op.get("description").str())}
	if sec := op.get("security"); sec != nil && len(sec.arr) == 0 {
		o.Public = true
	}
	for _, ps := range []*node{item.get("parameters"), op.get("parameters")} {
		for _, p := range ps.items() {
			p = d.resolve(p)
			o.Params = append(o.Params, refParam{Name: p.get("name").str(), In: p.get("in").str(), Required: p.get("required").str() == "true",
				Type: d.typeOf(p.get("schema"), 0), Description: proseOf(p.get("description").str())})
		}
	}
	if body := d.resolve(op.get("requestBody")).get("content", "application/json", "schema"); body != nil {
		t := d.typeOf(body, 1)
		o.Body = &t
	}
	if rs := op.get("responses"); rs != nil {
		for _, status := range rs.keys {
			r := d.resolve(rs.obj[status])
			resp := refResponse{Status: status, Description: proseOf(r.get("description").str())}
			if body := r.get("content", "application/json", "schema"); body != nil {
				t := d.typeOf(body, 0)
				resp.Body = &t
			}
			o.Responses = append(o.Responses, resp)
		}
	}
	return o
}

// typeOf shows a schema. Up to depth referenced schemas are shown with their
// fields too: an event's payload with its data, a request body's fields.
func (d docReader) typeOf(s *node, depth int) refType {
	if s == nil {
		return refType{Name: "any"}
	}
	if ref := s.get("$ref").str(); ref != "" {
		t := refType{Ref: ref[strings.LastIndex(ref, "/")+1:]}
		if depth > 0 {
			t.Fields = d.typeOf(d.resolve(s), depth-1).Fields
		}
		return t
	}
	var t refType
	for _, name := range s.get("type").strs() {
		if name == "null" {
			t.Null = true
		} else if t.Name == "" {
			t.Name = name
		}
	}
	if f := s.get("format").str(); f != "" {
		t.Name += " (" + f + ")"
	}
	t.Enum = s.get("enum").strs()
	if items := s.get("items"); items != nil {
		it := d.typeOf(items, depth)
		t.Items = &it
	}
	required := s.get("required").strs()
	if props := s.get("properties"); props != nil {
		for _, name := range props.keys {
			p := props.obj[name]
			t.Fields = append(t.Fields, refField{Name: name, Required: slices.Contains(required, name), Type: d.typeOf(p, depth),
				Description: proseOf(p.get("description").str())})
		}
	}
	if t.Name == "" {
		t.Name = "any"
	}
	return t
}

// proseOf marks the `code` and **strong** parts of a description (the
// Markdown the document uses); everything else stays text for the template
// to escape.
func proseOf(s string) text {
	var out text
	for i, part := range strings.Split(strings.ReplaceAll(s, "\n", " "), "`") {
		if i%2 == 1 {
			out = append(out, span{Text: part, Code: true})
			continue
		}
		for j, p := range strings.Split(part, "**") {
			if p != "" {
				out = append(out, span{Text: p, Strong: j%2 == 1})
			}
		}
	}
	return out
}

func (a *App) apiReference(w http.ResponseWriter, r *http.Request, v *viewer) error {
	a.render(w, r, v, http.StatusOK, "developers_api", page{Title: "API reference", Section: "developers", Data: a.reference})
	return nil
}
