package generate_test

import (
	"context"
	"errors"
	"testing"

	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/generate"
	"github.com/harambee/harambee/internal/sqldb"
)

// count returns the rows of a table.
func count(t *testing.T, db *sqldb.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

func TestGenerateSmallScale(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		const scale = 0.002
		made, err := generate.Run(ctx, db, generate.Options{Scale: scale})
		if err != nil {
			t.Fatal(err)
		}
		want := generate.ShapeAt(scale)
		// What was asked for is what was made...
		for name, pair := range map[string][2]int{
			"communities": {want.Communities, made.Communities}, "members": {want.Members, made.Members},
			"threads": {want.Threads, made.Threads}, "posts": {want.Posts, made.Posts}, "resources": {want.Resources, made.Resources},
			"solutions": {want.Solutions, made.Solutions}, "events": {want.Events, made.Events},
			"registrations": {want.Registrations, made.Registrations}, "attendances": {want.Attendances, made.Attendances},
			"survey responses": {want.SurveyResponses, made.SurveyResponses}, "page views": {want.PageViews, made.PageViews},
		} {
			if pair[0] != pair[1] {
				t.Errorf("%s: asked for %d, made %d", name, pair[0], pair[1])
			}
		}
		// ...and what is in the database.
		for table, n := range map[string]int{
			"users": made.Members, "communities": made.Communities, "threads": made.Threads, "posts": made.Posts,
			"resources": made.Resources, "solutions": made.Solutions, "events": made.Events,
			"event_registrations": made.Registrations, "event_attendees": made.Attendances,
			"survey_responses": made.SurveyResponses, "page_views": made.PageViews - made.RolledUp,
		} {
			if got := count(t, db, table); got != n {
				t.Errorf("%s: %d rows, want %d", table, got, n)
			}
		}
		if made.RolledUp == 0 {
			t.Error("no page view was rolled up: five years of views are older than the retention period")
		}
		// The long thread the benchmark reads has its 50 replies.
		var long int
		if err := db.QueryRow(ctx, "SELECT COUNT(*) FROM (SELECT thread_id FROM posts GROUP BY thread_id HAVING COUNT(*) = ?) x", generate.BigThreadPosts).Scan(&long); err != nil || long == 0 {
			t.Errorf("threads with %d replies: %d (%v)", generate.BigThreadPosts, long, err)
		}
		// A second run refuses the database, which now holds data.
		if _, err := generate.Run(ctx, db, generate.Options{Scale: scale}); !errors.Is(err, generate.ErrNotEmpty) {
			t.Errorf("second run: %v, want ErrNotEmpty", err)
		}
	})
}

func TestShapeKeepsProportions(t *testing.T) {
	one, tenth := generate.ShapeAt(1), generate.ShapeAt(0.1)
	if one.Posts != 1_000_000 || one.PageViews != 5_000_000 || one.Members != 100_000 {
		t.Errorf("scale 1: %+v", one)
	}
	if tenth.Posts*10 != one.Posts || tenth.Registrations*10 != one.Registrations {
		t.Errorf("scale 0.1 is not a tenth of scale 1: %+v", tenth)
	}
}
