package analytics

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"sync"
	"time"
)

// salter gives the salt of the visitor hash for a day.
//
// Without a secret the salt is random, made when the day's first view
// arrives and kept only in this instance's memory; when the day changes it
// is replaced and the old one is lost, so nobody (not even an operator with
// the database) can tell whether two days' visitors were the same person,
// or recompute a hash from an address. The cost: instances behind one load
// balancer each have their own salt, so a visitor whose requests reach two
// instances counts as two visitors that day.
//
// With a secret (HARAMBEE_ANALYTICS_SECRET, the same on every instance)
// the salt is HMAC-SHA256(secret, day): every instance agrees, so visitors
// count once however requests are spread. The trade-off: whoever holds the
// secret can recompute any past day's salt and test guesses of an address
// and browser against the stored hashes, so the secret must be kept out of
// the database, and the hashes are then pseudonymous rather than
// unlinkable. Leave it unset on a single instance.
type salter struct {
	secret []byte
	mu     sync.Mutex
	day    int64 // days since the epoch of the current salt
	salt   [32]byte
}

func (s *salter) saltFor(t time.Time) [32]byte {
	day := t.UTC().Unix() / 86400
	if len(s.secret) > 0 {
		m := hmac.New(sha256.New, s.secret)
		m.Write([]byte("harambee visitor salt " + strconv.FormatInt(day, 10)))
		var out [32]byte
		copy(out[:], m.Sum(nil))
		return out
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if day != s.day {
		// A view of another day (a request that straddled midnight)
		// gets a new salt too; the old one is dropped either way.
		s.day = day
		rand.Read(s.salt[:])
	}
	return s.salt
}

// visitor returns the day's hash of a visitor: a logged-in member by their
// account (so that their phone and laptop count once), anyone else by their
// address and user agent.
func (s *salter) visitor(t time.Time, userID int64, addr, userAgent string) int64 {
	salt := s.saltFor(t)
	m := hmac.New(sha256.New, salt[:])
	if userID != 0 {
		m.Write([]byte("u:" + strconv.FormatInt(userID, 10)))
	} else {
		m.Write([]byte("a:" + addr + "\x00" + userAgent))
	}
	return int64(binary.BigEndian.Uint64(m.Sum(nil)[:8]))
}
