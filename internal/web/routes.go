package web

import "net/http"

// routes lists every page. The wrapper says who may use the route: page
// (anyone), member (logged in) or admin (site administrators).
func (s *Server) routes(mux *http.ServeMux) {
	mux.Handle("GET /static/", s.static)

	mux.Handle("GET /{$}", s.page(s.home))
	mux.Handle("POST /language", s.page(s.setLanguage))

	mux.Handle("GET /register", s.page(s.registerForm))
	mux.Handle("POST /register", s.page(s.register))
	mux.Handle("GET /register/sent", s.page(s.registerSent))
	mux.Handle("GET /verify", s.page(s.verify))
	mux.Handle("POST /verify/resend", s.page(s.resendVerification))
	mux.Handle("GET /login", s.page(s.loginForm))
	mux.Handle("POST /login", s.page(s.login))
	mux.Handle("POST /logout", s.page(s.logout))
	mux.Handle("GET /password/forgot", s.page(s.forgotForm))
	mux.Handle("POST /password/forgot", s.page(s.forgot))
	mux.Handle("GET /password/reset", s.page(s.resetForm))
	mux.Handle("POST /password/reset", s.page(s.reset))

	mux.Handle("GET /settings", http.RedirectHandler("/settings/profile", http.StatusSeeOther))
	mux.Handle("GET /settings/profile", s.member(s.profileForm))
	mux.Handle("POST /settings/profile", s.member(s.saveProfile))
	mux.Handle("GET /settings/account", s.member(s.accountSettings))
	mux.Handle("POST /settings/email", s.member(s.changeEmail))
	mux.Handle("GET /settings/email/confirm", s.page(s.confirmEmail))
	mux.Handle("POST /settings/password", s.member(s.changePassword))
	mux.Handle("GET /settings/tokens", s.member(s.tokens))
	mux.Handle("POST /settings/tokens", s.member(s.createToken))
	mux.Handle("POST /settings/tokens/{id}/revoke", s.member(s.revokeToken))

	mux.Handle("GET /members/{id}", s.page(s.memberProfile))

	mux.Handle("GET /admin", s.admin(s.adminIndex))
	mux.Handle("GET /admin/outbox", s.admin(s.outbox))
	mux.Handle("GET /admin/outbox/{id}", s.admin(s.outboxMessage))

	mux.Handle("/", s.page(s.notFound))
}
