// Package community holds communities of practice: their description, SDGs
// and focus areas, who may see them, and their members with the whole
// history of joins, approvals, role changes, departures and bans, so that
// growth on any past day is exact.
package community

import (
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Visibility: who may see a community and what is inside it.
const (
	Public  = "public"  // anyone reads it
	Members = "members" // listed; only members read inside
	Private = "private" // not listed; only members know it exists
)

// Join policies.
const (
	Open    = "open"    // anyone logged in joins at once
	Request = "request" // members ask; a manager approves
	Invite  = "invite"  // only by invitation
)

// Roles inside a community, from least to most power.
const (
	RoleMember    = "member"
	RoleModerator = "moderator"
	RoleManager   = "manager"
)

// Lists of allowed values, in the order forms show them.
var (
	Visibilities = []string{Public, Members, Private}
	JoinPolicies = []string{Open, Request, Invite}
	Roles        = []string{RoleMember, RoleModerator, RoleManager}
)

// Limits.
const (
	MaxNameLen        = 120
	MaxDescriptionLen = 20000
	MaxFocusAreas     = 12
	MaxFocusAreaLen   = 100
	MaxSecondarySDGs  = 16
	MaxTargets        = 40
	MaxLogoBytes      = 200 << 10
	MaxRequestMessage = 1000
)

// Community is a community of practice.
type Community struct {
	ID              int64
	Slug            string
	Name            string
	Description     string // Markdown
	DescriptionHTML string // rendered and sanitised
	Language        string // the language its texts are written in
	Visibility      string
	JoinPolicy      string
	PrimarySDG      int // 0 when none
	SecondarySDGs   []int
	Targets         []string
	FocusAreas      []string
	HasLogo         bool
	LogoType        string
	// HoldFirstPosts holds a new member's first thread or reply until a
	// moderator approves it.
	HoldFirstPosts bool
	CreatedBy      int64
	CreatedAt      time.Time
	UpdatedAt      time.Time

	MemberCount int // current members, computed when loaded
}

// SDGs returns the primary SDG followed by the secondary ones.
func (c Community) SDGs() []int {
	var out []int
	if c.PrimarySDG != 0 {
		out = append(out, c.PrimarySDG)
	}
	return append(out, c.SecondarySDGs...)
}

// Input is what a manager fills in to create or change a community.
type Input struct {
	Slug           string
	Name           string
	Description    string
	Language       string
	Visibility     string
	JoinPolicy     string
	PrimarySDG     int
	SecondarySDGs  []int
	Targets        []string
	FocusAreas     []string
	HoldFirstPosts bool
	// CreatedAt, when set, dates the community in the past: importing a
	// community that existed before Harambee. Only administrators and the
	// demo set it.
	CreatedAt time.Time
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$`)

// reservedSlugs would shadow pages under /communities/.
var reservedSlugs = map[string]bool{"new": true, "edit": true, "admin": true, "api": true}

// Validate checks the input and returns it cleaned.
func (in Input) Validate() (Input, error) {
	var e validation.Error
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	switch {
	case in.Slug == "":
		e.Add("slug", "error.required")
	case !slugPattern.MatchString(in.Slug) || strings.Contains(in.Slug, "--"):
		e.Add("slug", "error.slug")
	case reservedSlugs[in.Slug]:
		e.Add("slug", "error.slug_reserved")
	}
	in.Name = e.Text("name", in.Name, true, MaxNameLen)
	in.Description = e.LongText("description", in.Description, false, MaxDescriptionLen)
	if in.Language = strings.TrimSpace(in.Language); in.Language == "" {
		in.Language = i18n.Default
	} else if !taxonomy.ValidLanguage(in.Language) {
		e.Add("language", "error.language", in.Language)
	}
	if in.Visibility == "" {
		in.Visibility = Public
	}
	in.Visibility = e.OneOf("visibility", in.Visibility, true, Visibilities...)
	if in.JoinPolicy == "" {
		in.JoinPolicy = Open
	}
	in.JoinPolicy = e.OneOf("join_policy", in.JoinPolicy, true, JoinPolicies...)
	if in.PrimarySDG != 0 && !taxonomy.ValidGoal(in.PrimarySDG) {
		e.Add("primary_sdg", "error.sdg")
	}
	seen := map[int]bool{in.PrimarySDG: true}
	var sdgs []int
	for _, g := range in.SecondarySDGs {
		if !taxonomy.ValidGoal(g) {
			e.Add("secondary_sdgs", "error.sdg")
			continue
		}
		if !seen[g] {
			seen[g] = true
			sdgs = append(sdgs, g)
		}
	}
	if len(sdgs) > MaxSecondarySDGs {
		e.Add("secondary_sdgs", "error.too_many", MaxSecondarySDGs)
	}
	sort.Ints(sdgs)
	in.SecondarySDGs = sdgs
	var targets []string
	seenT := map[string]bool{}
	for _, t := range in.Targets {
		tg, ok := taxonomy.TargetByCode(t)
		if !ok {
			e.Add("sdg_targets", "error.target", strings.TrimSpace(t))
			continue
		}
		if !seenT[tg.Code] {
			seenT[tg.Code] = true
			targets = append(targets, tg.Code)
		}
	}
	if len(targets) > MaxTargets {
		e.Add("sdg_targets", "error.too_many", MaxTargets)
	}
	in.Targets = targets
	var areas []string
	seenA := map[string]bool{}
	for _, a := range in.FocusAreas {
		var fe validation.Error
		a = fe.Text("focus_areas", a, false, MaxFocusAreaLen)
		if err := fe.Err(); err != nil {
			e.Add("focus_areas", fe.Fields["focus_areas"].Key, fe.Fields["focus_areas"].Args...)
			continue
		}
		if k := account.TagKey(a); a != "" && !seenA[k] {
			seenA[k] = true
			areas = append(areas, a)
		}
	}
	if len(areas) > MaxFocusAreas {
		e.Add("focus_areas", "error.too_many", MaxFocusAreas)
	}
	in.FocusAreas = areas
	return in, e.Err()
}

// Viewer is a reader of a community: who they are and where they stand in
// it.
type Viewer struct {
	User    *account.User // nil when anonymous
	Role    string        // their current role, empty when not a member
	Banned  bool
	Pending bool // a join request waits for a manager
}

// Member reports whether the viewer is a current member.
func (v Viewer) Member() bool { return v.Role != "" }

func (v Viewer) admin() bool { return v.User != nil && v.User.Admin }

// CanSee reports whether the viewer may know the community exists.
func (v Viewer) CanSee(c Community) bool {
	return c.Visibility != Private || v.Member() || v.admin()
}

// CanRead reports whether the viewer may read what is inside: discussions,
// library, events, members.
func (v Viewer) CanRead(c Community) bool {
	return c.Visibility == Public || v.Member() || v.admin()
}

// CanModerate reports whether the viewer moderates: moderators, managers and
// site administrators.
func (v Viewer) CanModerate() bool {
	return v.Role == RoleModerator || v.Role == RoleManager || v.admin()
}

// CanManage reports whether the viewer manages the community: managers and
// site administrators.
func (v Viewer) CanManage() bool { return v.Role == RoleManager || v.admin() }

// CanJoin reports whether the viewer may join at once.
func (v Viewer) CanJoin(c Community) bool {
	return v.User != nil && !v.Member() && !v.Banned && c.JoinPolicy == Open && v.CanSee(c)
}

// CanRequest reports whether the viewer may ask to join.
func (v Viewer) CanRequest(c Community) bool {
	return v.User != nil && !v.Member() && !v.Banned && !v.Pending && c.JoinPolicy == Request && v.CanSee(c)
}

// Member is a person in a community's directory.
type Member struct {
	account.Card
	Role     string
	JoinedAt time.Time
}
