package account

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Link purposes and how long each link stays valid.
const (
	PurposeVerify      = "verify_email"
	PurposeReset       = "password_reset"
	PurposeEmailChange = "email_change"

	VerifyLinkLifetime      = 72 * time.Hour
	ResetLinkLifetime       = time.Hour
	EmailChangeLinkLifetime = 24 * time.Hour
)

// Log-in limits: within loginWindow, an e-mail address (known or not) may
// fail maxAccountFailures times and a network address maxAddressFailures
// times before log-in is refused for it until older failures age out.
const (
	loginWindow        = 15 * time.Minute
	maxAccountFailures = 5
	maxAddressFailures = 30
	maxResetMailsHour  = 3
)

// Service runs the account flows that span several tables and send mail:
// registration, verification, log-in, password reset, e-mail change.
type Service struct {
	DB       *sqldb.DB
	BaseURL  string // absolute URL of the site, for the links in messages
	SiteName string
}

func (s *Service) link(path, token string) string {
	return strings.TrimRight(s.BaseURL, "/") + path + "?token=" + url.QueryEscape(token)
}

// Register creates an unverified account and sends the link that verifies
// its e-mail address, in the language the person registered in.
func (s *Service) Register(ctx context.Context, in NewUser, lang string) (User, error) {
	in.Verified, in.Admin, in.Editor, in.PasswordHash = false, false, false, ""
	if in.Language == "" {
		in.Language = lang
	}
	if in.Password == "" {
		// Reported with the other fields, so the form shows every problem.
		_, err := in.Validate()
		e, ok := validation.As(err)
		if !ok {
			e = &validation.Error{}
		}
		e.Add("password", "error.required")
		return User{}, e
	}
	var u User
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		if u, err = NewStore(tx).CreateUser(ctx, in); err != nil {
			return err
		}
		return s.sendVerification(ctx, tx, u, lang)
	})
	return u, err
}

func (s *Service) sendVerification(ctx context.Context, tx *sqldb.Tx, u User, lang string) error {
	token, err := NewStore(tx).issueLink(ctx, u.ID, PurposeVerify, "", VerifyLinkLifetime)
	if err != nil {
		return err
	}
	l := i18n.For(lang)
	text, html := mail.Compose(mail.Content{
		Lang: l.Lang(), SiteName: s.SiteName,
		Greeting:    l.T("mail.greeting", u.Name),
		Paragraphs:  []string{l.T("mail.verify.intro", s.SiteName)},
		ActionLabel: l.T("mail.verify.action"),
		ActionURL:   s.link("/verify", token),
		After:       []string{l.T("mail.verify.expiry", int(VerifyLinkLifetime.Hours())), l.T("mail.ignore")},
		Signature:   l.T("mail.signature", s.SiteName),
	})
	_, err = mail.Enqueue(ctx, tx, mail.Message{To: u.Email, ToName: u.Name, UserID: u.ID, Category: mail.CategoryVerify,
		Language: l.Lang(), Subject: l.T("mail.verify.subject", s.SiteName), Text: text, HTML: html})
	return err
}

// ResendVerification sends a new verification link to an unverified account.
// It says nothing about whether the address has an account.
func (s *Service) ResendVerification(ctx context.Context, email, lang string) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		u, err := NewStore(tx).UserByEmail(ctx, email)
		if errors.Is(err, sqldb.ErrNotFound) || err == nil && (u.Verified() || u.DisabledAt != nil) {
			return nil
		}
		if err != nil {
			return err
		}
		if n, err := NewStore(tx).recentLinks(ctx, u.ID, PurposeVerify, time.Hour); err != nil || n >= maxResetMailsHour {
			return err
		}
		return s.sendVerification(ctx, tx, u, pick(u.Language, lang))
	})
}

// VerifyEmail marks the address the link was sent to as verified.
func (s *Service) VerifyEmail(ctx context.Context, token string) (User, error) {
	var u User
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		userID, _, err := st.useLink(ctx, token, PurposeVerify)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?), updated_at = ? WHERE id = ?",
			time.Now(), time.Now(), userID); err != nil {
			return fmt.Errorf("verify %d: %w", userID, err)
		}
		u, err = st.User(ctx, userID)
		return err
	})
	return u, err
}

