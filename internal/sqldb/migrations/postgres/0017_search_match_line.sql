-- SQLite keeps each search document's line of text in a generated column
-- (issue 10). PostgreSQL builds it as it reads, with one concat_ws: stored,
-- it was no faster, the rows growing wider. The migration keeps the two
-- engines' versions in step.
SELECT 1;
