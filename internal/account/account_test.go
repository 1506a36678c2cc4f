package account_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

func newUser(email string) account.NewUser {
	return account.NewUser{
		Email: email, Password: "correct horse battery", Verified: true,
		Profile: account.Profile{Name: "Ana Souza", Country: "br", Languages: []string{"PT", "en", "pt"}, Expertise: []string{"EMTCT", " emtct ", "Primary health care"}},
	}
}

func TestCreateUser(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := account.NewStore(db)
		u, err := st.CreateUser(ctx, newUser("  Ana.Souza@Saude.Example.ORG "))
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "ana.souza@saude.example.org" || u.Country != "BR" {
			t.Errorf("got email %q country %q, want normalised", u.Email, u.Country)
		}
		got, err := st.User(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got.Languages, ",") != "en,pt" {
			t.Errorf("languages = %v, want [en pt]", got.Languages)
		}
		if strings.Join(got.Expertise, ",") != "EMTCT,Primary health care" {
			t.Errorf("expertise = %v, want [EMTCT Primary health care]", got.Expertise)
		}
		if got.Visibility != account.VisibilityMembers {
			t.Errorf("visibility = %q, want members by default", got.Visibility)
		}
		if region, sub := got.Region(); region != "019" || sub != "005" {
			t.Errorf("region of BR = %q/%q, want 019/005", region, sub)
		}

		_, err = st.CreateUser(ctx, newUser("ANA.SOUZA@saude.example.org"))
		ve, ok := validation.As(err)
		if !ok || !ve.Conflict || !ve.Has("email") {
			t.Errorf("duplicate e-mail in other case: got %v, want a conflict on email", err)
		}
		if _, err := st.UserByEmail(ctx, "ANA.souza@SAUDE.example.org"); err != nil {
			t.Errorf("UserByEmail in other case: %v", err)
		}
		if _, err := st.User(ctx, 9999); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("missing user: got %v, want ErrNotFound", err)
		}
	})
}

