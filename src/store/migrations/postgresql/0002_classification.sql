-- 0002_classification.sql (PostgreSQL 15) - record which ethnicity
-- classification each return's labels used (../0002_classification.sql):
-- '2011' when the return's labels were in 2011 Census wording, '2021'
-- otherwise; returns imported before this migration are '2021'.
ALTER TABLE submission ADD COLUMN classification TEXT NOT NULL
	DEFAULT '2021' CHECK (classification IN ('2011', '2021'));

UPDATE schema_version SET version = 2;
