-- Duplicate checks at intake look clients up by the last four digits of their SSN (and by
-- date of birth, already indexed). An index only: no data changes.
CREATE INDEX clients_ssn_last4 ON clients (ssn_last4);
