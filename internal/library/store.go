package library

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes resources through a database or a transaction,
// and their files through a file store.
type Store struct {
	q     sqldb.Querier
	files storage.Store
	n     *notify.Notifier // nil: tell no one (see WithNotifier)
}

// WithNotifier returns a store that tells a community's followers of new
// resources. Without one (the demo, imports) nothing is sent.
func (s *Store) WithNotifier(n *notify.Notifier) *Store { return &Store{q: s.q, files: s.files, n: n} }

// NewStore returns a store that works through q and keeps files in files.
func NewStore(q sqldb.Querier, files storage.Store) *Store { return &Store{q: q, files: files} }

// ErrTooLarge is a file over the upload limit.
var ErrTooLarge = errors.New("file too large")

// Upload is a file sent with a resource.
type Upload struct {
	Name  string
	Body  io.Reader
	Limit int64 // the most bytes accepted
}

const resourceColumns = `r.id, r.community_id, COALESCE(r.added_by, 0), COALESCE(u.name, ''), r.kind, r.title, r.summary, r.summary_html,
	r.authors, r.publisher, r.published_on, COALESCE(r.year, 0), r.language, r.licence, r.url, r.file_key, r.file_name, r.file_type, r.file_size,
	r.hidden_at, r.deleted_at, r.created_at, r.updated_at`

const resourceFrom = ` FROM resources r LEFT JOIN users u ON u.id = r.added_by`

func scanResource(s sqldb.Scanner) (Resource, error) {
	var r Resource
	err := s.Scan(&r.ID, &r.CommunityID, &r.AddedBy, &r.AddedByName, &r.Kind, &r.Title, &r.Summary, &r.SummaryHTML,
		&r.Authors, &r.Publisher, &r.PublishedOn, &r.Year, &r.Language, &r.Licence, &r.URL, &r.FileKey, &r.FileName, &r.FileType, &r.FileSize,
		&r.HiddenAt, &r.DeletedAt, &r.CreatedAt, &r.UpdatedAt)
	return r, err
}

// storeFile writes an upload to the file store, refusing it when it is too
// large or of a type outside the allow-list, and returns its key, clean
// name, type and size.
func (s *Store) storeFile(ctx context.Context, up *Upload) (key, name, typ string, size int64, err error) {
	head := make([]byte, 512)
	n, err := io.ReadFull(up.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return "", "", "", 0, fmt.Errorf("read upload: %w", err)
	}
	head = head[:n]
	if n == 0 {
		return "", "", "", 0, validation.Field("file", "library.error.empty_file")
	}
	name = CleanFileName(up.Name)
	if typ = Sniff(head, name); typ == "" {
		return "", "", "", 0, validation.Field("file", "library.error.file_type")
	}
	limited := &io.LimitedReader{R: io.MultiReader(bytes.NewReader(head), up.Body), N: up.Limit + 1}
	key, size, err = s.files.Put(ctx, limited)
	if err != nil {
		return "", "", "", 0, err
	}
	if size > up.Limit {
		s.files.Delete(ctx, key)
		return "", "", "", 0, ErrTooLarge
	}
	if typ == TypeZIP {
		f, _, err := s.files.Open(ctx, key)
		if err != nil {
			s.files.Delete(ctx, key)
			return "", "", "", 0, err
		}
		ra, ok := f.(io.ReaderAt)
		if ok {
			typ = SniffZip(ra, size)
		}
		f.Close()
		if typ == "" {
			s.files.Delete(ctx, key)
			return "", "", "", 0, validation.Field("file", "library.error.file_type")
		}
	}
	if ext := Extension(typ); ext != "" && !strings.HasSuffix(strings.ToLower(name), ext) && !(typ == TypeJPEG && strings.HasSuffix(strings.ToLower(name), ".jpeg")) {
		name = strings.TrimSuffix(name, ".") + ext
	}
	return key, name, typ, size, nil
}

