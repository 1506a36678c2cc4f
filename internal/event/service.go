package event

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/survey"
	"github.com/harambee/harambee/internal/validation"
)

// Categories of event messages, declared with every other category in
// package notify and sent through it: all but reminders and survey
// invitations answer something the recipient did or must know.
const (
	CategoryRegistration = notify.CategoryEventRegistration // confirmation, or place on the waiting list
	CategoryPromotion    = notify.CategoryEventWaitlist     // a seat became free
	CategoryChange       = notify.CategoryEventChange       // new time or join link
	CategoryCancellation = notify.CategoryEventCancelled
	CategoryReminder     = notify.CategoryEventReminder
	CategorySurvey       = notify.CategorySurveyInvitation
)

// Service runs the changes that tell people something: registrations and
// their cancellation (with the waiting list), changes and cancellations of
// events, survey invitations. Each message is written to the outbox in the
// transaction of its change. Nothing is sent about an event that has
// already ended: that is history being entered.
type Service struct {
	DB       sqldb.Querier // the database, or the transaction of a larger change
	BaseURL  string
	SiteName string
}

func (s *Service) url(path string) string { return strings.TrimRight(s.BaseURL, "/") + path }

// Create creates an event and schedules its reminders.
func (s *Service) Create(ctx context.Context, communityID int64, in Input, creator account.User) (Event, error) {
	var e Event
	err := sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		var err error
		if e, err = NewStore(tx).Create(ctx, communityID, in, creator); err != nil {
			return err
		}
		_, err = ScheduleReminders(ctx, tx, e)
		return err
	})
	return e, err
}

// Update changes an event. Registrants hear of a cancellation, or of a new
// time or join link; seats added go to the waiting list in order.
func (s *Service) Update(ctx context.Context, id int64, in Input) (Event, error) {
	in, err := in.Validate()
	if err != nil {
		return Event{}, err
	}
	var e Event
	err = sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		old, err := lockEvent(ctx, tx, id)
		if err != nil {
			return err
		}
		st := NewStore(tx)
		if err := update(ctx, tx, id, in); err != nil {
			return err
		}
		if e, err = st.ByID(ctx, id); err != nil {
			return err
		}
		now := time.Now()
		if e.Ended(now) {
			return nil
		}
		regs, _, err := st.Registrations(ctx, id, RegistrationsOptions{})
		if err != nil {
			return err
		}
		switch {
		case e.Status == Cancelled && old.Status != Cancelled:
			for _, r := range regs {
				if err := s.send(ctx, tx, e, r, CategoryCancellation, "event.mail.cancelled_subject", "event.mail.cancelled_intro", false); err != nil {
					return err
				}
			}
			return nil
		case e.Status != Published:
			return nil
		case old.Status == Published && (!old.StartsAt.Equal(e.StartsAt) || !old.EndsAt.Equal(e.EndsAt) || old.JoinURL != e.JoinURL):
			for _, r := range regs {
				if err := s.send(ctx, tx, e, r, CategoryChange, "event.mail.changed_subject", "event.mail.changed_intro", r.Status == StatusRegistered); err != nil {
					return err
				}
			}
		}
		promoted, err := promote(ctx, tx, e)
		if err != nil {
			return err
		}
		for _, r := range promoted {
			if err := s.send(ctx, tx, e, r, CategoryPromotion, "event.mail.promoted_subject", "event.mail.promoted_intro", true); err != nil {
				return err
			}
		}
		if len(promoted) > 0 {
			if e, err = st.ByID(ctx, id); err != nil {
				return err
			}
		}
		_, err = ScheduleReminders(ctx, tx, e)
		return err
	})
	return e, err
}

