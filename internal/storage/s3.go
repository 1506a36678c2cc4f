package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// S3Config is where an S3 store keeps its files: a bucket (and a prefix
// inside it) on Amazon S3 or on any server that speaks its API (MinIO, Ceph,
// Garage, SeaweedFS...).
type S3Config struct {
	Bucket string
	// Prefix is put before every key, so several sites can share a bucket.
	Prefix string
	// Endpoint is the server's address; empty means Amazon S3 itself.
	Endpoint string
	Region   string
	// PathStyle puts the bucket in the path (http://host/bucket/key), as
	// most self-hosted servers need, instead of the host name.
	PathStyle                                  bool
	AccessKeyID, SecretAccessKey, SessionToken string
}

// ParseS3URL reads the --storage form of an S3 store:
//
//	s3://BUCKET[/PREFIX][?endpoint=URL&region=REGION&path_style=true|false]
//
// Credentials come from the URL's user and password when present, otherwise
// from the standard variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// AWS_SESSION_TOKEN (read through getenv); the region from region=, then
// AWS_REGION or AWS_DEFAULT_REGION, then us-east-1. With an endpoint, path
// style is the default.
func ParseS3URL(raw string, getenv func(string) string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" {
		return S3Config{}, errors.New("use s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION")
	}
	c := S3Config{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if !validBucket(c.Bucket) {
		return S3Config{}, fmt.Errorf("bucket %q: use 3 to 63 lower-case letters, digits, dots and hyphens", c.Bucket)
	}
	if c.Prefix != "" {
		c.Prefix += "/"
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "endpoint", "region", "path_style":
		default:
			return S3Config{}, fmt.Errorf("unknown parameter %q: use endpoint, region or path_style", k)
		}
	}
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		if err != nil || (eu.Scheme != "http" && eu.Scheme != "https") || eu.Host == "" {
			return S3Config{}, fmt.Errorf("endpoint %q: use an http:// or https:// address", e)
		}
		c.Endpoint = strings.TrimRight(e, "/")
		c.PathStyle = true
	}
	if ps := q.Get("path_style"); ps != "" {
		b, err := strconv.ParseBool(ps)
		if err != nil {
			return S3Config{}, fmt.Errorf("path_style %q: use true or false", ps)
		}
		c.PathStyle = b
	}
	c.Region = q.Get("region")
	for _, v := range []string{"AWS_REGION", "AWS_DEFAULT_REGION"} {
		if c.Region == "" {
			c.Region = getenv(v)
		}
	}
	if c.Region == "" {
		c.Region = "us-east-1"
	}
	if u.User != nil {
		c.AccessKeyID = u.User.Username()
		c.SecretAccessKey, _ = u.User.Password()
	} else {
		c.AccessKeyID, c.SecretAccessKey, c.SessionToken = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY"), getenv("AWS_SESSION_TOKEN")
	}
	if c.AccessKeyID == "" || c.SecretAccessKey == "" {
		return S3Config{}, errors.New("no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or write s3://KEY:SECRET@BUCKET")
	}
	return c, nil
}

func validBucket(b string) bool {
	if len(b) < 3 || len(b) > 63 || strings.Trim(b, "abcdefghijklmnopqrstuvwxyz0123456789.-") != "" {
		return false
	}
	return b[0] != '.' && b[0] != '-' && b[len(b)-1] != '.' && b[len(b)-1] != '-'
}

// S3 keeps files in a bucket of an S3-compatible object store, so that
// every instance of a site behind a load balancer sees the same files.
type S3 struct {
	client *s3.Client
	cfg    S3Config
}

// NewS3 returns a store on the bucket. It does not reach the server; Check
// does.
func NewS3(cfg S3Config) *S3 {
	creds := aws.Credentials{AccessKeyID: cfg.AccessKeyID, SecretAccessKey: cfg.SecretAccessKey, SessionToken: cfg.SessionToken, Source: "harambee --storage"}
	opts := s3.Options{
		Region: cfg.Region,
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return creds, nil
		}),
		UsePathStyle: cfg.PathStyle,
		// Checksums only where the API requires them: the streaming
		// checksums the SDK now sends by default are refused by several
		// S3-compatible servers, and the SHA-256 of the signature already
		// covers what we upload.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		HTTPClient:                 &http.Client{Timeout: 15 * time.Minute},
	}
	if cfg.Endpoint != "" {
		opts.BaseEndpoint = aws.String(cfg.Endpoint)
	}
	return &S3{client: s3.New(opts), cfg: cfg}
}

func (s *S3) objectKey(key string) (string, bool) {
	if !validKey(key) {
		return "", false
	}
	return s.cfg.Prefix + key, true
}

func validKey(key string) bool {
	return len(key) == 32 && strings.Trim(key, "0123456789abcdef") == ""
}

func newKey() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Check asks the server for the bucket, so that a wrong address, bucket or
// key stops start-up with a message instead of failing the first upload.
func (s *S3) Check(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.cfg.Bucket)}); err != nil {
		where := s.cfg.Endpoint
		if where == "" {
			where = "Amazon S3 (" + s.cfg.Region + ")"
		}
		return fmt.Errorf("storage: bucket %q on %s does not answer: %w (check --storage, that the bucket exists and the credentials may use it)", s.cfg.Bucket, where, err)
	}
	return nil
}

