package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/taxonomy"
)

// Kinds of documents in the index. A reply (post) is found as its thread.
const (
	KindThread    = "thread"
	KindPost      = "post"
	KindResource  = "resource"
	KindSolution  = "solution"
	KindEvent     = "event"
	KindCommunity = "community"
	KindProfile   = "profile"
)

// Types are what results show, in the order the type facet lists them.
var Types = []string{KindThread, KindResource, KindSolution, KindEvent, KindCommunity, KindProfile}

// Who may see a document, besides the community it belongs to.
const (
	accessAll      = "all"
	accessListed   = "listed" // a community itself: seen unless private to others
	accessMembers  = "members"
	accessOwner    = "owner"
	accessManagers = "managers"
	// held or hidden content: the community's moderators and managers,
	// and its author (owner_id), as the community's own lists show it.
	accessModerators = "moderators"
	accessNone       = "none"
)

// maxIndexedText bounds the text of one document: enough for any post,
// summary or bio, and PostgreSQL's tsvector stays far under its limits.
const maxIndexedText = 100_000

// doc is one document as the index holds it.
type doc struct {
	kind        string
	refID       int64
	itemType    string
	itemID      int64
	communityID int64 // 0: none
	access      string
	ownerID     int64
	language    string
	year        int
	sdgs        string // " 3 17 "
	countries   string // " BR MZ "
	at          time.Time
	boost       float64
	title       string
	body        string
	extra       string
	// communitySDGs: take sdgs from the community's own document in the
	// statement that writes this one, instead of reading them first.
	communitySDGs bool
}

func nullable(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func nullableInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

// put writes a document, replacing the one of the same record.
func put(ctx context.Context, q sqldb.Querier, d doc) error {
	return putAll(ctx, q, []doc{d})
}

// putBatch is how many documents one statement of putAll writes: far under
// either engine's limit on a statement's parameters.
const putBatch = 500

// putAll writes documents, replacing those of the same records, in one
// statement per putBatch documents (two on SQLite: the rows, then their
// text). The documents must be of different records.
func putAll(ctx context.Context, q sqldb.Querier, docs []doc) error {
	for len(docs) > 0 {
		n := min(len(docs), putBatch)
		if err := putRows(ctx, q, docs[:n]); err != nil {
			return err
		}
		docs = docs[n:]
	}
	return nil
}

func putRows(ctx context.Context, q sqldb.Querier, docs []doc) error {
	const cols = `kind, ref_id, item_type, item_id, community_id, access, owner_id, language, year, sdgs, countries, at, boost`
	const set = `item_type = excluded.item_type, item_id = excluded.item_id, community_id = excluded.community_id,
		access = excluded.access, owner_id = excluded.owner_id, language = excluded.language, year = excluded.year,
		sdgs = excluded.sdgs, countries = excluded.countries, at = excluded.at, boost = excluded.boost`
	pg := q.Dialect() == sqldb.Postgres
	var values strings.Builder
	args := make([]any, 0, len(docs)*16)
	type record struct {
		kind string
		ref  int64
	}
	texts := make(map[record][3]string, len(docs))
	for i, d := range docs {
		title, body, extra := indexText(clip(d.title)), indexText(clip(d.body)), indexText(clip(d.extra))
		sdgs, sdgsArg := "?", any(d.sdgs)
		if d.communitySDGs {
			sdgs, sdgsArg = "COALESCE((SELECT c.sdgs FROM search_docs c WHERE c.kind = 'community' AND c.ref_id = ?), '')", d.communityID
		}
		if i > 0 {
			values.WriteString(", ")
		}
		values.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, " + sdgs + ", ?, ?, ?")
		args = append(args, d.kind, d.refID, d.itemType, d.itemID, nullable(d.communityID), d.access, nullable(d.ownerID), d.language,
			nullableInt(d.year), sdgsArg, d.countries, d.at.Unix(), d.boost)
		if pg {
			values.WriteString(`, setweight(to_tsvector('simple', search_fold(?)), 'A') || setweight(to_tsvector('simple', search_fold(?)), 'C')
			|| setweight(to_tsvector('simple', search_fold(?)), 'B')`)
			args = append(args, title, body, extra)
		} else {
			texts[record{d.kind, d.refID}] = [3]string{title, body, extra}
		}
		values.WriteString(")")
	}
	what := docs[0].kind + " " + strconv.FormatInt(docs[0].refID, 10)
	if len(docs) > 1 {
		what = fmt.Sprintf("%d documents from %s", len(docs), what)
	}
	if pg {
		_, err := q.Exec(ctx, `INSERT INTO search_docs (`+cols+`, tsv) VALUES `+values.String()+`
			ON CONFLICT (kind, ref_id) DO UPDATE SET `+set+`, tsv = excluded.tsv`, args...)
		if err != nil {
			return fmt.Errorf("index %s: %w", what, err)
		}
		return nil
	}
	// SQLite: the rows, then their text in the full-text table under the
	// rows' ids, which the first statement tells with the record of each.
	rows, err := q.Query(ctx, `INSERT INTO search_docs (`+cols+`) VALUES `+values.String()+`
		ON CONFLICT (kind, ref_id) DO UPDATE SET `+set+` RETURNING id, kind, ref_id`, args...)
	type written struct {
		id int64
		of record
	}
	ids, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (written, error) {
		var w written
		err := r.Scan(&w.id, &w.of.kind, &w.of.ref)
		return w, err
	})
	if err != nil {
		return fmt.Errorf("index %s: %w", what, err)
	}
	args = args[:0]
	for _, w := range ids {
		t := texts[w.of]
		args = append(args, w.id, t[0], t[1], t[2])
	}
	if _, err := q.Exec(ctx, "INSERT OR REPLACE INTO search_fts (rowid, title, body, extra) VALUES "+sqldb.Rows(len(ids), 4), args...); err != nil {
		return fmt.Errorf("index %s: %w", what, err)
	}
	return nil
}

