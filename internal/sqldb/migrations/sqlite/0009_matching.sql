-- Country-to-country learning (issue 12): the needs that institutions post
-- (what they must learn), the offers they make (what they can share), the
-- matches brokers propose between a need and an offer or a catalogue
-- solution, each step of a match with its date, note and author, and the
-- details of the exchange it produced: modality, dates, participants by
-- country, supporting partner, outcome and evidence. Figures (flows,
-- shares, counts by stage) are never stored: reports count these rows.

CREATE TABLE needs (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	description_html TEXT NOT NULL,
	institution TEXT NOT NULL,
	-- institution_key is the institution's name folded (lower case, no
	-- accents, no punctuation): with the country it says which needs and
	-- offers come from the same institution.
	institution_key TEXT NOT NULL,
	country TEXT NOT NULL,
	-- The community a need is attached to, whose managers broker it.
	community_id INTEGER REFERENCES communities (id) ON DELETE SET NULL,
	timeframe_start TEXT NOT NULL DEFAULT '',
	timeframe_end TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL,
	status TEXT NOT NULL,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX needs_created ON needs (created_at);
CREATE INDEX needs_country ON needs (country, created_at);
CREATE INDEX needs_status ON needs (status, created_at);
CREATE INDEX needs_community ON needs (community_id, created_at);
CREATE INDEX needs_author ON needs (created_by);

CREATE TABLE need_sdgs (
	need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
	sdg INTEGER NOT NULL,
	PRIMARY KEY (need_id, sdg)
);
CREATE INDEX need_sdgs_sdg ON need_sdgs (sdg, need_id);

CREATE TABLE need_targets (
	need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
	target TEXT NOT NULL,
	PRIMARY KEY (need_id, target)
);
CREATE INDEX need_targets_target ON need_targets (target, need_id);

-- Topics are free tags ("congenital syphilis"), compared by topic_key.
CREATE TABLE need_topics (
	need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
	topic_key TEXT NOT NULL,
	topic TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (need_id, topic_key)
);
CREATE INDEX need_topics_topic ON need_topics (topic_key, need_id);

CREATE TABLE need_languages (
	need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
	language TEXT NOT NULL,
	PRIMARY KEY (need_id, language)
);

-- The modalities the requesting institution prefers.
CREATE TABLE need_modalities (
	need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
	modality TEXT NOT NULL,
	PRIMARY KEY (need_id, modality)
);

