// Package bench is Harambee's load benchmark: it drives a running server
// over loopback with the mix of a real platform (anonymous and logged-in
// readers, members who post and people who register for webinars) and
// reports throughput, latency percentiles per route, errors and the
// server's peak memory.
//
// In the same run it measures the machine's limit: a bare net/http handler
// that serves a page's bytes from memory, in a process of its own as the
// server is, and the community home page rendered from data held in
// memory. Absolute figures move with whatever else the machine does; the
// ratio of a route to the limit measured a few seconds before it does
// not, or far less.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/harambee/harambee/internal/sqldb"
)

// Config is one benchmark run.
type Config struct {
	BaseURL  string        // the server, http://127.0.0.1:8080
	DB       *sqldb.DB     // the server's database, read once to pick pages
	Duration time.Duration // of the mixed run
	Solo     time.Duration // of each single-page run against its limit
	Clients  int
	PID      int // the server's process, for its memory; 0: not measured
	Email    string
	Password string
	// RenderLimit, when set, serves the community home page of slug
	// rendered from data loaded once: the cost of the page without the
	// database.
	RenderLimit func(ctx context.Context, slug string) (http.Handler, error)
	Seed        uint64
	// Exclude leaves routes out of the mixed run, to see what one costs
	// the others.
	Exclude []string
}

// Stats are one route's figures.
type Stats struct {
	Route    string  `json:"route"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"`
	RPS      float64 `json:"rps"`
	P50      float64 `json:"p50_ms"`
	P95      float64 `json:"p95_ms"`
	P99      float64 `json:"p99_ms"`
	Bytes    int     `json:"bytes"` // of the last answer, as sent (compressed)
	// For the solo runs: the bare limit for the same bytes, and the ratio.
	LimitRPS float64 `json:"limit_rps,omitempty"`
	Ratio    float64 `json:"ratio_to_limit,omitempty"`
}

// Report is what a run measured.
type Report struct {
	Engine    string  `json:"engine"`
	Clients   int     `json:"clients"`
	Seconds   float64 `json:"seconds"`
	Requests  int     `json:"requests"`
	Errors    int     `json:"errors"`
	RPS       float64 `json:"rps"`
	PeakRSSMB float64 `json:"server_peak_rss_mb,omitempty"`
	// HWMMB is the kernel's high-water mark of the server's resident
	// memory since it started (VmHWM).
	HWMMB  float64 `json:"server_vmhwm_mb,omitempty"`
	Routes []Stats `json:"routes"`
	// Solo: each key page alone, with the bare limit for its bytes.
	Solo []Stats `json:"solo"`
	// Render: the community home rendered from memory (templ and gzip, no
	// database), served from the benchmark's own process, with its ratio
	// to the bare limit in that process.
	Render *Stats `json:"render_from_memory,omitempty"`
	// ErrorSamples tells what went wrong, a few of each route.
	ErrorSamples []string `json:"error_samples,omitempty"`
}

// request is one request of the mix.
type request struct {
	route  string
	method string
	path   string
	form   url.Values
	logged bool
}

// targets are the pages the run reads, picked from the database.
type targets struct {
	slug       string // the largest public community
	threads    []int64
	solutions  []int64
	events     []int64 // still to come: open for registration
	pastEvents []int64
}

