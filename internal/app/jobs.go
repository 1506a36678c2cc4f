package app

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	netmail "net/mail"
	"net/url"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/analytics"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/solution"
	"github.com/harambee/harambee/internal/sqldb"
)

// digestProviders supply what is new in a community to digests. Each
// capability that has news for members (discussions, library, solutions,
// events; pending requests and reports for managers) adds its provider
// here.
var digestProviders = []notify.DigestProvider{
	discussion.DigestProvider{}, library.DigestProvider{}, solution.DigestProvider{}, event.DigestProvider{}, community.DigestProvider{},
}

// jobTable is every kind of background work of an instance: the workers of
// the jobs that domain packages enqueue, and the periodic jobs with their
// interval. A capability that enqueues a job of its own (an event
// reminder, scheduled with jobs.ScheduleOnce) registers its worker here.
//
// The table lives in app, not in package jobs, because the domain packages
// that enqueue jobs import jobs, and the table imports them.
func jobTable(db *sqldb.DB, cfg config.Config, log *slog.Logger) (jobs.Options, error) {
	sender, err := MailSender(cfg)
	if err != nil {
		return jobs.Options{}, err
	}
	notifier := &notify.Notifier{BaseURL: cfg.BaseURL, SiteName: cfg.SiteName}
	digests := &notify.Digests{Notifier: notifier, DB: db, Providers: digestProviders, Log: log}
	return jobs.Options{
		Log: log,
		Workers: []jobs.Worker{
			jobs.Work[mail.DeliverArgs](&mail.Deliverer{DB: db, Sender: sender, Log: log}),
			digests.Worker(),
			notifier.AnnounceWorker(db),
			(&event.ReminderWorker{DB: db, BaseURL: cfg.BaseURL, SiteName: cfg.SiteName}).Worker(),
		},
		Periodic: []jobs.Periodic{
			{Name: "session_cleanup", Interval: time.Hour, Run: func(ctx context.Context) error {
				// Expired sessions and one-time links, and old log-in failures.
				return account.NewStore(db).DeleteExpired(ctx, time.Now())
			}},
			{Name: "digest_planner", Interval: notify.PlanInterval, Run: digests.Plan},
			{Name: "survey_mail", Interval: 10 * time.Minute, Run: func(ctx context.Context) error {
				// Invitations an hour after a webinar, one reminder three
				// days later (event.SendSurveyMail).
				_, err := (&event.Service{DB: db, BaseURL: cfg.BaseURL, SiteName: cfg.SiteName}).SendSurveyMail(ctx, time.Now())
				return err
			}},
			{Name: "page_view_rollup", Interval: time.Hour, Run: func(ctx context.Context) error {
				// Raw page views older than the retention period become
				// daily totals (package analytics).
				_, err := analytics.NewStore(db).RollupExpired(ctx, time.Now(), cfg.AnalyticsRetention)
				return err
			}},
		},
	}, nil
}

// MailSender returns the SMTP sender of --smtp, or nil without one, which
// keeps messages in the outbox.
func MailSender(cfg config.Config) (mail.Sender, error) {
	if cfg.SMTP == "" {
		return nil, nil
	}
	if _, err := netmail.ParseAddress(cfg.MailFrom); err != nil {
		return nil, fmt.Errorf("--mail-from %q: use an e-mail address, optionally with a name (Harambee <harambee@example.org>)", cfg.MailFrom)
	}
	s, err := mail.NewSMTP(mail.SMTPOptions{URL: cfg.SMTP, From: cfg.MailFrom, SiteName: cfg.SiteName, Domain: mailDomain(cfg.BaseURL)})
	if err != nil {
		return nil, fmt.Errorf("--smtp: %w", err)
	}
	return s, nil
}

// mailDomain is the domain of Message-IDs: the host of the site's address,
// localhost for a bare IP address.
func mailDomain(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Hostname() == "" || net.ParseIP(u.Hostname()) != nil {
		return "localhost"
	}
	return u.Hostname()
}

// StartJobs starts the job queue of an instance with the table's workers
// and periodic jobs; Serve runs it beside the web server.
func StartJobs(ctx context.Context, db *sqldb.DB, cfg config.Config, log *slog.Logger) (*jobs.Queue, error) {
	opts, err := jobTable(db, cfg, log)
	if err != nil {
		return nil, err
	}
	q, err := jobs.New(db, opts)
	if err != nil {
		return nil, err
	}
	// Not ctx itself: when it ends, Serve stops the queue with a deadline,
	// so that jobs running finish instead of being cut off.
	if err := q.Start(context.WithoutCancel(ctx)); err != nil {
		return nil, err
	}
	return q, nil
}
