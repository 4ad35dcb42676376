ALTER TABLE enrollments DROP COLUMN exit_source;
ALTER TABLE enrollments DROP COLUMN source;
ALTER TABLE clients DROP COLUMN source;
