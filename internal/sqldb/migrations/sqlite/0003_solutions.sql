-- The solutions catalogue: South-South and triangular good practices with
-- their countries, the UN M49 areas those lie in, SDGs and targets, partners,
-- contacts, the communities that showcase them, the history of their changes
-- and the term counts that the similarity ranking reads. Archived records
-- stay here (archived_at set) but leave browse, search and similar lists.

-- The record's short fields, which lists filter, sort, count and show. The
-- long texts live in solution_texts, so that lists and facets read small
-- rows.
CREATE TABLE solutions (
	id INTEGER PRIMARY KEY,
	is_global BOOLEAN NOT NULL DEFAULT FALSE,
	modality TEXT NOT NULL,
	primary_sdg INTEGER NOT NULL,
	status TEXT NOT NULL,
	start_month TEXT NOT NULL DEFAULT '', -- YYYY-MM, or empty when unknown
	end_month TEXT NOT NULL DEFAULT '',
	start_year INTEGER,                   -- from start_month, for the filter and facet
	language TEXT NOT NULL,
	term_count INTEGER NOT NULL DEFAULT 0, -- document length for BM25
	archived_at TIMESTAMP,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	title TEXT NOT NULL,
	-- title_key is the title lower-cased and without accents: the sort key,
	-- and with start_month what makes a record the same one on import.
	title_key TEXT NOT NULL,
	tagline TEXT NOT NULL DEFAULT '',
	url TEXT NOT NULL DEFAULT '',
	url_key TEXT                          -- normalised url; NULL when there is none
);
CREATE UNIQUE INDEX solutions_url ON solutions (url_key);
CREATE UNIQUE INDEX solutions_title_start ON solutions (title_key, start_month);
-- Lists: the newest first, by title, and the facets and filters on the
-- record's own columns, all within the records that are not archived.
CREATE INDEX solutions_newest ON solutions (archived_at, start_month, id);
CREATE INDEX solutions_title ON solutions (archived_at, title_key);
CREATE INDEX solutions_facets ON solutions (archived_at, status, modality, start_year, is_global);
CREATE INDEX solutions_updated ON solutions (updated_at);

-- Long texts in Markdown, with their rendered and sanitised HTML.
CREATE TABLE solution_texts (
	solution_id INTEGER PRIMARY KEY REFERENCES solutions (id) ON DELETE CASCADE,
	challenge TEXT NOT NULL DEFAULT '',
	challenge_html TEXT NOT NULL DEFAULT '',
	solution TEXT NOT NULL DEFAULT '',
	solution_html TEXT NOT NULL DEFAULT '',
	results TEXT NOT NULL DEFAULT '',
	results_html TEXT NOT NULL DEFAULT '',
	lessons TEXT NOT NULL DEFAULT '',
	lessons_html TEXT NOT NULL DEFAULT '',
	replicability TEXT NOT NULL DEFAULT '',
	replicability_html TEXT NOT NULL DEFAULT ''
);

-- Lower-cased, accent-folded words of the searchable text (title_words:
-- title and tagline; words: those, the challenge, solution, results and
-- partners), each preceded by a space, so that LIKE '% word%' finds words
-- that start with "word". The site-wide search issue replaces this with the
-- engines' full-text indexes.
CREATE TABLE solution_search (
	solution_id INTEGER PRIMARY KEY REFERENCES solutions (id) ON DELETE CASCADE,
	title_words TEXT NOT NULL,
	words TEXT NOT NULL
);

CREATE TABLE solution_countries (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	country TEXT NOT NULL,
	PRIMARY KEY (solution_id, country)
);
CREATE INDEX solution_countries_country ON solution_countries (country, solution_id);

-- Every M49 area that holds one of the countries, at every level (Eastern
-- Africa, Sub-Saharan Africa, Africa), so that a region filter is one lookup.
CREATE TABLE solution_regions (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	region TEXT NOT NULL,
	PRIMARY KEY (solution_id, region)
);
CREATE INDEX solution_regions_region ON solution_regions (region, solution_id);

-- Every SDG a solution serves; the primary one is also on solutions.
CREATE TABLE solution_sdgs (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	sdg INTEGER NOT NULL,
	is_primary BOOLEAN NOT NULL,
	PRIMARY KEY (solution_id, sdg)
);
CREATE INDEX solution_sdgs_sdg ON solution_sdgs (sdg, solution_id);

CREATE TABLE solution_targets (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	target TEXT NOT NULL,
	PRIMARY KEY (solution_id, target)
);
CREATE INDEX solution_targets_target ON solution_targets (target, solution_id);

-- Organisations that support (role 'supporter') or implement ('implementer')
-- a solution, in the order given.
CREATE TABLE solution_partners (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	role TEXT NOT NULL,
	position INTEGER NOT NULL,
	name TEXT NOT NULL,
	PRIMARY KEY (solution_id, role, position)
);

CREATE TABLE solution_contacts (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	title TEXT NOT NULL DEFAULT '',
	organization TEXT NOT NULL DEFAULT '',
	email TEXT NOT NULL DEFAULT '', -- shown only to logged-in members
	PRIMARY KEY (solution_id, position)
);

-- Communities that showcase a solution.
CREATE TABLE solution_communities (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	PRIMARY KEY (solution_id, community_id)
);
CREATE INDEX solution_communities_community ON solution_communities (community_id, solution_id);

-- Who changed what, when: action is created, updated, archived or restored;
-- fields lists the fields an update changed; via is web, api, import or demo.
CREATE TABLE solution_changes (
	id INTEGER PRIMARY KEY,
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	action TEXT NOT NULL,
	fields TEXT NOT NULL DEFAULT '',
	via TEXT NOT NULL DEFAULT '',
	at TIMESTAMP NOT NULL
);
CREATE INDEX solution_changes_solution ON solution_changes (solution_id, at);

-- Term counts of each solution's text, computed when the record is written,
-- so that similar solutions are ranked (BM25, in Go) without reading every
-- record's text on each request.
CREATE TABLE solution_terms (
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	term TEXT NOT NULL,
	tf INTEGER NOT NULL,
	PRIMARY KEY (solution_id, term)
);
CREATE INDEX solution_terms_term ON solution_terms (term, solution_id, tf);

-- How many records hold each term (document frequency), kept up to date as
-- records are written, so that ranking does not count postings.
CREATE TABLE solution_term_df (
	term TEXT PRIMARY KEY,
	df INTEGER NOT NULL
);