func TestProfileValidation(t *testing.T) {
	base := account.Profile{Name: "Kwame Mensah"}
	tests := []struct {
		name   string
		edit   func(p *account.Profile)
		fields []string
	}{
		{"valid", func(p *account.Profile) {}, nil},
		{"missing name", func(p *account.Profile) { p.Name = "  " }, []string{"name"}},
		{"long name", func(p *account.Profile) { p.Name = strings.Repeat("a", 101) }, []string{"name"}},
		{"user-assigned country", func(p *account.Profile) { p.Country = "XX" }, []string{"country"}},
		{"unknown country", func(p *account.Profile) { p.Country = "ZZ" }, []string{"country"}},
		{"three-letter country", func(p *account.Profile) { p.Country = "BRA" }, []string{"country"}},
		{"organisation type", func(p *account.Profile) { p.OrganizationType = "ministry" }, []string{"organization_type"}},
		{"time zone", func(p *account.Profile) { p.TimeZone = "Mars/Olympus" }, []string{"timezone"}},
		{"Local is no zone", func(p *account.Profile) { p.TimeZone = "Local" }, []string{"timezone"}},
		{"interface language", func(p *account.Profile) { p.Language = "de" }, []string{"language"}},
		{"visibility", func(p *account.Profile) { p.Visibility = "friends" }, []string{"visibility"}},
		{"language code", func(p *account.Profile) { p.Languages = []string{"english"} }, []string{"languages"}},
		{"too many tags", func(p *account.Profile) {
			for i := range 21 {
				p.Expertise = append(p.Expertise, strings.Repeat("x", i+1))
			}
		}, []string{"expertise"}},
		{"long bio", func(p *account.Profile) { p.Bio = strings.Repeat("é", account.MaxBioLen+1) }, []string{"bio"}},
		{"several at once", func(p *account.Profile) { p.Name = ""; p.Country = "QQ" }, []string{"country", "name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := base
			tt.edit(&p)
			_, err := p.Validate()
			var got []string
			if ve, ok := validation.As(err); ok {
				got = ve.Names()
			} else if err != nil {
				t.Fatalf("unexpected error %v", err)
			}
			if strings.Join(got, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("failing fields = %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestPasswordRules(t *testing.T) {
	tests := []struct {
		pw   string
		want string
	}{
		{"", ""}, // accounts made by administrators and imports have none until reset
		{"short", "error.password_short"},
		{"ana@example.org", "error.password_email"},
		{strings.Repeat("x", 257), "error.too_long"},
		{"a long enough passphrase", ""},
	}
	for _, tt := range tests {
		_, err := account.NewUser{Email: "ana@example.org", Password: tt.pw, Profile: account.Profile{Name: "Ana"}}.Validate()
		got := ""
		if ve, ok := validation.As(err); ok {
			got = ve.Fields["password"].Key
		}
		if got != tt.want {
			t.Errorf("password %q: got %q, want %q", tt.pw, got, tt.want)
		}
	}
}

func TestRegisterNeedsPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		svc := &account.Service{DB: db, BaseURL: "http://example.test"}
		_, err := svc.Register(ctx, account.NewUser{Email: "bad", Profile: account.Profile{Name: "X"}}, "en")
		ve, ok := validation.As(err)
		if !ok || !ve.Has("password") || !ve.Has("email") {
			t.Errorf("registering without a password: %v, want errors on password and email", err)
		}
	})
}

func TestPasswordHash(t *testing.T) {
	h, err := account.HashPassword("saúde materna 2021")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the expected parameters", h)
	}
	if !account.CheckPassword(h, "saúde materna 2021") {
		t.Error("the right password does not match")
	}
	for _, wrong := range []string{"saude materna 2021", "", "saúde materna 2021 "} {
		if account.CheckPassword(h, wrong) {
			t.Errorf("wrong password %q matches", wrong)
		}
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2i$v=19$m=1,t=1,p=1$AAAA$AAAA", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$" + strings.Repeat("A", 43)} {
		if account.CheckPassword(bad, "x") {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
	h2, _ := account.HashPassword("saúde materna 2021")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestSessions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := account.NewStore(db)
		u, _ := st.CreateUser(ctx, newUser("ana@example.org"))
		token, err := st.CreateSession(ctx, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.SessionUser(ctx, token)
		if err != nil || got.ID != u.ID {
			t.Fatalf("SessionUser = %v, %v; want user %d", got.ID, err, u.ID)
		}
		var stored string
		db.QueryRow(ctx, "SELECT id_hash FROM sessions").Scan(&stored)
		if stored == token || strings.Contains(stored, token) {
			t.Error("the session token is stored in clear")
		}
		for _, bad := range []string{"", "nope", token + "x", strings.Repeat("a", 500)} {
			if _, err := st.SessionUser(ctx, bad); !errors.Is(err, account.ErrUnauthenticated) {
				t.Errorf("SessionUser(%q) = %v, want ErrUnauthenticated", bad, err)
			}
		}
		// An expired session opens nothing.
		db.Exec(ctx, "UPDATE sessions SET expires_at = ?", time.Now().Add(-time.Minute))
		if _, err := st.SessionUser(ctx, token); !errors.Is(err, account.ErrUnauthenticated) {
			t.Errorf("expired session: got %v, want ErrUnauthenticated", err)
		}
		// A disabled account's sessions stop working.
		token2, _ := st.CreateSession(ctx, u.ID, "test")
		db.Exec(ctx, "UPDATE users SET disabled_at = ?", time.Now())
		if _, err := st.SessionUser(ctx, token2); !errors.Is(err, account.ErrUnauthenticated) {
			t.Errorf("disabled account: got %v, want ErrUnauthenticated", err)
		}
		db.Exec(ctx, "UPDATE users SET disabled_at = NULL")
		if err := st.DeleteSession(ctx, token2); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionUser(ctx, token2); !errors.Is(err, account.ErrUnauthenticated) {
			t.Errorf("deleted session: got %v, want ErrUnauthenticated", err)
		}
	})
}

func TestAPITokens(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := account.NewStore(db)
		ana, _ := st.CreateUser(ctx, newUser("ana@example.org"))
		kwame, _ := st.CreateUser(ctx, newUser("kwame@example.org"))
		tok, text, err := st.CreateToken(ctx, ana.ID, "reporting script")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(text, "hmb_") || !strings.HasSuffix(text, tok.Hint) {
			t.Errorf("token %q with hint %q", text, tok.Hint)
		}
		u, err := st.TokenUser(ctx, text)
		if err != nil || u.ID != ana.ID {
			t.Fatalf("TokenUser = %d, %v; want %d", u.ID, err, ana.ID)
		}
		if err := st.RevokeToken(ctx, kwame.ID, tok.ID); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("revoking another member's token: got %v, want ErrNotFound", err)
		}
		if err := st.RevokeToken(ctx, ana.ID, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.TokenUser(ctx, text); !errors.Is(err, account.ErrUnauthenticated) {
			t.Errorf("revoked token: got %v, want ErrUnauthenticated", err)
		}
		list, _ := st.Tokens(ctx, ana.ID)
		if len(list) != 1 || list[0].RevokedAt == nil {
			t.Errorf("tokens = %+v, want one revoked", list)
		}
	})
}

