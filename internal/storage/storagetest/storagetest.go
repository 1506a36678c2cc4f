// Package storagetest starts an S3-compatible object store inside a test
// (gofakes3, in memory, over real HTTP on the loopback), so that the S3
// store and the uploads through it are tested without any outside service.
package storagetest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 is a running S3 server with one bucket.
type S3 struct {
	// URL is the --storage value that reaches the bucket, with credentials.
	URL string
	// Endpoint is the server's address.
	Endpoint string
	Bucket   string
	backend  *s3mem.Backend
}

// StartS3 starts a server with an empty bucket, stopped when the test ends.
func StartS3(t testing.TB, bucket string) *S3 {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatalf("create bucket %s: %v", bucket, err)
	}
	fake := gofakes3.New(backend).Server()
	// gofakes3 does not check signatures; this does the part that shows the
	// client signs with the configured key and region: anything else is
	// refused as S3 refuses it.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential=test-key/") || !strings.Contains(auth, "/eu-west-1/s3/aws4_request") || !strings.Contains(auth, "Signature=") {
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>`)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return &S3{
		URL:      "s3://test-key:test-secret@" + bucket + "?endpoint=" + srv.URL + "&region=eu-west-1",
		Endpoint: srv.URL, Bucket: bucket, backend: backend,
	}
}

// Objects returns the keys of the objects in the bucket, and their sizes.
func (s *S3) Objects(t testing.TB) map[string]int64 {
	t.Helper()
	list, err := s.backend.ListBucket(s.Bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		t.Fatalf("list bucket %s: %v", s.Bucket, err)
	}
	got := map[string]int64{}
	for _, o := range list.Contents {
		got[o.Key] = o.Size
	}
	return got
}
