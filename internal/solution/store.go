package solution

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/markdown"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Store reads and writes the catalogue through a database or a transaction.
type Store struct{ q sqldb.Querier }

// NewStore returns a store that works through q.
func NewStore(q sqldb.Querier) *Store { return &Store{q: q} }

// inTx runs fn with a store inside a transaction: a new one when the store
// works on a *sqldb.DB, the caller's when it already works on a *sqldb.Tx.
// A record spans several tables and is never half-written.
func (s *Store) inTx(ctx context.Context, fn func(st *Store) error) error {
	if db, ok := s.q.(*sqldb.DB); ok {
		return db.InTx(ctx, func(tx *sqldb.Tx) error { return fn(NewStore(tx)) })
	}
	return fn(s)
}

// now is the time of a change, at the precision both engines store.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// fullFrom joins a record's short fields and its texts.
const fullFrom = "solutions s JOIN solution_texts t ON t.solution_id = s.id"

const fullColumns = `s.id, s.title, s.tagline, t.challenge, t.challenge_html, t.solution, t.solution_html, t.results, t.results_html,
	t.lessons, t.lessons_html, t.replicability, t.replicability_html, s.is_global, s.modality, s.primary_sdg, s.status,
	s.start_month, s.end_month, s.url, s.language, s.archived_at, s.created_at, s.updated_at`

const summaryColumns = `s.id, s.title, s.tagline, s.is_global, s.modality, s.primary_sdg, s.status,
	s.start_month, s.end_month, s.url, s.language, s.archived_at, s.created_at, s.updated_at`

func scanFull(sc sqldb.Scanner) (Solution, error) {
	var x Solution
	var start, end string
	err := sc.Scan(&x.ID, &x.Title, &x.Tagline, &x.Challenge, &x.ChallengeHTML, &x.Approach, &x.ApproachHTML, &x.Results, &x.ResultsHTML,
		&x.Lessons, &x.LessonsHTML, &x.Replicability, &x.ReplicabilityHTML, &x.Global, &x.Modality, &x.PrimarySDG, &x.Status,
		&start, &end, &x.URL, &x.Language, &x.ArchivedAt, &x.CreatedAt, &x.UpdatedAt)
	x.Start, _ = ParseMonth(start)
	x.End, _ = ParseMonth(end)
	return x, err
}

func scanSummary(sc sqldb.Scanner) (Solution, error) {
	var x Solution
	var start, end string
	err := sc.Scan(&x.ID, &x.Title, &x.Tagline, &x.Global, &x.Modality, &x.PrimarySDG, &x.Status,
		&start, &end, &x.URL, &x.Language, &x.ArchivedAt, &x.CreatedAt, &x.UpdatedAt)
	x.Start, _ = ParseMonth(start)
	x.End, _ = ParseMonth(end)
	return x, err
}

// urlKey is the form in which URLs are compared to find the same record:
// trimmed, lower case, without a trailing slash. Empty gives nil (NULL), so
// records without a URL never clash.
func urlKey(u string) any {
	k := strings.TrimRight(strings.ToLower(strings.TrimSpace(u)), "/")
	if k == "" {
		return nil
	}
	return k
}

// written is what a write stores besides the editor's input.
type written struct {
	updatedAt  time.Time  // zero: now
	archived   *bool      // nil: leave as it is (new records: not archived)
	archivedAt *time.Time // when archived is true and the record was not
}

// Create validates and stores a new record, and notes who created it.
// A record whose URL, or title and start date, another record already has
// is a conflict (on url or title).
func (s *Store) Create(ctx context.Context, ed Editor, in Input) (Solution, error) {
	in, err := in.Validate()
	if err != nil {
		return Solution{}, err
	}
	var id int64
	err = s.inTx(ctx, func(st *Store) error {
		var err error
		id, err = st.create(ctx, ed, in, written{})
		return err
	})
	if err != nil {
		return Solution{}, err
	}
	return s.Solution(ctx, id)
}

