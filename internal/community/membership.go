package community

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/search"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Membership event kinds, kept in membership_events.
const (
	EventCreated     = "created"
	EventJoined      = "joined"
	EventApproved    = "approved"
	EventInvited     = "invitation_accepted"
	EventAdded       = "added"
	EventLeft        = "left"
	EventRemoved     = "removed"
	EventBanned      = "banned"
	EventUnbanned    = "unbanned"
	EventRoleChanged = "role_changed"
	EventRefused     = "refused"
)

// Errors of membership changes, each a field error the pages and the API
// show as they are.
var (
	errAlreadyMember = validation.Conflict("user", "community.error.already_member")
	errNotMember     = validation.Field("user", "community.error.not_member")
	errLastManager   = validation.Field("role", "community.error.last_manager")
	errBanned        = validation.Field("user", "community.error.banned")
)

// startMembership opens a membership period and records the event.
func (s *Store) startMembership(ctx context.Context, communityID, userID int64, role string, at time.Time, approvedBy, actor int64, kind string) error {
	_, err := s.q.Exec(ctx, `INSERT INTO memberships (community_id, user_id, role, joined_at, approved_by) VALUES (?, ?, ?, ?, ?)`,
		communityID, userID, role, at, nullID(approvedBy))
	if errors.Is(err, sqldb.ErrConflict) {
		return errAlreadyMember
	}
	if err != nil {
		return fmt.Errorf("start membership of %d in %d: %w", userID, communityID, err)
	}
	if err := s.event(ctx, communityID, userID, kind, role, actor, "", at); err != nil {
		return err
	}
	// Search gently favours communities with more members.
	return search.Rescore(ctx, s.q, search.KindCommunity, communityID)
}

