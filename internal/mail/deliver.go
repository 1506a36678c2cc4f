package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/riverqueue/river"

	"github.com/harambee/harambee/internal/sqldb"
)

// MaxAttempts is how many times a message is tried before it counts as
// failed. With River's backoff (attempt⁴ seconds) the last try comes about
// eight days after the first, the span within which mail servers retry too.
const MaxAttempts = 20

// DeliverArgs are the arguments of the job that delivers one message of
// the outbox.
type DeliverArgs struct {
	ID int64 `json:"id"`
}

// Kind is the River job kind of message delivery.
func (DeliverArgs) Kind() string { return "mail_delivery" }

// InsertOpts sets how often a message is tried.
func (DeliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{MaxAttempts: MaxAttempts} }

// Sender hands messages to a mail server. SMTP is the one that sends; a nil
// Sender keeps every message in the outbox.
type Sender interface {
	// Send sends m. An error that IsPermanent must not be retried.
	Send(ctx context.Context, m Message) error
}

// PermanentError is a refusal that trying again will not change: the
// server answered 5xx to the sender, the recipient or the content, or the
// message could not be built.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a permanent refusal.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// Deliverer is the River worker that sends the messages of the outbox and
// records each outcome on the message: sent; failed with the reason for a
// permanent refusal, which is not retried; a temporary failure is recorded
// and retried with backoff until MaxAttempts, then marked failed.
//
// A message that is no longer pending (already sent, or failed) is left
// alone, so a job run twice sends nothing twice.
type Deliverer struct {
	river.WorkerDefaults[DeliverArgs]
	DB     *sqldb.DB
	Sender Sender // nil keeps messages in the outbox, marked unsent
	Log    *slog.Logger
}

// Work delivers one message.
func (d *Deliverer) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	out := NewOutbox(d.DB)
	m, err := out.Message(ctx, job.Args.ID)
	if errors.Is(err, sqldb.ErrNotFound) {
		return river.JobCancel(fmt.Errorf("message %d is no longer in the outbox", job.Args.ID))
	}
	if err != nil {
		return err
	}
	if m.Status != StatusPending {
		return nil
	}
	if d.Sender == nil {
		return out.setStatus(ctx, m.ID, StatusUnsent, "")
	}
	sendErr := d.Sender.Send(ctx, m)
	switch {
	case sendErr == nil:
		return out.setStatus(ctx, m.ID, StatusSent, "")
	case IsPermanent(sendErr):
		d.log().Warn("message refused", "message", m.ID, "to", m.To, "err", sendErr)
		if err := out.setStatus(ctx, m.ID, StatusFailed, sendErr.Error()); err != nil {
			return err
		}
		return river.JobCancel(sendErr)
	case job.Attempt >= job.MaxAttempts:
		msg := fmt.Sprintf("gave up after %d attempts: %v", job.Attempt, sendErr)
		d.log().Warn("message not delivered", "message", m.ID, "to", m.To, "err", msg)
		if err := out.setStatus(ctx, m.ID, StatusFailed, msg); err != nil {
			return err
		}
		return sendErr
	}
	// Temporary: count the attempt and keep the reason for the outbox page;
	// River tries again later.
	if _, err := d.DB.Exec(ctx, "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id = ? AND status = ?",
		sendErr.Error(), m.ID, StatusPending); err != nil {
		return errors.Join(sendErr, err)
	}
	return sendErr
}

func (d *Deliverer) log() *slog.Logger {
	if d.Log == nil {
		return slog.Default()
	}
	return d.Log
}
