package community

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // logos may be GIF, JPEG or PNG
	_ "image/jpeg"
	_ "image/png"
	"slices"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes communities through a database or a transaction.
type Store struct{ q sqldb.Querier }

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

const communityColumns = `c.id, c.slug, c.name, c.description, c.description_html, c.language, c.visibility, c.join_policy,
	COALESCE(c.primary_sdg, 0), c.logo_type, c.hold_first_posts, COALESCE(c.created_by, 0), c.created_at, c.updated_at`

func scanCommunity(s sqldb.Scanner) (Community, error) {
	var c Community
	err := s.Scan(&c.ID, &c.Slug, &c.Name, &c.Description, &c.DescriptionHTML, &c.Language, &c.Visibility, &c.JoinPolicy,
		&c.PrimarySDG, &c.LogoType, &c.HoldFirstPosts, &c.CreatedBy, &c.CreatedAt, &c.UpdatedAt)
	c.HasLogo = c.LogoType != ""
	return c, err
}

// Create validates and creates a community; its creator becomes its first
// manager.
func (s *Store) Create(ctx context.Context, in Input, creator account.User) (Community, error) {
	in, err := in.Validate()
	if err != nil {
		return Community{}, err
	}
	now := time.Now().UTC()
	created := now
	if !in.CreatedAt.IsZero() && in.CreatedAt.Before(now) {
		created = in.CreatedAt.UTC()
	}
	var c Community
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		var primary any
		if in.PrimarySDG != 0 {
			primary = in.PrimarySDG
		}
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO communities (slug, name, description, description_html, language, visibility, join_policy,
			primary_sdg, hold_first_posts, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Slug, in.Name, in.Description, markdown.Render(in.Description), in.Language, in.Visibility, in.JoinPolicy,
			primary, in.HoldFirstPosts, creator.ID, created, now).Scan(&id)
		if errors.Is(err, sqldb.ErrConflict) {
			return validation.Conflict("slug", "error.slug_taken")
		}
		if err != nil {
			return fmt.Errorf("create community %s: %w", in.Slug, err)
		}
		st := NewStore(tx)
		if err := st.setLists(ctx, id, in); err != nil {
			return err
		}
		if err := st.startMembership(ctx, id, creator.ID, RoleManager, created, 0, creator.ID, "created"); err != nil {
			return err
		}
		if err := search.IndexCommunity(ctx, tx, id); err != nil {
			return err
		}
		c, err = st.ByID(ctx, id)
		return err
	})
	return c, err
}

