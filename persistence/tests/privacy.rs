//! Client privacy in SQL answers as the domain's rule does (`threshold_domain::privacy::sees`):
//! hundreds of clients with random creators, services (some deleted), and consents (by
//! organization or CoC-wide, active or revoked, before, within and after their dates), each
//! looked at by every organization, on both backends, through every client column the filter
//! is written for, and through the queries that list a program's roster.

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use threshold_domain::privacy::{self, ClientFacts, Consent, ConsentScope, ConsentStatus, Server};
use threshold_domain::roster::{RosterFilter, RosterStatus};
use threshold_domain::Date;
use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::enrollments::EntryCursor;
use threshold_persistence::ids::{ClientId, OrganizationId, ProgramId};
use threshold_persistence::migrations::run_pending;
use threshold_persistence::privacy::Sight;
use threshold_persistence::rosters::{self, RosterQuery};
use threshold_persistence::schema::{assessments, clients, consents, enrollments};
use uuid::Uuid;

use common::{PostgresDatabase, SqliteFile};

/// Two organizations, then two victim service providers.
const ORGANIZATIONS: [(u128, bool); 4] = [(1, false), (2, false), (3, true), (4, true)];
const CLIENTS: u128 = 400;

fn organization(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn program(n: u128) -> Uuid {
    Uuid::from_u128(100 + n)
}

fn client(n: u128) -> Uuid {
    Uuid::from_u128(1_000 + n)
}

/// A small deterministic generator (xorshift), so a failure can be run again.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % sides
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.roll(100) < percent
    }
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

fn day(offset: i64) -> NaiveDate {
    today() + chrono::TimeDelta::days(offset)
}

/// Writes the organizations, their programs, and the clients with what the rule reads;
/// answers the facts of each client as the domain sees them.
fn seed(conn: &mut DbConnection) -> Vec<(Uuid, ClientFacts)> {
    let mut sql = String::new();
    let stamps = "1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'test', 'test'";
    for (n, vsp) in ORGANIZATIONS {
        sql += &format!(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
             updated_at, created_by, updated_by) VALUES ('{}', 'o{n}', {}, {stamps});\n\
             INSERT INTO programs (id, organization_id, name, project_type, \
             operating_start_date, continuum_project, version, created_at, updated_at, \
             created_by, updated_by) VALUES ('{}', '{}', 'p{n}', 1, '2020-01-01', TRUE, \
             {stamps});\n",
            organization(n),
            if vsp { "TRUE" } else { "FALSE" },
            program(n),
            organization(n),
        );
    }
    let mut dice = Dice(0x9e37_79b9_7f4a_7c15);
    let mut facts = Vec::new();
    for c in 0..CLIENTS {
        let id = client(c);
        let created_by = dice
            .chance(60)
            .then(|| ORGANIZATIONS[dice.roll(4) as usize].0);
        sql += &format!(
            "INSERT INTO clients (id, name_data_quality, ssn_data_quality, dob_data_quality, sex, \
             race_ethnicity, veteran_status, search_name, version, created_at, updated_at, \
             created_by, updated_by, organization_id) VALUES ('{id}', 99, 99, 99, 99, '', 99, \
             '', {stamps}, {});\n",
            created_by.map_or("NULL".to_owned(), |n| format!("'{}'", organization(n)))
        );
        let mut client_facts = ClientFacts {
            created_by: created_by.map(organization),
            ..ClientFacts::default()
        };
        for (n, vsp) in ORGANIZATIONS {
            if !dice.chance(25) {
                continue;
            }
            let deleted = dice.chance(30);
            let enrollment = Uuid::from_u128(100_000 + c * 10 + n);
            sql += &format!(
                "INSERT INTO households (id, program_id, created_at, created_by) VALUES \
                 ('{enrollment}', '{}', '2026-01-01 00:00:00', 'test');\n\
                 INSERT INTO enrollments (id, client_id, program_id, household_id, \
                 relationship_to_hoh, entry_date, version, created_at, updated_at, created_by, \
                 updated_by, deleted_at) VALUES ('{enrollment}', '{id}', '{}', '{enrollment}', \
                 1, '2026-01-01', {stamps}, {});\n",
                program(n),
                program(n),
                if deleted {
                    "'2026-02-01 00:00:00'"
                } else {
                    "NULL"
                },
            );
            if !deleted {
                client_facts.served_by.push(Server {
                    organization_id: organization(n),
                    victim_service_provider: vsp,
                });
            }
        }
        for k in 0..dice.roll(3) {
            let consent = Uuid::from_u128(200_000 + c * 10 + u128::from(k));
            let start = day(dice.roll(5) as i64 - 2);
            let end = dice.chance(50).then(|| day(dice.roll(5) as i64 - 2));
            let revoked = dice.chance(25);
            let named: Vec<u128> = if dice.chance(30) {
                Vec::new()
            } else {
                ORGANIZATIONS
                    .iter()
                    .map(|(n, _)| *n)
                    .filter(|_| dice.chance(40))
                    .collect()
            };
            let coc = named.is_empty();
            sql += &format!(
                "INSERT INTO consents (id, client_id, scope, start_date, end_date, status, \
                 recorded_by, version, created_at, updated_at, created_by, updated_by) VALUES \
                 ('{consent}', '{id}', '{}', '{start}', {}, '{}', 'test', {stamps});\n",
                if coc { "coc" } else { "organizations" },
                end.map_or("NULL".to_owned(), |end| format!("'{end}'")),
                if revoked { "revoked" } else { "active" },
            );
            for n in &named {
                sql += &format!(
                    "INSERT INTO consent_organizations (consent_id, organization_id) VALUES \
                     ('{consent}', '{}');\n",
                    organization(*n)
                );
            }
            client_facts.consents.push(Consent {
                scope: if coc {
                    ConsentScope::Coc
                } else {
                    ConsentScope::Organizations(named.into_iter().map(organization).collect())
                },
                status: if revoked {
                    ConsentStatus::Revoked
                } else {
                    ConsentStatus::Active
                },
                start_date: Date::from(start),
                end_date: end.map(Date::from),
            });
        }
        sql += &format!(
            "INSERT INTO assessments (id, client_id, assessment_date, assessment_location, \
             assessment_type, assessment_level, prioritization_status, answers, version, \
             created_at, updated_at, created_by, updated_by) VALUES ('{}', '{id}', \
             '2026-01-01', 'here', 1, 1, 1, '{{}}', {stamps});\n",
            Uuid::from_u128(300_000 + c)
        );
        facts.push((id, client_facts));
    }
    conn.batch_execute(&sql).expect("the seed");
    facts
}

