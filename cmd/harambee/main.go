// Command harambee runs Harambee, the platform for communities of practice
// in South-South and triangular cooperation, and the tasks that look after
// it: migrations, accounts, tokens, backups. Run "harambee help".
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // so event times work on machines without a zone database

	"github.com/harambee/harambee/internal/bench"
)

func main() {
	// The load benchmark starts this program again to serve its bare
	// limit in a process of its own.
	if bench.ServeBare() {
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
