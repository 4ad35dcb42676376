DROP TABLE enrollment_completeness;
