package matching

import (
	"context"

	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
)

// Exchanges counts the exchanges of a community (communityID 0: of the
// whole site) in a report's period, in the report's form: it is the
// report.ExchangesFrom hook, which the application sets when it is wired.
// See Figures for what each figure counts.
func Exchanges(ctx context.Context, q sqldb.Querier, communityID int64, p report.Period) (report.Exchanges, error) {
	var f Figures
	var err error
	if communityID == 0 {
		f, err = SiteFigures(ctx, q, p.From, p.To())
	} else {
		f, err = CommunityFigures(ctx, q, communityID, p.From, p.To())
	}
	if err != nil {
		return report.Exchanges{}, err
	}
	x := report.Exchanges{
		ByStage: f.ByStage, ByTarget: f.ByTarget, ByModality: f.ByModality, Flows: make([]report.Flow, len(f.Flows)),
		SouthSouthShare: f.SouthSouthShare, TriangularShare: f.TriangularShare, Outcomes: f.Outcomes,
	}
	for i, fl := range f.Flows {
		x.Flows[i] = report.Flow(fl)
	}
	return x, nil
}
