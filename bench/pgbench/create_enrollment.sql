-- POST /v1/clients/{client_id}/enrollments (a new household, with a grant, a case manager and an
-- Idempotency-Key), admin token: exactly the statements and the transaction the handler runs,
-- in its order, as PostgreSQL logs them (`log_statement = 'all'` on a throwaway database, one
-- request with the default scoped locks and one with --write-locks global), with the request's
-- values: constants where the server's vary only in content (the audit events' changes, the
-- stored answer), pgbench variables for the row it writes about.
--
-- The row (client, program, grant, case manager, organization, and the advisory-lock keys of
-- the organization and the client as `Scope::keys` computes them) is read from bench_targets by
-- primary key first: one statement more than the server runs. Each connection takes rows of
-- its own in turn (the rows :first+1 .. :first+:size, from the start again past the last),
-- so no two transactions write about one client at once. Set with -D: first, size,
-- connections (pgbench's -c), iteration=0, and global: 0 for the statements of a server with
-- scoped locks (the writer lock shared, then the organization's lock shared and the client's
-- exclusive in one statement, after which the client is read again), 1 for those of
-- --write-locks global (the writer lock exclusive and nothing more). Programs without a
-- capacity only: one with a capacity is locked and its active enrollments counted.
--
-- Where the server's statement differs in form only: the server sends `SET LOCAL lock_timeout`
-- and the writer lock as one simple query, which a prepared statement cannot hold, so here they
-- are one SELECT with set_config(..., true), the same work in one round trip; the server makes
-- the new rows' IDs (UUIDs that begin with the time in milliseconds, so the primary keys grow at
-- their right edge), here PostgreSQL makes UUIDs of that form from its clock and random digits
-- and returns those it needs again (RETURNING ... \gset);
-- `localtimestamp` stands for the instants the server sends; and in the JSON constants a colon
-- before a letter is written \072 (in E'' strings), or pgbench would read `:null` as a variable.
-- pgbench prepares every statement; the server sends a few unprepared (parsed each time): the
-- scoped locks, the change clock's two and the stored answer.
-- The completeness statements (`complete`, stored by the write: the household's members,
-- their clients, programs, grants and HUD records, the answer replaced and read back) bind
-- one-element arrays, here ARRAY[...]; the server writes the answer with COPY, here an
-- INSERT of the one row; the household's lock the server tries (its key from the new
-- household's ID, `Scope::keys`) is here a try of a key from the ID's hash.
\set iteration :iteration + 1
\set n :first + 1 + (:client_id + :connections * (:iteration - 1)) % :size
\set key random(1, 1000000000000)
\set idempotency_key :n * 1000000000000 + :key
SELECT client_id AS client, program_id AS program, grant_id AS grant,
       case_manager_id AS case_manager, organization_id AS organization,
       organization_id_high AS organization_high, organization_id_low AS organization_low,
       client_id_high AS client_high, client_id_low AS client_low
  FROM bench_targets WHERE n = :n \gset
