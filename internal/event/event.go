// Package event holds the events and webinars of communities: their
// schedule in the event's own time zone, speakers, languages and materials;
// registration with custom questions and a waiting list; attendance
// imported from the participants reports that Zoom and Microsoft Teams
// export; recordings and their views; certificates of attendance; calendar
// files; the post-event survey (through package survey); and the
// per-event report, always counted from these records.
package event

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Kinds of event.
const (
	Webinar  = "webinar"
	Meeting  = "meeting"
	Training = "training"
)

// Statuses of an event.
const (
	Draft     = "draft"     // seen by the community's managers only
	Published = "published" // open to readers of the community
	Cancelled = "cancelled" // still shown, marked cancelled; no registration
)

// Speaker roles.
const (
	RoleSpeaker   = "speaker"
	RoleModerator = "moderator"
)

// Types of registration question.
const (
	ShortText      = "short_text"
	LongText       = "long_text"
	SingleChoice   = "single_choice"
	MultipleChoice = "multiple_choice"
	YesNo          = "yes_no"
)

// Lists of allowed values, in the order forms show them.
var (
	Kinds         = []string{Webinar, Meeting, Training}
	Statuses      = []string{Draft, Published, Cancelled}
	Roles         = []string{RoleSpeaker, RoleModerator}
	QuestionTypes = []string{ShortText, LongText, SingleChoice, MultipleChoice, YesNo}
)

// Limits.
const (
	MaxTitleLen          = 200
	MaxDescriptionLen    = 20000
	MaxURLLen            = 2000
	MaxCapacity          = 100000
	MaxDuration          = 31 * 24 * time.Hour
	MaxLanguages         = 10
	MaxSpeakers          = 40
	MaxMaterials         = 40
	MaxQuestions         = 20
	MaxOptions           = 30
	MaxOptionLen         = 200
	MaxQuestionLen       = 300
	MaxShortAnswer       = 300
	MaxLongAnswer        = 4000
	DefaultCertificate   = 60 // per cent of the event's duration
	maxQuestionKeyLen    = 40
	maxPersonFieldLength = 200
)

// Event is an event or webinar of a community. Times are in UTC; TimeZone
// is the IANA zone the organisers set it in.
type Event struct {
	ID                   int64
	CommunityID          int64
	Title                string
	Description          string // Markdown
	DescriptionHTML      string // rendered and sanitised
	Language             string // the language its texts are written in
	Kind                 string
	Status               string
	StartsAt             time.Time
	EndsAt               time.Time
	TimeZone             string
	Languages            []string // languages it is held in
	Interpretation       []string // languages it is interpreted into
	JoinURL              string   // shown to registrants and managers only
	Capacity             int      // 0: no limit
	RegistrationDeadline *time.Time
	CertificateShare     int // per cent of the duration an attendee must be present for a certificate
	RecordingURL         string
	RecordingViews       int
	Sequence             int // iCalendar SEQUENCE: grows with every change
	Speakers             []Speaker
	Materials            []Material
	Questions            []Question
	CreatedBy            int64
	CreatedAt            time.Time
	UpdatedAt            time.Time

	// Counted when loaded with details.
	Registered int // registrations with a seat
	Waitlisted int // registrations on the waiting list
}

// Location is the event's time zone.
func (e Event) Location() *time.Location {
	if loc, err := time.LoadLocation(e.TimeZone); err == nil {
		return loc
	}
	return time.UTC
}

// Duration is how long the event lasts.
func (e Event) Duration() time.Duration { return e.EndsAt.Sub(e.StartsAt) }

// Started reports whether the event has started at now.
func (e Event) Started(now time.Time) bool { return !now.Before(e.StartsAt) }

// Ended reports whether the event is over at now.
func (e Event) Ended(now time.Time) bool { return !now.Before(e.EndsAt) }

// Full reports whether every seat is taken.
func (e Event) Full() bool { return e.Capacity > 0 && e.Registered >= e.Capacity }

