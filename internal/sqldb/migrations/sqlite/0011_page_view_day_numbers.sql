-- Page views by day number (issue 8): the community report groups a
-- million views twice, and comparing an integer day costs a fraction of
-- comparing the 32-character text of a timestamp. day is now the number of
-- days since 1970-01-01 (UTC) in page_views and page_view_days.
--
-- A second index orders a community's views by page, referrer and
-- audience, so that the report counts them in one pass over it instead of
-- sorting a million rows (measured on one million views: 1.9 s sorted,
-- 0.25 s in index order). page_views_community keeps only what the count
-- of distinct visitors per day reads.
CREATE TABLE page_views_by_number (
	id INTEGER PRIMARY KEY,
	day INTEGER NOT NULL,
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
INSERT INTO page_views_by_number (id, day, community_id, path, object_kind, object_id, referrer_host, visitor, audience, country, organization_type)
	SELECT id, CAST(julianday(substr(day, 1, 10)) - 2440587.5 AS INTEGER), community_id, path, object_kind, object_id, referrer_host, visitor, audience, country, organization_type
	FROM page_views;
DROP TABLE page_views;
ALTER TABLE page_views_by_number RENAME TO page_views;
CREATE INDEX page_views_community ON page_views (community_id, day, visitor);
CREATE INDEX page_views_pages ON page_views (community_id, path, referrer_host, audience, country, organization_type, day);
CREATE INDEX page_views_day ON page_views (day, visitor);

CREATE TABLE page_view_days_by_number (
	community_id INTEGER NOT NULL DEFAULT 0,
	day INTEGER NOT NULL,
	dimension TEXT NOT NULL,
	value TEXT NOT NULL,
	views INTEGER NOT NULL,
	PRIMARY KEY (community_id, day, dimension, value)
);
INSERT INTO page_view_days_by_number (community_id, day, dimension, value, views)
	SELECT community_id, CAST(julianday(substr(day, 1, 10)) - 2440587.5 AS INTEGER), dimension, value, views
	FROM page_view_days;
DROP TABLE page_view_days;
ALTER TABLE page_view_days_by_number RENAME TO page_view_days;
CREATE INDEX page_view_days_day ON page_view_days (day, dimension);
