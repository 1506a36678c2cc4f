package app_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/demo"
	"github.com/harambee/harambee/internal/jobs"
	"github.com/harambee/harambee/internal/mail"
	"github.com/harambee/harambee/internal/mail/mailtest"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
)

const baseURL = "http://harambee.test"

// syncBuffer collects an instance's log, written from many goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// instance is a running Harambee as harambee serve runs it: the site over
// real HTTP and the job queue, sending mail to smtpURL.
type instance struct {
	*site
	queue *jobs.Queue
	cfg   config.Config
	log   *syncBuffer
}

func startInstance(t *testing.T, db *sqldb.DB, smtpURL string) *instance {
	t.Helper()
	cfg := config.Default()
	cfg.BaseURL, cfg.SMTP = baseURL, smtpURL
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	buf := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv := httptest.NewServer(app.Handler(db, cfg, log))
	t.Cleanup(srv.Close)
	q, err := app.StartJobs(ctx, db, cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{site: &site{t: t, db: db, srv: srv}, queue: q, cfg: cfg, log: buf}
	t.Cleanup(func() { in.stop() })
	return in
}

func (in *instance) stop() {
	if in.queue == nil {
		return
	}
	if err := in.queue.Stop(ctx); err != nil {
		in.t.Errorf("stop the queue: %v", err)
	}
	in.queue = nil
}

// path turns a link of a message into a path on the test server.
func path(t *testing.T, link string) string {
	t.Helper()
	p, ok := strings.CutPrefix(link, baseURL)
	if !ok {
		t.Fatalf("link %q is not on %s", link, baseURL)
	}
	return p
}

var linkRE = regexp.MustCompile(`http://harambee\.test/[^\s"<>]+`)

// TestRegistrationMail: registering in French brings the verification
// e-mail over SMTP, in French, from the site, with a Message-ID under the
// site's domain and both parts; being transactional it has no unsubscribe
// headers; its link verifies the address.
func TestRegistrationMail(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		smtp := mailtest.Start(t, mailtest.Options{})
		in := startInstance(t, db, smtp.URL())
		c := in.client()
		c.lang = "fr-FR,fr;q=0.9"
		r := c.post("/register", url.Values{"name": {"Aminata Diallo"}, "email": {"aminata@example.org"}, "password": {"une phrase de passe assez longue"}, "country": {"SN"}})
		wantStatus(t, r, http.StatusSeeOther)
		got := smtp.Wait(1, 30*time.Second)[0]
		m := got.Parse(t)
		h := m.Header
		if len(got.To) != 1 || got.To[0] != "aminata@example.org" || got.From != "harambee@harambee.test" {
			t.Errorf("envelope from %s to %v", got.From, got.To)
		}
		if from := h.Get("From"); from != `"Harambee" <harambee@harambee.test>` && from != "Harambee <harambee@harambee.test>" {
			t.Errorf("From: %q", from)
		}
		if m.Subject() != "Vérifiez votre adresse e-mail pour Harambee" || h.Get("Content-Language") != "fr" {
			t.Errorf("subject %q, language %q", m.Subject(), h.Get("Content-Language"))
		}
		if !regexp.MustCompile(`^<\d+\.[0-9a-f]{16}@harambee\.test>$`).MatchString(h.Get("Message-ID")) {
			t.Errorf("Message-ID %q", h.Get("Message-ID"))
		}
		if h.Get("List-Unsubscribe") != "" || h.Get("List-Unsubscribe-Post") != "" {
			t.Error("a transactional message has unsubscribe headers")
		}
		if m.Text == "" || m.HTML == "" || !strings.Contains(m.HTML, `lang="fr"`) {
			t.Errorf("parts %v", m.Parts)
		}
		link := linkRE.FindString(m.Text)
		if !strings.Contains(link, "/verify?token=") {
			t.Fatalf("no verification link in:\n%s", m.Text)
		}
		wantStatus(t, c.get(path(t, link)), http.StatusOK)
		u, err := account.NewStore(db).UserByEmail(ctx, "aminata@example.org")
		if err != nil || !u.Verified() {
			t.Errorf("account not verified: %v", err)
		}
	})
}

