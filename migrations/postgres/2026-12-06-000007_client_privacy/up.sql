-- Client privacy: who created a client (the organization of the case manager who did; none
-- for an admin's or an imported client), and the releases of information clients give.
ALTER TABLE clients ADD COLUMN organization_id TEXT REFERENCES organizations (id);
CREATE INDEX clients_organization_id ON clients (organization_id);

-- A release of information: revoked, never deleted. `scope` is `coc` (every organization)
-- or `organizations` (those in consent_organizations).
CREATE TABLE consents (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    scope TEXT NOT NULL CHECK (scope IN ('coc', 'organizations')),
    start_date DATE NOT NULL,
    end_date DATE,
    status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    recorded_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX consents_client_id ON consents (client_id);

CREATE TABLE consent_organizations (
    consent_id TEXT NOT NULL REFERENCES consents (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (consent_id, organization_id)
);
CREATE INDEX consent_organizations_organization_id ON consent_organizations (organization_id);
