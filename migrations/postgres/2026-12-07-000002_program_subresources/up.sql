-- What a program records about itself beside its grants (HMIS Data Standards FY2026, project
-- descriptor data elements), one table per HMIS CSV file: ProjectCoC (2.03), Inventory
-- (2.07), HMISParticipation (2.08), CEParticipation (2.09) and Affiliation (2.02.C). Each
-- column is the file's, named as the API names its field; deleted rows are kept (soft
-- delete), for the audit trail and the export's DateDeleted. New tables only: no data changes.
CREATE TABLE program_cocs (
    id TEXT PRIMARY KEY NOT NULL,
    program_id TEXT NOT NULL REFERENCES programs (id),
    coc_code TEXT NOT NULL,
    geocode TEXT NOT NULL,
    address1 TEXT,
    address2 TEXT,
    city TEXT,
    state TEXT,
    zip TEXT,
    geography_type INTEGER,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
-- A program's records in ID order, a page at a time; each indexes the foreign key too.
CREATE INDEX program_cocs_program_id ON program_cocs (program_id, id);

CREATE TABLE inventories (
    id TEXT PRIMARY KEY NOT NULL,
    program_id TEXT NOT NULL REFERENCES programs (id),
    -- One of the program's CoC codes (`inventory.coc_unknown`), checked by the API.
    coc_code TEXT NOT NULL,
    household_type INTEGER NOT NULL,
    availability INTEGER,
    unit_inventory INTEGER NOT NULL,
    bed_inventory INTEGER NOT NULL,
    ch_vet_bed_inventory INTEGER,
    youth_vet_bed_inventory INTEGER,
    vet_bed_inventory INTEGER,
    ch_youth_bed_inventory INTEGER,
    youth_bed_inventory INTEGER,
    ch_bed_inventory INTEGER,
    other_bed_inventory INTEGER,
    es_bed_type INTEGER,
    inventory_start_date DATE NOT NULL,
    inventory_end_date DATE,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX inventories_program_id ON inventories (program_id, id);

CREATE TABLE hmis_participations (
    id TEXT PRIMARY KEY NOT NULL,
    program_id TEXT NOT NULL REFERENCES programs (id),
    hmis_participation_type INTEGER NOT NULL,
    hmis_participation_status_start_date DATE NOT NULL,
    hmis_participation_status_end_date DATE,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX hmis_participations_program_id ON hmis_participations (program_id, id);

CREATE TABLE ce_participations (
    id TEXT PRIMARY KEY NOT NULL,
    program_id TEXT NOT NULL REFERENCES programs (id),
    access_point INTEGER NOT NULL,
    prevention_assessment INTEGER,
    crisis_assessment INTEGER,
    housing_assessment INTEGER,
    direct_services INTEGER,
    receives_referrals INTEGER NOT NULL,
    ce_participation_status_start_date DATE NOT NULL,
    ce_participation_status_end_date DATE,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX ce_participations_program_id ON ce_participations (program_id, id);

-- A services-only program (`program_id`) and a residential program it serves
-- (`res_program_id`, HMIS CSV Affiliation.ResProjectID).
CREATE TABLE affiliations (
    id TEXT PRIMARY KEY NOT NULL,
    program_id TEXT NOT NULL REFERENCES programs (id),
    res_program_id TEXT NOT NULL REFERENCES programs (id),
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX affiliations_program_id ON affiliations (program_id, id);
CREATE INDEX affiliations_res_program_id ON affiliations (res_program_id);
