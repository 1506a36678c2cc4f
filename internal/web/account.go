package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/web/view"
)

func (s *Server) registerForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	if v.user != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	f, _ := formFrom(r, v.l, nil)
	s.render(w, r, http.StatusOK, view.Register(view.RegisterPage{Page: s.pageFor(r, v), Form: f, Countries: view.CountryOptions(v.l.Lang())}))
	return nil
}

func (s *Server) register(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	in := account.NewUser{
		Email:    r.PostForm.Get("email"),
		Password: r.PostForm.Get("password"),
		Profile:  account.Profile{Name: r.PostForm.Get("name"), Country: r.PostForm.Get("country"), Language: v.l.Lang()},
	}
	_, err := s.accounts.Register(r.Context(), in, v.l.Lang())
	if err == nil {
		redirect(w, r, "/register/sent", "")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.Register(view.RegisterPage{Page: s.pageFor(r, v), Form: f, Countries: view.CountryOptions(v.l.Lang())}))
	return nil
}

func (s *Server) registerSent(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, r, http.StatusOK, view.Message(view.MessagePage{
		Page:  s.pageFor(r, v),
		Title: v.l.T("register.sent_title"),
		Body:  []string{v.l.T("register.sent_text"), v.l.T("register.sent_spam")},
	}))
	return nil
}

func (s *Server) verify(w http.ResponseWriter, r *http.Request, v *visit) error {
	_, err := s.accounts.VerifyEmail(r.Context(), r.URL.Query().Get("token"))
	p := view.MessagePage{Page: s.pageFor(r, v)}
	status := http.StatusOK
	switch {
	case err == nil:
		p.Title, p.Body = v.l.T("verify.done_title"), []string{v.l.T("verify.done_text")}
		p.LinkURL, p.LinkText = "/login", v.l.T("nav.login")
		if v.user != nil {
			p.LinkURL, p.LinkText = "/settings/profile", v.l.T("verify.fill_profile")
		}
	case errors.Is(err, account.ErrInvalidLink):
		status = http.StatusBadRequest
		p.Title, p.Body = v.l.T("link.invalid_title"), []string{v.l.T("verify.invalid_text")}
		p.LinkURL, p.LinkText = "/login", v.l.T("nav.login")
	default:
		return err
	}
	s.render(w, r, status, view.Message(p))
	return nil
}

func (s *Server) resendVerification(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.accounts.ResendVerification(r.Context(), r.PostForm.Get("email"), v.l.Lang()); err != nil {
		return err
	}
	redirect(w, r, "/register/sent", "")
	return nil
}

func (s *Server) loginForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	next := localPath(r.URL.Query().Get("next"))
	if v.user != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	f, _ := formFrom(r, v.l, nil)
	s.render(w, r, http.StatusOK, view.Login(view.LoginPage{Page: s.pageFor(r, v), Form: f, Next: next}))
	return nil
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	next := localPath(r.PostForm.Get("next"))
	u, err := s.accounts.Login(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"), s.clientAddr(r))
	if err == nil {
		token, err := account.NewStore(s.db).CreateSession(r.Context(), u.ID, r.UserAgent())
		if err != nil {
			return err
		}
		if v.session != "" {
			account.NewStore(s.db).DeleteSession(r.Context(), v.session)
		}
		http.SetCookie(w, &http.Cookie{
			Name: account.SessionCookie, Value: token, Path: "/", HttpOnly: true, Secure: s.cfg.Secure(),
			SameSite: http.SameSiteLaxMode, MaxAge: int(account.SessionLifetime / time.Second),
		})
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	}
	p := view.LoginPage{Page: s.pageFor(r, v), Next: next}
	p.Form, _ = formFrom(r, v.l, nil)
	status := http.StatusUnauthorized
	switch {
	case errors.Is(err, account.ErrInvalidCredentials), errors.Is(err, account.ErrDisabled):
		p.Message = v.l.T("login.invalid")
	case errors.Is(err, account.ErrTooManyAttempts):
		status, p.Message = http.StatusTooManyRequests, v.l.T("login.too_many", 15)
		w.Header().Set("Retry-After", "900")
	case errors.Is(err, account.ErrNotVerified):
		status, p.Message, p.Unverified = http.StatusForbidden, v.l.T("login.unverified"), true
	default:
		return err
	}
	s.render(w, r, status, view.Login(p))
	return nil
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, v *visit) error {
	if v.session != "" {
		if err := account.NewStore(s.db).DeleteSession(r.Context(), v.session); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: account.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
	redirect(w, r, "/", "logged_out")
	return nil
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	f, _ := formFrom(r, v.l, nil)
	s.render(w, r, http.StatusOK, view.Forgot(view.ForgotPage{Page: s.pageFor(r, v), Form: f}))
	return nil
}

func (s *Server) forgot(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	if err := s.accounts.RequestPasswordReset(r.Context(), r.PostForm.Get("email"), v.l.Lang()); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Message(view.MessagePage{
		Page:  s.pageFor(r, v),
		Title: v.l.T("forgot.sent_title"),
		Body:  []string{v.l.T("forgot.sent_text"), v.l.T("register.sent_spam")},
	}))
	return nil
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	token := r.URL.Query().Get("token")
	if err := s.accounts.CheckResetLink(r.Context(), token); err != nil {
		if errors.Is(err, account.ErrInvalidLink) {
			return s.invalidResetLink(w, r, v)
		}
		return err
	}
	f, _ := formFrom(r, v.l, nil)
	s.render(w, r, http.StatusOK, view.Reset(view.ResetPage{Page: s.pageFor(r, v), Form: f, Token: token}))
	return nil
}

func (s *Server) invalidResetLink(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, r, http.StatusBadRequest, view.Message(view.MessagePage{
		Page: s.pageFor(r, v), Title: v.l.T("link.invalid_title"), Body: []string{v.l.T("reset.invalid_text")},
		LinkURL: "/password/forgot", LinkText: v.l.T("reset.ask_again"),
	}))
	return nil
}

func (s *Server) reset(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	token := r.PostForm.Get("token")
	_, err := s.accounts.ResetPassword(r.Context(), token, r.PostForm.Get("password"))
	switch {
	case err == nil:
		redirect(w, r, "/login", "password_reset")
		return nil
	case errors.Is(err, account.ErrInvalidLink):
		return s.invalidResetLink(w, r, v)
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.Reset(view.ResetPage{Page: s.pageFor(r, v), Form: f, Token: token}))
	return nil
}