// send sends a notification through the site's notifier, as a capability
// would, in a transaction of its own.
func (in *instance) send(m notify.Message) notify.Result {
	in.t.Helper()
	n := &notify.Notifier{BaseURL: in.cfg.BaseURL, SiteName: in.cfg.SiteName}
	var res notify.Result
	if err := in.db.InTx(ctx, func(tx *sqldb.Tx) error {
		var err error
		res, err = n.Send(ctx, tx, m)
		return err
	}); err != nil {
		in.t.Fatal(err)
	}
	return res
}

func decision(userID int64) notify.Message {
	return notify.Message{UserID: userID, Category: notify.CategoryJoinDecision,
		Subject:    notify.T("community.mail.approved_subject", "Santé maternelle"),
		Paragraphs: []notify.Text{notify.T("community.mail.approved", "Santé maternelle")},
		Action:     notify.T("community.mail.approved_action"), URL: "/communities/sante"}
}

// TestUnsubscribeEndToEnd: a message that is not transactional carries
// List-Unsubscribe and List-Unsubscribe-Post; the one-click POST a mail
// program sends, without any session, switches off exactly that category;
// the link in the text asks before it does; forged and expired links get a
// page that says so.
func TestUnsubscribeEndToEnd(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		smtp := mailtest.Start(t, mailtest.Options{})
		in := startInstance(t, db, smtp.URL())
		ana := in.user("ana@example.org", false)
		in.send(decision(ana.ID))
		m := smtp.Wait(1, 30*time.Second)[0].Parse(t)
		h := m.Header
		if h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Errorf("List-Unsubscribe-Post: %q", h.Get("List-Unsubscribe-Post"))
		}
		link := strings.TrimSuffix(strings.TrimPrefix(h.Get("List-Unsubscribe"), "<"), ">")
		if !strings.HasPrefix(link, baseURL+"/unsubscribe/") || !strings.Contains(m.Text, link) || !strings.Contains(m.HTML, link) {
			t.Fatalf("List-Unsubscribe %q; text:\n%s", h.Get("List-Unsubscribe"), m.Text)
		}

		// Following the link shows a button, and sets no cookie.
		anon := in.client()
		r := anon.get(path(t, link))
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, `method="post"`) || !strings.Contains(r.body, "ana@example.org") || len(r.Cookies()) != 0 {
			t.Errorf("unsubscribe page (cookies %v):\n%s", r.Cookies(), r.body)
		}
		if d, _ := notify.NewSettings(db).Deliveries(ctx, ana.ID, notify.Categories); d[notify.CategoryJoinDecision] != notify.Immediate {
			t.Error("following the link unsubscribed without the click")
		}

		// The one-click POST of RFC 8058, as a mail provider sends it.
		r = anon.do("POST", path(t, link), strings.NewReader("List-Unsubscribe=One-Click"), "application/x-www-form-urlencoded")
		wantStatus(t, r, http.StatusOK)
		d, err := notify.NewSettings(db).Deliveries(ctx, ana.ID, notify.Categories)
		if err != nil {
			t.Fatal(err)
		}
		if d[notify.CategoryJoinDecision] != notify.Off || d[notify.CategoryDigest] != notify.Immediate || d[notify.CategoryJoinRequest] != notify.InDigest {
			t.Errorf("after unsubscribing: %v", d)
		}
		if res := in.send(decision(ana.ID)); res.OutboxID != 0 || res.NotificationID == 0 {
			t.Errorf("after unsubscribing, a decision gave %+v, want the in-app notification only", res)
		}

		// Undo.
		r = anon.post(path(t, link)+"/undo", url.Values{})
		wantStatus(t, r, http.StatusOK)
		if res := in.send(decision(ana.ID)); res.OutboxID == 0 {
			t.Error("no e-mail after undoing the unsubscribe")
		}

		// Forged and expired links.
		token := strings.TrimPrefix(link, baseURL+"/unsubscribe/")
		payload, _, _ := strings.Cut(token, ".")
		for _, forged := range []string{"nonsense", payload + ".AAAAAAAAAAAAAAAAAAAAAA", token + "x", strings.Repeat("z", 2000)} {
			for _, method := range []string{"GET", "POST"} {
				r := anon.do(method, "/unsubscribe/"+forged, nil, "")
				wantStatus(t, r, http.StatusBadRequest)
				if !strings.Contains(r.body, "This unsubscribe link does not work") {
					t.Errorf("%s forged link:\n%s", method, r.body)
				}
			}
		}
		r = anon.get("/unsubscribe/" + expiredToken(t, db, ana.ID, notify.CategoryJoinDecision))
		wantStatus(t, r, http.StatusBadRequest)
		if !strings.Contains(r.body, "This unsubscribe link has expired") {
			t.Errorf("expired link:\n%s", r.body)
		}
	})
}

