-- A search reads a thousand matches of a common word, each as a line of
-- text (internal/search, matchLine). Building the line from twelve
-- columns, converting the numbers, as it read them was half of that read
-- on a million posts (5.7 ms; 2-3.6 ms with the line read whole). So the
-- line is kept with the row: a generated column, which every write and
-- update of the row keeps right. SQLite adds only virtual generated
-- columns to a table, and a virtual one would be built on every read, so
-- the table is made again, with its ids, which the full-text index's
-- rowids are: 11 s for a million documents.
CREATE TABLE search_docs_new (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	ref_id INTEGER NOT NULL,
	item_type TEXT NOT NULL,
	item_id INTEGER NOT NULL,
	community_id INTEGER,
	access TEXT NOT NULL,
	owner_id INTEGER,
	language TEXT NOT NULL DEFAULT '',
	year INTEGER,
	sdgs TEXT NOT NULL DEFAULT '',
	countries TEXT NOT NULL DEFAULT '',
	at INTEGER NOT NULL,
	boost REAL NOT NULL DEFAULT 0,
	-- "item_id|at|boost|kind|ref_id|access|item_type|community|language|
	-- year|sdgs|countries" (see search.candidate.parseLine).
	line TEXT GENERATED ALWAYS AS (concat_ws('|', item_id, at, boost, kind, ref_id, access, item_type,
		COALESCE(community_id, 0), language, COALESCE(year, 0), sdgs, countries)) STORED,
	UNIQUE (kind, ref_id)
);
INSERT INTO search_docs_new (id, kind, ref_id, item_type, item_id, community_id, access, owner_id, language, year, sdgs, countries, at, boost)
	SELECT id, kind, ref_id, item_type, item_id, community_id, access, owner_id, language, year, sdgs, countries, at, boost FROM search_docs;
DROP TABLE search_docs;
ALTER TABLE search_docs_new RENAME TO search_docs;
CREATE INDEX search_docs_item ON search_docs (item_type, item_id);
CREATE INDEX search_docs_community ON search_docs (community_id, kind);
