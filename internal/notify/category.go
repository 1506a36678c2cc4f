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

// Categories of discussions.
const (
	CategoryReply      = "discussion_reply"   // a reply in a thread the member follows
	CategoryMention    = "discussion_mention" // the member is mentioned by name
	CategoryModeration = "moderation"         // what moderators did with the member's message
)

// Categories of events and their surveys. Registration, waiting-list
// promotion, changes and cancellations answer what the person did or must
// know; reminders and survey invitations can be switched off.
const (
	CategoryEventRegistration = "event_registration"
	CategoryEventWaitlist     = "event_waitlist"
	CategoryEventChange       = "event_change"
	CategoryEventCancelled    = "event_cancelled"
	CategoryEventReminder     = "event_reminder"
	CategorySurveyInvitation  = "survey_invitation"
)

// CategoryExchange is what happens to a match between a need and an offer
// or solution (internal/matching): proposed, introduced, planned, held,
// its outcome, or declined. Both institutions' contacts hear of each step.
const CategoryExchange = "matching_exchange"

// Categories is the one list of categories of message, in the order the
// settings page shows them. A capability that sends a new kind of message
// adds its row here, with notify.category.KEY and notify.category.KEY.hint
// in the catalogues, and sends it with Notifier.Send.
var Categories = []Category{
	{Key: mail.CategoryVerify, Transactional: true},
	{Key: mail.CategoryReset, Transactional: true},
	{Key: mail.CategoryEmailChange, Transactional: true},
	{Key: CategoryInvitation, Transactional: true},
	{Key: CategoryJoinRequest, Default: InDigest, InApp: true, Digestible: true},
	{Key: CategoryJoinDecision, Default: Immediate, InApp: true, Digestible: true},
	{Key: CategoryReply, Default: Immediate, InApp: true, Digestible: true},
	{Key: CategoryMention, Default: Immediate, InApp: true, Digestible: true},
	{Key: CategoryModeration, Default: Immediate, InApp: true, Digestible: true},
	{Key: CategoryEventRegistration, Transactional: true},
	{Key: CategoryEventWaitlist, Transactional: true},
	{Key: CategoryEventChange, Transactional: true},
	{Key: CategoryEventCancelled, Transactional: true},
	{Key: CategoryEventReminder, Default: Immediate, InApp: true},
	{Key: CategorySurveyInvitation, Default: Immediate, InApp: true},
	{Key: CategoryExchange, Default: Immediate, InApp: true, Digestible: true},
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
