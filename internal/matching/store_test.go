package matching_test

import (
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/matching"
	"github.com/harambee/harambee/internal/sqldb"
)

func TestValidateNeed(t *testing.T) {
	good := matching.NeedInput{Details: details(" Validate EMTCT ", "Ministry of Health", " zw ", "3.3", "3.3")}
	got, err := good.Validate()
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Validate EMTCT" || got.Country != "ZW" || fmt.Sprint(got.Targets) != "[3.3]" || fmt.Sprint(got.SDGs) != "[3]" || got.Language != "en" {
		t.Errorf("cleaned %+v", got.Details)
	}
	// A target brings its goal.
	in := good
	in.SDGs, in.Targets = []int{17}, []string{"5.2", "3.b", "3.3"}
	if got, _ = in.Validate(); fmt.Sprint(got.SDGs) != "[3 5 17]" || fmt.Sprint(got.Targets) != "[3.3 3.b 5.2]" {
		t.Errorf("SDGs %v targets %v", got.SDGs, got.Targets)
	}
	tests := []struct {
		name   string
		change func(in *matching.NeedInput)
		fields []string
	}{
		{"unassigned country", func(in *matching.NeedInput) { in.Country = "XX" }, []string{"country"}},
		{"no country", func(in *matching.NeedInput) { in.Country = "" }, []string{"country"}},
		{"unknown target", func(in *matching.NeedInput) { in.Targets = []string{"3.99"} }, []string{"sdg_targets"}},
		{"unknown SDG", func(in *matching.NeedInput) { in.SDGs = []int{18} }, []string{"sdgs"}},
		{"no SDG", func(in *matching.NeedInput) { in.SDGs, in.Targets = nil, nil }, []string{"sdgs"}},
		{"unknown modality", func(in *matching.NeedInput) { in.Modalities = []string{"boat_trip"} }, []string{"modalities"}},
		{"unknown language", func(in *matching.NeedInput) { in.Languages = []string{"xx-yy"} }, []string{"languages"}},
		{"no title or institution", func(in *matching.NeedInput) { in.Title, in.Institution = " ", "" }, []string{"title", "institution"}},
		{"bad months", func(in *matching.NeedInput) { in.TimeframeStart, in.TimeframeEnd = "2027", "2026-13" }, []string{"timeframe_start", "timeframe_end"}},
		{"end before start", func(in *matching.NeedInput) { in.TimeframeStart, in.TimeframeEnd = "2027-05", "2026-01" }, []string{"timeframe_end"}},
		{"too many topics", func(in *matching.NeedInput) {
			for i := range 13 {
				in.Topics = append(in.Topics, fmt.Sprintf("topic %d", i))
			}
		}, []string{"topics"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good
			in.Details.SDGs = append([]int(nil), good.SDGs...)
			tt.change(&in)
			_, err := in.Validate()
			wantFields(t, err, tt.fields...)
		})
	}
}