// Register registers someone for an event: with a seat, or on the waiting
// list when every seat is taken. A person registering themselves is
// refused once the deadline has passed or the event has started; managers
// may register people at any time (history). The confirmation, with the
// calendar file, goes to the outbox unless the event has ended.
func (s *Service) Register(ctx context.Context, e Event, in NewRegistration, by By) (Registration, error) {
	var r Registration
	err := sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		locked, err := lockEvent(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		if r, err = NewStore(tx).register(ctx, tx, locked, in, by); err != nil {
			return err
		}
		if locked.Ended(time.Now()) {
			return nil
		}
		subject, intro := "event.mail.registered_subject", "event.mail.registered_intro"
		if r.Status == StatusWaitlisted {
			subject, intro = "event.mail.waitlisted_subject", "event.mail.waitlisted_intro"
		}
		return s.send(ctx, tx, locked, r, CategoryRegistration, subject, intro, r.Status == StatusRegistered)
	})
	return r, err
}

// Cancel cancels a registration: the person's own (refused once the event
// has started) or, by a manager, anyone's. A seat it frees goes to the
// first on the waiting list, who is told.
func (s *Service) Cancel(ctx context.Context, e Event, regID int64, by By) error {
	return s.changeStatus(ctx, e, regID, StatusCancelled, by)
}

func (s *Service) changeStatus(ctx context.Context, e Event, regID int64, status string, by By) error {
	return sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		locked, err := lockEvent(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		st := NewStore(tx)
		r, err := st.Registration(ctx, e.ID, regID)
		if err != nil {
			return err
		}
		if !by.Manager && locked.Started(time.Now()) {
			return errStarted
		}
		if r.Status == status {
			return nil
		}
		if err := setStatus(ctx, tx, r.ID, status); err != nil {
			return err
		}
		return s.afterSeatChange(ctx, tx, locked.ID)
	})
}

// afterSeatChange promotes from the waiting list after a seat was freed,
// and tells those promoted.
func (s *Service) afterSeatChange(ctx context.Context, tx *sqldb.Tx, eventID int64) error {
	e, err := NewStore(tx).ByID(ctx, eventID)
	if err != nil {
		return err
	}
	if e.Status == Cancelled {
		return nil
	}
	promoted, err := promote(ctx, tx, e)
	if err != nil {
		return err
	}
	if e.Ended(time.Now()) {
		return nil
	}
	for _, p := range promoted {
		if err := s.send(ctx, tx, e, p, CategoryPromotion, "event.mail.promoted_subject", "event.mail.promoted_intro", true); err != nil {
			return err
		}
	}
	return nil
}

// UpdateRegistration changes a registration on a manager's behalf: the
// person's details, answers and status.
func (s *Service) UpdateRegistration(ctx context.Context, e Event, regID int64, in NewRegistration, status string) (Registration, error) {
	var r Registration
	err := sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		locked, err := lockEvent(ctx, tx, e.ID)
		if err != nil {
			return err
		}
		st := NewStore(tx)
		old, err := st.Registration(ctx, e.ID, regID)
		if err != nil {
			return err
		}
		in.Status = ""
		if in, err = in.check(locked, true); err != nil {
			return err
		}
		var v validation.Error
		if status == "" {
			status = old.Status
		}
		status = v.OneOf("status", status, true, RegistrationStatuses...)
		if err := v.Err(); err != nil {
			return err
		}
		if in.Email != old.Email {
			var taken bool
			if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM event_registrations WHERE event_id = ? AND email = ? AND id <> ?)", e.ID, in.Email, regID).Scan(&taken); err != nil {
				return err
			}
			if taken {
				return errAlreadyRegistered
			}
		}
		if in.Language == i18n.Default && old.Language != "" {
			in.Language = old.Language
		}
		at := old.RegisteredAt
		if !in.RegisteredAt.IsZero() {
			at = in.RegisteredAt.UTC()
		}
		_, err = tx.Exec(ctx, `UPDATE event_registrations SET name = ?, email = ?, country = ?, organization = ?, organization_type = ?,
			language = ?, registered_at = ?, updated_at = ? WHERE id = ?`,
			in.Name, in.Email, in.Country, in.Organization, in.OrganizationType, in.Language, at, time.Now().UTC(), regID)
		if err != nil {
			return fmt.Errorf("update registration %d: %w", regID, err)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM event_answers WHERE registration_id = ?", regID); err != nil {
			return err
		}
		if err := setAnswers(ctx, tx, regID, in.Answers); err != nil {
			return err
		}
		if status != old.Status {
			if err := setStatus(ctx, tx, regID, status); err != nil {
				return err
			}
			if err := s.afterSeatChange(ctx, tx, e.ID); err != nil {
				return err
			}
		}
		r, err = st.Registration(ctx, e.ID, regID)
		return err
	})
	return r, err
}

