-- Each job's slices go back into its column, in order, before the table goes.
UPDATE import_jobs SET archive = (
    SELECT string_agg(bytes, ''::bytea ORDER BY position) FROM import_archive_slices
    WHERE job_id = import_jobs.id
) WHERE id IN (SELECT job_id FROM import_archive_slices);
DROP TABLE import_archive_slices;
