-- Program rosters (`GET /v1/programs/{program_id}/enrollments`) read a program's enrollments
-- in the order of their entry dates, then IDs, a page at a time from where the last one
-- ended: every one that is not deleted, and, for the default roster (the people in the
-- program now), only those not exited, few beside a program's years of history. Indexes
-- only: no data changes.
CREATE INDEX enrollments_roster ON enrollments (program_id, entry_date, id)
    WHERE deleted_at IS NULL;
CREATE INDEX enrollments_roster_active ON enrollments (program_id, entry_date, id)
    WHERE deleted_at IS NULL AND exit_date IS NULL;
