package discussion_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/discussion"
	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

type fixture struct {
	db                  *sqldb.DB
	c                   community.Community
	mod, ana, kwame, ex account.User
}

func setup(t *testing.T, db *sqldb.DB, hold bool) fixture {
	t.Helper()
	st := account.NewStore(db)
	mk := func(email, name string) account.User {
		u, err := st.CreateUser(ctx, account.NewUser{Email: email, PasswordHash: "x", Verified: true, Profile: account.Profile{Name: name}})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f := fixture{db: db, mod: mk("mod@example.org", "Isabel Monteiro"), ana: mk("ana@example.org", "Ana Paula Souza"), kwame: mk("kwame@example.org", "Kwame Mensah"), ex: mk("ex@example.org", "Outsider")}
	cs := community.NewStore(db)
	c, err := cs.Create(ctx, community.Input{Slug: "c", Name: "C", HoldFirstPosts: hold}, f.mod)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []account.User{f.ana, f.kwame} {
		if err := cs.Join(ctx, c, u); err != nil {
			t.Fatal(err)
		}
	}
	f.c, _ = cs.ByID(ctx, c.ID)
	return f
}

func (f fixture) viewer(t *testing.T, u *account.User) community.Viewer {
	v, err := community.NewStore(f.db).ViewerFor(ctx, f.c.ID, u)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (f fixture) open(t *testing.T, id int64, u *account.User) discussion.Opened {
	t.Helper()
	o, err := discussion.NewStore(f.db).Open(ctx, id, u)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestQuestionAnswerAccept(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db, false)
		st := discussion.NewStore(db)
		th, err := st.CreateThread(ctx, f.c, f.viewer(t, &f.ana), discussion.NewThread{Title: "Seeking examples of WASH programmes in schools",
			Body: "Has anyone costed school latrines? cc @Kwame Mensah and @Nobody Here", IsQuestion: true})
		if err != nil {
			t.Fatal(err)
		}
		if ids, _ := st.Mentioned(ctx, discussion.KindThread, th.ID); len(ids) != 1 || ids[0] != f.kwame.ID {
			t.Errorf("mentions = %v, want Kwame only", ids)
		}
		if ok, _ := st.Following(ctx, f.ana.ID, discussion.KindThread, th.ID); !ok {
			t.Error("the author does not follow her thread")
		}
		// What the thread page shows each reader: Ana follows it, Kwame
		// neither follows it nor has marked it helpful until he does.
		if following, helpful, err := st.ReaderMarks(ctx, f.ana.ID, th.ID); err != nil || !following || helpful {
			t.Errorf("Ana's marks: following %v, helpful %v (%v)", following, helpful, err)
		}
		if _, err := st.ToggleHelpful(ctx, f.open(t, th.ID, &f.kwame), discussion.KindThread, th.ID); err != nil {
			t.Fatal(err)
		}
		if following, helpful, err := st.ReaderMarks(ctx, f.kwame.ID, th.ID); err != nil || following || !helpful {
			t.Errorf("Kwame's marks: following %v, helpful %v (%v)", following, helpful, err)
		}
		if _, err := st.CreateThread(ctx, f.c, f.viewer(t, &f.ex), discussion.NewThread{Title: "x", Body: "y"}); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("an outsider started a thread: %v", err)
		}
		p, err := st.Reply(ctx, f.open(t, th.ID, &f.kwame), "Yes: in Ghana we used **CLTS** costing.", 0, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Accept(ctx, f.open(t, th.ID, &f.kwame), p.ID); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("someone else accepted the answer: %v", err)
		}
		if err := st.Accept(ctx, f.open(t, th.ID, &f.ana), p.ID); err != nil {
			t.Fatal(err)
		}
		o := f.open(t, th.ID, nil)
		if o.Thread.AcceptedPostID != p.ID || o.Thread.Replies != 1 {
			t.Errorf("thread %+v", o.Thread)
		}
		posts, _, _ := st.Posts(ctx, o, 50, 0)
		if len(posts) != 1 || !posts[0].Accepted || !strings.Contains(posts[0].BodyHTML, "<strong>CLTS</strong>") {
			t.Errorf("posts %+v", posts)
		}
		list, _, _ := st.Threads(ctx, f.c, f.viewer(t, nil), discussion.ListOptions{Sort: discussion.SortUnanswered, Limit: 10})
		if len(list) != 0 {
			t.Error("an answered question is listed as unanswered")
		}
		// Deleting the accepted reply leaves a placeholder and clears the answer.
		if err := st.DeletePost(ctx, f.open(t, th.ID, &f.kwame), p); err != nil {
			t.Fatal(err)
		}
		o = f.open(t, th.ID, nil)
		posts, _, _ = st.Posts(ctx, o, 50, 0)
		if o.Thread.AcceptedPostID != 0 || len(posts) != 1 || posts[0].DeletedAt == nil || o.Thread.Replies != 0 {
			t.Errorf("after deleting the answer: accepted %d, %d posts", o.Thread.AcceptedPostID, len(posts))
		}
	})
}

