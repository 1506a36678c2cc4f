package solution

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/harambee/harambee/internal/sqldb"
)

// catalogue is what the similarity reads of every record, in memory: each
// record's scope, goals, targets, countries and areas, and for each term
// the records that hold it with its count (the postings BM25 walks). One
// is kept per database for the catalogue's version it was read at, so a
// solution's similar solutions, the first time they are asked for, cost a
// few milliseconds of arithmetic instead of reading thousands of rows:
// at scale 1 (5,000 records) the reads were 130 to 310 ms per record, and
// 32 readers of records not yet computed queued behind them (solution
// pages at p99 3.6 s in the ten-minute run).
type catalogue struct {
	records  []catRecord
	sumLen   float64              // the records' lengths, for BM25's average
	postings map[string][]posting // by term
}

// catRecord is one record of the catalogue, archived ones too: they count
// in BM25's number of records and document frequencies, as the stored
// frequencies do, but are never listed.
type catRecord struct {
	id        int64
	modality  string
	global    bool
	length    int
	start     string
	archived  bool
	primary   int // the primary SDG
	sdgs      []int
	targets   []string
	countries []string
	regions   []string
}

// posting is a term's count in one record, by the record's index.
type posting struct {
	record int32
	tf     int32
}

// loadCatalogue reads the catalogue: six queries, whatever its size.
func loadCatalogue(ctx context.Context, q sqldb.Querier) (*catalogue, error) {
	c := &catalogue{postings: map[string][]posting{}}
	index := map[int64]int32{}
	rows, err := q.Query(ctx, "SELECT id, modality, is_global, term_count, start_month, archived_at IS NOT NULL FROM solutions")
	if err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	for rows.Next() {
		var r catRecord
		if err := rows.Scan(&r.id, &r.modality, &r.global, &r.length, &r.start, &r.archived); err != nil {
			rows.Close()
			return nil, fmt.Errorf("catalogue: %w", err)
		}
		index[r.id] = int32(len(c.records))
		c.records = append(c.records, r)
		c.sumLen += float64(r.length)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	lists := []struct {
		query string
		add   func(r *catRecord, v string)
	}{
		{"SELECT solution_id, target FROM solution_targets", func(r *catRecord, v string) { r.targets = append(r.targets, v) }},
		// The goals, the primary one marked with a '*'.
		{"SELECT solution_id, CAST(sdg AS TEXT) || CASE WHEN is_primary THEN '*' ELSE '' END FROM solution_sdgs", func(r *catRecord, v string) {
			goal, primary := strings.CutSuffix(v, "*")
			n, _ := strconv.Atoi(goal)
			r.sdgs = append(r.sdgs, n)
			if primary {
				r.primary = n
			}
		}},
		{"SELECT solution_id, country FROM solution_countries", func(r *catRecord, v string) { r.countries = append(r.countries, v) }},
		{"SELECT solution_id, region FROM solution_regions", func(r *catRecord, v string) { r.regions = append(r.regions, v) }},
	}
	for _, l := range lists {
		rows, err := q.Query(ctx, l.query)
		if err != nil {
			return nil, fmt.Errorf("catalogue: %w", err)
		}
		for rows.Next() {
			var id int64
			var v string
			if err := rows.Scan(&id, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("catalogue: %w", err)
			}
			if i, ok := index[id]; ok {
				l.add(&c.records[i], v)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("catalogue: %w", err)
		}
	}
	// The postings in the order of the terms' index: each term's list is
	// built whole before the next, without regrowing the map's slices.
	rows, err = q.Query(ctx, "SELECT term, solution_id, tf FROM solution_terms ORDER BY term")
	if err != nil {
		return nil, fmt.Errorf("catalogue terms: %w", err)
	}
	defer rows.Close()
	var term string
	var list []posting
	for rows.Next() {
		var t string
		var id int64
		var tf int32
		if err := rows.Scan(&t, &id, &tf); err != nil {
			return nil, fmt.Errorf("catalogue terms: %w", err)
		}
		if t != term {
			if list != nil {
				c.postings[term] = list
			}
			term, list = t, nil
		}
		if i, ok := index[id]; ok {
			list = append(list, posting{record: i, tf: tf})
		}
	}
	if list != nil {
		c.postings[term] = list
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("catalogue terms: %w", err)
	}
	return c, nil
}

// df is the number of records, archived ones too, that hold a term.
func (c *catalogue) df(term string) int { return len(c.postings[term]) }

// catalogues keeps each database's catalogue for the version it was read
// at: one per database, replaced when the version moves (every solution
// change moves it as it commits, from any instance or command).
var catalogues = struct {
	sync.Mutex
	byDB map[*sqldb.DB]versioned
}{byDB: map[*sqldb.DB]versioned{}}

type versioned struct {
	version int64
	cat     *catalogue
}

// maxCatalogues bounds the databases whose catalogue is kept (a server has
// one; a test run opens many).
const maxCatalogues = 8

// catalogueOf returns the catalogue of db at the version, read once for
// all the readers who ask for it meanwhile.
func catalogueOf(ctx context.Context, db *sqldb.DB, version int64) (*catalogue, error) {
	catalogues.Lock()
	v, ok := catalogues.byDB[db]
	catalogues.Unlock()
	if ok && v.version == version {
		return v.cat, nil
	}
	got, err, _ := similarFlight.Do(fmt.Sprintf("catalogue/%p/%d", db, version), func() (any, error) {
		// Read without the version's guarantee of a transaction: a change
		// that commits meanwhile moves the version, so that what was read
		// is not asked for again.
		cat, err := loadCatalogue(context.WithoutCancel(ctx), db)
		if err != nil {
			return nil, err
		}
		catalogues.Lock()
		defer catalogues.Unlock()
		if len(catalogues.byDB) >= maxCatalogues {
			clear(catalogues.byDB)
		}
		if cur, ok := catalogues.byDB[db]; !ok || cur.version <= version {
			catalogues.byDB[db] = versioned{version, cat}
		}
		return cat, nil
	})
	if err != nil {
		return nil, err
	}
	return got.(*catalogue), nil
}