// clip bounds indexed text at a character boundary.
func clip(s string) string {
	if len(s) <= maxIndexedText {
		return s
	}
	s = s[:maxIndexedText]
	for len(s) > 0 && s[len(s)-1]&0xC0 == 0x80 {
		s = s[:len(s)-1]
	}
	if len(s) > 0 && s[len(s)-1] >= 0xC0 {
		s = s[:len(s)-1]
	}
	return s
}

// drop removes the documents of records; nothing happens for those not in
// the index.
func drop(ctx context.Context, q sqldb.Querier, kind string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	args := []any{kind}
	for _, id := range ids {
		args = append(args, id)
	}
	in := "(" + sqldb.Placeholders(len(ids)) + ")"
	if q.Dialect() == sqldb.SQLite {
		if _, err := q.Exec(ctx, "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE kind = ? AND ref_id IN "+in+")", args...); err != nil {
			return fmt.Errorf("unindex %s: %w", kind, err)
		}
	}
	if _, err := q.Exec(ctx, "DELETE FROM search_docs WHERE kind = ? AND ref_id IN "+in, args...); err != nil {
		return fmt.Errorf("unindex %s: %w", kind, err)
	}
	return nil
}

// popularity turns a count (helpful marks, downloads, attendees) into a
// bonus from 0 to 1 that grows slowly: 1 at a thousand.
func popularity(n int) float64 {
	if n <= 0 {
		return 0
	}
	return math.Min(1, math.Log10(1+float64(n))/3)
}

func spaced[T any](list []T) string {
	if len(list) == 0 {
		return ""
	}
	var b strings.Builder
	for _, v := range list {
		fmt.Fprintf(&b, " %v", v)
	}
	b.WriteByte(' ')
	return b.String()
}

