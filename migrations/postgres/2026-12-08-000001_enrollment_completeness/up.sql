-- Whether each enrollment misses nothing HUD requires of it (HMIS Data Standards FY2026, by
-- the applicability table of the domain), as its household's writes last left it: on the
-- day `as_of` it was `complete` or not, which holds up to the day before `holds_until` (none:
-- every day to come) unless what is recorded changes. A household reads as complete when
-- none of its members visible to the reader is incomplete. Derived data in a new table: an
-- enrollment without a row (every one stored before this migration) is worked out when read
-- and stored by the background refresh; no existing data changes.
CREATE TABLE enrollment_completeness (
    enrollment_id TEXT PRIMARY KEY NOT NULL REFERENCES enrollments (id) ON DELETE CASCADE,
    as_of DATE NOT NULL,
    complete BOOLEAN NOT NULL,
    holds_until DATE
);
CREATE INDEX enrollment_completeness_holds_until ON enrollment_completeness (holds_until);
