-- rls.sql (PostgreSQL 15) - row-level security for a hub shared by
-- councils. Applied after the numbered migrations, and again after any
-- new one: every statement here can run again (idempotent). Run it as the
-- role that owns the store's tables, which must also be able to create
-- roles and own functions as them (a superuser, or CREATEROLE with
-- membership of the roles made here).
--
-- The acting council is the setting `parity.council`, which the hub sets
-- per transaction (SET LOCAL parity.council = 'E09000005'):
--   a GSS code   that council: its rows only, read and written;
--   '*'          London-wide (analysts, admins, the command line): every row;
--   empty/unset  no council's rows at all.
-- The rules, table by table, are in README.md. Tables are FORCEd, so the
-- owner is held to them too (a superuser, or a role with BYPASSRLS, is
-- not).
--
-- Roles:
--   parity_hub         the hub's connections: NOLOGIN here (a deployment
--                      grants it to the login role the hub uses), no
--                      BYPASSRLS, owns nothing; SELECT, INSERT, UPDATE on
--                      the store's tables, DELETE only where the store
--                      deletes, and USAGE on its sequences.
--   parity_rls_lookup  owns the two SECURITY DEFINER look-ups below and
--                      may read all of `review` and `practice_attachment`
--                      for them, nothing else; NOLOGIN, no BYPASSRLS.

DO $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parity_hub') THEN
		CREATE ROLE parity_hub NOLOGIN NOBYPASSRLS;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'parity_rls_lookup') THEN
		CREATE ROLE parity_rls_lookup NOLOGIN NOBYPASSRLS;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_roles
		   WHERE rolname IN ('parity_hub', 'parity_rls_lookup')
		   AND (rolbypassrls OR rolsuper)) THEN
		RAISE EXCEPTION 'parity_hub and parity_rls_lookup must not bypass row-level security';
	END IF;
END $$;

-- Whether the acting council may see rows of council `area` (NULL: rows
-- of no council, seen London-wide only).
CREATE OR REPLACE FUNCTION parity_acting_for(area TEXT) RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT coalesce(current_setting('parity.council', true), '') = '*'
	    OR (coalesce(current_setting('parity.council', true), '') <> ''
		AND current_setting('parity.council', true) = area)
$$;

-- Whether the acting is London-wide.
CREATE OR REPLACE FUNCTION parity_london_wide() RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT coalesce(current_setting('parity.council', true), '') = '*'
$$;

-- Whether the acting council peer-reviews assessment `id` (a reviewer
-- reads the assessment it was assigned). SECURITY DEFINER, as
-- parity_rls_lookup: `assessment`'s rule asks `review`, whose rule asks
-- `assessment`, and policies may not refer to each other in a circle.
CREATE OR REPLACE FUNCTION parity_reviewing(id BIGINT) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
	SELECT EXISTS (SELECT 1 FROM review r
		       WHERE r.assessment_id = $1
		       AND parity_acting_for(r.reviewer_area))
$$;

-- Whether any version, of any council, names document `sha`: a file
-- nobody names may be deleted by whoever removed the last attachment.
CREATE OR REPLACE FUNCTION parity_file_named(sha TEXT) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $$
	SELECT EXISTS (SELECT 1 FROM practice_attachment a WHERE a.sha256 = $1)
$$;

ALTER FUNCTION parity_reviewing(BIGINT) OWNER TO parity_rls_lookup;
ALTER FUNCTION parity_file_named(TEXT) OWNER TO parity_rls_lookup;

DO $$
BEGIN
	EXECUTE format('GRANT USAGE ON SCHEMA %I TO parity_hub, parity_rls_lookup',
		       current_schema());
END $$;
GRANT SELECT ON review, practice_attachment TO parity_rls_lookup;
DROP POLICY IF EXISTS lookup ON review;
CREATE POLICY lookup ON review FOR SELECT TO parity_rls_lookup USING (true);
DROP POLICY IF EXISTS lookup ON practice_attachment;
CREATE POLICY lookup ON practice_attachment FOR SELECT TO parity_rls_lookup
	USING (true);

