package webhook

import "bytes"

// A minimal scanner over JSON already known to be valid: it finds top-level
// members by their raw key without decoding anything else. Keys are compared
// as encoding/json matches them (ASCII case-insensitively) but undecoded, so
// an escaped key ("pay\u006coad") is treated as absent.

func firstByte(b []byte) int {
	for i, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return i
		}
	}
	return -1
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return len(b)
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = skipString(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for ; i < len(b); i++ {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
	}
	return i
}

// eachMember calls fn with each top-level member of a JSON object: its raw
// key (quotes included), the span of the whole member and of its value.
// It stops when fn returns false.
func eachMember(b []byte, fn func(key []byte, memberStart, valueStart, valueEnd int) bool) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] == '"' {
		ks := i
		ke := skipString(b, i)
		i = skipSpace(b, ke)
		if i >= len(b) || b[i] != ':' {
			return
		}
		vs := skipSpace(b, i+1)
		ve := skipValue(b, vs)
		if !fn(b[ks:ke], ks, vs, ve) {
			return
		}
		i = skipSpace(b, ve)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i = skipSpace(b, i+1)
	}
}

// member returns the raw value of a top-level member.
func member(b []byte, name string) ([]byte, bool) {
	var out []byte
	found := false
	key := []byte(`"` + name + `"`)
	eachMember(b, func(k []byte, _, vs, ve int) bool {
		if bytes.EqualFold(k, key) {
			out, found = b[vs:ve], true
		}
		return true // the last duplicate wins, as in encoding/json
	})
	return out, found
}