// expiredToken signs an unsubscribe token that expired an hour ago with the
// site's key: the format of notify's tokens, written out.
func expiredToken(t *testing.T, db *sqldb.DB, userID int64, category string) string {
	t.Helper()
	var hexKey string
	if err := db.QueryRow(ctx, "SELECT value FROM settings WHERE key = 'unsubscribe_signing_key'").Scan(&hexKey); err != nil {
		t.Fatal(err)
	}
	key, _ := hex.DecodeString(hexKey)
	payload := fmt.Sprintf("1|u|%d|%s|%d", userID, category, time.Now().Add(-time.Hour).Unix())
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(payload))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac.Sum(nil)[:16])
}

// waitJob waits for a job of the kind to end as wanted.
func waitJob(t *testing.T, events <-chan *river.Event, kind string, want river.EventKind) {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case e := <-events:
			if e.Job.Kind == kind && e.Kind == want {
				return
			}
		case <-timeout:
			t.Fatalf("no %s job %s", kind, want)
		}
	}
}

// TestMailServerDownAcrossRestart: the mail server is down when a message
// is written; the instance tries, fails, and is restarted; once the server
// is back the message arrives, once.
func TestMailServerDownAcrossRestart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		smtp := mailtest.Start(t, mailtest.Options{})
		smtp.Stop()
		first := startInstance(t, db, smtp.URL())
		first.user("ana@example.org", false)
		events, cancel := first.queue.Subscribe(river.EventKindJobFailed)
		wantStatus(t, first.client().post("/password/forgot", url.Values{"email": {"ana@example.org"}}), http.StatusOK)
		waitJob(t, events, "mail_delivery", river.EventKindJobFailed)
		cancel()
		first.stop()
		list, _, err := mail.NewOutbox(db).List(ctx, "ana@example.org", 10, 0)
		if err != nil || len(list) != 1 || list[0].Status != mail.StatusPending || list[0].Attempts != 1 || list[0].LastError == "" {
			t.Fatalf("outbox before the restart: %+v (%v)", list, err)
		}

		smtp.Restart()
		second := startInstance(t, db, smtp.URL())
		done, cancel := second.queue.Subscribe(river.EventKindJobCompleted)
		defer cancel()
		begin := time.Now()
		got := smtp.Wait(1, 60*time.Second)[0].Parse(t)
		waitJob(t, done, "mail_delivery", river.EventKindJobCompleted)
		t.Logf("delivered %v after the restart", time.Since(begin).Round(time.Millisecond))
		second.stop()
		if n := len(smtp.Received()); n != 1 {
			t.Errorf("%d copies arrived, want 1", n)
		}
		if !strings.Contains(got.Subject(), "Harambee") {
			t.Errorf("subject %q", got.Subject())
		}
		m, err := mail.NewOutbox(db).Message(ctx, list[0].ID)
		if err != nil || m.Status != mail.StatusSent || m.Attempts != 2 {
			t.Errorf("outbox after delivery: %s after %d attempts (%v)", m.Status, m.Attempts, err)
		}
	})
}

