package event

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes events through a database or a transaction.
// Changes that tell people something (registrations, cancellations) go
// through Service, which writes the messages in the same transaction.
type Store struct{ q sqldb.Querier }

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

// Check says whether the viewer may see an event of the community: an
// event the viewer may not know of is sqldb.ErrNotFound (a private
// community, a draft for anyone but its managers), one inside a
// members-only community is account.ErrForbidden for others, as the
// community's own pages answer.
func Check(c community.Community, v community.Viewer, e Event) error {
	switch {
	case !v.CanSee(c):
		return fmt.Errorf("event %d: %w", e.ID, sqldb.ErrNotFound)
	case !v.CanRead(c):
		return account.ErrForbidden
	case e.Status == Draft && !v.CanManage():
		return fmt.Errorf("event %d: %w", e.ID, sqldb.ErrNotFound)
	}
	return nil
}

const eventColumns = `e.id, e.community_id, c.slug, c.name, e.title, e.description, e.description_html, e.language, e.kind, e.status,
	e.starts_at, e.ends_at, e.timezone, e.join_url, e.capacity, e.registration_deadline, e.certificate_share, e.recording_url,
	e.recording_views, e.sequence, COALESCE(e.created_by, 0), e.created_at, e.updated_at`

const eventFrom = " FROM events e JOIN communities c ON c.id = e.community_id"

// Listed is an event with the community it belongs to, as lists show it.
type Listed struct {
	Event
	CommunitySlug string
	CommunityName string
}

func scanListed(r sqldb.Scanner) (Listed, error) {
	var l Listed
	e := &l.Event
	err := r.Scan(&e.ID, &e.CommunityID, &l.CommunitySlug, &l.CommunityName, &e.Title, &e.Description, &e.DescriptionHTML, &e.Language,
		&e.Kind, &e.Status, &e.StartsAt, &e.EndsAt, &e.TimeZone, &e.JoinURL, &e.Capacity, &e.RegistrationDeadline, &e.CertificateShare,
		&e.RecordingURL, &e.RecordingViews, &e.Sequence, &e.CreatedBy, &e.CreatedAt, &e.UpdatedAt)
	e.StartsAt, e.EndsAt = e.StartsAt.UTC(), e.EndsAt.UTC()
	return l, err
}

// Create validates and creates an event of a community.
func (s *Store) Create(ctx context.Context, communityID int64, in Input, creator account.User) (Event, error) {
	in, err := in.Validate()
	if err != nil {
		return Event{}, err
	}
	var e Event
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		now := time.Now().UTC()
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO events (community_id, title, description, description_html, language, kind, status, starts_at, ends_at,
			timezone, join_url, capacity, registration_deadline, certificate_share, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			communityID, in.Title, in.Description, markdown.Render(in.Description), in.Language, in.Kind, in.Status, in.StartsAt, in.EndsAt,
			in.TimeZone, in.JoinURL, in.Capacity, deadline(in), in.CertificateShare, creator.ID, now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("create event %q: %w", in.Title, err)
		}
		st := NewStore(tx)
		if err := st.setLists(ctx, id, in); err != nil {
			return err
		}
		if err := search.IndexEvent(ctx, tx, id); err != nil {
			return err
		}
		e, err = st.ByID(ctx, id)
		return err
	})
	return e, err
}

func deadline(in Input) any {
	if in.RegistrationDeadline.IsZero() {
		return nil
	}
	return in.RegistrationDeadline
}

// update writes new settings of an event and moves its SEQUENCE on.
func update(ctx context.Context, tx *sqldb.Tx, id int64, in Input) error {
	_, err := tx.Exec(ctx, `UPDATE events SET title = ?, description = ?, description_html = ?, language = ?, kind = ?, status = ?,
		starts_at = ?, ends_at = ?, timezone = ?, join_url = ?, capacity = ?, registration_deadline = ?, certificate_share = ?,
		sequence = sequence + 1, updated_at = ? WHERE id = ?`,
		in.Title, in.Description, markdown.Render(in.Description), in.Language, in.Kind, in.Status, in.StartsAt, in.EndsAt, in.TimeZone,
		in.JoinURL, in.Capacity, deadline(in), in.CertificateShare, time.Now().UTC(), id)
	if err != nil {
		return fmt.Errorf("update event %d: %w", id, err)
	}
	if err := NewStore(tx).setLists(ctx, id, in); err != nil {
		return err
	}
	return search.IndexEvent(ctx, tx, id)
}

