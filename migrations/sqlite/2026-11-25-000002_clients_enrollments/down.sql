DROP TABLE enrollments;
DROP TABLE households;
DROP TABLE clients;