// TestTwoInstancesOnePostgres: two instances on one PostgreSQL database
// deliver each message once between them, and a digest that both schedule
// goes out once.
func TestTwoInstancesOnePostgres(t *testing.T) {
	dsn := dbtest.DSN(t, sqldb.Postgres)
	smtp := mailtest.Start(t, mailtest.Options{})
	var instances []*instance
	for range 2 {
		db, err := sqldb.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		cfg := config.Default()
		cfg.DB, cfg.BaseURL = dsn, baseURL
		if db, err = app.OpenDB(ctx, cfg, nil); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		instances = append(instances, startInstance(t, db, smtp.URL()))
	}
	const n = 12
	for i := range n {
		in := instances[i%2]
		r := in.client().post("/register", url.Values{"name": {fmt.Sprintf("Member %d", i)}, "email": {fmt.Sprintf("m%d@example.org", i)},
			"password": {"a good long passphrase"}, "country": {"BR"}})
		wantStatus(t, r, http.StatusSeeOther)
	}
	// A manager's join requests wait for the digest; both instances
	// schedule that digest.
	mgr := instances[0].user("manager@example.org", false)
	instances[1].send(notify.Message{UserID: mgr.ID, Category: notify.CategoryJoinRequest,
		Subject: notify.T("community.mail.request_subject", "Santé maternelle"), URL: "/communities/sante/manage"})
	at := time.Now().Add(2 * time.Second).Truncate(time.Second)
	for _, in := range instances {
		if err := in.db.InTx(ctx, func(tx *sqldb.Tx) error {
			_, err := jobs.ScheduleOnce(ctx, tx, notify.DigestArgs{UserID: mgr.ID, Frequency: notify.Weekly, PeriodEnd: at}, at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	got := smtp.Wait(n+1, 60*time.Second)
	seen := map[string]int{}
	ids := map[string]bool{}
	for _, r := range got {
		seen[r.To[0]]++
		ids[r.Parse(t).Header.Get("Message-ID")] = true
	}
	for i := range n {
		if c := seen[fmt.Sprintf("m%d@example.org", i)]; c != 1 {
			t.Errorf("member %d got %d verification messages", i, c)
		}
	}
	if seen["manager@example.org"] != 1 || len(ids) != n+1 {
		t.Errorf("manager got %d digests; %d distinct Message-IDs", seen["manager@example.org"], len(ids))
	}
	for _, in := range instances {
		in.stop()
	}
	if c := len(smtp.Received()); c != n+1 {
		t.Errorf("%d messages arrived in all, want %d", c, n+1)
	}
}

// TestSQLiteWritesWhileJobsRun: on SQLite, members saving their profiles
// and asking for reset links (each a write, most with a message) while the
// queue delivers those messages: no request fails, no "database is locked",
// every message arrives once.
func TestSQLiteWritesWhileJobsRun(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	smtp := mailtest.Start(t, mailtest.Options{})
	in := startInstance(t, db, smtp.URL())
	hash, err := account.HashPassword("a good long passphrase")
	if err != nil {
		t.Fatal(err)
	}
	const writers, each = 8, 20
	for i := range writers * each {
		if _, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: fmt.Sprintf("u%d@example.org", i), PasswordHash: hash, Verified: true,
			Profile: account.Profile{Name: fmt.Sprintf("User %d", i), Visibility: account.VisibilityMembers}}); err != nil {
			t.Fatal(err)
		}
	}
	begin := time.Now()
	var wg sync.WaitGroup
	statuses := make(chan string, 2*writers*each)
	for g := range writers {
		c := in.client()
		r := c.post("/login", url.Values{"email": {fmt.Sprintf("u%d@example.org", g)}, "password": {"a good long passphrase"}})
		wantStatus(t, r, http.StatusSeeOther)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				r := c.post("/settings/profile", url.Values{"name": {fmt.Sprintf("User %d, edit %d", g, i)}, "visibility": {"members"}})
				statuses <- fmt.Sprintf("profile %d", r.StatusCode)
				r = c.post("/password/forgot", url.Values{"email": {fmt.Sprintf("u%d@example.org", g*each+i)}})
				statuses <- fmt.Sprintf("forgot %d", r.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(statuses)
	counts := map[string]int{}
	for s := range statuses {
		counts[s]++
	}
	if counts["profile 303"] != writers*each || counts["forgot 200"] != writers*each {
		t.Errorf("answers %v", counts)
	}
	got := smtp.Wait(writers*each, 60*time.Second)
	t.Logf("%d writes and %d messages delivered in %v", 2*writers*each, len(got), time.Since(begin).Round(time.Millisecond))
	seen := map[string]int{}
	for _, r := range got {
		seen[r.To[0]]++
	}
	if len(seen) != writers*each {
		t.Errorf("%d distinct recipients, want %d", len(seen), writers*each)
	}
	in.stop()
	if logs := in.log.String(); strings.Contains(logs, "locked") || strings.Contains(logs, "level=ERROR") {
		t.Errorf("errors logged:\n%s", logs)
	}
	if n := len(smtp.Received()); n != writers*each {
		t.Errorf("%d messages arrived, want %d", n, writers*each)
	}
}

// TestDemoQueuesNothing: loading the demo sends no e-mail and queues no
// job.
func TestDemoQueuesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		if _, err := demo.Load(ctx, db); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"outbox", "river_job", "notifications"} {
			var n int
			if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("the demo left %d rows in %s", n, table)
			}
		}
	})
}

