-- A job's archive, a slice per row, in order: stored once each, where appending each slice
-- to import_jobs.archive wrote again all that was stored before it (a 35 MB archive took
-- three seconds to store). Jobs stored before keep their archive in import_jobs.archive,
-- where it is read from when a job has no slices: no data moves.
CREATE TABLE import_archive_slices (
    job_id TEXT NOT NULL REFERENCES import_jobs (id),
    position INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (job_id, position)
);