// setLists replaces an event's languages, speakers, materials and
// questions.
func (s *Store) setLists(ctx context.Context, id int64, in Input) error {
	for _, t := range []string{"event_languages", "event_speakers", "event_materials", "event_questions"} {
		if _, err := s.q.Exec(ctx, "DELETE FROM "+t+" WHERE event_id = ?", id); err != nil {
			return fmt.Errorf("set lists of event %d: %w", id, err)
		}
	}
	for _, l := range in.Languages {
		if _, err := s.q.Exec(ctx, "INSERT INTO event_languages (event_id, language, interpretation) VALUES (?, ?, FALSE)", id, l); err != nil {
			return err
		}
	}
	for _, l := range in.Interpretation {
		if _, err := s.q.Exec(ctx, "INSERT INTO event_languages (event_id, language, interpretation) VALUES (?, ?, TRUE)", id, l); err != nil {
			return err
		}
	}
	for i, sp := range in.Speakers {
		if _, err := s.q.Exec(ctx, "INSERT INTO event_speakers (event_id, position, role, name, title, organization, country) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, i, sp.Role, sp.Name, sp.Title, sp.Organization, sp.Country); err != nil {
			return err
		}
	}
	for i, m := range in.Materials {
		var res any
		if m.ResourceID != 0 {
			var ok bool
			if err := s.q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM resources r JOIN events e ON e.community_id = r.community_id WHERE r.id = ? AND e.id = ?)",
				m.ResourceID, id).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return validation.Field(fmt.Sprintf("materials.%d.resource_id", i), "event.error.resource")
			}
			res = m.ResourceID
		}
		if _, err := s.q.Exec(ctx, "INSERT INTO event_materials (event_id, position, title, url, resource_id) VALUES (?, ?, ?, ?, ?)",
			id, i, m.Title, m.URL, res); err != nil {
			return err
		}
	}
	for i, q := range in.Questions {
		if _, err := s.q.Exec(ctx, "INSERT INTO event_questions (event_id, key, position, text, type, required, options) VALUES (?, ?, ?, ?, ?, ?, ?)",
			id, q.Key, i, q.Text, q.Type, q.Required, strings.Join(q.Options, "\n")); err != nil {
			return err
		}
	}
	return nil
}

// ByID returns an event with its lists and registration counts.
func (s *Store) ByID(ctx context.Context, id int64) (Event, error) {
	l, err := s.Listed(ctx, id)
	return l.Event, err
}

// Listed returns an event with its lists, registration counts and
// community.
func (s *Store) Listed(ctx context.Context, id int64) (Listed, error) {
	l, err := scanListed(s.q.QueryRow(ctx, "SELECT "+eventColumns+eventFrom+" WHERE e.id = ?", id))
	if err != nil {
		return l, fmt.Errorf("load event %d: %w", id, err)
	}
	if err := s.loadDetails(ctx, []*Event{&l.Event}, true); err != nil {
		return l, err
	}
	return l, nil
}