CREATE TABLE offers (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	description TEXT NOT NULL,
	description_html TEXT NOT NULL,
	institution TEXT NOT NULL,
	institution_key TEXT NOT NULL,
	country TEXT NOT NULL,
	capacity TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL,
	status TEXT NOT NULL,
	-- term_count is the length of the text in counted terms, for the BM25
	-- text similarity of suggestions.
	term_count INTEGER NOT NULL DEFAULT 0,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX offers_created ON offers (created_at);
CREATE INDEX offers_country ON offers (country, created_at);
CREATE INDEX offers_status ON offers (status, created_at);
CREATE INDEX offers_author ON offers (created_by);

CREATE TABLE offer_sdgs (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	sdg INTEGER NOT NULL,
	PRIMARY KEY (offer_id, sdg)
);
CREATE INDEX offer_sdgs_sdg ON offer_sdgs (sdg, offer_id);

CREATE TABLE offer_targets (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	target TEXT NOT NULL,
	PRIMARY KEY (offer_id, target)
);
CREATE INDEX offer_targets_target ON offer_targets (target, offer_id);

CREATE TABLE offer_topics (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	topic_key TEXT NOT NULL,
	topic TEXT NOT NULL,
	position INTEGER NOT NULL,
	PRIMARY KEY (offer_id, topic_key)
);
CREATE INDEX offer_topics_topic ON offer_topics (topic_key, offer_id);

CREATE TABLE offer_languages (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	language TEXT NOT NULL,
	PRIMARY KEY (offer_id, language)
);

CREATE TABLE offer_modalities (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	modality TEXT NOT NULL,
	PRIMARY KEY (offer_id, modality)
);
CREATE INDEX offer_modalities_modality ON offer_modalities (modality, offer_id);

-- Solutions of the catalogue and resources of a library an offer builds on.
CREATE TABLE offer_solutions (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	solution_id INTEGER NOT NULL REFERENCES solutions (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (offer_id, solution_id)
);
CREATE INDEX offer_solutions_solution ON offer_solutions (solution_id);

CREATE TABLE offer_resources (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (offer_id, resource_id)
);

-- The counted terms of an offer's title and description (as the
-- solutions catalogue counts them), for the text similarity.
CREATE TABLE offer_terms (
	offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
	term TEXT NOT NULL,
	tf INTEGER NOT NULL,
	PRIMARY KEY (offer_id, term)
);
CREATE INDEX offer_terms_term ON offer_terms (term, offer_id);

-- A match puts a need together with an offer or a solution of the
-- catalogue. Its stage is the last of its steps; the exchange it produced
-- is described by the columns after it.
CREATE TABLE matches (
	id INTEGER PRIMARY KEY,
	need_id INTEGER NOT NULL REFERENCES needs (id) ON DELETE CASCADE,
	offer_id INTEGER REFERENCES offers (id) ON DELETE CASCADE,
	solution_id INTEGER REFERENCES solutions (id) ON DELETE CASCADE,
	-- The offering country of a match with a solution, one of the
	-- solution's countries (an offer's is the offer's country).
	solution_country TEXT NOT NULL DEFAULT '',
	stage TEXT NOT NULL,
	modality TEXT NOT NULL DEFAULT '',
	starts_on TEXT NOT NULL DEFAULT '',
	ends_on TEXT NOT NULL DEFAULT '',
	outcome TEXT NOT NULL DEFAULT '',
	evidence TEXT NOT NULL DEFAULT '',
	evidence_html TEXT NOT NULL DEFAULT '',
	-- A supporting partner makes the exchange triangular when it is an
	-- international organisation, a UN agency, a donor or from a developed
	-- country.
	partner_name TEXT NOT NULL DEFAULT '',
	partner_country TEXT NOT NULL DEFAULT '',
	partner_type TEXT NOT NULL DEFAULT '',
	proposed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	CHECK ((offer_id IS NULL) <> (solution_id IS NULL))
);
CREATE UNIQUE INDEX matches_need_offer ON matches (need_id, offer_id) WHERE offer_id IS NOT NULL;
CREATE UNIQUE INDEX matches_need_solution ON matches (need_id, solution_id) WHERE solution_id IS NOT NULL;
CREATE INDEX matches_offer ON matches (offer_id);
CREATE INDEX matches_solution ON matches (solution_id);
CREATE INDEX matches_stage ON matches (stage, updated_at);
CREATE INDEX matches_created ON matches (created_at);

-- Every step of a match, the proposal first: the stage it reached, when,
-- why, and who moved it (by_name keeps the name if the account goes).
CREATE TABLE match_steps (
	id INTEGER PRIMARY KEY,
	match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
	stage TEXT NOT NULL,
	note TEXT NOT NULL,
	by_user INTEGER REFERENCES users (id) ON DELETE SET NULL,
	by_name TEXT NOT NULL,
	at TIMESTAMP NOT NULL
);
CREATE INDEX match_steps_match ON match_steps (match_id, id);
CREATE INDEX match_steps_stage ON match_steps (stage, at);

-- Who took part in the exchange, by country.
CREATE TABLE match_participants (
	match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
	country TEXT NOT NULL,
	people INTEGER NOT NULL,
	PRIMARY KEY (match_id, country)
);

-- Evidence of the outcome: links, and resources of a library.
CREATE TABLE match_links (
	match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	url TEXT NOT NULL,
	PRIMARY KEY (match_id, position)
);

CREATE TABLE match_resources (
	match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
	resource_id INTEGER NOT NULL REFERENCES resources (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	PRIMARY KEY (match_id, resource_id)
);
