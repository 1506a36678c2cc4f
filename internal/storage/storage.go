// Package storage keeps uploaded files. Callers see a small interface with
// two implementations: a local directory (the default) and a bucket of an
// S3-compatible object store, which several instances of a site share.
package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNotFound is a key with no file.
var ErrNotFound = errors.New("file not found")

// File is a stored file opened for reading: read in order, seeked for range
// requests, or read at any offset (the library looks inside ZIP uploads).
type File interface {
	io.ReadSeekCloser
	io.ReaderAt
}

// Store keeps files under keys.
type Store interface {
	// Put writes the file under a new key and returns the key and the size
	// written.
	Put(ctx context.Context, r io.Reader) (key string, size int64, err error)
	// Open opens the file of a key.
	Open(ctx context.Context, key string) (File, time.Time, error)
	// Delete removes the file of a key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
}

// Dir keeps files in a local directory, in subdirectories named after the
// first characters of their keys so no directory grows too large.
type Dir struct{ root string }

// NewDir returns a store in the directory, creating it when missing.
func NewDir(root string) (*Dir, error) {
	if err := os.MkdirAll(root, 0o750); err != nil {
		return nil, fmt.Errorf("storage: create %s: %w", root, err)
	}
	return &Dir{root: root}, nil
}

func (d *Dir) path(key string) (string, error) {
	if !validKey(key) {
		return "", ErrNotFound
	}
	return filepath.Join(d.root, key[:2], key), nil
}

// Put writes r to a temporary file and renames it into place, so a reader
// never sees half a file.
func (d *Dir) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	key := newKey()
	p, _ := d.path(key)
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return "", 0, fmt.Errorf("storage: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("storage: %w", err)
	}
	n, err := io.Copy(tmp, r)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", 0, fmt.Errorf("storage: write %s: %w", key, err)
	}
	return key, n, nil
}

// Open opens a stored file.
func (d *Dir) Open(ctx context.Context, key string) (File, time.Time, error) {
	p, err := d.path(key)
	if err != nil {
		return nil, time.Time{}, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, time.Time{}, ErrNotFound
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("storage: open %s: %w", key, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, time.Time{}, err
	}
	return f, info.ModTime(), nil
}

// Delete removes a stored file.
func (d *Dir) Delete(ctx context.Context, key string) error {
	p, err := d.path(key)
	if err != nil {
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

// Open returns the store that --storage names: empty for the directory dir
// (created on the first upload), or an s3:// URL (see ParseS3URL), whose
// credentials may come from getenv.
func Open(spec, dir string, getenv func(string) string) (Store, error) {
	if spec == "" {
		return Lazy(dir), nil
	}
	if !strings.HasPrefix(spec, "s3://") {
		return nil, errors.New("use an s3:// URL, or nothing for files in the data directory")
	}
	c, err := ParseS3URL(spec, getenv)
	if err != nil {
		return nil, err
	}
	return NewS3(c), nil
}

// Lazy returns a directory store that creates its directory on first
// upload, so that serving pages never needs a writable data directory until
// someone uploads a file.
func Lazy(root string) Store { return lazyDir{root: root} }

type lazyDir struct{ root string }

func (l lazyDir) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	d, err := NewDir(l.root) // MkdirAll: cheap, and safe from any goroutine
	if err != nil {
		return "", 0, err
	}
	return d.Put(ctx, r)
}

func (l lazyDir) Open(ctx context.Context, key string) (File, time.Time, error) {
	return (&Dir{root: l.root}).Open(ctx, key)
}

func (l lazyDir) Delete(ctx context.Context, key string) error {
	return (&Dir{root: l.root}).Delete(ctx, key)
}