-- A table's policies: rows visible where `visible` holds; inserted,
-- updated and deleted where `writable` holds (`inserted`, when given,
-- for an insert instead; `deleted` for a delete).
CREATE FUNCTION pg_temp.council_rows(tab TEXT, visible TEXT, writable TEXT,
	inserted TEXT DEFAULT NULL, deleted TEXT DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tab);
	EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tab);
	EXECUTE format('DROP POLICY IF EXISTS council_select ON %I', tab);
	EXECUTE format('DROP POLICY IF EXISTS council_insert ON %I', tab);
	EXECUTE format('DROP POLICY IF EXISTS council_update ON %I', tab);
	EXECUTE format('DROP POLICY IF EXISTS council_delete ON %I', tab);
	EXECUTE format('CREATE POLICY council_select ON %I FOR SELECT USING (%s)',
		       tab, visible);
	EXECUTE format('CREATE POLICY council_insert ON %I FOR INSERT WITH CHECK (%s)',
		       tab, coalesce(inserted, writable));
	EXECUTE format('CREATE POLICY council_update ON %I FOR UPDATE USING (%s) WITH CHECK (%s)',
		       tab, writable, writable);
	EXECUTE format('CREATE POLICY council_delete ON %I FOR DELETE USING (%s)',
		       tab, coalesce(deleted, writable));
END $$;

-- A council's own rows, by their area code.
SELECT pg_temp.council_rows(t, 'parity_acting_for(area_code)',
			    'parity_acting_for(area_code)')
FROM unnest(ARRAY['submission', 'refused_label', 'objection',
		  'attainment_return']) AS t;

-- The records, aggregates, labels and notes of a submission: its council's.
SELECT pg_temp.council_rows(t,
	'EXISTS (SELECT 1 FROM submission p WHERE p.id = submission_id '
	'AND parity_acting_for(p.area_code))',
	'EXISTS (SELECT 1 FROM submission p WHERE p.id = submission_id '
	'AND parity_acting_for(p.area_code))')
FROM unnest(ARRAY['staff', 'applicant', 'staff_pay', 'staff_event',
		  'applicant_count', 'service_return', 'service_count',
		  'staff_block', 'alias_check', 'submission_label',
		  'records_removed']) AS t;

-- An attainment return's rows: its council's.
SELECT pg_temp.council_rows('attainment_row',
	'EXISTS (SELECT 1 FROM attainment_return p WHERE p.id = return_id '
	'AND parity_acting_for(p.area_code))',
	'EXISTS (SELECT 1 FROM attainment_return p WHERE p.id = return_id '
	'AND parity_acting_for(p.area_code))');

-- An assessment: written by its council; seen by its council, by every
-- council once submitted with `share` (its levels under its name), and by
-- the council assigned to review it.
SELECT pg_temp.council_rows('assessment',
	'parity_acting_for(area_code) OR (state = ''submitted'' AND share = 1) '
	'OR parity_reviewing(id)',
	'parity_acting_for(area_code)');
-- Its parts: seen with it, written by its council.
SELECT pg_temp.council_rows(t,
	'EXISTS (SELECT 1 FROM assessment p WHERE p.id = assessment_id)',
	'EXISTS (SELECT 1 FROM assessment p WHERE p.id = assessment_id '
	'AND parity_acting_for(p.area_code))')
FROM unnest(ARRAY['assessment_criterion', 'assessment_link',
		  'assessment_answer', 'assessment_action']) AS t;
-- A review: assigned London-wide; seen and changed by the reviewing
-- council (its entries, sign-off) and the assessed council (its response).
SELECT pg_temp.council_rows('review',
	'parity_acting_for(reviewer_area) OR EXISTS (SELECT 1 FROM assessment p '
	'WHERE p.id = assessment_id AND parity_acting_for(p.area_code))',
	'parity_acting_for(reviewer_area) OR EXISTS (SELECT 1 FROM assessment p '
	'WHERE p.id = assessment_id AND parity_acting_for(p.area_code))',
	'parity_london_wide()');
-- Its entries: seen with it, written by the reviewing council.
SELECT pg_temp.council_rows('review_entry',
	'EXISTS (SELECT 1 FROM review p WHERE p.id = review_id)',
	'EXISTS (SELECT 1 FROM review p WHERE p.id = review_id '
	'AND parity_acting_for(p.reviewer_area))');

-- A practice record's version: written by its council (and moderated
-- London-wide); seen by its council, and by everyone once approved.
SELECT pg_temp.council_rows('practice',
	'parity_acting_for(area_code) OR state = ''approved''',
	'parity_acting_for(area_code)');
-- Its leads, tags and attachments: seen with it, written by its council.
SELECT pg_temp.council_rows(t,
	'EXISTS (SELECT 1 FROM practice p WHERE p.id = practice_id)',
	'EXISTS (SELECT 1 FROM practice p WHERE p.id = practice_id '
	'AND parity_acting_for(p.area_code))')
FROM unnest(ARRAY['practice_lead', 'practice_tag',
		  'practice_attachment']) AS t;
