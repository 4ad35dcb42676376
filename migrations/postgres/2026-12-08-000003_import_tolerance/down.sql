ALTER TABLE enrollments DROP COLUMN flags;
ALTER TABLE import_jobs DROP COLUMN max_skipped_percent;
ALTER TABLE import_jobs DROP COLUMN mode;
