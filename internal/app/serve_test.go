package app_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"testing"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/config"
	"github.com/harambee/harambee/internal/dbtest"
	"github.com/harambee/harambee/internal/sqldb"
)

// TestServeStopsCleanly serves on a real listener, then cancels the context
// as SIGTERM would: Serve returns without error and the database is still
// usable for the caller to close.
func TestServeStopsCleanly(t *testing.T) {
	db := dbtest.New(t, sqldb.SQLite)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.Addr = ln.Addr().String()
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- app.Serve(ctx, ln, db, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))) }()

	resp, err := http.Get("http://" + cfg.Addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve returned %v after shutdown", err)
	}
	if _, err := http.Get("http://" + cfg.Addr + "/healthz"); err == nil {
		t.Error("the server still answers after shutdown")
	}
	if err := db.Ping(context.Background()); err != nil {
		t.Errorf("database unusable after shutdown: %v", err)
	}
}
