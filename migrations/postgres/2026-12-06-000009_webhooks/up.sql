-- Webhooks: subscriptions, the outbox of events written in each change's own transaction,
-- one delivery of an event per subscription that may see it, and every attempt to send it.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY NOT NULL,
    -- The organization of the integration that subscribed; NULL: an admin's subscription.
    organization_id TEXT REFERENCES organizations (id),
    url TEXT NOT NULL,
    -- The event types, a JSON array of text.
    events TEXT NOT NULL,
    description TEXT,
    active BOOLEAN NOT NULL,
    -- The signing key, `whsec_` and base64.
    secret TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX webhooks_organization_id ON webhooks (organization_id, id);

-- `seq` numbers events as their changes commit, for each resource: a change locks what it
-- changes, so a later event of one resource is always numbered after an earlier one.
CREATE TABLE webhook_events (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    -- Whose subscriptions may see it, as reads are scoped: the organization the resource
    -- belongs to (NULL: any that sees the client) and the client it is about (NULL: none).
    organization_id TEXT,
    client_id TEXT,
    occurred_at TIMESTAMP NOT NULL,
    -- The resource as stored when the change committed, as JSON.
    data TEXT NOT NULL
);

CREATE INDEX webhook_events_client_id ON webhook_events (client_id);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    webhook_id TEXT NOT NULL REFERENCES webhooks (id),
    event_seq BIGINT NOT NULL REFERENCES webhook_events (seq),
    -- What the event is about (`enrollment:<id>`): one resource's deliveries go in `seq` order.
    resource TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- A server sending it holds it until then; past it another server may take it.
    leased_until TIMESTAMP,
    leased_by TEXT,
    last_status_code INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_deliveries_webhook_id ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_event_seq ON webhook_deliveries (event_seq);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (webhook_id, resource, event_seq);

CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    at TIMESTAMP NOT NULL,
    -- The receiver's answer; NULL when there was none (a refused connection, a time-out).
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery_id ON webhook_attempts (delivery_id, at);
