DROP INDEX enrollments_roster_active;
DROP INDEX enrollments_roster;
