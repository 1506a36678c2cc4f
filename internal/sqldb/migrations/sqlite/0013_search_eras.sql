-- The newest matches of a rare word (issue 10): on PostgreSQL each document
-- of the index holds its era, so that the GIN index, which returns a word's
-- matches in no order, can keep the newest; SQLite's full-text index reads
-- a word's matches newest first and needs nothing. The migration keeps the
-- two engines' versions in step.
SELECT 1;
