package notify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// FuzzParseUnsubscribe: whatever arrives in an unsubscribe link is either a
// token made here or refused as invalid or expired, never a panic, and a
// refused token stands for nothing.
func FuzzParseUnsubscribe(f *testing.F) {
	ctx := context.Background()
	db := dbtest.New(f, sqldb.SQLite)
	var key []byte
	if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		key, err = signingKey(ctx, tx, true)
		return err
	}); err != nil {
		f.Fatal(err)
	}
	exp := time.Now().Add(time.Hour).Truncate(time.Second)
	f.Add(Unsubscription{UserID: 7, Category: "digest", Expires: exp}.token(key))
	f.Add(Unsubscription{Email: "a@example.org", Category: "event_reminder", Expires: exp}.token(key))
	f.Add("")
	f.Add(".")
	f.Add("MXx1fDd8ZGlnZXN0fDk5OTk5OTk5OTk.AAAA")
	f.Fuzz(func(t *testing.T, token string) {
		u, err := ParseUnsubscribe(ctx, db, token)
		switch {
		case err == nil:
			if u.Category == "" || (u.UserID == 0) == (u.Email == "") || u.token(key) != token {
				t.Errorf("accepted %q as %+v", token, u)
			}
		case errors.Is(err, ErrInvalidToken), errors.Is(err, ErrExpiredToken):
		default:
			t.Errorf("token %q: %v", token, err)
		}
	})
}