func pickTargets(ctx context.Context, db *sqldb.DB) (targets, error) {
	var t targets
	err := db.QueryRow(ctx, `SELECT c.slug FROM communities c WHERE c.visibility = 'public'
		ORDER BY (SELECT COUNT(*) FROM memberships m WHERE m.community_id = c.id) DESC, c.id LIMIT 1`).Scan(&t.slug)
	if err != nil {
		return t, fmt.Errorf("pick a community: %w (is the database generated?)", err)
	}
	ids := func(q string, args ...any) ([]int64, error) {
		rows, err := db.Query(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	// The long threads (50 replies) of public communities.
	if t.threads, err = ids(`SELECT p.thread_id FROM posts p JOIN threads t ON t.id = p.thread_id JOIN communities c ON c.id = t.community_id
		WHERE c.visibility = 'public' GROUP BY p.thread_id HAVING COUNT(*) >= 50 ORDER BY p.thread_id LIMIT 100`); err != nil {
		return t, err
	}
	if len(t.threads) == 0 {
		if t.threads, err = ids(`SELECT t.id FROM threads t JOIN communities c ON c.id = t.community_id WHERE c.visibility = 'public' ORDER BY t.id LIMIT 100`); err != nil {
			return t, err
		}
	}
	if t.solutions, err = ids(`SELECT id FROM solutions ORDER BY id LIMIT 200`); err != nil {
		return t, err
	}
	now := time.Now().UTC()
	if t.events, err = ids(`SELECT e.id FROM events e JOIN communities c ON c.id = e.community_id
		WHERE c.visibility = 'public' AND e.status = 'published' AND e.starts_at > ? ORDER BY e.starts_at LIMIT 100`, now); err != nil {
		return t, err
	}
	if t.pastEvents, err = ids(`SELECT e.id FROM events e JOIN communities c ON c.id = e.community_id
		WHERE c.visibility = 'public' AND e.status = 'published' AND e.starts_at <= ? ORDER BY e.starts_at DESC LIMIT 100`, now); err != nil {
		return t, err
	}
	if len(t.threads) == 0 || len(t.solutions) == 0 || len(t.events)+len(t.pastEvents) == 0 {
		return t, errors.New("the database has no public threads, solutions or events to read: run harambee generate first")
	}
	return t, nil
}

// weighted is one entry of the mix.
type weighted struct {
	weight int
	make   func(rng *rand.Rand, n int64) request
}

func (t targets) mix(runID string) []weighted {
	c := "/communities/" + t.slug
	thread := func(rng *rand.Rand) string {
		return "/threads/" + strconv.FormatInt(t.threads[rng.IntN(len(t.threads))], 10)
	}
	sol := func(rng *rand.Rand) string {
		return "/solutions/" + strconv.FormatInt(t.solutions[rng.IntN(len(t.solutions))], 10)
	}
	allEvents := append(slices.Clone(t.events), t.pastEvents...)
	ev := func(rng *rand.Rand) string {
		return "/events/" + strconv.FormatInt(allEvents[rng.IntN(len(allEvents))], 10)
	}
	get := func(route, path string, logged bool) request {
		return request{route: route, method: http.MethodGet, path: path, logged: logged}
	}
	words := []string{"hospital", "registry", "vaccination", "transfers", "clinics", "health"}
	m := []weighted{
		{8, func(rng *rand.Rand, _ int64) request { return get("anon home", "/", false) }},
		{12, func(rng *rand.Rand, _ int64) request { return get("anon community", c, false) }},
		{15, func(rng *rand.Rand, _ int64) request { return get("anon thread", thread(rng), false) }},
		{5, func(rng *rand.Rand, _ int64) request {
			return get("anon library facet", c+"/library?kind=toolkit", false)
		}},
		{8, func(rng *rand.Rand, _ int64) request { return get("anon solution", sol(rng), false) }},
		{8, func(rng *rand.Rand, _ int64) request { return get("anon event", ev(rng), false) }},
		{5, func(rng *rand.Rand, _ int64) request {
			return get("anon search", "/search?q="+words[rng.IntN(len(words))], false)
		}},
		{3, func(rng *rand.Rand, _ int64) request { return get("member home", "/", true) }},
		{4, func(rng *rand.Rand, _ int64) request { return get("member community", c, true) }},
		{5, func(rng *rand.Rand, _ int64) request { return get("member thread", thread(rng), true) }},
		{2, func(rng *rand.Rand, _ int64) request { return get("member solution", sol(rng), true) }},
		{2, func(rng *rand.Rand, _ int64) request { return get("member event", ev(rng), true) }},
		{2, func(rng *rand.Rand, _ int64) request {
			return get("member search", "/search?q="+words[rng.IntN(len(words))], true)
		}},
		{3, func(rng *rand.Rand, _ int64) request { return get("member directory", "/members?country=BR", true) }},
		{1, func(rng *rand.Rand, _ int64) request { return get("community report", c+"/report", true) }},
		{3, func(rng *rand.Rand, n int64) request {
			return request{route: "write post", method: http.MethodPost, path: thread(rng) + "/posts", logged: true,
				form: url.Values{"body": {fmt.Sprintf("A reply from the load benchmark (%s, %d): which **district** did you start in?", runID, n)}}}
		}},
	}
	if len(t.events) > 0 {
		m = append(m, weighted{3, func(rng *rand.Rand, n int64) request {
			id := strconv.FormatInt(t.events[rng.IntN(len(t.events))], 10)
			return request{route: "write registration", method: http.MethodPost, path: "/events/" + id + "/register",
				form: url.Values{"name": {"Bench Registrant"}, "email": {fmt.Sprintf("bench-%s-%d@bench.example", runID, n)}, "country": {"BR"},
					"organization": {"Benchmark"}, "organization_type": {"ngo"}, "answers.sector": {"Health"}}}
		}})
	}
	return m
}

// client sends requests the way a browser does: gzip accepted (and left
// compressed: we count bytes, we do not read them), redirects not followed.
func newClient(clients int) *http.Client {
	tr := &http.Transport{MaxIdleConns: clients * 2, MaxIdleConnsPerHost: clients * 2, DisableCompression: true, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

type sample struct {
	route string
	took  time.Duration
	ok    bool
	size  int
	why   string
}

func do(ctx context.Context, hc *http.Client, base, cookie string, rq request) sample {
	var body io.Reader
	if rq.form != nil {
		body = strings.NewReader(rq.form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, rq.method, base+rq.path, body)
	if err != nil {
		return sample{route: rq.route, why: err.Error()}
	}
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Accept-Language", "en")
	if rq.form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if rq.logged && cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return sample{route: rq.route, took: time.Since(start), why: err.Error()}
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	took := time.Since(start)
	ok := resp.StatusCode < 400
	why := ""
	if !ok {
		why = fmt.Sprintf("%s %s: %d", rq.method, rq.path, resp.StatusCode)
	}
	return sample{route: rq.route, took: took, ok: ok, size: int(n), why: why}
}

// load runs clients for d, each sending next() in a loop, and returns the
// samples and the time it took.
func load(ctx context.Context, hc *http.Client, base, cookie string, clients int, d time.Duration, next func(rng *rand.Rand, n int64) request, seed uint64) ([]sample, time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu  sync.Mutex
		all []sample
		wg  sync.WaitGroup
		seq atomic.Int64
	)
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(i)))
			var mine []sample
			for ctx.Err() == nil {
				s := do(ctx, hc, base, cookie, next(rng, seq.Add(1)))
				if ctx.Err() != nil && !s.ok {
					break // cut off by the end of the run, not a failure
				}
				mine = append(mine, s)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return all, time.Since(start)
}

func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted)-1) * p)
	return float64(sorted[i].Microseconds()) / 1000
}

