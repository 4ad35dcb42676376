CREATE TABLE assessments (
    id TEXT PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL REFERENCES clients (id),
    enrollment_id TEXT REFERENCES enrollments (id),
    assessment_date DATE NOT NULL,
    assessment_location TEXT NOT NULL,
    assessment_type INTEGER NOT NULL,
    assessment_level INTEGER NOT NULL,
    prioritization_status INTEGER NOT NULL,
    answers TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX assessments_client_id ON assessments (client_id, assessment_date);
CREATE INDEX assessments_enrollment_id ON assessments (enrollment_id);

CREATE TABLE services (
    id TEXT PRIMARY KEY NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
    date_provided DATE NOT NULL,
    record_type INTEGER NOT NULL,
    type_provided INTEGER NOT NULL,
    other_type_provided TEXT,
    fa_amount_cents BIGINT,
    note TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX services_enrollment_id ON services (enrollment_id, date_provided);

CREATE TABLE goals (
    id TEXT PRIMARY KEY NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
    title TEXT NOT NULL,
    description TEXT,
    status TEXT NOT NULL,
    target_date DATE,
    closed_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX goals_enrollment_id ON goals (enrollment_id);

CREATE TABLE action_steps (
    id TEXT PRIMARY KEY NOT NULL,
    goal_id TEXT NOT NULL REFERENCES goals (id),
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
    description TEXT NOT NULL,
    assigned_to TEXT REFERENCES users (id),
    due_date DATE,
    completed_date DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX action_steps_goal_id ON action_steps (goal_id);
CREATE INDEX action_steps_enrollment_id ON action_steps (enrollment_id);
CREATE INDEX action_steps_assigned_to ON action_steps (assigned_to);

CREATE TABLE follow_ups (
    id TEXT PRIMARY KEY NOT NULL,
    enrollment_id TEXT NOT NULL REFERENCES enrollments (id),
    reason TEXT NOT NULL,
    due_date DATE NOT NULL,
    assigned_to TEXT REFERENCES users (id),
    completed_at TIMESTAMP,
    outcome TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX follow_ups_enrollment_id ON follow_ups (enrollment_id);
CREATE INDEX follow_ups_assigned_to ON follow_ups (assigned_to, due_date);
