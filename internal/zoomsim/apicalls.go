package zoomsim

import "strings"

// Counting REST calls lets a test prove a feature made no Zoom call at all.
// (The recordings work counts calls the same way; when both are merged, keep one copy.)

// APICalls counts the /v2 requests answered whose route pattern contains part
// (say "/recordings" or "meeting_summary"), rate-limited and refused ones included.
func (s *Server) APICalls(part string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for p, c := range s.calls {
		if strings.Contains(p, part) {
			n += c
		}
	}
	return n
}

// countCall is called with s.mu held.
func (s *Server) countCall(pattern string) {
	if s.calls == nil {
		s.calls = map[string]int{}
	}
	s.calls[pattern]++
}