func TestLockHoldHideDelete(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db, true)
		st := discussion.NewStore(db)
		// Ana's first thread waits for approval; the moderator's does not.
		th, err := st.CreateThread(ctx, f.c, f.viewer(t, &f.ana), discussion.NewThread{Title: "First", Body: "Hello"})
		if err != nil || !th.Held {
			t.Fatalf("first post held = %v, %v", th.Held, err)
		}
		if _, err := st.Open(ctx, th.ID, &f.kwame); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("another member sees a held thread: %v", err)
		}
		if _, err := st.Open(ctx, th.ID, &f.ana); err != nil {
			t.Errorf("the author cannot see her held thread: %v", err)
		}
		held, _ := st.HeldContent(ctx, f.c.ID, 10)
		if len(held) != 1 {
			t.Errorf("held queue %v", held)
		}
		asMember := f.open(t, th.ID, &f.ana)
		asMember.Viewer = f.viewer(t, &f.kwame)
		if err := st.ModerateThread(ctx, asMember, discussion.ActionApprove); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("a plain member approved: %v", err)
		}
		if err := st.ModerateThread(ctx, f.open(t, th.ID, &f.mod), discussion.ActionApprove); err != nil {
			t.Fatal(err)
		}
		// Her next message is not held.
		p, _ := st.Reply(ctx, f.open(t, th.ID, &f.ana), "more", 0, time.Time{})
		if p.Held {
			t.Error("an approved member's reply was held")
		}
		// Locked: members cannot reply, moderators can.
		st.ModerateThread(ctx, f.open(t, th.ID, &f.mod), discussion.ActionLock)
		if _, err := st.Reply(ctx, f.open(t, th.ID, &f.ana), "late", 0, time.Time{}); !errors.Is(err, discussion.ErrLocked) {
			if ve, ok := validation.As(err); !ok || ve.Fields["body"].Key != "discussion.error.locked" {
				t.Errorf("reply to a locked thread: %v", err)
			}
		}
		if _, err := st.Reply(ctx, f.open(t, th.ID, &f.mod), "closing note", 0, time.Time{}); err != nil {
			t.Errorf("a moderator cannot reply to a locked thread: %v", err)
		}
		// Deleted: gone for readers, visible to moderators, restorable.
		if err := st.DeleteThread(ctx, f.open(t, th.ID, &f.ana)); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Open(ctx, th.ID, &f.ana); !errors.Is(err, sqldb.ErrNotFound) {
			t.Errorf("a deleted thread is still open to its author: %v", err)
		}
		if list, n, _ := st.Threads(ctx, f.c, f.viewer(t, &f.kwame), discussion.ListOptions{Limit: 10}); n != 0 || len(list) != 0 {
			t.Error("a deleted thread is listed")
		}
		if recent, _ := st.Recent(ctx, f.c.ID, 10); len(recent) != 0 {
			t.Error("a deleted thread is in the feed")
		}
		if err := st.ModerateThread(ctx, f.open(t, th.ID, &f.mod), discussion.ActionRestore); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Open(ctx, th.ID, &f.kwame); err != nil {
			t.Errorf("restored thread: %v", err)
		}
		log, _ := st.Log(ctx, f.c.ID, 10)
		if len(log) != 4 || log[0].Action != "restore" {
			t.Errorf("moderation log %+v", log)
		}
	})
}

