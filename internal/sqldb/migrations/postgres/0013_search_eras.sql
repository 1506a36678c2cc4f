-- The newest matches of a rare word (issue 10). A search reads the newest
-- thousand matches of its words. The GIN index returns a word's matches in
-- no order: for a word in 20,000 of a million documents it made a bitmap
-- of all 20,000, then the primary key one of the hundred thousand newest
-- ids to keep the newest (25 ms in all). So each document's tsvector also
-- holds its era, the id shifted right by 16 bits, as a lexeme no text can
-- make ('~15': to_tsvector never keeps a '~'); a search asks for the word
-- and the newest eras together, and the GIN index intersects them inside
-- itself (internal/search, plan.eras).
--
-- The trigger adds the era to every document written. The id is known in
-- a BEFORE trigger (its default is applied first); a document written
-- again (INSERT ... ON CONFLICT DO UPDATE) keeps its id but comes with the
-- era of the id it was proposed with, which is replaced.
CREATE FUNCTION search_docs_era() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		NEW.tsv := ts_delete(NEW.tsv, ARRAY(SELECT lexeme FROM unnest(NEW.tsv) WHERE lexeme LIKE '~%'));
	END IF;
	NEW.tsv := NEW.tsv || array_to_tsvector(ARRAY['~' || (NEW.id >> 16)]);
	RETURN NEW;
END
$$;
CREATE TRIGGER search_docs_era BEFORE INSERT OR UPDATE OF tsv ON search_docs
	FOR EACH ROW EXECUTE FUNCTION search_docs_era();
UPDATE search_docs SET tsv = tsv;
