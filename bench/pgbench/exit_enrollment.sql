-- POST /v1/clients/{client_id}/enrollments/{enrollment_id}/exit (alone, destination 410), admin
-- token: exactly the statements and the transaction the handler runs, in its order, as
-- PostgreSQL logs them (`log_statement = 'all'` on a throwaway database, one request with the
-- default scoped locks and one with --write-locks global), with the request's values:
-- constants where the server's vary only in content (the audit event's changes), pgbench
-- variables for the enrollment it exits.
--
-- The row (client, enrollment, household, program, grant, case manager, organization, and the
-- advisory-lock keys of the organization, the household and the client as `Scope::keys`
-- computes them) is read from bench_exits by primary key first: one statement more than the
-- server runs. Each connection takes rows of its own in turn (the rows :first+1 ..
-- :first+:size, from the start again past the last). Set with -D: first, size, connections
-- (pgbench's -c), iteration=0, and global: 0 for the statements of a server with scoped locks
-- (the writer lock shared; after the enrollment is found, the organization's lock shared and
-- the household's and the client's exclusive in one statement, then the enrollment read
-- again), 1 for those of --write-locks global (the writer lock exclusive and nothing more).
--
-- Where the server's statement differs in form only: the server sends `SET LOCAL lock_timeout`
-- and the writer lock as one simple query, which a prepared statement cannot hold, so here they
-- are one SELECT with set_config(..., true), the same work in one round trip; the server makes
-- the audit event's ID (a UUID that begins with the time in milliseconds), here PostgreSQL makes
-- one of that form from its clock and random digits; `localtimestamp` stands for the instants
-- the server sends; and in the JSON constant a colon before a letter is written \072 (in an E''
-- string), or pgbench would read `:null` as a variable. pgbench prepares every statement; the
-- server sends a few unprepared (parsed each time): the scoped locks, the change clock's two
-- and the UPDATE.
-- The completeness statements (`complete`, stored by the write: the household's members,
-- their clients, programs, grants and HUD records, the answer replaced and read back) bind
-- one-element arrays, here ARRAY[...]; the server writes the answer with COPY, here an
-- INSERT of the one row; the household's lock is held already (the exit's rules read it).
\set iteration :iteration + 1
\set n :first + 1 + (:client_id + :connections * (:iteration - 1)) % :size
SELECT client_id AS client, enrollment_id AS enrollment, household_id AS household,
       program_id AS program, grant_id AS grant, case_manager_id AS case_manager,
       organization_id AS organization,
       organization_id_high AS organization_high, organization_id_low AS organization_low,
       household_id_high AS household_high, household_id_low AS household_low,
       client_id_high AS client_high, client_id_low AS client_low
  FROM bench_exits WHERE n = :n \gset
