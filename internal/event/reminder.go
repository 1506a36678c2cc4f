package event

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

// Reminder lead times: registrants hear of an event a day and an hour
// before it starts.
var ReminderLeads = []struct {
	Name   string
	Before time.Duration
}{{"day", 24 * time.Hour}, {"hour", time.Hour}}

// ReminderArgs are the arguments of the job that reminds an event's
// registrants. StartsAt is the start it was scheduled for: after a change
// of time the old job finds the event moved and does nothing, and the new
// time has jobs of its own.
type ReminderArgs struct {
	EventID  int64     `json:"event_id"`
	Lead     string    `json:"lead"`
	StartsAt time.Time `json:"starts_at"`
}

// Kind is the River job kind of event reminders.
func (ReminderArgs) Kind() string { return "event_reminder" }

// ScheduleReminders schedules the reminders of a published event that has
// not started, in tx (the transaction that created or changed it), and
// returns how many it scheduled. Reminders whose time has passed, and those
// already scheduled for the same start, are skipped.
//
// HOOK for the e-mail and jobs work: the application registers
// ReminderWorker with its job queue (jobs.Options.Workers). Until it does,
// the jobs wait in the queue and nothing is lost.
func ScheduleReminders(ctx context.Context, tx *sqldb.Tx, e Event) (int, error) {
	if e.Status != Published {
		return 0, nil
	}
	n := 0
	for _, lead := range ReminderLeads {
		ok, err := jobs.ScheduleOnce(ctx, tx, ReminderArgs{EventID: e.ID, Lead: lead.Name, StartsAt: e.StartsAt.UTC()}, e.StartsAt.Add(-lead.Before))
		if err != nil {
			return n, fmt.Errorf("schedule reminders of event %d: %w", e.ID, err)
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// ReminderWorker sends an event's reminders: to each registrant with a
// seat, once per lead time and start (kept in event_reminders, since the
// queue forgets finished jobs after a day).
type ReminderWorker struct {
	river.WorkerDefaults[ReminderArgs]
	DB       *sqldb.DB
	BaseURL  string
	SiteName string
}

// Worker returns the registration of the reminder worker with a job queue.
func (w *ReminderWorker) Worker() jobs.Worker { return jobs.Work[ReminderArgs](w) }

// Work sends one event's reminders for one lead time.
func (w *ReminderWorker) Work(ctx context.Context, job *river.Job[ReminderArgs]) error {
	return w.DB.InTx(ctx, func(tx *sqldb.Tx) error {
		st := NewStore(tx)
		e, err := st.ByID(ctx, job.Args.EventID)
		if err != nil {
			return river.JobCancel(err)
		}
		if e.Status != Published || !e.StartsAt.Equal(job.Args.StartsAt) || e.Started(time.Now()) {
			return nil
		}
		regs, _, err := st.Registrations(ctx, e.ID, RegistrationsOptions{Status: StatusRegistered})
		if err != nil {
			return err
		}
		now := time.Now().UTC()
		for _, r := range regs {
			res, err := tx.Exec(ctx, "INSERT INTO event_reminders (registration_id, lead, starts_at, sent_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
				r.ID, job.Args.Lead, e.StartsAt, now)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue
			}
			paras := []notify.Text{notify.T("event.mail.reminder_intro", e.Title), whenText(e)}
			if e.JoinURL != "" {
				paras = append(paras, notify.T("event.mail.join", e.JoinURL))
			}
			n := &notify.Notifier{BaseURL: w.BaseURL, SiteName: w.SiteName}
			if _, err := n.Send(ctx, tx, notify.Message{UserID: r.UserID, Email: r.Email, Name: r.Name, Language: r.Language,
				Category: CategoryReminder, CommunityID: e.CommunityID, Subject: notify.T("event.mail.reminder_subject", e.Title),
				Paragraphs: paras, Action: notify.T("event.mail.registration_action"), URL: "/registrations/" + r.Token}); err != nil {
				return err
			}
		}
		return nil
	})
}
