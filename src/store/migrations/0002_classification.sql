-- 0002_classification.sql - record which ethnicity classification each
-- return's labels used, so that a series crossing the 2011 -> 2021 change
-- can be mapped through the crosswalk and the break flagged.
--
-- '2011' when the return's labels were in 2011 Census wording (its Other
-- White then includes Roma, which 2021 counts apart); '2021' otherwise.
-- Returns imported before this migration were classified to 2021
-- categories and are recorded as '2021'.
ALTER TABLE submission ADD COLUMN classification TEXT NOT NULL
	DEFAULT '2021' CHECK (classification IN ('2011', '2021'));
