// Package demo loads Harambee's demonstration data set: the people, and in
// later issues the communities, discussions, webinars and solutions, of a
// community of practice on South-South cooperation for children. It is built
// through the domain packages' own functions, so every record passes the
// same validation as one entered by hand, and it is the same on every run.
package demo

import (
	"context"
	"fmt"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/sqldb"
)

// The demo administrator. The password is printed when the demo starts; the
// demo is for trying Harambee out, never for real data.
const (
	AdminEmail    = "admin@harambee.example"
	AdminPassword = "harambee-demo"
)

// Load fills an empty database with the demo data set and reports whether it
// did; a database that already holds accounts is left alone. Everything is
// loaded in one transaction and sends no e-mail.
func Load(ctx context.Context, db *sqldb.DB) (bool, error) {
	n, err := account.NewStore(db).CountUsers(ctx)
	if err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	// One hash for every demo account: hashing each password on its own
	// would take seconds, and the demo must start fast.
	hash, err := account.HashPassword(AdminPassword)
	if err != nil {
		return false, err
	}
	sharedHash = hash
	err = db.InTx(ctx, func(tx *sqldb.Tx) error {
		st := account.NewStore(tx)
		if _, err := st.CreateUser(ctx, account.NewUser{
			Email: AdminEmail, PasswordHash: hash, Admin: true, Verified: true,
			Profile: account.Profile{
				Name: "Demo Administrator", Country: "BR", Organization: "Harambee", OrganizationType: "other",
				Position: "Site administrator", Visibility: account.VisibilityMembers, Languages: []string{"en", "pt", "fr", "es"},
				TimeZone: "America/Sao_Paulo", Bio: "I look after this demonstration site.", Expertise: []string{"knowledge management"},
			},
		}); err != nil {
			return fmt.Errorf("demo administrator: %w", err)
		}
		for i, p := range people {
			if _, err := st.CreateUser(ctx, p.newUser(hash)); err != nil {
				return fmt.Errorf("demo member %d (%s): %w", i, p.Email, err)
			}
		}
		// Each later data set adds one loader here, in dependency order.
		for _, load := range loaders {
			if err := load(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, err
	}
	return true, nil
}

// person is one demo member.
type person struct {
	Name, Email, Country, Organization, OrgType, Position, TimeZone, Lang, Visibility string
	Languages, Expertise                                                              []string
	Bio                                                                               string
}

func (p person) newUser(hash string) account.NewUser {
	vis := p.Visibility
	if vis == "" {
		vis = account.VisibilityPublic
	}
	return account.NewUser{
		Email: p.Email, PasswordHash: hash, Verified: true,
		Profile: account.Profile{
			Name: p.Name, Country: p.Country, Organization: p.Organization, OrganizationType: p.OrgType,
			Position: p.Position, TimeZone: p.TimeZone, Language: p.Lang, Visibility: vis,
			Languages: p.Languages, Expertise: p.Expertise, Bio: p.Bio,
		},
	}
}

// sharedHash is the one password hash of every demo account, set by Load
// for its loaders.
var sharedHash string

// loaders fill in the data sets built on the members: communities, the
// solutions catalogue, and so on. Each takes the transaction of the whole
// load.
var loaders = []func(ctx context.Context, tx *sqldb.Tx) error{}
