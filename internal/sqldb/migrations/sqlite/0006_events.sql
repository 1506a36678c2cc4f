-- Events and webinars (issue 6): events with their speakers, languages,
-- materials and registration questions; registrations with the waiting
-- list; attendance imported from video-meeting reports or marked by hand;
-- certificates; reminders sent; and the post-event surveys with their
-- invitations, responses and answers. No total is stored anywhere: every
-- report counts these rows.

CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	community_id INTEGER NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	description_html TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL,
	kind TEXT NOT NULL,
	status TEXT NOT NULL,
	starts_at TIMESTAMP NOT NULL,
	ends_at TIMESTAMP NOT NULL,
	timezone TEXT NOT NULL,
	join_url TEXT NOT NULL DEFAULT '',
	capacity INTEGER NOT NULL DEFAULT 0,
	registration_deadline TIMESTAMP,
	certificate_share INTEGER NOT NULL DEFAULT 60,
	recording_url TEXT NOT NULL DEFAULT '',
	recording_views INTEGER NOT NULL DEFAULT 0,
	-- sequence is the iCalendar SEQUENCE: it grows by one with every change.
	sequence INTEGER NOT NULL DEFAULT 0,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX events_community ON events (community_id, starts_at);
CREATE INDEX events_starts ON events (starts_at);
CREATE INDEX events_community_created ON events (community_id, created_at);

-- The languages an event is held in, and those it is interpreted into.
CREATE TABLE event_languages (
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	language TEXT NOT NULL,
	interpretation BOOLEAN NOT NULL,
	PRIMARY KEY (event_id, interpretation, language)
);
CREATE INDEX event_languages_language ON event_languages (language, event_id);

-- Speakers and moderators, in the order the page lists them.
CREATE TABLE event_speakers (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	role TEXT NOT NULL,
	name TEXT NOT NULL,
	title TEXT NOT NULL DEFAULT '',
	organization TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT ''
);
CREATE INDEX event_speakers_event ON event_speakers (event_id, position);
CREATE INDEX event_speakers_country ON event_speakers (country, event_id);

-- Materials: a resource of the library, or a link.
CREATE TABLE event_materials (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position INTEGER NOT NULL,
	title TEXT NOT NULL,
	url TEXT NOT NULL DEFAULT '',
	resource_id INTEGER REFERENCES resources (id) ON DELETE SET NULL
);
CREATE INDEX event_materials_event ON event_materials (event_id, position);

-- The custom questions of the registration form; options one per line.
CREATE TABLE event_questions (
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	position INTEGER NOT NULL,
	text TEXT NOT NULL,
	type TEXT NOT NULL,
	required BOOLEAN NOT NULL,
	options TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (event_id, key)
);

