package event

import (
	"context"
	"strconv"
	"time"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// DigestProvider lists a community's newly announced upcoming events for the
// members' digests.
type DigestProvider struct{}

// DigestItems returns the published events of the community announced in
// the period that have not started when the digest is written.
func (DigestProvider) DigestItems(ctx context.Context, q sqldb.Querier, r notify.DigestRequest) ([]notify.DigestItem, error) {
	rows, err := q.Query(ctx, `SELECT id, title, starts_at, created_at FROM events
		WHERE community_id = ? AND status = 'published' AND created_at >= ? AND created_at < ? AND starts_at > ?
		ORDER BY starts_at LIMIT 50`, r.CommunityID, r.From, r.To, r.To)
	l := i18n.For(r.Language)
	return sqldb.Collect(rows, err, func(sc sqldb.Scanner) (notify.DigestItem, error) {
		var id int64
		var it notify.DigestItem
		var starts time.Time
		err := sc.Scan(&id, &it.Title, &starts, &it.At)
		it.URL, it.Note = "/events/"+strconv.FormatInt(id, 10), l.T("event.notify.digest_note", l.Date(starts))
		return it, err
	})
}
