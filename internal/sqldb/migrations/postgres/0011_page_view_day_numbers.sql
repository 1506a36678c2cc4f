-- Page views by day number (issue 8): the community report groups a
-- million views twice, and an integer day is cheaper to compare and to
-- store than a timestamp. day is now the number of days since 1970-01-01
-- (UTC) in page_views and page_view_days, as on SQLite.
--
-- A second index orders a community's views by page, referrer and
-- audience, so that the report can count them in one pass over it instead
-- of sorting them; page_views_community keeps only what the count of
-- distinct visitors per day reads.
DROP INDEX page_views_community;
ALTER TABLE page_views ALTER COLUMN day TYPE INTEGER USING ((day AT TIME ZONE 'UTC')::date - DATE '1970-01-01');
CREATE INDEX page_views_community ON page_views (community_id, day, visitor);
CREATE INDEX page_views_pages ON page_views (community_id, path, referrer_host, audience, country, organization_type, day);
ALTER TABLE page_view_days ALTER COLUMN day TYPE INTEGER USING ((day AT TIME ZONE 'UTC')::date - DATE '1970-01-01');
