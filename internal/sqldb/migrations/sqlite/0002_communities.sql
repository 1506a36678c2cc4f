-- Communities of practice, their members with the whole history of who
-- joined, left, was approved or banned, join requests and invitations. Site
-- editors curate the solutions catalogue.

ALTER TABLE users ADD COLUMN is_editor BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE communities (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	description_html TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL,
	visibility TEXT NOT NULL,
	join_policy TEXT NOT NULL,
	primary_sdg INTEGER,
	logo BLOB,
	logo_type TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX communities_visibility ON communities (visibility, name);

-- Every SDG a community serves; the primary one is also on communities.
CREATE TABLE community_sdgs (
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	sdg INTEGER NOT NULL,
	is_primary BOOLEAN NOT NULL,
	PRIMARY KEY (community_id, sdg)
);
CREATE INDEX community_sdgs_sdg ON community_sdgs (sdg, community_id);

CREATE TABLE community_targets (
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	target TEXT NOT NULL,
	PRIMARY KEY (community_id, target)
);

CREATE TABLE community_focus_areas (
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	tag_key TEXT NOT NULL,
	tag TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (community_id, tag_key)
);
CREATE INDEX community_focus_areas_tag ON community_focus_areas (tag_key, community_id);

-- One row per period of membership: leaving closes the row (left_at), and
-- joining again opens a new one, so membership on any past day is exact.
CREATE TABLE memberships (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	joined_at TIMESTAMP NOT NULL,
	left_at TIMESTAMP,
	left_reason TEXT NOT NULL DEFAULT '',
	approved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	ended_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX memberships_current ON memberships (community_id, user_id) WHERE left_at IS NULL;
CREATE INDEX memberships_community ON memberships (community_id, joined_at);
CREATE INDEX memberships_user ON memberships (user_id, community_id);

-- What happened to memberships, and who did it: joins, approvals, role
-- changes, removals, bans.
CREATE TABLE membership_events (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	role TEXT NOT NULL DEFAULT '',
	actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	note TEXT NOT NULL DEFAULT '',
	at TIMESTAMP NOT NULL
);
CREATE INDEX membership_events_community ON membership_events (community_id, at);

CREATE TABLE community_bans (
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	banned_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	reason TEXT NOT NULL DEFAULT '',
	banned_at TIMESTAMP NOT NULL,
	PRIMARY KEY (community_id, user_id)
);

CREATE TABLE join_requests (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	message TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	decided_at TIMESTAMP,
	decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX join_requests_pending ON join_requests (community_id, user_id) WHERE status = 'pending';
CREATE INDEX join_requests_community ON join_requests (community_id, status, created_at);

CREATE TABLE invitations (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	email TEXT NOT NULL,
	role TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL,
	accepted_at TIMESTAMP,
	accepted_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	revoked_at TIMESTAMP
);
CREATE INDEX invitations_community ON invitations (community_id, created_at);
CREATE INDEX invitations_email ON invitations (email);
