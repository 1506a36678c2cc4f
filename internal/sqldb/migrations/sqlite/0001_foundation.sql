-- Accounts, sessions, tokens, the mail outbox, translations and site settings.
-- Times are UTC text in a fixed-width form (see sqldb.timeLayout).

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	email_verified_at TIMESTAMP,
	is_admin BOOLEAN NOT NULL DEFAULT FALSE,
	disabled_at TIMESTAMP,
	country TEXT NOT NULL DEFAULT '',
	organization TEXT NOT NULL DEFAULT '',
	organization_type TEXT NOT NULL DEFAULT '',
	position TEXT NOT NULL DEFAULT '',
	bio TEXT NOT NULL DEFAULT '',
	bio_html TEXT NOT NULL DEFAULT '',
	timezone TEXT NOT NULL DEFAULT '',
	ui_language TEXT NOT NULL DEFAULT '',
	profile_visibility TEXT NOT NULL DEFAULT 'members',
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_country ON users (country);
CREATE INDEX users_organization_type ON users (organization_type);

CREATE TABLE user_languages (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	language TEXT NOT NULL,
	PRIMARY KEY (user_id, language)
);
CREATE INDEX user_languages_language ON user_languages (language, user_id);

CREATE TABLE user_expertise (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	tag_key TEXT NOT NULL,
	tag TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (user_id, tag_key)
);
CREATE INDEX user_expertise_tag ON user_expertise (tag_key, user_id);

CREATE TABLE sessions (
	id_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	user_agent TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	last_seen_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	hint TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	last_used_at TIMESTAMP,
	revoked_at TIMESTAMP
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE account_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose TEXT NOT NULL,
	new_email TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL,
	used_at TIMESTAMP
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

CREATE TABLE login_failures (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL,
	at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
CREATE INDEX login_failures_at ON login_failures (at);

CREATE TABLE outbox (
	id INTEGER PRIMARY KEY,
	to_address TEXT NOT NULL,
	to_name TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	category TEXT NOT NULL,
	language TEXT NOT NULL,
	subject TEXT NOT NULL,
	text_body TEXT NOT NULL,
	html_body TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'pending',
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	sent_at TIMESTAMP
);
CREATE INDEX outbox_created ON outbox (created_at);
CREATE INDEX outbox_status ON outbox (status, created_at);

-- Text that people write for others keeps its original language on its own
-- record; translations of its fields into other languages live here, for
-- every kind of record (community, thread, resource, solution, event...).
CREATE TABLE translations (
	kind TEXT NOT NULL,
	record_id INTEGER NOT NULL,
	field TEXT NOT NULL,
	language TEXT NOT NULL,
	text TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	PRIMARY KEY (kind, record_id, field, language)
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