// Login checks an e-mail address and password. A wrong password and an
// unknown address give the same error, after the same work; failures are
// counted per address and per network address, and too many refuse further
// attempts for a while.
func (s *Service) Login(ctx context.Context, email, password, remoteAddr string) (User, error) {
	email = validation.NormalizeEmail(email)
	st := NewStore(s.DB)
	keys := []string{"e:" + email, "a:" + remoteAddr}
	since := time.Now().Add(-loginWindow)
	for i, limit := range []int{maxAccountFailures, maxAddressFailures} {
		n, err := st.failures(ctx, keys[i], since)
		if err != nil {
			return User{}, err
		}
		if n >= limit {
			return User{}, ErrTooManyAttempts
		}
	}
	u, err := st.UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, sqldb.ErrNotFound) {
		return User{}, err
	}
	hash := u.passwordHash
	if err != nil || hash == "" {
		hash = dummyHash()
	}
	if !CheckPassword(hash, password) || u.ID == 0 || u.passwordHash == "" {
		if err := st.recordFailure(ctx, keys...); err != nil {
			return User{}, err
		}
		return User{}, ErrInvalidCredentials
	}
	if u.DisabledAt != nil {
		return User{}, ErrDisabled
	}
	if !u.Verified() {
		return u, ErrNotVerified
	}
	if err := st.clearFailures(ctx, keys[0]); err != nil {
		return User{}, err
	}
	if needsRehash(u.passwordHash) {
		if h, err := HashPassword(password); err == nil {
			st.setPasswordHash(ctx, u.ID, h)
		}
	}
	return u, nil
}

// RequestPasswordReset sends a reset link to the address if it has an
// account, and does nothing otherwise; the caller shows the same answer
// either way. A few links an hour at most, so nobody can flood a mailbox.
func (s *Service) RequestPasswordReset(ctx context.Context, email, lang string) error {
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		u, err := st.UserByEmail(ctx, email)
		if errors.Is(err, sqldb.ErrNotFound) || err == nil && u.DisabledAt != nil {
			return nil
		}
		if err != nil {
			return err
		}
		if n, err := st.recentLinks(ctx, u.ID, PurposeReset, time.Hour); err != nil || n >= maxResetMailsHour {
			return err
		}
		token, err := st.issueLink(ctx, u.ID, PurposeReset, "", ResetLinkLifetime)
		if err != nil {
			return err
		}
		l := i18n.For(pick(u.Language, lang))
		text, html := mail.Compose(mail.Content{
			Lang: l.Lang(), SiteName: s.SiteName,
			Greeting:    l.T("mail.greeting", u.Name),
			Paragraphs:  []string{l.T("mail.reset.intro", s.SiteName)},
			ActionLabel: l.T("mail.reset.action"),
			ActionURL:   s.link("/password/reset", token),
			After:       []string{l.T("mail.reset.expiry", int(ResetLinkLifetime.Minutes())), l.T("mail.reset.ignore")},
			Signature:   l.T("mail.signature", s.SiteName),
		})
		_, err = mail.Enqueue(ctx, tx, mail.Message{To: u.Email, ToName: u.Name, UserID: u.ID, Category: mail.CategoryReset,
			Language: l.Lang(), Subject: l.T("mail.reset.subject", s.SiteName), Text: text, HTML: html})
		return err
	})
}

// CheckResetLink reports whether a reset link can still be used, so the page
// can say so before the member types a new password.
func (s *Service) CheckResetLink(ctx context.Context, token string) error {
	var n int
	err := s.DB.QueryRow(ctx, "SELECT COUNT(*) FROM account_tokens WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?",
		hashSecret(token), PurposeReset, time.Now()).Scan(&n)
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrInvalidLink
	}
	return nil
}

// ResetPassword sets a new password through a reset link, which then stops
// working. Every session of the account ends, and the address counts as
// verified: the link reached it.
func (s *Service) ResetPassword(ctx context.Context, token, password string) (User, error) {
	var u User
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		userID, _, err := st.useLink(ctx, token, PurposeReset)
		if err != nil {
			return err
		}
		if u, err = st.User(ctx, userID); err != nil {
			return err
		}
		var e validation.Error
		checkPassword(&e, "password", password, u.Email)
		if err := e.Err(); err != nil {
			return err
		}
		hash, err := HashPassword(password)
		if err != nil {
			return err
		}
		if err := st.setPasswordHash(ctx, userID, hash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE users SET email_verified_at = COALESCE(email_verified_at, ?) WHERE id = ?", time.Now(), userID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
		return err
	})
	return u, err
}

// ChangePassword sets a new password for a logged-in member who knows the
// current one, and ends their other sessions.
func (s *Service) ChangePassword(ctx context.Context, userID int64, current, password, keepSession string) error {
	st := NewStore(s.DB)
	u, err := st.User(ctx, userID)
	if err != nil {
		return err
	}
	var e validation.Error
	if u.passwordHash != "" && !CheckPassword(u.passwordHash, current) {
		e.Add("current_password", "error.password_wrong")
	}
	checkPassword(&e, "password", password, u.Email)
	if err := e.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		if err := st.setPasswordHash(ctx, userID, hash); err != nil {
			return err
		}
		return st.DeleteSessions(ctx, userID, keepSession)
	})
}