// lastLink returns the path and query of the link in the newest message to addr.
func lastLink(t *testing.T, db *sqldb.DB, addr string) (mail.Message, string) {
	t.Helper()
	msgs, _, err := mail.NewOutbox(db).List(ctx, addr, 1, 0)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("no message to %s (%v)", addr, err)
	}
	m := msgs[0]
	i := strings.Index(m.Text, "http://example.test")
	if i < 0 {
		t.Fatalf("no link in %q", m.Text)
	}
	link := strings.Fields(m.Text[i:])[0]
	return m, strings.TrimPrefix(link, "http://example.test")
}

func tokenOf(link string) string {
	_, token, _ := strings.Cut(link, "token=")
	return token
}

func TestRegisterVerifyLogin(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		svc := &account.Service{DB: db, BaseURL: "http://example.test", SiteName: "Harambee"}
		u, err := svc.Register(ctx, account.NewUser{Email: "Fatou@Example.org", Password: "une phrase secrète", Profile: account.Profile{Name: "Fatoumata Diallo"}}, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if u.Verified() || u.Language != "fr" {
			t.Errorf("registered user verified=%v language=%q, want unverified, fr", u.Verified(), u.Language)
		}
		m, link := lastLink(t, db, "fatou@example.org")
		if want := i18n.For("fr").T("mail.verify.subject", "Harambee"); m.Language != "fr" || m.Subject != want {
			t.Errorf("verification mail language %q subject %q", m.Language, m.Subject)
		}
		if !strings.HasPrefix(link, "/verify?token=") {
			t.Fatalf("link %q, want /verify?token=", link)
		}
		if !strings.Contains(m.HTML, "href=\"http://example.test/verify?token=") {
			t.Error("the HTML part lacks the link")
		}

		if _, err := svc.Login(ctx, "fatou@example.org", "une phrase secrète", "10.0.0.1"); !errors.Is(err, account.ErrNotVerified) {
			t.Errorf("log-in before verification: got %v, want ErrNotVerified", err)
		}
		if _, err := svc.VerifyEmail(ctx, tokenOf(link)); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.VerifyEmail(ctx, tokenOf(link)); !errors.Is(err, account.ErrInvalidLink) {
			t.Errorf("second use of the link: got %v, want ErrInvalidLink", err)
		}
		got, err := svc.Login(ctx, "FATOU@example.org", "une phrase secrète", "10.0.0.1")
		if err != nil || got.ID != u.ID {
			t.Fatalf("log-in: %v", err)
		}
		_, errWrong := svc.Login(ctx, "fatou@example.org", "wrong password!", "10.0.0.1")
		_, errUnknown := svc.Login(ctx, "nobody@example.org", "wrong password!", "10.0.0.1")
		if !errors.Is(errWrong, account.ErrInvalidCredentials) || !errors.Is(errUnknown, account.ErrInvalidCredentials) || errWrong.Error() != errUnknown.Error() {
			t.Errorf("wrong password %v and unknown address %v must be the same error", errWrong, errUnknown)
		}
	})
}

