package community

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

// Categories of community messages, declared with every other category in
// package notify.
const (
	CategoryJoinRequest  = notify.CategoryJoinRequest
	CategoryJoinDecision = notify.CategoryJoinDecision
	CategoryInvitation   = notify.CategoryInvitation
)

// InvitationLifetime is how long an invitation link works.
const InvitationLifetime = 14 * 24 * time.Hour

// MaxInvitations is how many addresses one form or call may invite.
const MaxInvitations = 50

// Service runs the membership flows that send mail: requests to join and
// their decisions, and invitations.
type Service struct {
	DB       sqldb.Querier // the database, or the transaction of a larger change
	BaseURL  string
	SiteName string
}

// notifier sends the messages of the flows, by the members' settings.
func (s *Service) notifier() *notify.Notifier {
	return &notify.Notifier{BaseURL: s.BaseURL, SiteName: s.SiteName}
}

// RequestJoin records a request to join and tells the community's managers.
func (s *Service) RequestJoin(ctx context.Context, c Community, u account.User, message string) (JoinRequest, error) {
	var j JoinRequest
	err := sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		var err error
		if j, err = st.CreateRequest(ctx, c, u, message); err != nil {
			return err
		}
		managers, err := st.managerAccounts(ctx, c.ID)
		if err != nil {
			return err
		}
		n := s.notifier()
		for _, m := range managers {
			paras := []notify.Text{notify.T("community.mail.request_intro", u.Name, c.Name)}
			if j.Message != "" {
				paras = append(paras, notify.T("community.mail.request_message", j.Message))
			}
			if _, err := n.Send(ctx, tx, notify.Message{UserID: m.ID, Category: CategoryJoinRequest, CommunityID: c.ID,
				Subject: notify.T("community.mail.request_subject", c.Name), Paragraphs: paras,
				Action: notify.T("community.mail.request_action"), URL: "/communities/" + c.Slug + "/manage"}); err != nil {
				return err
			}
		}
		return nil
	})
	return j, err
}

// DecideRequest approves or refuses a pending request and tells the person
// who asked.
func (s *Service) DecideRequest(ctx context.Context, c Community, requestID int64, actor account.User, approve bool) (JoinRequest, error) {
	var j JoinRequest
	err := sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		var err error
		if j, err = NewStore(tx).decide(ctx, c, requestID, actor, approve); err != nil {
			return err
		}
		key, action, link := "community.mail.refused", notify.Text{}, "/communities/"+c.Slug
		if approve {
			key, action = "community.mail.approved", notify.T("community.mail.approved_action")
		}
		_, err = s.notifier().Send(ctx, tx, notify.Message{UserID: j.UserID, Category: CategoryJoinDecision, CommunityID: c.ID,
			Subject: notify.T(key+"_subject", c.Name), Paragraphs: []notify.Text{notify.T(key, c.Name)}, Action: action, URL: link})
		return err
	})
	return j, err
}

// managerAccounts returns the accounts of a community's managers.
func (s *Store) managerAccounts(ctx context.Context, communityID int64) ([]account.User, error) {
	rows, err := s.q.Query(ctx, "SELECT user_id FROM memberships WHERE community_id = ? AND role = 'manager' AND left_at IS NULL ORDER BY user_id", communityID)
	ids, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return nil, err
	}
	return account.NewStore(s.q).UsersByID(ctx, ids)
}

// Invitation is an invitation to join a community, sent to an address.
type Invitation struct {
	ID         int64
	Email      string
	Role       string
	InvitedBy  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	RevokedAt  *time.Time
}

// Status says where an invitation stands: pending, accepted, revoked or
// expired.
func (i Invitation) Status(now time.Time) string {
	switch {
	case i.AcceptedAt != nil:
		return "accepted"
	case i.RevokedAt != nil:
		return "revoked"
	case now.After(i.ExpiresAt):
		return "expired"
	}
	return "pending"
}

// Invite sends invitations to the addresses (one per line, comma or
// semicolon), skipping those already members or with a pending invitation.
// It returns how many invitations it sent.
func (s *Service) Invite(ctx context.Context, c Community, emails string, role string, actor account.User) (int, error) {
	var e validation.Error
	if role == "" {
		role = RoleMember
	}
	role = e.OneOf("role", role, true, Roles...)
	var addrs []string
	seen := map[string]bool{}
	for _, a := range strings.FieldsFunc(emails, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' || r == ' ' || r == '\t' }) {
		a = validation.NormalizeEmail(a)
		if a == "" || seen[a] {
			continue
		}
		seen[a] = true
		if !validation.ValidEmail(a) {
			e.Add("emails", "community.error.invalid_address", a)
			continue
		}
		addrs = append(addrs, a)
	}
	if len(addrs) == 0 && !e.Has("emails") {
		e.Add("emails", "error.required")
	}
	if len(addrs) > MaxInvitations {
		e.Add("emails", "error.too_many", MaxInvitations)
	}
	if err := e.Err(); err != nil {
		return 0, err
	}
	sent := 0
	err := sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		now := time.Now().UTC()
		for _, a := range addrs {
			var skip bool
			err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
					WHERE m.community_id = ? AND u.email = ? AND m.left_at IS NULL)
				OR EXISTS (SELECT 1 FROM invitations WHERE community_id = ? AND email = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?)`,
				c.ID, a, c.ID, a, now).Scan(&skip)
			if err != nil {
				return err
			}
			if skip {
				continue
			}
			b := make([]byte, 32)
			rand.Read(b)
			token := base64.RawURLEncoding.EncodeToString(b)
			if _, err := tx.Exec(ctx, `INSERT INTO invitations (community_id, email, role, token_hash, invited_by, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, c.ID, a, role, hashToken(token), actor.ID, now, now.Add(InvitationLifetime)); err != nil {
				return fmt.Errorf("invite %s: %w", a, err)
			}
			paras := []notify.Text{notify.T("community.mail.invite_intro", actor.Name, c.Name, s.SiteName)}
			if d := strings.TrimSpace(firstParagraph(c.Description)); d != "" {
				paras = append(paras, notify.T("community.mail.quoted", d))
			}
			if _, err := s.notifier().Send(ctx, tx, notify.Message{Email: a, Language: actor.Language, Category: CategoryInvitation, CommunityID: c.ID,
				Subject: notify.T("community.mail.invite_subject", c.Name), Paragraphs: paras,
				Action: notify.T("community.mail.invite_action"), URL: "/invitations/" + url.PathEscape(token),
				After: []notify.Text{notify.T("community.mail.invite_expiry", int(InvitationLifetime.Hours()/24)), notify.T("mail.ignore")}}); err != nil {
				return err
			}
			sent++
		}
		return nil
	})
	return sent, err
}

