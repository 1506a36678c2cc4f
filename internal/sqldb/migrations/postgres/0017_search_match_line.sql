-- A search reads a thousand matches of a common word, each as a line of
-- text (internal/search, matchLine). Building the line from twelve
-- columns, converting the numbers, as it read them was a third of that
-- read on a million posts (3.6-4.1 ms, 2.0-2.6 with the line read whole).
-- So the line is kept with the row: a generated column, which every write
-- and update of the row keeps right. Adding it writes the table and its
-- indexes again: 42 s for a million documents.
-- "item_id|at|boost|kind|ref_id|access|item_type|community|language|year|
-- sdgs|countries" (see search.candidate.parseLine).
ALTER TABLE search_docs ADD COLUMN line TEXT GENERATED ALWAYS AS (
	CAST(item_id AS TEXT) || '|' || CAST(at AS TEXT) || '|' || CAST(boost AS TEXT) || '|' || kind || '|' || CAST(ref_id AS TEXT) || '|' ||
	access || '|' || item_type || '|' || CAST(COALESCE(community_id, 0) AS TEXT) || '|' || language || '|' ||
	CAST(COALESCE(year, 0) AS TEXT) || '|' || sdgs || '|' || countries) STORED;
