-- HMIS CSV imports: each job keeps its archive, so a queued job survives a restart.
CREATE TABLE import_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
    dry_run BOOLEAN NOT NULL,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP,
    finished_at TIMESTAMP,
    counts TEXT NOT NULL,
    errors TEXT NOT NULL,
    source TEXT,
    archive BLOB NOT NULL
);
CREATE INDEX import_jobs_organization_id ON import_jobs (organization_id);
CREATE INDEX import_jobs_status ON import_jobs (status, created_at);

-- The record each source's HMIS ID was imported as, so a later file updates it.
CREATE TABLE source_ids (
    source TEXT NOT NULL,
    entity TEXT NOT NULL,
    source_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (source, entity, source_id)
);
CREATE INDEX source_ids_record_id ON source_ids (entity, record_id);