// summarize turns samples into per-route figures, in the mix's order.
func summarize(samples []sample, took time.Duration) ([]Stats, []string) {
	by := map[string][]sample{}
	var order []string
	for _, s := range samples {
		if _, ok := by[s.route]; !ok {
			order = append(order, s.route)
		}
		by[s.route] = append(by[s.route], s)
	}
	slices.Sort(order)
	var out []Stats
	var why []string
	for _, route := range order {
		list := by[route]
		d := make([]time.Duration, len(list))
		st := Stats{Route: route, Requests: len(list)}
		shown := 0
		for i, s := range list {
			d[i] = s.took
			if !s.ok {
				st.Errors++
				if shown < 3 {
					why = append(why, route+": "+s.why)
					shown++
				}
			} else {
				st.Bytes = s.size
			}
		}
		slices.Sort(d)
		st.RPS = float64(len(list)) / took.Seconds()
		st.P50, st.P95, st.P99 = percentile(d, 0.50), percentile(d, 0.95), percentile(d, 0.99)
		out = append(out, st)
	}
	return out, why
}

// serveBytes is the bare limit: the same answer, from memory.
func serveBytes(body []byte, gzipped bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "text/html; charset=utf-8")
		if gzipped {
			h.Set("Content-Encoding", "gzip")
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
}

