package community

import (
	"context"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// DigestProvider gives a community's moderators and managers, in their
// digest, the reports not yet settled instead of one e-mail each. (Requests
// to join reach managers' digests as their notifications.)
type DigestProvider struct{}

// DigestItems returns the open reports of the community made in the period,
// for its moderators and managers.
func (DigestProvider) DigestItems(ctx context.Context, q sqldb.Querier, r notify.DigestRequest) ([]notify.DigestItem, error) {
	var role string
	err := q.QueryRow(ctx, "SELECT role FROM memberships WHERE community_id = ? AND user_id = ? AND left_at IS NULL", r.CommunityID, r.UserID).Scan(&role)
	if err != nil || role == RoleMember {
		return nil, nil
	}
	var slug string
	if err := q.QueryRow(ctx, "SELECT slug FROM communities WHERE id = ?", r.CommunityID).Scan(&slug); err != nil {
		return nil, err
	}
	l := i18n.For(r.Language)
	var items []notify.DigestItem
	var reports int
	var first sqldb.Time
	err = q.QueryRow(ctx, `SELECT COUNT(*), MIN(created_at) FROM content_reports
		WHERE community_id = ? AND status = 'open' AND created_at >= ? AND created_at < ?`, r.CommunityID, r.From, r.To).Scan(&reports, &first)
	if err != nil {
		return nil, err
	}
	if reports > 0 {
		items = append(items, notify.DigestItem{Title: l.N("community.notify.reports_item", reports), URL: "/communities/" + slug + "/moderation",
			Note: l.T("community.notify.reports_note"), At: first.Time})
	}
	return items, nil
}