func TestNeedsAndOffers(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		st := matching.NewStore(db)
		admin := person(t, db, "admin@example.org", "BR", true)
		manager := person(t, db, "manager@example.org", "ZA", false)
		insider := person(t, db, "insider@example.org", "ZW", false)
		outsider := person(t, db, "outsider@example.org", "KE", false)
		open := newCommunity(t, db, manager, "open", community.Public)
		closed := newCommunity(t, db, manager, "closed", community.Members)
		join(t, db, closed, insider)

		// Anyone logged in attaches a need to a public community; only
		// members to a members-only one; nobody to one they cannot know.
		in := matching.NeedInput{Details: details("Validate EMTCT", "Ministry of Health and Child Care", "ZW", "3.3"), Community: "open",
			TimeframeEnd: "2027-12"}
		in.Topics = []string{"congenital syphilis", " Congenital  Syphilis ", "validation dossier"}
		public := need(t, st, outsider, in)
		if public.Community == nil || public.Community.ID != open.ID || public.Status != matching.StatusOpen || fmt.Sprint(public.Topics) != "[congenital syphilis validation dossier]" ||
			public.Author.ID != outsider.ID || public.DescriptionHTML == "" {
			t.Errorf("created %+v", public)
		}
		in.Community = "closed"
		_, err := st.CreateNeed(ctx, outsider, in)
		wantFields(t, err, "community")
		private := need(t, st, insider, in)
		in.Community = "no-such-community"
		_, err = st.CreateNeed(ctx, insider, in)
		wantFields(t, err, "community")

		// Anonymous readers see nothing; a need of a members-only community
		// only its members, its author and administrators.
		if _, err := st.Need(ctx, nil, public.ID); !errors.Is(err, account.ErrUnauthenticated) {
			t.Errorf("anonymous read: %v", err)
		}
		for _, c := range []struct {
			who  account.User
			sees bool
		}{{outsider, false}, {insider, true}, {manager, true}, {admin, true}} {
			_, err := st.Need(ctx, &c.who, private.ID)
			if got := err == nil; got != c.sees || !c.sees && !errors.Is(err, sqldb.ErrNotFound) {
				t.Errorf("%s reads the members-only need: %v", c.who.Email, err)
			}
			list, total, err := st.Needs(ctx, &c.who, matching.NeedFilter{}, 10, 0)
			want := 1
			if c.sees {
				want = 2
			}
			if err != nil || total != want || len(list) != want {
				t.Errorf("%s lists %d of %d needs (%v), want %d", c.who.Email, len(list), total, err, want)
			}
		}
		if _, _, err := st.Needs(ctx, nil, matching.NeedFilter{}, 10, 0); !errors.Is(err, account.ErrUnauthenticated) {
			t.Errorf("anonymous list: %v", err)
		}

		// Filters.
		f, err := matching.ParseNeedFilter(url.Values{"country": {"zw"}, "sdg": {"3"}, "status": {"open"}, "community": {"open"}})
		if err != nil {
			t.Fatal(err)
		}
		if list, total, _ := st.Needs(ctx, &admin, f, 10, 0); total != 1 || list[0].ID != public.ID {
			t.Errorf("filtered: %d", total)
		}
		_, err = matching.ParseNeedFilter(url.Values{"country": {"XX"}, "sdg": {"18"}, "status": {"done"}})
		wantFields(t, err, "country", "sdg", "status")

		// Editing: the author and brokers; others are refused.
		edit := public.Input()
		edit.Title = "Validate the elimination of congenital syphilis"
		if _, err := st.UpdateNeed(ctx, insider, public.ID, edit); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("a stranger edits: %v", err)
		}
		got, err := st.UpdateNeed(ctx, manager, public.ID, edit)
		if err != nil || got.Title != edit.Title || got.Community.Slug != "open" {
			t.Errorf("the broker edits: %+v, %v", got, err)
		}
		if got, err := st.SetNeedClosed(ctx, outsider, public.ID, true); err != nil || got.Status != matching.StatusClosed {
			t.Errorf("close: %v %v", got.Status, err)
		}
		if got, err := st.SetNeedClosed(ctx, outsider, public.ID, false); err != nil || got.Status != matching.StatusOpen {
			t.Errorf("reopen: %v %v", got.Status, err)
		}

		// Offers: every member sees them; they link solutions and resources
		// that exist.
		o := offer(t, st, manager, matching.OfferInput{Details: details("Host a study visit", "National Department of Health", "ZA", "3.3"),
			Capacity: "Two visits a year"})
		if o.Status != matching.StatusOpen || o.Capacity != "Two visits a year" || len(o.SolutionIDs) != 0 {
			t.Errorf("offer %+v", o)
		}
		if _, err := st.Offer(ctx, &outsider, o.ID); err != nil {
			t.Errorf("a member reads an offer: %v", err)
		}
		if _, err := st.Offer(ctx, nil, o.ID); !errors.Is(err, account.ErrUnauthenticated) {
			t.Errorf("anonymous reads an offer: %v", err)
		}
		bad := matching.OfferInput{Details: details("Links", "X", "ZA", "3.3"), SolutionIDs: []int64{999}, ResourceIDs: []int64{998}}
		_, err = st.CreateOffer(ctx, manager, bad)
		wantFields(t, err, "solution_ids", "resource_ids")
		if _, err := st.UpdateOffer(ctx, outsider, o.ID, o.Input()); !errors.Is(err, account.ErrForbidden) {
			t.Errorf("a stranger edits an offer: %v", err)
		}
		oin := o.Input()
		oin.Status = matching.StatusClosed
		if got, err := st.UpdateOffer(ctx, manager, o.ID, oin); err != nil || got.Status != matching.StatusClosed {
			t.Errorf("close offer: %v, %v", got.Status, err)
		}
		of, err := matching.ParseOfferFilter(url.Values{"country": {"ZA"}, "modality": {"study_visit"}, "status": {"closed"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, total, _ := st.Offers(ctx, &outsider, of, 10, 0); total != 1 {
			t.Errorf("filtered offers: %d", total)
		}
		_, err = matching.ParseOfferFilter(url.Values{"modality": {"boat"}, "country": {"QQ"}})
		wantFields(t, err, "modality", "country")
	})
}