// Create adds a resource to a community's library; members may. A file,
// when given, is checked and stored first, and removed again if the
// resource cannot be saved.
func (s *Store) Create(ctx context.Context, c community.Community, v community.Viewer, in Input, up *Upload) (Resource, error) {
	if v.User == nil || !v.Member() && !v.User.Admin {
		return Resource{}, account.ErrForbidden
	}
	in, err := in.Validate(up != nil)
	if err != nil {
		return Resource{}, err
	}
	var key, name, typ string
	var size int64
	if up != nil {
		if key, name, typ, size, err = s.storeFile(ctx, up); err != nil {
			return Resource{}, err
		}
	}
	now := time.Now().UTC()
	created := now
	if !in.CreatedAt.IsZero() && in.CreatedAt.Before(now) {
		created = in.CreatedAt.UTC()
	}
	var r Resource
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO resources (community_id, added_by, kind, title, summary, summary_html, authors, publisher, published_on, year,
			language, licence, url, file_key, file_name, file_type, file_size, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ID, v.User.ID, in.Kind, in.Title, in.Summary, markdown.Render(in.Summary), in.Authors, in.Publisher, in.PublishedOn, nullYear(in.PublishedOn),
			in.Language, in.Licence, in.URL, key, name, typ, size, created, created).Scan(&id)
		if err != nil {
			return fmt.Errorf("create resource: %w", err)
		}
		st := &Store{q: tx, files: s.files}
		if err := st.setLists(ctx, id, in, false); err != nil {
			return err
		}
		if err := search.IndexResource(ctx, tx, id); err != nil {
			return err
		}
		if r, err = st.Resource(ctx, id); err != nil {
			return err
		}
		if s.n != nil {
			return s.n.Announce(ctx, tx, notify.Announcement{CommunityID: c.ID, AuthorID: v.User.ID, Title: r.Title,
				URL: "/resources/" + strconv.FormatInt(r.ID, 10), What: "library.notify.new_resource"})
		}
		return nil
	})
	if err != nil && key != "" {
		s.files.Delete(ctx, key)
	}
	return r, err
}

func nullYear(publishedOn string) any {
	if y := publishedYear(publishedOn); y != 0 {
		return y
	}
	return nil
}