func TestVerifyLinkExpires(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		svc := &account.Service{DB: db, BaseURL: "http://example.test", SiteName: "Harambee"}
		svc.Register(ctx, account.NewUser{Email: "late@example.org", Password: "a long passphrase", Profile: account.Profile{Name: "Late"}}, "en")
		_, link := lastLink(t, db, "late@example.org")
		db.Exec(ctx, "UPDATE account_tokens SET expires_at = ?", time.Now().Add(-time.Second))
		if _, err := svc.VerifyEmail(ctx, tokenOf(link)); !errors.Is(err, account.ErrInvalidLink) {
			t.Errorf("expired link: got %v, want ErrInvalidLink", err)
		}
	})
}

func TestLoginRateLimit(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := account.NewStore(db)
		st.CreateUser(ctx, newUser("ana@example.org"))
		svc := &account.Service{DB: db, BaseURL: "http://example.test"}
		for i := range 5 {
			if _, err := svc.Login(ctx, "ana@example.org", "wrong guess", "10.0.0.1"); !errors.Is(err, account.ErrInvalidCredentials) {
				t.Fatalf("attempt %d: got %v, want ErrInvalidCredentials", i+1, err)
			}
		}
		// The account is now locked, even with the right password and from
		// another address...
		if _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", "10.0.0.2"); !errors.Is(err, account.ErrTooManyAttempts) {
			t.Errorf("sixth attempt: got %v, want ErrTooManyAttempts", err)
		}
		// ...and an unknown address locks the same way, so the limit does not
		// tell which addresses have accounts.
		for range 5 {
			svc.Login(ctx, "ghost@example.org", "wrong guess", "10.0.0.3")
		}
		if _, err := svc.Login(ctx, "ghost@example.org", "wrong guess", "10.0.0.3"); !errors.Is(err, account.ErrTooManyAttempts) {
			t.Errorf("unknown address: got %v, want ErrTooManyAttempts", err)
		}
		// Failures age out of the window.
		db.Exec(ctx, "UPDATE login_failures SET at = ?", time.Now().Add(-16*time.Minute))
		if _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", "10.0.0.2"); err != nil {
			t.Errorf("after the window: %v", err)
		}
	})
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		svc := &account.Service{DB: db, BaseURL: "http://example.test"}
		account.NewStore(db).CreateUser(ctx, newUser("ana@example.org"))
		// One address trying many accounts, each only a few times.
		for i := range 30 {
			svc.Login(ctx, "user"+string(rune('a'+i%26))+string(rune('a'+i/26))+"@example.org", "guess", "10.9.9.9")
		}
		if _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", "10.9.9.9"); !errors.Is(err, account.ErrTooManyAttempts) {
			t.Errorf("from a noisy address: got %v, want ErrTooManyAttempts", err)
		}
		if _, err := svc.Login(ctx, "ana@example.org", "correct horse battery", "10.1.1.1"); err != nil {
			t.Errorf("from another address: %v", err)
		}
	})
}

func TestPasswordReset(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := account.NewStore(db)
		u, _ := st.CreateUser(ctx, newUser("ana@example.org"))
		session, _ := st.CreateSession(ctx, u.ID, "old browser")
		svc := &account.Service{DB: db, BaseURL: "http://example.test", SiteName: "Harambee"}

		if err := svc.RequestPasswordReset(ctx, "nobody@example.org", "en"); err != nil {
			t.Fatalf("reset for an unknown address: %v", err)
		}
		if _, n, _ := mail.NewOutbox(db).List(ctx, "nobody@example.org", 10, 0); n != 0 {
			t.Error("a reset mail went to an address without an account")
		}
		if err := svc.RequestPasswordReset(ctx, "ANA@example.org", "pt"); err != nil {
			t.Fatal(err)
		}
		m, link := lastLink(t, db, "ana@example.org")
		if m.Language != "pt" {
			t.Errorf("reset mail in %q, want pt (the page's language, the member has none set)", m.Language)
		}
		token := tokenOf(link)
		if err := svc.CheckResetLink(ctx, token); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ResetPassword(ctx, token, "short"); err == nil {
			t.Fatal("a too short password was accepted")
		}
		// The refused attempt did not use up the link.
		if _, err := svc.ResetPassword(ctx, token, "a brand new passphrase"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ResetPassword(ctx, token, "another new passphrase"); !errors.Is(err, account.ErrInvalidLink) {
			t.Errorf("reusing the link: got %v, want ErrInvalidLink", err)
		}
		if _, err := st.SessionUser(ctx, session); !errors.Is(err, account.ErrUnauthenticated) {
			t.Error("the old session survived the reset")
		}
		if _, err := svc.Login(ctx, "ana@example.org", "a brand new passphrase", "10.0.0.1"); err != nil {
			t.Errorf("log-in with the new password: %v", err)
		}

		// At most three reset mails an hour.
		for range 5 {
			svc.RequestPasswordReset(ctx, "ana@example.org", "en")
		}
		if _, n, _ := mail.NewOutbox(db).List(ctx, "ana@example.org", 10, 0); n != 3 {
			t.Errorf("%d reset mails in an hour, want 3", n)
		}
	})
}

