-- Imports from other systems (contract: "Imports from other systems"). A job's mode
-- (`strict`, the only one before, or `tolerant`) and, in tolerant mode, the share of rows it
-- may skip before it fails whole. An enrollment imported though it breaks an enrollment rule
-- carries the rule's flags, `[{"code", "message"}]` as a JSON array. New columns, `strict`, 5
-- and no flags for every row stored before: no data changes.
ALTER TABLE import_jobs ADD COLUMN mode TEXT NOT NULL DEFAULT 'strict';
ALTER TABLE import_jobs ADD COLUMN max_skipped_percent INTEGER NOT NULL DEFAULT 5;
ALTER TABLE enrollments ADD COLUMN flags TEXT NOT NULL DEFAULT '[]';