func (s *Store) event(ctx context.Context, communityID, userID int64, kind, role string, actor int64, note string, at time.Time) error {
	_, err := s.q.Exec(ctx, `INSERT INTO membership_events (community_id, user_id, kind, role, actor_id, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		communityID, userID, kind, role, nullID(actor), note, at)
	if err != nil {
		return fmt.Errorf("record %s of %d in %d: %w", kind, userID, communityID, err)
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Join makes the user a member of an open community.
func (s *Store) Join(ctx context.Context, c Community, u account.User) error {
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		v, err := st.ViewerFor(ctx, c.ID, &u)
		if err != nil {
			return err
		}
		switch {
		case v.Member():
			return errAlreadyMember
		case v.Banned:
			return errBanned
		case c.JoinPolicy != Open || !v.CanSee(c):
			return account.ErrForbidden
		}
		return st.startMembership(ctx, c.ID, u.ID, RoleMember, time.Now().UTC(), 0, u.ID, EventJoined)
	})
}

// currentRole returns a member's role, or errNotMember.
func (s *Store) currentRole(ctx context.Context, communityID, userID int64) (string, error) {
	var role string
	err := s.q.QueryRow(ctx, "SELECT role FROM memberships WHERE community_id = ? AND user_id = ? AND left_at IS NULL", communityID, userID).Scan(&role)
	if errors.Is(err, sqldb.ErrNotFound) {
		return "", errNotMember
	}
	return role, err
}

// managerCount counts a community's current managers.
func (s *Store) managerCount(ctx context.Context, communityID int64) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE community_id = ? AND role = 'manager' AND left_at IS NULL", communityID).Scan(&n)
	return n, err
}

// end closes a membership, refusing to leave a community without a manager.
func (s *Store) end(ctx context.Context, communityID, userID, actor int64, reason string) error {
	role, err := s.currentRole(ctx, communityID, userID)
	if err != nil {
		return err
	}
	if role == RoleManager {
		n, err := s.managerCount(ctx, communityID)
		if err != nil {
			return err
		}
		if n <= 1 {
			return errLastManager
		}
	}
	now := time.Now().UTC()
	if _, err := s.q.Exec(ctx, "UPDATE memberships SET left_at = ?, left_reason = ?, ended_by = ? WHERE community_id = ? AND user_id = ? AND left_at IS NULL",
		now, reason, nullID(actor), communityID, userID); err != nil {
		return fmt.Errorf("end membership of %d in %d: %w", userID, communityID, err)
	}
	if err := s.event(ctx, communityID, userID, reason, role, actor, "", now); err != nil {
		return err
	}
	return search.Rescore(ctx, s.q, search.KindCommunity, communityID)
}

// Leave ends the user's own membership. The last manager cannot leave.
func (s *Store) Leave(ctx context.Context, c Community, u account.User) error {
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		return NewStore(tx).end(ctx, c.ID, u.ID, u.ID, EventLeft)
	})
}

// Remove ends someone's membership on a manager's decision.
func (s *Store) Remove(ctx context.Context, c Community, userID int64, actor account.User) error {
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		return NewStore(tx).end(ctx, c.ID, userID, actor.ID, EventRemoved)
	})
}

// Ban removes someone (if a member), refuses their pending request and keeps
// them from joining again until unbanned.
func (s *Store) Ban(ctx context.Context, c Community, userID int64, actor account.User, reason string) error {
	var e validation.Error
	reason = e.Text("reason", reason, false, 500)
	if err := e.Err(); err != nil {
		return err
	}
	if userID == actor.ID {
		return validation.Field("user", "community.error.ban_self")
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		if _, err := st.currentRole(ctx, c.ID, userID); err == nil {
			if err := st.end(ctx, c.ID, userID, actor.ID, EventBanned); err != nil {
				return err
			}
		} else if !errors.Is(err, errNotMember) {
			return err
		}
		now := time.Now().UTC()
		_, err := tx.Exec(ctx, `INSERT INTO community_bans (community_id, user_id, banned_by, reason, banned_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (community_id, user_id) DO NOTHING`, c.ID, userID, actor.ID, reason, now)
		if err != nil {
			return fmt.Errorf("ban %d from %d: %w", userID, c.ID, err)
		}
		_, err = tx.Exec(ctx, "UPDATE join_requests SET status = 'refused', decided_at = ?, decided_by = ? WHERE community_id = ? AND user_id = ? AND status = 'pending'",
			now, actor.ID, c.ID, userID)
		return err
	})
}

// Unban lets a banned person join again.
func (s *Store) Unban(ctx context.Context, c Community, userID int64, actor account.User) error {
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		res, err := tx.Exec(ctx, "DELETE FROM community_bans WHERE community_id = ? AND user_id = ?", c.ID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("unban %d: %w", userID, sqldb.ErrNotFound)
		}
		return NewStore(tx).event(ctx, c.ID, userID, EventUnbanned, "", actor.ID, "", time.Now().UTC())
	})
}

// SetRole changes a member's role. A community keeps at least one manager.
func (s *Store) SetRole(ctx context.Context, c Community, userID int64, role string, actor account.User) error {
	var e validation.Error
	role = e.OneOf("role", role, true, Roles...)
	if err := e.Err(); err != nil {
		return err
	}
	return sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		old, err := st.currentRole(ctx, c.ID, userID)
		if err != nil || old == role {
			return err
		}
		if old == RoleManager {
			n, err := st.managerCount(ctx, c.ID)
			if err != nil {
				return err
			}
			if n <= 1 {
				return errLastManager
			}
		}
		if _, err := tx.Exec(ctx, "UPDATE memberships SET role = ? WHERE community_id = ? AND user_id = ? AND left_at IS NULL", role, c.ID, userID); err != nil {
			return err
		}
		return st.event(ctx, c.ID, userID, EventRoleChanged, role, actor.ID, old, time.Now().UTC())
	})
}

// Banned is a person kept out of a community.
type Banned struct {
	UserID   int64
	Name     string
	Reason   string
	BannedAt time.Time
}

// Bans lists the people banned from a community.
func (s *Store) Bans(ctx context.Context, communityID int64) ([]Banned, error) {
	rows, err := s.q.Query(ctx, `SELECT b.user_id, u.name, b.reason, b.banned_at FROM community_bans b JOIN users u ON u.id = b.user_id
		WHERE b.community_id = ? ORDER BY b.banned_at DESC`, communityID)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (Banned, error) {
		var b Banned
		err := r.Scan(&b.UserID, &b.Name, &b.Reason, &b.BannedAt)
		return b, err
	})
}

// JoinRequest is someone's request to join a community.
type JoinRequest struct {
	ID           int64
	CommunityID  int64
	UserID       int64
	Name         string
	Email        string
	Country      string
	Organization string
	Message      string
	Status       string // pending, approved, refused, withdrawn
	CreatedAt    time.Time
	DecidedAt    *time.Time
}

const requestColumns = `r.id, r.community_id, r.user_id, u.name, u.email, u.country, u.organization, r.message, r.status, r.created_at, r.decided_at`

func scanRequest(r sqldb.Scanner) (JoinRequest, error) {
	var j JoinRequest
	err := r.Scan(&j.ID, &j.CommunityID, &j.UserID, &j.Name, &j.Email, &j.Country, &j.Organization, &j.Message, &j.Status, &j.CreatedAt, &j.DecidedAt)
	return j, err
}

// CreateRequest records a request to join a community that takes requests,
// telling no one; Service.RequestJoin also tells the managers.
func (s *Store) CreateRequest(ctx context.Context, c Community, u account.User, message string) (JoinRequest, error) {
	var e validation.Error
	message = e.LongText("message", message, false, MaxRequestMessage)
	if err := e.Err(); err != nil {
		return JoinRequest{}, err
	}
	v, err := s.ViewerFor(ctx, c.ID, &u)
	if err != nil {
		return JoinRequest{}, err
	}
	switch {
	case v.Member():
		return JoinRequest{}, errAlreadyMember
	case v.Banned:
		return JoinRequest{}, errBanned
	case v.Pending:
		return JoinRequest{}, validation.Conflict("user", "community.error.request_pending")
	case c.JoinPolicy != Request || !v.CanSee(c):
		return JoinRequest{}, account.ErrForbidden
	}
	var id int64
	err = s.q.QueryRow(ctx, `INSERT INTO join_requests (community_id, user_id, message, status, created_at) VALUES (?, ?, ?, 'pending', ?) RETURNING id`,
		c.ID, u.ID, message, time.Now().UTC()).Scan(&id)
	if errors.Is(err, sqldb.ErrConflict) {
		return JoinRequest{}, validation.Conflict("user", "community.error.request_pending")
	}
	if err != nil {
		return JoinRequest{}, fmt.Errorf("request to join %d: %w", c.ID, err)
	}
	return s.Request(ctx, c.ID, id)
}

// Request returns one join request of a community.
func (s *Store) Request(ctx context.Context, communityID, id int64) (JoinRequest, error) {
	j, err := scanRequest(s.q.QueryRow(ctx, "SELECT "+requestColumns+" FROM join_requests r JOIN users u ON u.id = r.user_id WHERE r.id = ? AND r.community_id = ?", id, communityID))
	if err != nil {
		return JoinRequest{}, fmt.Errorf("load join request %d: %w", id, err)
	}
	return j, nil
}

// Requests lists a community's join requests with the status, oldest first.
func (s *Store) Requests(ctx context.Context, communityID int64, status string) ([]JoinRequest, error) {
	rows, err := s.q.Query(ctx, "SELECT "+requestColumns+" FROM join_requests r JOIN users u ON u.id = r.user_id WHERE r.community_id = ? AND r.status = ? ORDER BY r.created_at, r.id",
		communityID, status)
	return sqldb.Collect(rows, err, scanRequest)
}

// decide approves or refuses a pending request.
func (s *Store) decide(ctx context.Context, c Community, requestID int64, actor account.User, approve bool) (JoinRequest, error) {
	j, err := s.Request(ctx, c.ID, requestID)
	if err != nil {
		return j, err
	}
	if j.Status != "pending" {
		return j, validation.Conflict("request", "community.error.request_decided")
	}
	now := time.Now().UTC()
	status := "refused"
	if approve {
		status = "approved"
	}
	if _, err := s.q.Exec(ctx, "UPDATE join_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?", status, now, actor.ID, j.ID); err != nil {
		return j, fmt.Errorf("decide join request %d: %w", j.ID, err)
	}
	j.Status, j.DecidedAt = status, &now
	if !approve {
		return j, s.event(ctx, c.ID, j.UserID, EventRefused, "", actor.ID, "", now)
	}
	var banned bool
	if err := s.q.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM community_bans WHERE community_id = ? AND user_id = ?)", c.ID, j.UserID).Scan(&banned); err != nil {
		return j, err
	}
	if banned {
		return j, errBanned
	}
	return j, s.startMembership(ctx, c.ID, j.UserID, RoleMember, now, actor.ID, actor.ID, EventApproved)
}

// WithdrawRequest cancels the user's own pending request.
func (s *Store) WithdrawRequest(ctx context.Context, c Community, u account.User) error {
	res, err := s.q.Exec(ctx, "UPDATE join_requests SET status = 'withdrawn', decided_at = ? WHERE community_id = ? AND user_id = ? AND status = 'pending'",
		time.Now(), c.ID, u.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("withdraw request: %w", sqldb.ErrNotFound)
	}
	return nil
}

// NewMember is a member added by a manager or an import: an existing
// account by id or e-mail address, or a new unverified account when the
// address has none and a name is given. JoinedAt dates the membership in the
// past when history is imported.
type NewMember struct {
	UserID           int64
	Email            string
	Name             string
	Country          string
	Organization     string
	OrganizationType string
	Position         string
	Role             string
	JoinedAt         time.Time
	// LeftAt, when set, records a past membership that has ended: history
	// imported from before Harambee.
	LeftAt time.Time
}

// AddMember makes someone a member on a manager's or an import's behalf and
// returns the member, and whether an account was created for them.
func (s *Store) AddMember(ctx context.Context, c Community, in NewMember, actor account.User) (Member, bool, error) {
	var e validation.Error
	if in.Role == "" {
		in.Role = RoleMember
	}
	in.Role = e.OneOf("role", in.Role, true, Roles...)
	now := time.Now().UTC()
	if in.JoinedAt.IsZero() {
		in.JoinedAt = now
	} else if in.JoinedAt.After(now.Add(time.Minute)) {
		e.Add("joined_at", "community.error.joined_future")
	}
	if !in.LeftAt.IsZero() && (!in.LeftAt.After(in.JoinedAt) || in.LeftAt.After(now.Add(time.Minute))) {
		e.Add("left_at", "community.error.left_before_joined")
	}
	if in.UserID == 0 {
		in.Email = e.Email("email", in.Email, true)
	}
	if err := e.Err(); err != nil {
		return Member{}, false, err
	}
	var m Member
	var created bool
	err := sqldb.Atomic(ctx, s.q, func(tx *sqldb.Tx) error {
		accounts := account.NewStore(tx)
		var u account.User
		var err error
		if in.UserID != 0 {
			u, err = accounts.User(ctx, in.UserID)
			if errors.Is(err, sqldb.ErrNotFound) {
				return validation.Field("user_id", "community.error.no_such_user")
			}
		} else {
			u, err = accounts.UserByEmail(ctx, in.Email)
			if errors.Is(err, sqldb.ErrNotFound) {
				if strings.TrimSpace(in.Name) == "" {
					return validation.Field("name", "community.error.name_for_new_account")
				}
				u, err = accounts.CreateUser(ctx, account.NewUser{Email: in.Email, Verified: false, CreatedAt: in.JoinedAt, Profile: account.Profile{
					Name: in.Name, Country: in.Country, Organization: in.Organization, OrganizationType: in.OrganizationType, Position: in.Position,
				}})
				created = err == nil
			}
		}
		if err != nil {
			return err
		}
		st := NewStore(tx)
		v, err := st.ViewerFor(ctx, c.ID, &u)
		if err != nil {
			return err
		}
		switch {
		case v.Banned:
			return errBanned
		case v.Member() && in.LeftAt.IsZero():
			// Checked before the insert: on PostgreSQL a failed statement
			// would abort the whole import's transaction.
			return errAlreadyMember
		}
		if !in.LeftAt.IsZero() {
			// A past membership: opened and closed at once, so it never
			// clashes with a current one.
			_, err := tx.Exec(ctx, `INSERT INTO memberships (community_id, user_id, role, joined_at, left_at, left_reason, approved_by, ended_by)
				VALUES (?, ?, ?, ?, ?, 'left', ?, ?)`, c.ID, u.ID, in.Role, in.JoinedAt.UTC(), in.LeftAt.UTC(), nullID(actor.ID), u.ID)
			if err != nil {
				return fmt.Errorf("record past membership of %d in %d: %w", u.ID, c.ID, err)
			}
			if err := st.event(ctx, c.ID, u.ID, EventAdded, in.Role, actor.ID, "", in.JoinedAt.UTC()); err != nil {
				return err
			}
			if err := st.event(ctx, c.ID, u.ID, EventLeft, in.Role, u.ID, "", in.LeftAt.UTC()); err != nil {
				return err
			}
			m = Member{Card: account.Card{ID: u.ID, Name: u.Name, Country: u.Country, Organization: u.Organization,
				OrganizationType: u.OrganizationType, Position: u.Position}, Role: in.Role, JoinedAt: in.JoinedAt.UTC()}
			return nil
		}
		if err := st.startMembership(ctx, c.ID, u.ID, in.Role, in.JoinedAt.UTC(), actor.ID, actor.ID, EventAdded); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE join_requests SET status = 'approved', decided_at = ?, decided_by = ? WHERE community_id = ? AND user_id = ? AND status = 'pending'",
			now, actor.ID, c.ID, u.ID); err != nil {
			return err
		}
		m = Member{Card: account.Card{ID: u.ID, Name: u.Name, Country: u.Country, Organization: u.Organization,
			OrganizationType: u.OrganizationType, Position: u.Position}, Role: in.Role, JoinedAt: in.JoinedAt.UTC()}
		return nil
	})
	return m, created, err
}

// MembersPage is one page of a community's directory with its counts.
type MembersPage struct {
	Members []Member
	Total   int
	Facets  account.Facets
	// Hidden counts current members whose profiles the reader may not
	// see, so the directory can say they exist without naming them.
	Hidden int
}

// Members lists a community's current members whose profiles the reader may
// see (managers see every member), filtered and paged, with counts.
func (s *Store) Members(ctx context.Context, c Community, v Viewer, f account.ProfileFilter, limit, offset int) (MembersPage, error) {
	d := account.DirectoryQuery{
		From:     "memberships m JOIN users u ON u.id = m.user_id",
		Base:     " AND m.community_id = ? AND m.left_at IS NULL",
		BaseArgs: []any{c.ID},
		Reader:   v.User,
		SeeAll:   v.CanManage(),
		Filter:   f,
	}
	var page MembersPage
	var err error
	if page.Total, page.Facets, err = account.NewStore(s.q).Facets(ctx, d); err != nil {
		return page, err
	}
	w, args := d.Where()
	rows, err := s.q.Query(ctx, "SELECT u.id, u.name, u.country, u.organization, u.organization_type, u.position, m.role, m.joined_at FROM "+d.From+w+
		" ORDER BY lower(u.name), u.id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	page.Members, err = sqldb.Collect(rows, err, func(r sqldb.Scanner) (Member, error) {
		var m Member
		err := r.Scan(&m.ID, &m.Name, &m.Country, &m.Organization, &m.OrganizationType, &m.Position, &m.Role, &m.JoinedAt)
		return m, err
	})
	if err != nil {
		return page, fmt.Errorf("list members of %d: %w", c.ID, err)
	}
	if !f.Active() && !d.SeeAll {
		page.Hidden = c.MemberCount - page.Total
	}
	return page, nil
}

// Managers returns a community's managers, by name.
func (s *Store) Managers(ctx context.Context, communityID int64) ([]Member, error) {
	rows, err := s.q.Query(ctx, `SELECT u.id, u.name, u.country, u.organization, u.organization_type, u.position, m.role, m.joined_at
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.community_id = ? AND m.left_at IS NULL AND m.role = 'manager' ORDER BY lower(u.name)`, communityID)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (Member, error) {
		var m Member
		err := r.Scan(&m.ID, &m.Name, &m.Country, &m.Organization, &m.OrganizationType, &m.Position, &m.Role, &m.JoinedAt)
		return m, err
	})
}

// JoinedSince counts the members who joined on or after a time and are
// still members: "12 new members this month".
func (s *Store) JoinedSince(ctx context.Context, communityID int64, since time.Time) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, "SELECT COUNT(*) FROM memberships WHERE community_id = ? AND left_at IS NULL AND joined_at >= ?", communityID, since).Scan(&n)
	return n, err
}

// MembersOn counts the distinct members a community had at a moment: joined
// on or before it and not yet left.
func (s *Store) MembersOn(ctx context.Context, communityID int64, at time.Time) (int, error) {
	var n int
	err := s.q.QueryRow(ctx, `SELECT COUNT(DISTINCT user_id) FROM memberships
		WHERE community_id = ? AND joined_at <= ? AND (left_at IS NULL OR left_at > ?)`, communityID, at, at).Scan(&n)
	return n, err
}

// Memberships lists the communities a user currently belongs to, with the
// role, that the reader may know of.
func (s *Store) Memberships(ctx context.Context, userID int64, reader *account.User) ([]Community, error) {
	cond, args := "", []any{userID}
	switch {
	case reader == nil:
		cond = " AND c.visibility <> 'private'"
	case !reader.Admin && reader.ID != userID:
		cond = " AND (c.visibility <> 'private' OR c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))"
		args = append(args, reader.ID)
	}
	rows, err := s.q.Query(ctx, "SELECT "+communityColumns+` FROM communities c JOIN memberships m ON m.community_id = c.id
		WHERE m.user_id = ? AND m.left_at IS NULL`+cond+" ORDER BY lower(c.name)", args...)
	list, err := sqldb.Collect(rows, err, scanCommunity)
	if err != nil {
		return nil, err
	}
	ptrs := make([]*Community, len(list))
	for i := range list {
		ptrs[i] = &list[i]
	}
	return list, s.loadDetails(ctx, ptrs)
}

// CountryCount is a community with how many current members come from one
// country.
type CountryCount struct {
	Community Community
	Members   int
}

// CountryCommunities returns the communities the reader may know of that
// have members from the country, most such members first.
func (s *Store) CountryCommunities(ctx context.Context, country string, reader *account.User) ([]CountryCount, error) {
	cond, args := "", []any{country}
	switch {
	case reader == nil:
		cond = " AND c.visibility <> 'private'"
	case !reader.Admin:
		cond = " AND (c.visibility <> 'private' OR c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL))"
		args = append(args, reader.ID)
	}
	rows, err := s.q.Query(ctx, `SELECT m.community_id, COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id JOIN communities c ON c.id = m.community_id
		WHERE u.country = ? AND m.left_at IS NULL`+cond+` GROUP BY m.community_id ORDER BY COUNT(*) DESC, m.community_id LIMIT 50`, args...)
	type idCount struct {
		id int64
		n  int
	}
	counts, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (idCount, error) {
		var c idCount
		return c, r.Scan(&c.id, &c.n)
	})
	if err != nil || len(counts) == 0 {
		return nil, err
	}
	ids := make([]any, len(counts))
	for i, c := range counts {
		ids[i] = c.id
	}
	rows, err = s.q.Query(ctx, "SELECT "+communityColumns+" FROM communities c WHERE c.id IN ("+sqldb.Placeholders(len(ids))+")", ids...)
	list, err := sqldb.Collect(rows, err, scanCommunity)
	if err != nil {
		return nil, err
	}
	byID := map[int64]Community{}
	for _, c := range list {
		byID[c.ID] = c
	}
	out := make([]CountryCount, 0, len(counts))
	for _, c := range counts {
		out = append(out, CountryCount{Community: byID[c.id], Members: c.n})
	}
	return out, nil
}

// Member returns one current member of a community.
func (s *Store) Member(ctx context.Context, communityID, userID int64) (Member, error) {
	var m Member
	err := s.q.QueryRow(ctx, `SELECT u.id, u.name, u.country, u.organization, u.organization_type, u.position, m.role, m.joined_at
		FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.community_id = ? AND m.user_id = ? AND m.left_at IS NULL`, communityID, userID).
		Scan(&m.ID, &m.Name, &m.Country, &m.Organization, &m.OrganizationType, &m.Position, &m.Role, &m.JoinedAt)
	if err != nil {
		return m, fmt.Errorf("load member %d of %d: %w", userID, communityID, err)
	}
	return m, nil
}

// Moderated returns the communities a user moderates or manages (every
// community for site administrators), by name, with their id, slug and
// name only: the thread page offers them to move a thread to, and reading
// their descriptions too was 44% of that page's time for a moderator at
// scale 1 (200 communities).
func (s *Store) Moderated(ctx context.Context, u account.User) ([]Community, error) {
	q := "SELECT c.id, c.slug, c.name FROM communities c WHERE c.id IN (SELECT community_id FROM memberships WHERE user_id = ? AND left_at IS NULL AND role IN ('moderator', 'manager')) ORDER BY lower(c.name) LIMIT 200"
	args := []any{u.ID}
	if u.Admin {
		q, args = "SELECT c.id, c.slug, c.name FROM communities c ORDER BY lower(c.name) LIMIT 200", nil
	}
	rows, err := s.q.Query(ctx, q, args...)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (Community, error) {
		var c Community
		err := r.Scan(&c.ID, &c.Slug, &c.Name)
		return c, err
	})
}