// Update changes a community's description and settings; its slug stays.
func (s *Store) Update(ctx context.Context, id int64, in Input) (Community, error) {
	old, err := s.ByID(ctx, id)
	if err != nil {
		return Community{}, err
	}
	in.Slug = old.Slug
	if in, err = in.Validate(); err != nil {
		return Community{}, err
	}
	var c Community
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		var primary any
		if in.PrimarySDG != 0 {
			primary = in.PrimarySDG
		}
		_, err := tx.Exec(ctx, `UPDATE communities SET name = ?, description = ?, description_html = ?, language = ?, visibility = ?,
			join_policy = ?, primary_sdg = ?, hold_first_posts = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.Description, markdown.Render(in.Description), in.Language, in.Visibility, in.JoinPolicy, primary, in.HoldFirstPosts, time.Now(), id)
		if err != nil {
			return fmt.Errorf("update community %d: %w", id, err)
		}
		st := NewStore(tx)
		if err := st.setLists(ctx, id, in); err != nil {
			return err
		}
		if err := search.IndexCommunity(ctx, tx, id); err != nil {
			return err
		}
		c, err = st.ByID(ctx, id)
		return err
	})
	return c, err
}

func (s *Store) setLists(ctx context.Context, id int64, in Input) error {
	for _, q := range []string{"DELETE FROM community_sdgs WHERE community_id = ?", "DELETE FROM community_targets WHERE community_id = ?", "DELETE FROM community_focus_areas WHERE community_id = ?"} {
		if _, err := s.q.Exec(ctx, q, id); err != nil {
			return fmt.Errorf("set lists of community %d: %w", id, err)
		}
	}
	if in.PrimarySDG != 0 {
		if _, err := s.q.Exec(ctx, "INSERT INTO community_sdgs (community_id, sdg, is_primary) VALUES (?, ?, TRUE)", id, in.PrimarySDG); err != nil {
			return err
		}
	}
	for _, g := range in.SecondarySDGs {
		if _, err := s.q.Exec(ctx, "INSERT INTO community_sdgs (community_id, sdg, is_primary) VALUES (?, ?, FALSE)", id, g); err != nil {
			return err
		}
	}
	for _, t := range in.Targets {
		if _, err := s.q.Exec(ctx, "INSERT INTO community_targets (community_id, target) VALUES (?, ?)", id, t); err != nil {
			return err
		}
	}
	for i, a := range in.FocusAreas {
		if _, err := s.q.Exec(ctx, "INSERT INTO community_focus_areas (community_id, tag_key, tag, position) VALUES (?, ?, ?, ?)", id, account.TagKey(a), a, i); err != nil {
			return err
		}
	}
	return nil
}

// ByID returns a community with its lists and member count.
func (s *Store) ByID(ctx context.Context, id int64) (Community, error) {
	return s.one(ctx, "c.id = ?", id)
}

// BySlug returns a community with its lists and member count.
func (s *Store) BySlug(ctx context.Context, slug string) (Community, error) {
	if !slugPattern.MatchString(slug) {
		return Community{}, fmt.Errorf("community %q: %w", slug, sqldb.ErrNotFound)
	}
	return s.one(ctx, "c.slug = ?", slug)
}

func (s *Store) one(ctx context.Context, where string, arg any) (Community, error) {
	c, err := scanCommunity(s.q.QueryRow(ctx, "SELECT "+communityColumns+" FROM communities c WHERE "+where, arg))
	if err != nil {
		return Community{}, fmt.Errorf("load community %v: %w", arg, err)
	}
	if err := s.loadDetails(ctx, []*Community{&c}); err != nil {
		return Community{}, err
	}
	return c, nil
}

// loadDetails fills in SDGs, targets, focus areas and member counts of
// several communities with one query, whatever their number: a community is
// loaded on most pages, and each query is a round trip to PostgreSQL.
func (s *Store) loadDetails(ctx context.Context, cs []*Community) error {
	if len(cs) == 0 {
		return nil
	}
	byID := make(map[int64]*Community, len(cs))
	ids := make([]any, len(cs))
	for i, c := range cs {
		byID[c.ID] = c
		ids[i] = c.ID
		c.SecondarySDGs, c.Targets, c.FocusAreas = []int{}, []string{}, []string{}
	}
	in := "(" + sqldb.Placeholders(len(ids)) + ")"
	// Each row is one detail: what it is, its order among its kind, and its
	// value (a goal, a target, a focus area, or the count of members).
	rows, err := s.q.Query(ctx, `SELECT community_id, 'sdg', sdg, '' FROM community_sdgs WHERE is_primary = FALSE AND community_id IN `+in+`
		UNION ALL SELECT community_id, 'target', 0, target FROM community_targets WHERE community_id IN `+in+`
		UNION ALL SELECT community_id, 'focus', position, tag FROM community_focus_areas WHERE community_id IN `+in+`
		UNION ALL SELECT community_id, 'members', COUNT(*), '' FROM memberships WHERE left_at IS NULL AND community_id IN `+in+` GROUP BY community_id
		ORDER BY 1, 2, 3, 4`, slices.Concat(ids, ids, ids, ids)...)
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var id, n int64
		var kind, text string
		if err := r.Scan(&id, &kind, &n, &text); err != nil {
			return err
		}
		c := byID[id]
		switch kind {
		case "sdg":
			c.SecondarySDGs = append(c.SecondarySDGs, int(n))
		case "target":
			c.Targets = append(c.Targets, text)
		case "focus":
			c.FocusAreas = append(c.FocusAreas, text)
		case "members":
			c.MemberCount = int(n)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load community details: %w", err)
	}
	for _, c := range cs {
		taxonomy.SortTargetCodes(c.Targets)
	}
	return nil
}

// ListOptions narrows and pages the list of communities.
type ListOptions struct {
	Query      string
	SDG        int
	FocusArea  string
	Visibility string
	Reader     *account.User // nil for anonymous readers
	Limit      int
	Offset     int
}

// List returns the communities the reader may know of, by name, and how many
// match. Private communities appear only to their members and to site
// administrators.
func (s *Store) List(ctx context.Context, opt ListOptions) ([]Community, int, error) {
	var where strings.Builder
	var args []any
	where.WriteString(" WHERE 1 = 1")
	switch {
	case opt.Reader == nil:
		where.WriteString(" AND c.visibility <> 'private'")
	case !opt.Reader.Admin:
		where.WriteString(" AND (c.visibility <> 'private' OR c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))")
		args = append(args, opt.Reader.ID)
	}
	if q := strings.TrimSpace(opt.Query); q != "" {
		like := "%" + escapeLike(strings.ToLower(q)) + "%"
		where.WriteString(` AND (lower(c.name) LIKE ? ESCAPE '\' OR c.slug LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	if opt.SDG != 0 {
		where.WriteString(" AND c.id IN (SELECT community_id FROM community_sdgs WHERE sdg = ?)")
		args = append(args, opt.SDG)
	}
	if opt.FocusArea != "" {
		where.WriteString(" AND c.id IN (SELECT community_id FROM community_focus_areas WHERE tag_key = ?)")
		args = append(args, account.TagKey(opt.FocusArea))
	}
	if opt.Visibility != "" {
		where.WriteString(" AND c.visibility = ?")
		args = append(args, opt.Visibility)
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM communities c"+where.String(), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count communities: %w", err)
	}
	rows, err := s.q.Query(ctx, "SELECT "+communityColumns+" FROM communities c"+where.String()+" ORDER BY lower(c.name), c.id LIMIT ? OFFSET ?",
		append(args, opt.Limit, opt.Offset)...)
	list, err := sqldb.Collect(rows, err, scanCommunity)
	if err != nil {
		return nil, 0, fmt.Errorf("list communities: %w", err)
	}
	ptrs := make([]*Community, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return list, total, s.loadDetails(ctx, ptrs)
}

// FocusAreaCounts returns the focus areas of the communities the reader may
// know of, with how many communities carry each, most common first.
func (s *Store) FocusAreaCounts(ctx context.Context, reader *account.User, limit int) ([]TagCount, error) {
	cond, args := "", []any{}
	switch {
	case reader == nil:
		cond = " AND c.visibility <> 'private'"
	case !reader.Admin:
		cond = " AND (c.visibility <> 'private' OR c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))"
		args = append(args, reader.ID)
	}
	rows, err := s.q.Query(ctx, `SELECT MIN(f.tag), f.tag_key, COUNT(*) FROM community_focus_areas f JOIN communities c ON c.id = f.community_id
		WHERE 1 = 1`+cond+` GROUP BY f.tag_key ORDER BY COUNT(*) DESC, f.tag_key LIMIT ?`, append(args, limit)...)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (TagCount, error) {
		var t TagCount
		err := r.Scan(&t.Tag, &t.Key, &t.Count)
		return t, err
	})
}

