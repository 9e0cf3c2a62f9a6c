package zoomsim

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash/fnv"
	"net/url"
	"sort"
	"strconv"
	"time"
)

// pageReq is a list call's paging: page_size, and either a next_page_token
// (resume after a key) or the deprecated page_number.
type pageReq struct {
	size   int
	after  string
	number int
	qhash  uint32
}

const pageTokenTTL = 15 * time.Minute

// page reads paging parameters. Page tokens are keyset cursors: a list that
// changes between calls never repeats or skips the records already paged.
func (c *reqCtx) page(maxSize int) (pageReq, *apiErr) {
	q := c.r.URL.Query()
	p := pageReq{size: 30, number: 1, qhash: queryHash(c.r.URL.Path, q)}
	if v := q.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, errValidation("Invalid field: page_size.")
		}
		p.size = min(max(n, 1), maxSize)
	}
	if v := q.Get("page_number"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return p, errValidation("Invalid field: page_number.")
		}
		p.number = n
	}
	if tok := q.Get("next_page_token"); tok != "" {
		after, ok := c.s.decodePageToken(tok, p.qhash)
		if !ok {
			return p, errBadPageToken()
		}
		p.after = after
	}
	return p, nil
}

// queryHash fingerprints the call a token belongs to: Zoom wants the same
// other parameters on every page.
func queryHash(path string, q url.Values) uint32 {
	h := fnv.New32a()
	h.Write([]byte(path))
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "next_page_token" && k != "page_size" && k != "page_number" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.Write([]byte("\x00" + k + "=" + q[k][0]))
	}
	return h.Sum32()
}

// pageToken is opaque: issue time, query hash and last key, MACed with the
// seed's key so the same seed produces the same tokens.
func (s *Server) pageToken(lastKey string, qhash uint32) string {
	b := binary.BigEndian.AppendUint64(nil, uint64(s.clk.now.Unix()))
	b = binary.BigEndian.AppendUint32(b, qhash)
	b = append(b, lastKey...)
	m := hmac.New(sha256.New, s.auth.key)
	m.Write(b)
	return base64.RawURLEncoding.EncodeToString(append(b, m.Sum(nil)[:9]...))
}

func (s *Server) decodePageToken(tok string, qhash uint32) (string, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(b) < 12+9 {
		return "", false
	}
	body, mac := b[:len(b)-9], b[len(b)-9:]
	m := hmac.New(sha256.New, s.auth.key)
	m.Write(body)
	if !hmac.Equal(mac, m.Sum(nil)[:9]) || binary.BigEndian.Uint32(body[8:12]) != qhash {
		return "", false
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(body[:8])), 0)
	if s.clk.now.Sub(issued) > pageTokenTTL {
		return "", false
	}
	return string(body[12:]), true
}

// pageInfo is the paging part of a list response.
type pageInfo struct {
	next   string
	count  int // page_count
	number int
	size   int
	total  int
}

// paginate cuts one page out of items, which are sorted by key.
func paginate[T any](c *reqCtx, p pageReq, items []T, key func(T) string) ([]T, pageInfo) {
	start := 0
	switch {
	case p.after != "":
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > p.after })
	case p.number > 1:
		start = min((p.number-1)*p.size, len(items))
	}
	end := min(start+p.size, len(items))
	info := pageInfo{total: len(items), size: p.size, number: p.number, count: (len(items) + p.size - 1) / p.size}
	if end < len(items) {
		info.next = c.s.pageToken(key(items[end-1]), p.qhash)
	}
	return items[start:end], info
}

// timeKey sorts by time then ID; desc reverses the time order.
func timeKey(t time.Time, id string, desc bool) string {
	n := t.Unix()
	if desc {
		n = 1<<40 - n
	}
	return strconv.FormatInt(1<<41+n, 10) + "|" + id
}
