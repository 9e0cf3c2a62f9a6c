package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// node is a JSON value that keeps its object keys in document order: the
// reference lists tags, fields and responses as the OpenAPI document's
// authors ordered them.
type node struct {
	keys []string
	obj  map[string]*node
	arr  []*node
	val  any // string, float64, bool or nil
}

func parseNode(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return decodeNode(dec)
}

func decodeNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &node{obj: map[string]*node{}}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, k.(string))
			n.obj[k.(string)] = v
		}
		_, err := dec.Token() // '}'
		return n, err
	case json.Delim('['):
		n := &node{arr: []*node{}}
		for dec.More() {
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.arr = append(n.arr, v)
		}
		_, err := dec.Token() // ']'
		return n, err
	case json.Delim('}'), json.Delim(']'):
		return nil, errors.New("unexpected " + fmt.Sprint(tok))
	}
	return &node{val: tok}, nil
}

// get follows object keys; a missing one gives nil, which every accessor takes.
func (n *node) get(keys ...string) *node {
	for _, k := range keys {
		if n == nil || n.obj == nil {
			return nil
		}
		n = n.obj[k]
	}
	return n
}

// items are an array's values; nil for anything else.
func (n *node) items() []*node {
	if n == nil {
		return nil
	}
	return n.arr
}

// str is the node as text: a string, a number or a bool; "" otherwise.
func (n *node) str() string {
	if n == nil {
		return ""
	}
	switch v := n.val.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return fmt.Sprint(v)
	}
	return ""
}

// strs is an array of texts (or one text, as "type" may be).
func (n *node) strs() []string {
	if n == nil {
		return nil
	}
	if n.arr == nil {
		if s := n.str(); s != "" {
			return []string{s}
		}
		return nil
	}
	out := make([]string, 0, len(n.arr))
	for _, v := range n.arr {
		out = append(out, v.str())
	}
	return out
}
