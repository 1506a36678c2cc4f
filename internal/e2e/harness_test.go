package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain runs the tests, then stops what they shared: the browser and the
// server of the key pages.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	for i := len(atExit) - 1; i >= 0; i-- {
		atExit[i]()
	}
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// atExit lists what TestMain undoes after the last test, last first.
var (
	atExit   []func()
	atExitMu sync.Mutex
)

// undoAtExit has TestMain undo something after the last test.
func undoAtExit(f func()) {
	atExitMu.Lock()
	defer atExitMu.Unlock()
	atExit = append(atExit, f)
}

// tmpDir holds the binary and the browser profile; TestMain removes it.
var tmpDir string

var build struct {
	once   sync.Once
	binary string
	root   string // the module root
	err    error
}

// harambee returns the path of the harambee binary, built once for the whole
// run from this working tree ($HARAMBEE_E2E_BINARY instead, when set). In
// -short mode the browser and server tests skip.
func harambee(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end tests skipped in -short mode")
	}
	build.once.Do(func() {
		start := time.Now()
		build.root, build.err = moduleRoot()
		if build.err != nil {
			return
		}
		tmpDir, build.err = os.MkdirTemp("", "harambee-e2e-")
		if build.err != nil {
			return
		}
		if bin := os.Getenv("HARAMBEE_E2E_BINARY"); bin != "" {
			// A binary built elsewhere, such as a release candidate.
			build.binary, build.err = filepath.Abs(bin)
			return
		}
		build.binary = filepath.Join(tmpDir, "harambee")
		cmd := exec.Command("go", "build", "-o", build.binary, "./cmd/harambee")
		cmd.Dir = build.root
		// The modules are in the cache already (this test was built from
		// them): never reach the network for them.
		cmd.Env = append(os.Environ(), "GOPROXY=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			build.err = fmt.Errorf("go build ./cmd/harambee: %v\n%s", err, out)
			return
		}
		fmt.Fprintf(os.Stderr, "e2e: built harambee in %s\n", time.Since(start).Round(time.Millisecond))
	})
	if build.err != nil {
		t.Fatal(build.err)
	}
	return build.binary
}

// moduleRoot finds the directory of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// server is a "harambee serve" process on a fresh SQLite database in a
// temporary directory, listening on a free port of 127.0.0.1.
type server struct {
	URL     string // http://127.0.0.1:PORT, also the --base-url of links in e-mails
	dir     string
	dsn     string
	logPath string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
}

// startServer starts a server for one test, and stops it when the test ends;
// a failed test prints the end of the server's log.
func startServer(t *testing.T) *server {
	t.Helper()
	bin := harambee(t)
	s, err := launch(bin, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Errorf("harambee serve did not stop cleanly: %v", err)
		}
		if t.Failed() {
			t.Logf("end of the server log:\n%s", s.logTail(60))
		}
	})
	return s
}

// launch starts harambee serve in dir and waits until /healthz answers.
func launch(bin, dir string) (*server, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var lastErr error
	for range 3 { // the free port may be taken between the check and the start
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s := &server{
			URL:     fmt.Sprintf("http://127.0.0.1:%d", port),
			dir:     dir,
			dsn:     "sqlite:" + filepath.Join(dir, "harambee.db"),
			logPath: filepath.Join(dir, "server.log"),
			exited:  make(chan struct{}),
		}
		logFile, err := os.Create(s.logPath)
		if err != nil {
			return nil, err
		}
		s.cmd = exec.Command(bin, "serve",
			"--addr", fmt.Sprintf("127.0.0.1:%d", port),
			"--db", s.dsn,
			"--data", filepath.Join(dir, "data"),
			"--base-url", s.URL,
		)
		s.cmd.Env = childEnv()
		s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
		if err := s.cmd.Start(); err != nil {
			logFile.Close()
			return nil, fmt.Errorf("start harambee serve: %w", err)
		}
		go func() {
			s.waitErr = s.cmd.Wait()
			logFile.Close()
			close(s.exited)
		}()
		if err := s.waitHealthy(30 * time.Second); err != nil {
			s.stop()
			lastErr = fmt.Errorf("%w\nserver log:\n%s", err, s.logTail(30))
			continue
		}
		return s, nil
	}
	return nil, lastErr
}

