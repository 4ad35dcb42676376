-- The files of an import's archive that it does not read (Custom*.csv, unknown files, and the
-- HUD files it does not read yet), by name, as a JSON array: listed in the job so that no
-- file is left out without a word. A new column, an empty list for every job stored before:
-- no data changes.
ALTER TABLE import_jobs ADD COLUMN ignored TEXT NOT NULL DEFAULT '[]';
