-- An assessment's results (HUD 4.19.6, HMIS CSV AssessmentResults.csv: a result type and a
-- result each), as a JSON array `[{"result_type", "result"}]` beside its answers. A new
-- column, empty for every assessment stored before: no data changes.
ALTER TABLE assessments ADD COLUMN results TEXT NOT NULL DEFAULT '[]';
