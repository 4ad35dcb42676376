DROP TABLE follow_ups;
DROP TABLE action_steps;
DROP TABLE goals;
DROP TABLE services;
DROP TABLE assessments;