// SeatsLeft is how many seats remain, -1 when there is no limit.
func (e Event) SeatsLeft() int {
	if e.Capacity == 0 {
		return -1
	}
	return max(0, e.Capacity-e.Registered)
}

// SpeakersByRole returns the speakers (or the moderators).
func (e Event) SpeakersByRole(role string) []Speaker {
	var out []Speaker
	for _, s := range e.Speakers {
		if s.Role == role {
			out = append(out, s)
		}
	}
	return out
}

// Question returns the registration question with the key.
func (e Event) Question(key string) (Question, bool) {
	for _, q := range e.Questions {
		if q.Key == key {
			return q, true
		}
	}
	return Question{}, false
}

// Speaker is a speaker or moderator of an event.
type Speaker struct {
	Role         string
	Name         string
	Title        string
	Organization string
	Country      string // ISO 3166-1 alpha-2, or empty
}

// Material is a document of an event: a resource of the community's
// library or a link.
type Material struct {
	Title      string
	URL        string
	ResourceID int64
}

// Question is a custom question of the registration form. Key is a short
// id chosen by the manager, unique within the event; answers are keyed by
// it.
type Question struct {
	Key      string
	Text     string
	Type     string
	Required bool
	Options  []string // for single and multiple choice
}

// Choices returns the values a question accepts, nil for free text.
func (q Question) Choices() []string {
	switch q.Type {
	case SingleChoice, MultipleChoice:
		return q.Options
	case YesNo:
		return []string{"yes", "no"}
	}
	return nil
}

// Input is what a manager fills in to create or change an event.
type Input struct {
	Title                string
	Description          string
	Language             string
	Kind                 string
	Status               string
	StartsAt             time.Time
	EndsAt               time.Time
	TimeZone             string
	Languages            []string
	Interpretation       []string
	JoinURL              string
	Capacity             int
	RegistrationDeadline time.Time // zero: none
	CertificateShare     int       // 0: the default
	Speakers             []Speaker
	Materials            []Material
	Questions            []Question
}

var questionKey = regexp.MustCompile(`^[a-z0-9][a-z0-9_]*$`)

// Validate checks the input and returns it cleaned. Field names are those
// of the API and the form; lists name their rows (speakers.2.name).
func (in Input) Validate() (Input, error) {
	var e validation.Error
	in.Title = e.Text("title", in.Title, true, MaxTitleLen)
	in.Description = e.LongText("description", in.Description, false, MaxDescriptionLen)
	if in.Language = strings.ToLower(strings.TrimSpace(in.Language)); in.Language == "" {
		in.Language = i18n.Default
	} else if !taxonomy.ValidLanguage(in.Language) {
		e.Add("language", "error.language", in.Language)
	}
	if in.Kind == "" {
		in.Kind = Webinar
	}
	in.Kind = e.OneOf("kind", in.Kind, true, Kinds...)
	if in.Status == "" {
		in.Status = Published
	}
	in.Status = e.OneOf("status", in.Status, true, Statuses...)
	if in.TimeZone = strings.TrimSpace(in.TimeZone); in.TimeZone == "" {
		e.Add("timezone", "error.required")
	} else if !taxonomy.ValidTimeZone(in.TimeZone) {
		e.Add("timezone", "error.timezone")
	}
	switch {
	case in.StartsAt.IsZero():
		e.Add("starts_at", "error.required")
	case in.EndsAt.IsZero():
		e.Add("ends_at", "error.required")
	case !in.EndsAt.After(in.StartsAt):
		e.Add("ends_at", "event.error.ends_before_start")
	case in.EndsAt.Sub(in.StartsAt) > MaxDuration:
		e.Add("ends_at", "event.error.too_long", int(MaxDuration.Hours()/24))
	}
	in.StartsAt, in.EndsAt = in.StartsAt.UTC().Truncate(time.Second), in.EndsAt.UTC().Truncate(time.Second)
	in.Languages = cleanLanguages(&e, "languages", in.Languages)
	in.Interpretation = cleanLanguages(&e, "interpretation_languages", in.Interpretation)
	in.JoinURL = checkURL(&e, "join_url", in.JoinURL)
	if in.Capacity < 0 || in.Capacity > MaxCapacity {
		e.Add("capacity", "event.error.capacity", MaxCapacity)
	}
	if !in.RegistrationDeadline.IsZero() {
		in.RegistrationDeadline = in.RegistrationDeadline.UTC().Truncate(time.Second)
		if !in.EndsAt.IsZero() && in.RegistrationDeadline.After(in.EndsAt) {
			e.Add("registration_deadline", "event.error.deadline_after_end")
		}
	}
	if in.CertificateShare == 0 {
		in.CertificateShare = DefaultCertificate
	}
	if in.CertificateShare < 1 || in.CertificateShare > 100 {
		e.Add("certificate_share", "event.error.certificate_share")
	}
	in.Speakers = cleanSpeakers(&e, in.Speakers)
	in.Materials = cleanMaterials(&e, in.Materials)
	in.Questions = cleanQuestions(&e, in.Questions)
	return in, e.Err()
}

