DROP TABLE source_ids;
DROP TABLE import_jobs;
