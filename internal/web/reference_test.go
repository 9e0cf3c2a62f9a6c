package web

import (
	"reflect"
	"testing"
)

func TestProseMarksCodeAndStrong(t *testing.T) {
	for in, want := range map[string]text{
		"plain":                        {{Text: "plain"}},
		"send `Idempotency-Key` twice": {{Text: "send "}, {Text: "Idempotency-Key", Code: true}, {Text: " twice"}},
		"**Keys.** Every\nrequest":     {{Text: "Keys.", Strong: true}, {Text: " Every request"}},
		"`a**b`":                       {{Text: "a**b", Code: true}},
		"<script>":                     {{Text: "<script>"}}, // text: the template escapes it
		"":                             nil,
	} {
		if got := proseOf(in); !reflect.DeepEqual(got, want) {
			t.Errorf("proseOf(%q) = %+v, want %+v", in, got, want)
		}
	}
}

// A document the page cannot read is an error at start, not a blank page.
func TestReferenceRefusesABrokenDocument(t *testing.T) {
	for _, doc := range []string{`{"openapi": "3.1.0",`, `{"openapi": "3.1.0", "paths": {}}`, `[1]`} {
		if _, err := readReference([]byte(doc)); err == nil {
			t.Errorf("%s read without an error", doc)
		}
	}
}
