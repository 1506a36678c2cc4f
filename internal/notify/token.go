package notify

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// UnsubscribeLifetime is how long the unsubscribe link of a message works:
// long enough for a message read weeks later, short enough that old
// messages do not carry working links forever.
const UnsubscribeLifetime = 90 * 24 * time.Hour

// Errors of unsubscribe links; the page explains each.
var (
	ErrInvalidToken = errors.New("unsubscribe link not valid")
	ErrExpiredToken = errors.New("unsubscribe link expired")
)

// Unsubscription is what an unsubscribe link stands for: one category, for
// a member or for an address without an account.
type Unsubscription struct {
	UserID   int64  // the member; 0 for an address without an account
	Email    string // the address, when there is no account
	Category string
	Expires  time.Time
}

// keySetting is where the secret that signs unsubscribe links is kept: in
// the database, so that every instance signs and checks alike.
const keySetting = "unsubscribe_signing_key"

// signingKey returns the secret, creating it the first time; it must run
// on the writer (a transaction) the first time.
func signingKey(ctx context.Context, q sqldb.Querier, create bool) ([]byte, error) {
	var v string
	err := q.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", keySetting).Scan(&v)
	if errors.Is(err, sqldb.ErrNotFound) && create {
		b := make([]byte, 32)
		rand.Read(b)
		if _, err := q.Exec(ctx, "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
			keySetting, hex.EncodeToString(b), time.Now()); err != nil {
			return nil, fmt.Errorf("create the unsubscribe key: %w", err)
		}
		err = q.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", keySetting).Scan(&v)
	}
	if err != nil {
		return nil, fmt.Errorf("load the unsubscribe key: %w", err)
	}
	return hex.DecodeString(v)
}

// token signs u: base64url("1|u|ID|CATEGORY|EXPIRY") or
// base64url("1|e|CATEGORY|EXPIRY|EMAIL"), a dot, and the first 128 bits of
// its HMAC-SHA256.
func (u Unsubscription) token(key []byte) string {
	var payload string
	if u.UserID != 0 {
		payload = fmt.Sprintf("1|u|%d|%s|%d", u.UserID, u.Category, u.Expires.Unix())
	} else {
		payload = fmt.Sprintf("1|e|%s|%d|%s", u.Category, u.Expires.Unix(), u.Email)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(sign(key, payload))
}

func sign(key []byte, payload string) []byte {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	return mac.Sum(nil)[:16]
}

// ParseUnsubscribe checks a token from an unsubscribe link and returns what
// it stands for: ErrInvalidToken when it was not made here (forged,
// truncated, altered), ErrExpiredToken when it is too old.
func ParseUnsubscribe(ctx context.Context, q sqldb.Querier, token string) (Unsubscription, error) {
	if len(token) > 600 {
		return Unsubscription{}, ErrInvalidToken
	}
	p, s, ok := strings.Cut(token, ".")
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(p)
	mac, err2 := enc.DecodeString(s)
	if !ok || err1 != nil || err2 != nil {
		return Unsubscription{}, ErrInvalidToken
	}
	key, err := signingKey(ctx, q, false)
	if errors.Is(err, sqldb.ErrNotFound) {
		return Unsubscription{}, ErrInvalidToken
	}
	if err != nil {
		return Unsubscription{}, err
	}
	if !hmac.Equal(mac, sign(key, string(payload))) {
		return Unsubscription{}, ErrInvalidToken
	}
	f := strings.SplitN(string(payload), "|", 5)
	if len(f) != 5 || f[0] != "1" {
		return Unsubscription{}, ErrInvalidToken
	}
	var u Unsubscription
	var expiry string
	switch f[1] {
	case "u":
		id, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil || id <= 0 {
			return Unsubscription{}, ErrInvalidToken
		}
		u.UserID, u.Category, expiry = id, f[3], f[4]
	case "e":
		u.Category, expiry, u.Email = f[2], f[3], f[4]
	default:
		return Unsubscription{}, ErrInvalidToken
	}
	sec, err := strconv.ParseInt(expiry, 10, 64)
	if err != nil {
		return Unsubscription{}, ErrInvalidToken
	}
	u.Expires = time.Unix(sec, 0).UTC()
	if time.Now().After(u.Expires) {
		return u, ErrExpiredToken
	}
	return u, nil
}