// Put spools the upload to a temporary file first: the request signature
// needs the body's length and hash before sending, and an upload arrives as
// a stream of unknown length.
func (s *S3) Put(ctx context.Context, r io.Reader) (string, int64, error) {
	tmp, err := os.CreateTemp("", "harambee-upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("storage: %w", err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	n, err := io.Copy(tmp, r)
	if err != nil {
		return "", 0, fmt.Errorf("storage: read upload: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return "", 0, fmt.Errorf("storage: %w", err)
	}
	key := newKey()
	ok, _ := s.objectKey(key)
	_, err = s.client.PutObject(ctx, &s3.PutObjectInput{
		Bucket: aws.String(s.cfg.Bucket), Key: aws.String(ok), Body: tmp, ContentLength: aws.Int64(n),
		ContentType: aws.String("application/octet-stream"),
	})
	if err != nil {
		return "", 0, fmt.Errorf("storage: write %s: %w", key, err)
	}
	return key, n, nil
}

// Open opens a stored file. The object's body is read as it is needed; a
// seek (a range request, a resumed download) asks for the rest of the
// object from the new position.
func (s *S3) Open(ctx context.Context, key string) (File, time.Time, error) {
	ok, valid := s.objectKey(key)
	if !valid {
		return nil, time.Time{}, ErrNotFound
	}
	out, err := s.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(ok)})
	if err != nil {
		if notFound(err) {
			return nil, time.Time{}, ErrNotFound
		}
		return nil, time.Time{}, fmt.Errorf("storage: open %s: %w", key, err)
	}
	var mod time.Time
	if out.LastModified != nil {
		mod = *out.LastModified
	}
	return &s3File{ctx: ctx, s: s, key: ok, size: aws.ToInt64(out.ContentLength), body: out.Body}, mod, nil
}

// Delete removes a stored file; S3 answers a missing key with success too.
func (s *S3) Delete(ctx context.Context, key string) error {
	ok, valid := s.objectKey(key)
	if !valid {
		return nil
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.cfg.Bucket), Key: aws.String(ok)})
	if err != nil && !notFound(err) {
		return fmt.Errorf("storage: delete %s: %w", key, err)
	}
	return nil
}

func notFound(err error) bool {
	var nsk *types.NoSuchKey
	var nf *types.NotFound
	if errors.As(err, &nsk) || errors.As(err, &nf) {
		return true
	}
	var api smithy.APIError
	if errors.As(err, &api) {
		switch api.ErrorCode() {
		case "NoSuchKey", "NotFound":
			return true
		}
	}
	return false
}

// s3File reads an object as a seekable file. It keeps the context of Open:
// the file lives only as long as the request that opened it, and a read
// after a seek is a new request to the store on that request's behalf.
type s3File struct {
	ctx     context.Context
	s       *S3
	key     string
	size    int64
	body    io.ReadCloser // the object from bodyPos on; nil once closed
	bodyPos int64
	pos     int64
}

func (f *s3File) Read(p []byte) (int, error) {
	if f.pos >= f.size {
		return 0, io.EOF
	}
	if f.body == nil || f.bodyPos != f.pos {
		if f.body != nil {
			f.body.Close()
			f.body = nil
		}
		out, err := f.s.client.GetObject(f.ctx, &s3.GetObjectInput{Bucket: aws.String(f.s.cfg.Bucket), Key: aws.String(f.key),
			Range: aws.String(fmt.Sprintf("bytes=%d-", f.pos))})
		if err != nil {
			return 0, fmt.Errorf("storage: read %s from %d: %w", f.key, f.pos, err)
		}
		f.body, f.bodyPos = out.Body, f.pos
	}
	n, err := f.body.Read(p)
	f.pos += int64(n)
	f.bodyPos += int64(n)
	if err == io.EOF && f.pos < f.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// ReadAt reads len(p) bytes at off with a request of its own, leaving the
// position of Read as it was.
func (f *s3File) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("storage: read at a negative offset")
	}
	if off >= f.size {
		return 0, io.EOF
	}
	if len(p) == 0 {
		return 0, nil
	}
	end := min(off+int64(len(p)), f.size) - 1
	out, err := f.s.client.GetObject(f.ctx, &s3.GetObjectInput{Bucket: aws.String(f.s.cfg.Bucket), Key: aws.String(f.key),
		Range: aws.String(fmt.Sprintf("bytes=%d-%d", off, end))})
	if err != nil {
		return 0, fmt.Errorf("storage: read %s at %d: %w", f.key, off, err)
	}
	defer out.Body.Close()
	n, err := io.ReadFull(out.Body, p[:end-off+1])
	if err != nil {
		return n, fmt.Errorf("storage: read %s at %d: %w", f.key, off, err)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (f *s3File) Seek(offset int64, whence int) (int64, error) {
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = offset
	case io.SeekCurrent:
		abs = f.pos + offset
	case io.SeekEnd:
		abs = f.size + offset
	default:
		return 0, errors.New("storage: seek: invalid whence")
	}
	if abs < 0 {
		return 0, errors.New("storage: seek: negative position")
	}
	f.pos = abs
	return abs, nil
}

func (f *s3File) Close() error {
	if f.body == nil {
		return nil
	}
	err := f.body.Close()
	f.body = nil
	return err
}