func firstParagraph(s string) string {
	p, _, _ := strings.Cut(strings.TrimSpace(s), "\n\n")
	if len([]rune(p)) > 400 {
		p = string([]rune(p)[:400]) + "…"
	}
	return p
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ErrInvitationInvalid is an invitation link that is unknown, used, revoked
// or expired.
var ErrInvitationInvalid = errors.New("invitation invalid, used or expired")

// InvitationFor returns the community and invitation a link opens.
func (s *Service) InvitationFor(ctx context.Context, token string) (Community, Invitation, error) {
	if token == "" || len(token) > 100 {
		return Community{}, Invitation{}, ErrInvitationInvalid
	}
	var inv Invitation
	var cid int64
	err := s.DB.QueryRow(ctx, `SELECT i.id, i.community_id, i.email, i.role, COALESCE(u.name, ''), i.created_at, i.expires_at, i.accepted_at, i.revoked_at
		FROM invitations i LEFT JOIN users u ON u.id = i.invited_by WHERE i.token_hash = ?`, hashToken(token)).
		Scan(&inv.ID, &cid, &inv.Email, &inv.Role, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt, &inv.AcceptedAt, &inv.RevokedAt)
	if errors.Is(err, sqldb.ErrNotFound) || err == nil && inv.Status(time.Now()) != "pending" {
		return Community{}, inv, ErrInvitationInvalid
	}
	if err != nil {
		return Community{}, inv, err
	}
	c, err := NewStore(s.DB).ByID(ctx, cid)
	return c, inv, err
}

// AcceptInvitation makes the user a member through an invitation sent to
// their address.
func (s *Service) AcceptInvitation(ctx context.Context, token string, u account.User) (Community, error) {
	c, inv, err := s.InvitationFor(ctx, token)
	if err != nil {
		return c, err
	}
	if !strings.EqualFold(inv.Email, u.Email) {
		return c, validation.Field("email", "community.error.invitation_other_address", inv.Email)
	}
	err = sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		v, err := st.ViewerFor(ctx, c.ID, &u)
		if err != nil {
			return err
		}
		if v.Banned {
			return errBanned
		}
		now := time.Now().UTC()
		res, err := tx.Exec(ctx, "UPDATE invitations SET accepted_at = ?, accepted_by = ? WHERE id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
			now, u.ID, inv.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrInvitationInvalid
		}
		if v.Member() {
			return nil
		}
		if err := st.startMembership(ctx, c.ID, u.ID, inv.Role, now, 0, u.ID, EventInvited); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "UPDATE join_requests SET status = 'approved', decided_at = ? WHERE community_id = ? AND user_id = ? AND status = 'pending'", now, c.ID, u.ID)
		return err
	})
	return c, err
}

// Invitations lists a community's invitations, newest first.
func (s *Store) Invitations(ctx context.Context, communityID int64, limit int) ([]Invitation, error) {
	rows, err := s.q.Query(ctx, `SELECT i.id, i.email, i.role, COALESCE(u.name, ''), i.created_at, i.expires_at, i.accepted_at, i.revoked_at
		FROM invitations i LEFT JOIN users u ON u.id = i.invited_by WHERE i.community_id = ? ORDER BY i.created_at DESC, i.id DESC LIMIT ?`, communityID, limit)
	return sqldb.Collect(rows, err, func(r sqldb.Scanner) (Invitation, error) {
		var i Invitation
		err := r.Scan(&i.ID, &i.Email, &i.Role, &i.InvitedBy, &i.CreatedAt, &i.ExpiresAt, &i.AcceptedAt, &i.RevokedAt)
		return i, err
	})
}

// RevokeInvitation stops an invitation that was not accepted yet.
func (s *Store) RevokeInvitation(ctx context.Context, communityID, id int64) error {
	res, err := s.q.Exec(ctx, "UPDATE invitations SET revoked_at = ? WHERE id = ? AND community_id = ? AND accepted_at IS NULL AND revoked_at IS NULL",
		time.Now(), id, communityID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("revoke invitation %d: %w", id, sqldb.ErrNotFound)
	}
	return nil
}
