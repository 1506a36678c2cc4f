package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/web/view"
)

// CommunityHomeFromMemory loads a community's home page as an anonymous
// reader sees it, once, and returns a handler that renders that page from
// memory on every request, through the same component and compression as
// the real route. The load benchmark measures it as the limit of a page
// without its database work.
func (s *Server) CommunityHomeFromMemory(ctx context.Context, slug string) (http.Handler, error) {
	l := i18n.For(i18n.Default)
	r, err := http.NewRequestWithContext(i18n.WithLocalizer(ctx, l), http.MethodGet, "/communities/"+url.PathEscape(slug), nil)
	if err != nil {
		return nil, err
	}
	r.SetPathValue("slug", slug)
	v := &visit{l: l}
	c, cv, err := s.community(r, v)
	if err != nil {
		return nil, err
	}
	p, err := s.communityHomePage(r, v, c, cv, view.Form{Values: url.Values{}})
	if err != nil {
		return nil, err
	}
	page := view.CommunityHome(p)
	return securityHeaders(compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.render(w, r.WithContext(i18n.WithLocalizer(r.Context(), l)), http.StatusOK, page)
	}))), nil
}
