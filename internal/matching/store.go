package matching

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes needs, offers and matches through a database or a
// transaction. With a notifier (WithNotifier), proposing and moving
// matches tells both institutions' contacts; without one (the demo), it
// tells no one.
type Store struct {
	q        sqldb.Querier
	notifier *notify.Notifier
}

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

// WithNotifier returns the store with a notifier for the steps of matches.
func (s *Store) WithNotifier(n *notify.Notifier) *Store {
	c := *s
	c.notifier = n
	return &c
}

// with returns the store working through tx, with the same notifier.
func (s *Store) with(tx *sqldb.Tx) *Store { return &Store{q: tx, notifier: s.notifier} }

// now is the time of a change, at the precision both engines store.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// idArgs turns ids into query arguments.
func idArgs(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// idChunk bounds the ids of one IN list.
const idChunk = 500

// eachChunk calls fn with the ids in slices of at most idChunk.
func eachChunk(ids []int64, fn func(args []any) error) error {
	for start := 0; start < len(ids); start += idChunk {
		if err := fn(idArgs(ids[start:min(start+idChunk, len(ids))])); err != nil {
			return err
		}
	}
	return nil
}

// detailsRows returns the child rows of a need's or an offer's details:
// SDGs, targets, topics, languages and modalities, each with id first.
func detailsRows(id int64, d Details) (sdgs, targets, topics, langs, modalities [][]any) {
	for _, g := range d.SDGs {
		sdgs = append(sdgs, []any{id, g})
	}
	for _, t := range d.Targets {
		targets = append(targets, []any{id, t})
	}
	for i, t := range d.Topics {
		topics = append(topics, []any{id, account.TagKey(t), t, i})
	}
	for _, l := range d.Languages {
		langs = append(langs, []any{id, l})
	}
	for _, m := range d.Modalities {
		modalities = append(modalities, []any{id, m})
	}
	return
}

// writeDetails replaces the child rows of a record of kind ("need" or
// "offer").
func writeDetails(ctx context.Context, q sqldb.Querier, kind string, id int64, d Details, replace bool) error {
	tables := []string{"sdgs", "targets", "topics", "languages", "modalities"}
	if replace {
		for _, t := range tables {
			if _, err := q.Exec(ctx, "DELETE FROM "+kind+"_"+t+" WHERE "+kind+"_id = ?", id); err != nil {
				return fmt.Errorf("clear %s %d: %w", kind, id, err)
			}
		}
	}
	sdgs, targets, topics, langs, modalities := detailsRows(id, d)
	col := kind + "_id"
	for _, w := range []struct {
		table, columns string
		rows           [][]any
	}{
		{kind + "_sdgs", col + ", sdg", sdgs},
		{kind + "_targets", col + ", target", targets},
		{kind + "_topics", col + ", topic_key, topic, position", topics},
		{kind + "_languages", col + ", language", langs},
		{kind + "_modalities", col + ", modality", modalities},
	} {
		if err := sqldb.InsertRows(ctx, q, w.table, w.columns, w.rows, ""); err != nil {
			return err
		}
	}
	return nil
}

// detailed is a record whose details lists loadDetails fills in.
type detailed struct {
	id int64
	d  *Details
}

// loadDetails fills in the lists of records of kind ("need" or "offer"),
// with one query per list for every few hundred records.
func loadDetails(ctx context.Context, q sqldb.Querier, kind string, recs []detailed) error {
	byID := make(map[int64]*Details, len(recs))
	ids := make([]int64, len(recs))
	for i, r := range recs {
		byID[r.id] = r.d
		ids[i] = r.id
		r.d.SDGs, r.d.Targets, r.d.Topics, r.d.Languages, r.d.Modalities = []int{}, []string{}, []string{}, []string{}, []string{}
	}
	col := kind + "_id"
	return eachChunk(ids, func(args []any) error {
		in := "(" + sqldb.Placeholders(len(args)) + ")"
		for _, l := range []struct {
			query string
			add   func(d *Details, v string)
		}{
			{"SELECT " + col + ", CAST(sdg AS TEXT) FROM " + kind + "_sdgs WHERE " + col + " IN " + in + " ORDER BY sdg",
				func(d *Details, v string) { n, _ := strconv.Atoi(v); d.SDGs = append(d.SDGs, n) }},
			{"SELECT " + col + ", target FROM " + kind + "_targets WHERE " + col + " IN " + in,
				func(d *Details, v string) { d.Targets = append(d.Targets, v) }},
			{"SELECT " + col + ", topic FROM " + kind + "_topics WHERE " + col + " IN " + in + " ORDER BY position",
				func(d *Details, v string) { d.Topics = append(d.Topics, v) }},
			{"SELECT " + col + ", language FROM " + kind + "_languages WHERE " + col + " IN " + in + " ORDER BY language",
				func(d *Details, v string) { d.Languages = append(d.Languages, v) }},
			{"SELECT " + col + ", modality FROM " + kind + "_modalities WHERE " + col + " IN " + in,
				func(d *Details, v string) { d.Modalities = append(d.Modalities, v) }},
		} {
			rows, err := q.Query(ctx, l.query, args...)
			if err != nil {
				return fmt.Errorf("load %s lists: %w", kind, err)
			}
			for rows.Next() {
				var id int64
				var v string
				if err := rows.Scan(&id, &v); err != nil {
					rows.Close()
					return err
				}
				l.add(byID[id], v)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		for _, d := range byID {
			taxonomy.SortTargetCodes(d.Targets)
			d.Modalities = cleanChoices(&validation.Error{}, "", d.Modalities, Modalities, "")
		}
		return nil
	})
}

// --- Needs ---

const needColumns = `n.id, n.title, n.description, n.description_html, n.institution, n.country, n.timeframe_start, n.timeframe_end,
	n.language, n.status, COALESCE(n.created_by, 0), COALESCE(u.name, ''), n.created_at, n.updated_at,
	COALESCE(c.id, 0), COALESCE(c.slug, ''), COALESCE(c.name, ''), COALESCE(c.visibility, '')`

const needFrom = `needs n LEFT JOIN users u ON u.id = n.created_by LEFT JOIN communities c ON c.id = n.community_id`

func scanNeed(sc sqldb.Scanner) (Need, error) {
	var n Need
	var c CommunityRef
	err := sc.Scan(&n.ID, &n.Title, &n.Description, &n.DescriptionHTML, &n.Institution, &n.Country, &n.TimeframeStart, &n.TimeframeEnd,
		&n.Language, &n.Status, &n.Author.ID, &n.Author.Name, &n.CreatedAt, &n.UpdatedAt,
		&c.ID, &c.Slug, &c.Name, &c.Visibility)
	if c.ID != 0 {
		n.Community = &c
	}
	return n, err
}

// needsVisibleTo returns the condition, for needs under alias n joined to
// their community under alias c, that keeps the needs reader may see: all
// of them for site administrators; otherwise those attached to no
// community or to a public one, those of the reader's communities, and the
// reader's own.
func needsVisibleTo(reader account.User) (string, []any) {
	if reader.Admin {
		return "", nil
	}
	return ` AND (n.community_id IS NULL OR c.visibility = 'public' OR n.created_by = ?
		OR n.community_id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))`, []any{reader.ID, reader.ID}
}

// needs loads the needs a query of needColumns from needFrom returns, with
// their lists.
func (s *Store) needs(ctx context.Context, query string, args ...any) ([]Need, error) {
	rows, err := s.q.Query(ctx, query, args...)
	list, err := sqldb.Collect(rows, err, scanNeed)
	if err != nil {
		return nil, err
	}
	recs := make([]detailed, len(list))
	for i := range list {
		recs[i] = detailed{list[i].ID, &list[i].Details}
	}
	if err := loadDetails(ctx, s.q, "need", recs); err != nil {
		return nil, err
	}
	return list, nil
}

// needByID loads a need whoever asks.
func (s *Store) needByID(ctx context.Context, id int64) (Need, error) {
	list, err := s.needs(ctx, "SELECT "+needColumns+" FROM "+needFrom+" WHERE n.id = ?", id)
	if err != nil {
		return Need{}, fmt.Errorf("load need %d: %w", id, err)
	}
	if len(list) == 0 {
		return Need{}, fmt.Errorf("need %d: %w", id, sqldb.ErrNotFound)
	}
	return list[0], nil
}

// viewer returns where u stands in the community of a need.
func (s *Store) viewer(ctx context.Context, u account.User, n Need) (community.Viewer, error) {
	if n.Community == nil {
		return community.Viewer{User: &u}, nil
	}
	return community.NewStore(s.q).ViewerFor(ctx, n.Community.ID, &u)
}

// canSee reports whether u may see the need (see needsVisibleTo).
func (s *Store) canSee(ctx context.Context, u account.User, n Need) (bool, error) {
	if u.Admin || n.Community == nil || n.Community.Visibility == community.Public || n.Author.ID == u.ID {
		return true, nil
	}
	v, err := s.viewer(ctx, u, n)
	return v.Member(), err
}

// Need returns a need the reader may see: not logged in is
// account.ErrUnauthenticated, a need the reader may not see is not found.
func (s *Store) Need(ctx context.Context, reader *account.User, id int64) (Need, error) {
	if reader == nil {
		return Need{}, account.ErrUnauthenticated
	}
	n, err := s.needByID(ctx, id)
	if err != nil {
		return Need{}, err
	}
	ok, err := s.canSee(ctx, *reader, n)
	if err != nil {
		return Need{}, err
	}
	if !ok {
		return Need{}, fmt.Errorf("need %d: %w", id, sqldb.ErrNotFound)
	}
	return n, nil
}

// CanBroker reports whether u brokers matches for the need: site
// administrators, and managers of the community it is attached to.
func (s *Store) CanBroker(ctx context.Context, u *account.User, n Need) (bool, error) {
	if u == nil {
		return false, nil
	}
	if u.Admin {
		return true, nil
	}
	if n.Community == nil {
		return false, nil
	}
	v, err := s.viewer(ctx, *u, n)
	return v.CanManage(), err
}

// CanEditNeed reports whether u may change the need or close it: its
// author and its brokers.
func (s *Store) CanEditNeed(ctx context.Context, u *account.User, n Need) (bool, error) {
	if u != nil && n.Author.ID == u.ID {
		return true, nil
	}
	return s.CanBroker(ctx, u, n)
}

// communityFor finds the community of slug that u may attach a need to:
// any public one, and those u belongs to. A community u may not know of is
// unknown.
func (s *Store) communityFor(ctx context.Context, u account.User, slug string) (*CommunityRef, error) {
	if slug == "" {
		return nil, nil
	}
	cs := community.NewStore(s.q)
	c, err := cs.BySlug(ctx, slug)
	if errors.Is(err, sqldb.ErrNotFound) {
		return nil, validation.Field("community", "matching.error.community_unknown", slug)
	}
	if err != nil {
		return nil, err
	}
	v, err := cs.ViewerFor(ctx, c.ID, &u)
	if err != nil {
		return nil, err
	}
	switch {
	case !v.CanSee(c):
		return nil, validation.Field("community", "matching.error.community_unknown", slug)
	case v.Banned:
		return nil, validation.Field("community", "matching.error.community_banned", c.Name)
	case c.Visibility != community.Public && !v.Member() && !u.Admin:
		return nil, validation.Field("community", "matching.error.community_members_only", c.Name)
	}
	return &CommunityRef{ID: c.ID, Slug: c.Slug, Name: c.Name, Visibility: c.Visibility}, nil
}

// At dates a record written with its history (the demo); zero is now.
type At struct{ Time time.Time }

func (a At) time() time.Time {
	if a.Time.IsZero() {
		return now()
	}
	return a.Time.UTC().Truncate(time.Microsecond)
}

// CreateNeed validates and stores a need that author posts for their
// institution.
func (s *Store) CreateNeed(ctx context.Context, author account.User, in NeedInput) (Need, error) {
	return s.createNeed(ctx, author, in, At{})
}

// CreateNeedAt is CreateNeed for a need posted in the past (the demo).
func (s *Store) CreateNeedAt(ctx context.Context, author account.User, in NeedInput, at time.Time) (Need, error) {
	return s.createNeed(ctx, author, in, At{at})
}

func (s *Store) createNeed(ctx context.Context, author account.User, in NeedInput, at At) (Need, error) {
	in.Details = in.Details.fromProfile(author)
	in, err := in.Validate()
	if err != nil {
		return Need{}, err
	}
	var id int64
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		c, err := s.with(tx).communityFor(ctx, author, in.Community)
		if err != nil {
			return err
		}
		var cid any
		if c != nil {
			cid = c.ID
		}
		t := at.time()
		if err := tx.QueryRow(ctx, `INSERT INTO needs (title, description, description_html, institution, institution_key, country,
			community_id, timeframe_start, timeframe_end, language, status, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Title, in.Description, markdown.Render(in.Description), in.Institution, institutionKey(in.Institution), in.Country,
			cid, in.TimeframeStart, in.TimeframeEnd, in.Language, StatusOpen, author.ID, t, t).Scan(&id); err != nil {
			return fmt.Errorf("create need %q: %w", in.Title, err)
		}
		return writeDetails(ctx, tx, "need", id, in.Details, false)
	})
	if err != nil {
		return Need{}, err
	}
	return s.needByID(ctx, id)
}

// UpdateNeed validates and saves a new version of a need: for its author
// and its brokers. Moving it to another community follows the rules of
// CreateNeed; its status follows its matches and stays closed if it was.
func (s *Store) UpdateNeed(ctx context.Context, actor account.User, id int64, in NeedInput) (Need, error) {
	old, err := s.Need(ctx, &actor, id)
	if err != nil {
		return Need{}, err
	}
	if ok, err := s.CanEditNeed(ctx, &actor, old); err != nil {
		return Need{}, err
	} else if !ok {
		return Need{}, account.ErrForbidden
	}
	if in, err = in.Validate(); err != nil {
		return Need{}, err
	}
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		cid := any(nil)
		switch {
		case old.Community != nil && old.Community.Slug == in.Community:
			cid = old.Community.ID // staying where it is needs no new right
		case in.Community != "":
			c, err := s.with(tx).communityFor(ctx, actor, in.Community)
			if err != nil {
				return err
			}
			cid = c.ID
		}
		if _, err := tx.Exec(ctx, `UPDATE needs SET title = ?, description = ?, description_html = ?, institution = ?, institution_key = ?,
			country = ?, community_id = ?, timeframe_start = ?, timeframe_end = ?, language = ?, updated_at = ? WHERE id = ?`,
			in.Title, in.Description, markdown.Render(in.Description), in.Institution, institutionKey(in.Institution), in.Country,
			cid, in.TimeframeStart, in.TimeframeEnd, in.Language, now(), id); err != nil {
			return fmt.Errorf("update need %d: %w", id, err)
		}
		return writeDetails(ctx, tx, "need", id, in.Details, true)
	})
	if err != nil {
		return Need{}, err
	}
	return s.needByID(ctx, id)
}

// SetNeedClosed closes a need (it is no longer sought: no new match may be
// proposed for it) or opens it again, when its status follows its matches
// once more: for its author and its brokers.
func (s *Store) SetNeedClosed(ctx context.Context, actor account.User, id int64, closed bool) (Need, error) {
	n, err := s.Need(ctx, &actor, id)
	if err != nil {
		return Need{}, err
	}
	if ok, err := s.CanEditNeed(ctx, &actor, n); err != nil {
		return Need{}, err
	} else if !ok {
		return Need{}, account.ErrForbidden
	}
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		status := StatusClosed
		if !closed {
			if status, err = needStatus(ctx, tx, id); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, "UPDATE needs SET status = ?, updated_at = ? WHERE id = ?", status, now(), id)
		return err
	})
	if err != nil {
		return Need{}, fmt.Errorf("close need %d: %w", id, err)
	}
	return s.needByID(ctx, id)
}

// needStatus is the status a need's matches give it: completed once an
// outcome is reported, in progress while an exchange is planned or held,
// matched while a match is proposed or introduced, open otherwise.
// Declined matches do not count.
func needStatus(ctx context.Context, q sqldb.Querier, needID int64) (string, error) {
	rows, err := q.Query(ctx, "SELECT DISTINCT stage FROM matches WHERE need_id = ? AND stage <> ?", needID, StageDeclined)
	stages, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (string, error) {
		var st string
		return st, r.Scan(&st)
	})
	if err != nil {
		return "", fmt.Errorf("status of need %d: %w", needID, err)
	}
	best := -1
	for _, st := range stages {
		best = max(best, stageRank(st))
	}
	switch {
	case best >= stageRank(StageOutcomeReported):
		return StatusCompleted, nil
	case best >= stageRank(StageExchangePlanned):
		return StatusInProgress, nil
	case best >= 0:
		return StatusMatched, nil
	}
	return StatusOpen, nil
}

// refreshNeedStatus sets a need's status from its matches, unless it is
// closed.
func refreshNeedStatus(ctx context.Context, q sqldb.Querier, needID int64, at time.Time) error {
	status, err := needStatus(ctx, q, needID)
	if err != nil {
		return err
	}
	_, err = q.Exec(ctx, "UPDATE needs SET status = ?, updated_at = ? WHERE id = ? AND status <> ? AND status <> ?",
		status, at, needID, status, StatusClosed)
	return err
}

// NeedFilter narrows a list of needs.
type NeedFilter struct {
	Country   string
	SDG       int
	Status    string
	Community string // slug
	AuthorID  int64
}

// ParseNeedFilter reads the filters of a list of needs (country, sdg,
// status, community); a value that is not one of the allowed ones fails
// validation, naming the parameter.
func ParseNeedFilter(v url.Values) (NeedFilter, error) {
	var e validation.Error
	f := NeedFilter{Country: parseCountry(&e, v.Get("country")), SDG: parseSDG(&e, v.Get("sdg"))}
	if f.Status = strings.TrimSpace(v.Get("status")); f.Status != "" {
		e.OneOf("status", f.Status, false, NeedStatuses...)
	}
	f.Community = strings.ToLower(strings.TrimSpace(v.Get("community")))
	if len(f.Community) > 100 {
		e.Add("community", "matching.error.community_unknown", f.Community[:100])
	}
	return f, e.Err()
}

func parseCountry(e *validation.Error, s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return ""
	}
	cc, ok := taxonomy.NormalizeCountry(s)
	if !ok {
		e.Add("country", "matching.error.country", s)
	}
	return cc
}

func parseSDG(e *validation.Error, s string) int {
	if s = strings.TrimSpace(s); s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || !taxonomy.ValidGoal(n) {
		e.Add("sdg", "matching.error.sdg_filter")
		return 0
	}
	return n
}

// Needs returns a page of the needs the reader may see that pass the
// filter, newest first, and how many there are.
func (s *Store) Needs(ctx context.Context, reader *account.User, f NeedFilter, limit, offset int) ([]Need, int, error) {
	if reader == nil {
		return nil, 0, account.ErrUnauthenticated
	}
	where, args := needsVisibleTo(*reader)
	if f.Country != "" {
		where += " AND n.country = ?"
		args = append(args, f.Country)
	}
	if f.SDG != 0 {
		where += " AND n.id IN (SELECT need_id FROM need_sdgs WHERE sdg = ?)"
		args = append(args, f.SDG)
	}
	if f.Status != "" {
		where += " AND n.status = ?"
		args = append(args, f.Status)
	}
	if f.Community != "" {
		where += " AND c.slug = ?"
		args = append(args, f.Community)
	}
	if f.AuthorID != 0 {
		where += " AND n.created_by = ?"
		args = append(args, f.AuthorID)
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM "+needFrom+" WHERE 1 = 1"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count needs: %w", err)
	}
	list, err := s.needs(ctx, "SELECT "+needColumns+" FROM "+needFrom+" WHERE 1 = 1"+where+" ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list needs: %w", err)
	}
	return list, total, nil
}

// --- Offers ---

const offerColumns = `o.id, o.title, o.description, o.description_html, o.institution, o.country, o.capacity, o.language, o.status,
	COALESCE(o.created_by, 0), COALESCE(u.name, ''), o.created_at, o.updated_at`

const offerFrom = `offers o LEFT JOIN users u ON u.id = o.created_by`

func scanOffer(sc sqldb.Scanner) (Offer, error) {
	var o Offer
	err := sc.Scan(&o.ID, &o.Title, &o.Description, &o.DescriptionHTML, &o.Institution, &o.Country, &o.Capacity, &o.Language, &o.Status,
		&o.Author.ID, &o.Author.Name, &o.CreatedAt, &o.UpdatedAt)
	return o, err
}

// offers loads the offers of a query of offerColumns from offerFrom, with
// their lists and links.
func (s *Store) offers(ctx context.Context, query string, args ...any) ([]Offer, error) {
	rows, err := s.q.Query(ctx, query, args...)
	list, err := sqldb.Collect(rows, err, scanOffer)
	if err != nil {
		return nil, err
	}
	recs := make([]detailed, len(list))
	byID := make(map[int64]*Offer, len(list))
	ids := make([]int64, len(list))
	for i := range list {
		recs[i] = detailed{list[i].ID, &list[i].Details}
		byID[list[i].ID] = &list[i]
		ids[i] = list[i].ID
		list[i].SolutionIDs, list[i].ResourceIDs = []int64{}, []int64{}
	}
	if err := loadDetails(ctx, s.q, "offer", recs); err != nil {
		return nil, err
	}
	err = eachChunk(ids, func(args []any) error {
		in := "(" + sqldb.Placeholders(len(args)) + ")"
		for _, l := range []struct {
			query string
			add   func(o *Offer, id int64)
		}{
			{"SELECT offer_id, solution_id FROM offer_solutions WHERE offer_id IN " + in + " ORDER BY position",
				func(o *Offer, id int64) { o.SolutionIDs = append(o.SolutionIDs, id) }},
			{"SELECT offer_id, resource_id FROM offer_resources WHERE offer_id IN " + in + " ORDER BY position",
				func(o *Offer, id int64) { o.ResourceIDs = append(o.ResourceIDs, id) }},
		} {
			rows, err := s.q.Query(ctx, l.query, args...)
			if err != nil {
				return fmt.Errorf("load offer links: %w", err)
			}
			for rows.Next() {
				var oid, id int64
				if err := rows.Scan(&oid, &id); err != nil {
					rows.Close()
					return err
				}
				l.add(byID[oid], id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	return list, err
}

// offerByID loads an offer.
func (s *Store) offerByID(ctx context.Context, id int64) (Offer, error) {
	list, err := s.offers(ctx, "SELECT "+offerColumns+" FROM "+offerFrom+" WHERE o.id = ?", id)
	if err != nil {
		return Offer{}, fmt.Errorf("load offer %d: %w", id, err)
	}
	if len(list) == 0 {
		return Offer{}, fmt.Errorf("offer %d: %w", id, sqldb.ErrNotFound)
	}
	return list[0], nil
}

// Offer returns an offer: every logged-in member sees every offer.
func (s *Store) Offer(ctx context.Context, reader *account.User, id int64) (Offer, error) {
	if reader == nil {
		return Offer{}, account.ErrUnauthenticated
	}
	return s.offerByID(ctx, id)
}

// CanEditOffer reports whether u may change an offer: its author and site
// administrators.
func CanEditOffer(u *account.User, o Offer) bool {
	return u != nil && (u.Admin || u.ID == o.Author.ID)
}

// checkLinks fails validation when an offer links a solution or resource
// that does not exist (or was deleted).
func checkLinks(ctx context.Context, q sqldb.Querier, in OfferInput) error {
	var e validation.Error
	for _, l := range []struct {
		field, query string
		ids          []int64
	}{
		{"solution_ids", "SELECT id FROM solutions WHERE id IN (%s)", in.SolutionIDs},
		{"resource_ids", "SELECT id FROM resources WHERE deleted_at IS NULL AND id IN (%s)", in.ResourceIDs},
	} {
		if len(l.ids) == 0 {
			continue
		}
		rows, err := q.Query(ctx, fmt.Sprintf(l.query, sqldb.Placeholders(len(l.ids))), idArgs(l.ids)...)
		found, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
			var id int64
			return id, r.Scan(&id)
		})
		if err != nil {
			return fmt.Errorf("check %s: %w", l.field, err)
		}
		have := map[int64]bool{}
		for _, id := range found {
			have[id] = true
		}
		for _, id := range l.ids {
			if !have[id] {
				e.Add(l.field, "matching.error."+strings.TrimSuffix(l.field, "_ids")+"_unknown", id)
			}
		}
	}
	return e.Err()
}

// writeOffer stores the lists, links and terms of an offer.
func writeOffer(ctx context.Context, tx *sqldb.Tx, id int64, in OfferInput, replace bool) error {
	if replace {
		for _, t := range []string{"offer_solutions", "offer_resources", "offer_terms"} {
			if _, err := tx.Exec(ctx, "DELETE FROM "+t+" WHERE offer_id = ?", id); err != nil {
				return fmt.Errorf("clear %s of offer %d: %w", t, id, err)
			}
		}
	}
	if err := writeDetails(ctx, tx, "offer", id, in.Details, replace); err != nil {
		return err
	}
	var rows [][]any
	for i, sid := range in.SolutionIDs {
		rows = append(rows, []any{id, sid, i})
	}
	if err := sqldb.InsertRows(ctx, tx, "offer_solutions", "offer_id, solution_id, position", rows, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for i, rid := range in.ResourceIDs {
		rows = append(rows, []any{id, rid, i})
	}
	if err := sqldb.InsertRows(ctx, tx, "offer_resources", "offer_id, resource_id, position", rows, ""); err != nil {
		return err
	}
	terms, length := offerTerms(in.Details)
	rows = rows[:0]
	for _, t := range sortedKeys(terms) {
		rows = append(rows, []any{id, t, terms[t]})
	}
	if err := sqldb.InsertRows(ctx, tx, "offer_terms", "offer_id, term, tf", rows, ""); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "UPDATE offers SET term_count = ? WHERE id = ?", length, id)
	return err
}

// offerTerms counts the terms of a text as the catalogue does, topics
// included, and returns its length.
func offerTerms(d Details) (map[string]int, int) {
	terms := solution.Terms(d.Title, d.Description, strings.Join(d.Topics, ". "))
	n := 0
	for _, c := range terms {
		n += c
	}
	return terms, n
}

// CreateOffer validates and stores an offer that author makes for their
// institution.
func (s *Store) CreateOffer(ctx context.Context, author account.User, in OfferInput) (Offer, error) {
	return s.createOffer(ctx, author, in, At{})
}

// CreateOfferAt is CreateOffer for an offer made in the past (the demo).
func (s *Store) CreateOfferAt(ctx context.Context, author account.User, in OfferInput, at time.Time) (Offer, error) {
	return s.createOffer(ctx, author, in, At{at})
}

func (s *Store) createOffer(ctx context.Context, author account.User, in OfferInput, at At) (Offer, error) {
	in.Details = in.Details.fromProfile(author)
	in, err := in.Validate()
	if err != nil {
		return Offer{}, err
	}
	var id int64
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if err := checkLinks(ctx, tx, in); err != nil {
			return err
		}
		t := at.time()
		if err := tx.QueryRow(ctx, `INSERT INTO offers (title, description, description_html, institution, institution_key, country,
			capacity, language, status, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.Title, in.Description, markdown.Render(in.Description), in.Institution, institutionKey(in.Institution), in.Country,
			in.Capacity, in.Language, in.Status, author.ID, t, t).Scan(&id); err != nil {
			return fmt.Errorf("create offer %q: %w", in.Title, err)
		}
		return writeOffer(ctx, tx, id, in, false)
	})
	if err != nil {
		return Offer{}, err
	}
	return s.offerByID(ctx, id)
}

// UpdateOffer validates and saves a new version of an offer: for its
// author and site administrators.
func (s *Store) UpdateOffer(ctx context.Context, actor account.User, id int64, in OfferInput) (Offer, error) {
	old, err := s.Offer(ctx, &actor, id)
	if err != nil {
		return Offer{}, err
	}
	if !CanEditOffer(&actor, old) {
		return Offer{}, account.ErrForbidden
	}
	if in, err = in.Validate(); err != nil {
		return Offer{}, err
	}
	err = sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		if err := checkLinks(ctx, tx, in); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE offers SET title = ?, description = ?, description_html = ?, institution = ?, institution_key = ?,
			country = ?, capacity = ?, language = ?, status = ?, updated_at = ? WHERE id = ?`,
			in.Title, in.Description, markdown.Render(in.Description), in.Institution, institutionKey(in.Institution), in.Country,
			in.Capacity, in.Language, in.Status, now(), id); err != nil {
			return fmt.Errorf("update offer %d: %w", id, err)
		}
		return writeOffer(ctx, tx, id, in, true)
	})
	if err != nil {
		return Offer{}, err
	}
	return s.offerByID(ctx, id)
}

// OfferFilter narrows a list of offers.
type OfferFilter struct {
	Country  string
	SDG      int
	Modality string
	Status   string
	AuthorID int64
}

// ParseOfferFilter reads the filters of a list of offers (country, sdg,
// modality, status).
func ParseOfferFilter(v url.Values) (OfferFilter, error) {
	var e validation.Error
	f := OfferFilter{Country: parseCountry(&e, v.Get("country")), SDG: parseSDG(&e, v.Get("sdg"))}
	if f.Modality = strings.TrimSpace(v.Get("modality")); f.Modality != "" {
		e.OneOf("modality", f.Modality, false, Modalities...)
	}
	if f.Status = strings.TrimSpace(v.Get("status")); f.Status != "" {
		e.OneOf("status", f.Status, false, OfferStatuses...)
	}
	return f, e.Err()
}

// Offers returns a page of the offers that pass the filter, newest first,
// and how many there are.
func (s *Store) Offers(ctx context.Context, reader *account.User, f OfferFilter, limit, offset int) ([]Offer, int, error) {
	if reader == nil {
		return nil, 0, account.ErrUnauthenticated
	}
	where, args := "", []any{}
	if f.Country != "" {
		where += " AND o.country = ?"
		args = append(args, f.Country)
	}
	if f.SDG != 0 {
		where += " AND o.id IN (SELECT offer_id FROM offer_sdgs WHERE sdg = ?)"
		args = append(args, f.SDG)
	}
	if f.Modality != "" {
		where += " AND o.id IN (SELECT offer_id FROM offer_modalities WHERE modality = ?)"
		args = append(args, f.Modality)
	}
	if f.Status != "" {
		where += " AND o.status = ?"
		args = append(args, f.Status)
	}
	if f.AuthorID != 0 {
		where += " AND o.created_by = ?"
		args = append(args, f.AuthorID)
	}
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM offers o WHERE 1 = 1"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count offers: %w", err)
	}
	list, err := s.offers(ctx, "SELECT "+offerColumns+" FROM "+offerFrom+" WHERE 1 = 1"+where+" ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?",
		append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list offers: %w", err)
	}
	return list, total, nil
}

// Titled is a linked record's id and title.
type Titled struct {
	ID    int64
	Title string
}

// SolutionTitles returns the titles of catalogue solutions, in the order
// of ids, leaving out those that no longer exist or were archived.
func (s *Store) SolutionTitles(ctx context.Context, ids []int64) ([]Titled, error) {
	return s.titles(ctx, "SELECT id, title FROM solutions WHERE archived_at IS NULL AND id IN (%s)", ids)
}

// ResourceTitles returns the titles of library resources that reader may
// read, in the order of ids: a resource of a community that is not public
// shows only to its members and to site administrators.
func (s *Store) ResourceTitles(ctx context.Context, reader *account.User, ids []int64) ([]Titled, error) {
	q := `SELECT r.id, r.title FROM resources r JOIN communities c ON c.id = r.community_id
		WHERE r.deleted_at IS NULL AND r.hidden_at IS NULL AND r.id IN (%s)`
	var extra []any
	switch {
	case reader == nil:
		q += " AND c.visibility = 'public'"
	case !reader.Admin:
		q += " AND (c.visibility = 'public' OR c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))"
		extra = []any{reader.ID}
	}
	return s.titles(ctx, q, ids, extra...)
}

func (s *Store) titles(ctx context.Context, query string, ids []int64, extra ...any) ([]Titled, error) {
	if len(ids) == 0 {
		return []Titled{}, nil
	}
	rows, err := s.q.Query(ctx, fmt.Sprintf(query, sqldb.Placeholders(len(ids))), append(idArgs(ids), extra...)...)
	list, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (Titled, error) {
		var t Titled
		return t, r.Scan(&t.ID, &t.Title)
	})
	if err != nil {
		return nil, fmt.Errorf("load titles: %w", err)
	}
	byID := map[int64]Titled{}
	for _, t := range list {
		byID[t.ID] = t
	}
	out := make([]Titled, 0, len(list))
	for _, id := range ids {
		if t, ok := byID[id]; ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// AttachableCommunities lists the communities u may attach a need to, by
// name: every public community and those u belongs to (every community for
// site administrators).
func (s *Store) AttachableCommunities(ctx context.Context, u account.User) ([]CommunityRef, error) {
	q := `SELECT c.id, c.slug, c.name, c.visibility FROM communities c WHERE (c.visibility = 'public'
		OR c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))
		AND c.id NOT IN (SELECT community_id FROM community_bans WHERE user_id = ?) ORDER BY lower(c.name), c.id LIMIT 500`
	args := []any{u.ID, u.ID}
	if u.Admin {
		q, args = "SELECT c.id, c.slug, c.name, c.visibility FROM communities c ORDER BY lower(c.name), c.id LIMIT 500", nil
	}
	rows, err := s.q.Query(ctx, q, args...)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (CommunityRef, error) {
		var c CommunityRef
		return c, r.Scan(&c.ID, &c.Slug, &c.Name, &c.Visibility)
	})
}

// Brokers reports whether u brokers any need: site administrators and the
// managers of a community.
func (s *Store) Brokers(ctx context.Context, u *account.User) (bool, error) {
	if u == nil {
		return false, nil
	}
	if u.Admin {
		return true, nil
	}
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE user_id = ? AND left_at IS NULL AND role = 'manager'", u.ID).Scan(&n)
	return n > 0, err
}