// RequestEmailChange sends a confirmation link to the new address; the
// account keeps its old address until the link is followed.
func (s *Service) RequestEmailChange(ctx context.Context, userID int64, newEmail, password, lang string) error {
	st := NewStore(s.DB)
	u, err := st.User(ctx, userID)
	if err != nil {
		return err
	}
	var e validation.Error
	newEmail = e.Email("email", newEmail, true)
	if u.passwordHash != "" && !CheckPassword(u.passwordHash, password) {
		e.Add("current_password", "error.password_wrong")
	}
	if err := e.Err(); err != nil {
		return err
	}
	if newEmail == u.Email {
		return validation.Field("email", "error.email_same")
	}
	if _, err := st.UserByEmail(ctx, newEmail); err == nil {
		return validation.Conflict("email", "error.email_taken")
	} else if !errors.Is(err, sqldb.ErrNotFound) {
		return err
	}
	return s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		if n, err := st.recentLinks(ctx, u.ID, PurposeEmailChange, time.Hour); err != nil || n >= maxResetMailsHour {
			if err == nil {
				err = validation.Field("email", "error.too_many_requests")
			}
			return err
		}
		token, err := st.issueLink(ctx, u.ID, PurposeEmailChange, newEmail, EmailChangeLinkLifetime)
		if err != nil {
			return err
		}
		l := i18n.For(pick(u.Language, lang))
		text, html := mail.Compose(mail.Content{
			Lang: l.Lang(), SiteName: s.SiteName,
			Greeting:    l.T("mail.greeting", u.Name),
			Paragraphs:  []string{l.T("mail.email_change.intro", s.SiteName, newEmail)},
			ActionLabel: l.T("mail.email_change.action"),
			ActionURL:   s.link("/settings/email/confirm", token),
			After:       []string{l.T("mail.verify.expiry", int(EmailChangeLinkLifetime.Hours())), l.T("mail.ignore")},
			Signature:   l.T("mail.signature", s.SiteName),
		})
		_, err = mail.Enqueue(ctx, tx, mail.Message{To: newEmail, ToName: u.Name, UserID: u.ID, Category: mail.CategoryEmailChange,
			Language: l.Lang(), Subject: l.T("mail.email_change.subject", s.SiteName), Text: text, HTML: html})
		return err
	})
}

// ConfirmEmailChange moves the account to the address the link was sent to.
func (s *Service) ConfirmEmailChange(ctx context.Context, token string) (User, error) {
	var u User
	err := s.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		userID, newEmail, err := st.useLink(ctx, token, PurposeEmailChange)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE users SET email = ?, email_verified_at = ?, updated_at = ? WHERE id = ?",
			newEmail, time.Now(), time.Now(), userID)
		if errors.Is(err, sqldb.ErrConflict) {
			return validation.Conflict("email", "error.email_taken")
		}
		if err != nil {
			return err
		}
		u, err = st.User(ctx, userID)
		return err
	})
	return u, err
}

func pick(preferred, fallback string) string {
	if preferred != "" {
		return preferred
	}
	return fallback
}

// issueLink stores a one-time link token and returns the token.
func (s *Store) issueLink(ctx context.Context, userID int64, purpose, newEmail string, ttl time.Duration) (string, error) {
	token, hash := newSecret()
	now := time.Now().UTC()
	_, err := s.q.Exec(ctx, `INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, hash, userID, purpose, newEmail, now, now.Add(ttl))
	if err != nil {
		return "", fmt.Errorf("issue %s link for %d: %w", purpose, userID, err)
	}
	return token, nil
}

// useLink marks a link used and returns whom it was for. A link works once,
// and not after it expires.
func (s *Store) useLink(ctx context.Context, token, purpose string) (userID int64, newEmail string, err error) {
	if token == "" || len(token) > 100 {
		return 0, "", ErrInvalidLink
	}
	now := time.Now().UTC()
	err = s.q.QueryRow(ctx, `UPDATE account_tokens SET used_at = ?
		WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
		RETURNING user_id, new_email`, now, hashSecret(token), purpose, now).Scan(&userID, &newEmail)
	if errors.Is(err, sqldb.ErrNotFound) {
		return 0, "", ErrInvalidLink
	}
	if err != nil {
		return 0, "", fmt.Errorf("use %s link: %w", purpose, err)
	}
	return userID, newEmail, nil
}

func (s *Store) recentLinks(ctx context.Context, userID int64, purpose string, within time.Duration) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM account_tokens WHERE user_id = ? AND purpose = ? AND created_at > ?",
		userID, purpose, time.Now().Add(-within)).Scan(&n)
	return n, err
}

func (s *Store) failures(ctx context.Context, key string, since time.Time) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM login_failures WHERE key = ? AND at > ?", key, since).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count log-in failures: %w", err)
	}
	return n, nil
}

func (s *Store) recordFailure(ctx context.Context, keys ...string) error {
	now := time.Now()
	for _, k := range keys {
		if _, err := s.q.Exec(ctx, "INSERT INTO login_failures (key, at) VALUES (?, ?)", k, now); err != nil {
			return fmt.Errorf("record log-in failure: %w", err)
		}
	}
	return nil
}

func (s *Store) clearFailures(ctx context.Context, key string) error {
	_, err := s.q.Exec(ctx, "DELETE FROM login_failures WHERE key = ?", key)
	return err
}
