DROP INDEX clients_ssn_last4;