-- A document's bytes: seen where a version the acting council sees names
-- them, or where none does (between their insert and their attachment's,
-- and before a sweep deletes them); added by anyone (content-addressed:
-- adding them again is no change); deleted when no version names them.
SELECT pg_temp.council_rows('practice_file',
	'EXISTS (SELECT 1 FROM practice_attachment a '
	'WHERE a.sha256 = practice_file.sha256) OR NOT parity_file_named(sha256)',
	'EXISTS (SELECT 1 FROM practice_attachment a '
	'WHERE a.sha256 = practice_file.sha256)',
	'true',
	'NOT parity_file_named(sha256)');

-- The audit log: an entry about a council's data is seen by that council,
-- every entry London-wide; any acting may add one (a refusal is recorded
-- against the council whose data was asked for, and a sign-in against
-- none). Never changed or deleted: no UPDATE or DELETE is granted, and the
-- triggers of 0007 refuse them.
SELECT pg_temp.council_rows('audit', 'parity_acting_for(area_code)',
			    'false', 'true', 'false');

DROP FUNCTION pg_temp.council_rows(TEXT, TEXT, TEXT, TEXT, TEXT);

-- The hub's privileges. Not `ON ALL TABLES`: the store's tables only.
DO $$
DECLARE
	t TEXT;
BEGIN
	FOREACH t IN ARRAY ARRAY['submission', 'staff', 'applicant',
		'staff_pay', 'staff_event', 'applicant_count', 'service_return',
		'service_count', 'staff_block', 'key_fingerprint',
		'alias_version', 'alias', 'alias_check', 'submission_label',
		'refused_label', 'account', 'credential', 'signin_failure',
		'assessment', 'assessment_criterion', 'assessment_link',
		'assessment_answer', 'assessment_action', 'review',
		'review_entry', 'practice', 'practice_lead', 'practice_tag',
		'practice_text', 'learning_event', 'learning_event_practice',
		'learning_event_material', 'practice_file',
		'practice_attachment', 'digest_issue', 'attainment_return',
		'attainment_row', 'area_group', 'area_group_member',
		'records_removed', 'objection']
	LOOP
		EXECUTE format('GRANT SELECT, INSERT, UPDATE ON %I TO parity_hub', t);
	END LOOP;
	-- DELETE only on the tables the store deletes from (src/store/*.c).
	FOREACH t IN ARRAY ARRAY['submission', 'staff', 'applicant',
		'staff_pay', 'staff_event', 'applicant_count', 'service_return',
		'service_count', 'staff_block', 'alias_check',
		'submission_label', 'refused_label', 'signin_failure',
		'assessment_criterion', 'assessment_link', 'assessment_answer',
		'assessment_action', 'practice_text', 'practice_file',
		'practice_attachment', 'area_group', 'area_group_member']
	LOOP
		EXECUTE format('GRANT DELETE ON %I TO parity_hub', t);
	END LOOP;
	-- The audit log is appended to and read, never changed; the schema's
	-- version is the migrations' to set.
	GRANT SELECT, INSERT ON audit TO parity_hub;
	GRANT SELECT ON schema_version TO parity_hub;
	EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO parity_hub',
		       current_schema());
END $$;

-- Ids as SQLite gives them: the next id of a table is one more than the
-- largest it holds, so an id drawn by a write that was rolled back, or
-- freed by a delete, is given again, as SQLite's rowid is. The store calls
-- this at the start of every write transaction, after taking the write
-- lock (store_postgres.c): no other writer is then between its first
-- insert and its commit, so no id can be drawn twice. SECURITY DEFINER,
-- as the tables' owner (setval needs it), seeing every council's rows for
-- the largest id, then acting for the council it was called for again.
CREATE OR REPLACE FUNCTION parity_align_ids() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
	acting TEXT := coalesce(current_setting('parity.council', true), '');
	r RECORD;
	largest BIGINT;
BEGIN
	PERFORM set_config('parity.council', '*', true);
	-- the catalogue itself: information_schema's views cost some 30 ms
	-- a call, on every write
	FOR r IN SELECT c.relname AS table_name, a.attname AS column_name
		 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
		 WHERE c.relnamespace = current_schema()::regnamespace
		 AND c.relkind = 'r' AND a.attidentity <> ''
		 AND NOT a.attisdropped
	LOOP
		EXECUTE format('SELECT coalesce(max(%I), 0) FROM %I',
			       r.column_name, r.table_name) INTO largest;
		PERFORM setval(pg_get_serial_sequence(quote_ident(r.table_name),
						      r.column_name),
			       largest + 1, false);
	END LOOP;
	PERFORM set_config('parity.council', acting, true);
END $$;
REVOKE ALL ON FUNCTION parity_align_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION parity_align_ids() TO parity_hub;
