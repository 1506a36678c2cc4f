-- Site-wide search (issue 10). One row of search_docs per document a reader
-- may find: a thread, each reply, a library resource, a solution, an event,
-- a community, a member's profile. The text lives in the FTS5 index only
-- (contentless: the records keep their own text); search_docs holds what
-- results are filtered, counted and ranked by. Rows change in the same
-- transaction as the records (internal/search, index.go), and `harambee
-- reindex` rebuilds them. Hidden, held and deleted content, and archived
-- solutions outside the catalogue, are not shown to anyone.
CREATE TABLE search_docs (
	id INTEGER PRIMARY KEY,           -- the FTS5 rowid; grows with time, so "newest" is by id
	kind TEXT NOT NULL,               -- thread, post, resource, solution, event, community, profile
	ref_id INTEGER NOT NULL,          -- the record's id in its own table
	item_type TEXT NOT NULL,          -- what a result shows: a reply shows its thread
	item_id INTEGER NOT NULL,
	community_id INTEGER,             -- whose readers may see it; NULL: anyone the access allows
	-- access: all; listed (a community: seen by anyone it is not private
	-- to); members (logged-in readers); owner; managers (drafts); none
	-- (archived solutions: the catalogue's editors search them there).
	access TEXT NOT NULL,
	owner_id INTEGER,
	language TEXT NOT NULL DEFAULT '',
	year INTEGER,
	sdgs TEXT NOT NULL DEFAULT '',      -- ' 3 17 ': LIKE '% 3 %' filters
	countries TEXT NOT NULL DEFAULT '', -- ' BR MZ '
	at INTEGER NOT NULL,                -- Unix time of the record, for the recency bonus
	boost REAL NOT NULL DEFAULT 0,      -- 0 to 1: accepted answers, helpful marks, downloads, attendance
	UNIQUE (kind, ref_id)
);
CREATE INDEX search_docs_item ON search_docs (item_type, item_id);
CREATE INDEX search_docs_community ON search_docs (community_id, kind);

-- title, body and extra (authors, partners, tags, country names, a reply's
-- thread title) are weighted 10, 1 and 2 by bm25(). unicode61 with
-- remove_diacritics 2 folds case and accents; the prefix indexes make
-- "ma*" and "mat*" cheap.
CREATE VIRTUAL TABLE search_fts USING fts5(
	title, body, extra,
	content = '', contentless_delete = 1,
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
