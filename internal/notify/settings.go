package notify

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// Frequency is how often a member hears of what is new in a community.
type Frequency string

// Frequencies, as the settings page offers them.
const (
	EveryItem Frequency = "immediate" // an e-mail for each new item
	Daily     Frequency = "daily"
	Weekly    Frequency = "weekly" // the default
	Never     Frequency = "none"
)

// Frequencies lists the frequencies in the order the settings page shows
// them.
var Frequencies = []Frequency{EveryItem, Daily, Weekly, Never}

// Valid reports whether f is one of Frequencies.
func (f Frequency) Valid() bool {
	for _, v := range Frequencies {
		if v == f {
			return true
		}
	}
	return false
}

// period is how long a digest of frequency f covers.
func (f Frequency) period() time.Duration {
	if f == Daily {
		return 24 * time.Hour
	}
	return 7 * 24 * time.Hour
}

// ErrNotMember is returned when a member sets how often to hear from a
// community they are not in.
var ErrNotMember = errors.New("not a member of the community")

// Settings holds what members chose to receive, and the addresses without
// an account that unsubscribed.
type Settings struct{ q sqldb.Querier }

// NewSettings returns the settings read and written through q.
func NewSettings(q sqldb.Querier) *Settings { return &Settings{q: q} }

// Deliveries returns the member's delivery for each category of list that
// members choose (transactional ones are left out), defaults included.
func (s *Settings) Deliveries(ctx context.Context, userID int64, list []Category) (map[string]Delivery, error) {
	rows, err := s.q.Query(ctx, "SELECT category, delivery FROM notification_settings WHERE user_id = ?", userID)
	type row struct{ category, delivery string }
	saved, err := sqldb.Collect(rows, err, func(sc sqldb.Scanner) (row, error) {
		var r row
		return r, sc.Scan(&r.category, &r.delivery)
	})
	if err != nil {
		return nil, fmt.Errorf("load notification settings of %d: %w", userID, err)
	}
	out := make(map[string]Delivery, len(list))
	for _, c := range list {
		if !c.Transactional {
			out[c.Key] = c.Default
		}
	}
	for _, r := range saved {
		if c, ok := lookup(list, r.category); ok && c.Allows(Delivery(r.delivery)) {
			out[r.category] = Delivery(r.delivery)
		}
	}
	return out, nil
}

// delivery returns how the member receives category c.
func (s *Settings) delivery(ctx context.Context, userID int64, c Category) (Delivery, error) {
	if c.Transactional {
		return Immediate, nil
	}
	var d string
	err := s.q.QueryRow(ctx, "SELECT delivery FROM notification_settings WHERE user_id = ? AND category = ?", userID, c.Key).Scan(&d)
	switch {
	case errors.Is(err, sqldb.ErrNotFound):
		return c.Default, nil
	case err != nil:
		return "", fmt.Errorf("load notification setting %s of %d: %w", c.Key, userID, err)
	case !c.Allows(Delivery(d)):
		return c.Default, nil
	}
	return Delivery(d), nil
}

// SetDelivery records how the member receives category c.
func (s *Settings) SetDelivery(ctx context.Context, userID int64, c Category, d Delivery) error {
	if !c.Allows(d) {
		return fmt.Errorf("category %s: delivery %q is not a choice", c.Key, d)
	}
	_, err := s.q.Exec(ctx, `INSERT INTO notification_settings (user_id, category, delivery, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, category) DO UPDATE SET delivery = excluded.delivery, updated_at = excluded.updated_at`,
		userID, c.Key, string(d), time.Now())
	if err != nil {
		return fmt.Errorf("save notification setting %s of %d: %w", c.Key, userID, err)
	}
	return nil
}

// CommunitySetting is how often a member hears from one of their
// communities.
type CommunitySetting struct {
	CommunityID int64
	Slug        string
	Name        string
	Frequency   Frequency
}

// Communities returns the communities the member belongs to, by name, each
// with its frequency (weekly unless chosen).
func (s *Settings) Communities(ctx context.Context, userID int64) ([]CommunitySetting, error) {
	rows, err := s.q.Query(ctx, `SELECT c.id, c.slug, c.name, COALESCE(d.frequency, ?)
		FROM memberships m
		JOIN communities c ON c.id = m.community_id
		LEFT JOIN digest_settings d ON d.user_id = m.user_id AND d.community_id = m.community_id
		WHERE m.user_id = ? AND m.left_at IS NULL
		ORDER BY c.name, c.id`, string(Weekly), userID)
	out, err := sqldb.Collect(rows, err, func(sc sqldb.Scanner) (CommunitySetting, error) {
		var c CommunitySetting
		err := sc.Scan(&c.CommunityID, &c.Slug, &c.Name, &c.Frequency)
		if !c.Frequency.Valid() {
			c.Frequency = Weekly
		}
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("load community settings of %d: %w", userID, err)
	}
	return out, nil
}

// SetFrequency records how often the member hears from a community they
// belong to; ErrNotMember otherwise.
func (s *Settings) SetFrequency(ctx context.Context, userID, communityID int64, f Frequency) error {
	if !f.Valid() {
		return fmt.Errorf("frequency %q is not a choice", f)
	}
	var n int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE user_id = ? AND community_id = ? AND left_at IS NULL",
		userID, communityID).Scan(&n); err != nil {
		return fmt.Errorf("check membership of %d in %d: %w", userID, communityID, err)
	}
	if n == 0 {
		return ErrNotMember
	}
	_, err := s.q.Exec(ctx, `INSERT INTO digest_settings (user_id, community_id, frequency, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, community_id) DO UPDATE SET frequency = excluded.frequency, updated_at = excluded.updated_at`,
		userID, communityID, string(f), time.Now())
	if err != nil {
		return fmt.Errorf("save digest setting of %d for %d: %w", userID, communityID, err)
	}
	return nil
}

// optedOut reports whether an address asked for no more messages of the
// category.
func (s *Settings) optedOut(ctx context.Context, email, category string) (bool, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM email_optouts WHERE email = ? AND category = ?",
		strings.ToLower(strings.TrimSpace(email)), category).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check opt-out of %s: %w", email, err)
	}
	return n > 0, nil
}

func (s *Settings) setOptOut(ctx context.Context, email, category string, out bool) error {
	email = strings.ToLower(strings.TrimSpace(email))
	var err error
	if out {
		_, err = s.q.Exec(ctx, "INSERT INTO email_optouts (email, category, created_at) VALUES (?, ?, ?) ON CONFLICT (email, category) DO NOTHING",
			email, category, time.Now())
	} else {
		_, err = s.q.Exec(ctx, "DELETE FROM email_optouts WHERE email = ? AND category = ?", email, category)
	}
	if err != nil {
		return fmt.Errorf("save opt-out of %s: %w", email, err)
	}
	return nil
}