// listen serves h on a loopback port until the returned func is called.
func listen(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// fetch returns a page's body as sent and whether it was gzipped.
func fetch(ctx context.Context, hc *http.Client, base, cookie, path string) ([]byte, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	if err != nil {
		return nil, false, err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.Set("Accept-Language", "en")
	if cookie != "" {
		req.Header.Set("Cookie", cookie)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return nil, false, fmt.Errorf("GET %s: %d", path, resp.StatusCode)
	}
	return body, resp.Header.Get("Content-Encoding") == "gzip", err
}

// login opens a session and returns its cookie.
func login(ctx context.Context, hc *http.Client, base, email, password string) (string, error) {
	form := url.Values{"email": {email}, "password": {password}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return "", err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var parts []string
	for _, c := range resp.Cookies() {
		parts = append(parts, c.Name+"="+c.Value)
	}
	if resp.StatusCode != http.StatusSeeOther || len(parts) == 0 {
		return "", fmt.Errorf("log in as %s: status %d (is the password right?)", email, resp.StatusCode)
	}
	return strings.Join(parts, "; "), nil
}

// memory reads a process's resident memory and its high-water mark, in MB.
func memory(pid int) (rss, hwm float64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

// Run runs the benchmark.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if cfg.Clients <= 0 {
		cfg.Clients = 32
	}
	if cfg.Solo <= 0 {
		cfg.Solo = 5 * time.Second
	}
	rep := Report{Engine: cfg.DB.Dialect().String(), Clients: cfg.Clients}
	t, err := pickTargets(ctx, cfg.DB)
	if err != nil {
		return rep, err
	}
	hc := newClient(cfg.Clients)
	defer hc.CloseIdleConnections()
	cookie, err := login(ctx, hc, cfg.BaseURL, cfg.Email, cfg.Password)
	if err != nil {
		return rep, err
	}
	runID := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)

	// Solo runs: each key page alone, then the bare limit for its bytes.
	type solo struct {
		route, path string
		logged      bool
	}
	solos := []solo{
		{"anon community", "/communities/" + t.slug, false},
		{"anon thread", "/threads/" + strconv.FormatInt(t.threads[0], 10), false},
		{"anon solution", "/solutions/" + strconv.FormatInt(t.solutions[0], 10), false},
		{"member community", "/communities/" + t.slug, true},
		{"member thread", "/threads/" + strconv.FormatInt(t.threads[0], 10), true},
	}
	if ev := append(slices.Clone(t.events), t.pastEvents...); len(ev) > 0 {
		solos = slices.Insert(solos, 3, solo{"anon event", "/events/" + strconv.FormatInt(ev[0], 10), false})
	}
	for _, s := range solos {
		c := ""
		if s.logged {
			c = cookie
		}
		body, gz, err := fetch(ctx, hc, cfg.BaseURL, c, s.path)
		if err != nil {
			return rep, err
		}
		samples, took := load(ctx, hc, cfg.BaseURL, c, cfg.Clients, cfg.Solo, func(*rand.Rand, int64) request {
			return request{route: s.route, method: http.MethodGet, path: s.path, logged: s.logged}
		}, cfg.Seed)
		st, why := summarize(samples, took)
		rep.ErrorSamples = append(rep.ErrorSamples, why...)
		limit, err := bareLimit(ctx, hc, cfg, body, gz, false)
		if err != nil {
			return rep, err
		}
		if len(st) == 1 {
			st[0].LimitRPS = limit.RPS
			st[0].Ratio = st[0].RPS / limit.RPS
			rep.Solo = append(rep.Solo, st[0])
		}
		if s.route == "anon community" && cfg.RenderLimit != nil {
			// The page rendered from memory is served from this process:
			// its limit is the bare handler's in this process too.
			local, err := bareLimit(ctx, hc, cfg, body, gz, true)
			if err != nil {
				return rep, err
			}
			h, err := cfg.RenderLimit(ctx, t.slug)
			if err != nil {
				return rep, err
			}
			base, stop, err := listen(h)
			if err != nil {
				return rep, err
			}
			samples, took := load(ctx, hc, base, "", cfg.Clients, cfg.Solo, func(*rand.Rand, int64) request {
				return request{route: "render from memory", method: http.MethodGet, path: "/"}
			}, cfg.Seed)
			stop()
			st, _ := summarize(samples, took)
			if len(st) == 1 {
				st[0].LimitRPS = local.RPS
				st[0].Ratio = st[0].RPS / local.RPS
				rep.Render = &st[0]
			}
		}
	}

	// The mixed run, with the server's memory sampled every second.
	var mix []weighted
	for _, m := range t.mix(runID) {
		if !slices.Contains(cfg.Exclude, m.make(rand.New(rand.NewPCG(1, 1)), 0).route) {
			mix = append(mix, m)
		}
	}
	total := 0
	for _, m := range mix {
		total += m.weight
	}
	var peak atomic.Uint64
	memDone := make(chan struct{})
	memStop := make(chan struct{})
	go func() {
		defer close(memDone)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			if cfg.PID > 0 {
				if rss, _ := memory(cfg.PID); uint64(rss) > peak.Load() {
					peak.Store(uint64(rss))
				}
			}
			select {
			case <-memStop:
				return
			case <-tick.C:
			}
		}
	}()
	samples, took := load(ctx, hc, cfg.BaseURL, cookie, cfg.Clients, cfg.Duration, func(rng *rand.Rand, n int64) request {
		x := rng.IntN(total)
		for _, m := range mix {
			if x < m.weight {
				return m.make(rng, n)
			}
			x -= m.weight
		}
		return mix[0].make(rng, n)
	}, cfg.Seed+1)
	close(memStop)
	<-memDone
	routes, why := summarize(samples, took)
	rep.Routes = routes
	rep.ErrorSamples = append(rep.ErrorSamples, why...)
	rep.Seconds = took.Seconds()
	for _, r := range routes {
		rep.Requests += r.Requests
		rep.Errors += r.Errors
	}
	rep.RPS = float64(rep.Requests) / took.Seconds()
	if cfg.PID > 0 {
		rss, hwm := memory(cfg.PID)
		rep.PeakRSSMB, rep.HWMMB = max(float64(peak.Load()), rss), hwm
	}
	return rep, nil
}