// RemoveRegistration deletes a registration on a manager's behalf (a
// duplicate, a test); attendance linked to it stays, as a walk-in's.
func (s *Service) RemoveRegistration(ctx context.Context, e Event, regID int64) error {
	return sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		if _, err := lockEvent(ctx, tx, e.ID); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, "DELETE FROM event_registrations WHERE id = ? AND event_id = ?", regID, e.ID)
		if err != nil {
			return fmt.Errorf("remove registration %d: %w", regID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("registration %d: %w", regID, sqldb.ErrNotFound)
		}
		return s.afterSeatChange(ctx, tx, e.ID)
	})
}

// send writes one message about an event to a registrant, with the event's
// calendar file (with the join link when withJoin).
func (s *Service) send(ctx context.Context, tx *sqldb.Tx, e Event, r Registration, category, subjectKey, introKey string, withJoin bool) error {
	intro := notify.T(introKey, e.Title)
	if introKey == "event.mail.waitlisted_intro" {
		intro = notify.T(introKey, e.Title, r.WaitlistPosition)
	}
	paras := []notify.Text{intro, whenText(e)}
	if withJoin && e.JoinURL != "" && e.Status == Published {
		paras = append(paras, notify.T("event.mail.join", e.JoinURL))
	}
	ics := Calendar([]Event{e}, CalendarOptions{BaseURL: s.BaseURL, JoinURL: withJoin})
	_, err := s.notifier().Send(ctx, tx, notify.Message{UserID: r.UserID, Email: r.Email, Name: r.Name, Language: r.Language,
		Category: category, CommunityID: e.CommunityID, Subject: notify.T(subjectKey, e.Title), Paragraphs: paras,
		Action: notify.T("event.mail.registration_action"), URL: "/registrations/" + r.Token,
		After:       []notify.Text{notify.T("event.mail.calendar_note")},
		Attachments: []mail.Attachment{{Filename: "event-" + strconv.FormatInt(e.ID, 10) + ".ics", ContentType: "text/calendar; charset=utf-8; method=PUBLISH", Data: ics}}})
	return err
}

// whenText is the paragraph that says when an event is, in its own time
// zone and in the recipient's.
func whenText(e Event) notify.Text {
	return notify.T("event.mail.when",
		notify.Localized(func(l *i18n.Localizer, _ *time.Location) string { return When(l, e, e.Location()) }),
		notify.Localized(func(l *i18n.Localizer, loc *time.Location) string { return When(l, e, loc) }))
}

func (s *Service) notifier() *notify.Notifier {
	return &notify.Notifier{BaseURL: s.BaseURL, SiteName: s.SiteName}
}

// When writes an event's day and hours in a zone: "14 July 2021, 09:00–10:30
// Sao Paulo".
func When(l *i18n.Localizer, e Event, loc *time.Location) string {
	start, end := e.StartsAt.In(loc), e.EndsAt.In(loc)
	city := ZoneCity(loc.String())
	if start.YearDay() == end.YearDay() && start.Year() == end.Year() {
		return l.T("event.time_range", l.DateTime(start, loc), end.Format("15:04"), city)
	}
	return l.T("event.time_range", l.DateTime(start, loc), l.DateTime(end, loc), city)
}

// Survey mail follows the webinar: attendees are invited an hour after it
// ends, and those who have not answered are reminded once, three days after
// their invitation. Nobody gets a third message. Events that ended more
// than two weeks ago get nothing by themselves, so that history entered
// after the fact (an imported attendance list of 2019) mails nobody; a
// manager can still send the invitations from the survey tab.
const (
	SurveyInviteAfter = time.Hour
	SurveyRemindAfter = 3 * 24 * time.Hour
	SurveyMailWindow  = 14 * 24 * time.Hour
)

