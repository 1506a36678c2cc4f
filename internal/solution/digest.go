package solution

import (
	"context"
	"strconv"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// DigestProvider lists the new catalogue records a community showcases, for
// its members' digests.
type DigestProvider struct{}

// DigestItems returns the records, not archived, added to the catalogue in
// the period and showcased by the community.
func (DigestProvider) DigestItems(ctx context.Context, q sqldb.Querier, r notify.DigestRequest) ([]notify.DigestItem, error) {
	rows, err := q.Query(ctx, `SELECT s.id, s.title, s.created_at FROM solutions s JOIN solution_communities sc ON sc.solution_id = s.id
		WHERE sc.community_id = ? AND s.archived_at IS NULL AND s.created_at >= ? AND s.created_at < ? ORDER BY s.created_at LIMIT 50`,
		r.CommunityID, r.From, r.To)
	l := i18n.For(r.Language)
	return sqldb.Collect(rows, err, func(sc sqldb.Scanner) (notify.DigestItem, error) {
		var id int64
		var it notify.DigestItem
		err := sc.Scan(&id, &it.Title, &it.At)
		it.URL, it.Note = "/solutions/"+strconv.FormatInt(id, 10), l.T("solution.notify.digest_note")
		return it, err
	})
}