func cleanLanguages(e *validation.Error, field string, langs []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, l := range langs {
		l = strings.ToLower(strings.TrimSpace(l))
		if l == "" || seen[l] {
			continue
		}
		if !taxonomy.ValidLanguage(l) {
			e.Add(field, "error.language", l)
			continue
		}
		seen[l] = true
		out = append(out, l)
	}
	if len(out) > MaxLanguages {
		e.Add(field, "error.too_many", MaxLanguages)
	}
	return out
}

// checkURL accepts an empty value or an absolute http(s) address.
func checkURL(e *validation.Error, field, raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	switch {
	case len(raw) > MaxURLLen:
		e.Add(field, "error.too_long", MaxURLLen)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || strings.ContainsAny(raw, " \t\r\n<>\"`"):
		e.Add(field, "event.error.url")
	}
	return raw
}

func cleanSpeakers(e *validation.Error, list []Speaker) []Speaker {
	out := []Speaker{}
	for i, s := range list {
		f := "speakers." + strconv.Itoa(i) + "."
		if strings.TrimSpace(s.Name+s.Title+s.Organization+s.Country) == "" {
			continue // an empty row of the form
		}
		if s.Role == "" {
			s.Role = RoleSpeaker
		}
		s.Role = e.OneOf(f+"role", s.Role, true, Roles...)
		s.Name = e.Text(f+"name", s.Name, true, maxPersonFieldLength)
		s.Title = e.Text(f+"title", s.Title, false, maxPersonFieldLength)
		s.Organization = e.Text(f+"organization", s.Organization, false, maxPersonFieldLength)
		if s.Country = strings.TrimSpace(s.Country); s.Country != "" {
			cc, ok := taxonomy.NormalizeCountry(s.Country)
			if !ok {
				e.Add(f+"country", "error.country")
			}
			s.Country = cc
		}
		out = append(out, s)
	}
	if len(out) > MaxSpeakers {
		e.Add("speakers", "error.too_many", MaxSpeakers)
	}
	return out
}

func cleanMaterials(e *validation.Error, list []Material) []Material {
	out := []Material{}
	for i, m := range list {
		f := "materials." + strconv.Itoa(i) + "."
		if strings.TrimSpace(m.Title+m.URL) == "" && m.ResourceID == 0 {
			continue
		}
		m.Title = e.Text(f+"title", m.Title, true, MaxTitleLen)
		m.URL = checkURL(e, f+"url", m.URL)
		switch {
		case m.ResourceID < 0:
			e.Add(f+"resource_id", "event.error.resource")
		case m.URL == "" && m.ResourceID == 0 && !e.Has(f+"url"):
			e.Add(f+"url", "event.error.material_link")
		}
		out = append(out, m)
	}
	if len(out) > MaxMaterials {
		e.Add("materials", "error.too_many", MaxMaterials)
	}
	return out
}

