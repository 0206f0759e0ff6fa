-- 0010_learning_lab.sql - the Learning Lab's sessions and events
-- (src/practice/learning_lab.h): symposia, training and 'doing group'
-- meetings, each with its date, format and strand, the practice records
-- it draws on, and its materials. Times are whole seconds since
-- 1970-01-01 UTC, as in 0007; an event's date is its day, YYYY-MM-DD.

CREATE TABLE learning_event (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	day TEXT NOT NULL,             -- YYYY-MM-DD
	format TEXT NOT NULL,
	strand TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL
);
CREATE INDEX learning_event_day ON learning_event (day);

-- The practice records an event draws on (practice.record).
CREATE TABLE learning_event_practice (
	event_id INTEGER NOT NULL REFERENCES learning_event (id),
	record INTEGER NOT NULL,
	PRIMARY KEY (event_id, record)
);

-- Its materials: links, each with a title.
CREATE TABLE learning_event_material (
	event_id INTEGER NOT NULL REFERENCES learning_event (id),
	title TEXT NOT NULL,
	url TEXT NOT NULL
);