BEGIN;
\if :global
SELECT set_config('lock_timeout', '10s', true), pg_advisory_xact_lock(8388080163323737189);
\else
SELECT set_config('lock_timeout', '10s', true), pg_advisory_xact_lock_shared(8388080163323737189);
\endif
SELECT "idempotency_keys"."caller", "idempotency_keys"."idempotency_key", "idempotency_keys"."request_hash", "idempotency_keys"."status", "idempotency_keys"."body", "idempotency_keys"."location", "idempotency_keys"."etag", "idempotency_keys"."created_at" FROM "idempotency_keys" WHERE (("idempotency_keys"."caller" = 'bench-admin') AND ("idempotency_keys"."idempotency_key" = :idempotency_key)) LIMIT '1';
SELECT "clients"."id", "clients"."first_name", "clients"."middle_name", "clients"."last_name", "clients"."name_suffix", "clients"."name_data_quality", "clients"."ssn", "clients"."ssn_last4", "clients"."ssn_data_quality", "clients"."dob", "clients"."dob_data_quality", "clients"."sex", "clients"."race_ethnicity", "clients"."race_none", "clients"."veteran_status", "clients"."search_name", "clients"."version", "clients"."created_at", "clients"."updated_at", "clients"."created_by", "clients"."updated_by", "clients"."deleted_at" FROM "clients" WHERE (("clients"."id" = :client) AND ("clients"."deleted_at" IS NULL)) LIMIT '1';
SELECT "programs"."id", "programs"."organization_id", "programs"."name", "programs"."project_type", "programs"."operating_start_date", "programs"."operating_end_date", "programs"."continuum_project", "programs"."capacity", "programs"."auto_exit_days", "programs"."version", "programs"."created_at", "programs"."updated_at", "programs"."created_by", "programs"."updated_by" FROM "programs" WHERE ("programs"."id" = :program) LIMIT '1';
\if :global = 0
SELECT pg_advisory_xact_lock_shared(:organization_high, :organization_low), pg_advisory_xact_lock(:client_high, :client_low);
SELECT "clients"."id", "clients"."first_name", "clients"."middle_name", "clients"."last_name", "clients"."name_suffix", "clients"."name_data_quality", "clients"."ssn", "clients"."ssn_last4", "clients"."ssn_data_quality", "clients"."dob", "clients"."dob_data_quality", "clients"."sex", "clients"."race_ethnicity", "clients"."race_none", "clients"."veteran_status", "clients"."search_name", "clients"."version", "clients"."created_at", "clients"."updated_at", "clients"."created_by", "clients"."updated_by", "clients"."deleted_at" FROM "clients" WHERE (("clients"."id" = :client) AND ("clients"."deleted_at" IS NULL)) LIMIT '1';
\endif
SELECT "grants"."id", "grants"."program_id", "grants"."funder", "grants"."other_funder", "grants"."grant_identifier", "grants"."start_date", "grants"."end_date", "grants"."version", "grants"."created_at", "grants"."updated_at", "grants"."created_by", "grants"."updated_by" FROM "grants" WHERE ("grants"."id" = :grant) LIMIT '1';
SELECT "users"."id", "users"."organization_id", "users"."first_name", "users"."last_name", "users"."email", "users"."version", "users"."created_at", "users"."updated_at", "users"."created_by", "users"."updated_by" FROM "users" WHERE ("users"."id" = :case_manager) LIMIT '1';
SELECT "enrollments"."id", "enrollments"."client_id", "enrollments"."program_id", "enrollments"."household_id", "enrollments"."relationship_to_hoh", "enrollments"."entry_date", "enrollments"."exit_date", "enrollments"."destination", "enrollments"."destination_subsidy_type", "enrollments"."other_destination", "enrollments"."auto_exited", "enrollments"."exited_by", "enrollments"."exited_at", "enrollments"."grant_id", "enrollments"."case_manager_id", "enrollments"."enrollment_coc", "enrollments"."disabling_condition", "enrollments"."prior_living_situation", "enrollments"."length_of_stay", "enrollments"."move_in_date", "enrollments"."version", "enrollments"."created_at", "enrollments"."updated_at", "enrollments"."created_by", "enrollments"."updated_by", "enrollments"."deleted_at" FROM "enrollments" WHERE ((("enrollments"."client_id" = :client) AND ("enrollments"."program_id" = :program)) AND ("enrollments"."deleted_at" IS NULL));
INSERT INTO "households" ("id", "program_id", "created_at", "created_by") VALUES ((lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || left(replace(gen_random_uuid()::text, '-', ''), 20))::uuid::text, :program, localtimestamp, 'bench-admin') RETURNING "id" AS household \gset
SELECT "programs"."organization_id" FROM "programs" WHERE ("programs"."id" = :program) LIMIT '1';
INSERT INTO "audit_events" ("id", "at", "actor", "action", "entity_type", "entity_id", "organization_id", "changes") VALUES ((lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || left(replace(gen_random_uuid()::text, '-', ''), 20))::uuid::text, localtimestamp, 'bench-admin', 'create', 'household', :household, :organization, E'{"created_at":{"new":"2026-12-06T08:14:30.070734Z","old"\072null},"created_by":{"new":"bench-admin","old"\072null},"id":{"new":"01a24a6b-36b6-76c4-bc8d-7d67501403d4","old"\072null},"program_id":{"new":"01a24a6b-33f3-755c-b120-3c133cf3ae3d","old"\072null}}');
SELECT pg_advisory_xact_lock_shared(floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint) IS NULL AS taken;
SELECT GREATEST(localtimestamp, clock_timestamp() AT TIME ZONE 'UTC') AS last_at \gset
INSERT INTO "enrollments" ("id", "client_id", "program_id", "household_id", "relationship_to_hoh", "entry_date", "exit_date", "destination", "destination_subsidy_type", "other_destination", "auto_exited", "exited_by", "exited_at", "grant_id", "case_manager_id", "enrollment_coc", "disabling_condition", "prior_living_situation", "length_of_stay", "move_in_date", "version", "created_at", "updated_at", "created_by", "updated_by", "deleted_at") VALUES ((lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || left(replace(gen_random_uuid()::text, '-', ''), 20))::uuid::text, :client, :program, :household, '1', '2025-06-01', NULL, NULL, NULL, NULL, 'f', NULL, NULL, :grant, :case_manager, NULL, NULL, NULL, NULL, NULL, '1', :last_at, :last_at, 'bench-admin', 'bench-admin', NULL) RETURNING "id" AS enrollment \gset
SELECT "programs"."organization_id" FROM "programs" WHERE ("programs"."id" = :program) LIMIT '1';
INSERT INTO "audit_events" ("id", "at", "actor", "action", "entity_type", "entity_id", "organization_id", "changes") VALUES ((lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || left(replace(gen_random_uuid()::text, '-', ''), 20))::uuid::text, :last_at, 'bench-admin', 'create', 'enrollment', :enrollment, :organization, E'{"auto_exited":{"new"\072false,"old"\072null},"case_manager_id":{"new":"01a24a6b-346a-76c9-a291-000d537cd9e5","old"\072null},"client_id":{"new":"01a248a6-7c00-7031-a789-549c8656dd6a","old"\072null},"created_at":{"new":"2026-12-06T08:14:30.072138Z","old"\072null},"created_by":{"new":"bench-admin","old"\072null},"deleted_at":{"new"\072null,"old"\072null},"destination":{"new"\072null,"old"\072null},"destination_subsidy_type":{"new"\072null,"old"\072null},"disabling_condition":{"new"\072null,"old"\072null},"enrollment_coc":{"new"\072null,"old"\072null},"entry_date":{"new":"2025-06-01","old"\072null},"exit_date":{"new"\072null,"old"\072null},"exited_at":{"new"\072null,"old"\072null},"exited_by":{"new"\072null,"old"\072null},"grant_id":{"new":"01a24a6b-343b-70fd-b0af-8aae507ef582","old"\072null},"household_id":{"new":"01a24a6b-36b6-76c4-bc8d-7d67501403d4","old"\072null},"id":{"new":"01a24a6b-36b6-76c4-bc8d-7d68fced84eb","old"\072null},"length_of_stay":{"new"\072null,"old"\072null},"move_in_date":{"new"\072null,"old"\072null},"other_destination":{"new"\072null,"old"\072null},"prior_living_situation":{"new"\072null,"old"\072null},"program_id":{"new":"01a24a6b-33f3-755c-b120-3c133cf3ae3d","old"\072null},"relationship_to_hoh":{"new":1,"old"\072null}}');
SELECT "webhooks"."id", "webhooks"."organization_id", "webhooks"."events" FROM "webhooks" WHERE (("webhooks"."active" = 't') AND ("webhooks"."deleted_at" IS NULL));
-- The household's completeness worked out again and stored (`completeness::flush`), then
-- read for the answer's `complete`.
\if :global = 0
SELECT pg_try_advisory_xact_lock(hashtext(:household), 2) AS taken;
\endif
SELECT "enrollments"."id", "enrollments"."client_id", "enrollments"."program_id", "enrollments"."household_id", "enrollments"."relationship_to_hoh", "enrollments"."entry_date", "enrollments"."exit_date", "enrollments"."destination", "enrollments"."destination_subsidy_type", "enrollments"."other_destination", "enrollments"."auto_exited", "enrollments"."exited_by", "enrollments"."exited_at", "enrollments"."grant_id", "enrollments"."case_manager_id", "enrollments"."enrollment_coc", "enrollments"."disabling_condition", "enrollments"."prior_living_situation", "enrollments"."length_of_stay", "enrollments"."move_in_date", "enrollments"."version", "enrollments"."created_at", "enrollments"."updated_at", "enrollments"."created_by", "enrollments"."updated_by", "enrollments"."deleted_at", "enrollments"."hud", "enrollments"."exit_hud" FROM "enrollments" WHERE (("enrollments"."household_id" = ANY(ARRAY[:household])) AND ("enrollments"."deleted_at" IS NULL));
SELECT "clients"."id", "clients"."first_name", "clients"."middle_name", "clients"."last_name", "clients"."name_suffix", "clients"."name_data_quality", "clients"."ssn", "clients"."ssn_last4", "clients"."ssn_data_quality", "clients"."dob", "clients"."dob_data_quality", "clients"."sex", "clients"."race_ethnicity", "clients"."race_none", "clients"."veteran_status", "clients"."search_name", "clients"."version", "clients"."created_at", "clients"."updated_at", "clients"."created_by", "clients"."updated_by", "clients"."deleted_at", "clients"."organization_id", "clients"."hud" FROM "clients" WHERE (("clients"."id" = ANY(ARRAY[:client])) AND ("clients"."deleted_at" IS NULL));
SELECT "programs"."id", "programs"."organization_id", "programs"."name", "programs"."project_type", "programs"."operating_start_date", "programs"."operating_end_date", "programs"."continuum_project", "programs"."capacity", "programs"."auto_exit_days", "programs"."version", "programs"."created_at", "programs"."updated_at", "programs"."created_by", "programs"."updated_by", "programs"."hud" FROM "programs" WHERE ("programs"."id" = ANY(ARRAY[:program]));
SELECT "grants"."id", "grants"."program_id", "grants"."funder", "grants"."other_funder", "grants"."grant_identifier", "grants"."start_date", "grants"."end_date", "grants"."version", "grants"."created_at", "grants"."updated_at", "grants"."created_by", "grants"."updated_by" FROM "grants" WHERE ("grants"."id" = ANY(ARRAY[:grant]));
SELECT "hud_records"."id", "hud_records"."enrollment_id", "hud_records"."collection", "hud_records"."information_date", "hud_records"."data_collection_stage", "hud_records"."disability_type", "hud_records"."fields", "hud_records"."version", "hud_records"."created_at", "hud_records"."updated_at", "hud_records"."created_by", "hud_records"."updated_by", "hud_records"."deleted_at" FROM "hud_records" WHERE (("hud_records"."enrollment_id" = ANY(ARRAY[:enrollment])) AND ("hud_records"."deleted_at" IS NULL)) ORDER BY "hud_records"."collection" ASC, "hud_records"."information_date" ASC, "hud_records"."id" ASC;
DELETE FROM "enrollment_completeness" WHERE ("enrollment_completeness"."enrollment_id" = ANY(ARRAY[:enrollment]));
INSERT INTO "enrollment_completeness" ("enrollment_id", "as_of", "complete", "holds_until") VALUES (:enrollment, CURRENT_DATE, FALSE, NULL);
SELECT "enrollments"."household_id", "enrollments"."id", "enrollment_completeness"."as_of", "enrollment_completeness"."complete", "enrollment_completeness"."holds_until" FROM ("enrollments" LEFT OUTER JOIN "enrollment_completeness" ON ("enrollment_completeness"."enrollment_id" = "enrollments"."id")) WHERE (("enrollments"."household_id" = ANY(ARRAY[:household])) AND ("enrollments"."deleted_at" IS NULL));
INSERT INTO "idempotency_keys" ("caller", "idempotency_key", "request_hash", "status", "body", "location", "etag", "created_at") VALUES ('bench-admin', :idempotency_key, 'b676d7bcee8899dc7e47101ff8986af4a497b7e0ad20bd9b56b1735f8b0a4a06', '201', E'{"case_manager_id":"01a24a6b-346a-76c9-a291-000d537cd9e5","client_id":"01a248a6-7c00-7031-a789-549c8656dd6a","created_at":"2026-12-06T08:14:30.072138Z","created_by":"bench-admin","deleted_at"\072null,"disabling_condition"\072null,"enrollment_coc"\072null,"entry_date":"2025-06-01","exit"\072null,"grant_id":"01a24a6b-343b-70fd-b0af-8aae507ef582","household_id":"01a24a6b-36b6-76c4-bc8d-7d67501403d4","id":"01a24a6b-36b6-76c4-bc8d-7d68fced84eb","length_of_stay"\072null,"move_in_date"\072null,"prior_living_situation"\072null,"program_id":"01a24a6b-33f3-755c-b120-3c133cf3ae3d","relationship_to_hoh":1,"status":"active","updated_at":"2026-12-06T08:14:30.072138Z","updated_by":"bench-admin","version":1}', '/v1/clients/01a248a6-7c00-7031-a789-549c8656dd6a/enrollments/01a24a6b-36b6-76c4-bc8d-7d68fced84eb', '"1"', localtimestamp);
COMMIT;