-- One row per person and event: cancelling keeps the row (status
-- cancelled) and registering again reopens it. The token is the personal
-- link of the confirmation (see event.Registration).
CREATE TABLE event_registrations (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	name TEXT NOT NULL,
	email TEXT NOT NULL,
	country TEXT NOT NULL DEFAULT '',
	organization TEXT NOT NULL DEFAULT '',
	organization_type TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL,
	source TEXT NOT NULL,
	token TEXT NOT NULL UNIQUE,
	registered_at TIMESTAMP NOT NULL,
	cancelled_at TIMESTAMP,
	updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX event_registrations_email ON event_registrations (event_id, email);
CREATE INDEX event_registrations_status ON event_registrations (event_id, status, registered_at);
CREATE INDEX event_registrations_user ON event_registrations (user_id);

-- Answers to the custom questions: one row per choice of a multiple choice.
CREATE TABLE event_answers (
	registration_id INTEGER NOT NULL REFERENCES event_registrations (id) ON DELETE CASCADE,
	question_key TEXT NOT NULL,
	value TEXT NOT NULL,
	PRIMARY KEY (registration_id, question_key, value)
);

-- People who joined an event, one row each however often they joined:
-- person_key is "e:" and their address, or "n:" and their name when the
-- report gave no address. Walk-ins have no registration.
CREATE TABLE event_attendees (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	person_key TEXT NOT NULL,
	registration_id INTEGER REFERENCES event_registrations (id) ON DELETE SET NULL,
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	name TEXT NOT NULL,
	email TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL,
	UNIQUE (event_id, person_key)
);
CREATE INDEX event_attendees_registration ON event_attendees (registration_id);

-- Each stretch of time an attendee was in the meeting. Keyed by the join
-- time, so importing the same report again changes nothing.
CREATE TABLE event_attendance_sessions (
	attendee_id INTEGER NOT NULL REFERENCES event_attendees (id) ON DELETE CASCADE,
	joined_at TIMESTAMP NOT NULL,
	left_at TIMESTAMP NOT NULL,
	seconds INTEGER NOT NULL,
	source TEXT NOT NULL,
	PRIMARY KEY (attendee_id, joined_at)
);

-- The reports imported, once each (by their SHA-256), for the record.
CREATE TABLE event_attendance_imports (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	sha256 TEXT NOT NULL,
	format TEXT NOT NULL,
	filename TEXT NOT NULL DEFAULT '',
	imported_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	imported_at TIMESTAMP NOT NULL,
	UNIQUE (event_id, sha256)
);

-- Certificates of attendance issued, with the name they certify; anyone
-- may check one at /certificates/CODE.
CREATE TABLE event_certificates (
	code TEXT PRIMARY KEY,
	attendee_id INTEGER NOT NULL UNIQUE REFERENCES event_attendees (id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	issued_at TIMESTAMP NOT NULL
);

-- Reminders sent, so that each goes out once per registration, lead time
-- and start time.
CREATE TABLE event_reminders (
	registration_id INTEGER NOT NULL REFERENCES event_registrations (id) ON DELETE CASCADE,
	lead TEXT NOT NULL,
	starts_at TIMESTAMP NOT NULL,
	sent_at TIMESTAMP NOT NULL,
	PRIMARY KEY (registration_id, lead, starts_at)
);

-- Surveys: one per event, its questions with their fixed ids, invitations
-- with their personal links, and responses. open_token is the anonymous
-- open link, when the managers turned it on.
CREATE TABLE surveys (
	id INTEGER PRIMARY KEY,
	event_id INTEGER NOT NULL UNIQUE REFERENCES events (id) ON DELETE CASCADE,
	open_token TEXT UNIQUE,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

CREATE TABLE survey_questions (
	survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
	key TEXT NOT NULL,
	position INTEGER NOT NULL,
	text TEXT NOT NULL,
	type TEXT NOT NULL,
	multiple BOOLEAN NOT NULL,
	required BOOLEAN NOT NULL,
	options TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (survey_id, key)
);

CREATE TABLE survey_invitations (
	id INTEGER PRIMARY KEY,
	survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
	email TEXT NOT NULL,
	name TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	token TEXT NOT NULL UNIQUE,
	created_at TIMESTAMP NOT NULL,
	sent_at TIMESTAMP,
	sent_count INTEGER NOT NULL DEFAULT 0,
	UNIQUE (survey_id, email)
);

-- email is the respondent's address when known (an invitation, a member,
-- a manager entering history), empty for the anonymous open link; one
-- response per address.
CREATE TABLE survey_responses (
	id INTEGER PRIMARY KEY,
	survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
	invitation_id INTEGER UNIQUE REFERENCES survey_invitations (id) ON DELETE SET NULL,
	email TEXT NOT NULL DEFAULT '',
	source TEXT NOT NULL,
	submitted_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX survey_responses_email ON survey_responses (survey_id, email) WHERE email <> '';
CREATE INDEX survey_responses_survey ON survey_responses (survey_id, submitted_at);

-- One row per answered question (per choice of a multiple choice): likert
-- holds 1 to 5, value the choice or the text.
CREATE TABLE survey_answers (
	id INTEGER PRIMARY KEY,
	response_id INTEGER NOT NULL REFERENCES survey_responses (id) ON DELETE CASCADE,
	survey_id INTEGER NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
	question_key TEXT NOT NULL,
	likert INTEGER,
	value TEXT NOT NULL DEFAULT ''
);
CREATE INDEX survey_answers_response ON survey_answers (response_id);
CREATE INDEX survey_answers_question ON survey_answers (survey_id, question_key, likert);