// bareLimit measures a net/http handler that serves body from memory, in a
// process of its own (bareProcess) or, with inProcess, in this one.
//
// The limit a server is compared with runs as the server does, in another
// process than the load generator: a handler in the load generator's own
// process answered 42,000 to 46,000 requests a second for a 2 KB page
// where the same handler in another process answered 34,600 to 35,200 (two
// cores; the two processes' schedulers share them, one process's does
// not), so the server was charged for being another process.
func bareLimit(ctx context.Context, hc *http.Client, cfg Config, body []byte, gz, inProcess bool) (Stats, error) {
	start := bareProcess
	if inProcess {
		start = func(_ context.Context, body []byte, gz bool) (string, func(), error) {
			return listen(serveBytes(body, gz))
		}
	}
	base, stop, err := start(ctx, body, gz)
	if err != nil {
		return Stats{}, err
	}
	defer stop()
	samples, took := load(ctx, hc, base, "", cfg.Clients, cfg.Solo, func(*rand.Rand, int64) request {
		return request{route: "bare", method: http.MethodGet, path: "/"}
	}, cfg.Seed)
	st, _ := summarize(samples, took)
	if len(st) != 1 || st[0].RPS == 0 {
		return Stats{}, errors.New("the bare limit answered nothing")
	}
	return st[0], nil
}

