DROP TABLE idempotency_keys;
DROP INDEX enrollments_updated_at;
DROP TABLE change_clock;
DROP TABLE audit_events;
