CREATE TABLE audit_events (
    id TEXT PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    organization_id TEXT REFERENCES organizations (id),
    changes TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id);
CREATE INDEX audit_events_organization_id ON audit_events (organization_id, at);
CREATE INDEX audit_events_actor ON audit_events (actor, at);
CREATE INDEX audit_events_at ON audit_events (at);

CREATE TABLE change_clock (
    id INTEGER PRIMARY KEY NOT NULL,
    last_at TIMESTAMP NOT NULL
);

CREATE INDEX enrollments_updated_at ON enrollments (updated_at, id);

CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    location TEXT,
    etag TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, idempotency_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
INSERT INTO change_clock (id, last_at) VALUES (1, '1970-01-01 00:00:00');
