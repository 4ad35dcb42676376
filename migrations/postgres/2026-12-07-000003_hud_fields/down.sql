ALTER TABLE organizations DROP COLUMN hud;
ALTER TABLE programs DROP COLUMN hud;
ALTER TABLE enrollments DROP COLUMN exit_hud;
ALTER TABLE enrollments DROP COLUMN hud;
ALTER TABLE clients DROP COLUMN hud;
