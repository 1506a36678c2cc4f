package notify

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestUnsubscribeToken: a token stands for what it was made for until it
// expires; an expired one says so rather than passing for forged.
func TestUnsubscribeToken(t *testing.T) {
	ctx := context.Background()
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		var key []byte
		if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
			var err error
			key, err = signingKey(ctx, tx, true)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if again, err := signingKey(ctx, db, false); err != nil || string(again) != string(key) {
			t.Fatalf("the key changed: %v", err)
		}
		future := time.Now().Add(time.Hour).Truncate(time.Second).UTC()
		for _, u := range []Unsubscription{
			{UserID: 42, Category: "digest", Expires: future},
			{Email: "odd|address@example.org", Category: "event_reminder", Expires: future},
		} {
			got, err := ParseUnsubscribe(ctx, db, u.token(key))
			if err != nil || got != u {
				t.Errorf("parse %+v: %+v, %v", u, got, err)
			}
		}
		old := Unsubscription{UserID: 42, Category: "digest", Expires: time.Now().Add(-time.Minute)}
		if _, err := ParseUnsubscribe(ctx, db, old.token(key)); !errors.Is(err, ErrExpiredToken) {
			t.Errorf("expired token: %v", err)
		}
		other := Unsubscription{UserID: 42, Category: "digest", Expires: future}
		if _, err := ParseUnsubscribe(ctx, db, other.token([]byte("another key"))); !errors.Is(err, ErrInvalidToken) {
			t.Errorf("token signed with another key: %v", err)
		}
	})
	// A site that never sent a message has no key: every token is forged.
	db := dbtest.New(t, sqldb.SQLite)
	u := Unsubscription{UserID: 1, Category: "digest", Expires: time.Now().Add(time.Hour)}
	if _, err := ParseUnsubscribe(ctx, db, u.token([]byte("k"))); !errors.Is(err, ErrInvalidToken) {
		t.Errorf("token without a key: %v", err)
	}
}

func TestNextDigest(t *testing.T) {
	brt := time.FixedZone("BRT", -3*3600)
	tests := []struct {
		now  time.Time
		loc  *time.Location
		f    Frequency
		want time.Time
	}{
		// Tuesday 06:59 in Brasília: today 07:00 for the daily one, next
		// Monday for the weekly one.
		{time.Date(2026, 6, 2, 9, 59, 0, 0, time.UTC), brt, Daily, time.Date(2026, 6, 2, 7, 0, 0, 0, brt)},
		{time.Date(2026, 6, 2, 9, 59, 0, 0, time.UTC), brt, Weekly, time.Date(2026, 6, 8, 7, 0, 0, 0, brt)},
		// 07:00 exactly has passed: tomorrow.
		{time.Date(2026, 6, 2, 10, 0, 0, 0, time.UTC), brt, Daily, time.Date(2026, 6, 3, 7, 0, 0, 0, brt)},
		// Monday 06:00 UTC: this very Monday.
		{time.Date(2026, 6, 1, 6, 0, 0, 0, time.UTC), time.UTC, Weekly, time.Date(2026, 6, 1, 7, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := nextDigest(tt.now, tt.loc, tt.f); !got.Equal(tt.want) {
			t.Errorf("nextDigest(%v, %s) = %v, want %v", tt.now, tt.f, got, tt.want)
		}
	}
}
