-- E-mail delivery, notification settings, in-app notifications and digests.
-- River's own tables (river_job, river_leader...) are not here: River's
-- migrator creates them at start, right after these files (internal/jobs).

-- Delivery: the Message-ID is built from the row id and this random key, so
-- that a retried message keeps its Message-ID; the unsubscribe address goes
-- into List-Unsubscribe.
ALTER TABLE outbox ADD COLUMN message_key TEXT NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN unsubscribe_url TEXT NOT NULL DEFAULT '';
-- Messages written before delivery existed have no delivery job: they stay
-- in the outbox, marked as never sent.
UPDATE outbox SET status = 'unsent' WHERE status = 'pending';

CREATE TABLE outbox_attachments (
	id INTEGER PRIMARY KEY,
	outbox_id INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX outbox_attachments_outbox ON outbox_attachments (outbox_id);

-- How a member wants each category of message by e-mail: immediate, digest
-- or off. No row means the category's default.
CREATE TABLE notification_settings (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	category TEXT NOT NULL,
	delivery TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	PRIMARY KEY (user_id, category)
);

-- How often a member hears of what is new in each community: immediate,
-- daily, weekly or none. No row means weekly.
CREATE TABLE digest_settings (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	frequency TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	PRIMARY KEY (user_id, community_id)
);

-- People without an account (event registrants) who asked, through the
-- unsubscribe link, for no more messages of a category.
CREATE TABLE email_optouts (
	email TEXT NOT NULL,
	category TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (email, category)
);

-- In-app notifications: the bell and the notifications page.
CREATE TABLE notifications (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	category TEXT NOT NULL,
	community_id INTEGER REFERENCES communities (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	read_at TIMESTAMP
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
-- The bell counts unread notifications on every page a member sees.
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- One row per digest prepared (member, frequency, end of its period), sent
-- or found empty: it makes each digest go out once, and its period_end is
-- where the next one starts.
CREATE TABLE digests (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	frequency TEXT NOT NULL,
	period_end TIMESTAMP NOT NULL,
	items INTEGER NOT NULL,
	outbox_id INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	PRIMARY KEY (user_id, frequency, period_end)
);