// create stores a validated record.
func (s *Store) create(ctx context.Context, ed Editor, in Input, w written) (int64, error) {
	communities, err := s.communityIDs(ctx, in.Communities)
	if err != nil {
		return 0, err
	}
	if err := s.checkUnique(ctx, 0, in); err != nil {
		return 0, err
	}
	t := now()
	updated := t
	if !w.updatedAt.IsZero() {
		updated = w.updatedAt.UTC().Truncate(time.Microsecond)
	}
	var archivedAt *time.Time
	if w.archived != nil && *w.archived {
		archivedAt = &updated
	}
	row := rowFor(in)
	var id int64
	err = s.q.QueryRow(ctx, `INSERT INTO solutions (is_global, modality, primary_sdg, status, start_month, end_month,
		start_year, language, term_count, title, title_key, tagline, url, url_key,
		archived_at, created_by, updated_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		append(row.main, archivedAt, userArg(ed), userArg(ed), t, updated)...).Scan(&id)
	if errors.Is(err, sqldb.ErrConflict) {
		return 0, validation.Conflict("title", "solution.error.duplicate")
	}
	if err != nil {
		return 0, fmt.Errorf("create solution %q: %w", in.Title, err)
	}
	if _, err := s.q.Exec(ctx, `INSERT INTO solution_texts (challenge, challenge_html, solution, solution_html, results, results_html,
		lessons, lessons_html, replicability, replicability_html, solution_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		append(row.texts, id)...); err != nil {
		return 0, fmt.Errorf("create solution %q: %w", in.Title, err)
	}
	if _, err := s.q.Exec(ctx, "INSERT INTO solution_search (title_words, words, solution_id) VALUES (?, ?, ?)",
		append(row.search, id)...); err != nil {
		return 0, fmt.Errorf("create solution %q: %w", in.Title, err)
	}
	if err := s.writeChildren(ctx, id, in, communities, false); err != nil {
		return 0, err
	}
	if err := search.IndexSolution(ctx, s.q, id); err != nil {
		return 0, err
	}
	if err := s.logChange(ctx, id, ed, ActionCreated, nil, t); err != nil {
		return 0, err
	}
	return id, nil
}

// row holds the column values of a record: those of solutions (from
// is_global to url_key, in the order of the INSERT and UPDATE statements),
// of solution_texts and of solution_search.
type row struct {
	main, texts, search []any
}

func rowFor(in Input) row {
	start, _ := ParseMonth(in.StartDate)
	var startYear any
	if !start.IsZero() {
		startYear = start.Year
	}
	n := 0
	for _, c := range termCounts(in) {
		n += c
	}
	searchParts := []string{in.Title, in.Tagline, markdown.Plain(in.Challenge, 0), markdown.Plain(in.Approach, 0), markdown.Plain(in.Results, 0)}
	searchParts = append(searchParts, in.SupportedBy...)
	searchParts = append(searchParts, in.Implementers...)
	return row{
		main: []any{in.Global, in.Modality, in.PrimarySDG, in.Status, in.StartDate, in.EndDate, startYear, in.Language, n,
			in.Title, fold(in.Title), in.Tagline, in.URL, urlKey(in.URL)},
		texts: []any{in.Challenge, markdown.Render(in.Challenge), in.Approach, markdown.Render(in.Approach),
			in.Results, markdown.Render(in.Results), in.Lessons, markdown.Render(in.Lessons), in.Replicability, markdown.Render(in.Replicability)},
		search: []any{searchable(in.Title, in.Tagline), searchable(searchParts...)},
	}
}

func userArg(ed Editor) any {
	if ed.UserID == 0 {
		return nil
	}
	return ed.UserID
}

// checkUnique refuses a record whose URL, or title and start date, belongs
// to another record than id.
func (s *Store) checkUnique(ctx context.Context, id int64, in Input) error {
	var other int64
	if key := urlKey(in.URL); key != nil {
		err := s.q.QueryRow(ctx, "SELECT id FROM solutions WHERE url_key = ? AND id <> ?", key, id).Scan(&other)
		if err == nil {
			return validation.Conflict("url", "solution.error.url_taken", other)
		}
		if !errors.Is(err, sqldb.ErrNotFound) {
			return fmt.Errorf("check url: %w", err)
		}
	}
	err := s.q.QueryRow(ctx, "SELECT id FROM solutions WHERE title_key = ? AND start_month = ? AND id <> ?", fold(in.Title), in.StartDate, id).Scan(&other)
	if err == nil {
		return validation.Conflict("title", "solution.error.title_taken", other)
	}
	if !errors.Is(err, sqldb.ErrNotFound) {
		return fmt.Errorf("check title: %w", err)
	}
	return nil
}

// communityIDs returns the ids of the communities with the slugs; an
// unknown slug fails validation.
func (s *Store) communityIDs(ctx context.Context, slugs []string) ([]int64, error) {
	if len(slugs) == 0 {
		return nil, nil
	}
	args := make([]any, len(slugs))
	for i, sl := range slugs {
		args[i] = sl
	}
	rows, err := s.q.Query(ctx, "SELECT slug, id FROM communities WHERE slug IN ("+sqldb.Placeholders(len(args))+")", args...)
	if err != nil {
		return nil, fmt.Errorf("find communities: %w", err)
	}
	found := map[string]int64{}
	for rows.Next() {
		var slug string
		var id int64
		if err := rows.Scan(&slug, &id); err != nil {
			rows.Close()
			return nil, err
		}
		found[slug] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(slugs))
	for _, sl := range slugs {
		id, ok := found[sl]
		if !ok {
			return nil, validation.Field("communities", "solution.error.community_unknown", sl)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// writeChildren stores the lists of a record: countries and their regions,
// SDGs, targets, partners, contacts, communities and the term counts. With
// replace, the old lists go first.
func (s *Store) writeChildren(ctx context.Context, id int64, in Input, communities []int64, replace bool) error {
	df := map[string]int{} // how many more records hold each term
	if replace {
		rows, err := s.q.Query(ctx, "SELECT term FROM solution_terms WHERE solution_id = ?", id)
		err = sqldb.Each(rows, err, func(r sqldb.Scanner) error {
			var t string
			err := r.Scan(&t)
			df[t]--
			return err
		})
		if err != nil {
			return fmt.Errorf("terms of solution %d: %w", id, err)
		}
		for _, table := range []string{"solution_countries", "solution_regions", "solution_sdgs", "solution_targets",
			"solution_partners", "solution_contacts", "solution_communities", "solution_terms"} {
			if _, err := s.q.Exec(ctx, "DELETE FROM "+table+" WHERE solution_id = ?", id); err != nil {
				return fmt.Errorf("clear %s of solution %d: %w", table, id, err)
			}
		}
	}
	var rows [][]any
	for _, c := range in.Countries {
		rows = append(rows, []any{id, c})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_countries", "solution_id, country", rows, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for _, r := range regionsOf(in.Countries) {
		rows = append(rows, []any{id, r})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_regions", "solution_id, region", rows, ""); err != nil {
		return err
	}
	rows = [][]any{{id, in.PrimarySDG, true}}
	for _, g := range in.SecondarySDGs {
		rows = append(rows, []any{id, g, false})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_sdgs", "solution_id, sdg, is_primary", rows, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for _, t := range in.Targets {
		rows = append(rows, []any{id, t})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_targets", "solution_id, target", rows, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for i, n := range in.SupportedBy {
		rows = append(rows, []any{id, "supporter", i, n})
	}
	for i, n := range in.Implementers {
		rows = append(rows, []any{id, "implementer", i, n})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_partners", "solution_id, role, position, name", rows, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for i, c := range in.Contacts {
		rows = append(rows, []any{id, i, c.Name, c.Title, c.Organization, c.Email})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_contacts", "solution_id, position, name, title, organization, email", rows, ""); err != nil {
		return err
	}
	rows = rows[:0]
	for _, c := range communities {
		rows = append(rows, []any{id, c})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_communities", "solution_id, community_id", rows, ""); err != nil {
		return err
	}
	tf := termCounts(in)
	terms := make([]string, 0, len(tf))
	for t := range tf {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	rows = rows[:0]
	for _, t := range terms {
		rows = append(rows, []any{id, t, tf[t]})
	}
	if err := sqldb.InsertRows(ctx, s.q, "solution_terms", "solution_id, term, tf", rows, ""); err != nil {
		return err
	}
	for _, t := range terms {
		df[t]++
	}
	return s.addTermFrequencies(ctx, df)
}

// addTermFrequencies adds to the count of records that hold each term. In
// a transaction the counts are added up and written once, as it commits:
// a batch of a thousand records writes each common term's row once, where
// a write per record made PostgreSQL keep a thousand versions of the row
// and walk them at every write (27 ms per record when generating 5,000).
func (s *Store) addTermFrequencies(ctx context.Context, df map[string]int) error {
	tx, ok := s.q.(*sqldb.Tx)
	if !ok {
		return writeTermFrequencies(ctx, s.q, df)
	}
	sum := tx.Local("solution: term frequencies", func() any {
		sum := map[string]int{}
		tx.BeforeCommit("solution: term frequencies", func(ctx context.Context) error { return writeTermFrequencies(ctx, tx, sum) })
		return sum
	}).(map[string]int)
	for t, n := range df {
		sum[t] += n
	}
	return nil
}

// writeTermFrequencies adds counts: terms gained in one statement, terms
// lost (by an edit, rarer) one by one.
func writeTermFrequencies(ctx context.Context, q sqldb.Querier, df map[string]int) error {
	terms := make([]string, 0, len(df))
	for t := range df {
		terms = append(terms, t)
	}
	sort.Strings(terms)
	var gained [][]any
	for _, t := range terms {
		switch n := df[t]; {
		case n > 0:
			gained = append(gained, []any{t, n})
		case n < 0:
			if _, err := q.Exec(ctx, "UPDATE solution_term_df SET df = df + ? WHERE term = ?", n, t); err != nil {
				return fmt.Errorf("update frequency of %q: %w", t, err)
			}
		}
	}
	return sqldb.InsertRows(ctx, q, "solution_term_df", "term, df", gained, " ON CONFLICT (term) DO UPDATE SET df = solution_term_df.df + excluded.df")
}

// logChange adds an entry to a record's history. Every change is logged,
// so this is also where the catalogue's version moves: once per
// transaction, as it commits.
func (s *Store) logChange(ctx context.Context, id int64, ed Editor, action string, fields []string, at time.Time) error {
	_, err := s.q.Exec(ctx, "INSERT INTO solution_changes (solution_id, user_id, action, fields, via, at) VALUES (?, ?, ?, ?, ?, ?)",
		id, userArg(ed), action, strings.Join(fields, ","), ed.Via, at)
	if err != nil {
		return fmt.Errorf("log change of solution %d: %w", id, err)
	}
	return sqldb.AtCommit(ctx, s.q, "solution: catalogue version", func(ctx context.Context, q sqldb.Querier) error {
		_, err := q.Exec(ctx, "UPDATE solution_catalogue SET version = version + 1 WHERE id = 1")
		return err
	})
}

// Update validates and saves a new version of a record, and notes in its
// history who changed which fields. Saving the record unchanged changes
// nothing, not even its update time.
func (s *Store) Update(ctx context.Context, ed Editor, id int64, in Input) (Solution, error) {
	in, err := in.Validate()
	if err != nil {
		return Solution{}, err
	}
	err = s.inTx(ctx, func(st *Store) error {
		_, err := st.update(ctx, ed, id, in, written{})
		return err
	})
	if err != nil {
		return Solution{}, err
	}
	return s.Solution(ctx, id)
}

// update saves a validated record over the one with the id and reports
// whether anything changed.
func (s *Store) update(ctx context.Context, ed Editor, id int64, in Input, w written) (bool, error) {
	old, err := s.Solution(ctx, id)
	if err != nil {
		return false, err
	}
	changed := changedFields(old.Input(), in)
	t := now()
	if len(changed) > 0 {
		communities, err := s.communityIDs(ctx, in.Communities)
		if err != nil {
			return false, err
		}
		if err := s.checkUnique(ctx, id, in); err != nil {
			return false, err
		}
		row := rowFor(in)
		_, err = s.q.Exec(ctx, `UPDATE solutions SET is_global = ?, modality = ?, primary_sdg = ?, status = ?, start_month = ?,
			end_month = ?, start_year = ?, language = ?, term_count = ?, title = ?, title_key = ?, tagline = ?, url = ?, url_key = ?,
			updated_by = ?, updated_at = ? WHERE id = ?`,
			append(row.main, userArg(ed), t, id)...)
		if errors.Is(err, sqldb.ErrConflict) {
			return false, validation.Conflict("title", "solution.error.duplicate")
		}
		if err != nil {
			return false, fmt.Errorf("update solution %d: %w", id, err)
		}
		if _, err := s.q.Exec(ctx, `UPDATE solution_texts SET challenge = ?, challenge_html = ?, solution = ?, solution_html = ?,
			results = ?, results_html = ?, lessons = ?, lessons_html = ?, replicability = ?, replicability_html = ?
			WHERE solution_id = ?`, append(row.texts, id)...); err != nil {
			return false, fmt.Errorf("update solution %d: %w", id, err)
		}
		if _, err := s.q.Exec(ctx, "UPDATE solution_search SET title_words = ?, words = ? WHERE solution_id = ?",
			append(row.search, id)...); err != nil {
			return false, fmt.Errorf("update solution %d: %w", id, err)
		}
		if err := s.writeChildren(ctx, id, in, communities, true); err != nil {
			return false, err
		}
		if err := search.IndexSolution(ctx, s.q, id); err != nil {
			return false, err
		}
		if err := s.logChange(ctx, id, ed, ActionUpdated, changed, t); err != nil {
			return false, err
		}
	}
	if w.archived != nil && *w.archived != old.Archived() {
		if err := s.setArchived(ctx, ed, id, *w.archived, t); err != nil {
			return false, err
		}
		return true, nil
	}
	return len(changed) > 0, nil
}

// Archive hides a record from browsing, search and similar lists; it stays
// in the database, its page is seen by editors only, and it can be
// restored.
func (s *Store) Archive(ctx context.Context, ed Editor, id int64) error {
	return s.inTx(ctx, func(st *Store) error {
		old, err := st.Solution(ctx, id)
		if err != nil || old.Archived() {
			return err
		}
		return st.setArchived(ctx, ed, id, true, now())
	})
}

// Restore brings an archived record back.
func (s *Store) Restore(ctx context.Context, ed Editor, id int64) error {
	return s.inTx(ctx, func(st *Store) error {
		old, err := st.Solution(ctx, id)
		if err != nil || !old.Archived() {
			return err
		}
		return st.setArchived(ctx, ed, id, false, now())
	})
}

// MarkReviewed records that an editor checked a record and found it still
// right: its update time moves to now, so it leaves the list of records to
// review, and the history says who checked it.
func (s *Store) MarkReviewed(ctx context.Context, ed Editor, id int64) error {
	return s.inTx(ctx, func(st *Store) error {
		t := now()
		res, err := st.q.Exec(ctx, "UPDATE solutions SET updated_by = ?, updated_at = ? WHERE id = ?", userArg(ed), t, id)
		if err != nil {
			return fmt.Errorf("mark solution %d reviewed: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("mark solution %d reviewed: %w", id, sqldb.ErrNotFound)
		}
		return st.logChange(ctx, id, ed, ActionReviewed, nil, t)
	})
}

func (s *Store) setArchived(ctx context.Context, ed Editor, id int64, archived bool, at time.Time) error {
	var archivedAt *time.Time
	action := ActionRestored
	if archived {
		archivedAt, action = &at, ActionArchived
	}
	if _, err := s.q.Exec(ctx, "UPDATE solutions SET archived_at = ?, updated_by = ?, updated_at = ? WHERE id = ?",
		archivedAt, userArg(ed), at, id); err != nil {
		return fmt.Errorf("%s solution %d: %w", action, id, err)
	}
	if err := search.IndexSolution(ctx, s.q, id); err != nil {
		return err
	}
	return s.logChange(ctx, id, ed, action, nil, at)
}

// Solution returns the whole record with the id, archived or not.
func (s *Store) Solution(ctx context.Context, id int64) (Solution, error) {
	x, err := scanFull(s.q.QueryRow(ctx, "SELECT "+fullColumns+" FROM "+fullFrom+" WHERE s.id = ?", id))
	if err != nil {
		return Solution{}, fmt.Errorf("load solution %d: %w", id, err)
	}
	if err := s.loadLists(ctx, []*Solution{&x}, true); err != nil {
		return Solution{}, err
	}
	return x, nil
}

// idChunk bounds the ids of one IN list.
const idChunk = 500

// loadLists fills in the lists of several records with one query per list
// (per few hundred records), whatever their number: countries, regions,
// SDGs and targets, and with full also partners, contacts and communities.
func (s *Store) loadLists(ctx context.Context, list []*Solution, full bool) error {
	for start := 0; start < len(list); start += idChunk {
		if err := s.loadListsChunk(ctx, list[start:min(start+idChunk, len(list))], full); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) loadListsChunk(ctx context.Context, list []*Solution, full bool) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[int64]*Solution, len(list))
	ids := make([]any, len(list))
	for i, x := range list {
		byID[x.ID] = x
		ids[i] = x.ID
		x.Countries, x.Regions, x.SecondarySDGs, x.Targets = []string{}, []string{}, []int{}, []string{}
		if full {
			x.SupportedBy, x.Implementers, x.Contacts, x.Communities = []string{}, []string{}, []Contact{}, []Community{}
		}
	}
	in := "(" + sqldb.Placeholders(len(ids)) + ")"
	type pair struct {
		id int64
		s  string
	}
	strs := func(query string) ([]pair, error) {
		rows, err := s.q.Query(ctx, query, ids...)
		if err != nil {
			return nil, fmt.Errorf("load solution lists: %w", err)
		}
		defer rows.Close()
		var out []pair
		for rows.Next() {
			var p pair
			if err := rows.Scan(&p.id, &p.s); err != nil {
				return nil, err
			}
			out = append(out, p)
		}
		return out, rows.Err()
	}
	ps, err := strs("SELECT solution_id, country FROM solution_countries WHERE solution_id IN " + in + " ORDER BY solution_id, country")
	if err != nil {
		return err
	}
	for _, p := range ps {
		byID[p.id].Countries = append(byID[p.id].Countries, p.s)
	}
	if ps, err = strs("SELECT solution_id, region FROM solution_regions WHERE solution_id IN " + in + " ORDER BY solution_id, region"); err != nil {
		return err
	}
	for _, p := range ps {
		byID[p.id].Regions = append(byID[p.id].Regions, p.s)
	}
	if ps, err = strs("SELECT solution_id, target FROM solution_targets WHERE solution_id IN " + in); err != nil {
		return err
	}
	for _, p := range ps {
		byID[p.id].Targets = append(byID[p.id].Targets, p.s)
	}
	for _, x := range list {
		x.Targets = sortTargets(x.Targets)
	}
	rows, err := s.q.Query(ctx, "SELECT solution_id, sdg FROM solution_sdgs WHERE solution_id IN "+in+" AND NOT is_primary ORDER BY solution_id, sdg", ids...)
	if err != nil {
		return fmt.Errorf("load solution SDGs: %w", err)
	}
	for rows.Next() {
		var id int64
		var g int
		if err := rows.Scan(&id, &g); err != nil {
			rows.Close()
			return err
		}
		byID[id].SecondarySDGs = append(byID[id].SecondarySDGs, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if !full {
		return nil
	}

	rows, err = s.q.Query(ctx, "SELECT solution_id, role, name FROM solution_partners WHERE solution_id IN "+in+" ORDER BY solution_id, role, position", ids...)
	if err != nil {
		return fmt.Errorf("load solution partners: %w", err)
	}
	for rows.Next() {
		var id int64
		var role, name string
		if err := rows.Scan(&id, &role, &name); err != nil {
			rows.Close()
			return err
		}
		if role == "supporter" {
			byID[id].SupportedBy = append(byID[id].SupportedBy, name)
		} else {
			byID[id].Implementers = append(byID[id].Implementers, name)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.q.Query(ctx, "SELECT solution_id, name, title, organization, email FROM solution_contacts WHERE solution_id IN "+in+" ORDER BY solution_id, position", ids...)
	if err != nil {
		return fmt.Errorf("load solution contacts: %w", err)
	}
	for rows.Next() {
		var id int64
		var c Contact
		if err := rows.Scan(&id, &c.Name, &c.Title, &c.Organization, &c.Email); err != nil {
			rows.Close()
			return err
		}
		byID[id].Contacts = append(byID[id].Contacts, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = s.q.Query(ctx, `SELECT sc.solution_id, c.id, c.slug, c.name, c.visibility FROM solution_communities sc
		JOIN communities c ON c.id = sc.community_id WHERE sc.solution_id IN `+in+` ORDER BY sc.solution_id, c.slug`, ids...)
	if err != nil {
		return fmt.Errorf("load solution communities: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c Community
		if err := rows.Scan(&id, &c.ID, &c.Slug, &c.Name, &c.Visibility); err != nil {
			return err
		}
		byID[id].Communities = append(byID[id].Communities, c)
	}
	return rows.Err()
}

// summaries runs a query of summaryColumns and fills in the lists of the
// records it returns.
func (s *Store) summaries(ctx context.Context, query string, args ...any) ([]Solution, error) {
	rows, err := s.q.Query(ctx, query, args...)
	list, err := sqldb.Collect(rows, err, scanSummary)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*Solution, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	if err := s.loadLists(ctx, ptrs, false); err != nil {
		return nil, err
	}
	return list, nil
}

// ByCountry returns up to limit solutions that involve a country (ISO
// 3166-1 alpha-2), most recently started first, for the country's page.
// Archived and global solutions are left out: a global solution involves no
// country in particular.
func (s *Store) ByCountry(ctx context.Context, cc string, limit int) ([]Solution, error) {
	list, err := s.summaries(ctx, `SELECT `+summaryColumns+` FROM solutions s
		JOIN solution_countries c ON c.solution_id = s.id
		WHERE c.country = ? AND s.archived_at IS NULL
		ORDER BY s.start_month DESC, s.id DESC LIMIT ?`, strings.ToUpper(strings.TrimSpace(cc)), max(0, limit))
	if err != nil {
		return nil, fmt.Errorf("solutions of country %s: %w", cc, err)
	}
	return list, nil
}

// CountByCountry returns how many solutions that are not archived involve
// a country, for the country page's link to all of them.
func (s *Store) CountByCountry(ctx context.Context, cc string) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, `SELECT COUNT(*) FROM solutions s JOIN solution_countries c ON c.solution_id = s.id
		WHERE c.country = ? AND s.archived_at IS NULL`, strings.ToUpper(strings.TrimSpace(cc))).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count solutions of country %s: %w", cc, err)
	}
	return n, nil
}

// Stale returns a page of the records that nobody has updated for a year,
// least recently updated first, and how many there are: the editors' list
// of records to check.
func (s *Store) Stale(ctx context.Context, at time.Time, limit, offset int) ([]Solution, int, error) {
	before := at.AddDate(-staleAfterYears, 0, 0)
	var total int
	if err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM solutions WHERE archived_at IS NULL AND updated_at < ?", before).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count stale solutions: %w", err)
	}
	list, err := s.summaries(ctx, `SELECT `+summaryColumns+` FROM solutions s
		WHERE s.archived_at IS NULL AND s.updated_at < ? ORDER BY s.updated_at, s.id LIMIT ? OFFSET ?`, before, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("list stale solutions: %w", err)
	}
	return list, total, nil
}

// History returns the changes of a record, newest first.
func (s *Store) History(ctx context.Context, id int64) ([]Change, error) {
	rows, err := s.q.Query(ctx, `SELECT c.at, c.action, c.fields, c.via, COALESCE(c.user_id, 0), COALESCE(u.name, '')
		FROM solution_changes c LEFT JOIN users u ON u.id = c.user_id
		WHERE c.solution_id = ? ORDER BY c.at DESC, c.id DESC`, id)
	changes, err := sqldb.Collect(rows, err, func(sc sqldb.Scanner) (Change, error) {
		var c Change
		var fields string
		err := sc.Scan(&c.At, &c.Action, &fields, &c.Via, &c.UserID, &c.UserName)
		if fields != "" {
			c.Fields = strings.Split(fields, ",")
		}
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("history of solution %d: %w", id, err)
	}
	return changes, nil
}

// All returns every record, archived ones included, whole, in the order they
// were created: the export.
func (s *Store) All(ctx context.Context) ([]Solution, error) {
	rows, err := s.q.Query(ctx, "SELECT "+fullColumns+" FROM "+fullFrom+" ORDER BY s.id")
	list, err := sqldb.Collect(rows, err, scanFull)
	if err != nil {
		return nil, fmt.Errorf("load solutions: %w", err)
	}
	ptrs := make([]*Solution, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	if err := s.loadLists(ctx, ptrs, true); err != nil {
		return nil, err
	}
	return list, nil
}

// Count returns how many records are not archived.
func (s *Store) Count(ctx context.Context) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM solutions WHERE archived_at IS NULL").Scan(&n)
	return n, err
}