// bareEnv, when set, makes a process started by bareProcess serve the bare
// limit: the path of a file with the body to serve, followed by ",gzip"
// when the body is compressed.
const bareEnv = "HARAMBEE_BENCH_BARE"

// ServeBare serves the bare limit, when this process was started to (by
// bareProcess), until its standard input closes, and reports whether it
// was: harambee's main, and the TestMain of tests that run the benchmark,
// call it before anything else.
func ServeBare() bool {
	spec := os.Getenv(bareEnv)
	if spec == "" {
		return false
	}
	file, gz := strings.CutSuffix(spec, ",gzip")
	body, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare limit:", err)
		os.Exit(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "bare limit:", err)
		os.Exit(1)
	}
	fmt.Println(ln.Addr().String())
	go (&http.Server{Handler: serveBytes(body, gz), ReadHeaderTimeout: 5 * time.Second}).Serve(ln)
	io.Copy(io.Discard, os.Stdin) // until the benchmark closes it, or ends
	return true
}

// bareProcess starts this program again to serve body from memory (see
// ServeBare) and returns its address and the function that stops it.
func bareProcess(ctx context.Context, body []byte, gz bool) (addr string, stop func(), err error) {
	exe, err := os.Executable()
	if err != nil {
		return "", nil, err
	}
	f, err := os.CreateTemp("", "harambee-bare-*")
	if err != nil {
		return "", nil, err
	}
	defer func() {
		if err != nil {
			os.Remove(f.Name())
		}
	}()
	_, err = f.Write(body)
	if err = errors.Join(err, f.Close()); err != nil {
		return "", nil, err
	}
	spec := f.Name()
	if gz {
		spec += ",gzip"
	}
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), bareEnv+"="+spec)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return "", nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("start the bare limit: %w", err)
	}
	stop = func() {
		in.Close()
		cmd.Wait()
		os.Remove(f.Name())
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		in.Close()
		cmd.Wait()
		return "", nil, fmt.Errorf("the bare limit's process did not start: %w", err)
	}
	return "http://" + strings.TrimSpace(line), stop, nil
}

// WriteTable writes the report for people.
func (r Report) WriteTable(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(w, "engine %s, %d clients, %.0f s: %d requests, %.0f req/s, %d errors", r.Engine, r.Clients, r.Seconds, r.Requests, r.RPS, r.Errors)
	if r.HWMMB > 0 {
		fmt.Fprintf(w, ", server memory peak %.0f MB (VmHWM %.0f MB)", r.PeakRSSMB, r.HWMMB)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(tw, "route\trequests\treq/s\tp50 ms\tp95 ms\tp99 ms\terrors\tKB\t")
	for _, s := range r.Routes {
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%d\t%.1f\t\n", s.Route, s.Requests, s.RPS, s.P50, s.P95, s.P99, s.Errors, float64(s.Bytes)/1024)
	}
	tw.Flush()
	fmt.Fprintln(w, "\neach page alone, against a bare net/http handler serving its bytes from memory in a process of its own")
	fmt.Fprintln(w, "(render from memory: both in the benchmark's process):")
	fmt.Fprintln(tw, "page\treq/s\tp99 ms\tKB\tbare req/s\tratio\t")
	rows := slices.Clone(r.Solo)
	if r.Render != nil {
		rows = append(rows, *r.Render)
	}
	for _, s := range rows {
		fmt.Fprintf(tw, "%s\t%.0f\t%.1f\t%.1f\t%.0f\t%.2f\t\n", s.Route, s.RPS, s.P99, float64(s.Bytes)/1024, s.LimitRPS, s.Ratio)
	}
	tw.Flush()
	for _, e := range r.ErrorSamples {
		fmt.Fprintln(w, "error:", e)
	}
}

// WriteJSON writes the report as JSON.
func (r Report) WriteJSON(w io.Writer) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}
