-- Analytics and impact reports (issue 8): page views counted on the server,
-- without cookies or third parties, and what a community chose to publish
-- on its public impact page. Every figure of the reports is counted from
-- raw records when it is asked for; the one stored aggregate is
-- page_view_days, the daily totals that replace raw page views once they
-- are older than the retention period (the raw rows are gone then).

-- One row per counted page view. day is the UTC day at midnight: no time
-- of day is kept. visitor is a hash of the visitor's address and browser
-- (or account) with a salt that changes every day and is never stored, so
-- it tells apart the visitors of one day and links nothing across days.
-- audience is anonymous, account (logged in, not a member of the page's
-- community) or member; country and organization_type are those of a
-- logged-in visitor's profile, empty otherwise. No address, no account id.
CREATE TABLE page_views (
	id INTEGER PRIMARY KEY,
	day TIMESTAMP NOT NULL,
	community_id INTEGER REFERENCES communities (id) ON DELETE CASCADE,
	path TEXT NOT NULL,
	object_kind TEXT NOT NULL DEFAULT '',
	object_id INTEGER,
	referrer_host TEXT NOT NULL DEFAULT '',
	visitor INTEGER NOT NULL,
	audience TEXT NOT NULL,
	country TEXT NOT NULL DEFAULT '',
	organization_type TEXT NOT NULL DEFAULT ''
);
-- A community's report reads only this index (it covers every column the
-- report groups by); the site report and the roll-up read by day.
CREATE INDEX page_views_community ON page_views (community_id, day, visitor, path, referrer_host, audience, country, organization_type);
CREATE INDEX page_views_day ON page_views (day, visitor);

-- Daily totals of page views older than the retention period. dimension
-- says what value holds: 'path' (views per page), 'referrer' (views per
-- referring host), 'audience' (views per audience|country|organisation
-- type) and 'visitors' (distinct visitors of the day: value is empty, and
-- community_id 0 holds the whole site's). community_id 0 is also the pages
-- outside any community.
CREATE TABLE page_view_days (
	community_id INTEGER NOT NULL DEFAULT 0,
	day TIMESTAMP NOT NULL,
	dimension TEXT NOT NULL,
	value TEXT NOT NULL,
	views INTEGER NOT NULL,
	PRIMARY KEY (community_id, day, dimension, value)
);
CREATE INDEX page_view_days_day ON page_view_days (day, dimension);

-- The public impact page of a community (/communities/SLUG/impact): off
-- until a manager publishes it, with the figures they chose (a
-- comma-separated list of figure names) and the period shown.
CREATE TABLE community_impact (
	community_id INTEGER PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
	published BOOLEAN NOT NULL DEFAULT FALSE,
	figures TEXT NOT NULL DEFAULT '',
	period_from TEXT NOT NULL DEFAULT '',
	period_to TEXT NOT NULL DEFAULT '',
	updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	updated_at TIMESTAMP NOT NULL
);
