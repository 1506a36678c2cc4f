// Package library holds a community's knowledge library: publications,
// policy briefs, toolkits, recordings and other resources, each an uploaded
// file or a link, with the metadata readers filter by.
package library

import (
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/harambee/harambee/internal/account"
	"github.com/harambee/harambee/internal/taxonomy"
	"github.com/harambee/harambee/internal/validation"
)

// Kinds of resources, in the order forms list them.
var Kinds = []string{"publication", "policy_brief", "toolkit", "case_study", "evaluation", "presentation", "recording", "dataset", "other"}

// Limits.
const (
	MaxTitleLen   = 300
	MaxSummaryLen = 10000
	MaxListItems  = 30
	MaxURLLen     = 2000
)

// Resource is one item of a community's library.
type Resource struct {
	ID          int64
	CommunityID int64
	AddedBy     int64
	AddedByName string
	Kind        string
	Title       string
	Summary     string
	SummaryHTML string
	Authors     string
	Publisher   string
	PublishedOn string // YYYY, YYYY-MM or YYYY-MM-DD
	Year        int
	Language    string
	Licence     string
	URL         string
	FileKey     string
	FileName    string
	FileType    string
	FileSize    int64
	Countries   []string
	SDGs        []int
	Targets     []string
	Topics      []string
	HiddenAt    *time.Time
	DeletedAt   *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time

	Downloads int // computed from the download records
}

// HasFile reports whether the resource is an uploaded file rather than a
// link.
func (r Resource) HasFile() bool { return r.FileKey != "" }

// IsVideoLink reports whether the link points at a video site: it is shown
// as a link with the member's title, never as an embedded player, to spare
// bandwidth; nothing is fetched from the site.
func (r Resource) IsVideoLink() bool {
	u, err := url.Parse(r.URL)
	if err != nil {
		return false
	}
	h := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	return h == "youtube.com" || h == "youtu.be" || h == "m.youtube.com" || h == "vimeo.com"
}

// Input is what a member fills in to add or change a resource. The file,
// when there is one, comes separately.
type Input struct {
	Kind        string
	Title       string
	Summary     string
	Authors     string
	Publisher   string
	PublishedOn string
	Language    string
	Licence     string
	URL         string
	Countries   []string
	SDGs        []int
	Targets     []string
	Topics      []string
	// CreatedAt dates a resource imported with its history (the demo).
	CreatedAt time.Time
}

// Validate checks the metadata; hasFile tells whether a file comes with it,
// since a resource needs a file or a link.
func (in Input) Validate(hasFile bool) (Input, error) {
	var e validation.Error
	if in.Kind == "" {
		in.Kind = "other"
	}
	in.Kind = e.OneOf("kind", in.Kind, true, Kinds...)
	in.Title = e.Text("title", in.Title, true, MaxTitleLen)
	in.Summary = e.LongText("summary", in.Summary, false, MaxSummaryLen)
	in.Authors = e.Text("authors", in.Authors, false, 500)
	in.Publisher = e.Text("publisher", in.Publisher, false, 300)
	in.Licence = e.Text("licence", in.Licence, false, 200)
	if in.PublishedOn = strings.TrimSpace(in.PublishedOn); in.PublishedOn != "" && publishedYear(in.PublishedOn) == 0 {
		e.Add("published_on", "library.error.published_on")
	}
	if in.Language = strings.ToLower(strings.TrimSpace(in.Language)); in.Language == "" {
		e.Add("language", "error.required")
	} else if !taxonomy.ValidLanguage(in.Language) {
		e.Add("language", "error.language", in.Language)
	}
	in.URL = strings.TrimSpace(in.URL)
	switch {
	case in.URL == "" && !hasFile:
		e.Add("url", "library.error.file_or_url")
	case in.URL != "" && hasFile:
		e.Add("url", "library.error.file_and_url")
	case in.URL != "":
		u, err := url.Parse(in.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.URL) > MaxURLLen || strings.ContainsAny(in.URL, " \r\n\t\"<>") {
			e.Add("url", "library.error.url")
		}
	}
	var countries []string
	seen := map[string]bool{}
	for _, c := range in.Countries {
		cc, ok := taxonomy.NormalizeCountry(c)
		if !ok {
			e.Add("countries", "error.country")
			continue
		}
		if !seen[cc] {
			seen[cc] = true
			countries = append(countries, cc)
		}
	}
	in.Countries = countries
	var sdgs []int
	seenG := map[int]bool{}
	for _, g := range in.SDGs {
		if !taxonomy.ValidGoal(g) {
			e.Add("sdgs", "error.sdg")
			continue
		}
		if !seenG[g] {
			seenG[g] = true
			sdgs = append(sdgs, g)
		}
	}
	in.SDGs = sdgs
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
	in.Targets = targets
	var topics []string
	seenK := map[string]bool{}
	for _, t := range in.Topics {
		var te validation.Error
		t = te.Text("topics", t, false, account.MaxTagLen)
		if te.Err() != nil {
			e.Add("topics", te.Fields["topics"].Key, te.Fields["topics"].Args...)
			continue
		}
		if k := account.TagKey(t); t != "" && !seenK[k] {
			seenK[k] = true
			topics = append(topics, t)
		}
	}
	in.Topics = topics
	for _, l := range []struct {
		name string
		n    int
	}{{"countries", len(in.Countries)}, {"sdgs", len(in.SDGs)}, {"sdg_targets", len(in.Targets)}, {"topics", len(in.Topics)}} {
		if l.n > MaxListItems {
			e.Add(l.name, "error.too_many", MaxListItems)
		}
	}
	return in, e.Err()
}

// publishedYear reads the year of YYYY, YYYY-MM or YYYY-MM-DD, 0 when the
// text is none of them.
func publishedYear(s string) int {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			if t.Year() < 1900 || t.After(time.Now().AddDate(1, 0, 0)) {
				return 0
			}
			return t.Year()
		}
	}
	return 0
}

// CleanFileName keeps a file name people recognise while making it safe to
// store and to send back in a header: no directories, no control or
// reserved characters, at most 120 characters, an extension kept.
func CleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base(name)
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "")
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), strings.ContainsRune(`/\:*?"<>|;`, r):
			return '_'
		}
		return r
	}, name)
	name = strings.Trim(strings.TrimSpace(name), ". ")
	if name == "" {
		name = "file"
	}
	if r := []rune(name); len(r) > 120 {
		ext := path.Ext(name)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		name = string(r[:120-len([]rune(ext))]) + ext
	}
	return name
}
