DROP TABLE users;
DROP TABLE grants;
DROP TABLE programs;
DROP TABLE organizations;
