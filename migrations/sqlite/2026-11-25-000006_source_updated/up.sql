ALTER TABLE source_ids ADD COLUMN source_updated_at TIMESTAMP;
