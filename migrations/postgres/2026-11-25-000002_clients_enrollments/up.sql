CREATE TABLE clients (
    id TEXT PRIMARY KEY NOT NULL,
    first_name TEXT,
    middle_name TEXT,
    last_name TEXT,
    name_suffix TEXT,
    name_data_quality INTEGER NOT NULL,
    ssn TEXT,
    ssn_last4 TEXT,
    ssn_data_quality INTEGER NOT NULL,
    dob DATE,
    dob_data_quality INTEGER NOT NULL,
    sex INTEGER NOT NULL,
    race_ethnicity TEXT NOT NULL,
    race_none INTEGER,
    veteran_status INTEGER NOT NULL,
    search_name TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX clients_dob ON clients (dob);

CREATE TABLE households (
    id TEXT PRIMARY KEY NOT NULL,
    program_id TEXT NOT NULL REFERENCES programs (id),
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX households_program_id ON households (program_id);

CREATE TABLE enrollments (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    program_id TEXT NOT NULL REFERENCES programs (id),
    household_id TEXT NOT NULL REFERENCES households (id),
    relationship_to_hoh INTEGER NOT NULL,
    entry_date DATE NOT NULL,
    exit_date DATE,
    destination INTEGER,
    destination_subsidy_type INTEGER,
    other_destination TEXT,
    auto_exited BOOLEAN NOT NULL DEFAULT FALSE,
    exited_by TEXT,
    exited_at TIMESTAMP,
    grant_id TEXT REFERENCES grants (id),
    case_manager_id TEXT REFERENCES users (id),
    enrollment_coc TEXT,
    disabling_condition INTEGER,
    prior_living_situation INTEGER,
    length_of_stay INTEGER,
    move_in_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX enrollments_client_id ON enrollments (client_id, program_id);
CREATE INDEX enrollments_program_id ON enrollments (program_id, exit_date);
CREATE INDEX enrollments_household_id ON enrollments (household_id);
CREATE INDEX enrollments_grant_id ON enrollments (grant_id);
CREATE INDEX enrollments_case_manager_id ON enrollments (case_manager_id);
