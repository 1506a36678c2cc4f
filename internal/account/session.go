package account

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// Session lifetimes: a session lasts thirty days from its last use, and the
// last use is written at most once in sessionTouch so that reading pages does
// not turn every request into a write.
const (
	SessionLifetime = 30 * 24 * time.Hour
	sessionTouch    = time.Hour
)

// newSecret returns a random token for a cookie or a link, and the hash that
// is stored in its place: a leaked database then opens no session.
func newSecret() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashSecret(token)
}

func hashSecret(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Session is a logged-in browser.
type Session struct {
	UserID     int64
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// CreateSession starts a session for the user and returns the token for its
// cookie.
func (s *Store) CreateSession(ctx context.Context, userID int64, userAgent string) (string, error) {
	token, hash := newSecret()
	now := time.Now().UTC()
	if len(userAgent) > 200 {
		userAgent = userAgent[:200]
	}
	_, err := s.q.Exec(ctx, `INSERT INTO sessions (id_hash, user_id, user_agent, created_at, last_seen_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, hash, userID, userAgent, now, now, now.Add(SessionLifetime))
	if err != nil {
		return "", fmt.Errorf("create session for %d: %w", userID, err)
	}
	return token, nil
}

// SessionUser returns the user whose session the token opens. An expired,
// unknown or revoked session, or a disabled account, is ErrUnauthenticated.
func (s *Store) SessionUser(ctx context.Context, token string) (User, error) {
	if token == "" || len(token) > 100 {
		return User{}, ErrUnauthenticated
	}
	hash := hashSecret(token)
	now := time.Now().UTC()
	var lastSeen time.Time
	u, err := scanUserWith(s.q.QueryRow(ctx, `SELECT `+prefixed("u.", userColumns)+`, s.last_seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`, hash, now), &lastSeen)
	if errors.Is(err, sqldb.ErrNotFound) {
		return User{}, ErrUnauthenticated
	}
	if err != nil {
		return User{}, fmt.Errorf("load session: %w", err)
	}
	if now.Sub(lastSeen) > sessionTouch {
		if _, err := s.q.Exec(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?",
			now, now.Add(SessionLifetime), hash); err != nil {
			return User{}, fmt.Errorf("touch session: %w", err)
		}
	}
	if err := s.loadLists(ctx, []*User{&u}); err != nil {
		return User{}, err
	}
	return u, nil
}

// DeleteSession ends the session the token opens (log out).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.q.Exec(ctx, "DELETE FROM sessions WHERE id_hash = ?", hashSecret(token))
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends every session of the user except the one keepToken
// opens (after a password change, the other browsers are logged out).
func (s *Store) DeleteSessions(ctx context.Context, userID int64, keepToken string) error {
	_, err := s.q.Exec(ctx, "DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?", userID, hashSecret(keepToken))
	if err != nil {
		return fmt.Errorf("delete sessions of %d: %w", userID, err)
	}
	return nil
}

// DeleteExpired removes expired sessions, used links and old log-in failures.
func (s *Store) DeleteExpired(ctx context.Context, now time.Time) error {
	for _, q := range []string{
		"DELETE FROM sessions WHERE expires_at < ?",
		"DELETE FROM account_tokens WHERE expires_at < ?",
	} {
		if _, err := s.q.Exec(ctx, q, now); err != nil {
			return fmt.Errorf("delete expired: %w", err)
		}
	}
	if _, err := s.q.Exec(ctx, "DELETE FROM login_failures WHERE at < ?", now.Add(-loginWindow)); err != nil {
		return fmt.Errorf("delete old log-in failures: %w", err)
	}
	return nil
}

// APIToken is a token for the JSON API. Only its hash is stored; the token
// itself is shown once, when it is created.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Hint       string // the last characters, to tell tokens apart
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

const tokenPrefix = "hmb_"

// CreateToken creates an API token for the user and returns it with the
// token text, which is not kept.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API"
	}
	if len([]rune(name)) > 100 {
		name = string([]rune(name)[:100])
	}
	b := make([]byte, 20)
	rand.Read(b)
	token := tokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
	t := APIToken{UserID: userID, Name: name, Hint: token[len(token)-4:], CreatedAt: time.Now().UTC()}
	err := s.q.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, hint, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
		userID, t.Name, hashSecret(token), t.Hint, t.CreatedAt).Scan(&t.ID)
	if err != nil {
		return APIToken{}, "", fmt.Errorf("create token for %d: %w", userID, err)
	}
	return t, token, nil
}

// TokenUser returns the user an API token belongs to. An unknown or revoked
// token, or a disabled account, is ErrUnauthenticated.
func (s *Store) TokenUser(ctx context.Context, token string) (User, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 100 {
		return User{}, ErrUnauthenticated
	}
	var tokenID int64
	var lastUsed *time.Time
	u, err := scanUserWith(s.q.QueryRow(ctx, `SELECT `+prefixed("u.", userColumns)+`, t.id, t.last_used_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, hashSecret(token)), &tokenID, &lastUsed)
	if errors.Is(err, sqldb.ErrNotFound) {
		return User{}, ErrUnauthenticated
	}
	if err != nil {
		return User{}, fmt.Errorf("load token: %w", err)
	}
	now := time.Now().UTC()
	if lastUsed == nil || now.Sub(*lastUsed) > sessionTouch {
		if _, err := s.q.Exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", now, tokenID); err != nil {
			return User{}, fmt.Errorf("touch token: %w", err)
		}
	}
	if err := s.loadLists(ctx, []*User{&u}); err != nil {
		return User{}, err
	}
	return u, nil
}

// Tokens lists the user's API tokens, newest first, revoked ones included.
func (s *Store) Tokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.q.Query(ctx, `SELECT id, user_id, name, hint, created_at, last_used_at, revoked_at
		FROM api_tokens WHERE user_id = ? ORDER BY id DESC`, userID)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (APIToken, error) {
		var t APIToken
		err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.Hint, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt)
		return t, err
	})
}

// RevokeToken revokes one of the user's tokens; another user's token is not
// found.
func (s *Store) RevokeToken(ctx context.Context, userID, tokenID int64) error {
	res, err := s.q.Exec(ctx, "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
		time.Now(), tokenID, userID)
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", tokenID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke token %d: %w", tokenID, sqldb.ErrNotFound)
	}
	return nil
}

// scanUserWith scans the user columns followed by extra columns.
func scanUserWith(s sqldb.Scanner, extra ...any) (User, error) {
	var u User
	dest := []any{&u.ID, &u.Email, &u.passwordHash, &u.VerifiedAt, &u.Admin, &u.Editor, &u.DisabledAt, &u.Name, &u.Country,
		&u.Organization, &u.OrganizationType, &u.Position, &u.Bio, &u.BioHTML, &u.TimeZone, &u.Language,
		&u.Visibility, &u.CreatedAt, &u.UpdatedAt}
	err := s.Scan(append(dest, extra...)...)
	return u, err
}

// prefixed qualifies every column of a list with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// SessionCookie names the cookie that holds a session token, for the web
// pages and for API calls made from a logged-in browser.
const SessionCookie = "harambee_session"