func TestReports(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db, false)
		st := discussion.NewStore(db)
		th, _ := st.CreateThread(ctx, f.c, f.viewer(t, &f.ana), discussion.NewThread{Title: "T", Body: "B"})
		p, _ := st.Reply(ctx, f.open(t, th.ID, &f.ana), "spam spam", 0, time.Time{})
		if _, err := st.ReportContent(ctx, f.open(t, th.ID, &f.kwame), discussion.KindPost, p.ID, ""); err == nil {
			t.Error("a report without a reason was accepted")
		}
		r, err := st.ReportContent(ctx, f.open(t, th.ID, &f.kwame), discussion.KindPost, p.ID, "Advertising")
		if err != nil {
			t.Fatal(err)
		}
		open, _ := st.Reports(ctx, f.c.ID, "open", 10)
		if len(open) != 1 || open[0].ThreadID != th.ID || open[0].Reporter != "Kwame Mensah" {
			t.Errorf("reports %+v", open)
		}
		if err := st.ResolveReport(ctx, f.c, f.viewer(t, &f.kwame), r.ID, "hide"); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("a member resolved a report: %v", err)
		}
		if err := st.ResolveReport(ctx, f.c, f.viewer(t, &f.mod), r.ID, "hide"); err != nil {
			t.Fatal(err)
		}
		posts, _, _ := st.Posts(ctx, f.open(t, th.ID, &f.kwame), 10, 0)
		if len(posts) != 0 {
			t.Error("a hidden reply is shown to other members")
		}
		if open, _ := st.Reports(ctx, f.c.ID, "open", 10); len(open) != 0 {
			t.Error("the report stays open")
		}
	})
}

func TestMovePinAndSort(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db, false)
		st := discussion.NewStore(db)
		old, _ := st.CreateThread(ctx, f.c, f.viewer(t, &f.ana), discussion.NewThread{Title: "Old", Body: "B", CreatedAt: time.Now().Add(-48 * time.Hour)})
		newer, _ := st.CreateThread(ctx, f.c, f.viewer(t, &f.ana), discussion.NewThread{Title: "New", Body: "B", CreatedAt: time.Now().Add(-24 * time.Hour)})
		st.Reply(ctx, f.open(t, old.ID, &f.kwame), "bump", 0, time.Time{})
		titles := func(sort string) string {
			list, _, _ := st.Threads(ctx, f.c, f.viewer(t, nil), discussion.ListOptions{Sort: sort, Limit: 10})
			var out []string
			for _, t := range list {
				out = append(out, t.Title)
			}
			return strings.Join(out, ",")
		}
		if got := titles(discussion.SortActivity); got != "Old,New" {
			t.Errorf("by activity: %s", got)
		}
		if got := titles(discussion.SortNewest); got != "New,Old" {
			t.Errorf("newest: %s", got)
		}
		st.ModerateThread(ctx, f.open(t, newer.ID, &f.mod), discussion.ActionPin)
		if got := titles(discussion.SortActivity); got != "New,Old" {
			t.Errorf("pinned first: %s", got)
		}
		other, _ := community.NewStore(db).Create(ctx, community.Input{Slug: "other", Name: "Other"}, f.mod)
		ov, _ := community.NewStore(db).ViewerFor(ctx, other.ID, &f.mod)
		if err := st.MoveThread(ctx, f.open(t, old.ID, &f.mod), other, ov); err != nil {
			t.Fatal(err)
		}
		if got := titles(discussion.SortActivity); got != "New" {
			t.Errorf("after the move: %s", got)
		}
	})
}

func TestMentionCandidates(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db, false)
		st := discussion.NewStore(db)
		th, _ := st.CreateThread(ctx, f.c, f.viewer(t, &f.kwame), discussion.NewThread{Title: "T",
			Body: "Thanks @Ana Paula Souza! Also email me at kwame@example.org, and @isabel monteiro, please."})
		ids, _ := st.Mentioned(ctx, discussion.KindThread, th.ID)
		if len(ids) != 2 {
			t.Errorf("mentioned %v, want Ana and Isabel (not the e-mail address)", ids)
		}
	})
}

