package analytics

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// Defaults of a Recorder.
const (
	DefaultBuffer   = 8192            // views waiting to be written
	DefaultBatch    = 500             // views written in one transaction at most
	DefaultInterval = 2 * time.Second // how long a view waits at most before it is written
)

// RecorderOptions tune a Recorder; zero values take the defaults.
type RecorderOptions struct {
	Buffer   int
	Batch    int
	Interval time.Duration
	// Secret, when set, derives each day's salt from it, so that several
	// instances agree on the day's visitors (see salter for the
	// trade-off). Empty: a random salt per instance and day, in memory.
	Secret []byte
	Log    *slog.Logger
}

// pending is a view waiting to be written, with what the writer still has
// to find out: the community its target belongs to, and whether its
// logged-in visitor is a member.
type pending struct {
	view   View
	target Target
	userID int64
}

// Recorder counts page views: Record never blocks, and one goroutine
// writes them in batches. Start it once; Stop writes what is pending.
type Recorder struct {
	db       *sqldb.DB
	opt      RecorderOptions
	salt     *salter
	queue    chan pending
	flushReq chan chan error
	stop     chan struct{}
	done     chan struct{}
	stopped  atomic.Bool
	dropped  atomic.Int64
	start    sync.Once
}

// NewRecorder returns a recorder that writes to db.
func NewRecorder(db *sqldb.DB, opt RecorderOptions) *Recorder {
	if opt.Buffer <= 0 {
		opt.Buffer = DefaultBuffer
	}
	if opt.Batch <= 0 {
		opt.Batch = DefaultBatch
	}
	if opt.Interval <= 0 {
		opt.Interval = DefaultInterval
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	return &Recorder{
		db: db, opt: opt, salt: &salter{secret: opt.Secret},
		queue: make(chan pending, opt.Buffer), flushReq: make(chan chan error),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// Record takes a page view for writing and reports whether it was taken. It
// never waits: when the buffer is full (the database cannot keep up) the
// view is dropped and counted, and the writer logs how many were.
func (r *Recorder) Record(h Hit) bool {
	if r == nil || r.stopped.Load() {
		return false
	}
	at := h.At
	if at.IsZero() {
		at = time.Now()
	}
	path, target := Classify(h.Path)
	p := pending{
		view: View{
			Day: Day(at), Path: path, ObjectKind: target.Kind, ObjectID: target.ID,
			ReferrerHost: ReferrerHost(h.Referrer, h.Host),
			Visitor:      r.salt.visitor(at, h.UserID, h.Addr, h.UserAgent),
			Audience:     Anonymous,
		},
		target: target,
		userID: h.UserID,
	}
	if h.UserID != 0 {
		p.view.Audience, p.view.Country, p.view.OrganizationType = Account, h.Country, h.OrganizationType
	}
	select {
	case r.queue <- p:
		return true
	default:
		r.dropped.Add(1)
		return false
	}
}

// Dropped is how many views were dropped because the buffer was full.
func (r *Recorder) Dropped() int64 {
	if r == nil {
		return 0
	}
	return r.dropped.Load()
}

// Start runs the writer until Stop.
func (r *Recorder) Start() {
	r.start.Do(func() { go r.run() })
}

// Flush writes every view taken so far and returns when they are stored.
func (r *Recorder) Flush(ctx context.Context) error {
	reply := make(chan error, 1)
	select {
	case r.flushReq <- reply:
	case <-r.done:
		return errors.New("page view recorder stopped")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-reply:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stop takes no more views, writes those pending and returns when they are
// stored or ctx ends.
func (r *Recorder) Stop(ctx context.Context) error {
	if r.stopped.Swap(true) {
		<-r.done
		return nil
	}
	r.Start() // a recorder never started still writes what it took
	close(r.stop)
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (r *Recorder) run() {
	defer close(r.done)
	tick := time.NewTicker(r.opt.Interval)
	defer tick.Stop()
	batch := make([]pending, 0, r.opt.Batch)
	var reported int64
	write := func() error {
		if len(batch) == 0 {
			return nil
		}
		// The writes outlive the request that caused them, and a stop
		// must not cut them short half-way.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		err := NewStore(r.db).write(ctx, batch)
		if err != nil {
			r.opt.Log.Error("page views not written", "count", len(batch), "err", err)
		}
		batch = batch[:0]
		if d := r.dropped.Load(); d > reported {
			r.opt.Log.Warn("page views dropped: the buffer was full", "dropped", d-reported, "total_dropped", d)
			reported = d
		}
		return err
	}
	drain := func() error {
		var err error
		for {
			select {
			case p := <-r.queue:
				batch = append(batch, p)
				if len(batch) >= r.opt.Batch {
					err = errors.Join(err, write())
				}
			default:
				return errors.Join(err, write())
			}
		}
	}
	for {
		select {
		case p := <-r.queue:
			batch = append(batch, p)
			if len(batch) >= r.opt.Batch {
				write()
			}
		case <-tick.C:
			write()
		case reply := <-r.flushReq:
			reply <- drain()
		case <-r.stop:
			drain()
			return
		}
	}
}
