package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
	"github.com/harambee/harambee/internal/web/view"
)

// setLanguage saves the language chosen in the switcher: on the member's
// account, or for a visitor in a cookie (a form was submitted, so a cookie
// may be set).
func (s *Server) setLanguage(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	lang := r.PostForm.Get("lang")
	if !i18n.Supported(lang) {
		return errBadRequest
	}
	if v.user != nil {
		if err := account.NewStore(s.db).SetLanguage(r.Context(), v.user.ID, lang); err != nil {
			return err
		}
	}
	// The browser keeps the choice too, so it survives logging out.
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, Secure: s.cfg.Secure(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, localPath(r.PostForm.Get("next")), http.StatusSeeOther)
	return nil
}

func (s *Server) profileEditPage(r *http.Request, v *visit, f view.Form) view.ProfileEditPage {
	l := v.l
	p := view.ProfileEditPage{Page: s.pageFor(r, v), Form: f, Countries: view.CountryOptions(l.Lang())}
	for _, t := range taxonomy.OrganizationTypes() {
		p.OrganizationTypes = append(p.OrganizationTypes, view.Option{Value: t, Label: l.T("orgtype." + t)})
	}
	for _, z := range taxonomy.TimeZones() {
		p.TimeZones = append(p.TimeZones, view.Option{Value: z, Label: strings.ReplaceAll(z, "_", " ")})
	}
	for _, lang := range i18n.Languages {
		p.Languages = append(p.Languages, view.Option{Value: lang, Label: taxonomy.LanguageSelfName(lang)})
	}
	for _, lang := range taxonomy.CommonLanguages() {
		p.WorkLanguages = append(p.WorkLanguages, view.Option{Value: lang, Label: taxonomy.LanguageName(lang, l.Lang())})
	}
	for _, vis := range account.Visibilities {
		p.Visibilities = append(p.Visibilities, view.Option{Value: vis, Label: l.T("visibility." + vis)})
	}
	return p
}

// profileValues fills the profile form from the saved profile.
func profileValues(u *account.User) url.Values {
	vals := url.Values{
		"name": {u.Name}, "position": {u.Position}, "organization": {u.Organization},
		"organization_type": {u.OrganizationType}, "country": {u.Country}, "expertise": {strings.Join(u.Expertise, ", ")},
		"bio": {u.Bio}, "timezone": {u.TimeZone}, "language": {u.Language}, "visibility": {u.Visibility},
	}
	vals["languages"] = u.Languages
	return vals
}

func (s *Server) profileForm(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, r, http.StatusOK, view.ProfileEdit(s.profileEditPage(r, v, view.Form{Values: profileValues(v.user)})))
	return nil
}

func (s *Server) saveProfile(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	pf := r.PostForm
	p := account.Profile{
		Name: pf.Get("name"), Position: pf.Get("position"), Organization: pf.Get("organization"),
		OrganizationType: pf.Get("organization_type"), Country: pf.Get("country"), Bio: pf.Get("bio"),
		TimeZone: pf.Get("timezone"), Language: pf.Get("language"), Visibility: pf.Get("visibility"),
		Languages: pf["languages"], Expertise: splitTags(pf.Get("expertise")),
	}
	_, err := account.NewStore(s.db).UpdateProfile(r.Context(), v.user.ID, p)
	if err == nil {
		// The saved interface language applies from the next page on.
		redirect(w, r, "/settings/profile", "profile_saved")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.ProfileEdit(s.profileEditPage(r, v, f)))
	return nil
}

// splitTags splits a comma- or semicolon-separated list typed into one field.
func splitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' })
}

func (s *Server) accountSettings(w http.ResponseWriter, r *http.Request, v *visit) error {
	s.render(w, r, http.StatusOK, view.AccountSettings(view.AccountSettingsPage{
		Page: s.pageFor(r, v), EmailForm: view.Form{Values: url.Values{}}, PasswordForm: view.Form{Values: url.Values{}},
	}))
	return nil
}

func (s *Server) changeEmail(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	err := s.accounts.RequestEmailChange(r.Context(), v.user.ID, r.PostForm.Get("email"), r.PostForm.Get("current_password"), v.l.Lang())
	if err == nil {
		redirect(w, r, "/settings/account", "email_link_sent")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.AccountSettings(view.AccountSettingsPage{
		Page: s.pageFor(r, v), EmailForm: f, PasswordForm: view.Form{Values: url.Values{}},
	}))
	return nil
}

func (s *Server) confirmEmail(w http.ResponseWriter, r *http.Request, v *visit) error {
	_, err := s.accounts.ConfirmEmailChange(r.Context(), r.URL.Query().Get("token"))
	p := view.MessagePage{Page: s.pageFor(r, v)}
	status := http.StatusOK
	switch {
	case err == nil:
		p.Title, p.Body = v.l.T("email_change.done_title"), []string{v.l.T("email_change.done_text")}
		p.LinkURL, p.LinkText = "/settings/account", v.l.T("settings.account")
	case errors.Is(err, account.ErrInvalidLink):
		status = http.StatusBadRequest
		p.Title, p.Body = v.l.T("link.invalid_title"), []string{v.l.T("email_change.invalid_text")}
	default:
		if _, ok := validation.As(err); !ok {
			return err
		}
		status = http.StatusConflict
		p.Title, p.Body = v.l.T("link.invalid_title"), []string{v.l.T("error.email_taken")}
	}
	s.render(w, r, status, view.Message(p))
	return nil
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	err := s.accounts.ChangePassword(r.Context(), v.user.ID, r.PostForm.Get("current_password"), r.PostForm.Get("password"), v.session)
	if err == nil {
		redirect(w, r, "/settings/account", "password_changed")
		return nil
	}
	f, err := formFrom(r, v.l, err)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusBadRequest, view.AccountSettings(view.AccountSettingsPage{
		Page: s.pageFor(r, v), EmailForm: view.Form{Values: url.Values{}}, PasswordForm: f,
	}))
	return nil
}

func (s *Server) tokensPage(r *http.Request, v *visit, newToken string) (view.TokensPage, error) {
	tokens, err := account.NewStore(s.db).Tokens(r.Context(), v.user.ID)
	if err != nil {
		return view.TokensPage{}, err
	}
	return view.TokensPage{Page: s.pageFor(r, v), Tokens: tokens, NewToken: newToken, Form: view.Form{Values: url.Values{}}}, nil
}

func (s *Server) tokens(w http.ResponseWriter, r *http.Request, v *visit) error {
	p, err := s.tokensPage(r, v, "")
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, view.Tokens(p))
	return nil
}

// createToken shows the new token on the answer to the POST itself, never
// in a URL, and only this once.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, v *visit) error {
	if err := r.ParseForm(); err != nil {
		return err
	}
	_, token, err := account.NewStore(s.db).CreateToken(r.Context(), v.user.ID, r.PostForm.Get("name"))
	if err != nil {
		return err
	}
	p, err := s.tokensPage(r, v, token)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, view.Tokens(p))
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request, v *visit) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return errBadRequest
	}
	if err := account.NewStore(s.db).RevokeToken(r.Context(), v.user.ID, id); err != nil {
		return err
	}
	redirect(w, r, "/settings/tokens", "token_revoked")
	return nil
}