func TestChangeEmailAndPassword(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := account.NewStore(db)
		ana, _ := st.CreateUser(ctx, newUser("ana@example.org"))
		st.CreateUser(ctx, newUser("kwame@example.org"))
		svc := &account.Service{DB: db, BaseURL: "http://example.test", SiteName: "Harambee"}

		err := svc.RequestEmailChange(ctx, ana.ID, "ana.new@example.org", "wrong password", "en")
		if ve, ok := validation.As(err); !ok || !ve.Has("current_password") {
			t.Errorf("wrong password: got %v", err)
		}
		err = svc.RequestEmailChange(ctx, ana.ID, "KWAME@example.org", "correct horse battery", "en")
		if ve, ok := validation.As(err); !ok || !ve.Conflict {
			t.Errorf("taken address: got %v, want a conflict", err)
		}
		if err := svc.RequestEmailChange(ctx, ana.ID, "Ana.New@example.org", "correct horse battery", "en"); err != nil {
			t.Fatal(err)
		}
		if u, _ := st.User(ctx, ana.ID); u.Email != "ana@example.org" {
			t.Errorf("address changed to %q before confirmation", u.Email)
		}
		_, link := lastLink(t, db, "ana.new@example.org")
		u, err := svc.ConfirmEmailChange(ctx, tokenOf(link))
		if err != nil || u.Email != "ana.new@example.org" {
			t.Fatalf("confirm: %v, email %q", err, u.Email)
		}

		keep, _ := st.CreateSession(ctx, ana.ID, "this browser")
		other, _ := st.CreateSession(ctx, ana.ID, "other browser")
		if err := svc.ChangePassword(ctx, ana.ID, "correct horse battery", "x", keep); err == nil {
			t.Error("a one-letter password was accepted")
		}
		if err := svc.ChangePassword(ctx, ana.ID, "correct horse battery", "a fresh passphrase", keep); err != nil {
			t.Fatal(err)
		}
		if _, err := st.SessionUser(ctx, keep); err != nil {
			t.Errorf("the current session ended: %v", err)
		}
		if _, err := st.SessionUser(ctx, other); !errors.Is(err, account.ErrUnauthenticated) {
			t.Error("another session survived the password change")
		}
	})
}

func TestCanSeeProfile(t *testing.T) {
	owner := account.User{ID: 1}
	other := &account.User{ID: 2}
	adm := &account.User{ID: 3, Admin: true}
	tests := []struct {
		visibility string
		reader     *account.User
		want       bool
	}{
		{"public", nil, true},
		{"public", other, true},
		{"members", nil, false},
		{"members", other, true},
		{"private", nil, false},
		{"private", other, false},
		{"private", adm, true},
		{"private", &account.User{ID: 1}, true},
	}
	for _, tt := range tests {
		m := owner
		m.Visibility = tt.visibility
		if got := account.CanSeeProfile(tt.reader, m); got != tt.want {
			t.Errorf("%s profile, reader %v: got %v, want %v", tt.visibility, tt.reader, got, tt.want)
		}
	}
}