// childEnv is the environment of harambee commands: ours without any
// HARAMBEE_* setting, so that only the flags the tests give apply.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HARAMBEE_") {
			env = append(env, kv)
		}
	}
	return env
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func (s *server) waitHealthy(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("harambee serve exited before answering /healthz: %v", s.waitErr)
		default:
		}
		resp, err := direct.Get(s.URL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("harambee serve did not answer /healthz within %s", limit)
}

// stop sends SIGINT and waits for a clean exit, as an operator would.
func (s *server) stop() error {
	select {
	case <-s.exited:
		return s.waitErr
	default:
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.exited:
		return s.waitErr
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.exited
		return errors.New("still running 15 s after SIGINT; killed")
	}
}

// logTail returns the last n lines of the server's log.
func (s *server) logTail(n int) string {
	b, _ := os.ReadFile(s.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// cli runs a harambee command against the server's database, with stdin as
// its standard input, and returns its standard output.
func (s *server) cli(t testing.TB, stdin string, args ...string) string {
	t.Helper()
	args = append(args, "--db", s.dsn)
	cmd := exec.Command(harambee(t), args...)
	cmd.Env = childEnv()
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("harambee %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// person is an account the tests use.
type person struct {
	ID       int64
	Name     string
	Email    string
	Password string
}

// addAdmin creates a site administrator with "harambee user add --admin",
// as an operator does on a new site.
func (s *server) addAdmin(t testing.TB) person {
	t.Helper()
	p := person{Name: "Site Administrator", Email: "admin@harambee.test", Password: "correct horse battery staple"}
	s.cli(t, p.Password+"\n", "user", "add", "--admin", "--password-stdin", "--email", p.Email, "--name", p.Name)
	return p
}

// token creates an API token for an account with "harambee token create".
func (s *server) token(t testing.TB, email, name string) string {
	t.Helper()
	out := s.cli(t, "", "token", "create", "--email", email, "--name", name)
	return strings.TrimSpace(out)
}

// api calls the JSON API with a bearer token and decodes the answer into out
// (when not nil); it fails the test on any status but want.
func (s *server) api(t testing.TB, token, method, path string, body any, want int, out any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.URL+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := direct.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: got status %d, want %d: %s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// webClient is a plain HTTP client with its own cookies, for the checks
// that need no browser. It asks for gzip itself, so that it sees the bytes
// on the wire.
type webClient struct {
	s    *server
	http *http.Client
}

func (s *server) client() *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{s: s, http: &http.Client{
		Jar:       jar,
		Timeout:   30 * time.Second,
		Transport: &http.Transport{DisableCompression: true}, // and no proxy
	}}
}

// direct is an HTTP client that never goes through a proxy.
var direct = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{}}

// login logs the client in through the log-in form.
func (c *webClient) login(t testing.TB, p person) {
	t.Helper()
	form := url.Values{"email": {p.Email}, "password": {p.Password}, "next": {"/"}}
	resp, err := c.http.PostForm(c.s.URL+"/login", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Path != "/" {
		t.Fatalf("log in as %s: got status %d at %s, want 200 at /", p.Email, resp.StatusCode, resp.Request.URL.Path)
	}
}

// fetched is an answer as it came over the wire.
type fetched struct {
	status int
	header http.Header
	wire   []byte // the body as transferred (compressed when the server chose to)
	body   []byte // the body decoded
}

// fetch sends a request asking for gzip; form, when not nil, is POSTed.
func (c *webClient) fetch(t testing.TB, method, path, lang string, form url.Values) fetched {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	u := path
	if !strings.HasPrefix(u, "http") {
		u = c.s.URL + path
	}
	req, err := http.NewRequestWithContext(context.Background(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "gzip")
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	wire, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	f := fetched{status: resp.StatusCode, header: resp.Header, wire: wire, body: wire}
	if resp.Header.Get("Content-Encoding") == "gzip" {
		if f.body, err = gunzip(wire); err != nil {
			t.Fatalf("%s %s: the gzip body does not decode: %v", method, path, err)
		}
	}
	return f
}