// InviteToSurvey sends, at a manager's request, the survey's personal
// links to the event's attendees who have an address and have not
// answered: an invitation to those never invited, the one reminder to
// those invited once. It returns how many messages it queued.
func (s *Service) InviteToSurvey(ctx context.Context, e Event, sv survey.Survey) (int, error) {
	return s.surveyMail(ctx, e, sv, time.Time{})
}

// SendSurveyMail is the periodic job of survey mail: for every published
// event with a survey that ended between SurveyMailWindow and
// SurveyInviteAfter ago, it invites the attendees not yet invited and
// reminds, once, those invited more than SurveyRemindAfter before now who
// have not answered. Running it twice sends nothing twice: what was sent
// is recorded in the transaction that queues the messages.
func (s *Service) SendSurveyMail(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	rows, err := s.DB.Query(ctx, `SELECT e.id FROM events e JOIN surveys sv ON sv.event_id = e.id
		WHERE e.starts_at >= ? AND e.starts_at <= ? AND e.ends_at <= ? AND e.status = ?
		ORDER BY e.starts_at`, now.Add(-SurveyMailWindow), now, now.Add(-SurveyInviteAfter), Published)
	ids, err := sqldb.Collect(rows, err, func(r sqldb.Scanner) (int64, error) {
		var id int64
		return id, r.Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("events awaiting survey mail: %w", err)
	}
	total := 0
	// A handful of events end in any fortnight: one pass per event keeps
	// each event's mail in its own transaction.
	for _, id := range ids {
		e, err := NewStore(s.DB).ByID(ctx, id)
		if err != nil {
			return total, err
		}
		sv, err := survey.NewStore(s.DB).ForEvent(ctx, id)
		if err != nil {
			return total, err
		}
		n, err := s.surveyMail(ctx, e, sv, now.Add(-SurveyRemindAfter))
		total += n
		if err != nil {
			return total, fmt.Errorf("survey mail for event %d: %w", id, err)
		}
	}
	return total, nil
}

// surveyMail invites the attendees never invited and reminds those invited
// once who have not answered, when their invitation went out before
// remindBefore (any time, when remindBefore is zero).
func (s *Service) surveyMail(ctx context.Context, e Event, sv survey.Survey, remindBefore time.Time) (int, error) {
	sent := 0
	err := sqldb.Atomic(ctx, s.DB, func(tx *sqldb.Tx) error {
		attendees, err := NewStore(tx).Attendees(ctx, e)
		if err != nil {
			return err
		}
		var people []survey.Invitee
		for _, a := range attendees {
			if a.Email != "" {
				people = append(people, survey.Invitee{Email: a.Email, Name: a.Name, Language: a.Language})
			}
		}
		surveys := survey.NewStore(tx)
		invs, err := surveys.Invite(ctx, sv, people)
		if err != nil {
			return err
		}
		ids := make([]int64, 0, len(invs))
		for _, inv := range invs {
			intro := "event.mail.survey_intro"
			switch {
			case inv.SentCount == 0:
			case inv.SentCount == 1 && (remindBefore.IsZero() || inv.SentAt != nil && inv.SentAt.Before(remindBefore)):
				intro = "event.mail.survey_reminder"
			default:
				continue
			}
			if _, err := s.notifier().Send(ctx, tx, notify.Message{Email: inv.Email, Name: inv.Name, Language: inv.Language,
				Category: CategorySurvey, CommunityID: e.CommunityID, Subject: notify.T("event.mail.survey_subject", e.Title),
				Paragraphs: []notify.Text{notify.T(intro, e.Title)}, Action: notify.T("event.mail.survey_action"), URL: "/surveys/" + inv.Token,
				After: []notify.Text{notify.T("event.mail.survey_once")}}); err != nil {
				return err
			}
			ids = append(ids, inv.ID)
		}
		sent = len(ids)
		return surveys.MarkSent(ctx, ids)
	})
	return sent, err
}
