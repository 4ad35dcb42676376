-- Where an imported record came from (contract: "Imports from other systems"): the source
-- system (Export.csv's SourceID), the record's ID there and its DateCreated, DateUpdated and
-- UserID, as a JSON object; an enrollment keeps its exit's too. NULL for records made here,
-- and for every row stored before: no data changes.
ALTER TABLE clients ADD COLUMN source TEXT;
ALTER TABLE enrollments ADD COLUMN source TEXT;
ALTER TABLE enrollments ADD COLUMN exit_source TEXT;