func TestNotifications(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db, true)
		n := &notify.Notifier{BaseURL: "http://example.test", SiteName: "Harambee"}
		st := discussion.NewStore(db).WithNotifier(n)
		th, err := st.CreateThread(ctx, f.c, f.viewer(t, &f.mod), discussion.NewThread{Title: "Costing WASH", Body: "Over to you, @Ana Paula Souza."})
		if err != nil {
			t.Fatal(err)
		}
		inbox := func(u account.User) []notify.Notification {
			list, _, err := notify.NewInbox(db).List(ctx, u.ID, false, 20, 0)
			if err != nil {
				t.Fatal(err)
			}
			return list
		}
		if got := inbox(f.ana); len(got) != 1 || got[0].Category != notify.CategoryMention {
			t.Fatalf("Ana's notifications after the mention: %+v", got)
		}
		// Kwame's first reply is held: nobody hears of it until approved.
		p, err := st.Reply(ctx, f.open(t, th.ID, &f.kwame), "We costed latrines in 2019.", 0, time.Time{})
		if err != nil || !p.Held {
			t.Fatalf("held reply: %v %v", p.Held, err)
		}
		if got := inbox(f.mod); len(got) != 0 {
			t.Errorf("the author heard of a held reply: %+v", got)
		}
		if err := st.ModeratePost(ctx, f.open(t, th.ID, &f.mod), p, discussion.ActionApprove); err != nil {
			t.Fatal(err)
		}
		if got := inbox(f.mod); len(got) != 1 || got[0].Category != notify.CategoryReply || !strings.Contains(got[0].URL, "#post-") {
			t.Errorf("the thread's author after the approved reply: %+v", got)
		}
		if got := inbox(f.kwame); len(got) != 1 || got[0].Category != notify.CategoryModeration {
			t.Errorf("Kwame after his reply was approved: %+v", got)
		}
		// The author of a reply is not told of it.
		st.Reply(ctx, f.open(t, th.ID, &f.mod), "Thanks!", 0, time.Time{})
		if got := inbox(f.mod); len(got) != 1 {
			t.Errorf("the author was told of their own reply: %d notifications", len(got))
		}
		var mails int
		db.QueryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE category = ?", notify.CategoryReply).Scan(&mails)
		if mails != 1 {
			t.Errorf("%d reply e-mails, want 1 (to the thread's author)", mails)
		}
	})
}