// TagCount is a tag with how often it is used.
type TagCount struct {
	Tag, Key string
	Count    int
}

// ViewerFor returns where the user stands in the community; a nil user is
// an anonymous viewer.
func (s *Store) ViewerFor(ctx context.Context, communityID int64, u *account.User) (Viewer, error) {
	v := Viewer{User: u}
	if u == nil {
		return v, nil
	}
	var role *string
	err := s.q.QueryRow(ctx, `SELECT
		(SELECT role FROM memberships WHERE community_id = ? AND user_id = ? AND left_at IS NULL),
		EXISTS (SELECT 1 FROM community_bans WHERE community_id = ? AND user_id = ?),
		EXISTS (SELECT 1 FROM join_requests WHERE community_id = ? AND user_id = ? AND status = 'pending')`,
		communityID, u.ID, communityID, u.ID, communityID, u.ID).Scan(&role, &v.Banned, &v.Pending)
	if err != nil {
		return v, fmt.Errorf("load viewer of community %d: %w", communityID, err)
	}
	if role != nil {
		v.Role = *role
	}
	return v, nil
}

// SetLogo stores a logo: a GIF, JPEG or PNG image of at most 200 KB and
// 2000 pixels a side. Anything else (SVG, which can carry scripts, or a file
// that only claims to be an image) is refused.
func (s *Store) SetLogo(ctx context.Context, id int64, data []byte) error {
	if len(data) > MaxLogoBytes {
		return validation.Field("logo", "error.logo_size", MaxLogoBytes>>10)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return validation.Field("logo", "error.logo_type")
	}
	if cfg.Width > 2000 || cfg.Height > 2000 || cfg.Width == 0 || cfg.Height == 0 {
		return validation.Field("logo", "error.logo_dimensions", 2000)
	}
	_, err = s.q.Exec(ctx, "UPDATE communities SET logo = ?, logo_type = ?, updated_at = ? WHERE id = ?", data, "image/"+format, time.Now(), id)
	if err != nil {
		return fmt.Errorf("set logo of community %d: %w", id, err)
	}
	return nil
}

// Logo returns a community's logo and its content type.
func (s *Store) Logo(ctx context.Context, id int64) ([]byte, string, error) {
	var data []byte
	var typ string
	err := s.q.QueryRow(ctx, "SELECT logo, logo_type FROM communities WHERE id = ? AND logo_type <> ''", id).Scan(&data, &typ)
	if err != nil {
		return nil, "", fmt.Errorf("load logo of community %d: %w", id, err)
	}
	return data, typ, nil
}

// Creation policies: who may create communities.
const (
	CreationAdmins  = "admins"
	CreationMembers = "members"
	creationSetting = "community_creation"
)

// CreationPolicy returns who may create communities: administrators only
// (the default) or every verified member.
func (s *Store) CreationPolicy(ctx context.Context) (string, error) {
	var v string
	err := s.q.QueryRow(ctx, "SELECT value FROM settings WHERE key = ?", creationSetting).Scan(&v)
	if errors.Is(err, sqldb.ErrNotFound) || err == nil && v != CreationMembers {
		return CreationAdmins, nil
	}
	return v, err
}

// SetCreationPolicy changes who may create communities.
func (s *Store) SetCreationPolicy(ctx context.Context, policy string) error {
	var e validation.Error
	e.OneOf("community_creation", policy, true, CreationAdmins, CreationMembers)
	if err := e.Err(); err != nil {
		return err
	}
	_, err := s.q.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, creationSetting, policy, time.Now())
	return err
}

// CanCreate reports whether the user may create a community.
func (s *Store) CanCreate(ctx context.Context, u *account.User) (bool, error) {
	if u == nil {
		return false, nil
	}
	if u.Admin {
		return true, nil
	}
	p, err := s.CreationPolicy(ctx)
	return p == CreationMembers && u.Verified(), err
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
