ALTER TABLE assessments DROP COLUMN results;
