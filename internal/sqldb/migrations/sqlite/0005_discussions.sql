-- Discussions (threads, posts, mentions, reactions, follows, reports,
-- moderation log) and the knowledge library (resources and their files).

ALTER TABLE communities ADD COLUMN hold_first_posts BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE threads (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL,
	body_html TEXT NOT NULL,
	language TEXT NOT NULL,
	is_question BOOLEAN NOT NULL DEFAULT FALSE,
	accepted_post_id INTEGER,
	pinned BOOLEAN NOT NULL DEFAULT FALSE,
	locked BOOLEAN NOT NULL DEFAULT FALSE,
	held BOOLEAN NOT NULL DEFAULT FALSE,
	hidden_at TIMESTAMP,
	deleted_at TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	edited_at TIMESTAMP,
	last_activity_at TIMESTAMP NOT NULL
);
CREATE INDEX threads_community_activity ON threads (community_id, last_activity_at);
CREATE INDEX threads_community_created ON threads (community_id, created_at);
CREATE INDEX threads_author ON threads (author_id);

CREATE TABLE posts (
	id INTEGER PRIMARY KEY,
	thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
	author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	quote_of INTEGER REFERENCES posts (id) ON DELETE SET NULL,
	body TEXT NOT NULL,
	body_html TEXT NOT NULL,
	held BOOLEAN NOT NULL DEFAULT FALSE,
	hidden_at TIMESTAMP,
	deleted_at TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	edited_at TIMESTAMP
);
CREATE INDEX posts_thread ON posts (thread_id, created_at);
CREATE INDEX posts_author ON posts (author_id);

-- Who is mentioned where; kept so notifications can be sent.
CREATE TABLE mentions (
	target_kind TEXT NOT NULL,
	target_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (target_kind, target_id, user_id)
);
CREATE INDEX mentions_user ON mentions (user_id, created_at);

CREATE TABLE reactions (
	target_kind TEXT NOT NULL,
	target_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (target_kind, target_id, user_id, kind)
);

-- Threads and communities a member follows, for the e-mail notifications.
CREATE TABLE follows (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	target_kind TEXT NOT NULL,
	target_id INTEGER NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (user_id, target_kind, target_id)
);
CREATE INDEX follows_target ON follows (target_kind, target_id);

CREATE TABLE content_reports (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	target_kind TEXT NOT NULL,
	target_id INTEGER NOT NULL,
	reporter_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	reason TEXT NOT NULL,
	status TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	resolved_at TIMESTAMP,
	resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX content_reports_community ON content_reports (community_id, status, created_at);

-- Who moderated what, and when.
CREATE TABLE moderation_log (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	action TEXT NOT NULL,
	target_kind TEXT NOT NULL,
	target_id INTEGER NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	at TIMESTAMP NOT NULL
);
CREATE INDEX moderation_log_community ON moderation_log (community_id, at);

CREATE TABLE resources (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	added_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	summary TEXT NOT NULL DEFAULT '',
	summary_html TEXT NOT NULL DEFAULT '',
	authors TEXT NOT NULL DEFAULT '',
	publisher TEXT NOT NULL DEFAULT '',
	published_on TEXT NOT NULL DEFAULT '',
	year INTEGER,
	language TEXT NOT NULL,
	licence TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	file_key TEXT NOT NULL DEFAULT '',
	file_name TEXT NOT NULL DEFAULT '',
	file_type TEXT NOT NULL DEFAULT '',
	file_size INTEGER NOT NULL DEFAULT 0,
	hidden_at TIMESTAMP,
	deleted_at TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX resources_community ON resources (community_id, created_at);
CREATE INDEX resources_kind ON resources (community_id, kind);
CREATE INDEX resources_language ON resources (community_id, language);
CREATE INDEX resources_year ON resources (community_id, year);

CREATE TABLE resource_countries (
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	country TEXT NOT NULL,
	PRIMARY KEY (resource_id, country)
);
CREATE INDEX resource_countries_country ON resource_countries (country, resource_id);

CREATE TABLE resource_sdgs (
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	sdg INTEGER NOT NULL,
	PRIMARY KEY (resource_id, sdg)
);
CREATE INDEX resource_sdgs_sdg ON resource_sdgs (sdg, resource_id);

CREATE TABLE resource_targets (
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	target TEXT NOT NULL,
	PRIMARY KEY (resource_id, target)
);

CREATE TABLE resource_topics (
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	tag_key TEXT NOT NULL,
	tag TEXT NOT NULL,
	PRIMARY KEY (resource_id, tag_key)
);
CREATE INDEX resource_topics_tag ON resource_topics (tag_key, resource_id);

-- One row per download, so the count is computed, never kept.
CREATE TABLE resource_downloads (
	id INTEGER PRIMARY KEY,
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	at TIMESTAMP NOT NULL
);
CREATE INDEX resource_downloads_resource ON resource_downloads (resource_id, at);

-- A thread that discusses a resource.
CREATE TABLE thread_resources (
	thread_id INTEGER NOT NULL REFERENCES threads (id) ON DELETE CASCADE,
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	PRIMARY KEY (thread_id, resource_id)
);
CREATE INDEX thread_resources_resource ON thread_resources (resource_id);
