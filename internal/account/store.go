package account

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes accounts through a database or a transaction.
type Store struct{ q sqldb.Querier }

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

const userColumns = `id, email, password_hash, email_verified_at, is_admin, is_editor, disabled_at, name, country, organization,
	organization_type, position, bio, bio_html, timezone, ui_language, profile_visibility, created_at, updated_at`

func scanUser(s sqldb.Scanner) (User, error) { return scanUserWith(s) }

// CreateUser validates and creates an account. An e-mail address that is
// already taken, in any letter case, is a conflict on the email field.
func (s *Store) CreateUser(ctx context.Context, in NewUser) (User, error) {
	in, err := in.Validate()
	if err != nil {
		return User{}, err
	}
	hash := in.PasswordHash
	if hash == "" && in.Password != "" {
		if hash, err = HashPassword(in.Password); err != nil {
			return User{}, fmt.Errorf("hash password: %w", err)
		}
	}
	now := time.Now().UTC()
	created := now
	if !in.CreatedAt.IsZero() && in.CreatedAt.Before(now) {
		created = in.CreatedAt.UTC()
	}
	var verified *time.Time
	if in.Verified {
		verified = &created
	}
	p := in.Profile
	var u User
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(ctx, `INSERT INTO users (email, password_hash, email_verified_at, is_admin, is_editor, name, country,
			organization, organization_type, position, bio, bio_html, timezone, ui_language, profile_visibility, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+userColumns,
			in.Email, hash, verified, in.Admin, in.Editor, p.Name, p.Country, p.Organization, p.OrganizationType, p.Position,
			p.Bio, markdown.Render(p.Bio), p.TimeZone, p.Language, p.Visibility, created, now))
		if errors.Is(err, sqldb.ErrConflict) {
			return validation.Conflict("email", "error.email_taken")
		}
		if err != nil {
			return fmt.Errorf("create user %s: %w", in.Email, err)
		}
		if err := NewStore(tx).setLists(ctx, u.ID, p.Languages, p.Expertise, false); err != nil {
			return err
		}
		return search.IndexProfile(ctx, tx, u.ID)
	})
	if err != nil {
		return User{}, err
	}
	u.Languages, u.Expertise = p.Languages, p.Expertise
	return u, nil
}

// setLists sets a member's languages and expertise tags, replacing those
// they had when replace is set (a new account has none to replace).
func (s *Store) setLists(ctx context.Context, userID int64, langs, tags []string, replace bool) error {
	if replace {
		if _, err := s.q.Exec(ctx, "DELETE FROM user_languages WHERE user_id = ?", userID); err != nil {
			return fmt.Errorf("set languages of %d: %w", userID, err)
		}
		if _, err := s.q.Exec(ctx, "DELETE FROM user_expertise WHERE user_id = ?", userID); err != nil {
			return fmt.Errorf("set expertise of %d: %w", userID, err)
		}
	}
	rows := make([][]any, len(langs))
	for i, l := range langs {
		rows[i] = []any{userID, l}
	}
	if err := sqldb.InsertRows(ctx, s.q, "user_languages", "user_id, language", rows, ""); err != nil {
		return fmt.Errorf("set languages of %d: %w", userID, err)
	}
	rows = make([][]any, len(tags))
	for i, t := range tags {
		rows[i] = []any{userID, TagKey(t), t, i}
	}
	if err := sqldb.InsertRows(ctx, s.q, "user_expertise", "user_id, tag_key, tag, position", rows, ""); err != nil {
		return fmt.Errorf("set expertise of %d: %w", userID, err)
	}
	return nil
}

// User returns the account with the id, with its languages and expertise.
func (s *Store) User(ctx context.Context, id int64) (User, error) {
	u, err := scanUser(s.q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if err != nil {
		return User{}, fmt.Errorf("load user %d: %w", id, err)
	}
	if err := s.loadLists(ctx, []*User{&u}); err != nil {
		return User{}, err
	}
	return u, nil
}

// UsersByID returns the accounts with the ids, in id order, with two more
// queries for their languages and expertise.
func (s *Store) UsersByID(ctx context.Context, ids []int64) ([]User, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.q.Query(ctx, "SELECT "+userColumns+" FROM users WHERE id IN ("+sqldb.Placeholders(len(ids))+") ORDER BY id", args...)
	users, err := sqldb.Collect(rows, err, scanUser)
	if err != nil {
		return nil, fmt.Errorf("load users: %w", err)
	}
	ptrs := make([]*User, len(users))
	for i := range users {
		ptrs[i] = &users[i]
	}
	return users, s.loadLists(ctx, ptrs)
}

// UserByEmail returns the account with the address, in any letter case.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	email = validation.NormalizeEmail(email)
	u, err := scanUser(s.q.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
	if err != nil {
		return User{}, fmt.Errorf("load user %s: %w", email, err)
	}
	if err := s.loadLists(ctx, []*User{&u}); err != nil {
		return User{}, err
	}
	return u, nil
}

// loadLists fills in the languages and expertise of several users with one
// query, whatever their number: the reader is loaded on every page.
func (s *Store) loadLists(ctx context.Context, users []*User) error {
	if len(users) == 0 {
		return nil
	}
	byID := make(map[int64]*User, len(users))
	ids := make([]any, 0, len(users))
	for _, u := range users {
		byID[u.ID] = u
		ids = append(ids, u.ID)
		u.Languages, u.Expertise = []string{}, []string{}
	}
	in := sqldb.Placeholders(len(ids))
	// Languages in alphabetical order, expertise in the user's own.
	rows, err := s.q.Query(ctx, "SELECT user_id, 'language', 0, language FROM user_languages WHERE user_id IN ("+in+")"+
		" UNION ALL SELECT user_id, 'expertise', position, tag FROM user_expertise WHERE user_id IN ("+in+") ORDER BY 1, 2, 3, 4", append(ids, ids...)...)
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var id int64
		var kind, value string
		var position int
		if err := r.Scan(&id, &kind, &position, &value); err != nil {
			return err
		}
		if kind == "language" {
			byID[id].Languages = append(byID[id].Languages, value)
		} else {
			byID[id].Expertise = append(byID[id].Expertise, value)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load languages and expertise: %w", err)
	}
	return nil
}

// ListOptions narrows and pages a list of accounts.
type ListOptions struct {
	Query  string // part of the name or e-mail address
	Limit  int
	Offset int
}

// Users returns a page of accounts, in the order they were created, and how
// many match.
func (s *Store) Users(ctx context.Context, opt ListOptions) ([]User, int, error) {
	where, args := "", []any{}
	if q := strings.TrimSpace(opt.Query); q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		where, args = ` WHERE lower(name) LIKE ? ESCAPE '\' OR email LIKE ? ESCAPE '\'`, []any{like, like}
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM users"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count users: %w", err)
	}
	rows, err := s.q.Query(ctx, "SELECT "+userColumns+" FROM users"+where+" ORDER BY id LIMIT ? OFFSET ?", append(args, opt.Limit, opt.Offset)...)
	users, err := sqldb.Collect(rows, err, scanUser)
	if err != nil {
		return nil, 0, fmt.Errorf("list users: %w", err)
	}
	ptrs := make([]*User, len(users))
	for i := range users {
		ptrs[i] = &users[i]
	}
	if err := s.loadLists(ctx, ptrs); err != nil {
		return nil, 0, err
	}
	return users, total, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// UpdateProfile validates and saves a member's profile.