// TestNotificationPages: the bell and its count, the notifications page,
// opening one, the settings page, and the administrators' jobs page, with
// who may see what.
func TestNotificationPages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		ana := s.user("ana@example.org", false)
		bo := s.user("bo@example.org", false)
		s.user("root@example.org", true)
		n := &notify.Notifier{BaseURL: baseURL, SiteName: "Harambee"}
		var ids []int64
		for _, u := range []int64{ana.ID, ana.ID, bo.ID} {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error {
				res, err := n.Send(ctx, tx, decision(u))
				ids = append(ids, res.NotificationID)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		anon := s.client()
		if r := anon.get("/"); strings.Contains(r.body, `class="bell"`) {
			t.Error("an anonymous reader sees the bell")
		}
		wantStatus(t, anon.get("/notifications"), http.StatusSeeOther)
		wantStatus(t, anon.get("/admin/jobs"), http.StatusSeeOther)

		c := s.loggedIn("ana@example.org")
		r := c.get("/")
		if !strings.Contains(r.body, `<span class="count">2</span>`) || !strings.Contains(r.body, "Notifications: 2 unread") {
			t.Errorf("bell on the home page:\n%s", r.body)
		}
		r = c.get("/notifications")
		wantStatus(t, r, http.StatusOK)
		if len(regexp.MustCompile(`href="/notifications/\d+"`).FindAllString(r.body, -1)) != 2 || !strings.Contains(r.body, "Santé maternelle") {
			t.Errorf("notifications page:\n%s", r.body)
		}
		r = c.get(fmt.Sprintf("/notifications/%d", ids[0]))
		wantStatus(t, r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/communities/sante" {
			t.Errorf("opening goes to %q", loc)
		}
		if r := c.get("/"); !strings.Contains(r.body, `<span class="count">1</span>`) {
			t.Error("the count did not go down after opening a notification")
		}
		wantStatus(t, c.get(fmt.Sprintf("/notifications/%d", ids[2])), http.StatusNotFound)
		wantStatus(t, c.get("/notifications/nope"), http.StatusNotFound)
		wantStatus(t, c.post("/notifications/read", url.Values{}), http.StatusSeeOther)
		if r := c.get("/"); strings.Contains(r.body, `class="count"`) {
			t.Error("unread notifications left after marking all read")
		}

		r = c.get("/settings/notifications")
		wantStatus(t, r, http.StatusOK)
		for _, want := range []string{`name="c.community_join_decision"`, `name="c.digest"`, "Password reset", "You have not joined a community yet."} {
			if !strings.Contains(r.body, want) {
				t.Errorf("settings page lacks %q", want)
			}
		}
		r = c.post("/settings/notifications", url.Values{"c.community_join_decision": {"digest"}, "c.digest": {"off"}})
		wantStatus(t, r, http.StatusSeeOther)
		d, _ := notify.NewSettings(db).Deliveries(ctx, ana.ID, notify.Categories)
		if d[notify.CategoryJoinDecision] != notify.InDigest || d[notify.CategoryDigest] != notify.Off {
			t.Errorf("saved %v", d)
		}
		for _, bad := range []url.Values{
			{"c.digest": {"digest"}},           // not a choice of this category
			{"c.verify_email": {"off"}},        // transactional
			{"c.nothing": {"off"}},             // no such category
			{"f.1": {"hourly"}},                // no such frequency
			{"f.x": {"daily"}},                 // no such community
			{"c.digest": {"off", "immediate"}}, // twice
		} {
			wantStatus(t, c.post("/settings/notifications", bad), http.StatusBadRequest)
		}

		wantStatus(t, c.get("/admin/jobs"), http.StatusForbidden)
		root := s.loggedIn("root@example.org")
		r = root.get("/admin/jobs")
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, "mail_delivery") || !strings.Contains(r.body, "Queued (3)") {
			t.Errorf("jobs page:\n%s", r.body)
		}
		r = root.get("/admin/jobs?state=available")
		wantStatus(t, r, http.StatusOK)
		if strings.Count(r.body, "<code>mail_delivery</code>") != 3 {
			t.Errorf("queued jobs:\n%s", r.body)
		}
		wantStatus(t, root.get("/admin/jobs?state=bogus"), http.StatusBadRequest)
		if r := root.get("/admin"); !strings.Contains(r.body, `href="/admin/jobs"`) {
			t.Error("the admin index does not link the jobs page")
		}
	})
}

