package notify

import "github.com/harambee/harambee/internal/mail"

// Delivery is how a member receives a category of message by e-mail.
type Delivery string

// Deliveries.
const (
	Immediate Delivery = "immediate" // one e-mail per message, at once
	InDigest  Delivery = "digest"    // gathered into the member's digest
	Off       Delivery = "off"       // no e-mail (in-app notifications still come)
)

// Category is a kind of message: the unit of members' e-mail settings and of
// the one-click unsubscribe.
type Category struct {
	// Key names the category in settings, the outbox and unsubscribe links.
	// Its name and description for members are the message keys
	// notify.category.KEY and notify.category.KEY.hint.
	Key string
	// Transactional messages answer something the recipient just did or
	// must know (verification, password reset, invitation, registration
	// confirmation, waiting-list promotion, event change or cancellation):
	// always sent, with no unsubscribe link.
	Transactional bool
	// Default is the delivery of members who have not chosen.
	Default Delivery
	// InApp also shows the message under the bell, whatever the e-mail
	// setting.
	InApp bool
	// Digestible lets members choose to receive it in their digest instead
	// of one e-mail each. Digestible categories must be InApp: the digest
	// gathers them from the in-app notifications.
	Digestible bool
}

// Choices lists the deliveries a member may choose for the category; none
// for a transactional one.
func (c Category) Choices() []Delivery {
	switch {
	case c.Transactional:
		return nil
	case c.Digestible:
		return []Delivery{Immediate, InDigest, Off}
	}
	return []Delivery{Immediate, Off}
}

// Allows reports whether d is one of the category's choices.
func (c Category) Allows(d Delivery) bool {
	for _, v := range c.Choices() {
		if v == d {
			return true
		}
	}
	return false
}

// CategoryDigest is the digest of what is new in a member's communities,
// and the single e-mails of news for communities set to immediate. Off
// stops them all; how often each community's news comes is chosen per
// community.
const CategoryDigest = "digest"

// Categories of the community capability. The community package sends
// these; they are declared here with every other category.
const (
	CategoryJoinRequest  = "community_join_request"  // to managers: someone asks to join
	CategoryJoinDecision = "community_join_decision" // to the person who asked: approved or refused
	CategoryInvitation   = "community_invitation"    // to the person invited
)

// Categories is the one list of categories of message, in the order the
// settings page shows them. A capability that sends a new kind of message
// adds its row here, with notify.category.KEY and notify.category.KEY.hint
// in the catalogues, and sends it with Notifier.Send. Still to come with
// their issues: replies to followed threads and mentions (discussions),
// registration confirmation, waiting-list promotion, reminders, changes,
// cancellations and survey invitations (events), moderation notices.
var Categories = []Category{
	{Key: mail.CategoryVerify, Transactional: true},
	{Key: mail.CategoryReset, Transactional: true},
	{Key: mail.CategoryEmailChange, Transactional: true},
	{Key: CategoryInvitation, Transactional: true},
	{Key: CategoryJoinRequest, Default: InDigest, InApp: true, Digestible: true},
	{Key: CategoryJoinDecision, Default: Immediate, InApp: true, Digestible: true},
	{Key: CategoryDigest, Default: Immediate},
}

// Lookup finds a category of Categories by key.
func Lookup(key string) (Category, bool) { return lookup(Categories, key) }

// lookup finds a category by key in list.
func lookup(list []Category, key string) (Category, bool) {
	for _, c := range list {
		if c.Key == key {
			return c, true
		}
	}
	return Category{}, false
}