fn ids(rows: Vec<ClientId>) -> BTreeSet<Uuid> {
    rows.into_iter().map(ClientId::uuid).collect()
}

fn sql_answers_as_the_rule(url: &str) {
    run_pending(url).expect("the migrations run");
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let facts = seed(&mut conn);
    let sealed = facts.iter().filter(|(_, facts)| facts.sealed()).count();
    assert!(
        sealed > 20 && sealed < 300,
        "the seed has sealed and unsealed clients ({sealed})"
    );

    for (n, _) in ORGANIZATIONS {
        let sight = Sight::Organization {
            organization_id: OrganizationId::from(organization(n)),
            today: today(),
        };
        let expected: BTreeSet<Uuid> = facts
            .iter()
            .filter(|(_, facts)| {
                privacy::sees(
                    privacy::Viewer::Organization(organization(n)),
                    facts,
                    Date::from(today()),
                )
            })
            .map(|(id, _)| *id)
            .collect();
        assert!(
            !expected.is_empty() && expected.len() < facts.len(),
            "organization {n} sees some clients and not others"
        );

        let by_client: Vec<ClientId> = clients::table
            .filter(sight.sees_client(clients::id))
            .select(clients::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(ids(by_client), expected, "clients, organization {n}");

        let by_assessment: Vec<ClientId> = assessments::table
            .filter(sight.sees_client(assessments::client_id))
            .select(assessments::client_id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            ids(by_assessment),
            expected,
            "assessments, organization {n}"
        );

        // Enrollments (deleted ones too) of clients the organization sees.
        let by_enrollment: Vec<ClientId> = enrollments::table
            .filter(sight.sees_client(enrollments::client_id))
            .select(enrollments::client_id)
            .load(&mut conn)
            .unwrap();
        let enrolled: Vec<ClientId> = enrollments::table
            .select(enrollments::client_id)
            .load(&mut conn)
            .unwrap();
        let enrolled = ids(enrolled);
        assert_eq!(
            ids(by_enrollment),
            expected.intersection(&enrolled).copied().collect(),
            "enrollments, organization {n}"
        );

        let by_consent: Vec<ClientId> = consents::table
            .filter(sight.sees_client(consents::client_id))
            .select(consents::client_id)
            .load(&mut conn)
            .unwrap();
        let consented: Vec<ClientId> = consents::table
            .select(consents::client_id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(
            ids(by_consent),
            expected.intersection(&ids(consented)).copied().collect(),
            "consents, organization {n}"
        );

        // Each program's roster (every enrollment not deleted) lists the clients the
        // organization sees, and the households of a page count and name only those.
        for (m, _) in ORGANIZATIONS {
            let enrolled: Vec<ClientId> = enrollments::table
                .filter(enrollments::program_id.eq(ProgramId::from(program(m))))
                .filter(enrollments::deleted_at.is_null())
                .select(enrollments::client_id)
                .load(&mut conn)
                .unwrap();
            let query = RosterQuery {
                program_id: ProgramId::from(program(m)),
                filter: RosterFilter::new(Some(RosterStatus::All), None),
                household_id: None,
                words: Vec::new(),
            };
            let found = rosters::page(&mut conn, &sight, &query, None, 1_000).unwrap();
            assert!(!found.page.more);
            let listed: Vec<ClientId> = found
                .page
                .rows
                .iter()
                .map(|row| row.enrollment.client_id)
                .collect();
            assert_eq!(
                ids(listed.clone()),
                expected.intersection(&ids(enrolled)).copied().collect(),
                "the roster of program {m}, organization {n}"
            );
            // One member each in this seed, its head: the households of the page are theirs.
            assert_eq!(found.households.len(), found.page.rows.len());
            for row in &found.page.rows {
                let household = &found.households[&row.enrollment.household_id];
                assert_eq!(
                    (
                        household.members,
                        household.head.as_ref().map(|head| head.client_id)
                    ),
                    (1, Some(row.enrollment.client_id)),
                    "a household of program {m}, organization {n}"
                );
            }
            // Page by page, hidden clients among the candidates of every page.
            for limit in [1, 3, 7] {
                assert_eq!(
                    roster_by_pages(&mut conn, &sight, &query, limit),
                    listed,
                    "the roster of program {m}, organization {n}, {limit} a page"
                );
            }
        }

        for (id, _) in facts.iter().take(40) {
            assert_eq!(
                sight.sees(&mut conn, ClientId::from(*id)).unwrap(),
                expected.contains(id),
                "one client, organization {n}"
            );
        }
    }
    let everything: Vec<ClientId> = clients::table
        .filter(Sight::Everything.sees_client(clients::id))
        .select(clients::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(everything.len(), facts.len(), "an admin sees every client");
}

/// The clients of a whole roster, read `limit` at a time from cursor to cursor.
fn roster_by_pages(
    conn: &mut DbConnection,
    sight: &Sight,
    query: &RosterQuery,
    limit: i64,
) -> Vec<ClientId> {
    let mut read = Vec::new();
    let mut after: Option<EntryCursor> = None;
    loop {
        let page = rosters::page(conn, sight, query, after.as_ref(), limit)
            .unwrap()
            .page;
        assert!(page.rows.len() as i64 <= limit);
        assert!(!page.more || page.rows.len() as i64 == limit);
        read.extend(page.rows.iter().map(|row| row.enrollment.client_id));
        let Some(last) = page.rows.last().filter(|_| page.more) else {
            return read;
        };
        after = Some(EntryCursor {
            entry_date: last.enrollment.entry_date,
            id: last.enrollment.id,
        });
    }
}

#[test]
fn sqlite_filters_clients_as_the_rule_says() {
    sql_answers_as_the_rule(&SqliteFile::new().url());
}

#[test]
fn postgres_filters_clients_as_the_rule_says() {
    sql_answers_as_the_rule(&PostgresDatabase::new().url());
}

/// The client-bearing tables: a read of one shows clients, or what is theirs.
const CLIENT_TABLES: [&str; 5] = [
    "clients::table",
    "enrollments::table",
    "assessments::table",
    "consents::table",
    // Webhook events keep the resource as it was stored: a client, an enrollment...
    "webhook_events::table",
];

/// What a read looks like in this crate's source.
const READS: [&str; 7] = [
    ".load(",
    ".load::<",
    ".first(",
    ".first::<",
    ".get_result(",
    ".get_results(",
    "stream!(",
];

/// Public reads of client-bearing tables that take no `Sight`, each with why that is right:
/// they serve the rules of a write (whose target was found through a `Sight` first), or
/// the import and export of whole archives, never showing a client to a caller on their
/// own. A new read must take a `Sight`, or be added here with its reason.
const UNSIGHTED: [(&str, &str); 19] = [
    (
        "audit/mod.rs::created_all",
        "a write: reads the organizations its events belong to",
    ),
    (
        "clients.rs::has_enrollments",
        "the rule of deleting a client found through a Sight",
    ),
    (
        "consents.rs::update",
        "a write: reads the row it replaces (found through a Sight first)",
    ),
    (
        "enrollments.rs::active_household_ids",
        "the auto-exit job's households, never shown",
    ),
    (
        "enrollments.rs::client_facts_in_program",
        "the overlap rule of a write",
    ),
    (
        "enrollments.rs::find_with_organization",
        "behind visibility::visible_enrollment, which checks the client with Sight::sees",
    ),
    (
        "enrollments.rs::list_for_client",
        "behind the list's handler, which checks the client with Sight::sees",
    ),
    (
        "enrollments.rs::update",
        "a write: reads the row it replaces",
    ),
    (
        "imports.rs::active_enrollment_ids",
        "the import's rules, never shown",
    ),
    ("records.rs::cascade_delete", "a write"),
    ("records.rs::dependents", "the period rule of a write"),
    (
        "export.rs::each_assessment",
        "filtered by `Hidden`, which hidden_clients reads with the export's Sight",
    ),
    (
        "export.rs::each_client",
        "filtered by `Hidden`, which hidden_clients reads with the export's Sight",
    ),
    (
        "export.rs::each_hud_record",
        "filtered by `Hidden`, which hidden_clients reads with the export's Sight",
    ),
    (
        "export.rs::each_service",
        "filtered by `Hidden`, which hidden_clients reads with the export's Sight",
    ),
    (
        "outbox.rs::publish",
        "a write: finds the client of the changed record, whose event `may_see` then \
         scopes with each subscriber's Sight",
    ),
    (
        "webhooks.rs::claim",
        "the deliverer's claim: each event is checked with `outbox::may_see` (a Sight) \
         before it is sent",
    ),
    (
        "webhooks.rs::deliveries",
        "a subscription's log for its owner: an event's type and resource ID only, of \
         events scoped with the owner's Sight when they were written",
    ),
    (
        "webhooks.rs::find_delivery",
        "a subscription's log for its owner, as `deliveries`",
    ),
];

/// The `pub fn`s of a source file, each with its text up to the next item.
fn public_functions(source: &str) -> Vec<(String, String)> {
    let mut functions = Vec::new();
    let starts: Vec<usize> = source.match_indices("pub fn ").map(|(at, _)| at).collect();
    for (index, start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(source.len());
        let text = &source[*start..end];
        let name: String = text["pub fn ".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        functions.push((name, text.to_owned()));
    }
    functions
}

/// Every public read of a client-bearing table in `persistence/src` takes the caller's
/// `Sight` (and so can filter with it), or is one of the few reasoned exceptions above.
#[test]
fn every_read_of_client_bearing_tables_takes_a_sight() {
    let source_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut unsighted = Vec::new();
    let mut stack = vec![source_dir.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let file = path
                .strip_prefix(&source_dir)
                .unwrap()
                .display()
                .to_string();
            // The rule itself, and the seed's bulk writer of synthetic data.
            if file == "privacy.rs" || file.starts_with("seed") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (name, text) in public_functions(&source) {
                let reads_clients = CLIENT_TABLES.iter().any(|table| text.contains(table))
                    && READS.iter().any(|read| text.contains(read));
                let signature = text.split('{').next().unwrap_or("");
                let sighted = signature.contains("Sight") || text.contains("sight");
                if reads_clients && !sighted {
                    unsighted.push(format!("{file}::{name}"));
                }
            }
        }
    }
    unsighted.sort();
    let allowed: Vec<String> = UNSIGHTED.iter().map(|(name, _)| name.to_string()).collect();
    let forgotten: Vec<&String> = unsighted.iter().filter(|n| !allowed.contains(n)).collect();
    assert!(
        forgotten.is_empty(),
        "these reads of client-bearing tables take no Sight: filter them with \
         `Sight::sees_client`, or name them in UNSIGHTED with the reason they may not: \
         {forgotten:#?}"
    );
    let stale: Vec<&String> = allowed.iter().filter(|n| !unsighted.contains(n)).collect();
    assert!(
        stale.is_empty(),
        "UNSIGHTED names reads that are gone or sighted: {stale:?}"
    );
}