BEGIN;
\if :global
SELECT set_config('lock_timeout', '10s', true), pg_advisory_xact_lock(8388080163323737189);
\else
SELECT set_config('lock_timeout', '10s', true), pg_advisory_xact_lock_shared(8388080163323737189);
\endif
SELECT "enrollments"."id", "enrollments"."client_id", "enrollments"."program_id", "enrollments"."household_id", "enrollments"."relationship_to_hoh", "enrollments"."entry_date", "enrollments"."exit_date", "enrollments"."destination", "enrollments"."destination_subsidy_type", "enrollments"."other_destination", "enrollments"."auto_exited", "enrollments"."exited_by", "enrollments"."exited_at", "enrollments"."grant_id", "enrollments"."case_manager_id", "enrollments"."enrollment_coc", "enrollments"."disabling_condition", "enrollments"."prior_living_situation", "enrollments"."length_of_stay", "enrollments"."move_in_date", "enrollments"."version", "enrollments"."created_at", "enrollments"."updated_at", "enrollments"."created_by", "enrollments"."updated_by", "enrollments"."deleted_at", "programs"."organization_id" FROM ("enrollments" INNER JOIN "programs" ON ("enrollments"."program_id" = "programs"."id")) WHERE (("enrollments"."id" = :enrollment) AND ("enrollments"."deleted_at" IS NULL)) LIMIT '1';
\if :global = 0
SELECT pg_advisory_xact_lock_shared(:organization_high, :organization_low), pg_advisory_xact_lock(:household_high, :household_low), pg_advisory_xact_lock(:client_high, :client_low);
SELECT "enrollments"."id", "enrollments"."client_id", "enrollments"."program_id", "enrollments"."household_id", "enrollments"."relationship_to_hoh", "enrollments"."entry_date", "enrollments"."exit_date", "enrollments"."destination", "enrollments"."destination_subsidy_type", "enrollments"."other_destination", "enrollments"."auto_exited", "enrollments"."exited_by", "enrollments"."exited_at", "enrollments"."grant_id", "enrollments"."case_manager_id", "enrollments"."enrollment_coc", "enrollments"."disabling_condition", "enrollments"."prior_living_situation", "enrollments"."length_of_stay", "enrollments"."move_in_date", "enrollments"."version", "enrollments"."created_at", "enrollments"."updated_at", "enrollments"."created_by", "enrollments"."updated_by", "enrollments"."deleted_at", "programs"."organization_id" FROM ("enrollments" INNER JOIN "programs" ON ("enrollments"."program_id" = "programs"."id")) WHERE (("enrollments"."id" = :enrollment) AND ("enrollments"."deleted_at" IS NULL)) LIMIT '1';
\endif
SELECT "enrollments"."id", "enrollments"."client_id", "enrollments"."program_id", "enrollments"."household_id", "enrollments"."relationship_to_hoh", "enrollments"."entry_date", "enrollments"."exit_date", "enrollments"."destination", "enrollments"."destination_subsidy_type", "enrollments"."other_destination", "enrollments"."auto_exited", "enrollments"."exited_by", "enrollments"."exited_at", "enrollments"."grant_id", "enrollments"."case_manager_id", "enrollments"."enrollment_coc", "enrollments"."disabling_condition", "enrollments"."prior_living_situation", "enrollments"."length_of_stay", "enrollments"."move_in_date", "enrollments"."version", "enrollments"."created_at", "enrollments"."updated_at", "enrollments"."created_by", "enrollments"."updated_by", "enrollments"."deleted_at" FROM "enrollments" WHERE (("enrollments"."household_id" = :household) AND ("enrollments"."deleted_at" IS NULL)) ORDER BY "enrollments"."entry_date" ASC, "enrollments"."id" ASC;
SELECT "assessments"."id", "assessments"."assessment_date" FROM "assessments" WHERE (("assessments"."enrollment_id" = :enrollment) AND ("assessments"."deleted_at" IS NULL));
SELECT "services"."id", "services"."date_provided" FROM "services" WHERE (("services"."enrollment_id" = :enrollment) AND ("services"."deleted_at" IS NULL));
SELECT "goals"."id", "goals"."target_date", "goals"."closed_date" FROM "goals" WHERE (("goals"."enrollment_id" = :enrollment) AND ("goals"."deleted_at" IS NULL));
SELECT "action_steps"."id", "action_steps"."due_date", "action_steps"."completed_date" FROM "action_steps" WHERE (("action_steps"."enrollment_id" = :enrollment) AND ("action_steps"."deleted_at" IS NULL));
SELECT "follow_ups"."id", "follow_ups"."due_date" FROM "follow_ups" WHERE (("follow_ups"."enrollment_id" = :enrollment) AND ("follow_ups"."deleted_at" IS NULL));
SELECT "hud_records"."id", "hud_records"."collection", "hud_records"."information_date" FROM "hud_records" WHERE (("hud_records"."enrollment_id" = :enrollment) AND ("hud_records"."deleted_at" IS NULL)) ORDER BY "hud_records"."id" ASC;
SELECT "enrollments"."id", "enrollments"."client_id", "enrollments"."program_id", "enrollments"."household_id", "enrollments"."relationship_to_hoh", "enrollments"."entry_date", "enrollments"."exit_date", "enrollments"."destination", "enrollments"."destination_subsidy_type", "enrollments"."other_destination", "enrollments"."auto_exited", "enrollments"."exited_by", "enrollments"."exited_at", "enrollments"."grant_id", "enrollments"."case_manager_id", "enrollments"."enrollment_coc", "enrollments"."disabling_condition", "enrollments"."prior_living_situation", "enrollments"."length_of_stay", "enrollments"."move_in_date", "enrollments"."version", "enrollments"."created_at", "enrollments"."updated_at", "enrollments"."created_by", "enrollments"."updated_by", "enrollments"."deleted_at" FROM "enrollments" WHERE ("enrollments"."id" = :enrollment) LIMIT '1';
SELECT pg_advisory_xact_lock_shared(floor(extract(epoch FROM clock_timestamp()) * 1000000)::bigint) IS NULL AS taken;
SELECT GREATEST(localtimestamp, clock_timestamp() AT TIME ZONE 'UTC') AS last_at \gset
UPDATE "enrollments" SET "client_id" = :client, "program_id" = :program, "household_id" = :household, "relationship_to_hoh" = '1', "entry_date" = '2025-06-01', "exit_date" = '2025-07-01', "destination" = '410', "destination_subsidy_type" = NULL, "other_destination" = NULL, "auto_exited" = 'f', "exited_by" = 'bench-admin', "exited_at" = localtimestamp, "grant_id" = :grant, "case_manager_id" = :case_manager, "enrollment_coc" = NULL, "disabling_condition" = NULL, "prior_living_situation" = NULL, "length_of_stay" = NULL, "move_in_date" = NULL, "version" = '2', "created_at" = localtimestamp, "updated_at" = :last_at, "created_by" = 'bench-admin', "updated_by" = 'bench-admin', "deleted_at" = NULL WHERE ("enrollments"."id" = :enrollment);
SELECT "programs"."organization_id" FROM "programs" WHERE ("programs"."id" = :program) LIMIT '1';
INSERT INTO "audit_events" ("id", "at", "actor", "action", "entity_type", "entity_id", "organization_id", "changes") VALUES ((lpad(to_hex(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0') || left(replace(gen_random_uuid()::text, '-', ''), 20))::uuid::text, :last_at, 'bench-admin', 'exit', 'enrollment', :enrollment, :organization, E'{"destination":{"new":410,"old"\072null},"exit_date":{"new":"2025-07-01","old"\072null},"exited_at":{"new":"2026-12-06T08:14:30.666503Z","old"\072null},"exited_by":{"new":"bench-admin","old"\072null}}');
SELECT "webhooks"."id", "webhooks"."organization_id", "webhooks"."events" FROM "webhooks" WHERE (("webhooks"."active" = 't') AND ("webhooks"."deleted_at" IS NULL));
-- The household's completeness worked out again and stored (`completeness::flush`), then
-- read for the answer's `complete`.
SELECT "enrollments"."id", "enrollments"."client_id", "enrollments"."program_id", "enrollments"."household_id", "enrollments"."relationship_to_hoh", "enrollments"."entry_date", "enrollments"."exit_date", "enrollments"."destination", "enrollments"."destination_subsidy_type", "enrollments"."other_destination", "enrollments"."auto_exited", "enrollments"."exited_by", "enrollments"."exited_at", "enrollments"."grant_id", "enrollments"."case_manager_id", "enrollments"."enrollment_coc", "enrollments"."disabling_condition", "enrollments"."prior_living_situation", "enrollments"."length_of_stay", "enrollments"."move_in_date", "enrollments"."version", "enrollments"."created_at", "enrollments"."updated_at", "enrollments"."created_by", "enrollments"."updated_by", "enrollments"."deleted_at", "enrollments"."hud", "enrollments"."exit_hud" FROM "enrollments" WHERE (("enrollments"."household_id" = ANY(ARRAY[:household])) AND ("enrollments"."deleted_at" IS NULL));
SELECT "clients"."id", "clients"."first_name", "clients"."middle_name", "clients"."last_name", "clients"."name_suffix", "clients"."name_data_quality", "clients"."ssn", "clients"."ssn_last4", "clients"."ssn_data_quality", "clients"."dob", "clients"."dob_data_quality", "clients"."sex", "clients"."race_ethnicity", "clients"."race_none", "clients"."veteran_status", "clients"."search_name", "clients"."version", "clients"."created_at", "clients"."updated_at", "clients"."created_by", "clients"."updated_by", "clients"."deleted_at", "clients"."organization_id", "clients"."hud" FROM "clients" WHERE (("clients"."id" = ANY(ARRAY[:client])) AND ("clients"."deleted_at" IS NULL));
SELECT "programs"."id", "programs"."organization_id", "programs"."name", "programs"."project_type", "programs"."operating_start_date", "programs"."operating_end_date", "programs"."continuum_project", "programs"."capacity", "programs"."auto_exit_days", "programs"."version", "programs"."created_at", "programs"."updated_at", "programs"."created_by", "programs"."updated_by", "programs"."hud" FROM "programs" WHERE ("programs"."id" = ANY(ARRAY[:program]));
SELECT "grants"."id", "grants"."program_id", "grants"."funder", "grants"."other_funder", "grants"."grant_identifier", "grants"."start_date", "grants"."end_date", "grants"."version", "grants"."created_at", "grants"."updated_at", "grants"."created_by", "grants"."updated_by" FROM "grants" WHERE ("grants"."id" = ANY(ARRAY[:grant]));
SELECT "hud_records"."id", "hud_records"."enrollment_id", "hud_records"."collection", "hud_records"."information_date", "hud_records"."data_collection_stage", "hud_records"."disability_type", "hud_records"."fields", "hud_records"."version", "hud_records"."created_at", "hud_records"."updated_at", "hud_records"."created_by", "hud_records"."updated_by", "hud_records"."deleted_at" FROM "hud_records" WHERE (("hud_records"."enrollment_id" = ANY(ARRAY[:enrollment])) AND ("hud_records"."deleted_at" IS NULL)) ORDER BY "hud_records"."collection" ASC, "hud_records"."information_date" ASC, "hud_records"."id" ASC;
DELETE FROM "enrollment_completeness" WHERE ("enrollment_completeness"."enrollment_id" = ANY(ARRAY[:enrollment]));
INSERT INTO "enrollment_completeness" ("enrollment_id", "as_of", "complete", "holds_until") VALUES (:enrollment, CURRENT_DATE, FALSE, NULL);
SELECT "enrollments"."household_id", "enrollments"."id", "enrollment_completeness"."as_of", "enrollment_completeness"."complete", "enrollment_completeness"."holds_until" FROM ("enrollments" LEFT OUTER JOIN "enrollment_completeness" ON ("enrollment_completeness"."enrollment_id" = "enrollments"."id")) WHERE (("enrollments"."household_id" = ANY(ARRAY[:household])) AND ("enrollments"."deleted_at" IS NULL));
COMMIT;