// TestServeSendsMail: harambee serve's own wiring runs the queue beside the
// site: a registration's message reaches the mail server, and the server
// stops cleanly afterwards.
func TestServeSendsMail(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	smtp := mailtest.Start(t, mailtest.Options{})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Addr, cfg.SMTP = ln.Addr().String(), smtp.URL()
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	serveCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.Serve(serveCtx, ln, db, cfg, slog.New(slog.DiscardHandler)) }()
	resp, err := http.PostForm("http://"+cfg.Addr+"/register", url.Values{"name": {"Ana"}, "email": {"ana@example.org"},
		"password": {"a good long passphrase"}, "country": {"MZ"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	got := smtp.Wait(1, 30*time.Second)[0].Parse(t)
	if !strings.Contains(got.Text, "http://"+cfg.Addr+"/verify?token=") || got.Header.Get("Message-ID") == "" ||
		!strings.HasSuffix(got.Header.Get("Message-ID"), "@localhost>") {
		t.Errorf("message %v\n%s", got.Header, got.Text)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v", err)
	}
	m, _, err := mail.NewOutbox(db).List(ctx, "ana@example.org", 1, 0)
	if err != nil || len(m) != 1 || m[0].Status != mail.StatusSent {
		t.Errorf("outbox %+v (%v)", m, err)
	}
}

// TestNotificationsAPI: the notifications and the settings over the JSON
// API, with bad input answered 400 and anonymous callers 401.
func TestNotificationsAPI(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		s := newSite(t, db)
		ana := s.user("ana@example.org", false)
		n := &notify.Notifier{BaseURL: baseURL, SiteName: "Harambee"}
		for range 3 {
			if err := db.InTx(ctx, func(tx *sqldb.Tx) error { _, err := n.Send(ctx, tx, decision(ana.ID)); return err }); err != nil {
				t.Fatal(err)
			}
		}
		var cid int64
		now := time.Now()
		if err := db.QueryRow(ctx, `INSERT INTO communities (slug, name, language, visibility, join_policy, created_at, updated_at)
			VALUES ('sante', 'Santé maternelle', 'fr', 'public', 'open', ?, ?) RETURNING id`, now, now).Scan(&cid); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(ctx, "INSERT INTO memberships (community_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)", cid, ana.ID, now); err != nil {
			t.Fatal(err)
		}

		wantStatus(t, s.client().get("/api/v1/notifications"), http.StatusUnauthorized)
		c := s.apiClient(ana)
		var list struct {
			Items []struct {
				ID     int64      `json:"id"`
				URL    string     `json:"url"`
				Title  string     `json:"title"`
				ReadAt *time.Time `json:"read_at"`
			} `json:"items"`
			Total int `json:"total"`
		}
		r := c.get("/api/v1/notifications?per_page=2")
		wantStatus(t, r, http.StatusOK)
		decodeJSON(t, r, &list)
		if list.Total != 3 || len(list.Items) != 2 || list.Items[0].URL != baseURL+"/communities/sante" || list.Items[0].ReadAt != nil {
			t.Errorf("list %+v", list)
		}
		r = c.json("POST", "/api/v1/notifications/read", map[string]any{"ids": []int64{list.Items[0].ID}})
		wantStatus(t, r, http.StatusOK)
		if !strings.Contains(r.body, `"marked":1`) {
			t.Errorf("read: %s", r.body)
		}
		r = c.get("/api/v1/notifications?unread=true")
		decodeJSON(t, r, &list)
		if list.Total != 2 {
			t.Errorf("%d unread, want 2", list.Total)
		}
		wantStatus(t, c.get("/api/v1/notifications?unread=maybe"), http.StatusBadRequest)
		wantStatus(t, c.do("POST", "/api/v1/notifications/read", nil, "application/json"), http.StatusOK)
		wantStatus(t, c.json("POST", "/api/v1/notifications/read", `{"ids": "all"}`), http.StatusBadRequest)

		var settings struct {
			Categories  map[string]string `json:"categories"`
			Communities []struct {
				Community, Frequency string
			} `json:"communities"`
		}
		r = c.get("/api/v1/me/notification-settings")
		wantStatus(t, r, http.StatusOK)
		decodeJSON(t, r, &settings)
		if settings.Categories["digest"] != "immediate" || settings.Categories["community_join_request"] != "digest" ||
			len(settings.Communities) != 1 || settings.Communities[0].Frequency != "weekly" {
			t.Errorf("settings %+v", settings)
		}
		if _, ok := settings.Categories["password_reset"]; ok {
			t.Error("a transactional category is listed as a setting")
		}
		r = c.json("PUT", "/api/v1/me/notification-settings", map[string]any{"categories": map[string]string{"digest": "off"}, "communities": map[string]string{"sante": "daily"}})
		wantStatus(t, r, http.StatusOK)
		decodeJSON(t, r, &settings)
		if settings.Categories["digest"] != "off" || settings.Communities[0].Frequency != "daily" {
			t.Errorf("after PUT: %+v", settings)
		}
		for _, bad := range []struct {
			body  string
			field string
		}{
			{`{"categories": {"digest": "digest"}}`, "categories.digest"},
			{`{"categories": {"password_reset": "off"}}`, "categories.password_reset"},
			{`{"categories": {"nope": "off"}}`, "categories.nope"},
			{`{"communities": {"elsewhere": "daily"}}`, "communities.elsewhere"},
			{`{"communities": {"sante": "hourly"}}`, "communities.sante"},
		} {
			r := c.json("PUT", "/api/v1/me/notification-settings", bad.body)
			wantStatus(t, r, http.StatusBadRequest)
			if !strings.Contains(r.body, `"`+bad.field+`"`) {
				t.Errorf("%s: %s", bad.body, r.body)
			}
		}
		wantStatus(t, c.json("PUT", "/api/v1/me/notification-settings", `{"colour": "blue"}`), http.StatusBadRequest)
	})
}
