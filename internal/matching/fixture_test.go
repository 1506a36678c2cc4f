package matching_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

var ctx = context.Background()

// person creates a verified member of a country.
func person(t *testing.T, db sqldb.Querier, email, country string, admin bool, expertise ...string) account.User {
	t.Helper()
	u, err := account.NewStore(db).CreateUser(ctx, account.NewUser{Email: email, PasswordHash: "x", Verified: true, Admin: admin,
		Profile: account.Profile{Name: strings.Split(email, "@")[0], Country: country, Visibility: account.VisibilityMembers,
			Languages: []string{"en"}, Expertise: expertise}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// newCommunity creates a community whose creator is its manager.
func newCommunity(t *testing.T, db sqldb.Querier, creator account.User, slug, visibility string) community.Community {
	t.Helper()
	c, err := community.NewStore(db).Create(ctx, community.Input{Slug: slug, Name: "Community " + slug, Visibility: visibility,
		JoinPolicy: community.Open, PrimarySDG: 3}, creator)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// join makes u a member of c.
func join(t *testing.T, db sqldb.Querier, c community.Community, u account.User) {
	t.Helper()
	if err := community.NewStore(db).Join(ctx, c, u); err != nil {
		t.Fatal(err)
	}
}

// details are valid details of a need or an offer.
func details(title, institution, country string, targets ...string) matching.Details {
	return matching.Details{
		Title: title, Description: title + ": what we know and what we need.", Institution: institution, Country: country,
		SDGs: []int{3}, Targets: targets, Languages: []string{"en"}, Modalities: []string{matching.ModalityStudyVisit},
	}
}

func need(t *testing.T, st *matching.Store, author account.User, in matching.NeedInput) matching.Need {
	t.Helper()
	n, err := st.CreateNeed(ctx, author, in)
	if err != nil {
		t.Fatalf("create need %q: %v", in.Title, err)
	}
	return n
}

func offer(t *testing.T, st *matching.Store, author account.User, in matching.OfferInput) matching.Offer {
	t.Helper()
	o, err := st.CreateOffer(ctx, author, in)
	if err != nil {
		t.Fatalf("create offer %q: %v", in.Title, err)
	}
	return o
}

// wantFields fails unless err is a validation error on exactly the fields.
func wantFields(t *testing.T, err error, fields ...string) *validation.Error {
	t.Helper()
	ve, ok := validation.As(err)
	if !ok {
		t.Fatalf("got %v, want a validation error on %v", err, fields)
	}
	got := strings.Join(ve.Names(), ",")
	if want := strings.Join(sorted(fields), ","); got != want {
		t.Errorf("failing fields %s, want %s", got, want)
	}
	return ve
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func day(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 12, 0, 0, 0, time.UTC) }
