-- The records HUD collects during an enrollment, one table for the seven files of them
-- (HMIS CSV FY2026): IncomeBenefits (4.02-4.04), Disabilities (4.05-4.10), HealthAndDV
-- (4.11), EmploymentEducation (R4-R6), CurrentLivingSituation (4.12), Event (4.20) and
-- YouthEducationStatus (C3). A record's HUD fields are a JSON object in `fields`, checked
-- against the column catalog by the domain before they are written; what the rules and
-- queries look records up by has a column of its own. A new table only: no data changes.
CREATE TABLE hud_records (
    id TEXT PRIMARY KEY NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
    collection TEXT NOT NULL,
    -- The file's date: InformationDate, or EventDate for an event.
    information_date DATE NOT NULL,
    -- 5.03, in every file but CurrentLivingSituation and Event, which have none.
    data_collection_stage INTEGER,
    -- DisabilityType (4.05-4.10), in Disabilities only: one record per type and stage.
    disability_type INTEGER,
    -- The record's other HUD fields by the API's names, as a JSON object.
    fields TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP,
    CONSTRAINT hud_records_collection CHECK (collection IN ('income_benefits',
        'disabilities', 'health_and_dv', 'employment_education',
        'current_living_situations', 'events', 'youth_education_statuses')),
    CONSTRAINT hud_records_stage_of_file CHECK ((data_collection_stage IS NULL)
        = (collection IN ('current_living_situations', 'events'))),
    CONSTRAINT hud_records_disability_type_of_file CHECK ((disability_type IS NOT NULL)
        = (collection = 'disabilities'))
);
-- A collection's records under an enrollment, in ID order, a page at a time; it indexes
-- the foreign key too.
CREATE INDEX hud_records_enrollment_id ON hud_records (enrollment_id, collection, id);
-- `record.stage_duplicate`: the record of a kind (of a disability type) at a stage of an
-- enrollment, among those not deleted.
CREATE INDEX hud_records_stage ON hud_records (enrollment_id, collection,
    data_collection_stage, disability_type) WHERE deleted_at IS NULL;
