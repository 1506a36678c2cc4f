package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/sqldb"
)

// runImportMembers imports a community's members with their history. The
// import runs on behalf of the community's first manager, so the history
// records who added them.
func runImportMembers(ctx context.Context, env *cmdEnv) error {
	if env.community == "" {
		return usageError{"--community is required"}
	}
	f, err := os.Open(env.args[0])
	if err != nil {
		return fmt.Errorf("open %s: %w", env.args[0], err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Size() > env.cfg.MaxUpload {
		return fmt.Errorf("%s is %d MB; the limit is %d MB (--max-upload)", env.args[0], info.Size()>>20, env.cfg.MaxUpload>>20)
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	st := community.NewStore(db)
	c, err := st.BySlug(ctx, env.community)
	if errors.Is(err, sqldb.ErrNotFound) {
		return fmt.Errorf("no community has the slug %q", env.community)
	}
	if err != nil {
		return err
	}
	managers, err := st.Managers(ctx, c.ID)
	if err != nil {
		return err
	}
	var actor account.User
	if len(managers) > 0 {
		if actor, err = account.NewStore(db).User(ctx, managers[0].ID); err != nil {
			return err
		}
	}
	res, err := st.ImportMembers(ctx, c, f, actor)
	var ie *community.ImportError
	if errors.As(err, &ie) {
		return fmt.Errorf("%s: nothing was imported:\n%s", env.args[0], ie.Describe(i18n.For("en")))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "%s: %d rows, %d members added (%d new accounts, unverified), %d already members\n",
		env.args[0], res.Rows, res.Added, res.Created, res.AlreadyMembers)
	return nil
}