// countryNames are a list of countries named in the four languages, so
// that "Moçambique", "Mozambique" and "Mozambique" all find it.
func countryNames(codes []string) string {
	var b strings.Builder
	for _, c := range codes {
		seen := map[string]bool{}
		for _, l := range []string{"en", "fr", "es", "pt"} {
			if n := taxonomy.CountryName(c, l); n != "" && !seen[n] {
				seen[n] = true
				b.WriteString(n)
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

func ints(rows []string) []int {
	var out []int
	for _, s := range rows {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			out = append(out, n)
		}
	}
	sort.Ints(out)
	return out
}

// strs runs a query of one text column and returns its values.
func strs(ctx context.Context, q sqldb.Querier, query string, args ...any) ([]string, error) {
	rows, err := q.Query(ctx, query, args...)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}

// communitySDGs returns the SDGs of a community as its own document holds
// them: threads, replies and events carry their community's goals.
func communitySDGs(ctx context.Context, q sqldb.Querier, communityID int64) (string, error) {
	var s string
	err := q.QueryRow(ctx, "SELECT sdgs FROM search_docs WHERE kind = 'community' AND ref_id = ?", communityID).Scan(&s)
	if errors.Is(err, sqldb.ErrNotFound) {
		return "", nil
	}
	return s, err
}

// IndexThread brings a thread and its replies up to date in the index:
// call it, in the same transaction, after anything that changes a thread's
// text, state (held, hidden, deleted, restored) or community. Threads that
// not everyone may read (held, hidden, deleted) leave the index with their
// replies.
func IndexThread(ctx context.Context, q sqldb.Querier, threadID int64) error {
	if err := indexThreadOnly(ctx, q, threadID); err != nil {
		return err
	}
	postIDs, err := strs(ctx, q, "SELECT CAST(id AS TEXT) FROM posts WHERE thread_id = ? ORDER BY id", threadID)
	if err != nil {
		return fmt.Errorf("index thread %d: %w", threadID, err)
	}
	for _, s := range postIDs {
		id, _ := strconv.ParseInt(s, 10, 64)
		if err := IndexPost(ctx, q, id); err != nil {
			return err
		}
	}
	return nil
}

// NewThread is a thread just created, as its writer holds it.
type NewThread struct {
	ID, CommunityID, AuthorID int64
	Title, Body, Language     string
	At                        time.Time
	Held                      bool
}

// IndexNewThread indexes a thread in the transaction that created it, from
// what its writer holds, as IndexNewReplies does a reply: the document
// IndexThread makes, without reading the thread back or looking for
// replies, helpful marks or an accepted answer it cannot have yet.
func IndexNewThread(ctx context.Context, q sqldb.Querier, t NewThread) error {
	if !indexingPosts() {
		return nil
	}
	d := doc{kind: KindThread, refID: t.ID, itemType: KindThread, itemID: t.ID, communityID: t.CommunityID, access: accessAll,
		ownerID: t.AuthorID, language: t.Language, year: t.At.UTC().Year(), at: t.At, title: t.Title, body: t.Body, communitySDGs: true}
	if t.Held {
		d.access = accessModerators
	}
	return put(ctx, q, d)
}

// indexThreadOnly indexes a thread without its replies.
func indexThreadOnly(ctx context.Context, q sqldb.Querier, threadID int64) error {
	var d doc
	var deleted, hidden, accepted bool
	var helpful int
	err := q.QueryRow(ctx, `SELECT t.title, t.body, t.language, t.community_id, COALESCE(t.author_id, 0), t.created_at,
			t.deleted_at IS NOT NULL, t.held OR t.hidden_at IS NOT NULL, `+threadSignals+`, COALESCE(cd.sdgs, '')
		FROM threads t LEFT JOIN search_docs cd ON cd.kind = 'community' AND cd.ref_id = t.community_id
		WHERE t.id = ?`, threadID).Scan(&d.title, &d.body, &d.language, &d.communityID, &d.ownerID, &d.at, &deleted, &hidden, &helpful, &accepted, &d.sdgs)
	if errors.Is(err, sqldb.ErrNotFound) || err == nil && deleted {
		return drop(ctx, q, KindThread, threadID)
	}
	if err != nil {
		return fmt.Errorf("index thread %d: %w", threadID, err)
	}
	d.kind, d.refID, d.itemType, d.itemID, d.access = KindThread, threadID, KindThread, threadID, accessAll
	if hidden {
		d.access = accessModerators
	}
	d.year = d.at.UTC().Year()
	d.boost = answerBonus(helpful, accepted)
	return put(ctx, q, d)
}

// What makes a thread or a reply well received, as two columns of SQL on
// threads t (and posts p): its helpful marks, and whether it is (or has) the
// accepted answer. The resources' and events' signals follow.
const (
	threadSignals = `(SELECT COUNT(*) FROM reactions r WHERE r.target_kind = 'thread' AND r.target_id = t.id AND r.kind = 'helpful'),
			t.accepted_post_id IS NOT NULL`
	postSignals = `(SELECT COUNT(*) FROM reactions r WHERE r.target_kind = 'post' AND r.target_id = p.id AND r.kind = 'helpful'),
			COALESCE(t.accepted_post_id, 0) = p.id`
	resourceDownloads = `(SELECT COUNT(*) FROM resource_downloads x WHERE x.resource_id = r.id)`
	eventAttendees    = `(SELECT COUNT(*) FROM event_attendees a WHERE a.event_id = e.id)`
	communityMembers  = `(SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id AND m.left_at IS NULL)`
)

// answerBonus is the bonus of a thread or reply: helpful marks, and half
// more for an accepted answer.
func answerBonus(helpful int, accepted bool) float64 {
	b := popularity(helpful)
	if accepted {
		b += 0.5
	}
	return math.Min(1, b)
}

// IndexPost brings a reply up to date in the index: call it, in the same
// transaction, after a reply is written, edited, deleted, hidden, approved
// or restored. A reply is found as its thread, while both are visible to
// every reader of the community; held or hidden (or in a held or hidden
// thread), by the community's moderators and its author only.
func IndexPost(ctx context.Context, q sqldb.Querier, postID int64) error {
	var d doc
	var deleted, hidden, accepted bool
	var helpful int
	var threadAt time.Time
	err := q.QueryRow(ctx, `SELECT p.body, p.thread_id, t.title, t.language, t.community_id, COALESCE(p.author_id, 0), p.created_at, t.created_at,
			p.deleted_at IS NOT NULL OR t.deleted_at IS NOT NULL,
			p.held OR p.hidden_at IS NOT NULL OR t.held OR t.hidden_at IS NOT NULL,
			`+postSignals+`, COALESCE(cd.sdgs, '')
		FROM posts p JOIN threads t ON t.id = p.thread_id
		LEFT JOIN search_docs cd ON cd.kind = 'community' AND cd.ref_id = t.community_id
		WHERE p.id = ?`, postID).Scan(&d.body, &d.itemID, &d.extra, &d.language, &d.communityID, &d.ownerID, &d.at, &threadAt, &deleted, &hidden, &helpful, &accepted, &d.sdgs)
	if errors.Is(err, sqldb.ErrNotFound) || err == nil && deleted {
		return drop(ctx, q, KindPost, postID)
	}
	if err != nil {
		return fmt.Errorf("index post %d: %w", postID, err)
	}
	d.kind, d.refID, d.itemType, d.access = KindPost, postID, KindThread, accessAll
	if hidden {
		d.access = accessModerators
	}
	d.year = threadAt.UTC().Year()
	d.boost = answerBonus(helpful, accepted)
	return put(ctx, q, d)
}

// NewReply is a reply just written, as its writer holds it.
type NewReply struct {
	ID, ThreadID, CommunityID, AuthorID int64
	ThreadTitle, Language, Body         string
	At, ThreadAt                        time.Time
	Restricted                          bool // the reply or its thread is held or hidden
}

// IndexNewReplies indexes replies in the transaction that wrote them, from
// what their writer already holds: one statement for many replies, where
// IndexPost first reads each back with its thread, its signals and its
// community's goals (a reply is written far more often than anything else,
// and indexing it should add little to writing it). A new reply has no
// helpful marks and is not an accepted answer; each document is the one
// IndexPost writes.
func IndexNewReplies(ctx context.Context, q sqldb.Querier, replies ...NewReply) error {
	if !indexingPosts() {
		return nil
	}
	docs := make([]doc, len(replies))
	for i, r := range replies {
		docs[i] = doc{kind: KindPost, refID: r.ID, itemType: KindThread, itemID: r.ThreadID, communityID: r.CommunityID, access: accessAll,
			ownerID: r.AuthorID, language: r.Language, year: r.ThreadAt.UTC().Year(), at: r.At, body: r.Body, extra: r.ThreadTitle,
			communitySDGs: true}
		if r.Restricted {
			docs[i].access = accessModerators
		}
	}
	return putAll(ctx, q, docs)
}

// IndexResource brings a library resource up to date in the index: call
// it, in the same transaction, after a resource is added, changed, hidden,
// shown again, deleted or restored. The text of uploaded files is not
// indexed: title, summary, authors, publisher, topics and countries are.
func IndexResource(ctx context.Context, q sqldb.Querier, id int64) error {
	var d doc
	var summary, authors, publisher string
	var deleted, hidden bool
	var year, downloads int
	err := q.QueryRow(ctx, `SELECT r.title, r.summary, r.authors, r.publisher, r.language, r.community_id, COALESCE(r.added_by, 0), COALESCE(r.year, 0), r.created_at,
			r.deleted_at IS NOT NULL, r.hidden_at IS NOT NULL, `+resourceDownloads+`
		FROM resources r WHERE r.id = ?`, id).Scan(&d.title, &summary, &authors, &publisher, &d.language, &d.communityID, &d.ownerID, &year, &d.at,
		&deleted, &hidden, &downloads)
	if errors.Is(err, sqldb.ErrNotFound) || err == nil && deleted {
		return drop(ctx, q, KindResource, id)
	}
	if err != nil {
		return fmt.Errorf("index resource %d: %w", id, err)
	}
	sdgs, err := strs(ctx, q, "SELECT CAST(sdg AS TEXT) FROM resource_sdgs WHERE resource_id = ?", id)
	if err != nil {
		return fmt.Errorf("index resource %d: %w", id, err)
	}
	countries, err := strs(ctx, q, "SELECT country FROM resource_countries WHERE resource_id = ? ORDER BY country", id)
	if err != nil {
		return fmt.Errorf("index resource %d: %w", id, err)
	}
	topics, err := strs(ctx, q, "SELECT tag FROM resource_topics WHERE resource_id = ?", id)
	if err != nil {
		return fmt.Errorf("index resource %d: %w", id, err)
	}
	d.kind, d.refID, d.itemType, d.itemID, d.access = KindResource, id, KindResource, id, accessAll
	if hidden {
		d.access = accessModerators
	}
	d.body = summary
	d.extra = authors + " " + publisher + " " + strings.Join(topics, " ") + " " + countryNames(countries)
	d.sdgs, d.countries = spaced(ints(sdgs)), spaced(countries)
	d.year = year
	if d.year == 0 {
		d.year = d.at.UTC().Year()
	}
	d.boost = popularity(downloads)
	return put(ctx, q, d)
}

// IndexSolution brings a solution of the catalogue up to date in the index:
// call it, in the same transaction, after a record is created, changed,
// archived or restored. Archived records stay in the index for the
// catalogue's editors, who search them in the catalogue; site-wide search
// shows them to no one.
func IndexSolution(ctx context.Context, q sqldb.Querier, id int64) error {
	var d doc
	var tagline, challenge, approach, results, lessons, replicability string
	var archived bool
	var startYear int
	err := q.QueryRow(ctx, `SELECT s.title, s.tagline, t.challenge, t.solution, t.results, t.lessons, t.replicability, s.language,
			COALESCE(s.start_year, 0), s.created_at, s.archived_at IS NOT NULL
		FROM solutions s JOIN solution_texts t ON t.solution_id = s.id WHERE s.id = ?`, id).Scan(&d.title, &tagline, &challenge, &approach,
		&results, &lessons, &replicability, &d.language, &startYear, &d.at, &archived)
	if errors.Is(err, sqldb.ErrNotFound) {
		return drop(ctx, q, KindSolution, id)
	}
	if err != nil {
		return fmt.Errorf("index solution %d: %w", id, err)
	}
	sdgs, err := strs(ctx, q, "SELECT CAST(sdg AS TEXT) FROM solution_sdgs WHERE solution_id = ?", id)
	if err != nil {
		return fmt.Errorf("index solution %d: %w", id, err)
	}
	countries, err := strs(ctx, q, "SELECT country FROM solution_countries WHERE solution_id = ? ORDER BY country", id)
	if err != nil {
		return fmt.Errorf("index solution %d: %w", id, err)
	}
	partners, err := strs(ctx, q, "SELECT name FROM solution_partners WHERE solution_id = ? ORDER BY role, position", id)
	if err != nil {
		return fmt.Errorf("index solution %d: %w", id, err)
	}
	d.kind, d.refID, d.itemType, d.itemID, d.access = KindSolution, id, KindSolution, id, accessAll
	if archived {
		d.access = accessNone
	}
	d.title += " " + tagline
	d.body = strings.Join([]string{challenge, approach, results, lessons, replicability}, "\n")
	d.extra = strings.Join(partners, " ") + " " + countryNames(countries)
	d.sdgs, d.countries, d.year = spaced(ints(sdgs)), spaced(countries), startYear
	return put(ctx, q, d)
}

// IndexEvent brings an event up to date in the index: call it, in the same
// transaction, after an event is created or changed. Drafts are found by
// the community's managers only.
func IndexEvent(ctx context.Context, q sqldb.Querier, id int64) error {
	var d doc
	var status string
	var startsAt time.Time
	var views, attendees int
	err := q.QueryRow(ctx, `SELECT e.title, e.description, e.language, e.community_id, e.status, e.starts_at, e.created_at, e.recording_views,
			`+eventAttendees+`, COALESCE(cd.sdgs, '')
		FROM events e LEFT JOIN search_docs cd ON cd.kind = 'community' AND cd.ref_id = e.community_id WHERE e.id = ?`, id).Scan(
		&d.title, &d.body, &d.language, &d.communityID, &status, &startsAt, &d.at, &views, &attendees, &d.sdgs)
	if errors.Is(err, sqldb.ErrNotFound) {
		return drop(ctx, q, KindEvent, id)
	}
	if err != nil {
		return fmt.Errorf("index event %d: %w", id, err)
	}
	rows, err := q.Query(ctx, "SELECT name, title, organization, country FROM event_speakers WHERE event_id = ? ORDER BY position", id)
	if err != nil {
		return fmt.Errorf("index event %d: %w", id, err)
	}
	var extra []string
	var countries []string
	for rows.Next() {
		var name, title, org, cc string
		if err := rows.Scan(&name, &title, &org, &cc); err != nil {
			rows.Close()
			return err
		}
		extra = append(extra, name, title, org)
		if cc != "" && !contains(countries, cc) {
			countries = append(countries, cc)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	sort.Strings(countries)
	d.kind, d.refID, d.itemType, d.itemID, d.access = KindEvent, id, KindEvent, id, accessAll
	if status == "draft" {
		d.access = accessManagers
	}
	// An event is as recent as the day it takes place.
	d.at = startsAt
	d.year = startsAt.UTC().Year()
	d.extra = strings.Join(extra, " ") + " " + countryNames(countries)
	d.countries = spaced(countries)
	d.boost = math.Max(popularity(attendees), popularity(views))
	return put(ctx, q, d)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// IndexCommunity brings a community up to date in the index: call it, in
// the same transaction, after a community is created or its description,
// goals or visibility change. Its threads, replies and events carry its
// goals, so they follow. Private communities are found by their members
// only; members-only ones by everyone, like the list of communities.
func IndexCommunity(ctx context.Context, q sqldb.Querier, id int64) error {
	var d doc
	var members int
	err := q.QueryRow(ctx, `SELECT c.name, c.description, c.language, c.created_at, `+communityMembers+`
		FROM communities c WHERE c.id = ?`, id).Scan(&d.title, &d.body, &d.language, &d.at, &members)
	if errors.Is(err, sqldb.ErrNotFound) {
		return drop(ctx, q, KindCommunity, id)
	}
	if err != nil {
		return fmt.Errorf("index community %d: %w", id, err)
	}
	sdgs, err := strs(ctx, q, "SELECT CAST(sdg AS TEXT) FROM community_sdgs WHERE community_id = ?", id)
	if err != nil {
		return fmt.Errorf("index community %d: %w", id, err)
	}
	areas, err := strs(ctx, q, "SELECT tag FROM community_focus_areas WHERE community_id = ? ORDER BY position", id)
	if err != nil {
		return fmt.Errorf("index community %d: %w", id, err)
	}
	d.kind, d.refID, d.itemType, d.itemID, d.communityID, d.access = KindCommunity, id, KindCommunity, id, id, accessListed
	d.extra = strings.Join(areas, " ")
	d.sdgs = spaced(ints(sdgs))
	d.year = d.at.UTC().Year()
	d.boost = popularity(members)
	if err := put(ctx, q, d); err != nil {
		return err
	}
	// The documents of the community's threads, replies and events take
	// its goals, found through their own tables: search_docs keeps no index
	// by community, which every reply would write (migration 0018).
	for _, of := range []struct{ kind, ids string }{
		{KindThread, "SELECT id FROM threads WHERE community_id = ?"},
		{KindPost, "SELECT p.id FROM threads t JOIN posts p ON p.thread_id = t.id WHERE t.community_id = ?"},
		{KindEvent, "SELECT id FROM events WHERE community_id = ?"},
	} {
		if _, err := q.Exec(ctx, "UPDATE search_docs SET sdgs = ? WHERE kind = ? AND ref_id IN ("+of.ids+") AND sdgs <> ?",
			d.sdgs, of.kind, id, d.sdgs); err != nil {
			return fmt.Errorf("index community %d: %w", id, err)
		}
	}
	return nil
}

// IndexProfile brings a member's profile up to date in the index: call it,
// in the same transaction, after an account is created or its profile
// changes. A profile is found by those who may see it (see
// account.CanSeeProfile): everyone, logged-in members, or only its owner;
// disabled accounts by no one.
func IndexProfile(ctx context.Context, q sqldb.Querier, userID int64) error {
	var d doc
	var position, org, visibility, country string
	var disabled bool
	err := q.QueryRow(ctx, `SELECT name, position, organization, bio, country, profile_visibility, disabled_at IS NOT NULL, created_at
		FROM users WHERE id = ?`, userID).Scan(&d.title, &position, &org, &d.body, &country, &visibility, &disabled, &d.at)
	if errors.Is(err, sqldb.ErrNotFound) || err == nil && disabled {
		return drop(ctx, q, KindProfile, userID)
	}
	if err != nil {
		return fmt.Errorf("index profile %d: %w", userID, err)
	}
	tags, err := strs(ctx, q, "SELECT tag FROM user_expertise WHERE user_id = ? ORDER BY position", userID)
	if err != nil {
		return fmt.Errorf("index profile %d: %w", userID, err)
	}
	d.kind, d.refID, d.itemType, d.itemID, d.ownerID = KindProfile, userID, KindProfile, userID, userID
	switch visibility {
	case "public":
		d.access = accessAll
	case "members":
		d.access = accessMembers
	default:
		d.access = accessOwner
	}
	d.extra = position + " " + org + " " + strings.Join(tags, " ")
	if country != "" {
		d.extra += " " + countryNames([]string{country})
		d.countries = spaced([]string{country})
	}
	return put(ctx, q, d)
}

// Rescore brings up to date how well received a record is (helpful
// marks and accepted answers of threads and replies, downloads of
// resources, attendance and recording views of events, members of
// communities), which ranking gently favours, without rewriting its text:
// call it, in the same transaction, after any of these changes. In a
// transaction it runs once, as the transaction commits, however many
// changes asked for it (an import of a thousand members counts a
// community's members once). Nothing happens for a record the index does
// not hold.
func Rescore(ctx context.Context, q sqldb.Querier, kind string, id int64) error {
	return sqldb.AtCommit(ctx, q, "search.Rescore "+kind+" "+strconv.FormatInt(id, 10), func(ctx context.Context, q sqldb.Querier) error {
		return rescore(ctx, q, kind, id)
	})
}

func rescore(ctx context.Context, q sqldb.Querier, kind string, id int64) error {
	var boost float64
	var err error
	switch kind {
	case KindThread, KindPost:
		var helpful int
		var accepted bool
		query := "SELECT " + threadSignals + " FROM threads t WHERE t.id = ?"
		if kind == KindPost {
			query = "SELECT " + postSignals + " FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = ?"
		}
		err = q.QueryRow(ctx, query, id).Scan(&helpful, &accepted)
		boost = answerBonus(helpful, accepted)
	case KindResource:
		var downloads int
		err = q.QueryRow(ctx, "SELECT "+resourceDownloads+" FROM resources r WHERE r.id = ?", id).Scan(&downloads)
		boost = popularity(downloads)
	case KindEvent:
		var views, attendees int
		err = q.QueryRow(ctx, "SELECT e.recording_views, "+eventAttendees+" FROM events e WHERE e.id = ?", id).Scan(&views, &attendees)
		boost = math.Max(popularity(attendees), popularity(views))
	case KindCommunity:
		var members int
		err = q.QueryRow(ctx, "SELECT "+communityMembers+" FROM communities c WHERE c.id = ?", id).Scan(&members)
		boost = popularity(members)
	default:
		return fmt.Errorf("rescore %s %d: not a kind with signals", kind, id)
	}
	if errors.Is(err, sqldb.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rescore %s %d: %w", kind, id, err)
	}
	if _, err := q.Exec(ctx, "UPDATE search_docs SET boost = ? WHERE kind = ? AND ref_id = ? AND boost <> ?", boost, kind, id, boost); err != nil {
		return fmt.Errorf("rescore %s %d: %w", kind, id, err)
	}
	return nil
}

// Rebuild empties the index and indexes every record again, oldest first,
// in one transaction: `harambee reindex`. progress, when not nil, hears how
// many documents are done now and then.
func Rebuild(ctx context.Context, db *sqldb.DB, progress func(done int)) (int, error) {
	done := 0
	err := db.InTx(ctx, func(tx *sqldb.Tx) error {
		if tx.Dialect() == sqldb.SQLite {
			if _, err := tx.Exec(ctx, "INSERT INTO search_fts (search_fts) VALUES ('delete-all')"); err != nil {
				return fmt.Errorf("reindex: %w", err)
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM search_docs"); err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		// Communities first: their documents hold the goals that their
		// threads, replies and events carry.
		type job struct {
			kind string
			id   int64
		}
		var jobs []job
		rows, err := tx.Query(ctx, `SELECT kind, id FROM (
				SELECT 'community' AS kind, id, created_at, 0 AS k FROM communities
				UNION ALL SELECT 'profile', id, created_at, 1 FROM users
				UNION ALL SELECT 'thread', id, created_at, 2 FROM threads
				UNION ALL SELECT 'post', id, created_at, 2 FROM posts
				UNION ALL SELECT 'resource', id, created_at, 2 FROM resources
				UNION ALL SELECT 'solution', id, created_at, 2 FROM solutions
				UNION ALL SELECT 'event', id, created_at, 2 FROM events
			) x ORDER BY k, created_at, kind DESC, id`)
		if err != nil {
			return fmt.Errorf("reindex: %w", err)
		}
		for rows.Next() {
			var j job
			if err := rows.Scan(&j.kind, &j.id); err != nil {
				rows.Close()
				return err
			}
			jobs = append(jobs, j)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		index := map[string]func(context.Context, sqldb.Querier, int64) error{
			KindCommunity: IndexCommunity, KindProfile: IndexProfile, KindPost: IndexPost, KindResource: IndexResource,
			KindSolution: IndexSolution, KindEvent: IndexEvent,
			KindThread: indexThreadOnly,
		}
		for _, j := range jobs {
			if err := index[j.kind](ctx, tx, j.id); err != nil {
				return err
			}
			done++
			if progress != nil && done%10000 == 0 {
				progress(done)
			}
		}
		if tx.Dialect() == sqldb.SQLite {
			if _, err := tx.Exec(ctx, "INSERT INTO search_fts (search_fts) VALUES ('optimize')"); err != nil {
				return fmt.Errorf("reindex: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if db.Dialect() == sqldb.Postgres {
		// Fresh statistics let the planner tell rare words from common ones.
		if _, err := db.Exec(ctx, "ANALYZE search_docs"); err != nil {
			return done, fmt.Errorf("reindex: analyze: %w", err)
		}
	}
	return done, nil
}