func cleanQuestions(e *validation.Error, list []Question) []Question {
	out := []Question{}
	seen := map[string]bool{}
	for i, q := range list {
		f := "questions." + strconv.Itoa(i) + "."
		if strings.TrimSpace(q.Key+q.Text+strings.Join(q.Options, "")) == "" {
			continue
		}
		q.Key = strings.ToLower(strings.TrimSpace(q.Key))
		switch {
		case q.Key == "":
			e.Add(f+"id", "error.required")
		case len(q.Key) > maxQuestionKeyLen || !questionKey.MatchString(q.Key):
			e.Add(f+"id", "event.error.question_key", maxQuestionKeyLen)
		case seen[q.Key] || standardField[q.Key]:
			e.Add(f+"id", "event.error.question_key_taken")
		}
		seen[q.Key] = true
		q.Text = e.Text(f+"text", q.Text, true, MaxQuestionLen)
		q.Type = e.OneOf(f+"type", q.Type, true, QuestionTypes...)
		if q.Type == SingleChoice || q.Type == MultipleChoice {
			var opts []string
			seenOpt := map[string]bool{}
			for _, o := range q.Options {
				var oe validation.Error
				o = oe.Text(f+"options", o, false, MaxOptionLen)
				if oe.Err() != nil {
					e.Add(f+"options", oe.Fields[f+"options"].Key, oe.Fields[f+"options"].Args...)
					continue
				}
				if o != "" && !seenOpt[o] {
					seenOpt[o] = true
					opts = append(opts, o)
				}
			}
			if len(opts) < 2 {
				e.Add(f+"options", "event.error.options_needed")
			}
			if len(opts) > MaxOptions {
				e.Add(f+"options", "error.too_many", MaxOptions)
			}
			q.Options = opts
		} else {
			q.Options = nil
		}
		out = append(out, q)
	}
	if len(out) > MaxQuestions {
		e.Add("questions", "error.too_many", MaxQuestions)
	}
	return out
}

// standardField names the fields every registration form has; a custom
// question may not take one of their names.
var standardField = map[string]bool{"name": true, "email": true, "country": true, "organization": true, "organization_type": true}

// ParseTime reads a date and time as the API takes it: RFC 3339 (with any
// offset), returned in UTC.
func ParseTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// ParseDay reads a YYYY-MM-DD day or an RFC 3339 time, as list filters take
// them. A day reads as its start in UTC; end tells the caller to take the
// day's end (an inclusive "to").
func ParseDay(s string, end bool) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if d, err := time.Parse("2006-01-02", s); err == nil {
		if end {
			return d.Add(24*time.Hour - time.Nanosecond), true
		}
		return d, true
	}
	return ParseTime(s)
}

// LocalTime reads a day (YYYY-MM-DD) and a time (HH:MM) typed into a form
// as a moment in the zone. A time that the zone skips (a daylight-saving
// gap) moves forward as the clocks do.
func LocalTime(day, clock string, loc *time.Location) (time.Time, bool) {
	d, err := time.Parse("2006-01-02", strings.TrimSpace(day))
	if err != nil {
		return time.Time{}, false
	}
	c, err := time.Parse("15:04", strings.TrimSpace(clock))
	if err != nil {
		return time.Time{}, false
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, loc)
	if t.Hour() != c.Hour() || t.Minute() != c.Minute() {
		// A skipped hour: Go may read 02:30 as 01:30 of the old offset;
		// move it on by the gap, to 03:30 of the new one.
		want := time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), 0, 0, time.UTC)
		got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
		t = t.Add(want.Sub(got))
	}
	return t, true
}

// ZoneCity names a time zone by its city, as people say "14:00 São Paulo":
// the last part of the IANA name without underscores.
func ZoneCity(zone string) string {
	if zone == "" || zone == "UTC" {
		return "UTC"
	}
	city := zone[strings.LastIndex(zone, "/")+1:]
	return strings.ReplaceAll(city, "_", " ")
}
