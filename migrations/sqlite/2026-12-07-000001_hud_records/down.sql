DROP INDEX hud_records_stage;
DROP INDEX hud_records_enrollment_id;
DROP TABLE hud_records;
