-- The HUD fields a client, an enrollment, its exit, a program and an organization hold beside
-- their own columns (HMIS Data Standards FY2026: V1 veteran's information, 3.917 in full,
-- 4.13, P3, R1-R2, R11-R13, V4-V10, W5, R15-R20, 2.02's project details, 2.01's common
-- name), each row's as one JSON object by the API's field names, the columns of Client.csv,
-- Enrollment.csv, Exit.csv, Project.csv and Organization.csv the rows did not hold. New
-- columns only, empty for every existing row: no data changes.
ALTER TABLE clients ADD COLUMN hud TEXT NOT NULL DEFAULT '{}';
ALTER TABLE enrollments ADD COLUMN hud TEXT NOT NULL DEFAULT '{}';
ALTER TABLE enrollments ADD COLUMN exit_hud TEXT NOT NULL DEFAULT '{}';
ALTER TABLE programs ADD COLUMN hud TEXT NOT NULL DEFAULT '{}';
ALTER TABLE organizations ADD COLUMN hud TEXT NOT NULL DEFAULT '{}';