// TestReplyAll checks that replies written together are what the same
// replies written one by one would be: held for a first-time author in a
// community that holds first posts, in order, with mentions and
// notifications, the thread's activity at the newest visible one; and that
// one refused reply writes none of them.
func TestReplyAll(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		f := setup(t, db, true)
		n := &notify.Notifier{BaseURL: "http://example.test", SiteName: "Harambee"}
		st := discussion.NewStore(db).WithNotifier(n)
		start := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		th, err := st.CreateThread(ctx, f.c, f.viewer(t, &f.mod), discussion.NewThread{Title: "Costing WASH", Body: "Where do we start?", CreatedAt: start})
		if err != nil {
			t.Fatal(err)
		}
		mod, kwame := f.viewer(t, &f.mod), f.viewer(t, &f.kwame)
		first, err := st.Reply(ctx, f.open(t, th.ID, &f.mod), "A first answer.", 0, start.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		replies := []discussion.NewReply{
			{Viewer: mod, Body: "Costs from **Ghana**, @Kwame Mensah?", At: start.Add(2 * time.Hour)},
			{Viewer: kwame, Body: "Yes: 2019 figures.", QuoteOf: first.ID, At: start.Add(3 * time.Hour)},
			{Viewer: kwame, Body: "And 2020.", At: start.Add(4 * time.Hour)},
			{Viewer: mod, Body: "Thanks!", At: start.Add(5 * time.Hour)},
		}
		posts, err := st.ReplyAll(ctx, th, f.c, replies)
		if err != nil {
			t.Fatal(err)
		}
		if len(posts) != len(replies) {
			t.Fatalf("%d posts for %d replies", len(posts), len(replies))
		}
		for i, p := range posts {
			r := replies[i]
			if p.AuthorID != r.Viewer.User.ID || p.Body != r.Body || !p.CreatedAt.Equal(r.At) || p.ThreadID != th.ID || i > 0 && p.ID <= posts[i-1].ID {
				t.Errorf("reply %d: %+v, want %+v", i, p, r)
			}
			// Kwame has nothing approved in the community: his replies wait.
			if wantHeld := r.Viewer.User.ID == f.kwame.ID; p.Held != wantHeld {
				t.Errorf("reply %d held = %v, want %v", i, p.Held, wantHeld)
			}
		}
		if posts[1].QuoteOf != first.ID || !strings.Contains(posts[0].BodyHTML, "<strong>Ghana</strong>") {
			t.Errorf("quote %d, html %q", posts[1].QuoteOf, posts[0].BodyHTML)
		}
		// As the moderator sees the thread: five replies, the newest visible
		// one its last activity (Kwame's held replies do not count).
		o := f.open(t, th.ID, &f.mod)
		list, total, err := st.Posts(ctx, o, 50, 0)
		if err != nil || total != 5 || list[4].ID != posts[3].ID {
			t.Fatalf("thread's posts: %d (%v)", total, err)
		}
		if !o.Thread.LastActivityAt.Equal(start.Add(5 * time.Hour)) {
			t.Errorf("last activity %v, want the moderator's last reply", o.Thread.LastActivityAt)
		}
		if ids, _ := st.Mentioned(ctx, discussion.KindPost, posts[0].ID); len(ids) != 1 || ids[0] != f.kwame.ID {
			t.Errorf("mentions of the first reply: %v", ids)
		}
		kinds := func(u account.User) []string {
			list, _, err := notify.NewInbox(db).List(ctx, u.ID, false, 20, 0)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, n := range list {
				out = append(out, n.Category)
			}
			return out
		}
		if got := kinds(f.kwame); len(got) != 1 || got[0] != notify.CategoryMention {
			t.Errorf("Kwame, mentioned: %v", got)
		}
		// The moderator follows his thread but hears of no held reply.
		if got := kinds(f.mod); len(got) != 0 {
			t.Errorf("the thread's author: %v", got)
		}

		// All or none: a reply that may not be written, or is empty, says
		// which it is, and none of the batch is written.
		for name, bad := range map[string]discussion.NewReply{
			"outsider": {Viewer: f.viewer(t, &f.ex), Body: "Hello"},
			"empty":    {Viewer: mod, Body: "  "},
			"quote":    {Viewer: mod, Body: "Quoting", QuoteOf: first.ID + 1000},
		} {
			_, err := st.ReplyAll(ctx, th, f.c, []discussion.NewReply{{Viewer: mod, Body: "A good reply."}, bad})
			if err == nil {
				t.Errorf("%s: written", name)
				continue
			}
			if !strings.Contains(err.Error(), "reply 2 of 2") {
				t.Errorf("%s: %v does not name the reply", name, err)
			}
			if _, n, _ := st.Posts(ctx, f.open(t, th.ID, &f.mod), 50, 0); n != 5 {
				t.Errorf("%s: %d posts after a refused batch, want 5", name, n)
			}
		}
		if _, err := st.ReplyAll(ctx, th, f.c, []discussion.NewReply{{Viewer: f.viewer(t, &f.ex), Body: "Hello"}}); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("an outsider's reply: %v", err)
		}

		// A long history, written in several statements: each reply keeps
		// its own text, in order.
		long := make([]discussion.NewReply, 1100)
		for i := range long {
			long[i] = discussion.NewReply{Viewer: mod, Body: fmt.Sprintf("Archived message %d.", i+1), At: start.Add(time.Duration(i+10) * time.Hour)}
		}
		written, err := st.ReplyAll(ctx, th, f.c, long)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range written {
			if p.Body != long[i].Body || !p.CreatedAt.Equal(long[i].At) || i > 0 && p.ID <= written[i-1].ID {
				t.Fatalf("archived reply %d: %q at %v (id %d)", i, p.Body, p.CreatedAt, p.ID)
			}
		}
		if _, n, _ := st.Posts(ctx, f.open(t, th.ID, &f.mod), 50, 0); n != 5+len(long) {
			t.Errorf("%d posts after the history, want %d", n, 5+len(long))
		}
	})
}
