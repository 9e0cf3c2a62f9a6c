package server

import "net/http"

// The admin web app (internal/web).

func (s *Server) mountWeb(mux *http.ServeMux) {}
