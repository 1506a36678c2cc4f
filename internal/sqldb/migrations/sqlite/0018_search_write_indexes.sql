-- Indexing a reply wrote three b-tree indexes of search_docs besides the
-- row (issue 10: indexing is to add at most 20% to creating a post). Two
-- served no search: (item_type, item_id) was read by no query at all, and
-- (community_id, kind) only when a community's goals change, which now
-- finds its threads', replies' and events' documents through their own
-- tables (internal/search, IndexCommunity). On SQLite each page an index
-- changes is one more page written to the log at every commit; the two
-- were 3 of the 12 pages a reply's document wrote.
DROP INDEX search_docs_item;
DROP INDEX search_docs_community;
