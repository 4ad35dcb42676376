ALTER TABLE source_ids DROP COLUMN source_updated_at;
