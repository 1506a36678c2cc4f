-- Eras of 32,768 ids on PostgreSQL (issue 10); SQLite's full-text index
-- needs none. The migration keeps the two engines' versions in step.
SELECT 1;
