DROP TABLE consent_organizations;
DROP TABLE consents;
DROP INDEX clients_organization_id;
ALTER TABLE clients DROP COLUMN organization_id;
