package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/harambee/harambee/internal/app"
	"github.com/harambee/harambee/internal/community"
	"github.com/harambee/harambee/internal/i18n"
	"github.com/harambee/harambee/internal/report"
	"github.com/harambee/harambee/internal/sqldb"
	"github.com/harambee/harambee/internal/validation"
)

func configureReport(fs *flag.FlagSet, env *cmdEnv) {
	fs.StringVar(&env.community, "community", "", "slug of the community (required)")
	fs.StringVar(&env.from, "from", "", "first day, YYYY-MM-DD (default: the day the community was created)")
	fs.StringVar(&env.to, "to", "", "last day, YYYY-MM-DD, included (default: today)")
	fs.StringVar(&env.format, "format", "json", "json, csv (a ZIP of CSV tables) or pdf (the annual report, in English)")
	fs.StringVar(&env.out, "out", "", "file to write; without it the report goes to standard output")
}

// runReport writes a community's report: only the report to standard
// output (or to --out), every message to standard error.
func runReport(ctx context.Context, env *cmdEnv) error {
	if strings.TrimSpace(env.community) == "" {
		return usageError{"--community is required (the slug of the community)"}
	}
	format := strings.ToLower(env.format)
	switch format {
	case report.FormatJSON, report.FormatCSV, report.FormatPDF:
	default:
		return usageError{fmt.Sprintf("--format %q: use json, csv or pdf", env.format)}
	}
	// The dates' form is checked before the database is opened.
	for _, f := range []struct{ name, v string }{{"from", env.from}, {"to", env.to}} {
		if f.v == "" {
			continue
		}
		if _, err := report.ParsePeriod(f.v, f.v, time.Now(), time.Now()); err != nil {
			return usageError{fmt.Sprintf("--%s %q: %s", f.name, f.v, i18n.For(i18n.Default).T("report.error.date"))}
		}
	}
	db, err := app.OpenDB(ctx, env.cfg, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	c, err := community.NewStore(db).BySlug(ctx, env.community)
	if errors.Is(err, sqldb.ErrNotFound) {
		return usageError{fmt.Sprintf("--community %q: no such community", env.community)}
	}
	if err != nil {
		return err
	}
	p, err := report.ParsePeriod(env.from, env.to, c.CreatedAt, time.Now())
	if err != nil {
		return usageError{periodProblem(err, env)}
	}
	// The report's queries go to the replica when there is one.
	reports := db
	if env.cfg.DBReplica != "" {
		if reports, err = sqldb.OpenReadOnly(ctx, env.cfg.DBReplica); err != nil {
			return fmt.Errorf("--db-replica: %w", err)
		}
		defer reports.Close()
	}
	rep, err := report.ForCommunity(ctx, reports, c, p)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format {
	case report.FormatCSV:
		err = report.WriteZIP(&buf, rep)
	case report.FormatPDF:
		var b []byte
		b, err = report.PDF(rep, i18n.For(i18n.Default), env.cfg.SiteName)
		buf.Write(b)
	default:
		err = report.WriteJSON(&buf, rep)
	}
	if err != nil {
		return err
	}
	if env.out == "" {
		_, err = env.stdout.Write(buf.Bytes())
		return err
	}
	if err := os.WriteFile(env.out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w (check the directory exists and may be written)", env.out, err)
	}
	fmt.Fprintf(env.stderr, "report of %s, %s to %s, written to %s\n", c.Slug, rep.From, rep.To, env.out)
	return nil
}

// periodProblem turns a refused period into the one line that names it.
func periodProblem(err error, env *cmdEnv) string {
	ve, ok := validation.As(err)
	if !ok {
		return err.Error()
	}
	l := i18n.For(i18n.Default)
	for _, name := range ve.Names() {
		m := ve.Fields[name]
		value := env.from
		if name == "to" {
			value = env.to
		}
		return fmt.Sprintf("--%s %q: %s", name, value, l.T(m.Key, m.Args...))
	}
	return err.Error()
}
