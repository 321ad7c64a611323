package api

import (
	"net/http"
	"slices"

	"github.com/yingji/yingji/server/internal/pages"
)

// withPages puts the duty-room pages (package pages) in front of the API's
// answer to every path no route has: the pages serve theirs (/, /board,
// /roster, /incident/…, /print/…, /ui/…, /static/…) and hand the rest back
// to apiFallback (404 and 405 in the API's error shape). The pages read
// incidents through this server's own handler, authenticated as the
// caller, and use its clock.
func (s *Server) withPages(apiFallback http.Handler) http.Handler {
	p, err := pages.New(pages.Config{
		API:             http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }),
		Plans:           s.plans,
		Now:             s.now,
		Authenticate:    s.pageCaller,
		Unauthenticated: s.tokens == nil,
		Fallback:        apiFallback,
		Logger:          s.log,
	})
	if err != nil {
		// The templates are embedded and parsed by the pages' tests; a
		// failure here is a broken build, not a runtime condition.
		panic(err)
	}
	return p
}

// pageCaller authenticates a page's data request as the API would.
func (s *Server) pageCaller(r *http.Request) (pages.Caller, error) {
	p, ae := s.tokens.authenticate(r)
	if ae != nil {
		return pages.Caller{}, &pages.AuthError{Status: ae.status, Code: ae.code, Message: ae.msg}
	}
	c := pages.Caller{Name: p.Name, ReadOnly: p.ReadOnly}
	if !p.Actors["*"] {
		c.Actors = []string{}
		for a := range p.Actors {
			c.Actors = append(c.Actors, a)
		}
		slices.Sort(c.Actors)
	}
	return c, nil
}
