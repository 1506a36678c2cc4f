package jsonapi

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/notify"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

func (s *Server) registerNotifications() {
	s.handle("GET /api/v1/notifications", member, s.listNotifications)
	s.handle("POST /api/v1/notifications/read", member, s.readNotifications)
	s.handle("GET /api/v1/me/notification-settings", member, s.getNotificationSettings)
	s.handle("PUT /api/v1/me/notification-settings", member, s.putNotificationSettings)
}

// notificationJSON is an in-app notification.
type notificationJSON struct {
	ID          int64      `json:"id"`
	Category    string     `json:"category"`
	CommunityID *int64     `json:"community_id"`
	Title       string     `json:"title"`
	Body        string     `json:"body"`
	URL         string     `json:"url"`
	CreatedAt   time.Time  `json:"created_at"`
	ReadAt      *time.Time `json:"read_at"`
}

func (s *Server) toNotificationJSON(n notify.Notification) notificationJSON {
	j := notificationJSON{ID: n.ID, Category: n.Category, Title: n.Title, Body: n.Body, CreatedAt: n.CreatedAt.UTC()}
	if n.CommunityID != 0 {
		id := n.CommunityID
		j.CommunityID = &id
	}
	if n.URL != "" {
		j.URL = strings.TrimRight(s.cfg.BaseURL, "/") + n.URL
	}
	if n.ReadAt != nil {
		t := n.ReadAt.UTC()
		j.ReadAt = &t
	}
	return j
}

func (s *Server) listNotifications(w http.ResponseWriter, r *http.Request, c *call) error {
	page, perPage, err := pageParams(r, c)
	if err != nil {
		return err
	}
	unread := false
	switch r.URL.Query().Get("unread") {
	case "", "false":
	case "true":
		unread = true
	default:
		return validation.Field("unread", "notify.error.boolean")
	}
	list, total, err := notify.NewInbox(s.db).List(r.Context(), c.user.ID, unread, perPage, (page-1)*perPage)
	if err != nil {
		return err
	}
	items := make([]notificationJSON, len(list))
	for i, n := range list {
		items[i] = s.toNotificationJSON(n)
	}
	return writeJSON(w, http.StatusOK, newList(items, total, page, perPage))
}

// readNotifications marks notifications read: those listed, or all.
func (s *Server) readNotifications(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		IDs []int64 `json:"ids"`
	}
	if r.ContentLength != 0 {
		if err := decode(r, c, &in); err != nil {
			return err
		}
	}
	if len(in.IDs) > 1000 {
		return validation.Field("ids", "notify.error.too_many")
	}
	n, err := notify.NewInbox(s.db).MarkRead(r.Context(), c.user.ID, in.IDs)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"marked": n})
}

// notificationSettingsJSON is what a member receives by e-mail: the
// delivery of each category they choose, and how often each of their
// communities' news comes.
type notificationSettingsJSON struct {
	Categories  map[string]string     `json:"categories"`
	Communities []communityDigestJSON `json:"communities"`
}

type communityDigestJSON struct {
	Community string `json:"community"`
	Name      string `json:"name"`
	Frequency string `json:"frequency"`
}

func (s *Server) notificationSettings(r *http.Request, userID int64) (notificationSettingsJSON, error) {
	st := notify.NewSettings(s.db)
	deliveries, err := st.Deliveries(r.Context(), userID, notify.Categories)
	if err != nil {
		return notificationSettingsJSON{}, err
	}
	communities, err := st.Communities(r.Context(), userID)
	if err != nil {
		return notificationSettingsJSON{}, err
	}
	out := notificationSettingsJSON{Categories: make(map[string]string, len(deliveries)), Communities: []communityDigestJSON{}}
	for k, d := range deliveries {
		out.Categories[k] = string(d)
	}
	for _, c := range communities {
		out.Communities = append(out.Communities, communityDigestJSON{Community: c.Slug, Name: c.Name, Frequency: string(c.Frequency)})
	}
	return out, nil
}

func (s *Server) getNotificationSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	out, err := s.notificationSettings(r, c.user.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}

// putNotificationSettings changes the categories and communities given;
// those left out keep their setting.
func (s *Server) putNotificationSettings(w http.ResponseWriter, r *http.Request, c *call) error {
	var in struct {
		Categories  map[string]string `json:"categories"`
		Communities map[string]string `json:"communities"` // slug -> frequency
	}
	if err := decode(r, c, &in); err != nil {
		return err
	}
	var e validation.Error
	for key, d := range in.Categories {
		cat, ok := notify.Lookup(key)
		switch {
		case !ok:
			e.Add("categories."+key, "notify.error.category")
		case cat.Transactional:
			e.Add("categories."+key, "notify.error.transactional")
		case !cat.Allows(notify.Delivery(d)):
			e.Add("categories."+key, "notify.error.delivery")
		}
	}
	ids := map[string]int64{}
	if len(in.Communities) > 0 {
		mine, err := notify.NewSettings(s.db).Communities(r.Context(), c.user.ID)
		if err != nil {
			return err
		}
		for _, m := range mine {
			ids[m.Slug] = m.CommunityID
		}
	}
	for slug, f := range in.Communities {
		switch {
		case ids[slug] == 0:
			e.Add("communities."+slug, "notify.error.community")
		case !notify.Frequency(f).Valid():
			e.Add("communities."+slug, "notify.error.frequency")
		}
	}
	if err := e.Err(); err != nil {
		return err
	}
	err := s.db.InTx(r.Context(), func(tx *sqldb.Tx) error {
		st := notify.NewSettings(tx)
		for key, d := range in.Categories {
			cat, _ := notify.Lookup(key)
			if err := st.SetDelivery(r.Context(), c.user.ID, cat, notify.Delivery(d)); err != nil {
				return err
			}
		}
		for slug, f := range in.Communities {
			err := st.SetFrequency(r.Context(), c.user.ID, ids[slug], notify.Frequency(f))
			if errors.Is(err, notify.ErrNotMember) {
				return validation.Field("communities."+slug, "notify.error.community")
			}
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	out, err := s.notificationSettings(r, c.user.ID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, out)
}