// Update changes a resource's metadata; whoever added it and the
// community's moderators may. The file or link stays.
func (s *Store) Update(ctx context.Context, o Opened, in Input) (Resource, error) {
	if !o.canEdit() {
		return Resource{}, account.ErrForbidden
	}
	if o.Resource.HasFile() {
		in.URL = ""
	}
	in, err := in.Validate(o.Resource.HasFile())
	if err != nil {
		return Resource{}, err
	}
	var r Resource
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE resources SET kind = ?, title = ?, summary = ?, summary_html = ?, authors = ?, publisher = ?, published_on = ?, year = ?,
			language = ?, licence = ?, url = ?, updated_at = ? WHERE id = ?`,
			in.Kind, in.Title, in.Summary, markdown.Render(in.Summary), in.Authors, in.Publisher, in.PublishedOn, nullYear(in.PublishedOn),
			in.Language, in.Licence, in.URL, time.Now().UTC(), o.Resource.ID)
		if err != nil {
			return err
		}
		st := &Store{q: tx, files: s.files}
		if err := st.setLists(ctx, o.Resource.ID, in, true); err != nil {
			return err
		}
		if err := search.IndexResource(ctx, tx, o.Resource.ID); err != nil {
			return err
		}
		r, err = st.Resource(ctx, o.Resource.ID)
		return err
	})
	return r, err
}

// setLists writes a resource's countries, goals, targets and topics,
// replacing those it had when replace is set (a new one has none).
func (s *Store) setLists(ctx context.Context, id int64, in Input, replace bool) error {
	lists := []struct {
		table, columns string
		rows           [][]any
	}{{table: "resource_countries", columns: "resource_id, country"}, {table: "resource_sdgs", columns: "resource_id, sdg"},
		{table: "resource_targets", columns: "resource_id, target"}, {table: "resource_topics", columns: "resource_id, tag_key, tag"}}
	for _, c := range in.Countries {
		lists[0].rows = append(lists[0].rows, []any{id, c})
	}
	for _, g := range in.SDGs {
		lists[1].rows = append(lists[1].rows, []any{id, g})
	}
	for _, t := range in.Targets {
		lists[2].rows = append(lists[2].rows, []any{id, t})
	}
	for _, t := range in.Topics {
		lists[3].rows = append(lists[3].rows, []any{id, account.TagKey(t), t})
	}
	for _, l := range lists {
		if replace {
			if _, err := s.q.Exec(ctx, "DELETE FROM "+l.table+" WHERE resource_id = ?", id); err != nil {
				return err
			}
		}
		if err := sqldb.InsertRows(ctx, s.q, l.table, l.columns, l.rows, ""); err != nil {
			return err
		}
	}
	return nil
}

// Resource returns a resource whatever its state, with its lists and
// download count; callers check who may see it (see Open).
func (s *Store) Resource(ctx context.Context, id int64) (Resource, error) {
	r, err := scanResource(s.q.QueryRow(ctx, "SELECT "+resourceColumns+resourceFrom+" WHERE r.id = ?", id))
	if err != nil {
		return r, fmt.Errorf("load resource %d: %w", id, err)
	}
	return r, s.loadLists(ctx, []*Resource{&r})
}

// loadLists fills in the lists and download counts of several resources
// with five queries.
func (s *Store) loadLists(ctx context.Context, rs []*Resource) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]any, len(rs))
	byID := map[int64]*Resource{}
	for i, r := range rs {
		ids[i] = r.ID
		byID[r.ID] = r
		r.Countries, r.SDGs, r.Targets, r.Topics = []string{}, []int{}, []string{}, []string{}
	}
	in := "(" + sqldb.Placeholders(len(ids)) + ")"
	each := func(query string, scan func(r *Resource, v string)) error {
		rows, err := s.q.Query(ctx, query, ids...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			scan(byID[id], v)
		}
		return rows.Err()
	}
	err := each("SELECT resource_id, country FROM resource_countries WHERE resource_id IN "+in+" ORDER BY resource_id, country", func(r *Resource, v string) { r.Countries = append(r.Countries, v) })
	if err == nil {
		err = each("SELECT resource_id, CAST(sdg AS TEXT) FROM resource_sdgs WHERE resource_id IN "+in+" ORDER BY resource_id, sdg", func(r *Resource, v string) {
			n, _ := strconv.Atoi(v)
			r.SDGs = append(r.SDGs, n)
		})
	}
	if err == nil {
		err = each("SELECT resource_id, target FROM resource_targets WHERE resource_id IN "+in+" ORDER BY resource_id, target", func(r *Resource, v string) { r.Targets = append(r.Targets, v) })
	}
	if err == nil {
		err = each("SELECT resource_id, tag FROM resource_topics WHERE resource_id IN "+in+" ORDER BY resource_id, tag_key", func(r *Resource, v string) { r.Topics = append(r.Topics, v) })
	}
	if err == nil {
		err = each("SELECT resource_id, CAST(COUNT(*) AS TEXT) FROM resource_downloads WHERE resource_id IN "+in+" GROUP BY resource_id", func(r *Resource, v string) {
			r.Downloads, _ = strconv.Atoi(v)
		})
	}
	if err != nil {
		return fmt.Errorf("load resource lists: %w", err)
	}
	return nil
}

// Opened is a resource with its community and the reader's standing in it.
type Opened struct {
	Resource  Resource
	Community community.Community
	Viewer    community.Viewer
}

func (o Opened) canEdit() bool {
	return o.Viewer.User != nil && (o.Viewer.User.ID == o.Resource.AddedBy || o.Viewer.CanModerate())
}

// CanEdit reports whether the reader may change or delete the resource.
func (o Opened) CanEdit() bool { return o.canEdit() }

// Open loads a resource for a reader: not found when the reader may not know
// it exists, forbidden inside a members-only community they are not in.
func (s *Store) Open(ctx context.Context, id int64, u *account.User) (Opened, error) {
	var o Opened
	var err error
	if o.Resource, err = s.Resource(ctx, id); err != nil {
		return o, err
	}
	cs := community.NewStore(s.q)
	if o.Community, err = cs.ByID(ctx, o.Resource.CommunityID); err != nil {
		return o, err
	}
	if o.Viewer, err = cs.ViewerFor(ctx, o.Community.ID, u); err != nil {
		return o, err
	}
	hidden := o.Resource.DeletedAt != nil || o.Resource.HiddenAt != nil && (u == nil || u.ID != o.Resource.AddedBy)
	switch {
	case !o.Viewer.CanSee(o.Community):
		return o, fmt.Errorf("resource %d: %w", id, sqldb.ErrNotFound)
	case !o.Viewer.CanRead(o.Community):
		return o, account.ErrForbidden
	case hidden && !o.Viewer.CanModerate():
		return o, fmt.Errorf("resource %d: %w", id, sqldb.ErrNotFound)
	}
	return o, nil
}

// Delete removes a resource from the library (its file stays until the
// resource is purged, so a moderator can restore it).
func (s *Store) Delete(ctx context.Context, o Opened) error {
	if !o.canEdit() {
		return account.ErrForbidden
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE resources SET deleted_at = ? WHERE id = ?", time.Now().UTC(), o.Resource.ID); err != nil {
			return err
		}
		return search.IndexResource(ctx, tx, o.Resource.ID)
	})
}

// SetHidden hides a resource from readers or shows it again; moderators
// may.
func (s *Store) SetHidden(ctx context.Context, o Opened, hidden bool) error {
	if !o.Viewer.CanModerate() {
		return account.ErrForbidden
	}
	var at any
	if hidden {
		at = time.Now().UTC()
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE resources SET hidden_at = ? WHERE id = ?", at, o.Resource.ID); err != nil {
			return err
		}
		return search.IndexResource(ctx, tx, o.Resource.ID)
	})
}

// OpenFile opens a resource's file for download.
func (s *Store) OpenFile(ctx context.Context, r Resource) (storage.File, time.Time, error) {
	if !r.HasFile() {
		return nil, time.Time{}, sqldb.ErrNotFound
	}
	f, mod, err := s.files.Open(ctx, r.FileKey)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, time.Time{}, fmt.Errorf("file of resource %d: %w", r.ID, sqldb.ErrNotFound)
	}
	return f, mod, err
}

// RecordDownload counts one download of a resource.
func (s *Store) RecordDownload(ctx context.Context, r Resource, userID int64) error {
	var user any
	if userID != 0 {
		user = userID
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if _, err := tx.Exec(ctx, "INSERT INTO resource_downloads (resource_id, user_id, at) VALUES (?, ?, ?)", r.ID, user, time.Now().UTC()); err != nil {
			return err
		}
		// Search gently favours much-downloaded resources.
		return search.Rescore(ctx, tx, search.KindResource, r.ID)
	})
}

// Recent returns a community's newest resources that every reader sees, for
// its home page and feed.
func (s *Store) Recent(ctx context.Context, communityID int64, limit int) ([]Resource, error) {
	rows, err := s.q.Query(ctx, "SELECT "+resourceColumns+resourceFrom+` WHERE r.community_id = ? AND r.deleted_at IS NULL AND r.hidden_at IS NULL
		ORDER BY r.created_at DESC, r.id DESC LIMIT ?`, communityID, limit)
	return sqldb.Collect(rows, err, scanResource)
}

// Related returns the resources of the same community that share the most
// SDGs and countries with r, then topics, newest first among equals.
func (s *Store) Related(ctx context.Context, r Resource, limit int) ([]Resource, error) {
	rows, err := s.q.Query(ctx, "SELECT "+resourceColumns+`,
			(SELECT COUNT(*) FROM resource_sdgs a JOIN resource_sdgs b ON b.sdg = a.sdg WHERE a.resource_id = r.id AND b.resource_id = ?) * 2
			+ (SELECT COUNT(*) FROM resource_countries a JOIN resource_countries b ON b.country = a.country WHERE a.resource_id = r.id AND b.resource_id = ?) * 2
			+ (SELECT COUNT(*) FROM resource_topics a JOIN resource_topics b ON b.tag_key = a.tag_key WHERE a.resource_id = r.id AND b.resource_id = ?) AS score`+
		resourceFrom+` WHERE r.community_id = ? AND r.id <> ? AND r.deleted_at IS NULL AND r.hidden_at IS NULL
		ORDER BY score DESC, r.created_at DESC LIMIT ?`, r.ID, r.ID, r.ID, r.CommunityID, r.ID, limit*3)
	list, err := sqldb.Collect(rows, err, func(sc sqldb.Scanner) (Resource, error) {
		var res Resource
		var score int
		err := sc.Scan(&res.ID, &res.CommunityID, &res.AddedBy, &res.AddedByName, &res.Kind, &res.Title, &res.Summary, &res.SummaryHTML,
			&res.Authors, &res.Publisher, &res.PublishedOn, &res.Year, &res.Language, &res.Licence, &res.URL, &res.FileKey, &res.FileName, &res.FileType, &res.FileSize,
			&res.HiddenAt, &res.DeletedAt, &res.CreatedAt, &res.UpdatedAt, &score)
		if score == 0 {
			res.ID = 0
		}
		return res, err
	})
	if err != nil {
		return nil, err
	}
	var out []Resource
	for _, x := range list {
		if x.ID != 0 && len(out) < limit {
			out = append(out, x)
		}
	}
	return out, nil
}

// Title is a resource's id and title.
type Title struct {
	ID    int64
	Title string
}

// Titles returns the titles of the resources with the ids that every reader
// sees, in one query.
func (s *Store) Titles(ctx context.Context, ids []int64) ([]Title, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.q.Query(ctx, "SELECT id, title FROM resources WHERE deleted_at IS NULL AND hidden_at IS NULL AND id IN ("+sqldb.Placeholders(len(ids))+") ORDER BY id", args...)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (Title, error) {
		var t Title
		return t, r.Scan(&t.ID, &t.Title)
	})
}

// DigestProvider lists a community's new resources for the members'
// digests.
type DigestProvider struct{}

// DigestItems returns the resources every reader of the community sees,
// added in the period.
func (DigestProvider) DigestItems(ctx context.Context, q sqldb.Querier, r notify.DigestRequest) ([]notify.DigestItem, error) {
	rows, err := q.Query(ctx, `SELECT id, title, kind, created_at FROM resources
		WHERE community_id = ? AND deleted_at IS NULL AND hidden_at IS NULL AND created_at >= ? AND created_at < ? ORDER BY created_at LIMIT 50`,
		r.CommunityID, r.From, r.To)
	l := i18n.For(r.Language)
	return sqldb.Collect(rows, err, func(sc sqldb.Scanner) (notify.DigestItem, error) {
		var id int64
		var kind string
		var it notify.DigestItem
		err := sc.Scan(&id, &it.Title, &kind, &it.At)
		it.URL, it.Note = "/resources/"+strconv.FormatInt(id, 10), l.T("library.notify.digest_note", l.T("library.kind."+kind))
		return it, err
	})
}
