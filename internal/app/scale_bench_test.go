package app_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// BenchmarkReplies measures how many replies a second members can post
// through the web pages, 32 at a time, on each engine, through one
// instance and through two on one database: on SQLite every write waits
// for the single writer and its fsync (synchronous=FULL); on PostgreSQL
// writers run side by side. docs/scaling.md quotes it.
//
//	HARAMBEE_TEST_POSTGRES=... go test -run XXX -bench Replies -benchtime 2000x ./internal/app/
func BenchmarkReplies(b *testing.B) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		for _, n := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/instances=%d", d, n), func(b *testing.B) {
				dsn := dbtest.DSN(b, d)
				var addrs []string
				var db *sqldb.DB
				for range n {
					var addr string
					db, addr = startServe(b, dsn, nil)
					addrs = append(addrs, "http://"+addr)
				}
				hash, err := account.HashPassword("a good long passphrase")
				if err != nil {
					b.Fatal(err)
				}
				newUser := func(email string) account.User {
					u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: email, PasswordHash: hash, Verified: true, Profile: account.Profile{Name: email}})
					if err != nil {
						b.Fatal(err)
					}
					return u
				}
				c, err := community.NewStore(db).Create(ctx, community.Input{Slug: "bench", Name: "Bench", Visibility: community.Public, JoinPolicy: community.Open, PrimarySDG: 3}, newUser("manager@example.org"))
				if err != nil {
					b.Fatal(err)
				}
				// 32 members, each a browser logged in to one instance (the
				// load balancer spreads them).
				const writers = 32
				type browser struct {
					http *http.Client
					base string
				}
				post := func(br browser, path string, form url.Values) *http.Response {
					resp, err := br.http.PostForm(br.base+path, form)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					return resp
				}
				var browsers []browser
				for i := range writers {
					email := fmt.Sprintf("w%d@example.org", i)
					if err := community.NewStore(db).Join(ctx, c, newUser(email)); err != nil {
						b.Fatal(err)
					}
					jar, _ := cookiejar.New(nil)
					br := browser{http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}, base: addrs[i%n]}
					if r := post(br, "/login", url.Values{"email": {email}, "password": {"a good long passphrase"}}); r.StatusCode != http.StatusSeeOther {
						b.Fatalf("log in: %d", r.StatusCode)
					}
					browsers = append(browsers, br)
				}
				// Each member replies in a thread of their own, as members
				// do across a busy site (one busy thread would add the fan-out
				// of its followers' notifications to every reply).
				threads := make([]string, writers)
				for i, br := range browsers {
					r := post(br, "/communities/bench/discussions", url.Values{"title": {fmt.Sprintf("Benchmark thread %d", i)}, "body": {"First post"}, "language": {"en"}})
					if r.StatusCode != http.StatusSeeOther {
						b.Fatalf("create thread: %d", r.StatusCode)
					}
					threads[i] = strings.Split(r.Header.Get("Location"), "?")[0]
				}
				var next, failed atomic.Int64
				b.SetParallelism(writers / 2) // on 2 cores: 32 goroutines
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					i := int(next.Add(1)-1) % writers
					br, thread := browsers[i], threads[i]
					for pb.Next() {
						if r := post(br, thread+"/posts", url.Values{"body": {"A reply with **some** Markdown."}}); r.StatusCode != http.StatusSeeOther {
							failed.Add(1)
						}
					}
				})
				b.StopTimer()
				if failed.Load() > 0 {
					b.Errorf("%d of %d replies failed", failed.Load(), b.N)
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "replies/s")
			})
		}
	}
}
