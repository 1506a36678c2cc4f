-- The replies every reader sees, by thread and time: the community report
-- counts a period's replies of a community's threads, and thread lists count
-- each thread's replies, from this index alone (at scale 1 the report read
-- every post of the site to count those of its largest community: 1.4 s).
-- The columns of the condition are in the index too, always the same there,
-- so that SQLite reads no row to check them.
CREATE INDEX posts_visible ON posts (thread_id, created_at, deleted_at, hidden_at, held) WHERE deleted_at IS NULL AND hidden_at IS NULL AND held = FALSE;
