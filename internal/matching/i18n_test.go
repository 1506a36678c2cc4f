package matching_test

import (
	"testing"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/matching"
)

// TestKeysOfValues checks the message keys built from values (stages,
// statuses, modalities, outcomes...), which the source scan of the i18n
// tests cannot see.
func TestKeysOfValues(t *testing.T) {
	var keys []string
	add := func(prefix string, values []string) {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	add("matching.stage.", matching.Stages)
	add("matching.mail.subject.", matching.Stages)
	add("matching.mail.intro.", matching.Stages)
	add("matching.status.", matching.NeedStatuses)
	add("matching.offer_status.", matching.OfferStatuses)
	add("matching.modality.", matching.Modalities)
	add("matching.outcome.", matching.Outcomes)
	add("matching.kind.", []string{matching.KindOffer, matching.KindSolution, matching.KindMember})
	add("matching.match_offered.", []string{matching.KindOffer, matching.KindSolution})
	add("matching.error.", []string{"solution_unknown", "resource_unknown"})
	add("matching.field.", []string{"title", "description", "institution", "country", "community", "sdgs", "sdg_targets", "topics",
		"languages", "modalities", "timeframe_start", "timeframe_end", "language", "capacity", "solution_ids", "resource_ids", "status",
		"stage", "note", "modality", "starts_on", "ends_on", "participants", "partner", "outcome", "evidence"})
	add("flash.", []string{"need_created", "need_saved", "need_closed", "need_reopened", "offer_created", "offer_saved", "match_proposed", "match_moved"})
	add("notify.category.", []string{"matching_exchange", "matching_exchange.hint"})
	for _, lang := range i18n.Languages {
		for _, k := range keys {
			if _, ok := i18n.Message(lang, k); !ok {
				t.Errorf("%s lacks %q", lang, k)
			}
		}
	}
}
