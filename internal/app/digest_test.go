package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/event"
	"github.com/harambee/harambee/internal/library"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/storage"
)

// TestDigestProviders checks what each capability gives the digests: what
// is new in the period and seen by every reader, and reports only for those
// who moderate.
func TestDigestProviders(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := newCommunityFixture(t, db)
		c := f.public
		mgrView, _ := community.NewStore(db).ViewerFor(ctx, c.ID, &f.manager)
		th, err := discussion.NewStore(db).CreateThread(ctx, c, mgrView, discussion.NewThread{Title: "Costing school latrines", Body: "Who has numbers?"})
		if err != nil {
			t.Fatal(err)
		}
		hidden, _ := discussion.NewStore(db).CreateThread(ctx, c, mgrView, discussion.NewThread{Title: "Hidden one", Body: "x"})
		o, _ := discussion.NewStore(db).Open(ctx, hidden.ID, &f.manager)
		discussion.NewStore(db).ModerateThread(ctx, o, discussion.ActionHide)
		files, _ := storage.NewDir(t.TempDir())
		if _, err := library.NewStore(db, files).Create(ctx, c, mgrView, library.Input{Title: "WASH toolkit", Language: "en", URL: "https://example.org/t"}, nil); err != nil {
			t.Fatal(err)
		}
		start := time.Now().Add(10 * 24 * time.Hour)
		if _, err := event.NewStore(db).Create(ctx, c.ID, event.Input{Title: "Webinar on WASH", TimeZone: "Africa/Nairobi", StartsAt: start, EndsAt: start.Add(time.Hour)}, f.manager); err != nil {
			t.Fatal(err)
		}
		memberView, _ := community.NewStore(db).ViewerFor(ctx, c.ID, &f.member)
		o, _ = discussion.NewStore(db).Open(ctx, th.ID, &f.member)
		if _, err := discussion.NewStore(db).ReportContent(ctx, o, discussion.KindThread, th.ID, "off topic"); err != nil {
			t.Fatal(err)
		}
		_ = memberView
		req := notify.DigestRequest{CommunityID: c.ID, From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Minute), Language: "en"}
		titles := func(p notify.DigestProvider, userID int64) string {
			r := req
			r.UserID = userID
			items, err := p.DigestItems(ctx, db, r)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range items {
				out = append(out, it.Title)
			}
			return strings.Join(out, "|")
		}
		if got := titles(discussion.DigestProvider{}, f.member.ID); got != "Costing school latrines" {
			t.Errorf("discussions: %q", got)
		}
		if got := titles(library.DigestProvider{}, f.member.ID); got != "WASH toolkit" {
			t.Errorf("library: %q", got)
		}
		if got := titles(event.DigestProvider{}, f.member.ID); got != "Webinar on WASH" {
			t.Errorf("events: %q", got)
		}
		if got := titles(community.DigestProvider{}, f.member.ID); got != "" {
			t.Errorf("a plain member gets moderation items: %q", got)
		}
		if got := titles(community.DigestProvider{}, f.manager.ID); got != "1 report waits for a moderator" {
			t.Errorf("the manager's moderation item: %q", got)
		}
		old := req
		old.From, old.To = time.Now().Add(-72*time.Hour), time.Now().Add(-48*time.Hour)
		if items, _ := (discussion.DigestProvider{}).DigestItems(ctx, db, old); len(items) != 0 {
			t.Error("a digest of an earlier period lists today's thread")
		}
	})
}