// loadDetails fills in the languages of several events and, when full, their
// speakers, materials, questions and registration counts, one query per
// list whatever their number.
func (s *Store) loadDetails(ctx context.Context, es []*Event, full bool) error {
	if len(es) == 0 {
		return nil
	}
	byID := make(map[int64]*Event, len(es))
	ids := make([]any, len(es))
	for i, e := range es {
		byID[e.ID] = e
		ids[i] = e.ID
		e.Languages, e.Interpretation = []string{}, []string{}
	}
	in := "(" + sqldb.Placeholders(len(ids)) + ")"
	each := func(query string, scan func(sqldb.Scanner) error) error {
		rows, err := s.q.Query(ctx, query, ids...)
		return sqldb.Each(rows, err, scan)
	}
	err := each("SELECT event_id, language, interpretation FROM event_languages WHERE event_id IN "+in+" ORDER BY event_id, language", func(r sqldb.Scanner) error {
		var id int64
		var l string
		var interp bool
		if err := r.Scan(&id, &l, &interp); err != nil {
			return err
		}
		if interp {
			byID[id].Interpretation = append(byID[id].Interpretation, l)
		} else {
			byID[id].Languages = append(byID[id].Languages, l)
		}
		return nil
	})
	if err == nil && full {
		err = each("SELECT event_id, role, name, title, organization, country FROM event_speakers WHERE event_id IN "+in+" ORDER BY event_id, position", func(r sqldb.Scanner) error {
			var id int64
			var sp Speaker
			if err := r.Scan(&id, &sp.Role, &sp.Name, &sp.Title, &sp.Organization, &sp.Country); err != nil {
				return err
			}
			byID[id].Speakers = append(byID[id].Speakers, sp)
			return nil
		})
	}
	if err == nil && full {
		err = each(`SELECT m.event_id, m.title, m.url, COALESCE(m.resource_id, 0)
			FROM event_materials m WHERE m.event_id IN `+in+" ORDER BY m.event_id, m.position", func(r sqldb.Scanner) error {
			var id int64
			var m Material
			if err := r.Scan(&id, &m.Title, &m.URL, &m.ResourceID); err != nil {
				return err
			}
			byID[id].Materials = append(byID[id].Materials, m)
			return nil
		})
	}
	if err == nil && full {
		err = each("SELECT event_id, key, text, type, required, options FROM event_questions WHERE event_id IN "+in+" ORDER BY event_id, position", func(r sqldb.Scanner) error {
			var id int64
			var q Question
			var opts string
			if err := r.Scan(&id, &q.Key, &q.Text, &q.Type, &q.Required, &opts); err != nil {
				return err
			}
			if opts != "" {
				q.Options = strings.Split(opts, "\n")
			}
			byID[id].Questions = append(byID[id].Questions, q)
			return nil
		})
	}
	if err == nil && full {
		err = each("SELECT event_id, status, COUNT(*) FROM event_registrations WHERE event_id IN "+in+" AND status <> 'cancelled' GROUP BY event_id, status", func(r sqldb.Scanner) error {
			var id int64
			var status string
			var n int
			if err := r.Scan(&id, &status, &n); err != nil {
				return err
			}
			switch status {
			case StatusRegistered:
				byID[id].Registered = n
			case StatusWaitlisted:
				byID[id].Waitlisted = n
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("load event details: %w", err)
	}
	return nil
}

// When narrows a list to events to come or past ones.
const (
	Upcoming = "upcoming" // not yet ended, soonest first
	Past     = "past"     // ended, most recent first
)

// ListOptions narrows and pages a list of events.
type ListOptions struct {
	CommunityID int64         // 0: every community the reader may read
	Reader      *account.User // nil for anonymous readers
	Drafts      bool          // include drafts: the reader manages the community
	When        string        // Upcoming, Past, or empty for every event, newest first
	From, To    time.Time     // events starting in this span, when set
	Kind        string
	Language    string
	SDG         int       // through the community's goals
	Now         time.Time // zero for now
	Limit       int
	Offset      int
}

// readable returns the condition on communities c that the reader may read
// inside: public ones, their own, every one for administrators.
func readable(reader *account.User) (string, []any) {
	switch {
	case reader == nil:
		return " AND c.visibility = 'public'", nil
	case reader.Admin:
		return "", nil
	}
	return " AND (c.visibility = 'public' OR c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))", []any{reader.ID}
}

// List returns a page of the events the reader may see and how many match.
func (s *Store) List(ctx context.Context, opt ListOptions) ([]Listed, int, error) {
	var where strings.Builder
	var args []any
	where.WriteString(" WHERE 1 = 1")
	if opt.CommunityID != 0 {
		where.WriteString(" AND e.community_id = ?")
		args = append(args, opt.CommunityID)
	} else {
		cond, a := readable(opt.Reader)
		where.WriteString(cond)
		args = append(args, a...)
	}
	if !opt.Drafts {
		where.WriteString(" AND e.status <> 'draft'")
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now().UTC()
	}
	order := " ORDER BY e.starts_at DESC, e.id DESC"
	switch opt.When {
	case Upcoming:
		where.WriteString(" AND e.ends_at > ?")
		args = append(args, now)
		order = " ORDER BY e.starts_at, e.id"
	case Past:
		where.WriteString(" AND e.ends_at <= ?")
		args = append(args, now)
	}
	if !opt.From.IsZero() {
		where.WriteString(" AND e.starts_at >= ?")
		args = append(args, opt.From)
	}
	if !opt.To.IsZero() {
		where.WriteString(" AND e.starts_at <= ?")
		args = append(args, opt.To)
	}
	if opt.Kind != "" {
		where.WriteString(" AND e.kind = ?")
		args = append(args, opt.Kind)
	}
	if opt.Language != "" {
		where.WriteString(" AND e.id IN (SELECT event_id FROM event_languages WHERE language = ?)")
		args = append(args, opt.Language)
	}
	if opt.SDG != 0 {
		where.WriteString(" AND e.community_id IN (SELECT community_id FROM community_sdgs WHERE sdg = ?)")
		args = append(args, opt.SDG)
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*)"+eventFrom+where.String(), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count events: %w", err)
	}
	if opt.Limit <= 0 {
		opt.Limit = 20
	}
	rows, err := s.q.Query(ctx, "SELECT "+eventColumns+eventFrom+where.String()+order+" LIMIT ? OFFSET ?", append(args, opt.Limit, opt.Offset)...)
	list, err := sqldb.Collect(rows, err, scanListed)
	if err != nil {
		return nil, 0, fmt.Errorf("list events: %w", err)
	}
	ptrs := make([]*Event, len(list))
	for i := range list {
		ptrs[i] = &list[i].Event
	}
	return list, total, s.loadDetails(ctx, ptrs, false)
}

// Recent returns a community's latest published or cancelled events, the
// most recently created first, for the community's Atom feed. The caller
// checks that the feed's reader may read the community.
func (s *Store) Recent(ctx context.Context, communityID int64, limit int) ([]Listed, error) {
	rows, err := s.q.Query(ctx, "SELECT "+eventColumns+eventFrom+` WHERE e.community_id = ? AND e.status <> 'draft'
		ORDER BY e.created_at DESC, e.id DESC LIMIT ?`, communityID, limit)
	list, err := sqldb.Collect(rows, err, scanListed)
	if err != nil {
		return nil, fmt.Errorf("recent events of community %d: %w", communityID, err)
	}
	return list, nil
}

// WithSpeakersFrom returns the events the reader may see that have a
// speaker or moderator from the country, most recent first, with those
// speakers.
func (s *Store) WithSpeakersFrom(ctx context.Context, country string, reader *account.User, limit int) ([]Listed, error) {
	cond, args := readable(reader)
	rows, err := s.q.Query(ctx, "SELECT "+eventColumns+eventFrom+` WHERE e.status <> 'draft'
		AND e.id IN (SELECT event_id FROM event_speakers WHERE country = ?)`+cond+` ORDER BY e.starts_at DESC, e.id DESC LIMIT ?`,
		append(append([]any{country}, args...), limit)...)
	list, err := sqldb.Collect(rows, err, scanListed)
	if err != nil {
		return nil, fmt.Errorf("events with speakers from %s: %w", country, err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	ids := make([]any, len(list))
	index := map[int64]int{}
	for i, l := range list {
		ids[i] = l.ID
		index[l.ID] = i
	}
	rows, err = s.q.Query(ctx, "SELECT event_id, role, name, title, organization, country FROM event_speakers WHERE event_id IN ("+
		sqldb.Placeholders(len(ids))+") AND country = ? ORDER BY event_id, position", append(ids, country)...)
	err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
		var id int64
		var sp Speaker
		if err := r.Scan(&id, &sp.Role, &sp.Name, &sp.Title, &sp.Organization, &sp.Country); err != nil {
			return err
		}
		list[index[id]].Speakers = append(list[index[id]].Speakers, sp)
		return nil
	})
	return list, err
}

// MaxViews bounds a recording's view count.
const MaxViews = 1_000_000_000

// SetRecording sets the recording's link and its view count.
func (s *Store) SetRecording(ctx context.Context, id int64, link string, views int) error {
	var e validation.Error
	link = checkURL(&e, "url", link)
	if views < 0 || views > MaxViews {
		e.Add("views", "event.error.views")
	}
	if link == "" && views > 0 {
		e.Add("url", "event.error.views_without_link")
	}
	if err := e.Err(); err != nil {
		return err
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		res, err := tx.Exec(ctx, "UPDATE events SET recording_url = ?, recording_views = ?, updated_at = ? WHERE id = ?", link, views, time.Now().UTC(), id)
		if err != nil {
			return fmt.Errorf("set recording of event %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("event %d: %w", id, sqldb.ErrNotFound)
		}
		// Search gently favours much-viewed recordings.
		return search.Rescore(ctx, tx, search.KindEvent, id)
	})
}

// InputOf returns an event's settings as an Input, to change some of them.
func InputOf(e Event) Input {
	in := Input{
		Title: e.Title, Description: e.Description, Language: e.Language, Kind: e.Kind, Status: e.Status,
		StartsAt: e.StartsAt, EndsAt: e.EndsAt, TimeZone: e.TimeZone, Languages: e.Languages, Interpretation: e.Interpretation,
		JoinURL: e.JoinURL, Capacity: e.Capacity, CertificateShare: e.CertificateShare,
		Speakers: e.Speakers, Materials: e.Materials, Questions: e.Questions,
	}
	if e.RegistrationDeadline != nil {
		in.RegistrationDeadline = *e.RegistrationDeadline
	}
	return in
}