func (s *Store) UpdateProfile(ctx context.Context, id int64, p Profile) (User, error) {
	p, err := p.Validate()
	if err != nil {
		return User{}, err
	}
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		res, err := tx.Exec(ctx, `UPDATE users SET name = ?, country = ?, organization = ?, organization_type = ?, position = ?,
			bio = ?, bio_html = ?, timezone = ?, ui_language = ?, profile_visibility = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Country, p.Organization, p.OrganizationType, p.Position, p.Bio, markdown.Render(p.Bio),
			p.TimeZone, p.Language, p.Visibility, time.Now(), id)
		if err != nil {
			return fmt.Errorf("update profile %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("update profile %d: %w", id, sqldb.ErrNotFound)
		}
		if err := NewStore(tx).setLists(ctx, id, p.Languages, p.Expertise, true); err != nil {
			return err
		}
		return search.IndexProfile(ctx, tx, id)
	})
	if err != nil {
		return User{}, err
	}
	return s.User(ctx, id)
}

// SetLanguage saves the member's interface language.
func (s *Store) SetLanguage(ctx context.Context, id int64, lang string) error {
	_, err := s.q.Exec(ctx, "UPDATE users SET ui_language = ?, updated_at = ? WHERE id = ?", lang, time.Now(), id)
	if err != nil {
		return fmt.Errorf("set language of %d: %w", id, err)
	}
	return nil
}

// setPasswordHash stores a new password hash.
func (s *Store) setPasswordHash(ctx context.Context, id int64, hash string) error {
	_, err := s.q.Exec(ctx, "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, time.Now(), id)
	if err != nil {
		return fmt.Errorf("set password of %d: %w", id, err)
	}
	return nil
}

// SetAdmin makes a member a site administrator or takes the role away.
func (s *Store) SetAdmin(ctx context.Context, id int64, admin bool) error {
	_, err := s.q.Exec(ctx, "UPDATE users SET is_admin = ?, updated_at = ? WHERE id = ?", admin, time.Now(), id)
	if err != nil {
		return fmt.Errorf("set admin %d: %w", id, err)
	}
	return nil
}

// SetEditor lets a member edit the solutions catalogue, or stops them.
func (s *Store) SetEditor(ctx context.Context, id int64, editor bool) error {
	_, err := s.q.Exec(ctx, "UPDATE users SET is_editor = ?, updated_at = ? WHERE id = ?", editor, time.Now(), id)
	if err != nil {
		return fmt.Errorf("set editor %d: %w", id, err)
	}
	return nil
}

// CountUsers returns how many accounts exist, to tell an empty database.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}
